"""The Rasa project itself: its intents are the classifier's labels, `rasa data validate`
passes, and every flow's end-to-end test story passes `rasa test` through the bot's real
NLU (the product's classifier behind the running API)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from intent.data import load_examples
from rasa_bot.stack import BOT_DIR, NLU_DATA, Stack, rasa_bin, rasa_env

EXTERNAL_PREFIX = "EXTERNAL_"


def _domain() -> dict:
    return yaml.safe_load((BOT_DIR / "domain.yml").read_text(encoding="utf-8"))


def test_domain_intents_are_the_classifiers_labels():
    declared = [i if isinstance(i, str) else next(iter(i)) for i in _domain()["intents"]]
    external = {i for i in declared if i.startswith(EXTERNAL_PREFIX)}
    labels = {e.label for e in load_examples(NLU_DATA)}
    assert len(labels) == 34
    assert set(declared) - external == labels, (
        "rasa_bot/domain.yml intents differ from data/intents/nlu.yml: "
        f"missing {sorted(labels - set(declared))}, extra {sorted(set(declared) - external - labels)}"
    )
    assert external == {"EXTERNAL_handed_back"}


def test_every_intent_has_a_rule():
    rules = yaml.safe_load((BOT_DIR / "data" / "rules.yml").read_text(encoding="utf-8"))
    first = {r["steps"][0]["intent"] for r in rules["rules"] if "intent" in r["steps"][0]}
    declared = {i for i in _domain()["intents"] if isinstance(i, str)}
    assert declared <= first, f"intents without a rule: {sorted(declared - first)}"
    assert "nlu_fallback" in first


def _rasa(args: list[str], tmp_path: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        [str(rasa_bin()), *args],
        cwd=BOT_DIR,
        env=rasa_env(env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = proc.stdout + proc.stderr
    (tmp_path / "rasa.log").write_text(out, encoding="utf-8")
    assert proc.returncode == 0, f"rasa {args[0]} failed (exit {proc.returncode}):\n{out[-4000:]}"
    return out


@pytest.mark.integration
def test_rasa_data_validate(bot_model, tmp_path):
    out = _rasa(
        ["data", "validate", "--data", "data", str(NLU_DATA), "--domain", "domain.yml"]
        + ["--config", "config.yml"],
        tmp_path,
    )
    assert "No story structure conflicts found" in out


@pytest.mark.integration
def test_rasa_test_end_to_end_stories(stack: Stack, bot_model, tmp_path):
    out_dir = tmp_path / "results"
    _rasa(
        ["test", "core", "--stories", "tests", "--model", str(bot_model), "--out", str(out_dir)]
        + ["--no-plot", "--fail-on-prediction-errors"],
        tmp_path,
        {"AGENT_ASSIST_URL": stack.api_url},
    )
    report = yaml.safe_load((out_dir / "failed_test_stories.yml").read_text(encoding="utf-8"))
    assert not report, f"failed test stories:\n{report}"
    n_stories = len(yaml.safe_load((BOT_DIR / "tests" / "test_stories.yml").read_text())["stories"])
    assert n_stories >= 13
