"""Simulated clients of the chaos test: customers and agents talking to the API over HTTP
on 127.0.0.1, each in its own thread, and the ledger of what they sent.

Like real clients they retry a request that failed in transit (a connection reset by a
killed worker, a timeout) or with a 5xx answer, after a short back-off and within a
bounded time. A customer message is retried with the SAME Idempotency-Key, so the API
must store it once. An agent message has no idempotency key: before re-sending one, the
agent reads the transcript and re-sends only if its text is not there (what a careful
client of a non-idempotent endpoint does). Every request opens a new connection, so any
worker may answer it, as with many browsers."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

RETRY_STATUS = frozenset({500, 502, 503, 504})
RETRY_FOR_S = 240.0  # how long a client keeps retrying one request
AGENT_WAIT_S = 150.0  # how long a customer waits for a person to answer
STATE_WAIT_S = 120.0  # how long a customer waits for the agent to hand back or close
BOT_PROMPT_WAIT_S = 30.0  # how long a customer waits for the bot's question after a hand-back
REPLY_WAIT_S = 45.0  # how long an agent waits for the customer's answer
POLL_S = 0.5

# demo customers (data/history/README.md): C-0003 has two open orders (the order form asks
# which one); none of these is a VIP or has an open ticket (no business-rule hand-off)
CUSTOMERS = ("C-0001", "C-0002", "C-0003", "C-0006")
FAQ = ("what payment methods do you accept?", "how long does delivery take?", "thank you")
PERSON = ("I want to talk to a human agent",)
ORDER = ("where is my order?", "ORD-20431", "thank you")
TO_AGENT = "thanks, it is about my last order"
STILL_THERE = "hello, how long does delivery take?"
SOLVED_QUESTION = "Is your issue solved"
RATING_QUESTION = "How would you rate"

T = TypeVar("T")


class ChaosError(RuntimeError):
    """A client gave up (retries exhausted) or got an answer no client should get."""


def wait_for(
    condition: Callable[[], T | None], timeout_s: float, poll_s: float = POLL_S
) -> T | None:
    """The first truthy value of `condition()`, polled until `timeout_s`; None if none."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            return None
        time.sleep(poll_s)


@dataclass
class SentMessage:
    key: str  # the Idempotency-Key
    conversation_id: str
    text: str
    attempts: int = 0
    status: int | None = None  # the last answer's HTTP status
    acked: bool = False  # a 200 came back
    replayed: bool = False  # the 200 said: a retry of a message already stored


@dataclass
class AgentNote:
    marker: str  # unique
    conversation_id: str
    text: str
    attempts: int = 0
    acked: bool = False
    found_on_retry: bool = False  # stored by an attempt whose answer was lost

    @property
    def tag(self) -> str:
        """The marker as it stands in the text: no note's tag is inside another's."""
        return f"({self.marker})"


class Ledger:
    """What the clients did, thread-safe: messages sent, retries by cause, counts, errors."""

    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.lock = threading.Lock()
        self.messages: dict[str, SentMessage] = {}
        self.notes: dict[str, AgentNote] = {}
        self.counts: Counter[str] = Counter()
        self.retries: Counter[str] = Counter()
        self.errors: list[str] = []
        self.inflight = 0  # requests sent and not answered yet
        # (key, conversation) of customer messages the API answered with nothing while the
        # bot owned the conversation: neither a bot answer nor a hand-off to a person
        self.silent: list[tuple[str, str]] = []

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def count(self, what: str, n: int = 1) -> None:
        with self.lock:
            self.counts[what] += n

    def retry(self, who: str, cause: str) -> None:
        with self.lock:
            self.retries[f"{who}: {cause}"] += 1

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(f"{self.elapsed():6.1f}s {what}")

    def add_message(self, m: SentMessage) -> None:
        with self.lock:
            self.messages[m.key] = m

    def add_note(self, n: AgentNote) -> None:
        with self.lock:
            self.notes[n.marker] = n

    def flight(self, delta: int) -> None:
        with self.lock:
            self.inflight += delta

    def acked(self) -> int:
        with self.lock:
            return sum(m.acked for m in self.messages.values())


