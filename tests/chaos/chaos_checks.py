"""What the chaos test checks once the traffic has drained, in PostgreSQL directly
(api/storage/tables.py, retrieval/models.py) and against what the clients and the webhook
receiver recorded. Each check is a row of the report: expected, observed, pass."""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from chaos_clients import Ledger
from chaos_faults import FaultRecord, ProbeResult
from chaos_receiver import WebhookReceiver

from api.conversations.state import RULES
from rasa_bot.scaled import PRODUCT_DB, RASA_DB, Scaled

# (action, from, to) of every legal transition (api/conversations/state.py)
LEGAL = {(a.value, s.value, r.target.value) for a, r in RULES.items() for s in r.sources}
STATES = {"bot", "queued", "human", "closed"}
ACTION_EVENT = {
    "request_handoff": "conversation.queued",
    "claim": "conversation.claimed",
    "hand_back": "conversation.handed_back",
    "close": "conversation.closed",
}


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    expected: str
    observed: str
    passed: bool


class Db:
    def __init__(self, scaled: Scaled, database: str = PRODUCT_DB) -> None:
        self.pg = scaled.pg
        self.database = database

    def rows(self, sql: str, *args: object) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.pg.port,
            user="postgres",
            password=self.pg.password,
            dbname=self.database,
            connect_timeout=10,
        ) as conn:
            return conn.execute(sql, args or None).fetchall()


def _few(items: Sequence[object], n: int = 3) -> str:
    return ", ".join(map(str, items[:n])) + (" ..." if len(items) > n else "")


def wait_webhooks(db: Db, receiver: WebhookReceiver, timeout_s: float = 300.0) -> str:
    """Wait (bounded) until every outbox event is fanned out, no delivery is pending, and
    the receiver has seen every event id. A delivery whose worker was killed mid-send is
    sent again once its lease (60 s) runs out."""
    deadline = time.monotonic() + timeout_s
    while True:
        outbox = {r[0] for r in db.rows("SELECT id FROM outbox_events")}
        undispatched = db.rows("SELECT count(*) FROM outbox_events WHERE NOT dispatched")[0][0]
        pending = db.rows("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'")[0][0]
        missing = outbox - {r.event_id for r in receiver.received()}
        if not undispatched and not pending and not missing:
            return f"{len(outbox)} events settled"
        if time.monotonic() > deadline:
            return (
                f"not settled after {timeout_s:.0f} s: {undispatched} not fanned out, "
                f"{pending} deliveries pending, {len(missing)} not received"
            )
        time.sleep(1.0)


def customer_messages(db: Db, ledger: Ledger) -> list[Check]:
    rows = db.rows(
        "SELECT client_message_id, count(*), min(text), max(text), min(conversation_id) "
        "FROM conversation_turns WHERE role = 'customer' GROUP BY client_message_id"
    )
    stored = {r[0]: r for r in rows if r[0] is not None}
    unkeyed = sum(r[1] for r in rows if r[0] is None)
    sent = ledger.messages
    acked = [m for m in sent.values() if m.acked]
    unacked = [m.key for m in sent.values() if not m.acked and m.status != 409]
    missing = [m.key for m in acked if m.key not in stored]
    doubled = [k for k, r in stored.items() if r[1] > 1]
    wrong = [
        m.key
        for m in acked
        if m.key in stored
        and (
            stored[m.key][2] != m.text
            or stored[m.key][3] != m.text
            or stored[m.key][4] != m.conversation_id
        )
    ]
    foreign = sorted(set(stored) - set(sent))
    retried = sum(m.attempts > 1 for m in sent.values())
    return [
        Check(
            "customer messages answered (none lost by a client)",
            f"{len(sent)} of {len(sent)} (minus refused: closed)",
            f"{len(acked)} answered, {len(unacked)} unanswered"
            + (f" ({_few(unacked)})" if unacked else "")
            + f"; {retried} needed a retry",
            not unacked,
        ),
        Check(
            "each answered customer message stored exactly once",
            "0 missing, 0 stored twice",
            f"{len(missing)} missing, {len(doubled)} stored twice"
            + (f" ({_few(missing + doubled)})" if missing or doubled else ""),
            not missing and not doubled,
        ),
        Check(
            "stored text and conversation are the ones sent",
            "all match",
            f"{len(wrong)} differ" + (f" ({_few(wrong)})" if wrong else ""),
            not wrong,
        ),
        Check(
            "no customer turn the clients did not send",
            "0",
            f"{len(foreign)} with unknown keys, {unkeyed} without a key",
            not foreign and not unkeyed,
        ),
    ]


