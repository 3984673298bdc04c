"""The response bank: reply templates (converted from Bitext by
`data/tools/convert_bitext_responses.py`) and hand-written knowledge articles / playbook
replies, plus slot filling.

A template's `{{Placeholder}}` slots are filled from shop constants, site sections and the
customer's own facts (`data/responses/shop.yml`). `fill` returns None when any slot cannot
be filled, so a raw `{{...}}` is never shown.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from intent.resources import data_path
from retrieval.errors import ConfigError

DATA = data_path("responses")
SLOT = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


@dataclass(frozen=True, slots=True)
class BankItem:
    id: str  # stable id, e.g. "bitext:track_order:3" or "kb:delivery-options"
    kind: str  # "template" (reply) or "article" (knowledge article)
    text: str  # the reply / article body, may hold {{slots}}
    intents: tuple[str, ...] = ()  # intents it answers (empty: any)
    stages: tuple[str, ...] = ()  # journey stages it suits (empty: any)
    questions: tuple[str, ...] = ()  # customer messages it answered (dense/BM25 "case" field)
    title: str = ""
    source: str = ""  # where it comes from, shown with the suggestion


@dataclass(frozen=True, slots=True)
class SlotConfig:
    shop: dict[str, str]
    slots: dict[str, str]  # placeholder -> "shop:key" / "customer:key" / "ui:Label"
    ui_sections: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def load(cls, path: str | Path = DATA / "shop.yml") -> SlotConfig:
        try:
            doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(str(path), str(exc)) from exc
        slots = {str(k): str(v) for k, v in (doc.get("slots") or {}).items()}
        for k, v in slots.items():
            if v.split(":", 1)[0] not in ("shop", "customer", "ui"):
                raise ConfigError(str(path), f"slot {k!r}: source must be shop:/customer:/ui:")
        return cls(
            {str(k): str(v) for k, v in (doc.get("shop") or {}).items()},
            slots,
            frozenset(str(s) for s in doc.get("ui_sections") or []),
        )

    def source(self, placeholder: str) -> str | None:
        if placeholder in self.slots:
            return self.slots[placeholder]
        if placeholder in self.ui_sections:
            return f"ui:{placeholder}"
        return None

    def fillable_offline(self, text: str) -> bool:
        """True if every slot has a known source (customer facts may still be missing)."""
        return all(self.source(s) is not None for s in SLOT.findall(text))


def fill(text: str, facts: Mapping[str, str], config: SlotConfig) -> str | None:
    """`text` with every slot filled, or None if one cannot be."""
    missing = False

    def sub(m: re.Match[str]) -> str:
        nonlocal missing
        src = config.source(m.group(1))
        if src is None:
            missing = True
            return ""
        kind, key = src.split(":", 1)
        if kind == "ui":
            return f"'{key}'"
        value = (config.shop if kind == "shop" else facts).get(key)
        if not value:
            missing = True
            return ""
        return str(value)

    out = SLOT.sub(sub, text)
    return None if missing else out


def load_bank(
    templates: str | Path | None = DATA / "bitext_templates.json",
    knowledge: str | Path | None = DATA / "knowledge.yml",
) -> list[BankItem]:
    items: list[BankItem] = []
    if templates is not None and Path(templates).exists():
        doc = json.loads(Path(templates).read_text(encoding="utf-8"))
        for t in doc["items"]:
            items.append(
                BankItem(
                    t["id"],
                    "template",
                    t["text"],
                    (t["intent"],),
                    tuple(t.get("stages", ())),
                    tuple(t.get("questions", ())),
                    t.get("title", t["intent"].replace("_", " ")),
                    t.get("source", "bitext"),
                )
            )
    if knowledge is not None and Path(knowledge).exists():
        try:
            doc = yaml.safe_load(Path(knowledge).read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(str(knowledge), str(exc)) from exc
        for a in doc.get("items") or []:
            for key in ("id", "kind", "text"):
                if key not in a:
                    raise ConfigError(str(knowledge), f"item {a.get('id')!r} lacks {key!r}")
            items.append(
                BankItem(
                    str(a["id"]),
                    str(a["kind"]),
                    str(a["text"]).strip(),
                    tuple(a.get("intents") or ()),
                    tuple(a.get("stages") or ()),
                    tuple(a.get("questions") or ()),
                    str(a.get("title", a["id"])),
                    f"knowledge:{a['id']}",
                )
            )
    return items


def texts_of(items: Sequence[BankItem]) -> list[str]:
    return [SLOT.sub(lambda m: m.group(1), i.text) for i in items]
