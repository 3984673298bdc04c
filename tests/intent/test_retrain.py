"""Retraining from agents' corrections (intent/retrain.py) into the model registry
(intent/registry.py): a candidate that is not worse on the held-out set is promoted, a
harmful one refused, held-out texts never reach training, rollback restores the previous
version, a broken registry file is named. Tiny models: a frozen MiniLM and 24 utterances
(a few seconds each)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from intent.cli import main
from intent.data import Example, write_csv
from intent.registry import ModelRegistry, RegistryError, resolve_model_dir
from intent.retrain import (
    MAIN_METRIC,
    NothingToLearn,
    RetrainOptions,
    decide,
    prepare_additions,
    read_database_corrections,
    read_labelled_csv,
    retrain,
)

INTEGRATION = pytest.mark.integration  # tiny models on the real MiniLM

TRAIN = {
    "track_order": [
        "where is my order", "track my package", "has my parcel shipped yet",
        "when will my order arrive", "status of my delivery", "order tracking please",
        "i want to know where my order is", "my package hasn't come",
    ],
    "get_refund": [
        "i want my money back", "refund please", "how do i get a refund",
        "give me a refund for this", "i need a refund", "return money to my card",
        "can i be reimbursed", "i'd like to be refunded",
    ],
    "contact_human_agent": [
        "let me talk to a person", "i want a human agent", "real person please",
        "connect me to an operator", "speak to someone", "get me an agent", "talk to a human",
        "transfer me to support staff",
    ],
}  # fmt: skip
HELD_OUT = [
    Example("where's my order right now", "track_order"),
    Example("has my package been shipped", "track_order"),
    Example("tracking info for my parcel", "track_order"),
    Example("i want a refund for my purchase", "get_refund"),
    Example("can i get my money back", "get_refund"),
    Example("please refund me", "get_refund"),
    Example("i need to talk to a real person", "contact_human_agent"),
    Example("put me through to a human", "contact_human_agent"),
    Example("can i speak with an agent", "contact_human_agent"),
]
BENIGN = [
    Example("where did my parcel go", "track_order"),
    Example("is my delivery on its way", "track_order"),
    Example("i'd like my money returned", "get_refund"),
    Example("refund my order please", "get_refund"),
    Example("a human please", "contact_human_agent"),
    Example("transfer me to a person", "contact_human_agent"),
]
# agents (wrongly) relabelling refund requests as order tracking, many times over
HARMFUL = [Example(t, "track_order") for t in TRAIN["get_refund"][:6]] + [
    Example(t, "track_order")
    for t in [
        "refund my money", "i want a refund", "money back please", "refund this purchase",
        "give me my money back", "i demand a refund", "get me a refund", "refund it",
        "i'd like a refund please", "can you refund me", "send my money back",
        "i want to be refunded", "refund for my order", "i need my money back",
    ]
]  # fmt: skip


def _nlu_yaml(train: dict[str, list[str]]) -> str:
    blocks = [
        f"- intent: {label}\n  examples: |\n" + "".join(f"    - {t}\n" for t in texts)
        for label, texts in train.items()
    ]
    return 'version: "3.1"\nnlu:\n' + "".join(blocks)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data dir as `build-demo` reads it, the current model trained on it)."""
    from intent.trainer import train
    from intent.training_args import TrainingArgs

    root = tmp_path_factory.mktemp("retrain")
    data = root / "data"
    data.mkdir()
    (data / "nlu.yml").write_text(_nlu_yaml(TRAIN), encoding="utf-8")
    write_csv(HELD_OUT, data / "test.csv")
    examples = [Example(t, label) for label, texts in TRAIN.items() for t in texts]
    args = TrainingArgs(
        fine_tune="never", background=None, augment=False, oos_folds=2, device="cpu"
    )
    model = train(examples, args, progress=False)
    return data, model.save(root / "models" / "intent")


def _options(base: tuple[Path, Path], tmp_path: Path, **kw) -> RetrainOptions:
    data, model_dir = base
    return RetrainOptions(
        data=data, model_dir=model_dir, registry=tmp_path / "registry",
        runs_dir=tmp_path / "runs", by="tester", **kw,
    )  # fmt: skip


