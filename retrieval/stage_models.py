"""The journey's stage models and which one is active (`data/journey/model.yml`).

A stage model is a folder of `data/journey/` holding `stages.yml` (the stages, their
display names and the evidence rules, read by `retrieval/journey.py`) and
`next_best_action.yml` (`retrieval/nba.py`). Two ship: `lifecycle` (the seven stages,
folder `.`, i.e. `data/journey/` itself) and `5a` (Aware, Appeal, Ask, Act, Advocate,
folder `5a/`). `model.yml` names them and the `active` one; the API's
`AGENT_ASSIST_JOURNEY_MODEL` overrides `active`. This module only resolves names to
folders (no YAML of the models is read here), so every loader can use it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from intent.resources import data_path
from retrieval.errors import ConfigError

REGISTRY = "model.yml"
STAGES_FILE = "stages.yml"
ACTIONS_FILE = "next_best_action.yml"
DEFAULT_MODEL = "lifecycle"  # when model.yml names no `active` model
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


def journey_root() -> Path:
    """`data/journey/` (or the site's copy: AGENT_ASSIST_DATA_DIR, intent/resources.py)."""
    return data_path("journey")


@dataclass(frozen=True, slots=True)
class ModelEntry:
    name: str  # "lifecycle", "5a"
    title: str  # one line for people
    directory: Path  # holds stages.yml and next_best_action.yml

    @property
    def stages_file(self) -> Path:
        return self.directory / STAGES_FILE

    @property
    def actions_file(self) -> Path:
        return self.directory / ACTIONS_FILE


@dataclass(frozen=True, slots=True)
class Registry:
    active: str
    models: dict[str, ModelEntry]

    def resolve(self, name: str | None = None, *, source: str = "") -> ModelEntry:
        """The model called `name` (None: the active one). `source` says where the name
        came from, for the error (e.g. "AGENT_ASSIST_JOURNEY_MODEL")."""
        chosen = (name or "").strip() or self.active
        entry = self.models.get(chosen)
        if entry is None:
            where = source or "journey model"
            raise ConfigError(
                where,
                f"unknown journey model {chosen!r}; the models of data/journey/{REGISTRY} are "
                f"{sorted(self.models)} (add a folder and list it under `models` there to "
                "make another)",
            )
        return entry


def load_registry(root: str | Path | None = None) -> Registry:
    """`model.yml` of `root` (default: data/journey/), validated: every model's folder
    exists inside `root` and holds stages.yml and next_best_action.yml."""
    base = Path(root) if root is not None else journey_root()
    path = base / REGISTRY
    where = str(path)
    if not path.exists():  # a data folder from before model.yml: its one model, at the root
        doc: Any = {"models": {DEFAULT_MODEL: {"dir": "."}}}
        return _registry(doc, base, where)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(where, str(exc)) from exc
    return _registry(doc, base, where)


def _registry(doc: Any, base: Path, where: str) -> Registry:
    if not isinstance(doc, Mapping):
        raise ConfigError(where, "expected a map with `active` and `models`")
    unknown = set(doc) - {"active", "models"}
    if unknown:
        raise ConfigError(where, f"unknown key(s) {sorted(unknown)}; known: active, models")
    raw = doc.get("models")
    if not isinstance(raw, Mapping) or not raw:
        raise ConfigError(where, "`models` must map a model name to {dir, title}")
    models: dict[str, ModelEntry] = {}
    for key, spec in raw.items():
        name = str(key)
        if not _NAME.match(name):
            raise ConfigError(where, f"models.{name}: a name of a-z, 0-9, '_' or '-'")
        if not isinstance(spec, Mapping) or "dir" not in spec:
            raise ConfigError(where, f"models.{name}: expected {{dir: <folder>, title: ...}}")
        bad = set(spec) - {"dir", "title"}
        if bad:
            raise ConfigError(where, f"models.{name}: unknown key(s) {sorted(bad)}")
        directory = (base / str(spec["dir"])).resolve()
        if not directory.is_relative_to(base.resolve()):
            raise ConfigError(where, f"models.{name}: dir {spec['dir']!r} is outside {base}")
        for needed in (STAGES_FILE, ACTIONS_FILE):
            if not (directory / needed).is_file():
                raise ConfigError(where, f"models.{name}: {directory / needed} is missing")
        models[name] = ModelEntry(name, str(spec.get("title") or name), directory)
    active = str(doc.get("active") or DEFAULT_MODEL)
    if active not in models:
        raise ConfigError(where, f"active: {active!r} is not one of the models {sorted(models)}")
    return Registry(active, models)


def resolve(
    name: str | None = None, root: str | Path | None = None, *, source: str = ""
) -> ModelEntry:
    """The stage model called `name`, or the active one of data/journey/model.yml."""
    return load_registry(root).resolve(name, source=source)
