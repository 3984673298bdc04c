"""Learning from agents: retrain the intent model with their corrections, compare it with
the current model on the same held-out sets, and promote it only when it is not worse.

    python -m intent retrain [--corrections FILE.csv | --database URL] [--reviewed FILE.csv]
                             [--heldout FILE ...] [--tolerance POINTS] [--full] [--force]

Training data: the base data (`<data>/nlu.yml`, validated on `<data>/valid.csv`, the
inputs of `build-demo`) plus the additions: the agents' intent corrections (the feedback
store's, from the service's database or an exported `text,label` CSV) and reviewed lines
(`text,label`; the label an intent or the out-of-scope label). An addition whose text is
in a held-out set is dropped (counted in the report): the comparison would flatter the
candidate otherwise. An addition relabels a base example with the same text. An addition
in a language the model directory has a model of its own for (`<dir>/zh/`) goes to that
model, retrained from `<data>/zh/nlu.yml` (and its `valid.csv`, `training.json`) the same
way; a model nothing was added for is copied into the candidate unchanged.

Promotion rule (`decide`): on every held-out set the candidate's `MAIN_METRIC` (accuracy
at the operating point: the decision the service makes, out-of-scope rejection included)
must be at least the current model's minus `tolerance` points (default 0.0); `--force`
promotes anyway, and the registry's history says so."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from intent.data import DataFormatError, Example, load_examples
from intent.language import detect
from intent.registry import ModelRegistry, adopt, resolve_model_dir
from intent.routing import LANGUAGE_DIRS, language_dirs

MAIN_METRIC = "accuracy_at_operating_point"
FIGURES = ("n", MAIN_METRIC, "accuracy", "macro_f1", "ece", "in_scope_accuracy", "oos_recall")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # escaped with a quote by the export


def normalise(text: str) -> str:
    """What two texts must share to count as the same turn (case and spacing ignored)."""
    return " ".join(text.casefold().split())


def default_heldout(data: Path) -> list[Path]:
    """The sets `make model` evaluates: `test.csv`, every `realistic_test*.csv`, and each
    language's `<lang>/test.csv`."""
    found = [data / "test.csv", *sorted(data.glob("realistic_test*.csv"))]
    found += [data / sub / "test.csv" for sub in LANGUAGE_DIRS.values()]
    return [p for p in found if p.is_file()]


def read_labelled_csv(path: Path) -> list[Example]:
    """`text,label` rows (the feedback export, a reviewed file); a cell the export escaped
    against spreadsheet formulas (`'=...`) is read back as written."""
    rows = load_examples(path)
    return [Example(_unescape(e.text), _unescape(e.label)) for e in rows]


