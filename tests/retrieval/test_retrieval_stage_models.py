"""The two journey-stage models (retrieval/stage_models.py, retrieval/journey_rules.py):
`lifecycle` (seven stages) and `5a` (Aware, Appeal, Ask, Act, Advocate) load with their
display names, evidence rules, next-best-action rules and suppression; the 5A model gives
the stages its definitions promise, on single histories and on the demo customers; a
config that names a stage its model lacks fails with a message that says what to fix."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from intent.encoder import HashingEncoder
from intent.resources import data_path
from retrieval.assist import AgentAssist
from retrieval.demo.generate import generate, write
from retrieval.errors import ConfigError
from retrieval.journey import JourneyConfig, JourneyModel
from retrieval.journey_rules import JourneyRules
from retrieval.nba import NextBestActionRules
from retrieval.ranker import HybridRanker
from retrieval.responses import load_bank
from retrieval.schemas import Event, Order
from retrieval.stage_models import load_registry, resolve
from retrieval.store import SqlHistoryStore
from retrieval.suppression import SuppressionRules

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
FIVE_A = ["aware", "appeal", "ask", "act", "advocate"]


def event(type_: str, days: float, intent: str | None = None) -> Event:
    return Event(
        f"{type_}-{days}", "X", "web", type_, NOW - timedelta(days=days), type_, intent, None,
        None, {},
    )  # fmt: skip


def in_transit() -> Order:
    placed = NOW - timedelta(days=1)
    return Order(
        "O1", "X", "in_transit", [{"name": "Nova X5"}], 1.0, "EUR", placed, None, None, None,
        None, None, None, None,
    )  # fmt: skip


@pytest.fixture(scope="module")
def five_a() -> JourneyRules:
    return JourneyRules.load("5a")


# ---------------------------------------------------------------- loading


def test_both_models_are_registered_and_lifecycle_is_the_default():
    registry = load_registry()
    assert set(registry.models) == {"lifecycle", "5a"} and registry.active == "lifecycle"
    assert resolve().name == "lifecycle" and resolve("5a").directory.name == "5a"
    assert JourneyRules.load().model == "lifecycle"


def test_the_5a_model_loads_with_english_and_chinese_names(five_a):
    assert five_a.model == "5a" and five_a.config.stages == FIVE_A
    assert [s.label for s in five_a.stages] == [
        "Aware · 了解",
        "Appeal · 吸引",
        "Ask · 问询",
        "Act · 行动",
        "Advocate · 拥护",
    ]
    # the rules use 5A stages only (checked on load) and none suppresses marketing
    used = {s for r in five_a.actions.rules for s in r.when.get("stage_in", [])}
    assert used == set(FIVE_A) and five_a.suppression.stages == frozenset()
    # one set of suppression rules: the context's and the next best action's
    assert five_a.actions.suppression is five_a.suppression
    lifecycle = JourneyRules.load("lifecycle")
    assert lifecycle.suppression.stages == {"retain"} and len(lifecycle.stages) == 7
    assert lifecycle.config.label("onboard") == "Onboard · 上手"


def test_every_demo_intent_and_event_type_has_a_5a_signal(five_a):
    """The demo shop's intents (data/intents/nlu.yml) and the demo history's event types
    (retrieval/demo) are all read, except those that carry no stage."""
    import yaml

    nlu = yaml.safe_load(data_path("intents", "nlu.yml").read_text(encoding="utf-8"))
    intents = {block["intent"] for block in nlu["nlu"] if "intent" in block}
    silent = {"greet", "goodbye", "affirm", "deny", "thank_you", "out_of_scope"}
    assert len(intents) == 34 and intents - silent == set(five_a.config.intents)
    demo = {e.type for e in generate(60, seed=7, now=NOW).events}
    unread = {t for t in demo if not t.startswith("chat_") and t not in five_a.config.events}
    assert unread <= {"call", "email_received", "chat_message", "message"}  # read by intent


# ---------------------------------------------------------------- 5A inference


@pytest.mark.parametrize(
    ("intent", "events", "orders", "stage", "because"),
    [
        (None, [event("newsletter_open", 1), event("page_view", 0.5)], [], "aware", "page_view"),
        (
            None,
            [event("ad_click", 3), event("product_view", 1), event("search", 0.5)],
            [],
            "appeal",
            "product_view",
        ),
        ("delivery_period", [event("product_view", 1)], [], "ask", "delivery_period"),
        ("delivery_period", [], [in_transit()], "act", "open_order"),
        (None, [event("cart_add", 1), event("order_placed", 1)], [], "act", "order_placed"),
        (None, [event("order_delivered", 2), event("review_posted", 1)], [], "advocate", "review_posted"),
        ("review", [event("order_delivered", 1)], [], "advocate", "review"),
    ],
)  # fmt: skip
def test_5a_stage_and_its_evidence(five_a, intent, events, orders, stage, because):
    r = JourneyModel(five_a.config).infer(intent, events, orders, now=NOW)
    assert r.stage == stage and r.model == "5a" and set(r.scores) == set(FIVE_A)
    assert r.label == five_a.config.label(stage)
    assert because in {e.name for e in r.evidence} and all(e.stage == stage for e in r.evidence)


def test_an_open_ticket_on_an_unknown_topic_counts_for_act(five_a):
    from retrieval.schemas import Ticket

    t = Ticket("T1", "X", "billing_dispute", "open", "phone", "high", None, "", NOW, None)
    r = JourneyModel(five_a.config).infer(None, tickets=[t], now=NOW)
    assert r.stage == "act" and r.evidence[0].name == "open_ticket"


@pytest.fixture(scope="module")
def demo_5a(tmp_path_factory, five_a) -> AgentAssist:
    store = SqlHistoryStore.open(f"sqlite:///{tmp_path_factory.mktemp('demo5a') / 'h.db'}")
    write(generate(30, seed=7, now=NOW), store)
    ranker = HybridRanker(load_bank(), HashingEncoder(128))
    return AgentAssist(store, ranker, journey=five_a).warm_up()


@pytest.mark.parametrize(
    ("cid", "text", "intent", "stage", "rule"),
    [
        ("C-0001", "how long does delivery take to Lyon?", "delivery_period", "ask", "answer-and-close"),
        ("C-0001", "hello", None, "appeal", "help-choose"),  # browsed only
        ("C-0002", "where is my order?", "track_order", "act", "share-tracking"),
        ("C-0004", "my new phone won't activate", "activation_problem", "act", "resolve-activation"),
        ("C-0005", "I want to cancel my order", "cancel_order", "act", "retain-valuable"),
        ("C-0006", "it came early, I want to leave a review", "review", "advocate", "invite-review"),
    ],
)  # fmt: skip
def test_demo_customers_in_the_5a_model(demo_5a, cid, text, intent, stage, rule):
    r = demo_5a.assist(cid, text, intent, 0.9, now=NOW)
    assert r.context.stage.stage == stage and r.context.stage.model == "5a"
    assert r.context.stage.evidence and r.next_best_action.rule == rule
    assert f"stage {stage}" in r.context.summary
    assert demo_5a.journey_config.model == "5a"


def test_the_5a_evidence_of_the_demo_stories_names_what_happened(demo_5a):
    ask = demo_5a.assist("C-0001", "delivery to Lyon?", "delivery_period", now=NOW).context.stage
    assert {"delivery_period", "delivery_info_view"} <= {e.name for e in ask.evidence}
    act = demo_5a.assist("C-0004", "won't activate", "activation_problem", now=NOW).context.stage
    assert {"activation_failed", "open_ticket"} <= {e.name for e in act.evidence}
    fan = demo_5a.assist("C-0006", "a review", "review", now=NOW).context.stage
    assert {"review", "delivery_early"} <= {e.name for e in fan.evidence}


# ---------------------------------------------------------------- bad configs


def test_an_unknown_model_name_says_which_exist_and_where_it_came_from():
    with pytest.raises(
        ConfigError, match=r"unknown journey model '6b'.*\['5a', 'lifecycle'\]"
    ) as e:
        JourneyRules.load("6b", source="AGENT_ASSIST_JOURNEY_MODEL")
    assert e.value.path == "AGENT_ASSIST_JOURNEY_MODEL"


def test_stage_rules_name_only_their_models_stages(five_a):
    with pytest.raises(ConfigError, match=r"unknown stage 'retain'; the 5a model's stages are"):
        JourneyConfig.from_dict({"stages": FIVE_A, "intents": {"x": {"retain": 1}}}, "s.yml", "5a")
    with pytest.raises(ConfigError, match=r"display: unknown stage\(s\) \['onboard'\]"):
        JourneyConfig.from_dict({"stages": FIVE_A, "display": {"onboard": {"en": "On"}}})
    with pytest.raises(ConfigError, match=r"display.ask: expected \{en"):
        JourneyConfig.from_dict({"stages": FIVE_A, "display": {"ask": {"fr": "Demander"}}})
    with pytest.raises(ConfigError, match="more than once"):
        JourneyConfig.from_dict({"stages": ["ask", "act", "ask"]})


def test_next_best_action_rules_name_only_the_models_stages(five_a):
    doc = {"actions": [{"id": "keep", "action": "a", "when": {"stage_in": ["retain"]}}]}
    with pytest.raises(
        ConfigError, match=r"rule 'keep': stage_in: \['retain'\] not stage\(s\) of the 5a"
    ):
        NextBestActionRules(doc, "nba.yml", five_a.suppression, stages=FIVE_A, model="5a")
    doc = {"actions": [{"id": "keep", "action": "a", "when": {"stage_in": "act"}}]}
    with pytest.raises(ConfigError, match="expected a list of stages"):
        NextBestActionRules(doc, "nba.yml", five_a.suppression, stages=FIVE_A, model="5a")
    # the lifecycle rules file read for the 5A model
    lifecycle_rules = resolve("lifecycle").actions_file
    with pytest.raises(
        ConfigError, match=r"rule 'retain-valuable': stage_in: \['retain'\] not stage"
    ):
        NextBestActionRules.load(lifecycle_rules, five_a.suppression, model="5a")


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        (["retain"], r"stages: \['retain'\] not stage\(s\) of the 5a .* a list per model"),
        ({"lifecycle": ["retain"]}, r"no list for model\(s\) \['5a'\]; add e.g. `5a: \[\]`"),
        ({"lifecycle": [], "5a": [], "6b": []}, r"unknown model\(s\) \['6b'\]"),
        ({"lifecycle": ["retain"], "5a": ["retain"]}, r"stages.5a: \['retain'\] not stage"),
        ({"lifecycle": [], "5a": "act"}, "stages.5a: expected a list"),
    ],
)
def test_the_suppression_stage_rule_is_per_model_and_checked(stages, message):
    models = load_registry().models
    with pytest.raises(ConfigError, match=message):
        SuppressionRules({"stages": stages}, "suppression.yml", model="5a", stages=FIVE_A, models=models)  # fmt: skip
    ok = SuppressionRules({"stages": {"lifecycle": ["retain"], "5a": ["act"]}}, model="5a")
    assert ok.stages == {"act"}


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A site's copy of data/ (AGENT_ASSIST_DATA_DIR) holding the journey folder."""
    shutil.copytree(data_path("journey"), tmp_path / "journey")
    monkeypatch.setenv("AGENT_ASSIST_DATA_DIR", str(tmp_path))
    return tmp_path / "journey"


