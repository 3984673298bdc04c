from __future__ import annotations

from fastapi import APIRouter, Request

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="the process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="models loaded and ready to answer")
def readyz(request: Request) -> dict[str, object]:
    from api.errors import NotReady

    analyzer = getattr(request.app.state, "analyzer", None)
    if analyzer is None:
        raise NotReady("the intent model is not loaded")
    return {
        "status": "ready",
        "checks": {"intent_model": "loaded", "labels": len(analyzer.classifier.labels)},
    }