def _unescape(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def read_database_corrections(url: str) -> list[Example]:
    """The intent corrections agents made in the service (api/feedback.py's store), oldest
    first. Reads only; the database is not migrated."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError

    from api.feedback import FeedbackStore
    from api.storage.tables import FeedbackRow
    from retrieval.db import make_engine

    if url.startswith("sqlite:///") and not Path(url.split(":///", 1)[1]).is_file():
        raise DataFormatError(f"{url}: no such database (give --corrections FILE.csv instead)")
    engine = make_engine(url)
    try:
        if not inspect(engine).has_table(FeedbackRow.__tablename__):
            return []  # the service has not run on it yet: no corrections
        found = FeedbackStore(engine).all("intent_correction")
    except SQLAlchemyError as exc:
        raise DataFormatError(
            f"{url}: the feedback table cannot be read ({type(exc).__name__}); is it the "
            "service's database?"
        ) from exc
    finally:
        engine.dispose()
    return [
        Example(f.text, f.corrected_intent) for f in found if f.text.strip() and f.corrected_intent
    ]


class NothingToLearn(ValueError):
    """No correction or reviewed line is left to train on: no candidate is built."""


@dataclass
class Additions:
    """What the corrections and reviewed lines add, and what was left out and why."""

    kept: list[Example] = field(default_factory=list)  # for the main (English) model
    dropped_heldout: list[Example] = field(default_factory=list)  # their text is held out
    # in another language the model directory has a model for (`<dir>/zh/`): for that model
    other_language: list[Example] = field(default_factory=list)
    duplicates: int = 0  # the same text again (the last label wins)

    def of_language(self, lang: str) -> list[Example]:
        return [e for e in self.other_language if detect(e.text) == lang]


def prepare_additions(
    additions: Sequence[Example],
    heldout: Iterable[Example],
    other_languages: Iterable[str] = (),
) -> Additions:
    held = {normalise(e.text) for e in heldout}
    others = set(other_languages)
    latest: dict[str, Example] = {}
    latest_other: dict[str, Example] = {}
    out = Additions()
    for e in additions:
        key = normalise(e.text)
        if not key:
            continue
        if key in held:
            out.dropped_heldout.append(e)
            continue
        bucket = latest_other if detect(e.text) in others else latest
        out.duplicates += key in bucket
        bucket.pop(key, None)
        bucket[key] = e
    out.kept = list(latest.values())
    out.other_language = list(latest_other.values())
    return out


def merge(base: Sequence[Example], kept: Sequence[Example]) -> tuple[list[Example], int]:
    """The base data with the additions; a base example whose text an addition names again
    is replaced by it. Returns (examples, replaced)."""
    relabelled = {normalise(e.text) for e in kept}
    survivors = [e for e in base if normalise(e.text) not in relabelled]
    return survivors + list(kept), len(base) - len(survivors)


def figures(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: metrics[k] for k in FIGURES if metrics.get(k) is not None}


def evaluate_dir(
    model_dir: Path, sets: dict[str, list[Example]]
) -> tuple[dict[str, dict[str, Any]], dict[str, list[bool]]]:
    """Per held-out set: the figures, and whether each turn's decision (at the operating
    point) is right."""
    from intent.evaluate import evaluate
    from intent.routing import load_models

    model = load_models(model_dir)
    figs: dict[str, dict[str, Any]] = {}
    right: dict[str, list[bool]] = {}
    for name, examples in sets.items():
        metrics, details = evaluate(model, examples)
        figs[name] = figures(metrics)
        right[name] = [d == g for d, g in zip(details["decided"], details["gold"], strict=True)]
    return figs, right


def paired_change(current: Sequence[bool], candidate: Sequence[bool]) -> dict[str, float]:
    """The turns whose decision the candidate lost (right before, wrong now) and gained,
    and the one-sided exact McNemar p-value of a loss that large by chance: a small drop
    with a large p is what refitting alone moves on a set that size."""
    from scipy.stats import binomtest

    lost = sum(a and not b for a, b in zip(current, candidate, strict=True))
    gained = sum(b and not a for a, b in zip(current, candidate, strict=True))
    p = binomtest(lost, lost + gained, 0.5, alternative="greater").pvalue if lost else 1.0
    return {"lost": lost, "gained": gained, "p_worse": round(float(p), 4)}


@dataclass(frozen=True)
class Decision:
    promote: bool
    worse: list[str]  # held-out sets on which the candidate falls below the rule
    rule: str
    forced: bool = False


def decide(
    current: dict[str, dict[str, Any]],
    candidate: dict[str, dict[str, Any]],
    tolerance_points: float = 0.0,
    force: bool = False,
) -> Decision:
    if tolerance_points < 0:
        raise ValueError("the tolerance is in points and must be >= 0")
    worse = [
        name
        for name, figs in current.items()
        if candidate[name][MAIN_METRIC] < figs[MAIN_METRIC] - tolerance_points / 100
    ]
    rule = (
        f"promote when {MAIN_METRIC} is not lower than the current model's by more than "
        f"{tolerance_points:g} points on every held-out set"
    )
    return Decision(not worse or force, worse, rule, forced=bool(worse) and force)


@dataclass
class RetrainOptions:
    data: Path = Path("data/intents")
    model_dir: Path = Path("var/models/intent")
    registry: Path = Path("var/models/registry")
    corrections: list[Path] = field(default_factory=list)
    database: str | None = None
    reviewed: list[Path] = field(default_factory=list)
    heldout: list[Path] = field(default_factory=list)  # empty: default_heldout(data)
    full: bool = False
    tolerance: float = 0.0
    force: bool = False
    by: str = "unknown"
    reason: str = ""
    runs_dir: Path | None = None  # default: retrain/ beside the registry
    device: str | None = None


@dataclass
class RetrainResult:
    run_dir: Path
    current_version: str | None
    current_dir: Path
    mode: str
    counts: dict[str, int]
    current: dict[str, dict[str, Any]]
    candidate: dict[str, dict[str, Any]]
    decision: Decision
    promoted_version: str | None = None
    dropped_heldout: list[str] = field(default_factory=list)
    changes: dict[str, dict[str, float]] = field(default_factory=dict)  # paired_change per set

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["run_dir"], d["current_dir"] = str(self.run_dir), str(self.current_dir)
        return d


def _additions(o: RetrainOptions) -> tuple[list[Example], dict[str, int]]:
    found: list[Example] = []
    counts: dict[str, int] = {}
    for path in o.corrections:
        rows = read_labelled_csv(path)
        counts["corrections"] = counts.get("corrections", 0) + len(rows)
        found += rows
    if o.database:
        rows = read_database_corrections(o.database)
        counts["corrections"] = counts.get("corrections", 0) + len(rows)
        found += rows
    for path in o.reviewed:
        rows = read_labelled_csv(path)
        counts["reviewed"] = counts.get("reviewed", 0) + len(rows)
        found += rows
    return found, counts


def _train_one(
    o: RetrainOptions, data: Path, current: Path, examples: list[Example], out: Path
) -> None:
    """One language's model: `current` updated (heads refitted on its encoder) or, with
    `--full`, trained again from `data`'s training.json; saved in `out`."""
    from intent.trainer import train, update
    from intent.training_args import TrainingArgs

    valid_path = data / "valid.csv"
    valid = load_examples(valid_path) if valid_path.is_file() else None
    if o.full:
        config = data / "training.json"
        args = json.loads(config.read_text(encoding="utf-8")) if config.is_file() else {}
        if o.device:
            args["device"] = o.device
        model = train(examples, TrainingArgs.from_dict(args), valid, progress=False)
    else:
        model = update(current, examples, valid, progress=False)
    model.save(out)


