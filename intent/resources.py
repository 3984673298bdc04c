"""Where the product's default data files are (entity patterns, journey model, response
bank, hand-off policy, ...), so that both a checkout and an installed wheel find them:

1. `AGENT_ASSIST_DATA_DIR`, when set (a site's own copy of `data/`);
2. the checkout's `data/` beside the packages (a clone, `pip install -e .`);
3. the data installed with the wheel (package `agent_assist_data`, built from `data/`).

Each setting that names one file (e.g. `AGENT_ASSIST_HANDOFF_POLICY`) still wins over
these defaults."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

ENV = "AGENT_ASSIST_DATA_DIR"
PACKAGE = "agent_assist_data"


@lru_cache(maxsize=4)
def _root(override: str | None) -> Path:
    if override:
        return Path(override)
    checkout = Path(__file__).resolve().parents[1] / "data"
    if (checkout / "entities.yml").exists():
        return checkout
    try:
        installed = Path(str(resources.files(PACKAGE)))
    except ModuleNotFoundError as exc:  # pragma: no cover - a broken install
        raise FileNotFoundError(
            f"no default data: set {ENV} to a copy of the project's data/ folder"
        ) from exc
    return installed


def data_dir() -> Path:
    return _root(os.environ.get(ENV) or None)


def data_path(*parts: str) -> Path:
    """A default data file or folder, e.g. `data_path("journey", "stages.yml")`."""
    return data_dir().joinpath(*parts)
