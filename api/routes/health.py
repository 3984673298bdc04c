from __future__ import annotations

import asyncio
import os

from fastapi import APIRouter, Request, Response
from sqlalchemy import text

from api import metrics
from api.deps import CredentialDep
from api.errors import NotReady
from api.security import Scope, require

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="the process is up")
def healthz() -> dict[str, str]:
    # pid: several workers share one port (python -m api --workers N)
    return {"status": "ok", "pid": str(os.getpid())}


@router.get(
    "/readyz", summary="models loaded, store reachable (503 if not); bot reachability reported"
)
async def readyz(request: Request) -> dict[str, object]:
    analyzer = getattr(request.app.state, "analyzer", None)
    if analyzer is None:
        raise NotReady("the intent model is not loaded")
    checks: dict[str, object] = {
        "intent_model": "loaded",
        "labels": len(analyzer.classifier.labels),
    }
    services = getattr(request.app.state, "services", None)
    if services is None:
        raise NotReady("the service is still starting")

    def ping_store() -> None:
        with services.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    try:
        await asyncio.to_thread(ping_store)
    except Exception as exc:
        raise NotReady(f"the history store is unreachable ({type(exc).__name__})") from exc
    checks["store"] = "reachable"
    checks["retrieval"] = "loaded" if services.assist.assistant is not None else "not loaded"
    if services.bot is None:
        checks["bot"] = "not configured"
    else:  # the bot being down degrades (turns go to people), it does not make us unready
        checks["bot"] = "reachable" if await services.bot.ping() else "unreachable"
    return {"status": "ready", "checks": checks}


@router.get(
    "/metrics",
    summary="Prometheus metrics (production: an admin credential)",
    response_class=Response,
    # the credential is optional in demo mode: `{}` says "or none"
    openapi_extra={"security": [{}]},
)
def prometheus(request: Request, token: CredentialDep) -> Response:
    services = getattr(request.app.state, "services", None)
    if request.app.state.settings.mode == "production":
        if services is None:
            raise NotReady("the service is still starting")
        require(services.auth.authenticate(token), scopes=[Scope.ADMIN])
    body, content_type = metrics.exposition()  # several workers: all of theirs, added up
    return Response(body, media_type=content_type)
