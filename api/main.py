"""The FastAPI app factory. Models are loaded in the lifespan, never at import; tests pass
their own analyzer (e.g. around a fake classifier) to `create_app`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.config import Settings, get_settings
from api.errors import install_error_handlers
from api.routes import health, intent
from intent.pipeline import TurnAnalyzer

log = logging.getLogger("api")


def load_analyzer(settings: Settings) -> TurnAnalyzer:
    """Load the intent model, entity patterns and sentiment analyzer (raises ModelLoadError
    with what to run when the model directory is missing or corrupt)."""
    from intent.entities import EntityExtractor
    from intent.modeling import IntentModel
    from intent.sentiment import SentimentAnalyzer

    model = IntentModel.load(settings.model_dir, threads=settings.torch_threads)
    extractor = (
        EntityExtractor.from_yaml(settings.entities_file)
        if settings.entities_file
        else EntityExtractor.default()
    )
    analyzer = TurnAnalyzer(model, extractor, SentimentAnalyzer())
    analyzer.analyze(["warm up"])  # first call pays the lazy initialisation, not a customer
    return analyzer


def create_app(settings: Settings | None = None, analyzer: TurnAnalyzer | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.analyzer = analyzer if analyzer is not None else load_analyzer(settings)
        log.info("intent model ready: %d labels", len(app.state.analyzer.classifier.labels))
        yield

    app = FastAPI(
        title="Agent-assist service",
        version="0.1.0",
        summary="Intent, entities, sentiment for customer-service turns; more to come: "
        "customer context, hand-off, agent assist.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(intent.router)
    return app
