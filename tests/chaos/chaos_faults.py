"""The faults of the chaos test, injected while the simulated traffic flows, and what
each one's recovery looked like:

- SIGKILL one API worker: uvicorn's supervisor must start a new one; recovered when the
  new PID answers /healthz on the shared port;
- restart Rasa (stop the process group, start it the way `Stack` does) while Rasa forms
  are half-way in two probe conversations; recovered when Rasa answers /status, and each
  probe's next turn must continue its form (the tracker is in PostgreSQL);
- restart Redis (no persistence: locks and rate counters are lost); recovered when it
  answers PING and every API worker has subscribed to the fan-out again (CLIENT LIST).
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from chaos_clients import (
    RATING_QUESTION,
    SOLVED_QUESTION,
    Agent,
    ChaosError,
    Http,
    Ledger,
    Registry,
    Session,
    bot_text,
    wait_for,
)

from rasa_bot.scaled import Scaled, worker_pids

RECOVERY_S = 300.0  # bound of each recovery wait (a busy 2-core machine)
REDIS_DOWN_S = 2.0  # how long Redis stays down: the traffic meets the outage


@dataclass
class FaultRecord:
    fault: str
    at_s: float  # since the traffic started
    recovery: str = ""  # what was seen
    recovered: bool = False
    took_s: float = 0.0


@dataclass
class ProbeResult:
    form: str
    restart: int  # which Rasa restart (1, 2, ...)
    conversation_id: str = ""
    prepared: bool = False  # the form was half-way before the restart
    continued: bool = False  # the next turn after the restart continued it
    detail: str = ""


def kill_worker(scaled: Scaled, k: int, ledger: Ledger) -> FaultRecord:
    """SIGKILL the k-th worker (in PID order, modulo their number) while requests are in
    flight; wait for uvicorn's supervisor to start a new one, and for the new PID to
    answer /healthz."""
    assert scaled.stack is not None
    wait_for(lambda: ledger.inflight >= 2, 30.0, poll_s=0.05)
    at_s, inflight = ledger.elapsed(), ledger.inflight
    stack = scaled.stack
    supervisor = stack.procs["api"].popen
    before = worker_pids(supervisor.pid)
    rec = FaultRecord(f"SIGKILL API worker ({len(before)} running)", at_s)
    if not before:
        rec.recovery = "no worker found under the supervisor"
        return rec
    victim = before[k % len(before)]
    t0 = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    rec.fault = f"SIGKILL API worker pid {victim} ({inflight} requests in flight)"
    answered: set[int] = set()
    while True:
        now = worker_pids(supervisor.pid)
        fresh = [p for p in now if p not in before]
        if fresh and victim not in now and len(now) >= stack.workers:
            answered |= _healthz_pids(stack.api_url)
            if set(fresh) <= answered:
                rec.recovered = True
                rec.took_s = time.monotonic() - t0
                rec.recovery = (
                    f"new worker pid {', '.join(map(str, fresh))} answers /healthz "
                    f"after {rec.took_s:.0f} s"
                )
                return rec
        if supervisor.poll() is not None:
            rec.recovery = f"the API supervisor exited ({supervisor.returncode})"
            return rec
        if time.monotonic() - t0 > RECOVERY_S:
            rec.recovery = (
                f"no new worker answered within {RECOVERY_S:.0f} s (workers now: {now}); "
                "does the installed uvicorn restart dead workers?"
            )
            return rec
        time.sleep(0.5)


def _healthz_pids(api_url: str, tries: int = 10) -> set[int]:
    got: set[int] = set()
    for _ in range(tries):
        try:
            r = httpx.get(f"{api_url}/healthz", timeout=5)
            got.add(int(r.json()["pid"]))
        except (httpx.HTTPError, ValueError, KeyError):
            pass
    return got


def restart_redis(scaled: Scaled, workers: int, at_s: float) -> FaultRecord:
    rec = FaultRecord("restart Redis (stop, 2 s down, start)", at_s)
    t0 = time.monotonic()
    scaled.redis.stop()
    time.sleep(REDIS_DOWN_S)
    scaled.redis.start(scaled.log)
    import redis

    client = redis.Redis(host="127.0.0.1", port=scaled.redis.port, socket_timeout=5)

    def resubscribed() -> int | None:
        """Connections with a pattern subscription (each worker's hub has one; PUBSUB
        NUMPAT would count the one pattern they share once)."""
        try:
            n = sum(int(c.get("psub", 0)) > 0 for c in client.client_list())
        except redis.RedisError:
            return None
        return n if n >= workers else None

    try:
        n = wait_for(resubscribed, RECOVERY_S)
    finally:
        client.close()
    rec.took_s = time.monotonic() - t0
    rec.recovered = n is not None
    rec.recovery = (
        f"PING ok; {n} API workers subscribed to the fan-out again after {rec.took_s:.0f} s"
        if n is not None
        else f"PING ok, but the API workers did not subscribe again within {RECOVERY_S:.0f} s"
    )
    return rec


@dataclass
class Probes:
    """What the form probes need: a customer's HTTP, the ledger and registry, the API key
    and an agent of their own (the simulated agents leave probe conversations alone)."""

    http: Http
    ledger: Ledger
    registry: Registry
    api_key: str
    agent: Agent
    run_id: str


class OrderProbe:
    """C-0003 has two open orders: 'where is my order?' makes the order form ask which one
    (before the restart); 'ORD-20431' after it must get that order's status."""

    form = "order form (asks which order)"

    def __init__(self, p: Probes, restart: int) -> None:
        self.p = p
        self.result = ProbeResult(self.form, restart)
        self.session: Session | None = None

    def prepare(self) -> None:
        for attempt in range(3):
            prefix = f"{self.p.run_id}-probe-order{self.result.restart}-{attempt}"
            s = Session(self.p.http, self.p.ledger, self.p.api_key, prefix).start("C-0003")
            self.p.registry.add(s.conversation_id, "probe")
            out = s.say("where is my order?")
            if s.state == "bot" and "Which one" in bot_text(out):
                self.session = s
                self.result.conversation_id = s.conversation_id
                self.result.prepared = True
                return
            self.result.detail = f"not asked which order (state {s.state}): {bot_text(out)!r}"

    def finish(self) -> None:
        s = self.session
        if s is None:
            return
        out = s.say("ORD-20431")
        said = bot_text(out)
        self.result.continued = s.state == "bot" and "Your order ORD-20431" in said
        self.result.detail = f"after the restart the bot said {said[:80]!r}"
        if s.state == "bot":
            s.close()


