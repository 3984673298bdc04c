"""Chatwoot agent-bot adapter (docs/api.md#chatwoot).

Chatwoot, the open-source desk, posts every event of an inbox connected to an agent bot
to the bot's outgoing URL: here `POST /v1/integrations/chatwoot/webhook`
(`api/routes/chatwoot.py`). For a contact's `message_created` the adapter
1. checks Chatwoot's signature (HMAC-SHA256 of `<X-Chatwoot-Timestamp>.<raw body>` with
   the agent bot's secret) and that the event comes from the configured account / inbox;
2. maps the Chatwoot conversation to a product conversation (`chatwoot_conversations`),
   started for the product customer the contact matches, or anonymous;
3. runs the turn through the product (`CustomerTurns.handle`, idempotent on
   `chatwoot:<message id>`: a redelivered event is stored and answered once);
4. once Chatwoot has its answer, calls Chatwoot's API as the bot: the bot's stored
   (PII-redacted) replies as outgoing messages while the bot owns the conversation; on
   hand-off one private note (the hand-off packet and the assist summary) and the
   conversation toggled to `open`. While it is open a person owns it: later messages are
   still recorded, and nothing is sent to the customer.

The Chatwoot documentation this follows:
- event payloads: https://www.chatwoot.com/docs/product/others/webhook-events
  (source: github.com/chatwoot/docs, docs/product/others/webhook-events.md);
- agent bots (new conversations start `pending`; the bot hands off by toggling the
  status to `open`): https://www.chatwoot.com/docs/product/others/agent-bots;
- signatures (agent bots sign with their own `secret` since v4.13, chatwoot/chatwoot
  #13892): https://developers.chatwoot.com/api-reference/webhook-verification;
- API calls (header `api_access_token`: the agent bot's access token):
  https://developers.chatwoot.com/api-reference/messages/create-new-message and
  https://developers.chatwoot.com/api-reference/conversations/toggle-status.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import httpx
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.assist_payload import handoff_state, issue_text
from api.config import Settings
from api.contract import AssistPayload, CustomerContext, HandoffPacket, stored_packet
from api.conversations.errors import ConversationClosed
from api.conversations.state import State
from api.conversations.store import Turn, utcnow
from api.conversations.turns import TurnOutcome
from api.conversations.wording import language_of
from api.errors import DomainError, InvalidInput
from api.services import Services
from api.storage.tables import ChatwootConversationRow
from api.validation import check_text
from retrieval.errors import CustomerNotFound

log = logging.getLogger("api.chatwoot")

MAX_AGE_S = 300  # a signed event older than this is refused (replays)
MAX_FUTURE_S = 30  # clock skew allowed the other way
PERSON_IN_CHATWOOT = "a person took the conversation over in Chatwoot"
_MESSAGE_TYPES = {0: "incoming", 1: "outgoing", 2: "activity", 3: "template"}
_TIMESTAMP = re.compile(r"[0-9]{1,20}")
_SIGNATURE = re.compile(r"sha256=[0-9a-f]{64}")


# ---------------------------------------------------------------- errors (api/errors.py)


class ChatwootNotConfigured(DomainError):
    status_code = 404
    code = "not_found"


class ChatwootNotAuthenticated(DomainError):
    status_code = 401
    code = "not_authenticated"


class ChatwootForbidden(DomainError):
    status_code = 403
    code = "forbidden"


class ChatwootBadBody(DomainError):
    status_code = 400
    code = "invalid_json"


# ---------------------------------------------------------------- configuration


@dataclass(frozen=True, slots=True)
class ChatwootConfig:
    url: str
    bot_token: str
    webhook_secret: str
    account_id: int
    inbox_ids: frozenset[int]  # empty: every inbox of the account
    trust_contacts: bool

    @classmethod
    def from_settings(cls, s: Settings) -> ChatwootConfig | None:
        """The configuration, or None while any of its four required settings is unset."""
        if not (s.chatwoot_url and s.chatwoot_bot_token and s.chatwoot_webhook_secret):
            return None
        if s.chatwoot_account_id is None:
            return None
        return cls(
            s.chatwoot_url.rstrip("/"),
            s.chatwoot_bot_token,
            s.chatwoot_webhook_secret,
            s.chatwoot_account_id,
            frozenset(s.chatwoot_inbox_ids),
            s.chatwoot_trust_contacts,
        )

    def check_origin(self, event: MessageCreated) -> None:
        if event.account.id != self.account_id:
            raise ChatwootForbidden(f"Chatwoot account {event.account.id} is not served here")
        inbox = event.inbox.id if event.inbox else event.conversation.inbox_id
        if self.inbox_ids and inbox not in self.inbox_ids:
            raise ChatwootForbidden(f"Chatwoot inbox {inbox} is not served here")


def verify_signature(
    raw: bytes, timestamp: str | None, signature: str | None, secret: str, now: float | None = None
) -> None:
    """Chatwoot's `X-Chatwoot-Signature: sha256=<hex>` over `<timestamp>.<raw body>` with
    the agent bot's secret, the timestamp within MAX_AGE_S (the documented scheme)."""
    if not timestamp or not signature:
        raise ChatwootNotAuthenticated(
            "unsigned event: X-Chatwoot-Signature and X-Chatwoot-Timestamp are required "
            "(Chatwoot 4.13 or later signs agent-bot events with the bot's secret)"
        )
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        raise ChatwootNotAuthenticated("malformed X-Chatwoot-Signature or X-Chatwoot-Timestamp")
    age = (time.time() if now is None else now) - int(timestamp)
    if not -MAX_FUTURE_S <= age <= MAX_AGE_S:
        raise ChatwootNotAuthenticated("X-Chatwoot-Timestamp is too old or in the future")
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + raw, hashlib.sha256)
    if not hmac.compare_digest("sha256=" + digest.hexdigest(), signature):
        raise ChatwootNotAuthenticated("the signature does not match: check the bot's secret")


