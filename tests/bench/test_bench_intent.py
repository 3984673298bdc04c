"""Fast tests of the intent benchmark harness (bench/intent*.py); no model, no Rasa."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest

from bench.intent import cache_key, collect_rows, main, merge_imported, run_cell
from bench.intent_datasets import (
    BUILTIN,
    DatasetSpec,
    build_registry,
    cap_per_label,
    parse_dataset_spec,
)
from bench.intent_rasa import parse_intent_report, write_rasa_nlu
from bench.intent_report import render_markdown, write_report
from bench.intent_systems import TfidfLR, latency_texts
from intent.data import Example, load_examples

# -- registry -------------------------------------------------------------------------


def test_parse_dataset_spec_two_and_three_fields() -> None:
    s = parse_dataset_spec("mine=data/train.csv,data/test.yml")
    assert (s.name, s.train, s.test, s.lowercase, s.builtin) == (
        "mine",
        "data/train.csv",
        "data/test.yml",
        False,
        False,
    )
    assert parse_dataset_spec("x=a,b,lowercase").lowercase is True
    assert parse_dataset_spec(" x = a , b , cased ").lowercase is False


@pytest.mark.parametrize(
    "bad", ["noequals", "=a,b", "x=a", "x=a,b,c,d", "x=a,b,maybe", "bad name=a,b", "x=,b"]
)
def test_parse_dataset_spec_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_dataset_spec(bad)


def test_registry_has_builtins_and_user_sets() -> None:
    reg = build_registry(["mine=a.csv,b.csv"])
    assert list(reg)[:5] == [
        "banking77_full",
        "banking77_10shot",
        "hwu64_full",
        "hwu64_10shot",
        "bitext",
    ]
    assert reg["banking77_10shot"].lowercase and not reg["banking77_full"].lowercase
    assert reg["mine"].paths("/ignored") == (Path("a.csv"), Path("b.csv"))
    assert BUILTIN["hwu64_full"].paths("/root") == (
        Path("/root/hwu64/train"),
        Path("/root/hwu64/test"),
    )


def test_cap_per_label() -> None:
    ex = [Example(f"t{i}", "a" if i % 3 else "b") for i in range(100)]
    capped = cap_per_label(ex, 5)
    assert sum(e.label == "a" for e in capped) == 5 and sum(e.label == "b" for e in capped) == 5


# -- cache key ---------------------------------------------------------------------------


def _write_csv(path: Path, rows: list[tuple[str, str]]) -> None:
    path.write_text("text,label\n" + "".join(f"{t},{y}\n" for t, y in rows), encoding="utf-8")


def test_cache_key_changes_when_a_file_changes(tmp_path: Path) -> None:
    _write_csv(tmp_path / "train.csv", [("hello there", "greet")])
    _write_csv(tmp_path / "test.csv", [("hi", "greet")])
    spec = DatasetSpec("tiny", "train.csv", "test.csv", builtin=True)
    sys_ = TfidfLR()
    k1 = cache_key(sys_, spec, tmp_path, "full")
    assert k1 == cache_key(sys_, spec, tmp_path, "full")
    assert k1 != cache_key(sys_, spec, tmp_path, "quick")
    assert k1 != cache_key(TfidfLR(C=1.0), spec, tmp_path, "full")
    st = (tmp_path / "test.csv").stat()
    _write_csv(tmp_path / "test.csv", [("hi", "greet"), ("bye", "goodbye")])
    os.utime(tmp_path / "test.csv", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert cache_key(sys_, spec, tmp_path, "full") != k1


def test_cache_key_sees_files_inside_a_directory(tmp_path: Path) -> None:
    d = tmp_path / "train"
    d.mkdir()
    (d / "seq.in").write_text("a\n")
    (d / "label").write_text("x\n")
    spec = DatasetSpec("dir", "train", "train", builtin=True)
    k1 = cache_key(TfidfLR(), spec, tmp_path, "full")
    (d / "seq.in").write_text("a longer text\n")
    assert cache_key(TfidfLR(), spec, tmp_path, "full") != k1


# -- report ------------------------------------------------------------------------------


def _fake_row(system: str, dataset: str, acc: float, **kw: object) -> dict:
    return {
        "system": system,
        "dataset": dataset,
        "mode": "full",
        "accuracy": acc,
        "macro_f1": acc - 0.01,
        "train_time_s": 12.3,
        "latency_p50_ms": 1.5,
        "latency_p99_ms": 4.25,
        "n_train": 100,
        "n_test": 50,
        "n_labels": 5,
        "train_device": "cpu",
        **kw,
    }


def test_report_renders_from_fake_rows(tmp_path: Path) -> None:
    rows = [
        _fake_row("tfidf_lr", "banking77_full", 0.9159),
        _fake_row("minilm_frozen_lr", "banking77_full", 0.9282),
        _fake_row("minilm_frozen_lr", "hwu64_full", 0.9015),
        _fake_row("product", "banking77_full", 0.95, train_device="cuda", imported=True),
        {
            "system": "rasa_diet",
            "dataset": "bitext",
            "mode": "full",
            "error": "unavailable: no venv",
        },
    ]
    meta = {
        "mode": "full",
        "date": "2025-01-01T00:00:00",
        "command": "python -m bench.intent",
        "machine": {"cpu_model": "Fake CPU", "logical_cores": 2},
    }
    paths = write_report(rows, meta, tmp_path, "intent", ["banking77_full", "hwu64_full", "bitext"])
    md = paths["md"].read_text()
    assert "91.59 (90.59)" in md and "92.82 (91.82)" in md
    assert "product (trained on cuda, imported)" in md
    assert (
        "1.50 / 4.25" in md
        and "12.3 (cpu)" in md
        and "12.3 [7] (cpu)" in render_markdown([_fake_row("a", "b", 0.5, train_cpu_s=7.2)], meta)
    )
    assert "published" in md and "93.66" in md  # reference rows
    assert "Fake CPU" in md and "python -m bench.intent" in md
    assert "unavailable: no venv" in md
    assert paths["png"].stat().st_size > 1000
    doc = json.loads(paths["json"].read_text())
    assert len(doc["rows"]) == 5 and doc["meta"]["mode"] == "full"
    assert "| system | banking77_full | hwu64_full |" in render_markdown(rows[:3], meta)


def test_import_results_are_kept_and_replaced(tmp_path: Path) -> None:
    f = tmp_path / "gpu.json"
    f.write_text(
        json.dumps({"rows": [_fake_row("product", "hwu64_full", 0.93, train_device="cuda")]})
    )
    merge_imported([f], tmp_path / "cache")
    f.write_text(json.dumps([_fake_row("product", "hwu64_full", 0.94, train_device="cuda")]))
    merge_imported([f], tmp_path / "cache")
    rows = collect_rows({}, {}, tmp_path, "full", tmp_path / "cache", [])
    assert [r["accuracy"] for r in rows] == [0.94] and rows[0]["imported"]
    f.write_text(json.dumps([{"system": "x"}]))
    with pytest.raises(ValueError):
        merge_imported([f], tmp_path / "cache")


# -- rasa helpers (no rasa needed) -------------------------------------------------------


def test_rasa_nlu_yaml_round_trips_through_load_examples(tmp_path: Path) -> None:
    ex = [
        Example("where is my card?", "card_arrival"),
        Example("it's #1: 50% off", "promo"),
        Example("transfer from [country]?", "transfer"),
    ]
    write_rasa_nlu(ex, tmp_path / "nlu.yml")
    back = load_examples(tmp_path / "nlu.yml")
    assert sorted(back, key=lambda e: e.label) == sorted(ex, key=lambda e: e.label)


def test_parse_intent_report(tmp_path: Path) -> None:
    p = tmp_path / "intent_report.json"
    p.write_text(
        json.dumps(
            {
                "a": {"f1-score": 1.0},
                "accuracy": 0.9,
                "macro avg": {"f1-score": 0.88},
                "weighted avg": {"f1-score": 0.89},
            }
        )
    )
    assert parse_intent_report(p) == {"accuracy": 0.9, "macro_f1": 0.88, "weighted_f1": 0.89}


# -- end to end --------------------------------------------------------------------------

_WORDS = {
    "check_balance": ["balance", "money", "account", "funds"],
    "lost_card": ["lost", "card", "stolen", "missing"],
    "greet": ["hello", "hi", "morning", "hey"],
    "goodbye": ["bye", "later", "farewell", "goodnight"],
}
_FILLER = ["please", "i", "need", "my", "the", "now", "can", "you", "help"]


def _synthetic(path: Path, n_per_label: int, seed: int) -> None:
    rng = random.Random(seed)
    rows = []
    for label, words in _WORDS.items():
        for _ in range(n_per_label):
            toks = rng.sample(words, 2) + rng.sample(_FILLER, 3)
            rng.shuffle(toks)
            rows.append((" ".join(toks), label))
    _write_csv(path, rows)


def test_tfidf_lr_end_to_end_on_a_tiny_csv(tmp_path: Path) -> None:
    _synthetic(tmp_path / "train.csv", 15, seed=1)
    _synthetic(tmp_path / "test.csv", 10, seed=2)
    spec = parse_dataset_spec(f"tiny={tmp_path / 'train.csv'},{tmp_path / 'test.csv'}")
    cache = tmp_path / "cache"
    row = run_cell(TfidfLR(), spec, tmp_path, "quick", cache)
    assert "error" not in row, row.get("error")
    assert row["accuracy"] >= 0.9 and row["macro_f1"] >= 0.9
    assert (row["n_train"], row["n_test"], row["n_labels"]) == (60, 40, 4)
    assert 0 < row["latency_p50_ms"] <= row["latency_p99_ms"]
    assert (cache / "tfidf_lr__tiny__quick.json").exists()
    again = run_cell(TfidfLR(), spec, tmp_path, "quick", cache)
    assert again["from_cache"] and again["accuracy"] == row["accuracy"]


def test_cli_runs_tfidf_and_writes_quick_report(tmp_path: Path) -> None:
    _synthetic(tmp_path / "train.csv", 12, seed=3)
    _synthetic(tmp_path / "test.csv", 5, seed=4)
    rc = main(
        [
            "--quick",
            "--systems",
            "tfidf_lr",
            "--datasets",
            "tiny",
            "--dataset",
            f"tiny={tmp_path / 'train.csv'},{tmp_path / 'test.csv'},lowercase",
            "--datasets-root",
            str(tmp_path / "none"),
            "--cache-dir",
            str(tmp_path / "c"),
            "--results-dir",
            str(tmp_path / "r"),
        ]
    )
    assert rc == 0
    md = (tmp_path / "r" / "intent_quick.md").read_text()
    assert "quick mode" in md and "| tfidf_lr |" in md
    assert not (tmp_path / "r" / "intent.md").exists()


def test_latency_texts_cycles_small_sets() -> None:
    ex = [Example(f"t{i}", "a") for i in range(3)]
    assert latency_texts(ex, 7) == ["t0", "t1", "t2", "t0", "t1", "t2", "t0"]
    assert len(latency_texts([Example(str(i), "a") for i in range(1000)], 200)) == 200