class Registry:
    """Every conversation the simulation started, with what its agent will do: `hand_back`
    (the first time a person serves it; later: close) or `close`. `probe` conversations
    are the fault injector's own: agents leave them alone."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.plans: dict[str, str] = {}
        self.served: Counter[str] = Counter()
        self._n = 0

    def add(self, conversation_id: str, plan: str | None = None) -> str:
        with self.lock:
            if plan is None:
                self._n += 1
                plan = "hand_back" if self._n % 2 else "close"
            self.plans[conversation_id] = plan
            return plan

    def claimable(self, conversation_id: str) -> bool:
        with self.lock:
            return self.plans.get(conversation_id) in ("hand_back", "close")

    def next_action(self, conversation_id: str) -> str:
        with self.lock:
            self.served[conversation_id] += 1
            first = self.served[conversation_id] == 1
            return "hand_back" if first and self.plans[conversation_id] == "hand_back" else "close"


class Http:
    """One client's HTTP to the API, with the retry policy above."""

    def __init__(self, base_url: str, ledger: Ledger, who: str) -> None:
        self.ledger = ledger
        self.who = who
        self.client = httpx.Client(
            base_url=base_url,
            timeout=30.0,
            limits=httpx.Limits(max_keepalive_connections=0),  # a new connection each time
        )

    def close(self) -> None:
        self.client.close()

    def request(
        self,
        method: str,
        path: str,
        token: str | None = None,
        *,
        json: Any = None,
        headers: dict[str, str] | None = None,
        took_effect: Callable[[], bool] | None = None,
    ) -> tuple[httpx.Response | None, int]:
        """(answer, attempts). Retries transport errors and 5xx until RETRY_FOR_S, then
        raises ChaosError. `took_effect`, for a request that is not idempotent: asked
        before each retry; True means an earlier attempt was applied, and the answer is
        None."""
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        deadline = time.monotonic() + RETRY_FOR_S
        attempt = 0
        while True:
            attempt += 1
            self.ledger.flight(+1)
            try:
                r = self.client.request(method, path, json=json, headers=h)
                if r.status_code not in RETRY_STATUS:
                    return r, attempt
                cause = f"HTTP {r.status_code}"
            except httpx.TransportError as exc:
                cause = type(exc).__name__
            finally:
                self.ledger.flight(-1)
            self.ledger.retry(self.who, cause)
            if time.monotonic() > deadline:
                raise ChaosError(f"{method} {path}: gave up after {attempt} attempts ({cause})")
            time.sleep(min(2.0, 0.25 * 2 ** min(attempt, 3)))
            if took_effect is not None and took_effect():
                return None, attempt


@dataclass
class Session:
    """One customer conversation: start it, say things (with idempotency keys), read it,
    close it."""

    http: Http
    ledger: Ledger
    api_key: str
    prefix: str  # of the idempotency keys: unique per customer
    conversation_id: str = ""
    token: str = ""
    state: str = "bot"
    sent: int = field(default=0)
    last_turn_id: str = ""  # the customer's latest stored message

    def start(self, customer_id: str) -> Session:
        r, attempts = self.http.request(
            "POST",
            "/v1/conversations",
            self.api_key,
            json={"customer_id": customer_id, "channel": "web"},
        )
        if attempts > 1:  # not idempotent: an earlier attempt may have created one
            self.ledger.count("conversation starts retried (an orphan may exist)")
        if r is None or r.status_code != 201:
            raise ChaosError(
                f"start {customer_id}: {r.status_code if r else '-'} {r.text if r else ''}"
            )
        body = r.json()
        self.conversation_id = body["conversation"]["id"]
        self.token = body["token"]
        self.state = body["conversation"]["state"]
        self.ledger.count("conversations started")
        return self

    def say(self, text: str) -> dict[str, Any] | None:
        """The API's answer to one customer message; None if refused (conversation closed)."""
        self.sent += 1
        m = SentMessage(f"{self.prefix}-m{self.sent}", self.conversation_id, text)
        self.ledger.add_message(m)
        r, m.attempts = self.http.request(
            "POST",
            f"/v1/conversations/{self.conversation_id}/messages",
            self.token,
            json={"text": text},
            headers={"Idempotency-Key": m.key},
        )
        assert r is not None
        m.status = r.status_code
        if r.status_code == 409:
            self.ledger.count("customer messages refused: conversation closed (409)")
            self.state = "closed"
            return None
        if r.status_code != 200:
            raise ChaosError(f"message {m.key}: HTTP {r.status_code} {r.text[:300]}")
        m.acked = True
        out: dict[str, Any] = r.json()
        m.replayed = bool(out.get("replayed"))
        self.last_turn_id = out["turn"]["id"]
        if out["state"] == "bot" and not out["replies"] and not m.replayed:
            with self.ledger.lock:
                self.ledger.silent.append((m.key, self.conversation_id))
        if m.replayed:
            self.ledger.count("customer retries answered as replayed")
        self.state = out["state"]
        return out

    def transcript(self) -> dict[str, Any]:
        r, _ = self.http.request("GET", f"/v1/conversations/{self.conversation_id}", self.token)
        if r is None or r.status_code != 200:
            raise ChaosError(f"transcript {self.conversation_id}: {r.status_code if r else '-'}")
        out: dict[str, Any] = r.json()
        self.state = out["conversation"]["state"]
        return out

    def close(self) -> None:
        r, _ = self.http.request(
            "POST",
            f"/v1/conversations/{self.conversation_id}/close",
            self.token,
            json={"reason": "the customer is done"},
        )
        if r is not None and r.status_code == 200:
            self.state = "closed"
            self.ledger.count("closed by the customer")
        elif r is not None and r.status_code == 409:
            self.ledger.count("customer close refused (409)")
        else:
            raise ChaosError(f"close {self.conversation_id}: {r.status_code if r else '-'}")