# ---------------------------------------------------------------- the event (wire format)


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ChatwootRef(_In):  # an account or an inbox
    id: int
    name: str | None = None


class ChatwootSender(_In):
    id: int | None = None
    name: str | None = None
    email: str | None = None  # in the contact's push data (conversation.meta.sender)
    identifier: str | None = None  # the site's own id for the contact
    phone_number: str | None = None
    type: str | None = None  # contact / user (an agent) / agent_bot


class ChatwootContactInbox(_In):
    hmac_verified: bool | None = None  # the contact's identity was validated by Chatwoot


class ChatwootMeta(_In):
    sender: ChatwootSender | None = None
    hmac_verified: bool | None = None


class ChatwootConversation(_In):
    id: int = Field(description="the display id: what the API's {conversation_id} takes")
    status: str | None = None  # pending (the bot's) / open / resolved / snoozed
    inbox_id: int | None = None
    contact_inbox: ChatwootContactInbox | None = None
    meta: ChatwootMeta | None = None


class MessageCreated(_In):
    event: Literal["message_created"]
    id: int  # the message id (the idempotency key)
    content: str | None = None
    message_type: str | int  # incoming / outgoing / activity / template, or 0-3
    private: bool = False  # a private note
    sender: ChatwootSender | None = None
    inbox: ChatwootRef | None = None
    conversation: ChatwootConversation
    account: ChatwootRef


class ChatwootAck(BaseModel):
    """The answer to Chatwoot (it reads only the status code)."""

    status: Literal["processed", "ignored"]
    reason: str | None = Field(default=None, description="why an event was ignored")
    conversation_id: str | None = Field(default=None, description="the product conversation")
    state: str | None = Field(default=None, description="who owns it in the product now")
    replayed: bool = Field(default=False, description="a redelivery: nothing was done again")


def parse_event(raw: bytes) -> MessageCreated | str:
    """The `message_created` event, or why another event is ignored. 400 / 422 when the
    body is not a JSON object or not the documented shape."""
    try:
        data = json.loads(raw)
    except ValueError:
        raise ChatwootBadBody("the body is not JSON in UTF-8") from None
    if not isinstance(data, dict) or not isinstance(data.get("event"), str):
        raise InvalidInput("not a Chatwoot event: a JSON object with an `event` name expected")
    if data["event"] != "message_created":
        return f"event {data['event'][:64]!r} is not read"
    try:
        return MessageCreated.model_validate(data)
    except PydanticError as exc:
        details = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:10]]
        raise InvalidInput(
            "not a Chatwoot message_created event: " + "; ".join(details), details=details
        ) from None


