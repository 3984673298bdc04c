"""The model registry: every promoted intent model as an immutable version directory, and
one JSON file naming the current version with the history of promotions and rollbacks.

Layout (default `var/models/registry/`, beside the service's `model_dir`):

    registry/
      registry.json       {"format": 1, "current": "v0002", "versions": [...], "history": [...]}
      registry.lock       held while registry.json is rewritten (one writer at a time)
      v0001/              a model directory as `python -m intent build-demo` writes one
      v0002/              (config.json, head.safetensors, encoder/, zh/, ..., retrain.json)

A version is written once (copied into a temporary folder, renamed into place, its files
made read-only) and never again; registry.json is replaced atomically, so a reader (the
service's periodic check) sees the old file or the new one, never half of one. When no
registry.json exists the service serves `model_dir` as before."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import EllipsisType
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

REGISTRY_FILE = "registry.json"
VERSION_NAME = re.compile(r"^v\d{4,}$")


class RegistryError(ValueError):
    """A registry that cannot be read or changed as asked (the message says what to do)."""


class VersionInfo(BaseModel):
    """One model version: where it came from and its figures on the held-out sets."""

    version: str = Field(pattern=VERSION_NAME.pattern)
    created_at: datetime
    created_by: str
    source: str  # "adopted from var/models/intent", "retrain (update)", "retrain (full)"
    parent: str | None = None  # the version it was retrained from
    # per held-out set: {"accuracy_at_operating_point": ..., "macro_f1": ..., ...}
    figures: dict[str, dict[str, Any]] = Field(default_factory=dict)
    note: str = ""


class RegistryEvent(BaseModel):
    """One change of the current version: who, when, why, with the figures behind it."""

    action: Literal["adopt", "promote", "rollback"]
    version: str
    previous: str | None
    by: str
    at: datetime
    reason: str
    figures: dict[str, dict[str, Any]] = Field(default_factory=dict)


class RegistryFile(BaseModel):
    format: Literal[1] = 1
    current: str | None = None
    versions: list[VersionInfo] = Field(default_factory=list)
    history: list[RegistryEvent] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> RegistryFile:
        names = [v.version for v in self.versions]
        if len(set(names)) != len(names):
            raise ValueError("a version is listed twice")
        if self.current is not None and self.current not in names:
            raise ValueError(f"current version {self.current!r} is not among the versions")
        for event in self.history:
            if event.version not in names:
                raise ValueError(f"history names an unknown version {event.version!r}")
        return self

    def info(self, version: str) -> VersionInfo:
        for v in self.versions:
            if v.version == version:
                return v
        raise RegistryError(f"no version {version!r} (known: {', '.join(self.names) or 'none'})")

    @property
    def names(self) -> list[str]:
        return [v.version for v in self.versions]


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def default_root(model_dir: Path) -> Path:
    """Where the registry of a service serving `model_dir` lives: `registry/` beside it."""
    return Path(model_dir).parent / "registry"


class ModelRegistry:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @property
    def file(self) -> Path:
        return self.root / REGISTRY_FILE

    def exists(self) -> bool:
        return self.file.is_file()

    def read(self) -> RegistryFile:
        """The validated registry file (RegistryError naming the file and the problem)."""
        try:
            raw = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return RegistryFile()
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise RegistryError(f"{self.file}: not readable JSON ({exc})") from exc
        try:
            return RegistryFile.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in exc.errors()
            )
            raise RegistryError(
                f"{self.file} is not a valid model registry ({problems}); fix it by hand or "
                "restore it from a backup"
            ) from exc

    def current(self) -> tuple[str, Path] | None:
        """(version, directory) of the current version; None without a registry."""
        reg = self.read()
        if reg.current is None:
            return None
        directory = self.root / reg.current
        if not (directory / "config.json").is_file():
            raise RegistryError(f"{self.file}: current version {reg.current} has no {directory}")
        return reg.current, directory

    @contextlib.contextmanager
    def _locked(self) -> Iterator[RegistryFile]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "registry.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield self.read()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _write(self, reg: RegistryFile) -> None:
        tmp = self.file.with_suffix(".json.tmp")
        tmp.write_text(reg.model_dump_json(indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, self.file)

    def add(
        self,
        model_dir: Path,
        *,
        by: str,
        source: str,
        parent: str | None = None,
        figures: dict[str, dict[str, Any]] | None = None,
        note: str = "",
        move: bool = False,
    ) -> str:
        """Store `model_dir` as a new version (copied, or moved with `move`) and return its
        name. It is not current until `promote`."""
        if not (Path(model_dir) / "config.json").is_file():
            raise RegistryError(f"{model_dir} is not a model directory (no config.json)")
        with self._locked() as reg:
            number = max((int(n[1:]) for n in reg.names), default=0) + 1
            version = f"v{number:04d}"
            final = self.root / version
            if final.exists():  # written outside the registry: never overwrite it
                raise RegistryError(f"{final} exists but is not in {self.file}; move it away")
            tmp = self.root / f".{version}.tmp"
            if tmp.exists():
                shutil.rmtree(tmp)
            if move:
                shutil.move(str(model_dir), tmp)
            else:
                shutil.copytree(model_dir, tmp)
            _read_only(tmp)
            os.replace(tmp, final)
            reg.versions.append(
                VersionInfo(
                    version=version,
                    created_at=_now(),
                    created_by=by,
                    source=source,
                    parent=parent,
                    figures=figures or {},
                    note=note,
                )
            )
            self._write(reg)
            return version

    def set_current(
        self,
        version: str,
        *,
        action: Literal["adopt", "promote", "rollback"],
        by: str,
        reason: str,
        figures: dict[str, dict[str, Any]] | None = None,
        expect_current: str | None | EllipsisType = ...,
    ) -> RegistryEvent:
        """Make `version` current. `expect_current`: refuse when another version became
        current meanwhile (a promotion decided against a model that no longer serves)."""
        with self._locked() as reg:
            info = reg.info(version)
            if expect_current is not ... and reg.current != expect_current:
                raise RegistryError(
                    f"the current version changed to {reg.current} while this one was "
                    f"compared with {expect_current}: run it again"
                )
            if not (self.root / version / "config.json").is_file():
                raise RegistryError(f"version {version} has no model in {self.root / version}")
            event = RegistryEvent(
                action=action,
                version=version,
                previous=reg.current,
                by=by,
                at=_now(),
                reason=reason,
                figures=figures if figures is not None else info.figures,
            )
            reg.current = version
            reg.history.append(event)
            self._write(reg)
            return event

    def previous(self) -> str:
        """What `rollback` returns to: the version the current one replaced when it was
        promoted (so a second rollback goes further back, never forth to the version just
        rolled back from)."""
        reg = self.read()
        if reg.current is None:
            raise RegistryError(f"{self.file}: no current version to roll back from")
        for event in reversed(reg.history):
            if event.version == reg.current and event.action != "rollback":
                if event.previous is None or event.previous == reg.current:
                    break
                return event.previous
        raise RegistryError(
            f"version {reg.current} replaced no earlier version: nothing to roll back to "
            "(--to VERSION picks one)"
        )

    def rollback(self, to: str | None = None, *, by: str, reason: str = "") -> RegistryEvent:
        target = to or self.previous()
        reg = self.read()
        if target == reg.current:
            raise RegistryError(f"{target} is already the current version")
        return self.set_current(
            target, action="rollback", by=by, reason=reason or f"rollback to {target}"
        )


def adopt(registry: ModelRegistry, model_dir: Path, *, by: str, figures: dict | None = None) -> str:
    """Start a registry from the model the service serves today (`model_dir`): it becomes
    version v0001, current, so a later rollback can return to it."""
    if registry.exists() and registry.read().current is not None:
        raise RegistryError(f"{registry.file} already has a current version")
    version = registry.add(
        model_dir, by=by, source=f"adopted from {model_dir}", figures=figures or {}
    )
    registry.set_current(version, action="adopt", by=by, reason=f"adopted from {model_dir}")
    return version


def resolve_model_dir(model_dir: Path, root: Path | None = None) -> tuple[Path, str | None]:
    """The model directory a service serves and its registry version: the registry's
    current version when `root` (default: beside `model_dir`) holds a registry.json,
    else `model_dir` itself with no version (as before the registry existed)."""
    registry = ModelRegistry(root if root is not None else default_root(model_dir))
    found = registry.current() if registry.exists() else None
    if found is None:
        return Path(model_dir), None
    version, directory = found
    return directory, version


def _read_only(directory: Path) -> None:
    """Files of a version lose their write bits (the version is immutable); folders keep
    theirs, so a registry can still be deleted as a whole."""
    mask = ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    for path in directory.rglob("*"):
        if path.is_file() and not path.is_symlink():
            path.chmod(path.stat().st_mode & mask)