def bot_text(out: dict[str, Any] | None) -> str:
    return " ".join(t["text"] for t in (out or {}).get("replies", []) if t["role"] == "bot")


def roles(transcript: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return [t for t in transcript["turns"] if t["role"] == role]


class Customer:
    """Chats in one conversation after another until `stop`: a question or two for the
    bot, or asking for a person (then: answers the agent, and after a hand-back answers
    the bot's feedback form), or tracking an order (C-0003: the order form)."""

    def __init__(
        self,
        index: int,
        http: Http,
        ledger: Ledger,
        registry: Registry,
        api_key: str,
        run_id: str,
        stop: threading.Event,
    ) -> None:
        self.index = index
        self.http = http
        self.ledger = ledger
        self.registry = registry
        self.api_key = api_key
        self.run_id = run_id
        self.stop = stop
        self.rng = random.Random(index)
        self.n = 0

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.conversation()
            except ChaosError as exc:
                self.ledger.error(f"customer {self.index}: {exc}")
                time.sleep(1.0)
            except Exception as exc:  # a bug of the simulation: reported, never hidden
                self.ledger.error(f"customer {self.index}: {type(exc).__name__}: {exc}")
                return
        self.http.close()

    def think(self) -> None:
        time.sleep(self.rng.uniform(0.3, 0.9))

    def conversation(self) -> None:
        self.n += 1
        customer = CUSTOMERS[(self.index + self.n) % len(CUSTOMERS)]
        script = ORDER if customer == "C-0003" else (PERSON if self.n % 2 else FAQ)
        s = Session(self.http, self.ledger, self.api_key, f"{self.run_id}-c{self.index}-v{self.n}")
        s.start(customer)
        self.registry.add(s.conversation_id)
        for text in script:
            self.think()
            if s.say(text) is None:
                return
            if s.state in ("queued", "human"):
                self.with_person(s)
            if s.state != "bot":
                return
        s.close()

    def with_person(self, s: Session) -> None:
        """Handed off: wait for a person, answer them, wait for the hand-back (then the
        bot's feedback questions) or the close. A new hand-off during the feedback starts
        over, twice at most."""

        for _ in range(2):
            self.ledger.count("customers handed to a person")
            if not wait_for(lambda: self._after_mine(s, "agent"), AGENT_WAIT_S):
                self.ledger.count("customers who left before a person answered")
                s.state = "left"
                return
            self.think()
            if s.say(TO_AGENT) is None:
                return
            wait_for(lambda: s.transcript() and s.state in ("bot", "closed"), STATE_WAIT_S)
            if s.state != "bot":
                if s.state != "closed":
                    self.ledger.count("customers who left an unanswered person")
                    s.state = "left"
                return
            asked = wait_for(lambda: self._asked(s), BOT_PROMPT_WAIT_S)
            if not asked:  # the bot was not told (e.g. Rasa was down): is it listening now?
                self.ledger.count("hand-backs without the bot's feedback question")
                self.think()
                s.say(STILL_THERE)
                if s.state in ("queued", "human"):
                    continue  # the bot is still away: a person again
                return
            self.think()
            out = s.say("yes")
            if s.state == "bot" and RATING_QUESTION in bot_text(out):
                self.think()
                out = s.say("4")
                if s.state == "bot" and "Thank you for your rating" in bot_text(out):
                    self.ledger.count("feedback forms completed by customers")
            if s.state not in ("queued", "human"):
                return

    def _after_mine(self, s: Session, role: str) -> bool:
        """A turn of `role` came after the customer's latest message (an agent may answer
        before the customer has the API's answer to the message that handed it off)."""
        turns = s.transcript()["turns"]
        mine = next((k for k, t in enumerate(turns) if t["id"] == s.last_turn_id), -1)
        return any(t["role"] == role for t in turns[mine + 1 :])

    def _asked(self, s: Session) -> bool:
        """The bot's feedback question came after the last agent turn."""
        turns = s.transcript()["turns"]
        last_agent = max((k for k, t in enumerate(turns) if t["role"] == "agent"), default=-1)
        return any(
            t["role"] == "bot" and SOLVED_QUESTION in t["text"] for t in turns[last_agent + 1 :]
        )


class Agent:
    """Takes conversations from the queue until `stop`: claims one (409 when another agent
    was first), writes to the customer, waits for the answer, then hands back to the bot
    or closes, as the registry says."""

    def __init__(
        self,
        name: str,
        token: str,
        http: Http,
        ledger: Ledger,
        registry: Registry,
        stop: threading.Event,
    ) -> None:
        self.name = name
        self.token = token
        self.http = http
        self.ledger = ledger
        self.registry = registry
        self.stop = stop
        self.n = 0

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                if not self.take_one():
                    time.sleep(POLL_S)
            except ChaosError as exc:
                self.ledger.error(f"agent {self.name}: {exc}")
                time.sleep(1.0)
            except Exception as exc:  # a bug of the simulation: reported, never hidden
                self.ledger.error(f"agent {self.name}: {type(exc).__name__}: {exc}")
                return
        self.http.close()

    def take_one(self) -> bool:
        r, _ = self.http.request("GET", "/v1/handoff/queue", self.token)
        if r is None or r.status_code != 200:
            raise ChaosError(f"queue: {r.status_code if r else '-'}")
        for item in r.json():
            cid = item["conversation"]["id"]
            if self.registry.claimable(cid) and self.claim(cid):
                self.serve(cid)
                return True
        return False

    def claim(self, cid: str) -> bool:
        r, _ = self.http.request("POST", f"/v1/conversations/{cid}/claim", self.token)
        assert r is not None
        if r.status_code == 409:
            self.ledger.count("claims lost to another agent or the customer (409)")
            return False
        if r.status_code != 200:
            raise ChaosError(f"claim {cid}: HTTP {r.status_code} {r.text[:300]}")
        self.ledger.count("claims")
        return True

    def transcript(self, cid: str) -> dict[str, Any]:
        r, _ = self.http.request("GET", f"/v1/conversations/{cid}", self.token)
        if r is None or r.status_code != 200:
            raise ChaosError(f"transcript {cid}: {r.status_code if r else '-'}")
        out: dict[str, Any] = r.json()
        return out

    def write(self, cid: str) -> AgentNote | None:
        """An agent message with a unique marker; None if refused (no longer owned)."""
        self.n += 1
        marker = f"agentnote-{self.name}-{self.n}"
        note = AgentNote(marker, cid, f"Hello, this is {self.name}, I am on it ({marker}).")
        assert note.tag in note.text
        self.ledger.add_note(note)

        def stored() -> bool:
            found = any(note.tag in t["text"] for t in roles(self.transcript(cid), "agent"))
            note.found_on_retry = found
            return found

        r, note.attempts = self.http.request(
            "POST",
            f"/v1/conversations/{cid}/agent-messages",
            self.token,
            json={"text": note.text},
            took_effect=stored,
        )
        if r is not None and r.status_code == 409:  # the customer closed it meanwhile
            self.ledger.count("agent messages refused: no longer owned (409)")
            return None
        if r is not None and r.status_code != 201:
            raise ChaosError(f"agent message {marker}: HTTP {r.status_code} {r.text[:300]}")
        note.acked = True
        return note

    def act(self, cid: str, action: str) -> bool:
        """`hand_back` or `close`; False when refused because the state had moved."""
        path = "hand-back" if action == "hand_back" else "close"
        reason = "chaos: solved" if action == "close" else "chaos: back to the bot"
        r, _ = self.http.request(
            "POST", f"/v1/conversations/{cid}/{path}", self.token, json={"reason": reason}
        )
        assert r is not None
        if r.status_code == 409:
            self.ledger.count(f"{path} refused: the state had moved (409)")
            return False
        if r.status_code != 200:
            raise ChaosError(f"{path} {cid}: HTTP {r.status_code} {r.text[:300]}")
        self.ledger.count("hand-backs" if action == "hand_back" else "closed by an agent")
        return True

    def serve(self, cid: str) -> None:
        note = self.write(cid)
        if note is None:
            return

        def answered() -> bool:
            if self.stop.is_set():  # the run is draining: no more waiting for anyone
                return True
            t = self.transcript(cid)
            if t["conversation"]["state"] != "human":
                return True
            turns = t["turns"]
            mine = max((k for k, x in enumerate(turns) if note.tag in x["text"]), default=-1)
            return any(x["role"] == "customer" for x in turns[mine + 1 :])

        if not wait_for(answered, REPLY_WAIT_S):
            self.ledger.count("agents who got no answer from the customer")
        self.act(cid, self.registry.next_action(cid))