def message_kind(value: str | int) -> str:
    """incoming / outgoing / activity / template (some versions send 0-3)."""
    if isinstance(value, str) and not value.isdigit():
        return value
    return _MESSAGE_TYPES.get(int(value), str(value))


def ignore_reason(event: MessageCreated) -> str | None:
    """None for a customer's message the bot must read; else why it is skipped (our own
    replies come back as outgoing messages: never answer them)."""
    kind = message_kind(event.message_type)
    if kind != "incoming":
        return f"a {kind} message, not the contact's"
    if event.private:
        return "a private note"
    if event.sender is not None and event.sender.type not in (None, "contact"):
        return f"sent by a {event.sender.type}, not the contact"
    if not (event.content or "").strip():
        return "no text (attachments are not read)"
    return None


# ---------------------------------------------------------------- Chatwoot's API


@dataclass(frozen=True, slots=True)
class PostMessage:
    content: str
    private: bool = False  # a private note: agents only


@dataclass(frozen=True, slots=True)
class ToggleStatus:
    status: str = "open"


ChatwootAction = PostMessage | ToggleStatus


class ChatwootApi(Protocol):
    """The seam to Chatwoot's application API (tests pass a fake server)."""

    async def send(
        self, account_id: int, conversation_id: int, actions: Sequence[ChatwootAction]
    ) -> list[bool]:
        """Perform the actions in order; True for each one Chatwoot accepted."""
        ...