@INTEGRATION
def test_a_candidate_that_is_not_worse_is_promoted_and_held_out_corrections_dropped(base, tmp_path):
    corrections = tmp_path / "corrections.csv"
    leaked = [Example("  Please REFUND me ", "get_refund"), HELD_OUT[0]]  # held-out texts
    write_csv(BENIGN + leaked, corrections)
    result = retrain(_options(base, tmp_path, corrections=[corrections], reason="weekly"))

    assert result.counts["dropped_heldout"] == 2 and result.counts["added"] == len(BENIGN)
    assert sorted(result.dropped_heldout) == sorted(e.text.strip() for e in leaked)
    report = json.loads((result.run_dir / "report.json").read_text())
    assert report["counts"]["training"] == 24 + len(BENIGN)
    assert (
        "dropped because their text is in a held-out set"
        in (result.run_dir / "report.md").read_text()
    )
    cur, new = result.current["test.csv"], result.candidate["test.csv"]
    assert new[MAIN_METRIC] >= cur[MAIN_METRIC]
    assert {"accuracy", "macro_f1", "ece"} <= set(new)

    assert result.decision.promote and result.promoted_version == "v0002"
    registry = ModelRegistry(tmp_path / "registry")
    reg = registry.read()
    assert reg.current == "v0002" and reg.names == ["v0001", "v0002"]
    assert reg.info("v0001").source.startswith("adopted from")  # the model served before
    assert [(e.action, e.version, e.previous) for e in reg.history] == [
        ("adopt", "v0001", None),
        ("promote", "v0002", "v0001"),
    ]
    promote = reg.history[-1]
    assert promote.by == "tester" and promote.reason == "weekly"
    assert promote.figures["test.csv"][MAIN_METRIC] == new[MAIN_METRIC]
    version_dir = tmp_path / "registry" / "v0002"
    assert (version_dir / "retrain_report.json").is_file()
    assert (version_dir / "config.json").stat().st_mode & 0o222 == 0  # immutable: read-only
    assert resolve_model_dir(base[1], tmp_path / "registry") == (version_dir, "v0002")

    # rollback: the previous version is current again; --to goes to another one
    assert main(["rollback", "--registry", str(tmp_path / "registry"), "--by", "ops"]) == 0
    reg = registry.read()
    assert reg.current == "v0001"
    assert (reg.history[-1].action, reg.history[-1].by) == ("rollback", "ops")
    assert resolve_model_dir(base[1], tmp_path / "registry")[1] == "v0001"
    # v0001 replaced nothing: a second rollback does not go forth to v0002
    with pytest.raises(RegistryError, match="nothing to roll back to"):
        registry.rollback(by="ops")
    assert main(["rollback", "--registry", str(tmp_path / "registry"), "--to", "v0002"]) == 0
    assert registry.read().current == "v0002"
    with pytest.raises(RegistryError, match="no version 'v0009'"):
        registry.rollback("v0009", by="ops")
    assert main(["registry", "--registry", str(tmp_path / "registry")]) == 0


@INTEGRATION
def test_a_harmful_candidate_is_refused_unless_forced(base, tmp_path):
    corrections = tmp_path / "corrections.csv"
    write_csv(HARMFUL, corrections)
    refused = retrain(_options(base, tmp_path, corrections=[corrections]))
    assert not refused.decision.promote and refused.decision.worse == ["test.csv"]
    cur, new = refused.current["test.csv"], refused.candidate["test.csv"]
    assert new[MAIN_METRIC] < cur[MAIN_METRIC]
    assert refused.counts["replaced_base"] == 6  # the base examples the agents relabelled
    assert "**refused**" in (refused.run_dir / "report.md").read_text()
    assert not (refused.run_dir / "candidate").exists()
    assert not ModelRegistry(tmp_path / "registry").exists()  # nothing promoted
    # the CLI says so with exit code 1
    argv = ["retrain", "--data", str(base[0]), "--model-dir", str(base[1])]
    argv += ["--registry", str(tmp_path / "registry"), "--corrections", str(corrections)]
    assert main(argv) == 1

    forced = retrain(_options(base, tmp_path, corrections=[corrections], force=True))
    assert forced.decision.forced and forced.promoted_version == "v0002"
    last = ModelRegistry(tmp_path / "registry").read().history[-1]
    assert "forced: worse on test.csv" in last.reason


def test_paired_change_tells_a_real_loss_from_refit_noise():
    from intent.retrain import paired_change

    before = [True] * 300 + [False] * 40
    noise = [True] * 298 + [False] * 2 + [True] + [False] * 39  # 2 lost, 1 gained
    assert paired_change(before, noise) == {"lost": 2, "gained": 1, "p_worse": 0.5}
    harm = [True] * 280 + [False] * 20 + [False] * 40  # 20 lost, none gained
    assert paired_change(before, harm)["p_worse"] < 1e-5
    assert paired_change(before, before) == {"lost": 0, "gained": 0, "p_worse": 1.0}


