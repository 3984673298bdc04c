"""`python -m intent`: train, evaluate, predict, build the demo model (cached), and retrain
from agents' corrections into the model registry (retrain, registry, rollback)."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from intent.routing import LANGUAGE_DIRS
from intent.training_args import ENCODERS

console = Console(stderr=True, soft_wrap=True)


def _args_from(
    path: Path | None, epochs: int | None, device: str | None, encoder: str | None = None
):
    from intent.training_args import TrainingArgs

    data = json.loads(path.read_text(encoding="utf-8")) if path else {}
    if epochs is not None:
        data["epochs"] = epochs
    if device:
        data["device"] = device
    if encoder:
        data["encoder"] = encoder
    return TrainingArgs.from_dict(data)


def cmd_train(a: argparse.Namespace) -> int:
    from intent.data import load_examples
    from intent.trainer import train, update

    examples = load_examples(a.data, lowercase=a.lowercase)
    valid = load_examples(a.valid, lowercase=a.lowercase) if a.valid else None
    console.print(
        f"training on {len(examples)} utterances from {a.data}"
        + (f", validating on {len(valid)}" if valid else "")
        + (f", keeping the encoder of {a.update}" if a.update else "")
    )
    if a.update:
        if a.config or a.epochs is not None or a.encoder:
            raise ValueError(
                "--update reuses the previous model's arguments: drop --config/--epochs/--encoder"
            )
        model = update(a.update, examples, valid)
    else:
        model = train(examples, _args_from(a.config, a.epochs, a.device, a.encoder), valid)
    model.save(a.out)
    print_training_summary(model)
    console.print(
        f"[green]saved[/] {a.out}  (n-gram weight {model.config.ngram_weight}, "
        f"temperature {model.config.temperature:.3f}, OOS threshold "
        f"{model.config.oos_threshold:.3f}, {model.config.training['train_seconds']} s)"
    )
    return 0


def print_training_summary(model) -> None:
    """Time per phase, the fine-tuning decision with its validation figures, and the
    operating point with the held-out figures behind it."""
    t = model.config.training
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in t.get("phase_seconds", {}).items())
    console.print(f"phases: {phases}")
    ft = t.get("fine_tuning", {})
    figures = ""
    if "frozen_valid_accuracy" in ft:
        figures = f" (frozen head {ft['frozen_valid_accuracy']:.4f} on {ft.get('n_valid')} validation turns"
        if ft.get("valid_accuracy_by_epoch"):
            figures += f"; fine-tuning by epoch {ft['valid_accuracy_by_epoch']}"
        figures += ")"
    console.print(f"encoder: {ft.get('encoder', '?')}{figures}: {ft.get('reason', '')}")
    if t.get("update"):
        console.print(f"update: {t['update']['reason']}")
    op = model.config.validation.get("operating_point") or {}
    if op:
        recalls = ", ".join(
            f"{k.removeprefix('recall_').replace('_', ' ')} {v:.3f}"
            for k, v in op.items()
            if k.startswith("recall_")
        )
        console.print(
            f"operating point ({model.config.validation.get('held_out')} held-out turns): "
            f"threshold {op.get('threshold', 0):.3f}, in-scope accuracy "
            f"{op.get('in_scope_accuracy', 0):.3f} of {op.get('n_in_scope')} turns"
            + (f", out-of-scope recall: {recalls}" if recalls else "")
            + f"; {t.get('n_background', 0)} background and {t.get('n_noisy_copies', 0)} "
            "noisy copies in training"
        )


def cmd_evaluate(a: argparse.Namespace) -> int:
    from intent.data import load_examples
    from intent.evaluate import evaluate, write_report
    from intent.routing import load_models

    model = load_models(a.model, threads=a.threads)  # with its language models, if any
    examples = load_examples(a.data, lowercase=a.lowercase)
    metrics, details = evaluate(model, examples, a.oos_label)
    write_report(metrics, details, a.report, title=f"Intent evaluation: {a.data}")
    print(json.dumps(metrics, indent=2))
    console.print(f"[green]report[/] {a.report}/report.md")
    return 0


def cmd_predict(a: argparse.Namespace) -> int:
    from intent.entities import EntityExtractor
    from intent.routing import load_models
    from intent.sentiment import SentimentAnalyzer

    model = load_models(a.model, threads=a.threads)
    extractor, sentiment = EntityExtractor.default(), SentimentAnalyzer()
    texts = a.text or [line.rstrip("\n") for line in sys.stdin if line.strip()]
    for pred in model.predict(texts):
        row = pred.to_dict() | {
            "entities": [e.to_dict() for e in extractor.extract(pred.text)],
            "sentiment": sentiment.analyze(pred.text).to_dict(),
        }
        print(json.dumps(row))
    return 0


def cmd_calibrate(a: argparse.Namespace) -> int:
    from intent.data import load_examples
    from intent.modeling import IntentModel
    from intent.trainer import recalibrate

    model = IntentModel.load(a.model, threads=a.threads)
    result = recalibrate(model, load_examples(a.valid, lowercase=a.lowercase), a.reject_rate)
    model.config.validation["recalibrated_on"] = str(a.valid)
    model.save(a.model)
    print(json.dumps(result))
    return 0


def demo_inputs_hash(data_dir: Path) -> str:
    """Hash of what the demo model is built from: data, training config, and the revisions
    of the model format and the training recipe (bump those when their code changes what
    a trained model is)."""
    from intent.background import BUILTIN, background_path
    from intent.modeling import FORMAT_VERSION
    from intent.trainer import RECIPE_REVISION

    h = hashlib.sha256(f"format={FORMAT_VERSION};recipe={RECIPE_REVISION}".encode())
    files = [data_dir / "nlu.yml", data_dir / "valid.csv", data_dir / "training.json"]
    for lang in LANGUAGE_DIRS:  # a language's own model: data/intents/<lang>/
        files += [f for f in _language_inputs(data_dir / lang) if f.is_file()]
    for f in files + [background_path(BUILTIN)]:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _language_inputs(lang_dir: Path) -> list[Path]:
    return [lang_dir / "nlu.yml", lang_dir / "valid.csv", lang_dir / "training.json"]


def _build_language_models(data: Path, out: Path, device: str | None) -> dict[str, Any]:
    """Train each language's model from `data/<lang>/` (nlu.yml, valid.csv, training.json)
    into `out/<lang>/`, with its test split's report in `out/<lang>/eval`."""
    from intent.data import load_examples
    from intent.evaluate import evaluate, write_report
    from intent.trainer import train

    built: dict[str, Any] = {}
    for lang, sub in LANGUAGE_DIRS.items():
        src = data / lang
        if not (src / "nlu.yml").is_file():
            continue
        args = _args_from(src / "training.json" if (src / "training.json").is_file() else None,
                          None, device)  # fmt: skip
        train_set, valid = load_examples(src / "nlu.yml"), load_examples(src / "valid.csv")
        console.print(f"building the {lang} intent model: {len(train_set)} utterances")
        model = train(train_set, args, valid)
        print_training_summary(model)
        model.save(out / sub)
        if (src / "test.csv").is_file():
            metrics, details = evaluate(model, load_examples(src / "test.csv"))
            write_report(metrics, details, out / sub / "eval",
                         title=f"Demo {lang} intent model on data/intents/{lang}/test.csv")  # fmt: skip
            built[f"{lang}_test_metrics"] = metrics
            console.print(
                f"{lang}/test.csv: accuracy {metrics['accuracy_at_operating_point']:.4f} at the "
                f"operating point, ECE {metrics['ece']:.4f}"
            )
    return built


