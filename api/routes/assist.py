"""Agent assist: the payload for a live conversation, and a stateless variant for
contact-center software that keeps its own conversations."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from api.assist_payload import handoff_state, issue_text, last_customer_text
from api.assist_schemas import AssistRequest, HistorySearchRequest, HistorySearchResult
from api.contract import AssistPayload, RelatedEvent
from api.conversations.wording import language_of
from api.deps import PrincipalDep, ServicesDep, SettingsDep
from api.errors import InvalidInput, PayloadTooLarge
from api.security import Scope, require
from api.validation import check_text
from intent.language import conversation_language

router = APIRouter(prefix="/v1", tags=["agent assist"])


@router.get(
    "/conversations/{conversation_id}/assist",
    response_model=AssistPayload,
    summary="the agent-assist payload for a conversation: its latest customer turn that "
    "states the issue (not 'a person please', 'thanks', 'hi', ...)",
)
async def conversation_assist(
    conversation_id: str, services: ServicesDep, who: PrincipalDep
) -> AssistPayload:
    require(who, agent=True, scopes=[Scope.ASSIST])
    conv = await asyncio.to_thread(services.conversations.get, conversation_id)
    turns = await asyncio.to_thread(services.conversations.turns, conversation_id)
    text = issue_text([(t.role, t.text, t.intent) for t in turns])
    if text is None:
        raise InvalidInput("the conversation has no customer message yet")
    handoff = handoff_state(conv)
    return await asyncio.to_thread(
        services.assist.build, conv.customer_id, text, None, handoff, conv.id, language_of(conv)
    )


@router.post(
    "/assist",
    response_model=AssistPayload,
    summary="stateless agent assist: customer id + recent turns",
)
async def stateless_assist(
    body: AssistRequest, services: ServicesDep, settings: SettingsDep, who: PrincipalDep
) -> AssistPayload:
    require(who, agent=True, scopes=[Scope.ASSIST])
    if len(body.turns) > settings.max_recent_turns:
        raise PayloadTooLarge(
            f"{len(body.turns)} turns; the limit is {settings.max_recent_turns}",
            limit=settings.max_recent_turns,
        )
    text = last_customer_text([(t.role, t.text) for t in body.turns])
    if text is None:
        raise InvalidInput("turns holds no customer message: send at least one")
    text = check_text(text, settings.max_text_chars, "the last customer turn")
    language = body.language or conversation_language(
        [t.text for t in body.turns if t.role == "customer"]
    )
    return await asyncio.to_thread(
        services.assist.build, body.customer_id, text, None, None, None, language
    )


@router.post(
    "/customers/{customer_id}/history:search",
    response_model=HistorySearchResult,
    summary="semantic search over the customer's history (events and earlier conversations) "
    "and other customers' resolved cases: what related history holds, for any text (the "
    "bot's actions, CRM side panels). POST keeps the text out of URLs and access logs.",
)
async def history_search(
    customer_id: str,
    body: HistorySearchRequest,
    services: ServicesDep,
    settings: SettingsDep,
    who: PrincipalDep,
) -> HistorySearchResult:
    require(who, agent=True, scopes=[Scope.ASSIST])
    text = check_text(body.text, settings.max_text_chars)
    assistant = services.assist.assistant
    if assistant is None:  # like the assist payload: an answer that says what is missing
        await asyncio.to_thread(services.history.get_customer, customer_id)  # 404
        return HistorySearchResult(
            customer_id=customer_id,
            hits=[],
            warnings=["customer history search is not loaded (AGENT_ASSIST_LOAD_RETRIEVAL)"],
        )
    hits = await asyncio.to_thread(assistant.search, customer_id, text, body.k)
    return HistorySearchResult(
        customer_id=customer_id, hits=[RelatedEvent.model_validate(h) for h in hits]
    )
