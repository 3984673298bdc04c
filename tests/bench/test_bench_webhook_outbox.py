"""bench/webhook_outbox.py: the measurement runs against the code it is pointed at and the
report shows every row (a tiny run on SQLite, this checkout only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bench.webhook_outbox as outbox


def test_a_run_measures_each_receiver_count_and_leaves_every_event_dispatched(
    tmp_path: Path,
) -> None:
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from api.storage.schema import open_database
    from api.storage.tables import OutboxEventRow, WebhookDeliveryRow

    url = f"sqlite:///{tmp_path}/o.db"
    figures = outbox.measure(url, events=12, receivers=2)
    assert set(figures) == {"busy_tick_ms", "idle_tick_ms", "per_event_ms"}
    assert figures["busy_tick_ms"] > 0 and figures["per_event_ms"] >= figures["busy_tick_ms"]
    engine = open_database(url)
    with Session(engine) as s:  # the ticks did their work: all fanned out, two each
        assert not s.scalar(
            select(func.count())
            .select_from(OutboxEventRow)
            .where(OutboxEventRow.dispatched.is_(False))
        )
        events = s.scalar(select(func.count()).select_from(OutboxEventRow))
        assert s.scalar(select(func.count()).select_from(WebhookDeliveryRow)) == 2 * events
    engine.dispose()


def test_the_subprocess_side_measures_the_tree_it_is_given(tmp_path: Path) -> None:
    got = outbox._measure_in(outbox.ROOT, f"sqlite:///{tmp_path}/s.db", 6, 0, {})
    assert got["per_event_ms"] > 0


def test_the_report_has_a_row_per_code_and_receivers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outbox, "RESULTS", tmp_path)
    rows = [
        {"server": s, "receivers": n, "busy_tick_ms": 1.0, "idle_tick_ms": 0.5, "per_event_ms": 1.5}
        for s in ("baseline abc1234", "this checkout")
        for n in outbox.RECEIVERS
    ]
    meta = {"date": "d", "machine": "m", "command": "c", "database": "SQLite", "events": 3}
    page = outbox.write(rows, meta, "w").read_text()
    assert page.count("| baseline abc1234 |") == 2 and page.count("| this checkout |") == 2
    assert json.loads((tmp_path / "w.json").read_text())["rows"] == rows
