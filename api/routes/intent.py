"""Intent endpoints: one text or a batch -> intent, confidence, OOS, entities, sentiment.
One text needs no credential (limited per client address); a batch needs an agent token
or an API key with scope `assist`. The served model (GET /v1/intent/model) and its hot
reload from the model registry (POST /v1/intent/model:reload, scope admin)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import AnalyzerDep, PrincipalDep, ServicesDep, SettingsDep, client_address
from api.errors import InvalidInput, NotReady, PayloadTooLarge
from api.model_reload import LiveAnalyzer, ModelReloader
from api.model_schemas import ModelReloadPublic
from api.schemas import (
    IntentBatchPublic,
    IntentBatchRequest,
    IntentPublic,
    IntentRequest,
    ModelInfoPublic,
)
from api.security import Scope, require
from api.validation import check_text
from intent.runtime import serving

router = APIRouter(prefix="/v1", tags=["intent"])


@router.post("/intent", response_model=IntentPublic, summary="classify one customer turn")
def classify(
    body: IntentRequest,
    analyzer: AnalyzerDep,
    settings: SettingsDep,
    services: ServicesDep,
    request: Request,
) -> IntentPublic:
    services.throttle.hit("intent", client_address(request), "too many intent requests")
    text = check_text(body.text, settings.max_text_chars)
    a = analyzer.analyze([text])[0]
    return IntentPublic.build(a.prediction, a.entities, a.sentiment)


@router.post(
    "/intent:batch",
    response_model=IntentBatchPublic,
    summary="classify up to `max_batch` customer turns (an agent or an API key with scope assist)",
)
def classify_batch(
    body: IntentBatchRequest, analyzer: AnalyzerDep, settings: SettingsDep, who: PrincipalDep
) -> IntentBatchPublic:
    require(who, agent=True, scopes=[Scope.ASSIST])
    if not body.texts:
        raise InvalidInput("texts is empty: send at least one text")
    if len(body.texts) > settings.max_batch:
        raise PayloadTooLarge(
            f"the batch has {len(body.texts)} texts; the limit is {settings.max_batch}",
            limit=settings.max_batch,
        )
    texts = [
        check_text(t, settings.max_text_chars, f"texts[{i}]") for i, t in enumerate(body.texts)
    ]
    return IntentBatchPublic(
        results=[
            IntentPublic.build(a.prediction, a.entities, a.sentiment)
            for a in analyzer.analyze(texts)
        ]
    )


@router.get("/intent/model", response_model=ModelInfoPublic, summary="the loaded model")
def model_info(analyzer: AnalyzerDep) -> ModelInfoPublic:
    cfg = analyzer.classifier.config  # type: ignore[attr-defined]
    return ModelInfoPublic(
        languages=getattr(analyzer.classifier, "languages", ["en"]),
        labels=cfg.labels,
        oos_label=cfg.oos_label,
        oos_threshold=cfg.oos_threshold,
        temperature=cfg.temperature,
        ngram_weight=cfg.ngram_weight,
        training=cfg.training,
        validation=cfg.validation,
        runtime=serving(analyzer.classifier),
        version=analyzer.served.version if isinstance(analyzer, LiveAnalyzer) else None,
    )


@router.post(
    "/intent/model:reload",
    response_model=ModelReloadPublic,
    summary="load the model registry's current version and switch to it (admin)",
    description="The new model is loaded and verified in the background while the old one "
    "serves; then it replaces it for every new turn, and requests already running finish on "
    "the old one. 409 `model_reload_failed`: it could not be loaded, the old one still "
    "serves. With several API workers, each follows the registry by itself "
    "(`model_reload_check_s`); this route reloads the worker that answers.",
)
async def reload_model(
    request: Request, who: PrincipalDep, force: bool = False
) -> ModelReloadPublic:
    require(who, scopes=[Scope.ADMIN])
    reloader: ModelReloader | None = getattr(request.app.state, "model_reloader", None)
    if reloader is None:
        raise NotReady("the intent model is not loaded yet")
    done = await reloader.reload(force=force)
    return ModelReloadPublic(
        reloaded=done.reloaded,
        version=done.version,
        previous_version=done.previous_version,
        model_dir=done.model_dir,
        seconds=done.seconds,
    )