class HttpChatwootApi:
    """Calls as the agent bot (`api_access_token`). Connection failures are retried (by the
    transport, then here: nothing was sent); 429 / 503 answers with back-off (nothing done);
    timeouts and other 5xx only for the idempotent status toggle (a message could be
    posted twice). Bounded by `attempts`; failures are logged without the text."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout_s: float = 10.0,
        attempts: int = 3,
        backoff_s: float = 0.5,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.transport = transport
        self.timeout_s = timeout_s
        self.attempts = max(1, attempts)
        self.backoff_s = backoff_s

    async def send(
        self, account_id: int, conversation_id: int, actions: Sequence[ChatwootAction]
    ) -> list[bool]:
        base = f"/api/v1/accounts/{account_id}/conversations/{conversation_id}"
        async with httpx.AsyncClient(
            base_url=self.base_url,
            headers={"api_access_token": self.token},
            timeout=self.timeout_s,
            transport=self.transport or httpx.AsyncHTTPTransport(retries=2),
        ) as client:
            done = []
            for action in actions:
                body: dict[str, Any]
                if isinstance(action, PostMessage):
                    path, idempotent = f"{base}/messages", False
                    body = {
                        "content": action.content,
                        "message_type": "outgoing",
                        "private": action.private,
                        "content_type": "text",
                    }
                else:
                    path, idempotent = f"{base}/toggle_status", True
                    body = {"status": action.status}
                done.append(await self._post(client, path, body, idempotent))
            return done

    async def _post(
        self, client: httpx.AsyncClient, path: str, body: dict[str, Any], idempotent: bool
    ) -> bool:
        what = path.rsplit("/", 1)[-1]
        for attempt in range(1, self.attempts + 1):
            wait = self.backoff_s * 2 ** (attempt - 1)
            try:
                r = await client.post(path, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                problem, retry = type(exc).__name__, True
            except httpx.HTTPError as exc:  # sent, answer unknown
                problem, retry = type(exc).__name__, idempotent
            else:
                if r.is_success:
                    return True
                problem = f"HTTP {r.status_code}"
                retry = r.status_code in (429, 503) or (idempotent and r.status_code >= 500)
                after = r.headers.get("retry-after", "")
                if after.isdigit():
                    wait = min(float(after), 30.0)
            if not retry or attempt == self.attempts:
                log.warning("chatwoot %s %s failed (%s, attempt %d)", what, path, problem, attempt)
                return False
            await asyncio.sleep(wait)
        return False  # pragma: no cover - the loop returns


# ---------------------------------------------------------------- the mapping table


@dataclass(frozen=True, slots=True)
class Link:
    id: int
    conversation_id: str
    handed_off: bool


class ChatwootLinks:
    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def get(self, account_id: int, chatwoot_id: int) -> Link | None:
        q = select(ChatwootConversationRow).where(
            ChatwootConversationRow.account_id == account_id,
            ChatwootConversationRow.chatwoot_conversation_id == chatwoot_id,
        )
        with Session(self.engine) as s:
            row = s.scalars(q).first()
            return Link(row.id, row.conversation_id, row.handed_off) if row else None

    def add(
        self, account_id: int, chatwoot_id: int, conversation_id: str, contact: int | None
    ) -> Link:
        """The new link, or the one a concurrent first message created."""
        now = utcnow()
        row = ChatwootConversationRow(
            account_id=account_id,
            chatwoot_conversation_id=chatwoot_id,
            conversation_id=conversation_id,
            contact_id=contact,
            handed_off=False,
            created_at=now,
            updated_at=now,
        )
        try:
            with Session(self.engine) as s, s.begin():
                s.add(row)
                s.flush()
                return Link(row.id, conversation_id, False)
        except IntegrityError:
            existing = self.get(account_id, chatwoot_id)
            if existing is None:  # pragma: no cover - the conflicting row cannot vanish
                raise
            return existing

    def relink(self, link: Link, conversation_id: str) -> Link:
        with Session(self.engine) as s, s.begin():
            s.execute(
                update(ChatwootConversationRow)
                .where(ChatwootConversationRow.id == link.id)
                .values(conversation_id=conversation_id, handed_off=False, updated_at=utcnow())
            )
        return Link(link.id, conversation_id, False)

    def set_handed_off(self, link_id: int, value: bool) -> bool:
        """Flip the flag; False when it already had the value (another request won)."""
        with Session(self.engine) as s, s.begin():
            res = s.execute(
                update(ChatwootConversationRow)
                .where(
                    ChatwootConversationRow.id == link_id,
                    ChatwootConversationRow.handed_off == (not value),
                )
                .values(handed_off=value, updated_at=utcnow())
            )
            return bool(getattr(res, "rowcount", 0))


# ---------------------------------------------------------------- the adapter


@dataclass(frozen=True, slots=True)
class Delivery:
    """What goes to Chatwoot once the webhook is answered."""

    account_id: int
    chatwoot_conversation_id: int
    conversation_id: str  # the product's
    replies: tuple[str, ...] = ()  # outgoing messages, from stored (redacted) turns
    note: bool = False  # the hand-off note (built when sent)
    open: bool = False  # toggle the conversation to open: a person owns it


def reply_text(turn: Turn) -> str:
    """A bot / system turn as Chatwoot text; the bot's buttons become options to type."""
    titles = [str(b.get("title") or "").strip() for b in turn.attributes.get("buttons") or []]
    options = [t for t in titles if t]
    return turn.text + ("\n\n" + "\n".join(f"- {t}" for t in options) if options else "")


