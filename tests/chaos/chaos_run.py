"""One chaos run: agents and customers chat through the scaled stack while the faults of
the scale are injected one after another (each after some traffic has flowed), then the
traffic drains, the webhooks settle, and the checks run."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import chaos_checks as checks
from chaos_checks import Check
from chaos_clients import Agent, ChaosError, Customer, Http, Ledger, Registry, wait_for
from chaos_faults import (
    FaultRecord,
    ProbeResult,
    Probes,
    kill_worker,
    restart_rasa,
    restart_redis,
)
from chaos_plan import KILL_WORKER, RESTART_RASA, RESTART_REDIS, Scale
from chaos_receiver import WebhookReceiver

from rasa_bot.scaled import Scaled

AGENT_PASSWORD = "chaos-agent-password"
GAP_WAIT_S = 180.0  # bound of the wait for traffic between two faults
DRAIN_S = 420.0  # bound of the wait for the customers to finish their conversations


@dataclass
class Outcome:
    faults: list[FaultRecord] = field(default_factory=list)
    probes: list[ProbeResult] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    figures: dict[str, object] = field(default_factory=dict)


def say(ledger: Ledger, text: str) -> None:
    print(f"[chaos {ledger.elapsed():6.1f}s] {text}", flush=True)


class ChaosRun:
    def __init__(
        self,
        scaled: Scaled,
        model: Path,
        receiver: WebhookReceiver,
        scale: Scale,
        api_key: str,
        admin_key: str,
    ) -> None:
        assert scaled.stack is not None
        self.scaled = scaled
        self.url = scaled.stack.api_url
        self.model = model
        self.receiver = receiver
        self.scale = scale
        self.api_key = api_key
        self.admin_key = admin_key
        self.run_id = uuid.uuid4().hex[:6]
        self.ledger = Ledger()
        self.registry = Registry()

    def agent(self, name: str, stop: threading.Event) -> Agent:
        """A new agent account (admin API), logged in."""
        http = Http(self.url, self.ledger, "agent")
        r, _ = http.request(
            "POST",
            "/v1/agents",
            self.admin_key,
            json={"agent_id": name, "password": AGENT_PASSWORD, "role": "agent"},
        )
        if r is None or r.status_code not in (201, 409):
            raise ChaosError(f"create agent {name}: {r.status_code if r else '-'}")
        r, _ = http.request(
            "POST", "/v1/auth/login", json={"agent_id": name, "password": AGENT_PASSWORD}
        )
        if r is None or r.status_code != 200:
            raise ChaosError(f"log-in {name}: {r.status_code if r else '-'} {r.text if r else ''}")
        return Agent(name, r.json()["access_token"], http, self.ledger, self.registry, stop)

    def wait_traffic(self, messages: int) -> bool:
        base = self.ledger.acked()
        return bool(wait_for(lambda: self.ledger.acked() >= base + messages, GAP_WAIT_S))

    def run(self) -> Outcome:
        out = Outcome()
        stop_customers, stop_agents = threading.Event(), threading.Event()
        agents = [
            self.agent(f"chaos-{self.run_id}-a{k}", stop_agents) for k in range(self.scale.agents)
        ]
        probe_agent = self.agent(f"chaos-{self.run_id}-probe", stop_agents)
        probes = Probes(
            Http(self.url, self.ledger, "probe"),
            self.ledger,
            self.registry,
            self.api_key,
            probe_agent,
            self.run_id,
        )
        customers = [
            Customer(
                k,
                Http(self.url, self.ledger, "customer"),
                self.ledger,
                self.registry,
                self.api_key,
                self.run_id,
                stop_customers,
            )
            for k in range(self.scale.customers)
        ]
        threads = [threading.Thread(target=a.run, daemon=True) for a in agents]
        threads += [threading.Thread(target=c.run, daemon=True) for c in customers]
        self.ledger.t0 = time.monotonic()
        for t in threads:
            t.start()
        say(self.ledger, f"{len(customers)} customers and {len(agents)} agents chatting")
        stalled = 0
        kills = rasa_restarts = 0
        for fault in self.scale.faults:
            stalled += not self.wait_traffic(self.scale.gap_messages)
            if self.ledger.elapsed() > self.scale.traffic_limit_s:
                self.ledger.error(
                    f"traffic phase past {self.scale.traffic_limit_s:.0f} s: {fault} skipped"
                )
                continue
            at = self.ledger.elapsed()
            say(self.ledger, f"inject: {fault}")
            if fault == KILL_WORKER:
                rec = kill_worker(self.scaled, kills, self.ledger)
                kills += 1
            elif fault == RESTART_REDIS:
                rec = restart_redis(self.scaled, self.scale.workers, at)
            elif fault == RESTART_RASA:
                rasa_restarts += 1
                rec, results = restart_rasa(self.scaled, self.model, probes, rasa_restarts, at)
                out.probes += results
            else:
                raise ValueError(f"unknown fault {fault!r}")
            out.faults.append(rec)
            say(self.ledger, f"recovery: {rec.recovery}")
        stalled += not self.wait_traffic(self.scale.gap_messages)
        traffic_s = self.ledger.elapsed()
        say(self.ledger, "faults done: customers finish their conversations")
        stop_customers.set()
        deadline = time.monotonic() + DRAIN_S
        for t in threads[len(agents) :]:
            t.join(max(0.0, deadline - time.monotonic()))
        stop_agents.set()
        for t in threads[: len(agents)]:
            t.join(120)
        alive = sum(t.is_alive() for t in threads)
        if alive:
            self.ledger.error(f"{alive} client threads still running after the drain")
        drained_s = self.ledger.elapsed()
        say(self.ledger, "traffic drained: waiting for the webhooks to settle")
        db = checks.Db(self.scaled)
        settled = checks.wait_webhooks(db, self.receiver)
        settled_s = self.ledger.elapsed()
        say(self.ledger, f"webhooks: {settled}")
        probes.http.close()

        conv_checks, conv_figures = checks.conversations(db)
        hook_checks, hook_figures = checks.webhooks(db, self.receiver, settled)
        out.checks = [
            checks.faults(out.faults),
            *checks.customer_messages(db, self.ledger),
            checks.answered_turns(self.scaled, self.ledger),
            checks.agent_messages(db, self.ledger),
            *conv_checks,
            checks.no_bot_while_human(db),
            *checks.forms(db, out.probes),
            *hook_checks,
            checks.clients(self.ledger),
        ]
        led = self.ledger
        out.figures = {
            "traffic with faults (s)": f"{traffic_s:.0f}",
            "drain of the conversations (s)": f"{drained_s - traffic_s:.0f}",
            "webhooks settling (s)": f"{settled_s - drained_s:.0f}",
            "customer messages sent": len(led.messages),
            "gaps between faults without traffic": stalled,
            **conv_figures,
            **dict(sorted(led.counts.items())),
            **{f"retries, {k}": v for k, v in sorted(led.retries.items())},
            **hook_figures,
        }
        return out
