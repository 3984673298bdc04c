"""The customer-history store: a `HistoryStore` Protocol and its SQLAlchemy implementation
(SQLite by default, PostgreSQL in production).

Ingestion is validated item by item and reported per item (`BatchResult`); the valid
items of a batch are written in ONE transaction (all or none of them), so nothing is ever
half-written. Events are idempotent on their id: re-sending the same event is reported as
`duplicate` and changes nothing; the same id with different content is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from sqlalchemy import Engine, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from retrieval.db import make_engine, upgrade
from retrieval.errors import BatchRejected, CustomerNotFound, EventConflict, ValidationError
from retrieval.models import CustomerRow, EventRow, OrderRow, TicketRow
from retrieval.schemas import (
    OPEN_ORDER_STATUSES,
    OPEN_TICKET_STATUSES,
    BatchResult,
    Customer,
    CustomerIn,
    Event,
    EventIn,
    ItemResult,
    Order,
    OrderIn,
    Ticket,
    TicketIn,
    as_utc,
)

M = TypeVar("M", bound=BaseModel)
_CHUNK = 500  # ids per IN (...) query


class HistoryStore(Protocol):
    """What the index, the context builder and the API need from the history."""

    def upsert_customers(self, items: Sequence[CustomerIn | Mapping[str, Any]]) -> BatchResult: ...
    def upsert_orders(self, items: Sequence[OrderIn | Mapping[str, Any]]) -> BatchResult: ...
    def upsert_tickets(self, items: Sequence[TicketIn | Mapping[str, Any]]) -> BatchResult: ...
    def ingest_event(self, item: EventIn | Mapping[str, Any]) -> ItemResult: ...
    def ingest_events(
        self, items: Sequence[EventIn | Mapping[str, Any]], atomic: bool = False
    ) -> BatchResult: ...
    def get_customer(self, customer_id: str) -> Customer: ...
    def orders(self, customer_id: str, open_only: bool = False) -> list[Order]: ...
    def tickets(self, customer_id: str, open_only: bool = False) -> list[Ticket]: ...
    def events(
        self,
        customer_id: str,
        since: datetime | None = None,
        until: datetime | None = None,
        channels: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[Event]: ...
    def iter_events(
        self, after_seq: int = 0, batch: int = 10_000
    ) -> Iterator[tuple[int, Event]]: ...
    def get_events(self, ids: Sequence[str]) -> list[Event]: ...


def _naive(ts: datetime | None) -> datetime | None:
    return None if ts is None else as_utc(ts).replace(tzinfo=None)


def _aware(ts: datetime | None) -> datetime | None:
    return None if ts is None else (ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts)


def _first_error(exc: PydanticError) -> ValidationError:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err.get("loc", ())) or "item"
    return ValidationError(loc, str(err.get("msg")), err.get("input"))


def validate(model: type[M], item: M | Mapping[str, Any]) -> M:
    """`item` as a `model`, or a `ValidationError` naming the first bad field."""
    if isinstance(item, model):
        return item
    if not isinstance(item, Mapping):
        raise ValidationError("item", f"expected an object, got {type(item).__name__}")
    try:
        return model.model_validate(dict(item))
    except PydanticError as exc:
        raise _first_error(exc) from None


def _validate_items(
    model: type[M], items: Sequence[Any], results: list[ItemResult | None]
) -> list[tuple[int, M]]:
    """Validate each batch item; invalid ones get their error result, valid ones come back
    with their position."""
    valid: list[tuple[int, M]] = []
    for i, raw in enumerate(items):
        try:
            valid.append((i, validate(model, raw)))
        except ValidationError as exc:
            results[i] = ItemResult(i, _item_id(raw), "error", str(exc))
    return valid


def _item_id(item: object) -> str | None:
    raw = item.get("id") if isinstance(item, Mapping) else getattr(item, "id", None)
    return str(raw) if raw is not None else None


class SqlHistoryStore:
    """`HistoryStore` on SQLAlchemy. `SqlHistoryStore.open(url)` migrates then connects."""

    def __init__(self, engine: Engine, redact: Callable[[str], str] | None = None) -> None:
        self.engine = engine
        # applied to every ingested event's text before it is stored (PII); the service
        # sets the product's redactor, the demo generator writes its own clean texts
        self.redact = redact

    @classmethod
    def open(cls, url: str = "sqlite:///var/history.db", migrate: bool = True) -> SqlHistoryStore:
        engine = make_engine(url)
        if migrate:
            upgrade(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------------ writes

    def _existing(self, conn: Any, column: Any, ids: Iterable[str]) -> set[str]:
        ids = list(set(ids))
        found: set[str] = set()
        for i in range(0, len(ids), _CHUNK):
            found.update(
                conn.execute(select(column).where(column.in_(ids[i : i + _CHUNK]))).scalars()
            )
        return found

    def upsert_customers(self, items: Sequence[CustomerIn | Mapping[str, Any]]) -> BatchResult:
        return self._upsert(CustomerIn, CustomerRow, items, needs_customer=False)

    def upsert_orders(self, items: Sequence[OrderIn | Mapping[str, Any]]) -> BatchResult:
        return self._upsert(OrderIn, OrderRow, items, needs_customer=True)

    def upsert_tickets(self, items: Sequence[TicketIn | Mapping[str, Any]]) -> BatchResult:
        return self._upsert(TicketIn, TicketRow, items, needs_customer=True)

    def _upsert(
        self,
        model: type[BaseModel],
        row_type: Any,
        items: Sequence[Any],
        needs_customer: bool,
    ) -> BatchResult:
        results: list[ItemResult | None] = [None] * len(items)
        valid: list[tuple[int, BaseModel]] = _validate_items(model, items, results)
        with self.engine.begin() as conn:
            if needs_customer:
                known = self._existing(conn, CustomerRow.id, (m.customer_id for _, m in valid))  # type: ignore[attr-defined]
                keep = []
                for i, m in valid:
                    if m.customer_id in known:  # type: ignore[attr-defined]
                        keep.append((i, m))
                    else:
                        err = CustomerNotFound(m.customer_id)  # type: ignore[attr-defined]
                        results[i] = ItemResult(i, m.id, "error", str(err))  # type: ignore[attr-defined]
                valid = keep
            refs = [getattr(m, "order_id", None) for _, m in valid]
            if row_type is TicketRow and any(refs):
                orders = self._existing(conn, OrderRow.id, (r for r in refs if r))
                keep = []
                for i, m in valid:
                    ref = getattr(m, "order_id", None)
                    if ref and ref not in orders:
                        item_id = getattr(m, "id", None)
                        results[i] = ItemResult(
                            i, item_id, "error", f"order_id: unknown order {ref!r}"
                        )
                    else:
                        keep.append((i, m))
                valid = keep
            existing = self._existing(conn, row_type.id, (m.id for _, m in valid))  # type: ignore[attr-defined]
            fresh: dict[str, dict[str, Any]] = {}  # id -> values (the last one of the batch wins)
            changed: dict[str, dict[str, Any]] = {}
            for i, m in valid:
                mid = m.id  # type: ignore[attr-defined]
                values = {
                    k: _naive(v) if isinstance(v, datetime) else v
                    for k, v in m.model_dump(mode="python").items()
                }
                if mid in existing or mid in fresh:
                    (fresh if mid in fresh else changed)[mid] = values
                    results[i] = ItemResult(i, mid, "updated")
                else:
                    fresh[mid] = values
                    results[i] = ItemResult(i, mid, "created")
            table = row_type.__table__
            if fresh:
                conn.execute(insert(table), list(fresh.values()))
            if changed:
                cols = [c for c in next(iter(changed.values())) if c != "id"]
                stmt = (
                    update(table)
                    .where(table.c.id == bindparam("b_id"))
                    .values({c: bindparam(c) for c in cols})
                )
                conn.execute(stmt, [{**v, "b_id": k} for k, v in changed.items()])
        return BatchResult([r for r in results if r is not None])

    def ingest_event(self, item: EventIn | Mapping[str, Any]) -> ItemResult:
        """One event. Raises the domain error (ValidationError, CustomerNotFound,
        EventConflict) instead of reporting it."""
        event = validate(EventIn, item)
        with self.engine.begin() as conn:
            if not self._existing(conn, CustomerRow.id, [event.customer_id]):
                raise CustomerNotFound(event.customer_id)
        result = self.ingest_events([event]).items[0]
        if result.status == "error":
            raise EventConflict(event.id)
        return result

    def ingest_events(
        self, items: Sequence[EventIn | Mapping[str, Any]], atomic: bool = False
    ) -> BatchResult:
        """Validate each item, then write every valid, new one in a single transaction.

        `atomic=True`: any invalid item rejects the whole batch (`BatchRejected`)."""
        for attempt in range(2):
            try:
                return self._ingest_events(items, atomic)
            except IntegrityError:  # a concurrent writer inserted one of these ids first
                if attempt:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _ingest_events(self, items: Sequence[Any], atomic: bool) -> BatchResult:
        results: list[ItemResult | None] = [None] * len(items)
        valid = _validate_items(EventIn, items, results)
        with self.engine.begin() as conn:
            known = self._existing(conn, CustomerRow.id, (e.customer_id for _, e in valid))
            ids = [e.id for _, e in valid]
            stored: dict[str, tuple[Any, ...]] = {}
            for k in range(0, len(ids), _CHUNK):
                rows = conn.execute(
                    select(
                        EventRow.id,
                        EventRow.customer_id,
                        EventRow.channel,
                        EventRow.type,
                        EventRow.ts,
                        EventRow.text,
                    ).where(EventRow.id.in_(ids[k : k + _CHUNK]))
                )
                for r in rows:
                    stored[r[0]] = tuple(r[1:])
            rows_out: list[dict[str, Any]] = []
            for i, e in valid:
                if self.redact is not None and e.text:
                    e = e.model_copy(update={"text": self.redact(e.text)})
                key = (e.customer_id, e.channel, e.type, _naive(e.ts), e.text)
                if e.customer_id not in known:
                    results[i] = ItemResult(i, e.id, "error", str(CustomerNotFound(e.customer_id)))
                elif e.id in stored:
                    same = stored[e.id] == key
                    results[i] = (
                        ItemResult(i, e.id, "duplicate")
                        if same
                        else ItemResult(i, e.id, "error", str(EventConflict(e.id)))
                    )
                else:
                    stored[e.id] = key
                    rows_out.append(
                        {
                            "id": e.id,
                            "customer_id": e.customer_id,
                            "channel": e.channel,
                            "type": e.type,
                            "ts": _naive(e.ts),
                            "text": e.text,
                            "intent": e.intent,
                            "order_id": e.order_id,
                            "ticket_id": e.ticket_id,
                            "attributes": e.attributes,
                        }
                    )
                    results[i] = ItemResult(i, e.id, "created")
            final = [r for r in results if r is not None]
            if atomic and any(r.status == "error" for r in final):
                conn.rollback()
                raise BatchRejected({r.index: r.error or "" for r in final if r.status == "error"})
            if rows_out:
                conn.execute(insert(EventRow), rows_out)
        return BatchResult(final)

    # ------------------------------------------------------------------ reads

    def get_customer(self, customer_id: str) -> Customer:
        with Session(self.engine) as s:
            row = s.get(CustomerRow, customer_id)
            if row is None:
                raise CustomerNotFound(customer_id)
            return _customer(row)

    def customer_ids(self, limit: int | None = None) -> list[str]:
        with self.engine.connect() as conn:
            q = select(CustomerRow.id).order_by(CustomerRow.id)
            return list(conn.execute(q.limit(limit) if limit else q).scalars())

    def orders(self, customer_id: str, open_only: bool = False) -> list[Order]:
        q = select(OrderRow).where(OrderRow.customer_id == customer_id)
        if open_only:
            q = q.where(OrderRow.status.in_(sorted(OPEN_ORDER_STATUSES)))
        with Session(self.engine) as s:
            return [_order(r) for r in s.scalars(q.order_by(OrderRow.placed_at.desc()))]

    def tickets(self, customer_id: str, open_only: bool = False) -> list[Ticket]:
        q = select(TicketRow).where(TicketRow.customer_id == customer_id)
        if open_only:
            q = q.where(TicketRow.status.in_(sorted(OPEN_TICKET_STATUSES)))
        with Session(self.engine) as s:
            return [_ticket(r) for r in s.scalars(q.order_by(TicketRow.opened_at.desc()))]

    def events(
        self,
        customer_id: str,
        since: datetime | None = None,
        until: datetime | None = None,
        channels: Iterable[str] | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        """One customer's events, newest first."""
        q = select(EventRow).where(EventRow.customer_id == customer_id)
        if since is not None:
            q = q.where(EventRow.ts >= _naive(since))
        if until is not None:
            q = q.where(EventRow.ts <= _naive(until))
        if channels is not None:
            q = q.where(EventRow.channel.in_(list(channels)))
        q = q.order_by(EventRow.ts.desc(), EventRow.seq.desc())
        if limit:
            q = q.limit(limit)
        with Session(self.engine) as s:
            return [_event(r) for r in s.scalars(q)]

    def get_events(self, ids: Sequence[str]) -> list[Event]:
        out: dict[str, Event] = {}
        with Session(self.engine) as s:
            for k in range(0, len(ids), _CHUNK):
                for r in s.scalars(
                    select(EventRow).where(EventRow.id.in_(list(ids[k : k + _CHUNK])))
                ):
                    out[r.id] = _event(r)
        return [out[i] for i in ids if i in out]

    def count_events(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(EventRow)).scalar_one())

    def iter_events(self, after_seq: int = 0, batch: int = 10_000) -> Iterator[tuple[int, Event]]:
        """Every event with `seq > after_seq`, in insertion order (for index builds)."""
        cols = (
            EventRow.seq,
            EventRow.id,
            EventRow.customer_id,
            EventRow.channel,
            EventRow.type,
            EventRow.ts,
            EventRow.text,
            EventRow.intent,
            EventRow.order_id,
            EventRow.ticket_id,
        )
        last = after_seq
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(
                    select(*cols).where(EventRow.seq > last).order_by(EventRow.seq).limit(batch)
                ).all()
            if not rows:
                return
            for r in rows:
                ts = _aware(r[5])
                assert ts is not None  # the column is NOT NULL
                yield (int(r[0]), Event(r[1], r[2], r[3], r[4], ts, r[6], r[7], r[8], r[9], {}))
            last = int(rows[-1][0])


