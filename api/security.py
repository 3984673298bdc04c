"""Credentials: API keys with scopes (contact-center software), agent accounts with roles,
scrypt-hashed passwords and expiring bearer tokens, and per-conversation customer tokens.
Only hashes are stored. `AuthService.authenticate(token)` -> `Principal`.

Who may do what:
- agent role `agent`: the queue, claim, and write / hand back / close what they own;
- `supervisor`: also write, hand back and close conversations other agents own;
- `admin` (an agent with that role or an API key with scope `admin`): everything, incl.
  managing agents and keys;
- API keys: what their scopes say (`assist`, `ingest`, `desk`, `marketing`, `admin`); a
  key never owns a conversation, so it cannot move one a person owns (unless it is an
  admin key); `marketing` reads whether marketing may reach customers, nothing else;
- a customer token: its own conversation only, until a while after it closes.

Log-in is throttled per account in the database (consecutive failures lock the account
with a doubling lock, and past a hard limit until an admin unlocks it) and, in
`api/throttle.py`, per client address. Password hashing runs on its own small bounded
pool, so a log-in flood cannot starve the database work of every other route."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import re
import secrets
import threading
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Engine, bindparam, delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api.conversations.errors import Forbidden, NotAuthenticated, Throttled
from api.conversations.store import ConversationStore, aware, hash_token, utcnow
from api.storage.tables import AgentRow, AgentTokenRow, ApiKeyRow


class Scope(StrEnum):
    ASSIST = "assist"  # agent-assist payloads, conversations on a customer's behalf
    INGEST = "ingest"  # journey events, customers, orders, tickets
    DESK = "desk"  # claim, write, hand back, close on behalf of a named agent (CCaaS)
    MARKETING = "marketing"  # marketing tools: POST /v1/suppression:check only
    ADMIN = "admin"  # everything, incl. creating keys


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Principal:
    kind: str  # api_key / agent / customer
    id: str  # key id, agent id, or conversation id for a customer
    scopes: frozenset[str] = frozenset()
    role: Role | None = None  # agents only

    @property
    def actor(self) -> str:
        return f"{self.kind}:{self.id}"

    def has_scope(self, scope: Scope) -> bool:
        if self.kind == "agent":
            return self.role is Role.ADMIN
        return self.kind == "api_key" and (scope.value in self.scopes or "admin" in self.scopes)

    @property
    def is_supervisor(self) -> bool:
        """May act on conversations other agents own."""
        if self.kind == "agent":
            return self.role in (Role.SUPERVISOR, Role.ADMIN)
        return self.has_scope(Scope.ADMIN)


log = logging.getLogger("api.security")
PRESENCE_BEAT_S = 20.0  # an agent's last_seen_at is written at most this often


# an API key by its hash, built once (a statement built per request cost more than its read)
_KEYS = ApiKeyRow.__table__
_API_KEY_BY_HASH = select(_KEYS.c.id, _KEYS.c.revoked, _KEYS.c.scopes).where(
    _KEYS.c.key_hash == bindparam("key_hash")
)


def _seen(s: Session, agent: AgentRow) -> None:
    """Record that the agent's panel is alive (routing's presence, api/conversations/
    roster.py): one small UPDATE when the last record is older than PRESENCE_BEAT_S, so a
    panel polling every few seconds costs a write every 20 s, not one per request. A write
    that fails (a busy or read-only database) is logged and the request goes on: presence
    is bookkeeping, never a reason to refuse an agent."""
    now = utcnow()
    seen = agent.last_seen_at
    if seen is not None and (now - seen).total_seconds() < PRESENCE_BEAT_S:
        return
    try:
        s.execute(update(AgentRow).where(AgentRow.id == agent.id).values(last_seen_at=now))
        s.commit()
    except SQLAlchemyError as exc:
        s.rollback()
        log.warning("agent %s: last_seen_at not recorded (%s)", agent.id, type(exc).__name__)


@dataclass(frozen=True, slots=True)
class Acting:
    """Who does a desk action: the agent it is recorded for (None: no agent), whom the
    conversation must be owned by (`acting_owner`), and the audit trail's actor."""

    agent_id: str | None
    owner: str | None
    actor: str


