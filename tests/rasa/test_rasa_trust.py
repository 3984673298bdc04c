"""Who may talk to the bot's processes, and what they believe.

- The customer-id signature (rasa_bot/actions/trust.py and its API twin
  api/conversations/bot.py `sign_customer`): right, wrong, swapped, missing.
- `customer_id()` of the actions, inside the Rasa virtualenv: a signed id is believed, a
  forged or unsigned one is not (the API's record of the conversation decides), and
  without a secret the metadata is never believed.
- The real stack (tests/stack_fixtures.py): a forged POST to the action server's
  /webhook gets no order of the customer it names, the same request signed does; the
  action server and Rasa listen on 127.0.0.1 only; no process's command line, and no
  line of the stack's log, holds Rasa's token or the bot secret.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import json
import socket
import subprocess
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml
from stack_fixtures import require_alive, require_rasa_and_model

from api.conversations.bot import SIGNATURE_KEY, sign_customer
from rasa_bot.stack import BOT_DIR, RASA_VENV, Stack, rasa_env


def _load_trust() -> ModuleType:
    """rasa_bot/actions/trust.py (standard library only) outside the Rasa virtualenv."""
    spec = importlib.util.spec_from_file_location("bot_trust", BOT_DIR / "actions" / "trust.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


trust = _load_trust()
SECRET = "test-bot-secret"


# --- the signature ---------------------------------------------------------------------


def test_a_right_signature_verifies():
    sig = trust.sign(SECRET, "conv_1", "C-0003")
    assert sig.startswith("v1=") and len(sig) == 3 + 64
    assert trust.verify(SECRET, "conv_1", "C-0003", sig)


@pytest.mark.parametrize(
    "conversation_id, customer_id, sig",
    [
        ("conv_1", "C-0004", trust.sign(SECRET, "conv_1", "C-0003")),  # another customer
        ("conv_2", "C-0003", trust.sign(SECRET, "conv_1", "C-0003")),  # another conversation
        ("C-0003", "conv_1", trust.sign(SECRET, "conv_1", "C-0003")),  # ids swapped
        ("conv_1", "C-0003", trust.sign("another-secret", "conv_1", "C-0003")),
        ("conv_1", "C-0003", "v1=" + "0" * 64),
        ("conv_1", "C-0003", trust.sign(SECRET, "conv_1", "C-0003")[3:]),  # no version
        ("conv_1", "C-0003", "v2=" + trust.sign(SECRET, "conv_1", "C-0003")[3:]),
        ("conv_1", "C-0003", trust.sign(SECRET, "conv_1", "C-0003").upper()),
        ("conv_1", "C-0003", ""),
        ("conv_1", "C-0003", None),  # missing
        ("conv_1", "C-0003", 12345),
        ("conv_1", "C-0003", "v1=\u00e9\ud800"),  # not ASCII, not even valid UTF-8
        ("conv_1", 3, trust.sign(SECRET, "conv_1", "3")),  # not a string
        ("", "C-0003", trust.sign(SECRET, "", "C-0003")),
        ("conv_1", "", trust.sign(SECRET, "conv_1", "")),
    ],
)
def test_a_wrong_or_missing_signature_does_not_verify(conversation_id, customer_id, sig):
    assert not trust.verify(SECRET, conversation_id, customer_id, sig)


def test_no_secret_verifies_nothing():
    sig = trust.sign(SECRET, "conv_1", "C-0003")
    assert not trust.verify(None, "conv_1", "C-0003", sig)
    assert not trust.verify("", "conv_1", "C-0003", trust.sign("", "conv_1", "C-0003"))


def test_the_encoding_is_unambiguous():
    # plain concatenation would sign these pairs alike
    assert trust.sign(SECRET, "ab", "c") != trust.sign(SECRET, "a", "bc")
    assert trust.sign(SECRET, "a:1", "b") != trust.sign(SECRET, "a", "1:b")
    assert trust.sign(SECRET, "a,", "b") != trust.sign(SECRET, "a", ",b")


@pytest.mark.parametrize(
    "ids", [("conv_1", "C-0003"), ("conv_ä", "C-ü 1"), ("", ""), ("a,b", "1:c"), ("x\ud800", "y")]
)
def test_the_api_signs_as_the_actions_check(ids):
    assert sign_customer(SECRET, *ids) == trust.sign(SECRET, *ids)
    assert SIGNATURE_KEY == trust.SIGNATURE_KEY


# --- customer_id() inside the Rasa virtualenv ------------------------------------------

SCRIPT = """
import asyncio, json, logging, sys
from rasa_sdk import Tracker
from actions import common, trust
from actions.api_client import API