def _customer(r: CustomerRow) -> Customer:
    return Customer(
        r.id,
        r.name,
        r.email,
        r.phone,
        r.city,
        r.country,
        r.tier,
        _aware(r.customer_since),
        bool(r.marketing_opt_out),
        bool(r.email_opt_in),
        bool(r.sms_opt_in),
        dict(r.attributes or {}),
    )


def _order(r: OrderRow) -> Order:
    return Order(
        r.id,
        r.customer_id,
        r.status,
        list(r.items or []),
        float(r.total),
        r.currency,
        _aware(r.placed_at),  # type: ignore[arg-type]
        _aware(r.shipped_at),
        _aware(r.delivered_at),
        _aware(r.eta),
        r.carrier,
        r.tracking_number,
        r.tracking_url,
        r.delivery_city,
    )


def _ticket(r: TicketRow) -> Ticket:
    return Ticket(
        r.id,
        r.customer_id,
        r.topic,
        r.status,
        r.channel,
        r.priority,
        r.order_id,
        r.summary,
        _aware(r.opened_at),  # type: ignore[arg-type]
        _aware(r.updated_at),
    )


def _event(r: EventRow) -> Event:
    return Event(
        r.id,
        r.customer_id,
        r.channel,
        r.type,
        _aware(r.ts),  # type: ignore[arg-type]
        r.text,
        r.intent,
        r.order_id,
        r.ticket_id,
        dict(r.attributes or {}),
    )