def agent_messages(db: Db, ledger: Ledger) -> Check:
    texts = [r[0] for r in db.rows("SELECT text FROM conversation_turns WHERE role = 'agent'")]
    notes = list(ledger.notes.values())
    counts = {n.marker: sum(n.tag in t for t in texts) for n in notes}
    applied = [n for n in notes if n.acked]
    missing = [n.marker for n in applied if counts[n.marker] == 0]
    doubled = [m for m, c in counts.items() if c > 1]
    found = sum(n.found_on_retry for n in notes)
    return Check(
        "each agent message stored once (no idempotency key: checked before a re-send)",
        "0 missing, 0 twice",
        f"{len(applied)} sent, {len(missing)} missing, {len(doubled)} twice; "
        f"{found} found stored after a lost answer",
        not missing and not doubled,
    )


def conversations(db: Db) -> tuple[list[Check], dict[str, int]]:
    convs = db.rows("SELECT id, state, version, agent_id, closed_at FROM conversations")
    trail: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for r in db.rows(
        "SELECT conversation_id, from_state, to_state, action, actor, reason, ts "
        "FROM conversation_transitions ORDER BY id"
    ):
        trail[r[0]].append(r[1:])
    events: dict[str, Counter[str]] = defaultdict(Counter)
    for cid, type_, n in db.rows(
        "SELECT payload->>'conversation_id', type, count(*) FROM outbox_events "
        "WHERE type LIKE 'conversation.%' GROUP BY 1, 2"
    ):
        events[cid][type_] = n
    illegal, unreplayable, unmatched = [], [], []
    by_state: Counter[str] = Counter()
    for cid, state, version, agent_id, closed_at in convs:
        by_state[state] += 1
        if (
            state not in STATES
            or (state == "human" and not agent_id)
            or ((state == "closed") != (closed_at is not None))
        ):
            illegal.append(cid)
        now, last_claimer = "bot", None
        ok = True
        for from_state, to_state, action, actor, _reason, _ts in trail[cid]:
            ok = ok and from_state == now and (action, from_state, to_state) in LEGAL
            now = to_state
            if action == "claim":
                last_claimer = str(actor).removeprefix("agent:")
        owner_ok = state != "human" or agent_id == last_claimer
        if not ok or now != state or version != len(trail[cid]) or not owner_ok:
            unreplayable.append(cid)
        expected = Counter(ACTION_EVENT[t[2]] for t in trail[cid])
        if expected != events.get(cid, Counter()):
            unmatched.append(cid)
    transitions = sum(len(t) for t in trail.values())
    figures = {"conversations": len(convs), "transitions": transitions} | {
        f"conversations {s}": n for s, n in sorted(by_state.items())
    }
    reasons = Counter(str(t[4]) for ts in trail.values() for t in ts if t[2] == "request_handoff")
    figures |= {f"hand-offs: {r}": n for r, n in reasons.most_common(6)}
    return [
        Check(
            "every conversation in a legal state",
            "bot/queued/human(+agent)/closed(+time)",
            f"{len(convs)} conversations ({dict(by_state)}); {len(illegal)} illegal"
            + (f" ({_few(illegal)})" if illegal else ""),
            not illegal and bool(convs),
        ),
        Check(
            "audit trail replays to the state (legal steps, version, owner)",
            "all",
            f"{len(convs) - len(unreplayable)} of {len(convs)} replay ({transitions} transitions)"
            + (f"; not: {_few(unreplayable)}" if unreplayable else ""),
            not unreplayable,
        ),
        Check(
            "one conversation.* outbox event per audited transition",
            "all match",
            f"{len(unmatched)} differ" + (f" ({_few(unmatched)})" if unmatched else ""),
            not unmatched,
        ),
    ], figures


