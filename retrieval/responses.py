"""The response bank: reply templates (converted from Bitext by
`data/tools/convert_bitext_responses.py`) and hand-written knowledge articles / playbook
replies, plus slot filling.

Each item has a language. The English bank is `bitext_templates.json` + `knowledge.yml`;
the Chinese one is the parallel folder `zh/` (`templates.yml`: reply templates per intent,
`knowledge.yml`: a twin of every English article and playbook reply, under the English
item's id). A Chinese item's bank id is `zh:<its id>`.

A template's `{{Placeholder}}` slots are filled from shop constants, site sections and the
customer's own facts (`data/responses/shop.yml`; `shop_by_language` gives the constants as
another language writes them). `fill` returns None when any slot cannot be filled, so a
raw `{{...}}` is never shown.
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
DEFAULT_LANGUAGE = "en"  # the language of an item that names none (intent.language's default)
# the bank's other languages: folder of data/responses/ -> language
LANGUAGE_DIRS: dict[str, str] = {"zh": "zh"}


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
    language: str = DEFAULT_LANGUAGE  # en / zh: suggested only for turns in this language


@dataclass(frozen=True, slots=True)
class SlotConfig:
    shop: dict[str, str]
    slots: dict[str, str]  # placeholder -> "shop:key" / "customer:key" / "ui:Label"
    ui_sections: frozenset[str] = field(default_factory=frozenset)
    # language -> shop constants as that language writes them (a key it lacks: `shop`'s)
    shop_by_language: dict[str, dict[str, str]] = field(default_factory=dict)

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
        shop = {str(k): str(v) for k, v in (doc.get("shop") or {}).items()}
        by_language: dict[str, dict[str, str]] = {}
        for lang, consts in (doc.get("shop_by_language") or {}).items():
            extra = {str(k): str(v) for k, v in (consts or {}).items()}
            unknown = sorted(set(extra) - set(shop))
            if unknown:
                raise ConfigError(str(path), f"shop_by_language.{lang}: {unknown} not in shop")
            by_language[str(lang)] = extra
        return cls(
            shop,
            slots,
            frozenset(str(s) for s in doc.get("ui_sections") or []),
            by_language,
        )

    def shop_for(self, language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
        """The shop constants as `language` writes them."""
        extra = self.shop_by_language.get(language)
        return self.shop | extra if extra else self.shop

    def source(self, placeholder: str) -> str | None:
        if placeholder in self.slots:
            return self.slots[placeholder]
        if placeholder in self.ui_sections:
            return f"ui:{placeholder}"
        return None

    def fillable_offline(self, text: str) -> bool:
        """True if every slot has a known source (customer facts may still be missing)."""
        return all(self.source(s) is not None for s in SLOT.findall(text))


def fill(
    text: str, facts: Mapping[str, str], config: SlotConfig, language: str = DEFAULT_LANGUAGE
) -> str | None:
    """`text` with every slot filled (shop constants as `language` writes them), or None
    if one cannot be."""
    missing = False
    shop = config.shop_for(language)

    def sub(m: re.Match[str]) -> str:
        nonlocal missing
        src = config.source(m.group(1))
        if src is None:
            missing = True
            return ""
        kind, key = src.split(":", 1)
        if kind == "ui":
            return f"'{key}'"
        value = (shop if kind == "shop" else facts).get(key)
        if not value:
            missing = True
            return ""
        return str(value)

    out = SLOT.sub(sub, text)
    return None if missing else out


def load_bank(
    templates: str | Path | None = DATA / "bitext_templates.json",
    knowledge: str | Path | None = DATA / "knowledge.yml",
    languages: Mapping[str, str | Path] | None = None,
) -> list[BankItem]:
    """The English templates and knowledge, then each other language's folder
    (`languages`: language -> folder with `templates.yml` and `knowledge.yml`; default:
    `LANGUAGE_DIRS` under data/responses; `{}`: English only)."""
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
        items += _yaml_items(Path(knowledge), DEFAULT_LANGUAGE, "knowledge")
    folders = (
        {lang: DATA / d for lang, d in LANGUAGE_DIRS.items()} if languages is None else languages
    )
    for lang, folder in folders.items():
        for name in ("templates", "knowledge"):
            if (Path(folder) / f"{name}.yml").exists():
                items += _yaml_items(Path(folder) / f"{name}.yml", lang, name)
    ids = [i.id for i in items]
    if len(ids) != len(set(ids)):
        dup = sorted({i for i in ids if ids.count(i) > 1})
        raise ConfigError(str(DATA), f"bank ids used twice: {dup[:5]}")
    return items


def _yaml_items(path: Path, language: str, role: str) -> list[BankItem]:
    """The items of a knowledge.yml-style file (`role` templates: `kind` defaults to
    template). An item of a language other than English gets the id `<language>:<id>`;
    its source is `<role>:<id>` (`<role>:<language>:<id>`)."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(str(path), str(exc)) from exc
    english = language == DEFAULT_LANGUAGE
    out: list[BankItem] = []
    for a in doc.get("items") or []:
        for key in ("id", "text") if role == "templates" else ("id", "kind", "text"):
            if key not in a:
                raise ConfigError(str(path), f"item {a.get('id')!r} lacks {key!r}")
        kind = str(a.get("kind", "template"))
        own = str(a["id"])
        out.append(
            BankItem(
                own if english else f"{language}:{own}",
                kind,
                str(a["text"]).strip(),
                tuple(a.get("intents") or ()),
                tuple(a.get("stages") or ()),
                tuple(a.get("questions") or ()),
                str(a.get("title", own)),
                f"{role}:{own}" if english else f"{role}:{language}:{own}",
                language,
            )
        )
    return out


def translation_gaps(items: Sequence[BankItem], language: str) -> list[str]:
    """What `language`'s items lack against the English ones, one line each: an intent the
    English items answer and none of its items does (or the other way round), an English
    article or playbook reply without its twin (`<language>:<id>`), or a twin whose kind,
    intents or slots differ. Empty when the translation is complete."""
    english = [i for i in items if i.language == DEFAULT_LANGUAGE]
    other = {i.id: i for i in items if i.language == language}
    gaps: list[str] = []
    en_intents = {x for i in english for x in i.intents}
    own_intents = {x for i in other.values() for x in i.intents}
    gaps += [f"intent {x}: no {language} item" for x in sorted(en_intents - own_intents)]
    gaps += [f"intent {x}: no English item" for x in sorted(own_intents - en_intents)]
    for item in english:
        if item.kind == "template":
            continue
        twin = other.get(f"{language}:{item.id}")
        if twin is None:
            gaps.append(f"{item.id}: no {language} twin")
            continue
        for what, a, b in (
            ("kind", item.kind, twin.kind),
            ("intents", sorted(item.intents), sorted(twin.intents)),
            ("slots", sorted(set(SLOT.findall(item.text))), sorted(set(SLOT.findall(twin.text)))),
        ):
            if a != b:
                gaps.append(f"{twin.id}: {what} {b} differ from the English {a}")
    return gaps


def texts_of(items: Sequence[BankItem]) -> list[str]:
    return [SLOT.sub(lambda m: m.group(1), i.text) for i in items]
