"""The collaborators the routes use, built once in the lifespan (`app.state.services`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, text

from api.assist_payload import Assistant, AssistBuilder
from api.config import Settings
from api.conversations.bot import BotClient
from api.conversations.desk import Desk
from api.conversations.handoff import Handoff
from api.conversations.opening import Opening
from api.conversations.policy import HandoffPolicy
from api.conversations.roster import Roster
from api.conversations.store import ConversationStore
from api.conversations.transcript import Transcript
from api.conversations.turns import CustomerTurns, ProfileFn
from api.conversations.wrapup import Dispositions, WrapUpWriter
from api.feedback import FeedbackStore
from api.model_reload import ServedLabels
from api.notify import Hub, make_hub
from api.proactive import RULES as PROACTIVE_RULES
from api.proactive import ProactiveConfig, ProactiveHelp
from api.security import AuthService, LoginPolicy, Role, Scope
from api.suppression_watch import batch_for
from api.throttle import Throttle
from api.webhooks import WebhookDispatcher
from intent.pipeline import TurnAnalyzer
from retrieval.errors import CustomerNotFound
from retrieval.pii import default_redactor
from retrieval.responses import load_bank
from retrieval.store import HistoryStore, SqlHistoryStore

log = logging.getLogger("api")


@dataclass
class Services:
    engine: Engine  # the database: conversations, accounts, webhooks, feedback
    history: HistoryStore  # customer records and events, as the API reads and writes them
    records: SqlHistoryStore  # the database's own history: the index and suppression read it
    conversations: ConversationStore
    auth: AuthService
    assist: AssistBuilder
    turns: CustomerTurns  # the customer side of conversations
    handoff: Handoff
    desk: Desk  # the agent side
    opening: Opening  # the bot's first words to a returning customer
    hub: Hub
    bot: BotClient | None
    throttle: Throttle
    feedback: FeedbackStore
    webhooks: WebhookDispatcher


def customer_profile(history: HistoryStore) -> ProfileFn:
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


def build_throttle(settings: Settings) -> Throttle:
    per_credential = settings.rate_limit_per_minute
    return Throttle(
        {
            "credential": f"{per_credential}/minute" if per_credential else "0",
            "login": settings.login_limit_per_address,
            "conversation": settings.conversation_limit_per_address,
            "conversation_site": settings.conversation_limit_per_site,
            "ws": settings.ws_limit_per_address,
            "intent": settings.intent_limit_per_address,
        },
        settings.redis_url,
    )


def proactive_help(
    settings: Settings,
    history: HistoryStore,
    records: SqlHistoryStore,
    assistant: Assistant | None,
) -> ProactiveHelp | None:
    """The proactive rules (data/proactive.yml, or `settings.proactive_rules`; an empty
    path: none), checked against the knowledge articles; marketing offers ask the
    suppression rules the context and the watcher use."""
    path = settings.proactive_rules
    if path is not None and str(path) in ("", "."):
        return None
    articles = [a for a in load_bank(templates=None) if a.kind == "article"]
    config = ProactiveConfig.load(path or PROACTIVE_RULES, articles)
    batch = batch_for(records, assistant)

    def marketing_allowed(customer_id: str, now: datetime) -> bool:
        found = batch.evaluate([customer_id], now).get(customer_id)
        return found is not None and found.allowed

    return ProactiveHelp(config, history, articles, marketing_allowed)


def build_services(
    settings: Settings,
    analyzer: TurnAnalyzer,
    engine: Engine,
    history: HistoryStore,
    assistant: Assistant | None,
    bot: BotClient | None,
    policy: HandoffPolicy | None = None,
    webhooks: WebhookDispatcher | None = None,
    records: SqlHistoryStore | None = None,
) -> Services:
    redactor = default_redactor()  # PII out of every stored turn, entity, event and feedback text
    history.redact = redactor.redact
    if webhooks is None:  # always: an admin may subscribe receivers at any time
        webhooks = WebhookDispatcher(
            engine,
            settings.webhook_urls,
            settings.secret_key,
            settings.webhook_max_attempts,
            settings.webhook_backoff_s,
            allow_private=settings.webhook_allow_private,
        )
    conversations = ConversationStore(engine, redactor.redact, outbox=True)
    conversations.on_outbox = webhooks.wake
    auth = AuthService(
        engine,
        conversations,
        settings.agent_token_ttl_s,
        customer_token_ttl_after_close_s=settings.customer_token_ttl_after_close_s,
        login_policy=LoginPolicy(
            settings.login_max_failures,
            settings.login_lock_s,
            settings.login_max_lock_s,
            settings.login_hard_lock_failures,
        ),
        hash_workers=settings.password_hash_workers,
        max_pending_logins=settings.max_pending_logins,
    )
    builder = AssistBuilder(analyzer, assistant, conversations.dialogue)
    hub = make_hub(settings.redis_url)
    policy = policy or (
        HandoffPolicy.load(settings.handoff_policy)
        if settings.handoff_policy
        else HandoffPolicy.load()
    )
    transcript = Transcript(conversations, hub)
    handoff = Handoff(conversations, transcript, hub, bot, builder)
    turns = CustomerTurns(
        conversations,
        builder,
        policy,
        bot,
        hub,
        customer_profile(history),
        transcript,
        handoff,
        redactor.redact_entities,
    )
    dispositions = Dispositions.load(settings.dispositions)
    desk = Desk(conversations, transcript, handoff, hub, bot, WrapUpWriter(dispositions))
    opening = Opening(
        history,
        transcript,
        dispositions,
        settings.recall_days,
        proactive_help(settings, history, records or SqlHistoryStore(engine), assistant),
    )
    if settings.mode == "demo":
        seed_demo(settings, auth)
    # the served model's intents, also after a hot reload (api/model_reload.py)
    feedback = FeedbackStore(engine, redactor.redact, ServedLabels(analyzer))
    return Services(
        engine,
        history,
        records or SqlHistoryStore(engine),
        conversations,
        auth,
        builder,
        turns,
        handoff,
        desk,
        opening,
        hub,
        bot,
        build_throttle(settings),
        feedback,
        webhooks,
    )


# PostgreSQL: one API worker at a time seeds the demo credentials (workers start together)
_SEED_LOCK_KEY = 0x61676E75


def seed_demo(settings: Settings, auth: AuthService) -> None:
    """Demo credentials (demo mode only; production never seeds anything). On PostgreSQL
    under an advisory lock: API workers starting together on a fresh database would
    otherwise insert the same agent or key twice."""
    if auth.engine.dialect.name != "postgresql":
        _seed_demo(settings, auth)
        return
    with auth.engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SEED_LOCK_KEY})
        try:
            _seed_demo(settings, auth)
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SEED_LOCK_KEY})
            conn.commit()


def _seed_demo(settings: Settings, auth: AuthService) -> None:
    auth.create_agent(
        settings.demo_agent,
        settings.demo_agent_password,
        "Alice",
        Role.AGENT,
        replace_password=False,
    )
    auth.create_agent(
        settings.demo_supervisor,
        settings.demo_supervisor_password,
        "Sofia",
        Role.SUPERVISOR,
        replace_password=False,
    )
    auth.create_api_key(
        "demo contact-center key", [Scope.ASSIST, Scope.INGEST], settings.demo_api_key
    )
    auth.create_api_key("demo admin key", [Scope.ADMIN], settings.demo_admin_key)
    # routing's skills (data/queue.yml): Alice serves the three demo queues, Sofia (a
    # supervisor) every queue; an admin's later change is kept
    Roster(auth.engine).seed_skills(settings.demo_agent, ["billing", "orders", "tech"])