def cmd_build_demo(a: argparse.Namespace) -> int:
    """Train the demo model unless one built from the same inputs exists."""
    out: Path = a.out
    digest = demo_inputs_hash(a.data)
    stamp = out / "build.json"
    if (
        not a.force
        and stamp.is_file()
        and json.loads(stamp.read_text()).get("inputs_hash") == digest
    ):
        console.print(f"[green]demo model up to date[/] ({out}, inputs {digest})")
        return 0
    from intent.data import load_examples
    from intent.evaluate import evaluate, write_report
    from intent.routing import load_models
    from intent.trainer import train

    started = time.perf_counter()
    args = _args_from(a.data / "training.json", None, a.device)
    train_set = load_examples(a.data / "nlu.yml")
    valid = load_examples(a.data / "valid.csv")
    console.print(
        f"building the demo intent model: {len(train_set)} utterances, "
        f"{len({e.label for e in train_set})} intents (inputs {digest})"
    )
    model = train(train_set, args, valid)
    print_training_summary(model)
    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        import shutil

        shutil.rmtree(tmp)
    model.save(tmp)
    metrics, details = evaluate(model, load_examples(a.data / "test.csv"))
    write_report(metrics, details, tmp / "eval", title="Demo intent model on data/intents/test.csv")
    build = {
        "inputs_hash": digest,
        "test_metrics": metrics,
    } | _build_language_models(a.data, tmp, a.device)
    routed = load_models(tmp)  # the English model, and the language models beside it
    # hand-written messy turns (realistic_test.csv, realistic_test_2.csv, ...): never
    # trained on, never tuned on; each gets its report in eval_<file stem without "_test">
    for realistic in sorted(a.data.glob("realistic_test*.csv")):
        name = realistic.stem.replace("_test", "")
        r_metrics, r_details = evaluate(routed, load_examples(realistic))
        write_report(
            r_metrics, r_details, tmp / f"eval_{name}",
            title=f"Demo intent model on data/intents/{realistic.name} (hand-written)",
        )  # fmt: skip
        build[f"{name}_metrics"] = r_metrics
        console.print(
            f"{realistic.name}: accuracy {r_metrics['accuracy_at_operating_point']:.4f}"
            f" at the operating point, ECE {r_metrics['ece']:.4f}"
        )
    build["seconds"] = round(time.perf_counter() - started, 1)
    (tmp / "build.json").write_text(json.dumps(build, indent=2))
    if out.exists():
        import shutil

        shutil.rmtree(out)
    os.replace(tmp, out)
    console.print(
        f"[green]demo model built[/] in {time.perf_counter() - started:.0f} s: "
        f"test accuracy {metrics['accuracy']:.4f}, ECE {metrics['ece']:.4f}, "
        f"OOS recall {metrics.get('oos_recall', float('nan')):.3f} -> {out}"
    )
    return 0