class ChatwootAdapter:
    def __init__(self, config: ChatwootConfig, services: Services, max_text_chars: int) -> None:
        self.config = config
        self.services = services
        self.max_text_chars = max_text_chars
        self.links = ChatwootLinks(services.engine)

    async def handle(self, event: MessageCreated) -> tuple[ChatwootAck, Delivery | None]:
        """Store and route the contact's message; what to send to Chatwoot afterwards."""
        skipped = ignore_reason(event)
        if skipped is not None:
            return ChatwootAck(status="ignored", reason=skipped), None
        raw = event.content or ""
        if len(raw) > self.max_text_chars:  # Chatwoot keeps it whole; the product reads the start
            log.info(
                "chatwoot message %s truncated to %d characters", event.id, self.max_text_chars
            )
            raw = raw[: self.max_text_chars]
        text = check_text(raw, self.max_text_chars, "content")
        # a person owns the conversation in Chatwoot unless it is the bot's (pending)
        person = event.conversation.status not in (None, "pending")
        link = await asyncio.to_thread(self._link, event)
        link, outcome = await self._turn(link, text, f"chatwoot:{event.id}", person)
        delivery = await asyncio.to_thread(self._plan, event, link, outcome, person)
        conv = outcome.conversation
        log.info(
            "chatwoot message %s (conversation %s/%s) -> %s, %s%s",
            event.id,
            event.account.id,
            event.conversation.id,
            conv.id,
            conv.state.value,
            " (replayed)" if outcome.replayed else "",
        )
        ack = ChatwootAck(
            status="processed",
            conversation_id=conv.id,
            state=conv.state.value,
            replayed=outcome.replayed,
        )
        return ack, delivery

    def _link(self, event: MessageCreated) -> Link:
        account, chatwoot_id = event.account.id, event.conversation.id
        link = self.links.get(account, chatwoot_id)
        if link is not None:
            return link
        conv, _token = self.services.conversations.create(self._customer(event), "chat")
        contact = event.sender.id if event.sender else None
        return self.links.add(account, chatwoot_id, conv.id, contact)

    def _customer(self, event: MessageCreated) -> str | None:
        """The product customer the contact is, by identifier, else by a unique e-mail;
        only a contact whose identity Chatwoot verified, unless `trust_contacts`."""
        c = event.conversation
        verified = bool(
            (c.meta and c.meta.hmac_verified) or (c.contact_inbox and c.contact_inbox.hmac_verified)
        )
        if not (verified or self.config.trust_contacts):
            return None
        people = [p for p in (event.sender, c.meta.sender if c.meta else None) if p is not None]
        history = self.services.history
        for identifier in {p.identifier.strip() for p in people if p.identifier}:
            try:
                return history.get_customer(identifier).id
            except CustomerNotFound:
                continue
        for email in {p.email.strip().lower() for p in people if p.email}:
            found = history.customer_ids_by_email(email, limit=2)
            if len(found) == 1:
                return found[0]
        return None

    async def _turn(
        self, link: Link, text: str, key: str, person: bool
    ) -> tuple[Link, TurnOutcome]:
        s = self.services
        for attempt in (1, 2):
            conv = await asyncio.to_thread(s.conversations.get, link.conversation_id)
            if conv.state is State.CLOSED:  # closed in the product: the contact starts anew
                new, _token = await asyncio.to_thread(
                    s.conversations.create, conv.customer_id, "chat"
                )
                link = await asyncio.to_thread(self.links.relink, link, new.id)
                conv = new
            if person and conv.state is State.BOT:  # the bot must not answer over a person
                await s.handoff.request(conv.id, PERSON_IN_CHATWOOT, "system")
            try:
                return link, await s.turns.handle(conv.id, text, client_message_id=key)
            except ConversationClosed:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _plan(
        self, event: MessageCreated, link: Link, outcome: TurnOutcome, person: bool
    ) -> Delivery | None:
        if outcome.replayed:  # answered the first time
            return None
        state = outcome.conversation.state
        with_person = state in (State.QUEUED, State.HUMAN) or bool(outcome.handoff_reason)
        replies = (
            ()
            if person
            else tuple(reply_text(t) for t in outcome.replies if t.role in ("bot", "system"))
        )
        note = False
        if with_person:  # one note per hand-off, even with concurrent messages
            note = not link.handed_off and self.links.set_handed_off(link.id, True)
        elif link.handed_off and not person:  # the bot owns it again on both sides
            self.links.set_handed_off(link.id, False)
        opened = with_person and not person  # idempotent: also repairs a failed toggle
        if not (replies or note or opened):
            return None
        return Delivery(
            event.account.id, event.conversation.id, outcome.conversation.id, replies, note, opened
        )

    async def deliver(self, delivery: Delivery, api: ChatwootApi) -> None:
        """Replies, then the note, then the toggle to open (so the conversation reaches
        the agents with its note). Never raises: the turn is stored whatever happens."""
        try:
            actions: list[ChatwootAction] = [PostMessage(t) for t in delivery.replies]
            if delivery.note:
                try:
                    note = await asyncio.to_thread(self.note_for, delivery.conversation_id)
                    actions.append(PostMessage(note, private=True))
                except Exception:
                    log.exception("hand-off note for %s failed", delivery.conversation_id)
            if delivery.open:
                actions.append(ToggleStatus("open"))
            if actions:
                await api.send(delivery.account_id, delivery.chatwoot_conversation_id, actions)
        except Exception:
            log.exception("chatwoot delivery for %s failed", delivery.conversation_id)

    def note_for(self, conversation_id: str) -> str:
        """The private note: the stored hand-off packet and the assist payload of the
        customer's issue, both from stored (redacted) turns."""
        s = self.services
        conv = s.conversations.get(conversation_id)
        turns = s.conversations.turns(conversation_id)
        issue = issue_text([(t.role, t.text, t.intent) for t in turns])
        payload = None
        if issue:
            try:
                payload = s.assist.build(
                    conv.customer_id, issue, None, handoff_state(conv), language=language_of(conv)
                )
            except Exception:  # the note goes out without it
                log.exception("assist payload for the Chatwoot note of %s failed", conv.id)
        return handoff_note(
            stored_packet(conv.packet), payload, conv.handoff_reason, language_of(conv)
        )