def test_the_promotion_rule_and_its_tolerance():
    cur = {"a": {MAIN_METRIC: 0.90}, "b": {MAIN_METRIC: 0.80}}
    assert decide(cur, {"a": {MAIN_METRIC: 0.90}, "b": {MAIN_METRIC: 0.85}}).promote
    worse = decide(cur, {"a": {MAIN_METRIC: 0.95}, "b": {MAIN_METRIC: 0.79}})
    assert not worse.promote and worse.worse == ["b"]
    assert decide(cur, {"a": {MAIN_METRIC: 0.95}, "b": {MAIN_METRIC: 0.79}}, 1.0).promote
    assert decide(cur, {"a": {MAIN_METRIC: 0.5}, "b": {MAIN_METRIC: 0.5}}, force=True).forced
    with pytest.raises(ValueError, match="tolerance"):
        decide(cur, cur, -1)


def test_additions_drop_held_out_texts_dedupe_and_set_aside_other_languages():
    adds = prepare_additions(
        [
            Example("Where is  MY order", "track_order"),  # held out (case, spacing)
            Example("refund now", "track_order"),
            Example("refund now", "get_refund"),  # the later correction wins
            Example("我要退款", "get_refund"),  # the zh model is kept as is
        ],
        [Example("where is my order", "track_order")],
        other_languages=["zh"],
    )
    assert [e.text for e in adds.dropped_heldout] == ["Where is  MY order"]
    assert adds.kept == [Example("refund now", "get_refund")] and adds.duplicates == 1
    assert [e.text for e in adds.other_language] == ["我要退款"]


def test_exported_and_database_corrections_are_read(tmp_path):
    from api.feedback import FeedbackStore
    from api.storage.schema import open_database

    url = f"sqlite:///{tmp_path}/history.db"
    engine = open_database(url)
    store = FeedbackStore(engine)
    store.record("agent:alice", kind="intent_correction", action="corrected",
                 text="=where is it", corrected_intent="track_order")  # fmt: skip
    store.record("agent:bob", kind="suggestion", action="used", suggestion_id="s1", text="x")
    engine.dispose()
    assert read_database_corrections(url) == [Example("=where is it", "track_order")]
    # the export escapes a formula's first character; reading it back undoes that
    exported = tmp_path / "export.csv"
    exported.write_text("text,label\n'=where is it,track_order\n", encoding="utf-8")
    assert read_labelled_csv(exported) == [Example("=where is it", "track_order")]
    with pytest.raises(ValueError, match="no such database"):
        read_database_corrections(f"sqlite:///{tmp_path}/missing.db")
    # a database the service has not run on yet has no corrections
    from retrieval.db import make_engine

    make_engine(f"sqlite:///{tmp_path}/bare.db").dispose()
    (tmp_path / "bare.db").touch()
    assert read_database_corrections(f"sqlite:///{tmp_path}/bare.db") == []


@INTEGRATION
def test_nothing_to_learn_builds_no_candidate(base, tmp_path, capsys):
    only_held_out = tmp_path / "corrections.csv"
    write_csv(HELD_OUT[:2], only_held_out)
    with pytest.raises(NothingToLearn, match="2 of them held out"):
        retrain(_options(base, tmp_path, corrections=[only_held_out]))
    argv = ["retrain", "--data", str(base[0]), "--model-dir", str(base[1])]
    assert main([*argv, "--corrections", str(only_held_out)]) == 0
    assert "nothing to learn from" in capsys.readouterr().err
    assert not (tmp_path / "registry").exists() and not (tmp_path / "runs").exists()


def test_a_hand_edited_broken_registry_is_named(tmp_path, capsys):
    registry = ModelRegistry(tmp_path / "registry")
    registry.root.mkdir()
    registry.file.write_text('{"format": 1, "current": "v0002", "versions": []}')
    with pytest.raises(RegistryError, match="current version 'v0002' is not among"):
        registry.read()
    with pytest.raises(RegistryError, match="registry.json is not a valid model registry"):
        resolve_model_dir(tmp_path / "intent", registry.root)
    registry.file.write_text('{"format": 1, "current": ')
    with pytest.raises(RegistryError, match="not readable JSON"):
        registry.read()
    registry.file.write_text('{"format": 2, "versions": [{"version": "latest"}]}')
    with pytest.raises(RegistryError, match="format") as err:
        registry.read()
    assert "versions.0.version" in str(err.value)
    assert main(["registry", "--registry", str(registry.root)]) == 2
    assert "not a valid model registry" in capsys.readouterr().err


def test_without_a_registry_the_model_dir_serves_as_before(tmp_path):
    assert resolve_model_dir(tmp_path / "intent") == (tmp_path / "intent", None)
    assert main(["rollback", "--registry", str(tmp_path / "none")]) == 2


