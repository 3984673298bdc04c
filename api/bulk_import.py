"""`agent-assist import {customers,orders,tickets,events} FILE`: a shop's data from CSV or
JSON lines into the history store, as `PUT /v1/...` and `POST /v1/events` would store it
(validated, idempotent on each id, PII in ticket summaries and event texts redacted).

    agent-assist import customers customers.csv --errors customer-errors.jsonl
    agent-assist import orders orders.jsonl.gz
    crm-export | agent-assist import tickets - --format csv

The file is streamed in chunks of `--batch` rows, each chunk one transaction, so a file of
any size takes little memory. Every bad row is reported (line, id, message: on stderr and,
with `--errors FILE`, as JSON lines) and never stops the good ones. Import customers
first, then orders, then tickets (a ticket may name an order), then events.

Exit status: 0 every row stored, 1 some rows failed (the others are stored), 2 the input
cannot be used (missing file, unknown format, a CSV header without a required column)."""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, TextIO

from pydantic import BaseModel

from api.config import get_settings
from api.storage.schema import open_database
from retrieval.errors import BatchRejected
from retrieval.pii import default_redactor
from retrieval.schemas import BatchResult, CustomerIn, EventIn, OrderIn, TicketIn
from retrieval.store import HistoryStore, SqlHistoryStore

KINDS: dict[str, type[BaseModel]] = {
    "customers": CustomerIn,
    "orders": OrderIn,
    "tickets": TicketIn,
    "events": EventIn,
}
FORMATS = ("csv", "jsonl")
EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
JSON_COLUMNS = frozenset({"attributes", "items"})  # CSV cells that hold JSON
SHOWN_ERRORS = 20  # bad rows printed on stderr (all of them go to --errors FILE)


class UnusableInput(Exception):
    """The input cannot be imported at all (exit status 2)."""


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # of the file (a CSV row: the line it ends on)
    id: str | None
    data: dict[str, Any] | None = None
    error: str | None = None  # the row could not be read


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    id: str | None
    message: str


@dataclass(slots=True)
class Summary:
    kind: str
    rows: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        c = self.counts
        middle = (
            f"{c['duplicate']} duplicates"
            if self.kind == "events"
            else f"{c['updated']} updated, {c['unchanged']} unchanged"
        )
        return (
            f"{self.kind}: {self.rows} rows: {c['created']} created, {middle}, {c['error']} errors"
        )


# ---------------------------------------------------------------- reading


def file_format(path: str, given: str | None) -> str:
    if given:
        return given
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    fmt = EXTENSIONS.get(suffixes[-1]) if suffixes and path != "-" else None
    if fmt is None:
        raise UnusableInput(
            f"cannot tell the format of {path!r}: name it .csv or .jsonl (.ndjson, optionally "
            "with .gz), or say --format csv|jsonl"
        )
    return fmt


def _id(data: dict[str, Any]) -> str | None:
    raw = data.get("id")
    return None if raw is None else str(raw)


def read_jsonl(stream: Iterable[bytes]) -> Iterator[Row]:
    """One JSON object per line; blank lines are skipped, a bad line is a bad row."""
    n = 0
    lines = iter(stream)
    while True:
        try:
            raw = next(lines)
        except StopIteration:
            return
        except (OSError, EOFError) as exc:  # e.g. a truncated .gz
            raise UnusableInput(f"line {n + 1} cannot be read ({exc})") from None
        n += 1
        try:
            text = raw.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError:
            yield Row(n, None, error="not UTF-8 text")
            continue
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except ValueError as exc:
            yield Row(n, None, error=f"not JSON: {exc}")
            continue
        if not isinstance(obj, dict):
            yield Row(n, None, error=f"expected a JSON object, got {type(obj).__name__}")
            continue
        yield Row(n, _id(obj), obj)


def read_csv(stream: TextIO, model: type[BaseModel]) -> Iterator[Row]:
    """A header row naming the model's fields, then one record a row. An empty cell is the
    field's default; `attributes` / `items` cells hold JSON. The header is checked at
    once (`UnusableInput`), the rows as they are read."""
    reader = csv.reader(stream)
    try:
        header = [c.strip() for c in next(reader)]
    except StopIteration:
        raise UnusableInput("the file is empty: a CSV needs a header row") from None
    except (csv.Error, UnicodeDecodeError, OSError, EOFError) as exc:
        raise UnusableInput(f"the header row cannot be read: {exc}") from None
    _check_header(header, model)
    return _csv_rows(reader, header)


