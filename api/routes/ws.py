"""Live updates over WebSocket. The token goes in the `token` query parameter (browsers
cannot set headers on a WebSocket). Agent panel: `/v1/ws/agent` (the queue) and
`/v1/ws/agent?conversation_id=...` (queue + one conversation); customer:
`/v1/ws/conversations/{id}` with the conversation token."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from api.conversations.errors import ConversationError
from api.notify import QUEUE, conversation_topic
from api.security import Principal, Scope, require

router = APIRouter(prefix="/v1/ws", tags=["live"])


async def _auth(ws: WebSocket, token: str | None) -> Principal | None:
    try:
        return await asyncio.to_thread(ws.app.state.services.auth.authenticate, token)
    except ConversationError:
        await ws.close(code=4401, reason="not authenticated")
        return None


async def _pump(ws: WebSocket, topics: list[str]) -> None:
    hub = ws.app.state.services.hub
    queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    subs = [(t, hub.subscribe(t)) for t in topics]

    async def forward(q: asyncio.Queue[dict[str, Any]]) -> None:
        while True:
            await queue.put(await q.get())

    tasks = [asyncio.create_task(forward(q)) for _, q in subs]
    try:
        await ws.send_json({"type": "subscribed", "topics": topics})
        receiver = asyncio.create_task(ws.receive_text())  # detects the client leaving
        while True:
            getter = asyncio.create_task(queue.get())
            done, _ = await asyncio.wait({getter, receiver}, return_when=asyncio.FIRST_COMPLETED)
            if receiver in done:
                getter.cancel()
                receiver.result()  # raises WebSocketDisconnect when the client left
                receiver = asyncio.create_task(ws.receive_text())  # pings are ignored
                continue
            await ws.send_json(getter.result())
    except WebSocketDisconnect:
        pass
    finally:
        for t in tasks:
            t.cancel()
        for topic, q in subs:
            hub.unsubscribe(topic, q)
        with contextlib.suppress(Exception):
            receiver.cancel()


@router.websocket("/agent")
async def agent_stream(
    ws: WebSocket, token: str | None = None, conversation_id: str | None = None
) -> None:
    await ws.accept()
    who = await _auth(ws, token)
    if who is None:
        return
    try:
        require(who, agent=True, scopes=[Scope.ASSIST])
    except ConversationError as exc:
        await ws.close(code=4403, reason=exc.message[:120])
        return
    topics = [QUEUE] + ([conversation_topic(conversation_id)] if conversation_id else [])
    await _pump(ws, topics)


@router.websocket("/conversations/{conversation_id}")
async def customer_stream(ws: WebSocket, conversation_id: str, token: str | None = None) -> None:
    await ws.accept()
    who = await _auth(ws, token)
    if who is None:
        return
    try:
        require(who, agent=True, scopes=[Scope.ASSIST], conversation_id=conversation_id)
    except ConversationError as exc:
        await ws.close(code=4403, reason=exc.message[:120])
        return
    await _pump(ws, [conversation_topic(conversation_id)])