def _customer_line(ctx: CustomerContext | None) -> str:
    if ctx is None or ctx.customer_id is None:
        return "anonymous (no product customer matched this contact)"
    if ctx.summary:
        return ctx.summary
    return f"{ctx.name or ctx.customer_id} ({ctx.tier or 'no tier'})"


LANGUAGE_NAMES = {"en": "English", "zh": "Chinese (中文)"}


def handoff_note(
    packet: HandoffPacket | None,
    payload: AssistPayload | None,
    reason: str | None = None,
    language: str | None = None,
) -> str:
    """Markdown for agents: reason, the customer's language (the conversation's, else the
    payload's), what the bot did, the customer, the journey stage (its name for people)
    with its top evidence, the suggested first reply, the next best action and marketing."""
    lines = ["**Handed over by the agent-assist bot**"]
    lines.append(f"- **Reason:** {(packet.reason if packet else '') or reason or 'not recorded'}")
    lang = language or (payload.language if payload else None)
    if lang:
        name = LANGUAGE_NAMES.get(lang, lang)
        lines.append(f"- **Customer's language:** {name}: reply in {name.split(' ')[0]}")
    if packet and packet.bot_summary:
        lines.append(f"- **What the bot did:** {packet.bot_summary}")
    ctx = (packet.customer_context if packet else None) or (
        payload.customer_context if payload else None
    )
    lines.append(f"- **Customer:** {_customer_line(ctx)}")
    stage = (packet.journey_stage if packet else None) or (
        payload.journey_stage if payload else None
    )
    if stage is not None:
        evidence = "; ".join(e.text or f"{e.kind} {e.name}" for e in stage.evidence[:3])
        lines.append(
            f"- **Journey stage:** {stage.label or stage.stage} ({stage.confidence:.0%})"
            + (f", because: {evidence}" if evidence else "")
        )
    reply = (packet.suggested_first_reply if packet else None) or (
        payload.suggestions[0].text if payload and payload.suggestions else None
    )
    lines.append(f"- **Suggested first reply:** {reply or 'none'}")
    nba = payload.next_best_action if payload else None
    if nba is not None:
        lines.append(f"- **Next best action:** {nba.action}")
        marketing = "allowed" if nba.marketing_allowed else "not allowed"
        if nba.marketing_reasons:
            marketing += f" ({'; '.join(nba.marketing_reasons)})"
        lines.append(f"- **Marketing:** {marketing}")
    warnings = dict.fromkeys(
        [*(packet.warnings if packet else []), *(payload.warnings if payload else [])]
    )
    if warnings:
        lines.append(f"- **Missing:** {'; '.join(warnings)}")
    return "\n".join(lines)