def test_a_promotion_decided_against_a_replaced_model_is_refused(tmp_path):
    registry = ModelRegistry(tmp_path / "registry")
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "config.json").write_text("{}")
    first, second, third = (registry.add(fake, by="t", source="test") for _ in range(3))
    registry.set_current(first, action="promote", by="t", reason="r", expect_current=None)
    registry.set_current(second, action="promote", by="t", reason="r")  # another run won
    with pytest.raises(RegistryError, match="changed to v0002 while this one was compared"):
        registry.set_current(third, action="promote", by="t", reason="r", expect_current=first)
    assert registry.read().current == "v0002"
    with pytest.raises(RegistryError, match="already the current version"):
        registry.rollback("v0002", by="t")


ZH_TRAIN = {
    "track_order": ["我的订单到哪了", "帮我查一下物流", "包裹什么时候到", "快递到哪里了"],
    "get_refund": ["我要退款", "怎么申请退款", "把钱退给我", "退款多久到账"],
    "contact_human_agent": ["转人工", "我要找客服", "人工服务", "让真人来回答"],
}
ZH_HELD_OUT = [
    Example("订单现在在哪里", "track_order"),
    Example("我想退钱", "get_refund"),
    Example("请帮我转接人工客服", "contact_human_agent"),
]


@pytest.fixture(scope="module")
def bilingual(
    base: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """The base English model and data, with a Chinese model beside them (`zh/`, the
    packaged multilingual encoder, frozen) and its own data (`data/zh/`)."""
    from intent.trainer import train
    from intent.training_args import TrainingArgs

    root = tmp_path_factory.mktemp("bilingual")
    data, model_dir = root / "data", root / "models" / "intent"
    shutil.copytree(base[0], data)
    shutil.copytree(base[1], model_dir)
    (data / "zh").mkdir()
    (data / "zh" / "nlu.yml").write_text(_nlu_yaml(ZH_TRAIN), encoding="utf-8")
    write_csv(ZH_HELD_OUT, data / "zh" / "test.csv")
    args = TrainingArgs(
        encoder="multilingual-e5-small-q4", background=None, augment=False, oos_folds=2,
        ngram_char_min=1, device="cpu",
    )  # fmt: skip
    examples = [Example(t, label) for label, texts in ZH_TRAIN.items() for t in texts]
    train(examples, args, progress=False).save(model_dir / "zh")
    return data, model_dir


@INTEGRATION
def test_a_chinese_correction_retrains_the_chinese_model_and_keeps_the_english_one(
    bilingual, tmp_path
):
    corrections = tmp_path / "corrections.csv"
    write_csv([Example("物流信息查不到", "track_order")], corrections)
    data, current = bilingual
    registry = tmp_path / "registry"
    argv = ["retrain", "--data", str(data), "--model-dir", str(current), "--registry"]
    argv += [str(registry), "--corrections", str(corrections), "--tolerance", "100"]
    assert main(argv + ["--by", "tester"]) == 0  # promoted, through the command

    reg = ModelRegistry(registry).read()
    (run,) = (registry.parent / "retrain").iterdir()
    report = json.loads((run / "report.json").read_text())
    assert report["counts"]["added_zh"] == 1 and report["counts"]["added"] == 0
    assert report["counts"]["other_language"] == 0  # not set aside: the zh model learned it
    assert {"zh/test.csv", "test.csv"} <= set(report["candidate"])
    # the English model decides every held-out turn as before: nothing lost or gained
    assert report["changes"]["test.csv"] == {"lost": 0, "gained": 0, "p_worse": 1.0}
    version_dir = registry / reg.current
    # the English model is the current one, byte for byte; the Chinese one has the line
    for name in ("head.safetensors", "config.json"):
        assert (version_dir / name).read_bytes() == (current / name).read_bytes()
    trained = json.loads((version_dir / "zh" / "config.json").read_text())["training"]
    before = json.loads((current / "zh" / "config.json").read_text())["training"]
    assert trained["n_train"] == before["n_train"] + 1
    assert trained["update"]["kept_encoder"] is True


@INTEGRATION
def test_a_language_without_its_base_data_is_set_aside(bilingual, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(bilingual[0], data)
    (data / "zh" / "nlu.yml").unlink()
    corrections = tmp_path / "corrections.csv"
    write_csv([Example("物流信息查不到", "track_order")], corrections)
    options = _options(bilingual, tmp_path, corrections=[corrections])
    options.data = data
    with pytest.raises(NothingToLearn, match="1 in a language without a model or its base"):
        retrain(options)
