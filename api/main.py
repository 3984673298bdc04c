"""The FastAPI app factory. Models, the database and retrieval are loaded in the
lifespan, never at import. `create_app` takes the database as an engine and every other
collaborator as its Protocol (the intent analyzer, the history store, the assistant, the
bot, the hand-off policy, the webhook dispatcher); what is not given is built from the
settings, so tests pass theirs (a database on tmp_path, a fake bot, ...)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import Engine

from api import metrics, request_id
from api.assist_payload import Assistant
from api.config import DEMO_BOT_KEY, Settings, get_settings
from api.conversations.abandon import Abandonment
from api.conversations.bot import BotClient, RasaRestBotClient
from api.conversations.dispatch import Dispatcher
from api.conversations.policy import HandoffPolicy
from api.conversations.priority import QueueWeights
from api.conversations.queue import WaitingQueue
from api.errors import ERROR_RESPONSES, install_error_handlers
from api.hub_events import add_ws_schemas
from api.middleware import BodyLimit, RequestTiming, SecurityHeaders
from api.model_reload import LiveAnalyzer, ModelReloader
from api.proactive_watch import ProactiveWatcher
from api.routes import (
    analytics,
    assist,
    auth,
    conversations,
    events,
    feedback,
    handoff,
    health,
    intent,
    rasa_compat,
    records,
    routing,
    suppression,
    ws,
)
from api.routes import chatwoot as chatwoot_routes
from api.routes import journey as journey_routes
from api.routes import proactive as proactive_routes
from api.routes import webhooks as webhook_routes
from api.security import AuthService
from api.services import build_services, customer_profile
from api.storage.schema import open_database
from api.suggestion_learning import SuggestionLearner, serve_policy
from api.suppression_watch import SuppressionWatcher, batch_for
from api.web import routes as web
from api.webhooks import WebhookDispatcher
from intent.batching import set_observer
from intent.pipeline import TurnAnalyzer
from retrieval.journey import JourneyConfig, JourneyModel
from retrieval.journey_rules import JourneyRules
from retrieval.live_index import LiveIndex
from retrieval.ranker import HybridRanker, Randomiser
from retrieval.store import HistoryStore, SqlHistoryStore
from retrieval.usage import UsageSettings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter

log = logging.getLogger("api")


def load_analyzer(settings: Settings, model_dir: Path | None = None) -> TurnAnalyzer:
    """Load the intent model, entity patterns and sentiment analyzer (raises ModelLoadError
    with what to run when the model directory is missing or corrupt). Without `model_dir`:
    the model registry's current version when there is a registry, else `model_dir` of the
    settings, as a `LiveAnalyzer` the service keeps current (api/model_reload.py)."""
    from api.inference import runtime
    from intent.entities import EntityExtractor
    from intent.registry import resolve_model_dir
    from intent.runtime import load_classifier
    from intent.sentiment import SentimentAnalyzer

    directory, version = (
        (model_dir, None)
        if model_dir is not None
        else resolve_model_dir(settings.model_dir, settings.model_registry)
    )
    model = load_classifier(directory, runtime(settings))  # ONNX when verified
    extractor = (
        EntityExtractor.from_yaml(settings.entities_file)
        if settings.entities_file
        else EntityExtractor.default()
    )
    analyzer = TurnAnalyzer(model, extractor, SentimentAnalyzer())
    analyzer.analyze(["warm up"])  # first call pays the lazy initialisation, not a customer
    return analyzer if model_dir is not None else LiveAnalyzer(analyzer, version, directory, True)


def load_journey(settings: Settings) -> JourneyRules:
    """The journey-stage model of the settings (`journey_model`, else the active one of
    data/journey/model.yml) with its suppression and next-best-action rules, checked
    together (ConfigError naming the file and the problem)."""
    return JourneyRules.load(settings.journey_model, source="AGENT_ASSIST_JOURNEY_MODEL")


def load_assistant(
    settings: Settings,
    history: HistoryStore,
    records: SqlHistoryStore,
    journey: JourneyRules | None = None,
) -> Assistant:
    """Retrieval with the product's base encoder (MiniLM); the Chinese items of the response
    bank, when it has some, with the multilingual encoder (loaded once per process, at the
    ranker's warm-up); the history index with MiniLM, and for Chinese turns a second one
    with the language-neutral multilingual encoder (`api.inference.multilingual_history`)
    holding the customers who write Chinese and every resolved case (a customer joins at
    their first Chinese event or turn). The bank's vectors are cached under `response_cache_dir`, so only
    the first start embeds them. The live index follows the database's events (`records`)
    by their sequence numbers. `journey`: the stage model (default: `load_journey(settings)`)."""
    from api.inference import (
        language_neutral_encoder,
        multilingual_encoder,
        multilingual_history,
        runtime,
    )
    from intent.runtime import load_encoder
    from retrieval.assist import AgentAssist
    from retrieval.ranker import EncoderSource, HybridRanker
    from retrieval.responses import load_bank

    rt = runtime(settings)
    encoder = load_encoder(rt)  # ONNX Runtime when verified; micro-batched
    bank = load_bank()
    chinese = any(item.language == "zh" for item in bank)
    encoders: dict[str, EncoderSource] = {}
    if chinese:
        encoders["zh"] = functools.partial(multilingual_encoder, rt)
    ranker = HybridRanker(bank, encoder, cache_dir=settings.response_cache_dir, encoders=encoders)
    index = None
    indexes: dict[str, LiveIndex] = {}
    if settings.history_index:  # opened in the background by the lifespan (keep_index)
        from retrieval.pii import default_redactor

        index = LiveIndex(records, encoder, settings.index_dir, default_redactor())
        if multilingual_history(settings, chinese):
            indexes["zh"] = LiveIndex(
                records,
                language_neutral_encoder(rt),
                settings.multilingual_index_dir,
                default_redactor(),
                language="zh",  # Chinese customers' events and every wrap-up
            )
    return AgentAssist(
        history,
        ranker,
        index=index,
        related_min_score=settings.related_min_score,
        indexes=indexes,
        journey=journey or load_journey(settings),
    ).warm_up()


async def keep_index(index: LiveIndex, settings: Settings, stop: asyncio.Event) -> None:
    """Open the history index (built from the store the first time), then keep it current:
    every `index_sync_s` it takes what the store gained (events, chat turns) by its
    high-water mark, and every `index_save_s` it is saved if it changed; at `stop`, saved."""
    try:
        await asyncio.to_thread(index.open)
    except Exception:  # related history stays empty; the rest of assist works
        log.exception("history index could not be opened")
        return
    last_save = time.monotonic()
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(settings.index_sync_s):
                await stop.wait()
        try:
            await asyncio.to_thread(index.sync)
            if time.monotonic() - last_save > settings.index_save_s or stop.is_set():
                await asyncio.to_thread(index.save)
                last_save = time.monotonic()
        except Exception as exc:  # the database may be down a while
            log.warning("history index sync failed (%s); retrying", type(exc).__name__)


def served_journey(configured: JourneyRules, assistant: object | None) -> JourneyRules:
    """The stage model the payloads will carry: the assistant's when it was given with
    another one than the settings name (a warning: the settings lose), else `configured`."""
    served = getattr(assistant, "journey_config", None)
    if not isinstance(served, JourneyConfig) or served.model in (None, configured.model):
        return configured
    log.warning(
        "the assistant uses journey model %r, the settings %r: serving %r",
        served.model,
        configured.model,
        served.model,
    )
    return JourneyRules.load(served.model)


class DemoCredentialsInProduction(RuntimeError):
    """Production mode found demo credentials that still work in its database."""


def check_production(settings: Settings) -> None:
    """Before serving in production: no demo credential may work in the database."""
    from api.conversations.store import ConversationStore

    engine = open_database(settings.history_url)
    auth = AuthService(engine, ConversationStore(engine))
    try:
        refuse_demo_credentials(settings, auth)
    finally:
        auth.close()
        engine.dispose()


def refuse_demo_credentials(settings: Settings, auth: AuthService) -> None:
    found = auth.demo_credentials(
        [
            (settings.demo_agent, settings.demo_agent_password),
            (settings.demo_supervisor, settings.demo_supervisor_password),
        ],
        [settings.demo_api_key, settings.demo_admin_key, DEMO_BOT_KEY],
    )
    if found:
        raise DemoCredentialsInProduction(
            "refusing to start in production mode while demo credentials work in this "
            "database: "
            + "; ".join(found)
            + ". Revoke them (python -m api admin keys list / keys revoke KEY_ID; python -m "
            "api admin agents deactivate alice / sofia) or use a fresh database."
        )


def _observe_request(method: str, path: str, status: str, seconds: float) -> None:
    metrics.REQUESTS.labels(method, path, status).observe(seconds)


def create_app(
    settings: Settings | None = None,
    analyzer: TurnAnalyzer | None = None,
    *,
    engine: Engine | None = None,
    history: HistoryStore | None = None,
    assistant: Assistant | None = None,
    bot: BotClient | None = None,
    policy: HandoffPolicy | None = None,
    webhooks: WebhookDispatcher | None = None,
    span_exporter: SpanExporter | None = None,
) -> FastAPI:
    """The service. `engine`: its database, schema up to date (default: `history_url`,
    migrated here). `history`: where customer records and events are read and written
    (default: the SQL store on `engine`). The conversations, accounts, webhooks and the
    background watchers always live in `engine`'s database. `span_exporter`: where the
    spans go when `settings.otel` is on (default: api/tracing.py's choice)."""
    settings = settings or get_settings()
    tracing = None
    if settings.otel:  # nothing of OpenTelemetry is imported otherwise
        try:
            from api.tracing import Tracing
        except ImportError as exc:
            raise RuntimeError(
                f"AGENT_ASSIST_OTEL is on but OpenTelemetry is not installed ({exc.name}): "
                "pip install 'agent-assist[otel]'"
            ) from exc
        tracing = Tracing(settings, span_exporter)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        set_observer(metrics.BatchMetrics())  # the micro-batchers' queue and batch metrics
        journey = load_journey(settings)  # a bad name or rule stops the start, before the model
        log.info("journey stage model: %s (%s)", journey.model, ", ".join(journey.config.stages))
        queue_weights = QueueWeights.load(settings.queue_weights)  # a bad file stops the start
        given = analyzer if analyzer is not None else load_analyzer(settings)
        live = given if isinstance(given, LiveAnalyzer) else LiveAnalyzer(given)
        app.state.analyzer = live  # the one holder: routes, assist builder, feedback labels
        app.state.model_reloader = ModelReloader(
            live, settings, functools.partial(load_analyzer, settings)
        )
        log.info("intent model ready: %d labels", len(app.state.analyzer.classifier.labels))
        queue_weights.skills.warn_unknown(app.state.analyzer.classifier.labels)  # routing
        database = engine if engine is not None else open_database(settings.history_url)
        if tracing is not None:
            tracing.instrument_engine(database)
        records = SqlHistoryStore(database)  # the database's own history (index, watcher)
        store = history if history is not None else records
        helper = assistant
        if helper is None and settings.load_retrieval:
            helper = load_assistant(settings, store, records, journey)
        app.state.journey = served_journey(journey, helper)
        own_bot = None
        if bot is None and settings.rasa_url:
            own_bot = RasaRestBotClient(
                settings.rasa_url,
                settings.bot_timeout_s,
                token=settings.rasa_token,
                bot_secret=settings.bot_secret,
            )
        services = build_services(
            settings,
            app.state.analyzer,
            database,
            store,
            helper,
            bot or own_bot,
            policy,
            webhooks,
            records,
        )
        if settings.mode == "production":
            refuse_demo_credentials(settings, services.auth)
        app.state.services = services
        app.state.queue = WaitingQueue(
            services.conversations,
            customer_profile(store),
            queue_weights,
            settings.queue_target_wait_s,
            settings.queue_wait_window_s,
            max_chats=settings.agent_max_chats,
            presence_timeout_s=settings.presence_timeout_s,
        )
        app.state.abandonment = Abandonment(
            services.conversations,
            services.desk,
            settings.queue_abandon_after_s,
            settings.queue_leave_grace_s,
        )
        await services.hub.start()
        await services.webhooks.start()  # resumes what an earlier run left pending
        stop_index = asyncio.Event()
        lives = [getattr(helper, "index", None), *getattr(helper, "indexes", {}).values()]
        index_tasks = {
            asyncio.create_task(keep_index(live, settings, stop_index), name="history-index")
            for live in lives
            if isinstance(live, LiveIndex)
        }
        watch_tasks: set[asyncio.Task[None]] = set()
        if settings.suppression_watch:  # customer.suppressed / .released (webhooks)
            watcher = SuppressionWatcher(
                database,
                batch_for(records, helper, app.state.journey),
                recheck_s=settings.suppression_recheck_s,
                on_outbox=services.webhooks.wake,
            )
            watch_tasks.add(
                asyncio.create_task(
                    watcher.run(settings.suppression_watch_s, stop_index), name="suppression-watch"
                )
            )
        if settings.proactive_watch and services.opening.proactive is not None:
            proactive = ProactiveWatcher(  # offers into open chats, or webhooks
                database,
                services.opening.proactive,
                services.conversations,
                services.opening.transcript,
                open_chat_s=settings.proactive_open_chat_s,
                on_outbox=services.webhooks.wake,
            )
            watch_tasks.add(
                asyncio.create_task(
                    proactive.run(settings.proactive_watch_s, stop_index), name="proactive-watch"
                )
            )
        reload_task = None
        if live.tracked and settings.model_reload_check_s > 0:  # follows the registry
            reload_task = asyncio.create_task(
                app.state.model_reloader.run(settings.model_reload_check_s, stop_index),
                name="model-reload",
            )
        ranker = getattr(helper, "ranker", None)
        usage_weight = settings.suggestion_learning_weight
        if isinstance(ranker, HybridRanker):  # a share of the lists randomised, for replays
            ranker.randomise = (
                Randomiser(settings.suggestion_random_rate, settings.suggestion_random_pool)
                if settings.suggestion_random_rate > 0
                else None
            )
            usage_weight = serve_policy(settings, ranker)  # what a replay chose, if any
        if settings.suggestion_learning and isinstance(ranker, HybridRanker):
            learner = SuggestionLearner(  # what agents use climbs, what they skip sinks
                database,
                functools.partial(setattr, ranker, "usage"),
                JourneyModel(app.state.journey.config),
                settings.suggestion_learning_days,
                UsageSettings(
                    weight=usage_weight,
                    explore=settings.suggestion_learning_explore,
                ),
            )
            watch_tasks.add(
                asyncio.create_task(
                    learner.run(settings.suggestion_learning_s, stop_index),
                    name="suggestion-learning",
                )
            )
        if settings.auto_assign:  # waiting conversations go to available agents
            dispatcher = Dispatcher(
                app.state.queue, services.desk, answer_s=settings.auto_assign_answer_s
            )
            watch_tasks.add(
                asyncio.create_task(
                    dispatcher.run(settings.auto_assign_s, stop_index), name="auto-assign"
                )
            )
        sweep_task = None
        if settings.queue_sweep:  # abandoned conversations leave the queue
            sweep_task = asyncio.create_task(
                app.state.abandonment.run(settings.queue_sweep_s, stop_index), name="queue-sweep"
            )
        yield
        stop_index.set()
        if sweep_task is not None:
            await asyncio.wait({sweep_task}, timeout=30)
        if reload_task is not None:
            await asyncio.wait({reload_task}, timeout=30)
        if index_tasks:
            await asyncio.wait(index_tasks, timeout=settings.index_sync_s + 30)
        if watch_tasks:
            await asyncio.wait(watch_tasks, timeout=30)
        app.state.analyzer.close()  # stops the inference worker threads
        if helper is not None and hasattr(helper, "close"):
            helper.close()
        await services.hub.aclose()
        await services.webhooks.drain(2.0)  # what is not sent stays in the outbox
        await services.webhooks.aclose()
        services.auth.close()
        if own_bot is not None:
            await own_bot.aclose()
        if engine is None:
            database.dispose()
        if tracing is not None:
            tracing.close()
        metrics.process_exit()  # several workers: this one's live gauges stop counting

    app = FastAPI(
        title="Agent-assist service",
        version="0.2.0",
        summary="Conversations with a server-owned bot / human hand-off, agent assist "
        "(intent, entities, sentiment, journey stage, customer context, suggestions), "
        "journey events.",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
    )
    install_error_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)  # outermost: the body cap's own answers get them too
    # X-Request-ID in, out and on every log line (api/request_id.py)
    app.add_middleware(request_id.CorrelationIdMiddleware, **request_id.middleware_options())

    app.add_middleware(RequestTiming, observe=_observe_request)

    routers = (
        health,
        analytics,
        intent,
        auth,
        conversations,
        handoff,
        assist,
        events,
        journey_routes,
        records,
        suppression,
        feedback,
        webhook_routes,
        ws,
        rasa_compat,
        routing,
        proactive_routes,
    )
    for module in routers:
        app.include_router(module.router)
    app.include_router(chatwoot_routes.router)  # Chatwoot agent bot (404 until configured)
    # the web pages: chat widget, demo shop (demo mode only), agent panel
    app.include_router(web.router)
    app.include_router(web.demo_router)
    app.mount("/static", web.PageFiles(directory=web.STATIC), name="static")
    if settings.cors_origins:  # sites that embed the widget from another origin
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", request_id.HEADER],
            expose_headers=[request_id.HEADER],
        )
    routes_only = app.openapi

    def openapi() -> dict[str, Any]:
        """The routes' document plus the WebSocket event unions (api/hub_events.py)."""
        if app.openapi_schema is None:
            app.openapi_schema = add_ws_schemas(routes_only())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    if tracing is not None:
        tracing.instrument_app(app)
    return app