def _build_candidate(
    o: RetrainOptions,
    current_dir: Path,
    examples: list[Example] | None,
    out: Path,
    languages: dict[str, list[Example]],
) -> str:
    """The candidate directory: the main model retrained on `examples` (None: copied as it
    is, nothing was added in its language), each language model of `languages` retrained
    on its own data, the others copied."""
    if examples is None:
        shutil.copytree(
            current_dir, out, ignore=shutil.ignore_patterns(*LANGUAGE_DIRS.values(), "eval*")
        )
    else:
        _train_one(o, o.data, current_dir, examples, out)
    for lang, directory in language_dirs(current_dir).items():
        sub = LANGUAGE_DIRS[lang]
        if lang in languages:
            _train_one(o, o.data / sub, directory, languages[lang], out / sub)
        else:  # kept as it is
            shutil.copytree(directory, out / sub)
    return "full" if o.full else "update"


def retrain(o: RetrainOptions) -> RetrainResult:
    current_dir, current_version = resolve_model_dir(o.model_dir, o.registry)
    if not (current_dir / "config.json").is_file():
        raise DataFormatError(f"{current_dir}: no current model to retrain (run `make model`)")
    heldout_paths = o.heldout or default_heldout(o.data)
    if not heldout_paths:
        raise DataFormatError(f"no held-out set: {o.data} has no test.csv; give --heldout FILE")
    sets = {_set_name(p, o.data): load_examples(p) for p in heldout_paths}
    found, counts = _additions(o)
    others = [lang for lang in language_dirs(current_dir)]
    adds = prepare_additions(found, (e for s in sets.values() for e in s), others)
    # a language model is retrained from its own base data (`<data>/zh/nlu.yml`); without
    # it, its additions are set aside (counted)
    languages: dict[str, list[Example]] = {}
    set_aside = 0
    for lang in others:
        mine = adds.of_language(lang)
        base_path = o.data / LANGUAGE_DIRS[lang] / "nlu.yml"
        if mine and base_path.is_file():
            languages[lang], replaced_lang = merge(load_examples(base_path), mine)
            counts |= {f"added_{lang}": len(mine), f"replaced_base_{lang}": replaced_lang}
        else:
            set_aside += len(mine)
    if not adds.kept and not languages:
        raise NothingToLearn(
            f"nothing to learn from: {counts.get('corrections', 0)} corrections and "
            f"{counts.get('reviewed', 0)} reviewed lines, {len(adds.dropped_heldout)} of them "
            f"held out and {set_aside} in a language without a model or its base data; the "
            "current model stays"
        )
    examples: list[Example] | None = None
    if adds.kept:
        base = load_examples(o.data / "nlu.yml")
        examples, replaced = merge(base, adds.kept)
        counts |= {"base": len(base), "replaced_base": replaced, "training": len(examples)}
    counts |= {
        "added": len(adds.kept),
        "dropped_heldout": len(adds.dropped_heldout),
        "other_language": set_aside,
        "duplicates": adds.duplicates,
    }
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    run_dir = (o.runs_dir or o.registry.parent / "retrain") / stamp
    candidate_dir = run_dir / "candidate"
    run_dir.mkdir(parents=True)
    mode = _build_candidate(o, current_dir, examples, candidate_dir, languages)
    current, current_right = evaluate_dir(current_dir, sets)
    candidate, candidate_right = evaluate_dir(candidate_dir, sets)
    result = RetrainResult(
        run_dir, current_version, current_dir, mode, counts, current, candidate,
        decide(current, candidate, o.tolerance, o.force),
        dropped_heldout=[e.text for e in adds.dropped_heldout],
        changes={n: paired_change(current_right[n], candidate_right[n]) for n in sets},
    )  # fmt: skip
    write_report(result, run_dir)
    if result.decision.promote:
        result.promoted_version = _promote(o, result, candidate_dir)
        write_report(result, run_dir)
    else:
        shutil.rmtree(candidate_dir)  # the report stays; --force promotes one anyway
    return result


