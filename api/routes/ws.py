"""Live updates over WebSocket.

Authentication never travels in the URL (URLs land in access logs): the client's first
message is `{"type": "auth", "token": "<token>"}`; the server answers `subscribed` or
closes with 4401 (not authenticated) / 4403 (not allowed). A `token` query parameter is
refused (4400). Connects are limited per client address.

Agent panel: `/v1/ws/agent` (the queue) and `/v1/ws/agent?conversation_id=...` (queue +
one conversation's agent events). Customer: `/v1/ws/conversations/{id}` with the
conversation token, subscribed to that conversation's customer topic only (customer
events: `api/hub_events.py`), whoever connects there; agents follow a conversation
through `/v1/ws/agent`.

An open socket closes (4401) when its credential ends: a `Revoked` event (log-out,
revoked key, deactivated agent) reaches every worker's sockets at once, and each socket
re-checks its credential every `ws_reauth_s` (expiry, a closed conversation's token)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import TypeAdapter, ValidationError

from api import metrics
from api.conversations.errors import ConversationError, Throttled
from api.conversations.store import hash_token
from api.hub_events import (
    AGENT_WIRE,
    AUTH,
    CUSTOMER_WIRE,
    QUEUE,
    Revoked,
    conversation_topic,
    customer_topic,
)
from api.security import Principal, Scope, require

log = logging.getLogger("api.ws")

router = APIRouter(prefix="/v1/ws", tags=["live"])

NOT_AUTHENTICATED, FORBIDDEN, BAD_REQUEST, TOO_MANY = 4401, 4403, 4400, 4429


class _Refused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason[:120]


async def _first_message_token(ws: WebSocket) -> str:
    settings = ws.app.state.settings
    if "token" in ws.query_params:
        raise _Refused(
            BAD_REQUEST, "never put a token in the URL: send {type: auth, token} as 1st message"
        )
    try:
        raw = await asyncio.wait_for(ws.receive_text(), settings.ws_auth_timeout_s)
        msg = json.loads(raw)
    except TimeoutError as exc:
        raise _Refused(NOT_AUTHENTICATED, "send {type: auth, token} first") from exc
    except (ValueError, KeyError) as exc:
        raise _Refused(BAD_REQUEST, "the first message must be JSON {type: auth, token}") from exc
    if (
        not isinstance(msg, dict)
        or msg.get("type") != "auth"
        or not isinstance(msg.get("token"), str)
    ):
        raise _Refused(NOT_AUTHENTICATED, "the first message must be {type: auth, token}")
    return msg["token"]


async def _open(ws: WebSocket) -> tuple[Principal, str]:
    """Accept, throttle, read the first message's token and authenticate it."""
    services = ws.app.state.services
    await ws.accept()
    address = ws.client.host if ws.client else "unknown"
    try:
        services.throttle.hit("ws", address, "too many connections from here")
    except Throttled as exc:
        raise _Refused(TOO_MANY, exc.message) from exc
    token = await _first_message_token(ws)
    try:
        return await asyncio.to_thread(services.auth.authenticate, token), token
    except ConversationError as exc:
        raise _Refused(NOT_AUTHENTICATED, exc.message) from exc


async def _reauth(ws: WebSocket, token: str) -> bool:
    try:
        await asyncio.to_thread(ws.app.state.services.auth.authenticate, token)
    except ConversationError:
        return False
    return True


async def _pump(
    ws: WebSocket, who: Principal, token: str, topics: list[str], wire: TypeAdapter[Any]
) -> None:
    hub = ws.app.state.services.hub
    reauth_s = ws.app.state.settings.ws_reauth_s
    token_hash = hash_token(token)
    queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
    subs = [(t, hub.subscribe(t)) for t in [*topics, AUTH]]

    async def forward(topic: str, q: asyncio.Queue[dict[str, Any]]) -> None:
        while True:
            await queue.put((topic, await q.get()))

    tasks = [asyncio.create_task(forward(t, q)) for t, q in subs]
    receiver: asyncio.Task[str] | None = None
    seen: dict[str, None] = {}  # an event on two subscribed topics is sent once
    connections = metrics.WS_CONNECTIONS.labels("agent" if wire is AGENT_WIRE else "customer")
    connections.inc()
    try:
        await ws.send_json({"type": "subscribed", "topics": topics})
        receiver = asyncio.create_task(ws.receive_text())  # detects the client leaving
        while True:
            getter = asyncio.create_task(queue.get())
            done, _ = await asyncio.wait(
                {getter, receiver}, timeout=reauth_s, return_when=asyncio.FIRST_COMPLETED
            )
            if not done:  # a quiet while: is the credential still valid?
                getter.cancel()
                if not await _reauth(ws, token):
                    await ws.close(NOT_AUTHENTICATED, "the credential has expired or was revoked")
                    return
                continue
            if receiver in done:
                getter.cancel()
                receiver.result()  # raises WebSocketDisconnect when the client left
                receiver = asyncio.create_task(ws.receive_text())  # pings are ignored
                continue
            topic, event = getter.result()
            if topic == AUTH:
                revoked = Revoked.model_validate(event)
                if revoked.applies_to(who.actor, token_hash):
                    await ws.close(NOT_AUTHENTICATED, "the credential was revoked")
                    return
                continue
            if event.get("id") in seen:
                continue
            seen[event.get("id", "")] = None
            if len(seen) > 256:
                seen.pop(next(iter(seen)))
            try:  # only what this socket's audience may receive, in its typed shape
                wire.validate_python(event)
            except ValidationError as exc:
                log.error("%s event not sent to this socket: %s", event.get("type"), exc)
                continue
            await ws.send_json(event)
    except WebSocketDisconnect:
        pass
    finally:
        connections.dec()
        for t in tasks:
            t.cancel()
        for topic, q in subs:
            hub.unsubscribe(topic, q)
        if receiver is not None:
            receiver.cancel()


async def _serve(ws: WebSocket, topics_for: Any, wire: TypeAdapter[Any]) -> None:
    try:
        who, token = await _open(ws)
        topics = topics_for(who)
    except _Refused as exc:
        with contextlib.suppress(Exception):
            await ws.close(code=exc.code, reason=exc.reason)
        return
    except ConversationError as exc:  # require() said no
        with contextlib.suppress(Exception):
            await ws.close(code=FORBIDDEN, reason=exc.message[:120])
        return
    except WebSocketDisconnect:
        return
    await _pump(ws, who, token, topics, wire)


@router.websocket("/agent")
async def agent_stream(ws: WebSocket, conversation_id: str | None = None) -> None:
    def topics(who: Principal) -> list[str]:
        require(who, agent=True, scopes=[Scope.ASSIST])
        return [QUEUE] + ([conversation_topic(conversation_id)] if conversation_id else [])

    await _serve(ws, topics, AGENT_WIRE)


@router.websocket("/conversations/{conversation_id}")
async def customer_stream(ws: WebSocket, conversation_id: str) -> None:
    """The customer's view of one conversation (customer events only), for its customer
    (or an agent / assist key looking at what the customer sees)."""

    def topics(who: Principal) -> list[str]:
        require(who, agent=True, scopes=[Scope.ASSIST], conversation_id=conversation_id)
        return [customer_topic(conversation_id)]

    await _serve(ws, topics, CUSTOMER_WIRE)
