"""`agent-assist`: the console script of an installed package (`pip install agent-assist`).

    agent-assist serve                        # the API (python -m api)
    agent-assist stack                        # API + Rasa + action server (python -m api.stack)
    agent-assist admin bootstrap|agents|keys  # accounts and keys (python -m api admin)
    agent-assist train|evaluate|predict|calibrate|build-demo ...   # python -m intent
    agent-assist import events FILE.jsonl     # journey events into the store
    agent-assist migrate                      # bring the database schema up to date

Every command reads the same settings (AGENT_ASSIST_*, `.env`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

USAGE = __doc__ or ""
BATCH = 500


def _read_events(stream: TextIO) -> Iterator[tuple[int, Any]]:
    """(line number, decoded object) per non-empty JSON line."""
    for n, line in enumerate(stream, 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except ValueError as exc:
                raise SystemExit(f"error: line {n} is not JSON: {exc}") from exc


def import_events(path: str, atomic: bool = False) -> int:
    """Ingest journey events (one JSON object per line, the fields of `POST /v1/events`)
    through the history store: idempotent on each event's id, PII redacted, each item
    reported. Returns the exit status (1 if any item failed)."""
    from api.config import get_settings
    from retrieval.pii import default_redactor
    from retrieval.store import SqlHistoryStore

    store = SqlHistoryStore.open(get_settings().history_url)
    store.redact = default_redactor().redact
    counts = {"created": 0, "duplicate": 0, "error": 0, "updated": 0}
    try:
        with sys.stdin if path == "-" else Path(path).open(encoding="utf-8") as f:
            batch: list[tuple[int, Any]] = []
            for item in _read_events(f):
                batch.append(item)
                if len(batch) == BATCH:
                    _ingest(store, batch, atomic, counts)
                    batch = []
            if batch:
                _ingest(store, batch, atomic, counts)
    finally:
        store.close()
    print(
        f"{counts['created']} created, {counts['duplicate']} duplicates, {counts['error']} errors"
    )
    return 1 if counts["error"] else 0


def _ingest(store: Any, batch: list[tuple[int, Any]], atomic: bool, counts: dict[str, int]) -> None:
    result = store.ingest_events([obj for _, obj in batch], atomic)
    for item in result.items:
        counts[item.status] = counts.get(item.status, 0) + 1
        if item.status == "error":
            print(f"line {batch[item.index][0]}: {item.error}", file=sys.stderr)


def migrate() -> int:
    from api.config import get_settings
    from retrieval.db import upgrade

    upgrade(get_settings().history_url)
    print("the database schema is up to date")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "serve":
        from api.__main__ import serve

        return serve()
    if command == "admin":
        from api.admin_cli import main as admin

        return admin(rest)
    if command == "stack":
        from api.stack import main as stack

        return stack(rest)
    if command in ("train", "evaluate", "predict", "calibrate", "build-demo"):
        from intent.cli import main as intent

        return intent([command, *rest])
    if command == "migrate":
        return migrate()
    if command == "import":
        ap = argparse.ArgumentParser(prog="agent-assist import")
        ap.add_argument("what", choices=["events"])
        ap.add_argument("file", help="JSON lines, one event each; - for standard input")
        ap.add_argument("--atomic", action="store_true", help="a bad item rejects its batch")
        a = ap.parse_args(rest)
        return import_events(a.file, a.atomic)
    print(f"unknown command {command!r}\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
