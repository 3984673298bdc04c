"""The collaborators the routes use, built once in the lifespan (`app.state.services`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from api.assist_payload import Assistant, AssistBuilder
from api.config import Settings
from api.conversations.bot import BotClient
from api.conversations.policy import HandoffPolicy
from api.conversations.store import ConversationStore
from api.conversations.turns import ProfileFn, TurnRouter
from api.notify import Hub, make_hub
from api.ratelimit import RateLimiter
from api.security import AuthService, Scope
from api.webhooks import WebhookDispatcher
from intent.pipeline import TurnAnalyzer
from retrieval.errors import CustomerNotFound
from retrieval.store import SqlHistoryStore

log = logging.getLogger("api")


@dataclass
class Services:
    history: SqlHistoryStore
    conversations: ConversationStore
    auth: AuthService
    assist: AssistBuilder
    router: TurnRouter
    hub: Hub
    bot: BotClient | None
    webhooks: WebhookDispatcher | None = None
    limiter: RateLimiter | None = None


def customer_profile(history: SqlHistoryStore) -> ProfileFn:
    def profile(customer_id: str | None) -> tuple[str | None, float, int]:
        if not customer_id:
            return None, 0.0, 0
        try:
            tier = history.get_customer(customer_id).tier
        except CustomerNotFound:
            return None, 0.0, 0
        value = sum(
            o.total
            for o in history.orders(customer_id)
            if o.status not in ("cancelled", "refunded")
        )
        return tier, float(value), len(history.tickets(customer_id, open_only=True))

    return profile


def build_services(
    settings: Settings,
    analyzer: TurnAnalyzer,
    history: SqlHistoryStore,
    assistant: Assistant | None,
    bot: BotClient | None,
    policy: HandoffPolicy | None = None,
    webhooks: WebhookDispatcher | None = None,
) -> Services:
    conversations = ConversationStore(history.engine)
    auth = AuthService(history.engine, conversations, settings.agent_token_ttl_s)
    builder = AssistBuilder(analyzer, assistant)
    hub = make_hub(settings.redis_url)
    if webhooks is None and settings.webhook_urls:
        webhooks = WebhookDispatcher(
            history.engine,
            settings.webhook_urls,
            settings.secret_key,
            settings.webhook_max_attempts,
            settings.webhook_backoff_s,
        )
    if webhooks is not None:
        hub.listeners.append(webhooks)
    policy = policy or HandoffPolicy.load(settings.handoff_policy)
    router = TurnRouter(conversations, builder, policy, bot, hub, customer_profile(history))
    if settings.mode == "demo":
        seed_demo(settings, auth)
    limiter = (
        RateLimiter(settings.rate_limit_per_minute) if settings.rate_limit_per_minute else None
    )
    return Services(history, conversations, auth, builder, router, hub, bot, webhooks, limiter)


def seed_demo(settings: Settings, auth: AuthService) -> None:
    """Demo credentials (demo mode only; production never seeds anything)."""
    auth.create_agent(settings.demo_agent, settings.demo_agent_password, "Alice (demo agent)")
    auth.create_api_key(
        "demo contact-center key", [Scope.ASSIST, Scope.INGEST], settings.demo_api_key
    )
    auth.create_api_key("demo admin key", [Scope.ADMIN], settings.demo_admin_key)
