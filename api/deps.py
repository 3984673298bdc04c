"""Dependencies shared by the routes (`Annotated` aliases)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.config import Settings
from api.errors import NotReady
from intent.pipeline import TurnAnalyzer


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_analyzer(request: Request) -> TurnAnalyzer:
    analyzer = getattr(request.app.state, "analyzer", None)
    if analyzer is None:
        raise NotReady("the intent model is not loaded yet")
    return analyzer


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
AnalyzerDep = Annotated[TurnAnalyzer, Depends(get_analyzer)]