AGENT_ID = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


def acting(principal: Principal, on_behalf_of: str | None = None) -> Acting:
    """An agent acts as themself; an API key with scope `desk` acts for the agent named
    in `X-Acting-Agent` (contact-center platforms own their agents: no local password),
    recorded as `agent:<id> via api_key:<key>`."""
    if on_behalf_of is None:
        agent = principal.id if principal.kind == "agent" else None
        return Acting(agent, acting_owner(principal), principal.actor)
    if principal.kind != "api_key" or not principal.has_scope(Scope.DESK):
        raise Forbidden("X-Acting-Agent needs an API key with scope 'desk'")
    if not AGENT_ID.match(on_behalf_of):
        raise Forbidden("X-Acting-Agent must be an agent id: 1-64 letters, digits, _ . @ -")
    return Acting(on_behalf_of, on_behalf_of, f"agent:{on_behalf_of} via {principal.actor}"[:96])


def acting_owner(principal: Principal) -> str | None:
    """Whom `principal` must own a person-owned conversation as, to move or write in it:
    None when it may act on any (a supervisor, an admin, the conversation's customer)."""
    if principal.is_supervisor or principal.kind == "customer":
        return None
    if principal.kind == "agent":
        return principal.id
    return principal.actor  # an API key owns no conversation