def _service_settings() -> Any:
    """The service's settings (model_dir, model_registry, history_url), read from the
    environment / `.env` as the service reads them."""
    from api.config import get_settings

    return get_settings()


def _registry_root(a: argparse.Namespace, model_dir: Path | None = None) -> Path:
    """--registry, else the service's (AGENT_ASSIST_MODEL_REGISTRY, else registry/ beside
    the model directory: `model_dir` when given, else AGENT_ASSIST_MODEL_DIR)."""
    from intent.registry import default_root

    if a.registry is not None:
        return Path(a.registry)
    settings = _service_settings()
    return settings.model_registry or default_root(model_dir or settings.model_dir)


def _who(a: argparse.Namespace) -> str:
    import getpass

    return a.by or os.environ.get("USER") or getpass.getuser()


def cmd_retrain(a: argparse.Namespace) -> int:
    """Candidate from base data + corrections, compared on the held-out sets, promoted
    when not worse (intent/retrain.py). Exit 0: promoted; 1: refused."""
    from intent.retrain import MAIN_METRIC, NothingToLearn, RetrainOptions, retrain

    settings = _service_settings()
    model_dir = a.model_dir or settings.model_dir
    database = a.database
    if database is None and not a.corrections:
        database = settings.history_url  # the service's own database
    options = RetrainOptions(
        data=a.data,
        model_dir=model_dir,
        registry=_registry_root(a, model_dir),
        corrections=a.corrections,
        database=database,
        reviewed=a.reviewed,
        heldout=a.heldout,
        full=a.full,
        tolerance=a.tolerance,
        force=a.force,
        by=_who(a),
        reason=a.reason or "",
        device=a.device,
    )
    try:
        result = retrain(options)
    except NothingToLearn as exc:  # not an error: nothing new since the last run
        console.print(str(exc))
        return 0
    c = result.counts
    by_language = ", ".join(
        f"{v} to the {k.removeprefix('added_')} model"
        for k, v in c.items()
        if k.startswith("added_")
    )
    console.print(
        f"training data: {c.get('added', 0)} additions to the main model"
        + (f" ({c['base']} base)" if "base" in c else " (kept as it is)")
        + (f", {by_language}" if by_language else "")
        + f" ({c.get('corrections', 0)} corrections, {c.get('reviewed', 0)} reviewed lines; "
        f"{c['dropped_heldout']} dropped: their text is held out; {c['other_language']} "
        f"set aside: a language without a model or its base data)"
    )
    for name, cur in result.current.items():
        new = result.candidate[name]
        ch = result.changes.get(name, {})
        console.print(
            f"{name}: {MAIN_METRIC} {cur[MAIN_METRIC]:.4f} -> {new[MAIN_METRIC]:.4f}, "
            f"macro-F1 {cur.get('macro_f1', 0):.4f} -> {new.get('macro_f1', 0):.4f}"
            + (
                f"; {ch['lost']} turns lost, {ch['gained']} gained (p {ch['p_worse']:.3f})"
                if ch
                else ""
            )
        )
    console.print(f"report: {result.run_dir}/report.md")
    if result.promoted_version:
        console.print(
            f"[green]promoted {result.promoted_version}[/]"
            + (" [yellow](forced)[/]" if result.decision.forced else "")
            + ": a running service switches to it within model_reload_check_s"
        )
        return 0
    console.print(
        f"[red]refused[/]: worse on {', '.join(result.decision.worse)} "
        f"({result.decision.rule}); --force promotes anyway"
    )
    return 1