logs = []
class Keep(logging.Handler):
    def emit(self, record):
        logs.append(record.getMessage())
common.log.addHandler(Keep())
asked = []
async def conversation_customer(conversation_id):
    asked.append(conversation_id)
    return "C-FROM-API"
API.conversation_customer = conversation_customer

def tracker(sender, meta=None, started=None):
    events = [{"event": "user", "text": "where is my order?", "metadata": meta or {}}]
    return Tracker(sender, {"session_started_metadata": started}, {}, events, False, None,
                   {}, "action_listen")

out = {}
for name, case in json.loads(sys.argv[1]).items():
    asked.clear(); logs.clear()
    cid = asyncio.run(common.customer_id(tracker(**case)))
    out[name] = {"customer": cid, "asked_api": bool(asked), "logs": list(logs)}
print(json.dumps(out))
"""


def _customer_ids(cases: dict[str, dict[str, Any]], secret: str | None) -> dict[str, Any]:
    require_rasa_and_model()
    env = rasa_env({trust.SECRET_ENV: secret} if secret else {})
    if not secret:
        env.pop(trust.SECRET_ENV, None)
    proc = subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "-c", SCRIPT, json.dumps(cases)],
        cwd=BOT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _meta(conversation_id: str, customer_id: str, sig: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"customer_id": customer_id, "intent": "track_order"}
    if sig is not None:
        meta[SIGNATURE_KEY] = sig
    return meta


@pytest.mark.integration
def test_actions_believe_only_a_signed_customer_id():
    good = sign_customer(SECRET, "conv_a", "C-0003")
    cases = {
        "signed": {"sender": "conv_a", "meta": _meta("conv_a", "C-0003", good)},
        "unsigned": {"sender": "conv_a", "meta": _meta("conv_a", "C-0003", None)},
        "replayed": {"sender": "conv_b", "meta": _meta("conv_b", "C-0003", good)},
        "other_customer": {"sender": "conv_a", "meta": _meta("conv_a", "C-0004", good)},
        "started_signed": {"sender": "conv_a", "started": _meta("conv_a", "C-0003", good)},
        "started_forged": {"sender": "conv_a", "started": _meta("conv_a", "C-0004", good)},
        "odd_sender": {"sender": "../customers/C-0003", "meta": _meta("x", "C-0003", None)},
    }
    with_secret = _customer_ids(cases, SECRET)
    assert with_secret["signed"] == {"customer": "C-0003", "asked_api": False, "logs": []}
    assert with_secret["started_signed"]["customer"] == "C-0003"
    for name in ("unsigned", "replayed", "other_customer", "started_forged"):
        # the claim is ignored: the API's record of the conversation decides
        assert with_secret[name]["customer"] == "C-FROM-API", name
        assert with_secret[name]["asked_api"], name
        assert len(with_secret[name]["logs"]) == 1, name
        log_line = with_secret[name]["logs"][0]
        assert "not signed" in log_line and "C-000" not in log_line and good not in log_line
    # a sender id that is not a conversation id never goes into an API path
    assert with_secret["odd_sender"]["customer"] is None
    assert not with_secret["odd_sender"]["asked_api"]
    # no secret on the action server: signed or not, metadata is never believed
    without = _customer_ids(cases, None)
    for name in ("signed", "started_signed", "unsigned"):
        assert without[name]["customer"] == "C-FROM-API" and without[name]["asked_api"], name


# --- the real stack --------------------------------------------------------------------


def _action_call(
    action: str, sender: str, meta: dict[str, Any], slots: dict[str, Any]
) -> dict[str, Any]:
    """What Rasa 3.6 POSTs to the action server's /webhook (rasa.core.actions.action
    RemoteAction: next_action, sender_id, tracker state, domain, version)."""
    now = time.time()
    parse_data = {
        "text": "where is my order?",
        "intent": {"name": "track_order", "confidence": 0.9},
        "entities": [],
    }
    user = {"event": "user", "timestamp": now, "text": "where is my order?"}
    user |= {"parse_data": parse_data, "input_channel": "rest", "metadata": meta}
    events = [
        {"event": "action", "timestamp": now, "name": "action_session_start"},
        {"event": "session_started", "timestamp": now},
        {"event": "action", "timestamp": now, "name": "action_listen"},
        user,
    ]
    domain = yaml.safe_load((BOT_DIR / "domain.yml").read_text(encoding="utf-8"))
    return {
        "next_action": action,
        "sender_id": sender,
        "version": "3.6.21",
        "domain": domain,
        "tracker": {
            "sender_id": sender,
            "slots": {"session_started_metadata": None, **slots},
            "latest_message": {**parse_data, "metadata": meta},
            "latest_event_time": now,
            "followup_action": None,
            "paused": False,
            "events": events,
            "latest_input_channel": "rest",
            "active_loop": {},
            "latest_action": {"action_name": "action_listen"},
            "latest_action_name": "action_listen",
        },
    }


# C-0003's two open orders (the demo history, data generated with seed 7)
C0003_ORDERS = ("ORD-20388", "ORD-20431")
ACTIONS = [
    ("action_order_status", {"order_number": "ORD-20431"}),
    ("action_ask_order_number", {}),
]


def _webhook(stack: Stack, call: dict[str, Any]) -> str:
    r = httpx.post(f"http://127.0.0.1:{stack.actions_port}/webhook", json=call, timeout=30)
    assert r.status_code == 200, r.text
    return " ".join(str(m.get("text") or "") for m in r.json()["responses"])


@pytest.mark.integration
@pytest.mark.parametrize("action, slots", ACTIONS)
@pytest.mark.parametrize("forgery", ["no signature", "made up", "another key", "replayed"])
def test_a_forged_action_call_gets_no_order(stack: Stack, stack_log, action, slots, forgery):
    require_alive(stack, stack_log)
    sender = f"forged-{forgery.replace(' ', '-')}-{time.time_ns()}"
    sig = {
        "no signature": None,
        "made up": "v1=" + "0" * 64,
        "another key": sign_customer("not-the-bot-secret", sender, "C-0003"),
        "replayed": sign_customer(stack.bot_secret, "conv_someone_else", "C-0003"),
    }[forgery]
    text = _webhook(stack, _action_call(action, sender, _meta(sender, "C-0003", sig), slots))
    assert not any(order in text for order in C0003_ORDERS), text


@pytest.mark.integration
@pytest.mark.parametrize("action, slots", ACTIONS)
def test_the_same_action_call_signed_gets_the_order(stack: Stack, stack_log, action, slots):
    # proves that the forged calls fail on the signature, not on a broken action
    require_alive(stack, stack_log)
    sender = f"signed-{time.time_ns()}"
    sig = sign_customer(stack.bot_secret, sender, "C-0003")
    text = _webhook(stack, _action_call(action, sender, _meta(sender, "C-0003", sig), slots))
    assert "ORD-20431" in text, text


def _listening(port: int) -> list[str]:
    """The addresses on which a TCP socket listens on `port` (/proc/net/tcp, tcp6)."""
    found = []
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if fields[3] != "0A" or int(port_hex, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            # the kernel prints each 32-bit word in host (little-endian) order
            words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            found.append(socket.inet_ntop(family, words))
    return found


def _non_loopback_ipv4() -> str | None:
    candidates = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            candidates.add(str(info[4][0]))
    except OSError:
        pass
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 9))  # picks the outgoing interface; sends nothing
            candidates.add(s.getsockname()[0])
    except OSError:
        pass
    usable = [a for a in sorted(candidates) if not ipaddress.ip_address(a).is_loopback]
    return next((a for a in usable if not ipaddress.ip_address(a).is_unspecified), None)


@pytest.mark.integration
@pytest.mark.parametrize("which", ["actions", "rasa"])
def test_the_bot_listens_on_loopback_only(stack: Stack, stack_log, which):
    require_alive(stack, stack_log)
    port = stack.actions_port if which == "actions" else stack.rasa_port
    listening = _listening(port)
    assert listening, f"nothing listens on {port}"
    assert set(listening) == {"127.0.0.1"}, listening


@pytest.mark.integration
def test_the_action_server_is_unreachable_from_another_address(stack: Stack, stack_log):
    require_alive(stack, stack_log)
    address = _non_loopback_ipv4()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to try")
    with socket.create_connection(("127.0.0.1", stack.actions_port), timeout=5):
        pass  # reachable on loopback
    with pytest.raises(OSError):
        socket.create_connection((address, stack.actions_port), timeout=5).close()


def _descendants(pids: list[int]) -> set[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(text.rsplit(")", 1)[1].split()[1])
    found = set(pids)
    while True:
        more = {pid for pid, ppid in parents.items() if ppid in found} - found
        if not more:
            return found
        found |= more


@pytest.mark.integration
def test_no_command_line_and_no_log_line_shows_the_secrets(stack: Stack, stack_log: Path):
    require_alive(stack, stack_log)
    secrets_ = [stack.token.encode(), stack.bot_secret.encode()]
    assert all(len(s) >= 16 for s in secrets_)
    seen = []
    for pid in sorted(_descendants([p.popen.pid for p in stack.procs.values()])):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        seen.append(cmdline.replace(b"\0", b" ").decode(errors="replace"))
        assert not any(s in cmdline for s in secrets_), f"a secret in pid {pid}'s command line"
    assert any("serve_rasa.py" in c for c in seen) and any("serve_actions.py" in c for c in seen)
    # the token is in use (the API pauses and resumes Rasa's trackers with it)
    assert httpx.get(f"{stack.rasa_url}/status", params={"token": stack.token}).status_code == 200
    assert httpx.get(f"{stack.rasa_url}/status", params={"token": "wrong"}).status_code == 401
    log = stack_log.read_bytes()
    assert not any(s in log for s in secrets_), "a secret in the stack's log"
    assert stack.token not in repr(stack) and stack.bot_secret not in repr(stack)


def test_a_token_that_starts_with_a_dash_still_reaches_rasa():
    """token_urlsafe gives a leading "-" one time in 64: `--auth-token -x` would make
    Rasa's argparse stop with "expected one argument" (seen on a CI run)."""
    import argparse
    import importlib.util

    from rasa_bot.stack import BOT_DIR

    spec = importlib.util.spec_from_file_location("serve_rasa", BOT_DIR / "serve_rasa.py")
    assert spec is not None and spec.loader is not None
    serve_rasa = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve_rasa)
    argv = serve_rasa.rasa_argv(["run", "--enable-api"], "-Ab_c")
    parser = argparse.ArgumentParser()
    parser.add_argument("cmd")
    parser.add_argument("--enable-api", action="store_true")
    parser.add_argument("-t", "--auth-token")
    assert parser.parse_args(argv[1:]).auth_token == "-Ab_c"
