"""One Settings object, read from the environment (prefix AGENT_ASSIST_) or `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_SECRET = "demo-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AGENT_ASSIST_", env_file=".env", extra="ignore")

    mode: Literal["demo", "production"] = "demo"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    model_dir: Path = Path("var/models/intent")
    entities_file: Path | None = None  # default: data/entities.yml
    torch_threads: int = Field(default=2, ge=1, le=64)
    max_text_chars: int = Field(default=2000, ge=1)
    max_batch: int = Field(default=64, ge=1, le=1024)
    secret_key: str = DEMO_SECRET

    @model_validator(mode="after")
    def _no_demo_secrets_in_production(self) -> Settings:
        if self.mode == "production" and self.secret_key == DEMO_SECRET:
            raise ValueError(
                "AGENT_ASSIST_SECRET_KEY still has the demo value: set a real secret "
                "before running with AGENT_ASSIST_MODE=production"
            )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