class FeedbackProbe:
    """The two-question feedback form: a person takes the conversation and hands it back;
    the bot asks whether the issue is solved ('yes'), then for a rating (before the
    restart); '4' after it must be taken as the rating (thanks, and a rating stored)."""

    form = "feedback form (solved? then rating)"

    def __init__(self, p: Probes, restart: int) -> None:
        self.p = p
        self.result = ProbeResult(self.form, restart)
        self.session: Session | None = None

    def prepare(self) -> None:
        for attempt in range(3):
            try:
                if self._prepare(attempt):
                    return
            except ChaosError as exc:
                self.result.detail = str(exc)

    def _prepare(self, attempt: int) -> bool:
        p = self.p
        prefix = f"{p.run_id}-probe-feedback{self.result.restart}-{attempt}"
        s = Session(p.http, p.ledger, p.api_key, prefix).start("C-0006")
        p.registry.add(s.conversation_id, "probe")
        s.say("I want to talk to a human agent")
        cid = s.conversation_id
        if s.state != "queued" or not p.agent.claim(cid) or p.agent.write(cid) is None:
            self.result.detail = f"the hand-off did not happen as planned (state {s.state})"
            return False
        if not p.agent.act(cid, "hand_back"):
            self.result.detail = "the hand-back was refused"
            return False
        asked = wait_for(
            lambda: any(SOLVED_QUESTION in t["text"] for t in s.transcript()["turns"]), 60.0
        )
        if not asked:
            self.result.detail = "the bot did not ask whether it is solved after the hand-back"
            return False
        out = s.say("yes")
        if s.state != "bot" or RATING_QUESTION not in bot_text(out):
            self.result.detail = f"no rating question after 'yes': {bot_text(out)!r}"
            return False
        self.session = s
        self.result.conversation_id = cid
        self.result.prepared = True
        return True

    def finish(self) -> None:
        s = self.session
        if s is None:
            return
        out = s.say("4")
        said = bot_text(out)
        self.result.continued = s.state == "bot" and "Thank you for your rating" in said
        self.result.detail = f"after the restart the bot said {said[:80]!r}"
        if s.state == "bot":
            s.close()


def restart_rasa(
    scaled: Scaled, model: Path, probes: Probes, restart: int, at_s: float
) -> tuple[FaultRecord, list[ProbeResult]]:
    """Put both forms half-way, restart Rasa (SIGTERM to its process group, started again
    as `Stack` starts it), wait for it, and take each form's next turn."""
    assert scaled.stack is not None
    stack = scaled.stack
    forms: list[OrderProbe | FeedbackProbe] = [
        OrderProbe(probes, restart),
        FeedbackProbe(probes, restart),
    ]
    for f in forms:
        f.prepare()
    old = stack.procs["rasa"].popen.pid
    rec = FaultRecord(f"restart Rasa (pid {old}) with 2 forms half-way", at_s)
    t0 = time.monotonic()
    stack.stop_one("rasa")
    stack.start_rasa(model)
    try:
        stack.wait_ready(RECOVERY_S, ["rasa"])
    except Exception as exc:  # StackError: reported as not recovered
        rec.recovery = f"Rasa did not come back: {exc}"
        return rec, [f.result for f in forms]
    rec.took_s = time.monotonic() - t0
    new = stack.procs["rasa"].popen.pid
    for f in forms:
        f.finish()
    continued = sum(f.result.continued for f in forms)
    rec.recovered = True
    rec.recovery = (
        f"new Rasa pid {new} answers /status after {rec.took_s:.0f} s; "
        f"{continued}/{len(forms)} forms continued"
    )
    return rec, [f.result for f in forms]