def _check_header(header: list[str], model: type[BaseModel]) -> None:
    fields = model.model_fields
    known = ", ".join(fields)
    twice = sorted({c for c in header if header.count(c) > 1})
    if twice:
        raise UnusableInput(f"the CSV header repeats column(s) {', '.join(twice)}")
    unknown = [c for c in header if c not in fields]
    if unknown:
        raise UnusableInput(f"unknown CSV column(s) {', '.join(unknown)}; the columns: {known}")
    missing = [n for n, f in fields.items() if f.is_required() and n not in header]
    if missing:
        raise UnusableInput(f"the CSV header lacks the required column(s) {', '.join(missing)}")


def _csv_rows(reader: Any, header: list[str]) -> Iterator[Row]:
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError, OSError, EOFError) as exc:
            raise UnusableInput(
                f"line {reader.line_num + 1} cannot be read ({exc}); the rows before it were "
                "imported"
            ) from None
        if not any(c.strip() for c in cells):
            continue
        yield _csv_row(reader.line_num, header, cells)


def _csv_row(line: int, header: list[str], cells: list[str]) -> Row:
    data: dict[str, Any] = {}
    for column, cell in zip(header, cells, strict=False):
        if not cell.strip():
            continue
        if column in JSON_COLUMNS:
            try:
                data[column] = json.loads(cell)
            except ValueError as exc:
                return Row(line, _id(data), error=f"{column}: not JSON ({exc})")
        else:
            data[column] = cell
    if len(cells) > len(header):
        error = f"{len(cells)} cells, but the header has {len(header)} columns"
        return Row(line, _id(data), error=error)
    return Row(line, _id(data), data)


def open_rows(stack: ExitStack, path: str, fmt: str, model: type[BaseModel]) -> Iterator[Row]:
    """The rows of `path` (`-`: standard input; `.gz`: gzip). Missing file: UnusableInput."""
    try:
        if path == "-":
            binary: IO[bytes] | gzip.GzipFile = sys.stdin.buffer
        elif path.lower().endswith(".gz"):
            binary = stack.enter_context(gzip.open(path, "rb"))  # noqa: SIM115
        else:
            binary = stack.enter_context(Path(path).open("rb"))  # noqa: SIM115
    except OSError as exc:
        raise UnusableInput(f"cannot read {path!r}: {exc.strerror or exc}") from None
    if fmt == "jsonl":
        return read_jsonl(binary)
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
    return read_csv(text, model)


# ---------------------------------------------------------------- writing


def _write(store: HistoryStore, kind: str, items: list[Any], atomic: bool) -> BatchResult:
    if kind == "events":
        return store.ingest_events(items, atomic)
    if kind == "customers":
        return store.upsert_customers(items)
    if kind == "orders":
        return store.upsert_orders(items)
    return store.upsert_tickets(items)


def import_rows(
    store: HistoryStore,
    kind: str,
    rows: Iterable[Row],
    *,
    batch: int = 500,
    atomic: bool = False,
    on_error: Callable[[RowError], None] = lambda _: None,
    on_progress: Callable[[Summary], None] = lambda _: None,
    summary: Summary | None = None,
) -> Summary:
    """Write `rows` through the store, `batch` rows a transaction, counting in `summary`.
    `atomic` (events): a bad row rejects its whole batch. When the input turns out
    unreadable half-way (`UnusableInput`), the rows read before are written first."""
    if batch < 1:
        raise ValueError("batch must be at least 1")
    summary = summary if summary is not None else Summary(kind)
    chunk: list[Row] = []
    try:
        for row in rows:
            chunk.append(row)
            if len(chunk) == batch:
                _flush(store, chunk, atomic, summary, on_error)
                on_progress(summary)
                chunk = []
    except UnusableInput:
        _flush(store, chunk, atomic, summary, on_error)
        raise
    if chunk:
        _flush(store, chunk, atomic, summary, on_error)
        on_progress(summary)
    return summary