def no_bot_while_human(db: Db) -> Check:
    """By commit order: each turn and each transition of a known customer's conversation
    also writes a timeline row (`events`, serial `seq`) in its own transaction, after the
    conditional UPDATE that locks the conversation row, so per conversation `seq` order is
    commit order. A bot turn between a claim and the next hand-back / close is a
    violation. The turns' timestamps are compared with the ownership intervals too; a bot
    turn timestamped inside one but committed before the claim (a timestamp is taken
    before the transaction waits for the row lock) is reported, not failed."""
    owned: dict[str, bool] = defaultdict(bool)
    violations: list[str] = []
    claims_on_timeline = 0
    commit_seq: dict[str, int] = {}  # bot turn id -> seq
    claim_seqs: dict[str, list[int]] = defaultdict(list)
    for cid, seq, type_, turn_id in db.rows(
        "SELECT attributes->>'conversation_id', seq, type, attributes->>'turn_id' FROM events "
        "WHERE channel = 'chat' AND type IN ('chat_bot', 'chat_claim', 'chat_hand_back', "
        "'chat_close') ORDER BY seq"
    ):
        if type_ == "chat_claim":
            owned[cid] = True
            claims_on_timeline += 1
            claim_seqs[cid].append(seq)
        elif type_ in ("chat_hand_back", "chat_close"):
            owned[cid] = False
        elif type_ == "chat_bot":
            commit_seq[turn_id] = seq
            if owned[cid]:
                violations.append(f"{cid}:{turn_id}")
    claims = db.rows("SELECT count(*) FROM conversation_transitions WHERE action = 'claim'")[0][0]
    # by timestamp: [claim, next transition) against the bot turns' ts
    intervals: dict[str, list[tuple[datetime, datetime | None, int]]] = defaultdict(list)
    open_: dict[str, tuple[datetime, int]] = {}
    k: Counter[str] = Counter()
    for cid, action, ts in db.rows(
        "SELECT conversation_id, action, ts FROM conversation_transitions ORDER BY id"
    ):
        if action == "claim":
            open_[cid] = (ts, k[cid])
            k[cid] += 1
        elif cid in open_:
            start, n = open_.pop(cid)
            intervals[cid].append((start, ts, n))
    for cid, (start, n) in open_.items():
        intervals[cid].append((start, None, n))
    inside, unexplained = 0, []
    for cid, turn_id, ts in db.rows(
        "SELECT conversation_id, id, ts FROM conversation_turns WHERE role = 'bot'"
    ):
        for start, end, n in intervals.get(cid, []):
            if start < ts and (end is None or ts < end):
                inside += 1
                seq = commit_seq.get(turn_id)
                claim_seq = claim_seqs[cid][n] if n < len(claim_seqs[cid]) else None
                if seq is None or claim_seq is None or seq > claim_seq:
                    unexplained.append(f"{cid}:{turn_id}")
    return Check(
        "no bot turn stored while a person owned the conversation",
        "0 (commit order; timestamps)",
        f"{len(violations)} by commit order; {inside} timestamped inside an ownership, "
        f"{len(unexplained)} of them not committed before the claim; "
        f"{claims_on_timeline}/{claims} claims on the timeline",
        not violations and not unexplained and claims_on_timeline == claims,
    )


def webhooks(db: Db, receiver: WebhookReceiver, settled: str) -> tuple[list[Check], dict[str, int]]:
    outbox = dict(db.rows("SELECT id, type FROM outbox_events"))
    undispatched = db.rows("SELECT count(*) FROM outbox_events WHERE NOT dispatched")[0][0]
    rows = db.rows("SELECT event_id, url, status, attempts FROM webhook_deliveries")
    per_event = Counter((r[0], r[1]) for r in rows)
    urls = {r[1] for r in rows}
    delivered = {r[0] for r in rows if r[2] == "delivered"}
    not_delivered = [r[0] for r in rows if r[2] != "delivered"]
    doubled_rows = [e for e, n in per_event.items() if n > 1]
    without_row = [e for e in outbox if (e, receiver.url) not in per_event]
    got = receiver.received()
    ids = Counter(r.event_id for r in got)
    missing = sorted(set(outbox) - set(ids))
    unknown = sorted(set(ids) - set(outbox))
    bad_sig = sum(not r.signature_ok for r in got)
    header_mismatch = sum(r.event_id != r.body_id for r in got)
    wire_dups = sum(n - 1 for n in ids.values())
    retried = sum(r[3] > 1 for r in rows)
    figures = {
        "webhook events (outbox)": len(outbox),
        "webhook requests received": len(got),
        "webhook duplicates on the wire": wire_dups,
        "webhook deliveries with more than one attempt": retried,
        "webhook requests cut off mid-body (sender killed)": receiver.cut(),
    }
    return [
        Check(
            "webhook outbox settled",
            "every event fanned out, nothing pending",
            f"{settled}; {undispatched} not fanned out",
            not undispatched and "not settled" not in settled,
        ),
        Check(
            "one delivery row per (event, URL), status delivered",
            f"{len(outbox)} rows, 1 URL",
            f"{len(rows)} rows for {len(urls)} URL(s); {len(doubled_rows)} doubled, "
            f"{len(without_row)} events without a row, {len(not_delivered)} not delivered",
            not doubled_rows
            and not without_row
            and not not_delivered
            and len(delivered) == len(outbox),
        ),
        Check(
            "receiver got every event, once after de-duplication on the event id",
            f"{len(outbox)} distinct ids",
            f"{len(ids)} distinct ids, {len(missing)} missing, {len(unknown)} unknown; "
            f"{wire_dups} duplicates on the wire (at-least-once, reported)",
            not missing and not unknown,
        ),
        Check(
            "webhook signatures valid, event id header = body id",
            "all",
            f"{bad_sig} bad signatures, {header_mismatch} header/body mismatches",
            not bad_sig and not header_mismatch,
        ),
    ], figures


