"""Fixtures of the API tests: every app gets its own SQLite history on tmp_path (never
var/), no MiniLM retrieval, no Rasa; conversation tests build the app with a fake bot,
the keyword classifier and a real `AgentAssist` over a small bank with HashingEncoder."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from api_helpers import ADMIN_KEY, AGENTS, ASSIST_KEY, seed
from fastapi.testclient import TestClient

from api.config import Settings
from api.conversations.bot import BotMessage
from api.conversations.errors import BotUnavailable
from api.main import create_app
from api.storage.schema import open_database
from intent.encoder import HashingEncoder
from intent.entities import EntityExtractor
from intent.pipeline import TurnAnalyzer
from intent.sentiment import SentimentAnalyzer
from retrieval.assist import AgentAssist
from retrieval.ranker import HybridRanker
from retrieval.responses import load_bank
from retrieval.store import SqlHistoryStore


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt at a test-sized cost (the hash records its own cost, so verification is the
    real code path); tests/security and the admin CLI test use the production cost."""
    import api.security

    monkeypatch.setattr(api.security, "_N", 2**10)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_ASSIST_HISTORY_URL", f"sqlite:///{tmp_path}/env-history.db")
    monkeypatch.setenv("AGENT_ASSIST_LOAD_RETRIEVAL", "false")
    monkeypatch.setenv("AGENT_ASSIST_RASA_URL", "")
    monkeypatch.setenv("AGENT_ASSIST_ONNX_CACHE_DIR", str(tmp_path / "onnx"))
    # the suppression watcher's webhooks would add to what webhook tests count; its own
    # tests drive its step with a controlled clock (test_api_suppression.py)
    monkeypatch.setenv("AGENT_ASSIST_SUPPRESSION_WATCH", "false")
    # likewise the proactive watcher (test_api_proactive.py drives its step)
    monkeypatch.setenv("AGENT_ASSIST_PROACTIVE_WATCH", "false")
    # and the suggestion learner (test_api_suggestion_learning.py drives its refresh)
    monkeypatch.setenv("AGENT_ASSIST_SUGGESTION_LEARNING", "false")


class FakeBot:
    """Behind the BotClient seam: echoes, or fails when `fail` is set."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.fail = False
        self.handoff_on: str | None = None
        self.tracker: list[tuple[str, str]] = []
        self.triggers: list[tuple[str, str]] = []
        self.ask_on: str | None = None  # the bot asks a question it waits on

    async def reply(
        self, conversation_id: str, text: str, metadata: Mapping[str, Any]
    ) -> list[BotMessage]:
        self.calls.append((conversation_id, text, dict(metadata)))
        if self.fail:
            raise BotUnavailable("bot unavailable: connection refused")
        if self.handoff_on and self.handoff_on in text:
            return [
                BotMessage("Let me get a colleague."),
                BotMessage(
                    "", custom={"handoff": True, "reason": "bot gave up", "summary": "Bot tried."}
                ),
            ]
        if self.ask_on and self.ask_on in text:
            return [BotMessage("Which order?"), BotMessage("", custom={"awaiting": "order_number"})]
        return [BotMessage(f"bot: {text}")]

    async def ping(self) -> bool:
        return not self.fail

    async def pause(self, conversation_id: str) -> None:
        self.tracker.append(("pause", conversation_id))

    async def resume(self, conversation_id: str) -> None:
        self.tracker.append(("resume", conversation_id))

    async def trigger(
        self, conversation_id: str, intent: str, entities: Mapping[str, Any] | None = None
    ) -> list[BotMessage]:
        self.triggers.append((conversation_id, intent))
        if self.fail:
            raise BotUnavailable("bot unavailable: connection refused")
        return [BotMessage("Is it solved?", custom={"awaiting": "issue_solved"})]


@pytest.fixture
def fake_bot() -> FakeBot:
    return FakeBot()


@pytest.fixture
def history(tmp_path) -> Iterator[SqlHistoryStore]:
    store = seed(SqlHistoryStore(open_database(f"sqlite:///{tmp_path}/history.db")))
    yield store
    store.close()


@pytest.fixture
def assistant(history: SqlHistoryStore) -> AgentAssist:
    ranker = HybridRanker(load_bank(templates=None), HashingEncoder(64))
    return AgentAssist(history, ranker).warm_up()


@pytest.fixture
def analyzer(keyword_classifier) -> TurnAnalyzer:
    return TurnAnalyzer(keyword_classifier, EntityExtractor.default(), SentimentAnalyzer())


AppFactory = Callable[..., TestClient]


@pytest.fixture
def make_client(analyzer, history, assistant, fake_bot) -> Iterator[AppFactory]:
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        settings = overrides.pop("settings", None) or Settings(
            demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None
        )
        the_analyzer = overrides.pop("analyzer", analyzer)
        kw = {"history": history, "assistant": assistant, "bot": fake_bot} | overrides
        kw.setdefault("engine", kw["history"].engine)  # the database the history is in
        app = create_app(settings, the_analyzer, **kw)
        client = TestClient(app)
        client.__enter__()
        services = app.state.services
        for name, pw in AGENTS.items():
            services.auth.create_agent(name, pw)
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()
