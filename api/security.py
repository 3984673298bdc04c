"""Credentials: API keys with scopes (contact-center software), agent accounts with
scrypt-hashed passwords and expiring bearer tokens, and per-conversation customer tokens.
Only hashes are stored. `AuthService.authenticate(token)` -> `Principal`."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from api.conversations.errors import Forbidden, NotAuthenticated
from api.conversations.store import ConversationStore, aware, hash_token, utcnow
from api.conversations.tables import AgentRow, AgentTokenRow, ApiKeyRow


class Scope(StrEnum):
    ASSIST = "assist"  # agent-assist payloads, conversations on a customer's behalf
    INGEST = "ingest"  # journey events
    ADMIN = "admin"  # everything, incl. creating keys


@dataclass(frozen=True, slots=True)
class Principal:
    kind: str  # api_key / agent / customer
    id: str  # key id, agent id, or conversation id for a customer
    scopes: frozenset[str] = frozenset()

    @property
    def actor(self) -> str:
        return f"{self.kind}:{self.id}"

    def has_scope(self, scope: Scope) -> bool:
        return self.kind == "api_key" and (scope.value in self.scopes or "admin" in self.scopes)


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
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    agent_id: str
    expires_in_s: int


class AuthService:
    def __init__(
        self, engine: Engine, conversations: ConversationStore, token_ttl_s: int = 8 * 3600
    ) -> None:
        if token_ttl_s <= 0:
            raise ValueError("token_ttl_s must be positive")
        self.engine = engine
        self.conversations = conversations
        self.token_ttl_s = token_ttl_s

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

    # ------------------------------------------------------------------ agents

    def create_agent(self, agent_id: str, password: str, display_name: str = "") -> None:
        if len(password) < 8:
            raise ValueError("an agent password needs at least 8 characters")
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
                    )
                )
            else:
                row.password_hash = hash_password(password)

    def login(self, agent_id: str, password: str) -> IssuedToken:
        with Session(self.engine) as s, s.begin():
            row = s.get(AgentRow, agent_id)
            # verify against a dummy hash when unknown, so timing does not reveal accounts
            ok = verify_password(password, row.password_hash if row else _DUMMY)
            if row is None or not ok or not row.active:
                raise NotAuthenticated("unknown agent or wrong password")
            now = utcnow()
            s.execute(delete(AgentTokenRow).where(AgentTokenRow.expires_at < now))
            token = "at_" + secrets.token_urlsafe(32)
            s.add(
                AgentTokenRow(
                    token_hash=hash_token(token),
                    agent_id=agent_id,
                    expires_at=now + timedelta(seconds=self.token_ttl_s),
                )
            )
        return IssuedToken(token, agent_id, self.token_ttl_s)

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
        with Session(self.engine) as s:
            if token.startswith("at_"):
                t = s.get(AgentTokenRow, h)
                if t is not None:
                    if (aware(t.expires_at) or t.expires_at) <= (aware(utcnow()) or utcnow()):
                        raise NotAuthenticated("the agent token has expired: log in again")
                    return Principal("agent", t.agent_id)
            elif token.startswith("ct_"):
                conv = self.conversations.by_token(token)
                if conv is not None:
                    return Principal("customer", conv.id)
            else:
                k = s.scalars(select(ApiKeyRow).where(ApiKeyRow.key_hash == h)).first()
                if k is not None and not k.revoked:
                    return Principal("api_key", k.id, frozenset(k.scopes))
        raise NotAuthenticated("unknown, revoked or expired credentials")


_DUMMY = hash_password(secrets.token_hex(8))


def require(
    principal: Principal,
    *,
    agent: bool = False,
    scopes: Iterable[Scope] = (),
    conversation_id: str | None = None,
) -> None:
    """Allow if the principal is an agent (when `agent`), holds one of `scopes`, or is the
    customer of `conversation_id`; else `Forbidden` saying what is needed."""
    scopes = list(scopes)
    if agent and principal.kind == "agent":
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
    if conversation_id is not None:
        needs.append("this conversation's token")
    raise Forbidden(f"{principal.kind} credentials cannot do this; it needs " + " or ".join(needs))
