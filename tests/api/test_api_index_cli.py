"""`agent-assist index rebuild|status`: the history index rebuilt from the store with one
command (swapped in whole), and a status that says whether it matches the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from api_helpers import seed

from api import index_cli
from api.cli import main
from api.config import get_settings
from api.storage.schema import open_database
from intent.encoder import HashingEncoder
from retrieval.errors import IndexMismatch
from retrieval.index import HistoryIndex
from retrieval.store import SqlHistoryStore


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[SqlHistoryStore, Path]:
    url = f"sqlite:///{tmp_path}/history.db"
    monkeypatch.setenv("AGENT_ASSIST_HISTORY_URL", url)
    monkeypatch.setenv("AGENT_ASSIST_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("AGENT_ASSIST_MULTILINGUAL_HISTORY", "off")
    monkeypatch.setattr(index_cli, "_encoder", lambda settings: HashingEncoder(64))
    get_settings.cache_clear()
    store = seed(SqlHistoryStore(open_database(url)))
    yield store, tmp_path / "index"
    store.close()
    get_settings.cache_clear()


def _event(store: SqlHistoryStore, eid: str, text: str, customer_id: str = "C-1") -> None:
    store.ingest_event(
        {
            "id": eid,
            "customer_id": customer_id,
            "channel": "email",
            "type": "email_in",
            "ts": "2026-11-20T10:00:00Z",
            "text": text,
        }
    )


def test_rebuild_indexes_the_whole_store_and_status_follows_it(env, capsys) -> None:
    store, folder = env
    _event(store, "e-1", "my parcel arrived damaged")
    assert main(["index", "status"]) == 1  # nothing built yet
    assert "index: none" in capsys.readouterr().out
    assert main(["index", "rebuild", "--quiet"]) == 0
    index = HistoryIndex.load(folder, HashingEncoder(64))
    assert len(index) == store.count_events() and index.last_seq == store.max_seq()
    assert index.search_customer("C-1", "the parcel was damaged", k=1)[0].event_id == "e-1"
    assert not folder.with_name("index.rebuild").exists()
    assert main(["index", "status"]) == 0 and "up to date" in capsys.readouterr().out
    _event(store, "e-2", "where is my refund")
    assert main(["index", "status"]) == 0 and "1 sequence numbers behind" in capsys.readouterr().out
    assert main(["index", "rebuild", "--quiet"]) == 0  # replaces the folder whole
    assert len(HistoryIndex.load(folder, HashingEncoder(64))) == store.count_events()


def test_status_finds_an_index_of_another_database(env, tmp_path: Path, capsys) -> None:
    store, folder = env
    other = SqlHistoryStore(open_database(f"sqlite:///{tmp_path}/other.db"))
    other.upsert_customers([{"id": "C-1", "name": "x"}])
    for k in range(store.max_seq() + 3):
        _event(other, f"o-{k}", f"page {k}")
    HistoryIndex.rebuild(other, HashingEncoder(64)).save(folder)
    other.close()
    assert main(["index", "status"]) == 1
    assert "another database: run rebuild" in capsys.readouterr().out


def test_the_chinese_turns_index_is_rebuilt_beside_the_base_one(
    env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    store, folder = env
    monkeypatch.setenv("AGENT_ASSIST_MULTILINGUAL_HISTORY", "on")
    monkeypatch.setenv("AGENT_ASSIST_MULTILINGUAL_INDEX_DIR", str(tmp_path / "index-ml"))
    monkeypatch.setattr(index_cli, "_multilingual_encoder", lambda settings: HashingEncoder(32))
    get_settings.cache_clear()
    _event(store, "e-1", "my parcel arrived damaged")
    _event(store, "e-2", "the screen of my phone is cracked", "C-2")
    _event(store, "e-3", "我的手机屏幕裂了", "C-2")  # C-2 writes Chinese: joins, with e-2
    assert main(["index", "rebuild", "--quiet"]) == 0
    assert len(HistoryIndex.load(folder, HashingEncoder(64))) == store.count_events()
    multilingual = HistoryIndex.load(tmp_path / "index-ml", HashingEncoder(32), language="zh")
    assert multilingual.members == {"C-2"}
    assert multilingual.last_seq == store.max_seq()
    # only the Chinese-writing customer's events (both), not C-1's
    assert len(multilingual) == len(store.events("C-2")) and not store.events("C-2")[2:]
    assert multilingual.search_customer("C-1", "parcel", k=3) == []
    assert {h.event_id for h in multilingual.search_customer("C-2", "screen", k=3)} == {
        "e-2",
        "e-3",
    }
    with pytest.raises(IndexMismatch):  # an index of every event is rebuilt, not reused
        HistoryIndex.load(tmp_path / "index-ml", HashingEncoder(32))
    assert main(["index", "status"]) == 0
    out = capsys.readouterr().out
    assert out.count("up to date") == 2 and "1 customers who write zh" in out
    (tmp_path / "index-ml" / "index.json").unlink()
    assert main(["index", "status"]) == 1  # one of the two is missing
    assert f"index: none at {tmp_path / 'index-ml'}" in capsys.readouterr().out