def test_model_yml_is_checked(data_copy):
    both = "models: {lifecycle: {dir: .}, 5a: {dir: 5a}}\n"
    (data_copy / "model.yml").write_text("active: 5a\n" + both)
    assert JourneyRules.load().model == "5a"  # chosen in data/journey/
    assert JourneyModel().infer("greet").model == "5a"  # every default follows it
    (data_copy / "model.yml").write_text("active: 7c\nmodels: {5a: {dir: 5a}}\n")
    with pytest.raises(ConfigError, match=r"active: '7c' is not one of the models \['5a'\]"):
        resolve()
    (data_copy / "model.yml").write_text("models: {5a: {dir: ../..}}\n")
    with pytest.raises(ConfigError, match="outside"):
        resolve()
    (data_copy / "5a" / "next_best_action.yml").unlink()
    (data_copy / "model.yml").write_text("models: {5a: {dir: 5a}}\n")
    with pytest.raises(ConfigError, match=r"models.5a: .*next_best_action.yml is missing"):
        resolve("5a")
    (data_copy / "model.yml").unlink()  # a data folder from before model.yml...
    old = data_copy / "suppression.yml"  # ...whose suppression.yml had a plain list
    text = old.read_text(encoding="utf-8")
    old.write_text(text[: text.index("stages:")] + "stages: [retain]\n", encoding="utf-8")
    assert resolve().name == "lifecycle" and JourneyRules.load().model == "lifecycle"


def test_a_bad_rule_stops_the_whole_model_from_loading(data_copy):
    rules = data_copy / "5a" / "next_best_action.yml"
    rules.write_text(rules.read_text().replace("stage_in: [advocate]", "stage_in: [retain]"))
    with pytest.raises(ConfigError, match=r"rule 'invite-review': stage_in: \['retain'\]") as e:
        JourneyRules.load("5a")
    assert e.value.path == str(rules)
    assert JourneyRules.load("lifecycle").model == "lifecycle"  # the other model still loads
