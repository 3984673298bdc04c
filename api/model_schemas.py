"""Wire format of the model reload route (POST /v1/intent/model:reload)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ModelReloadPublic(BaseModel):
    reloaded: bool = Field(
        description="false: the registry's current version was already serving (force=true "
        "reloads it anyway)"
    )
    version: str | None = Field(
        description="the registry version serving now; null: model_dir without a registry"
    )
    previous_version: str | None = Field(description="the version that served before")
    model_dir: str = Field(description="the directory the serving model was loaded from")
    seconds: float = Field(description="the time the new model took to load and verify")