def cmd_registry(a: argparse.Namespace) -> int:
    from intent.registry import ModelRegistry
    from intent.retrain import MAIN_METRIC

    registry = ModelRegistry(_registry_root(a))
    if not registry.exists():
        console.print(f"no registry at {registry.root}: the service serves model_dir")
        return 0
    reg = registry.read()
    if a.json:
        print(reg.model_dump_json(indent=2))
        return 0
    for v in reg.versions:
        figs = ", ".join(
            f"{name} {f[MAIN_METRIC]:.4f}" for name, f in v.figures.items() if MAIN_METRIC in f
        )
        mark = "*" if v.version == reg.current else " "
        print(
            f"{mark} {v.version}  {v.created_at:%Y-%m-%d %H:%M}  {v.created_by}  {v.source}"
            + (f"  ({MAIN_METRIC}: {figs})" if figs else "")
        )
    for e in reg.history[-a.history :] if a.history else []:
        when = f"{e.at:%Y-%m-%d %H:%M}"
        print(f"  {when} {e.action} {e.version} (was {e.previous}) by {e.by}: {e.reason}")
    return 0


def cmd_rollback(a: argparse.Namespace) -> int:
    from intent.registry import ModelRegistry

    registry = ModelRegistry(_registry_root(a))
    if not registry.exists():
        raise ValueError(f"no registry at {registry.root}: nothing to roll back")
    event = registry.rollback(a.to, by=_who(a), reason=a.reason or "")
    console.print(
        f"[green]current version: {event.version}[/] (was {event.previous}); a running "
        "service switches within model_reload_check_s, or POST /v1/intent/model:reload"
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m intent", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train a model from CSV (text,label) or Rasa NLU YAML")
    t.add_argument("--data", type=Path, required=True)
    t.add_argument("--valid", type=Path, help="validation data (default: a stratified 10%%)")
    t.add_argument("--out", type=Path, required=True)
    t.add_argument("--config", type=Path, help="JSON of TrainingArgs fields")
    t.add_argument("--epochs", type=int)
    t.add_argument("--device", choices=["auto", "cpu", "cuda"])
    t.add_argument("--lowercase", action="store_true")
    t.add_argument(
        "--encoder",
        choices=ENCODERS,
        help="minilm (English, fine-tuned when it pays; the default) or "
        "multilingual-e5-small-q4 (Chinese and English, frozen)",
    )
    t.add_argument(
        "--update",
        type=Path,
        metavar="MODEL_DIR",
        help="after small edits: keep this model's encoder and refit heads and operating "
        "point in seconds (a full training runs if held-out accuracy falls)",
    )
    t.set_defaults(func=cmd_train)

    e = sub.add_parser("evaluate", help="metrics.json + report.md + plots for a data set")
    e.add_argument("--model", type=Path, required=True)
    e.add_argument("--data", type=Path, required=True)
    e.add_argument("--report", type=Path, required=True)
    e.add_argument("--oos-label", help="label of out-of-scope examples in the data")
    e.add_argument("--lowercase", action="store_true")
    e.add_argument("--threads", type=int, default=2)
    e.set_defaults(func=cmd_evaluate)

    pr = sub.add_parser("predict", help="predict texts (arguments, or one per stdin line)")
    pr.add_argument("--model", type=Path, required=True)
    pr.add_argument("text", nargs="*")
    pr.add_argument("--threads", type=int, default=2)
    pr.set_defaults(func=cmd_predict)

    c = sub.add_parser("calibrate", help="refit temperature + OOS operating point on new data")
    c.add_argument("--model", type=Path, required=True)
    c.add_argument("--valid", type=Path, required=True)
    c.add_argument(
        "--reject-rate",
        type=float,
        help="with no OOS examples: share of in-scope "
        "turns to reject (default: the rate found at training)",
    )
    c.add_argument("--lowercase", action="store_true")
    c.add_argument("--threads", type=int, default=2)
    c.set_defaults(func=cmd_calibrate)

    b = sub.add_parser("build-demo", help="train the demo model if its inputs changed")
    b.add_argument("--data", type=Path, default=Path("data/intents"))
    b.add_argument("--out", type=Path, default=Path("var/models/intent"))
    b.add_argument("--device", choices=["auto", "cpu", "cuda"])
    b.add_argument("--force", action="store_true")
    b.set_defaults(func=cmd_build_demo)

    r = sub.add_parser(
        "retrain",
        help="retrain from agents' corrections; promote the candidate if not worse on held-out",
    )
    r.add_argument("--data", type=Path, default=Path("data/intents"), help="the base data")
    r.add_argument(
        "--corrections", type=Path, action="append", default=[], metavar="FILE.csv",
        help="exported corrections (GET /v1/feedback/export, text,label); repeatable. "
        "Without it, the corrections are read from --database",
    )  # fmt: skip
    r.add_argument(
        "--database", metavar="URL",
        help="the service's database (default: AGENT_ASSIST_HISTORY_URL, when no --corrections)",
    )  # fmt: skip
    r.add_argument(
        "--reviewed", type=Path, action="append", default=[], metavar="FILE.csv",
        help="reviewed lines, text,label (the label an intent or out_of_scope); repeatable",
    )  # fmt: skip
    r.add_argument(
        "--heldout", type=Path, action="append", default=[], metavar="FILE",
        help="held-out set (repeatable; default: the data's test.csv, realistic_test*.csv "
        "and <lang>/test.csv)",
    )  # fmt: skip
    r.add_argument(
        "--tolerance", type=float, default=0.0, metavar="POINTS",
        help="promote when no held-out set loses more than this many points of accuracy "
        "at the operating point (default 0.0)",
    )  # fmt: skip
    r.add_argument("--full", action="store_true", help="full training (default: keep the encoder)")
    r.add_argument("--force", action="store_true", help="promote even when worse")
    r.add_argument("--model-dir", type=Path, help="default: AGENT_ASSIST_MODEL_DIR")
    r.add_argument("--registry", type=Path, help="default: registry/ beside the model dir")
    r.add_argument("--by", help="who promotes (default: $USER)")
    r.add_argument("--reason", help="why, for the registry's history")
    r.add_argument("--device", choices=["auto", "cpu", "cuda"])
    r.set_defaults(func=cmd_retrain)

    g = sub.add_parser("registry", help="list the model registry's versions with their figures")
    g.add_argument("--registry", type=Path, help="default: registry/ beside the model dir")
    g.add_argument("--history", type=int, default=10, help="show the last N changes (0: none)")
    g.add_argument("--json", action="store_true", help="print registry.json (validated)")
    g.set_defaults(func=cmd_registry)

    rb = sub.add_parser("rollback", help="make the previously current version current again")
    rb.add_argument("--to", metavar="VERSION", help="another version instead")
    rb.add_argument("--registry", type=Path, help="default: registry/ beside the model dir")
    rb.add_argument("--by", help="who rolls back (default: $USER)")
    rb.add_argument("--reason", help="why, for the registry's history")
    rb.set_defaults(func=cmd_rollback)
    return p


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    a = build_parser().parse_args(argv)
    from intent.data import DataFormatError
    from intent.modeling import ModelLoadError
    from intent.registry import RegistryError

    try:
        return int(a.func(a))
    except (DataFormatError, ModelLoadError, RegistryError, ValueError) as exc:
        console.print(f"[red]error:[/] {exc}")
        return 2