def forms(db: Db, probes: Sequence[ProbeResult]) -> list[Check]:
    ratings = {
        r[0]: r[1]
        for r in db.rows(
            "SELECT conversation_id, rating FROM assist_feedback WHERE kind = 'rating'"
        )
    }
    out = []
    for p in probes:
        ok = p.prepared and p.continued
        seen = f"{'half-way' if p.prepared else 'NOT half-way'} before; " + (
            "continued" if p.continued else "NOT continued"
        )
        if p.form.startswith("feedback") and p.prepared:
            stored = ratings.get(p.conversation_id)
            seen += f"; rating stored: {stored}"
            ok = ok and stored == 4
        out.append(
            Check(
                f"Rasa restart {p.restart}: {p.form} continues",
                "half-way before, continued after",
                seen + ("" if ok else f" ({p.detail})"),
                ok,
            )
        )
    return out


def faults(records: Sequence[FaultRecord]) -> Check:
    bad = [r.fault for r in records if not r.recovered]
    return Check(
        "every fault recovered",
        f"{len(records)} of {len(records)}",
        f"{len(records) - len(bad)} of {len(records)}" + (f"; not: {_few(bad)}" if bad else ""),
        not bad and bool(records),
    )


def clients(ledger: Ledger) -> Check:
    return Check(
        "no client gave up or got an unexpected answer",
        "0",
        f"{len(ledger.errors)}" + (f": {_few(ledger.errors, 2)}" if ledger.errors else ""),
        not ledger.errors,
    )


def answered_turns(scaled: Scaled, ledger: Ledger) -> Check:
    """Every customer message the bot owned got a bot answer or went to a person. For the
    silent ones: the errors Rasa's REST channel swallowed (it logs
    `rest.message.received.failure` and answers 200 with the messages collected so far,
    none), from the processes' log; and whether the conversation's tracker was left
    paused (its last pause / resume event in Rasa's tracker store is a pause)."""
    silent = list(ledger.silent)
    swallowed: Counter[str] = Counter()
    logfile = getattr(scaled.log, "name", None)
    if silent and isinstance(logfile, str) and Path(logfile).is_file():
        scaled.log.flush()
        for line in Path(logfile).read_text(encoding="utf-8", errors="replace").splitlines():
            if "rest.message.received.failure" in line:
                found = re.search(r'"exc_type": "(\w+)"', line)
                swallowed[found.group(1) if found else "?"] += 1
    paused = []
    rasa = Db(scaled, RASA_DB)
    for _key, cid in silent:
        last = rasa.rows(
            "SELECT type_name FROM events WHERE sender_id = %s AND type_name IN "
            "('pause', 'resume') ORDER BY id DESC LIMIT 1",
            cid,
        )
        if last and last[0][0] == "pause":
            paused.append(cid)
    convs = sorted({c for _k, c in silent})
    return Check(
        "each customer message the bot owned answered (by the bot or a person)",
        "0 unanswered",
        f"{len(silent)} answered with nothing in {len(convs)} conversations"
        + (
            f" ({_few(convs, 2)}); Rasa answered 200 [] after swallowing "
            f"{dict(swallowed) or 'no logged error'}; {len(set(paused))} conversations "
            "with Rasa's tracker left paused"
            if silent
            else ""
        ),
        not silent,
    )