_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo != "scrypt":
            return False
        got = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(digest) // 2,
        )
    except (ValueError, UnicodeEncodeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    agent_id: str
    expires_in_s: int
    role: Role


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """Consecutive failed log-ins before a lock, the first lock (doubling with each
    further failure, up to `max_lock_s`), and the count past which the account stays
    locked until an admin unlocks it."""

    max_failures: int = 5
    lock_s: float = 30.0
    max_lock_s: float = 900.0
    hard_lock_failures: int = 20

    def lock_for(self, failures: int) -> float | None:
        """Seconds of lock after `failures` consecutive failures; inf: until unlocked."""
        if failures < self.max_failures:
            return None
        if failures >= self.hard_lock_failures:
            return float("inf")
        return min(self.max_lock_s, self.lock_s * 2 ** (failures - self.max_failures))


_FOREVER = datetime(9999, 1, 1)


@dataclass(frozen=True, slots=True)
class AgentInfo:
    id: str
    display_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    failed_logins: int


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    id: str
    name: str
    scopes: list[str]
    revoked: bool
    created_at: datetime


class AuthService:
    def __init__(
        self,
        engine: Engine,
        conversations: ConversationStore,
        token_ttl_s: int = 8 * 3600,
        *,
        customer_token_ttl_after_close_s: int = 900,
        login_policy: LoginPolicy | None = None,
        hash_workers: int = 2,
        max_pending_logins: int = 16,
    ) -> None:
        if token_ttl_s <= 0:
            raise ValueError("token_ttl_s must be positive")
        if hash_workers < 1 or max_pending_logins < 1:
            raise ValueError("hash_workers and max_pending_logins must be >= 1")
        self.engine = engine
        self.conversations = conversations
        self.token_ttl_s = token_ttl_s
        self.customer_ttl = timedelta(seconds=customer_token_ttl_after_close_s)
        self.login_policy = login_policy or LoginPolicy()
        # scrypt on its own pool: never the default executor the routes' database work uses
        self._hash_pool = ThreadPoolExecutor(hash_workers, thread_name_prefix="password-hash")
        self._pending = threading.BoundedSemaphore(max_pending_logins)
        self._unknown_failures: dict[str, tuple[int, datetime]] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self._hash_pool.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------------ API keys

    def create_api_key(
        self, name: str, scopes: Iterable[Scope | str], key: str | None = None
    ) -> str:
        """A new key (returned once; stored hashed). `key` fixes its value (demo seed)."""
        scope_list = sorted({Scope(s).value for s in scopes})
        if not scope_list:
            raise ValueError("an API key needs at least one scope")
        key = key or "ak_" + secrets.token_urlsafe(32)
        with Session(self.engine) as s, s.begin():
            if s.scalars(select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_token(key))).first():
                return key  # already seeded
            s.add(
                ApiKeyRow(
                    id="key_" + uuid.uuid4().hex[:12],
                    name=name,
                    key_hash=hash_token(key),
                    scopes=scope_list,
                    revoked=False,
                    created_at=utcnow(),
                )
            )
        return key

    def key_id(self, key: str) -> str | None:
        with Session(self.engine) as s:
            row = s.scalars(select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_token(key))).first()
            return row.id if row is not None else None

    def api_keys(self) -> list[ApiKeyInfo]:
        with Session(self.engine) as s:
            rows = s.scalars(select(ApiKeyRow).order_by(ApiKeyRow.created_at, ApiKeyRow.id))
            return [
                ApiKeyInfo(
                    r.id, r.name, list(r.scopes), r.revoked, aware(r.created_at) or r.created_at
                )
                for r in rows
            ]

    def revoke_api_key(self, key_id: str) -> bool:
        """True if the key existed (revoking twice is fine)."""
        with Session(self.engine) as s, s.begin():
            row = s.get(ApiKeyRow, key_id)
            if row is None:
                return False
            row.revoked = True
            return True

    def bootstrap_admin_key(self) -> str | None:
        """The first admin key of a fresh install, or None when an admin key exists."""
        if any(k for k in self.api_keys() if "admin" in k.scopes and not k.revoked):
            return None
        return self.create_api_key("bootstrap admin key", [Scope.ADMIN])

    # ------------------------------------------------------------------ agents

    def create_agent(
        self,
        agent_id: str,
        password: str,
        display_name: str = "",
        role: Role | str = Role.AGENT,
        *,
        replace_password: bool = True,
    ) -> None:
        if len(password) < 8:
            raise ValueError("an agent password needs at least 8 characters")
        role = Role(role)
        with Session(self.engine) as s, s.begin():
            row = s.get(AgentRow, agent_id)
            if row is None:
                s.add(
                    AgentRow(
                        id=agent_id,
                        display_name=display_name or agent_id,
                        password_hash=hash_password(password),
                        active=True,
                        created_at=utcnow(),
                        role=role.value,
                        failed_logins=0,
                    )
                )
            elif replace_password:
                row.password_hash = hash_password(password)

    def agents(self) -> list[AgentInfo]:
        with Session(self.engine) as s:
            return [
                AgentInfo(
                    r.id,
                    r.display_name,
                    Role(r.role),
                    r.active,
                    aware(r.locked_until),
                    r.failed_logins,
                )
                for r in s.scalars(select(AgentRow).order_by(AgentRow.id))
            ]

    def display_name(self, agent_id: str | None) -> str | None:
        if agent_id is None:
            return None
        with Session(self.engine) as s:
            row = s.get(AgentRow, agent_id)
            return row.display_name if row is not None else None

    def _agent_row(self, s: Session, agent_id: str) -> AgentRow:
        row = s.get(AgentRow, agent_id)
        if row is None:
            raise LookupError(f"no agent {agent_id!r}")
        return row

    def set_active(self, agent_id: str, active: bool) -> None:
        """Deactivating also ends every session of the agent (their tokens are deleted)."""
        with Session(self.engine) as s, s.begin():
            self._agent_row(s, agent_id).active = active
            if not active:
                s.execute(delete(AgentTokenRow).where(AgentTokenRow.agent_id == agent_id))

    def reset_password(self, agent_id: str, password: str) -> None:
        if len(password) < 8:
            raise ValueError("an agent password needs at least 8 characters")
        with Session(self.engine) as s, s.begin():
            row = self._agent_row(s, agent_id)
            row.password_hash = hash_password(password)
            row.failed_logins, row.locked_until = 0, None
            s.execute(delete(AgentTokenRow).where(AgentTokenRow.agent_id == agent_id))

    def unlock(self, agent_id: str) -> None:
        with Session(self.engine) as s, s.begin():
            row = self._agent_row(s, agent_id)
            row.failed_logins, row.locked_until = 0, None
        with self._lock:
            self._unknown_failures.pop(agent_id, None)

    def set_role(self, agent_id: str, role: Role | str) -> None:
        with Session(self.engine) as s, s.begin():
            self._agent_row(s, agent_id).role = Role(role).value

    # ------------------------------------------------------------------ log-in

    async def login_async(self, agent_id: str, password: str) -> IssuedToken:
        """`login` on the password-hash pool; more than `max_pending_logins` at once are
        refused at once (429), without hashing."""
        if not self._pending.acquire(blocking=False):
            raise Throttled("too many log-ins in progress; try again in a few seconds", 2)
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._hash_pool, self.login, agent_id, password)
        finally:
            self._pending.release()

    def login(self, agent_id: str, password: str) -> IssuedToken:
        now = utcnow()
        with Session(self.engine) as s:
            row = s.get(AgentRow, agent_id)
            stored = row.password_hash if row is not None else _DUMMY
            locked = row.locked_until if row is not None else self._unknown_lock(agent_id, now)
        if locked is not None and locked > now:
            self._refuse_locked(locked, now)
        # verify against a dummy hash when unknown, so timing does not reveal accounts
        ok = verify_password(password, stored)
        if row is None or not ok or not row.active:
            self._record_failure(agent_id, row is not None, now)
            raise NotAuthenticated("unknown agent or wrong password")
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(AgentRow)
                .where(AgentRow.id == agent_id)
                .values(failed_logins=0, locked_until=None, last_seen_at=now)
            )
            s.execute(delete(AgentTokenRow).where(AgentTokenRow.expires_at < now))
            token = "at_" + secrets.token_urlsafe(32)
            s.add(
                AgentTokenRow(
                    token_hash=hash_token(token),
                    agent_id=agent_id,
                    expires_at=now + timedelta(seconds=self.token_ttl_s),
                )
            )
        return IssuedToken(token, agent_id, self.token_ttl_s, Role(row.role))

    @staticmethod
    def _refuse_locked(until: datetime, now: datetime) -> None:
        if until >= _FOREVER:
            raise Throttled(
                "this account is locked after repeated failed log-ins: an admin must unlock "
                "it (python -m api admin agents unlock ID, or POST /v1/agents/ID/unlock)",
                3600,
            )
        wait = max(1, int((until - now).total_seconds() + 0.999))
        raise Throttled(
            f"too many failed log-ins for this account: try again in {wait} s, or ask an "
            "admin to unlock it",
            wait,
        )

    def _lock_until(self, failures: int, now: datetime) -> datetime | None:
        seconds = self.login_policy.lock_for(failures)
        if seconds is None:
            return None
        return _FOREVER if seconds == float("inf") else now + timedelta(seconds=seconds)

    def _record_failure(self, agent_id: str, known: bool, now: datetime) -> None:
        if known:
            with Session(self.engine) as s, s.begin():
                failures = s.execute(
                    update(AgentRow)
                    .where(AgentRow.id == agent_id)
                    .values(failed_logins=AgentRow.failed_logins + 1)
                    .returning(AgentRow.failed_logins)
                ).scalar_one()
                until = self._lock_until(failures, now)
                if until is not None:
                    s.execute(
                        update(AgentRow).where(AgentRow.id == agent_id).values(locked_until=until)
                    )
            return
        # unknown names are throttled alike (in memory), so a lock does not reveal accounts
        with self._lock:
            if len(self._unknown_failures) > 10_000:  # bounded: drop the oldest half
                oldest = sorted(self._unknown_failures.items(), key=lambda kv: kv[1][1])
                for name, _ in oldest[:5_000]:
                    del self._unknown_failures[name]
            failures = self._unknown_failures.get(agent_id, (0, now))[0] + 1
            self._unknown_failures[agent_id] = (failures, now)

    def _unknown_lock(self, agent_id: str, now: datetime) -> datetime | None:
        with self._lock:
            failures, last = self._unknown_failures.get(agent_id, (0, now))
        until = self._lock_until(failures, last)
        return min(until, last + timedelta(seconds=self.login_policy.max_lock_s)) if until else None

    def logout(self, token: str) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(delete(AgentTokenRow).where(AgentTokenRow.token_hash == hash_token(token)))

    # ------------------------------------------------------------------ any token

    def authenticate(self, token: str | None) -> Principal:
        if not token:
            raise NotAuthenticated(
                "credentials required: send 'Authorization: Bearer <token>' (an API key, "
                "an agent token from POST /v1/auth/login, or a conversation token)"
            )
        h = hash_token(token)
        if not token.startswith(("at_", "ct_")):  # an API key: the hot path, one Core read
            with self.engine.connect() as conn:
                key = conn.execute(_API_KEY_BY_HASH, {"key_hash": h}).first()
            if key is not None and not key.revoked:
                return Principal("api_key", key.id, frozenset(key.scopes))
            raise NotAuthenticated("unknown, revoked or expired credentials")
        with Session(self.engine) as s:
            if token.startswith("at_"):
                t = s.get(AgentTokenRow, h)
                if t is not None:
                    if t.expires_at <= utcnow():
                        raise NotAuthenticated("the agent token has expired: log in again")
                    agent = s.get(AgentRow, t.agent_id)
                    if agent is None or not agent.active:
                        raise NotAuthenticated("this agent account is deactivated")
                    _seen(s, agent)
                    return Principal("agent", t.agent_id, role=Role(agent.role))
            elif token.startswith("ct_"):
                conv = self.conversations.by_token(token)
                if conv is not None:
                    closed = conv.closed_at
                    if (
                        closed is not None
                        and (aware(utcnow()) or closed) > closed + self.customer_ttl
                    ):
                        raise NotAuthenticated(
                            "this conversation is closed and its token has expired: start a "
                            "new conversation"
                        )
                    return Principal("customer", conv.id)
        raise NotAuthenticated("unknown, revoked or expired credentials")

    # ------------------------------------------------------------------ production checks

    def demo_credentials(self, agents: Iterable[tuple[str, str]], keys: Iterable[str]) -> list[str]:
        """The demo credentials still valid in this database (production refuses to start
        while any is): the demo keys (not revoked) and the demo accounts (agent,
        supervisor) with their demo passwords (active)."""
        found = []
        with Session(self.engine) as s:
            for key in dict.fromkeys(keys):
                row = s.scalars(
                    select(ApiKeyRow).where(ApiKeyRow.key_hash == hash_token(key))
                ).first()
                if row is not None and not row.revoked:
                    found.append(f"API key {row.id} ({row.name}) has the demo value")
            for agent, agent_password in agents:
                a = s.get(AgentRow, agent)
                if a is not None and a.active and verify_password(agent_password, a.password_hash):
                    found.append(f"agent {agent!r} still has the demo password")
        return found


_DUMMY = hash_password(secrets.token_hex(8))


def require(
    principal: Principal,
    *,
    agent: bool = False,
    scopes: Iterable[Scope] = (),
    conversation_id: str | None = None,
    supervisor: bool = False,
) -> None:
    """Allow if the principal is an agent (when `agent`), a supervisor (when
    `supervisor`), holds one of `scopes`, or is the customer of `conversation_id`; else
    `Forbidden` saying what is needed."""
    scopes = list(scopes)
    if agent and principal.kind == "agent":
        return
    if supervisor and principal.is_supervisor:
        return
    if any(principal.has_scope(sc) for sc in scopes):
        return
    if conversation_id is not None and principal.kind == "customer":
        if principal.id == conversation_id:
            return
        raise Forbidden("this conversation token does not open that conversation")
    needs = [f"an API key with scope {sc.value!r}" for sc in scopes]
    if agent:
        needs.append("an agent token")
    if supervisor:
        needs.append("a supervisor's token")
    if conversation_id is not None:
        needs.append("this conversation's token")
    raise Forbidden(f"{principal.kind} credentials cannot do this; it needs " + " or ".join(needs))