def _flush(
    store: HistoryStore,
    chunk: list[Row],
    atomic: bool,
    summary: Summary,
    on_error: Callable[[RowError], None],
) -> None:
    errors = [RowError(r.line, r.id, r.error) for r in chunk if r.error is not None]
    readable = [r for r in chunk if r.error is None]
    rejected = "not stored: another row of its batch is invalid (--atomic)"
    if atomic and errors:
        errors += [RowError(r.line, r.id, rejected) for r in readable]
    elif readable:
        try:
            res = _write(store, summary.kind, [r.data for r in readable], atomic)
        except BatchRejected as exc:
            errors += [
                RowError(r.line, r.id, exc.errors.get(i, rejected)) for i, r in enumerate(readable)
            ]
        else:
            for item in res.items:
                if item.status == "error":
                    row = readable[item.index]
                    errors.append(RowError(row.line, item.id or row.id, item.error or "refused"))
                else:
                    summary.counts[item.status] += 1
    summary.rows += len(chunk)
    summary.counts["error"] += len(errors)
    for e in sorted(errors, key=lambda e: e.line):
        on_error(e)


# ---------------------------------------------------------------- the command


class _Reporter:
    """Bad rows on stderr (the first few) and in the --errors file (all); progress on
    stderr (rows done and rate), at most once a second."""

    def __init__(self, errors_file: TextIO | None, quiet: bool) -> None:
        self.errors_file = errors_file
        self.quiet = quiet
        self.shown = 0
        self.start = self.last = time.monotonic()

    def error(self, e: RowError) -> None:
        if self.errors_file is not None:
            self.errors_file.write(json.dumps(asdict(e), ensure_ascii=False) + "\n")
        self.shown += 1
        if self.shown <= SHOWN_ERRORS:
            ident = f" {e.id}:" if e.id else ""
            print(f"line {e.line}:{ident} {e.message}", file=sys.stderr)

    def progress(self, s: Summary, final: bool = False) -> None:
        now = time.monotonic()
        if self.quiet or (not final and now - self.last < 1.0):
            return
        self.last = now
        rate = s.rows / max(now - self.start, 1e-6)
        print(f"{s.kind}: {s.rows} rows done, {rate:.0f} rows/s", file=sys.stderr)

    def close(self, s: Summary) -> None:
        self.progress(s, final=True)
        if self.shown > SHOWN_ERRORS:
            where = "all of them are in the --errors file" if self.errors_file else "--errors FILE"
            print(f"... {self.shown - SHOWN_ERRORS} more bad rows ({where})", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="agent-assist import", description=(__doc__ or "").split("\n")[0]
    )
    ap.add_argument("kind", choices=list(KINDS))
    ap.add_argument("file", help="CSV or JSON lines (optionally .gz); - for standard input")
    ap.add_argument("--format", choices=FORMATS, help="default: from the file name's extension")
    ap.add_argument("--errors", metavar="FILE", help="write every bad row here as a JSON line")
    ap.add_argument("--batch", type=int, default=500, help="rows per transaction (500)")
    ap.add_argument("--atomic", action="store_true", help="events: a bad row rejects its batch")
    ap.add_argument("--quiet", action="store_true", help="no progress on stderr")
    return ap


def main(argv: Sequence[str]) -> int:
    a = _parser().parse_args(argv)
    misuse = "--batch must be at least 1" if a.batch < 1 else None
    if a.atomic and a.kind != "events":
        misuse = "--atomic is for events (each record is stored or refused on its own)"
    if misuse:
        print(f"error: {misuse}", file=sys.stderr)
        return 2
    summary = Summary(a.kind)
    try:
        with ExitStack() as stack:
            rows = open_rows(stack, a.file, file_format(a.file, a.format), KINDS[a.kind])
            errors_file = None
            if a.errors:
                try:
                    errors_file = stack.enter_context(Path(a.errors).open("w", encoding="utf-8"))
                except OSError as exc:
                    raise UnusableInput(f"cannot write {a.errors!r}: {exc.strerror}") from None
            reporter = _Reporter(errors_file, a.quiet)
            store = _open_store()
            stack.callback(store.close)
            try:
                import_rows(
                    store,
                    a.kind,
                    rows,
                    batch=a.batch,
                    atomic=a.atomic,
                    on_error=reporter.error,
                    on_progress=reporter.progress,
                    summary=summary,
                )
            finally:
                reporter.close(summary)
    except UnusableInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        if summary.rows:
            print(summary)
        return 2
    print(summary)
    return 1 if summary.counts["error"] else 0


def _open_store() -> SqlHistoryStore:
    """The configured history store (AGENT_ASSIST_HISTORY_URL), with the product's PII
    redactor, as the service uses it."""
    engine = open_database(get_settings().history_url)
    return SqlHistoryStore(engine, redact=default_redactor().redact)
