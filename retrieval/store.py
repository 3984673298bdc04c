"""The customer-history store: a `HistoryStore` Protocol and its SQLAlchemy implementation
(SQLite by default, PostgreSQL in production).

Ingestion is validated item by item and reported per item (`BatchResult`); the valid
items of a batch are written in ONE transaction (all or none of them), so nothing is ever
half-written. Events are idempotent on their id: re-sending the same event is reported as
`duplicate` and changes nothing; the same id with different content is an error.
Customers, orders and tickets are upserted on their id (`created` / `updated` /
`unchanged`); an order or ticket needs its customer first, a ticket its order (if any).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError
from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from retrieval.db import make_engine, upgrade
from retrieval.errors import (
    BatchRejected,
    CustomerNotFound,
    EventConflict,
    OrderNotFound,
    TicketNotFound,
    ValidationError,
)
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

# The reads are SQLAlchemy Core (rows as named tuples, no ORM objects) on statements built
# once and bound at execution: through the ORM, with a statement built per call, reading a
# turn's context cost 2-3x the CPU (`python -m bench.profile_assist --parts`).
_CUSTOMERS = CustomerRow.__table__
_ORDERS = OrderRow.__table__
_TICKETS = TicketRow.__table__
_EVENTS = EventRow.__table__
_CUSTOMER_BY_ID = select(_CUSTOMERS).where(_CUSTOMERS.c.id == bindparam("customer_id"))
_ORDER_BY_ID = select(_ORDERS).where(_ORDERS.c.id == bindparam("id"))
_TICKET_BY_ID = select(_TICKETS).where(_TICKETS.c.id == bindparam("id"))
_EVENTS_BY_ID = select(_EVENTS).where(_EVENTS.c.id.in_(bindparam("ids", expanding=True)))
_ORDERS_OF = select(_ORDERS).where(_ORDERS.c.customer_id == bindparam("customer_id"))
_TICKETS_OF = select(_TICKETS).where(_TICKETS.c.customer_id == bindparam("customer_id"))
_EVENTS_OF = select(_EVENTS).where(_EVENTS.c.customer_id == bindparam("customer_id"))
_ORDERS_READ = {
    False: _ORDERS_OF.order_by(_ORDERS.c.placed_at.desc()),
    True: _ORDERS_OF.where(_ORDERS.c.status.in_(sorted(OPEN_ORDER_STATUSES))).order_by(
        _ORDERS.c.placed_at.desc()
    ),
}
_TICKETS_READ = {
    False: _TICKETS_OF.order_by(_TICKETS.c.opened_at.desc()),
    True: _TICKETS_OF.where(_TICKETS.c.status.in_(sorted(OPEN_TICKET_STATUSES))).order_by(
        _TICKETS.c.opened_at.desc()
    ),
}
_EVENTS_READ = {  # newest first; ties: the later stored first
    False: _EVENTS_OF.order_by(_EVENTS.c.ts.desc(), _EVENTS.c.seq.desc()),
    True: _EVENTS_OF.where(_EVENTS.c.ts >= bindparam("since")).order_by(
        _EVENTS.c.ts.desc(), _EVENTS.c.seq.desc()
    ),
}


class HistoryStore(Protocol):
    """What the index, the context builder and the API need from the history."""

    # applied to every ingested text before it is stored (PII); None: stored as given
    redact: Callable[[str], str] | None

    def upsert_customers(self, items: Sequence[CustomerIn | Mapping[str, Any]]) -> BatchResult: ...
    def upsert_orders(self, items: Sequence[OrderIn | Mapping[str, Any]]) -> BatchResult: ...
    def upsert_tickets(self, items: Sequence[TicketIn | Mapping[str, Any]]) -> BatchResult: ...
    def ingest_event(self, item: EventIn | Mapping[str, Any]) -> ItemResult: ...
    def ingest_events(
        self, items: Sequence[EventIn | Mapping[str, Any]], atomic: bool = False
    ) -> BatchResult: ...
    def get_customer(self, customer_id: str) -> Customer: ...
    def get_order(self, order_id: str) -> Order: ...
    def get_ticket(self, ticket_id: str) -> Ticket: ...
    def customer_ids_by_email(self, email: str, limit: int = 2) -> list[str]: ...
    def orders(self, customer_id: str, open_only: bool = False) -> list[Order]: ...
    def tickets(self, customer_id: str, open_only: bool = False) -> list[Ticket]: ...
    def events(
        self,
        customer_id: str,
        since: datetime | None = None,
        until: datetime | None = None,
        channels: Iterable[str] | None = None,
        limit: int | None = None,
        types: Iterable[str] | None = None,
    ) -> list[Event]: ...
    def iter_events(
        self, after_seq: int = 0, batch: int = 10_000
    ) -> Iterator[tuple[int, Event]]: ...
    def get_events(self, ids: Sequence[str]) -> list[Event]: ...
    def history(self, customer_id: str, since: datetime | None = None) -> CustomerHistory: ...


@dataclass(frozen=True, slots=True)
class CustomerHistory:
    """What the context of a turn reads: the customer, their orders and tickets (newest
    first) and their events since a date (newest first), read together."""

    customer: Customer
    orders: list[Order]
    tickets: list[Ticket]
    events: list[Event]


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


def _row_values(m: BaseModel) -> dict[str, Any]:
    """A validated record as the column values of its row (timestamps naive UTC)."""
    return {
        k: _naive(v) if isinstance(v, datetime) else v
        for k, v in m.model_dump(mode="python").items()
    }


def _keep(
    rows: list[tuple[int, dict[str, Any]]],
    results: list[ItemResult | None],
    problem: Callable[[dict[str, Any]], str | None],
) -> list[tuple[int, dict[str, Any]]]:
    """The rows without a problem; the others get their error result."""
    keep = []
    for i, v in rows:
        error = problem(v)
        if error is None:
            keep.append((i, v))
        else:
            results[i] = ItemResult(i, v["id"], "error", error)
    return keep


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
        """Validate each item and check what it refers to, then write the new and changed
        ones in ONE transaction. Per item: `created`, `updated` (a field differs from the
        stored record), `unchanged` (re-sending a record changes nothing) or `error`. The
        same id twice in a batch: the later one wins. Retried once when a concurrent
        writer inserted one of the ids first."""
        for attempt in range(2):
            try:
                return self._upsert_once(model, row_type, items, needs_customer)
            except IntegrityError:
                if attempt:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _upsert_once(
        self,
        model: type[BaseModel],
        row_type: Any,
        items: Sequence[Any],
        needs_customer: bool,
    ) -> BatchResult:
        results: list[ItemResult | None] = [None] * len(items)
        rows = [(i, _row_values(m)) for i, m in _validate_items(model, items, results)]
        if self.redact is not None and row_type is TicketRow:  # free text: PII out
            for _, v in rows:
                v["summary"] = self.redact(v["summary"]) if v["summary"] else v["summary"]
        table = row_type.__table__
        with self.engine.begin() as conn:
            if needs_customer:
                known = self._existing(conn, CustomerRow.id, (v["customer_id"] for _, v in rows))

                def no_customer(v: dict[str, Any]) -> str | None:
                    if v["customer_id"] in known:
                        return None
                    return f"customer_id: {CustomerNotFound(v['customer_id'])}: create it first"

                rows = _keep(rows, results, no_customer)
            if row_type is TicketRow:
                refs = {v["order_id"] for _, v in rows if v["order_id"]}
                orders = self._existing(conn, OrderRow.id, refs) if refs else set()

                def no_order(v: dict[str, Any]) -> str | None:
                    if not v["order_id"] or v["order_id"] in orders:
                        return None
                    return f"order_id: unknown order {v['order_id']!r}: create it first"

                rows = _keep(rows, results, no_order)
            stored = self._stored(conn, table, (v["id"] for _, v in rows))
            fresh: dict[str, dict[str, Any]] = {}  # id -> values (the last one of the batch wins)
            changed: dict[str, dict[str, Any]] = {}
            for i, values in rows:
                mid = values["id"]
                before = fresh.get(mid) or changed.get(mid) or stored.get(mid)
                if before is None:
                    fresh[mid] = values
                    results[i] = ItemResult(i, mid, "created")
                elif all(before.get(k) == v for k, v in values.items()):
                    results[i] = ItemResult(i, mid, "unchanged")
                else:
                    (fresh if mid in fresh else changed)[mid] = values
                    results[i] = ItemResult(i, mid, "updated")
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

    def _stored(self, conn: Any, table: Any, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The stored rows of `ids` (those that exist), as column -> value."""
        ids = list(set(ids))
        out: dict[str, dict[str, Any]] = {}
        for k in range(0, len(ids), _CHUNK):
            query = select(table).where(table.c.id.in_(ids[k : k + _CHUNK]))
            for r in conn.execute(query).mappings():
                out[r["id"]] = dict(r)
        return out

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
        with self.engine.connect() as conn:
            return _read_customer(conn, customer_id)

    def customer_ids_by_email(self, email: str, limit: int = 2) -> list[str]:
        """The customers whose e-mail is `email`, compared without case (at most `limit`)."""
        q = (
            select(_CUSTOMERS.c.id)
            .where(func.lower(_CUSTOMERS.c.email) == email.strip().lower())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(q).scalars())

    def get_order(self, order_id: str) -> Order:
        with self.engine.connect() as conn:
            row = conn.execute(_ORDER_BY_ID, {"id": order_id}).first()
        if row is None:
            raise OrderNotFound(order_id)
        return _order(row)

    def get_ticket(self, ticket_id: str) -> Ticket:
        with self.engine.connect() as conn:
            row = conn.execute(_TICKET_BY_ID, {"id": ticket_id}).first()
        if row is None:
            raise TicketNotFound(ticket_id)
        return _ticket(row)

    def customer_ids(self, limit: int | None = None) -> list[str]:
        with self.engine.connect() as conn:
            q = select(CustomerRow.id).order_by(CustomerRow.id)
            return list(conn.execute(q.limit(limit) if limit else q).scalars())

    def orders(self, customer_id: str, open_only: bool = False) -> list[Order]:
        with self.engine.connect() as conn:
            rows = conn.execute(_ORDERS_READ[open_only], {"customer_id": customer_id})
            return [_order(r) for r in rows]

    def tickets(self, customer_id: str, open_only: bool = False) -> list[Ticket]:
        with self.engine.connect() as conn:
            rows = conn.execute(_TICKETS_READ[open_only], {"customer_id": customer_id})
            return [_ticket(r) for r in rows]

    def events(
        self,
        customer_id: str,
        since: datetime | None = None,
        until: datetime | None = None,
        channels: Iterable[str] | None = None,
        limit: int | None = None,
        types: Iterable[str] | None = None,
    ) -> list[Event]:
        """One customer's events, newest first (only `types`, when given)."""
        q = _EVENTS_READ[since is not None]
        if until is not None:
            q = q.where(_EVENTS.c.ts <= _naive(until))
        if channels is not None:
            q = q.where(_EVENTS.c.channel.in_(list(channels)))
        if types is not None:
            q = q.where(_EVENTS.c.type.in_(list(types)))
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [_event(r) for r in conn.execute(q, _events_params(customer_id, since))]

    def history(self, customer_id: str, since: datetime | None = None) -> CustomerHistory:
        """The customer, their orders, tickets and events since `since` (newest first),
        in one connection: one pool check-out for a turn's context instead of four (one
        transaction; under PostgreSQL's default READ COMMITTED each read sees what was
        committed when it ran). Raises CustomerNotFound."""
        params = _events_params(customer_id, since)
        events = _EVENTS_READ[since is not None]
        with self.engine.connect() as conn:
            customer = _read_customer(conn, customer_id)
            return CustomerHistory(
                customer,
                [_order(r) for r in conn.execute(_ORDERS_READ[False], params)],
                [_ticket(r) for r in conn.execute(_TICKETS_READ[False], params)],
                [_event(r) for r in conn.execute(events, params)],
            )

    def get_events(self, ids: Sequence[str]) -> list[Event]:
        out: dict[str, Event] = {}
        with self.engine.connect() as conn:
            for k in range(0, len(ids), _CHUNK):
                chunk = list(ids[k : k + _CHUNK])
                for r in conn.execute(_EVENTS_BY_ID, {"ids": chunk}):
                    out[r.id] = _event(r)
        return [out[i] for i in ids if i in out]

    def count_customers(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(CustomerRow)).scalar_one())

    def max_seq(self) -> int:
        """The highest event sequence number (0 when there is none): the history index's
        high-water mark can never be above it."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(EventRow.seq))).scalar_one() or 0)

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


def _events_params(customer_id: str, since: datetime | None) -> dict[str, Any]:
    params: dict[str, Any] = {"customer_id": customer_id}
    if since is not None:
        params["since"] = _naive(since)
    return params


def _read_customer(conn: Connection, customer_id: str) -> Customer:
    row = conn.execute(_CUSTOMER_BY_ID, {"customer_id": customer_id}).first()
    if row is None:
        raise CustomerNotFound(customer_id)
    return _customer(row)


def _customer(r: Any) -> Customer:
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


def _order(r: Any) -> Order:
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


def _ticket(r: Any) -> Ticket:
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


def _event(r: Any) -> Event:
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
