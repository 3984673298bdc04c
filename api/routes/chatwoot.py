"""Chatwoot's agent-bot webhook: the URL to give the agent bot in Chatwoot. The event is
authenticated by Chatwoot's signature (the bot's secret, in a header: no secret in the
URL) and by the configured account / inbox; the turn is stored and routed before the
answer, and the calls back to Chatwoot run after it (api/integrations/chatwoot.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Request

from api.deps import ServicesDep, SettingsDep
from api.integrations.chatwoot import (
    ChatwootAck,
    ChatwootAdapter,
    ChatwootApi,
    ChatwootConfig,
    ChatwootNotConfigured,
    HttpChatwootApi,
    parse_event,
    verify_signature,
)

router = APIRouter(prefix="/v1/integrations/chatwoot", tags=["integrations"])


def chatwoot_config(settings: SettingsDep) -> ChatwootConfig:
    config = ChatwootConfig.from_settings(settings)
    if config is None:
        raise ChatwootNotConfigured(
            "the Chatwoot integration is not configured on this service (docs/api.md#chatwoot)"
        )
    return config


ChatwootConfigDep = Annotated[ChatwootConfig, Depends(chatwoot_config)]


def chatwoot_api(config: ChatwootConfigDep) -> ChatwootApi:
    """Chatwoot's API as the agent bot (tests override this with a fake server)."""
    return HttpChatwootApi(config.url, config.bot_token)


ChatwootApiDep = Annotated[ChatwootApi, Depends(chatwoot_api)]


@router.post(
    "/webhook",
    response_model=ChatwootAck,
    summary="Chatwoot agent-bot events: a contact's message is stored, routed to the bot or "
    "a person, and answered through Chatwoot's API (404 when Chatwoot is not configured)",
)
async def webhook(
    request: Request,
    background: BackgroundTasks,
    config: ChatwootConfigDep,
    api: ChatwootApiDep,
    services: ServicesDep,
    settings: SettingsDep,
    x_chatwoot_signature: Annotated[
        str | None, Header(description="sha256=<hex HMAC of timestamp.body, bot's secret>")
    ] = None,
    x_chatwoot_timestamp: Annotated[
        str | None, Header(description="Unix seconds; older than 5 minutes is refused")
    ] = None,
) -> ChatwootAck:
    raw = await request.body()
    verify_signature(raw, x_chatwoot_timestamp, x_chatwoot_signature, config.webhook_secret)
    event = parse_event(raw)
    if isinstance(event, str):
        return ChatwootAck(status="ignored", reason=event)
    config.check_origin(event)
    services.throttle.hit(
        "credential", f"chatwoot:{event.account.id}", "too many Chatwoot events for this account"
    )
    adapter = ChatwootAdapter(config, services, settings.max_text_chars)
    ack, delivery = await adapter.handle(event)
    if delivery is not None:  # after the answer: Chatwoot waits 5 s, then hands off itself
        background.add_task(adapter.deliver, delivery, api)
    return ack