def _set_name(path: Path, data: Path) -> str:
    try:
        return str(path.resolve().relative_to(data.resolve()))
    except ValueError:
        return str(path)


def _promote(o: RetrainOptions, r: RetrainResult, candidate_dir: Path) -> str:
    registry = ModelRegistry(o.registry)
    parent = r.current_version
    if parent is None:  # the first promotion: the model served today becomes v0001
        parent = adopt(registry, r.current_dir, by=o.by, figures=r.current)
    for name in ("report.md", "report.json"):
        shutil.copy(r.run_dir / name, candidate_dir / f"retrain_{name}")
    version = registry.add(
        candidate_dir, by=o.by, source=f"retrain ({r.mode})", parent=parent,
        figures=r.candidate, note=o.reason, move=True,
    )  # fmt: skip
    why = o.reason or "retrained from agents' corrections"
    if r.decision.forced:
        why += f" (forced: worse on {', '.join(r.decision.worse)})"
    registry.set_current(
        version, action="promote", by=o.by, reason=why, figures=r.candidate,
        expect_current=parent,
    )  # fmt: skip
    return version


def write_report(r: RetrainResult, run_dir: Path) -> None:
    (run_dir / "report.json").write_text(json.dumps(r.to_dict(), indent=2, default=str) + "\n")
    d = r.decision
    verdict = (
        f"promoted as {r.promoted_version}"
        if r.promoted_version
        else ("promote" if d.promote else "refused")
    )
    lines = [
        "# Retraining from agents' corrections",
        "",
        f"Current model: {r.current_version or r.current_dir}; candidate: {r.mode} training.",
        "",
        "Training data: " + ", ".join(f"{k} {v}" for k, v in r.counts.items()) + ".",
        "",
    ]
    if r.dropped_heldout:
        lines += [
            f"{len(r.dropped_heldout)} additions were dropped because their text is in a "
            "held-out set (they would flatter the candidate).",
            "",
        ]
    lines += ["| held-out set | metric | current | candidate | change |", "|---|---|---|---|---|"]
    for name, cur in r.current.items():
        for k in FIGURES[1:]:
            if k in cur and k in r.candidate[name]:
                a, b = float(cur[k]), float(r.candidate[name][k])
                lines.append(f"| {name} (n={cur['n']}) | {k} | {a:.4f} | {b:.4f} | {b - a:+.4f} |")
    if r.changes:
        lines += [
            "",
            "Decisions that changed (at the operating point), and the one-sided exact McNemar "
            "p-value of the losses: a drop with a large p is within what chance moves on a "
            "set this size (`--tolerance` admits it); a small p is a real loss.",
            "",
            "| held-out set | lost | gained | p (worse by chance) |",
            "|---|---|---|---|",
        ]
        for name, ch in r.changes.items():
            lines.append(f"| {name} | {ch['lost']} | {ch['gained']} | {ch['p_worse']:.4f} |")
    lines += ["", f"Rule: {d.rule}.", ""]
    if d.worse:
        lines.append(f"Worse on: {', '.join(d.worse)}." + (" Forced." if d.forced else ""))
    lines.append(f"Decision: **{verdict}**.")
    (run_dir / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
