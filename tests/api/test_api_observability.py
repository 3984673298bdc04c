"""Observability (docs/observability.md): the request id (X-Request-ID in and out, on log
records, to Rasa), JSON log lines with secrets masked, OpenTelemetry spans behind a
setting, the Prometheus metrics and their multiprocess mode."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from api_helpers import ADMIN_KEY, ASSIST_KEY, agent_headers, bearer, live, start, token_of
from asgi_correlation_id import correlation_id
from prometheus_client import REGISTRY

from api import metrics
from api.config import Settings
from api.conversations.bot import RasaRestBotClient
from api.conversations.handoff import reason_kind
from api.logs import AccessJsonLines, JsonLines, RedactSecrets, uvicorn_log_config
from api.request_id import RequestIdFilter
from api.webhooks import WebhookDispatcher
from intent.batching import MicroBatcher, set_observer

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "at_abcdefghijklmnopqrstuvwxyz0123"
HEX32 = re.compile(r"[0-9a-f]{32}")


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


# ------------------------------------------------------------------ request id


def test_a_well_formed_request_id_is_kept_and_any_other_replaced(client):
    assert client.get("/healthz", headers={"X-Request-ID": "turn-42.a_b:c"}).headers[
        "X-Request-ID"
    ] == ("turn-42.a_b:c")
    assert HEX32.fullmatch(client.get("/healthz").headers["X-Request-ID"])
    for bad in ("x" * 129, "a b", "<script>", "a/b", "id;x=1"):
        got = client.get("/healthz", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert HEX32.fullmatch(got), bad


def test_every_record_logged_in_a_request_carries_its_id(client):
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("test.request_id")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    def logs_something() -> dict[str, str]:
        logger.info("inside the route")
        return {}

    client.app.add_api_route("/test-log", logs_something)
    try:
        client.get("/test-log", headers={"X-Request-ID": "rid-in-the-log"})
        logger.info("outside of a request")
    finally:
        logger.removeHandler(handler)
    assert [getattr(r, "request_id", None) for r in records] == ["rid-in-the-log", "-"]


def test_the_request_id_goes_to_rasa_in_the_metadata_and_a_header():
    seen: list[httpx.Request] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[{"text": "hi"}])

    async def turn() -> None:
        bot = RasaRestBotClient("http://rasa.test", transport=httpx.MockTransport(rasa))
        token = correlation_id.set("rid-to-rasa")
        try:
            await bot.reply("conv_1", "hello", {"customer_id": "C-1"})
        finally:
            correlation_id.reset(token)
            await bot.aclose()

    asyncio.run(turn())
    assert seen[0].headers["X-Request-ID"] == "rid-to-rasa"
    assert json.loads(seen[0].content)["metadata"]["request_id"] == "rid-to-rasa"


# ------------------------------------------------------------------ JSON logs


def _through_filters(record: logging.LogRecord) -> logging.LogRecord:
    assert RedactSecrets().filter(record) and RequestIdFilter().filter(record)
    return record


def test_json_lines_have_the_fields_and_never_a_secret():
    record = _through_filters(
        logging.LogRecord(
            "api.bot", logging.WARNING, __file__, 1, "call with Bearer %s failed", (TOKEN,), None
        )
    )
    try:
        raise RuntimeError(f"exception text with {TOKEN}")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    line = JsonLines().format(record)
    assert "\n" not in line and TOKEN not in line and TOKEN[:12] not in line
    out = json.loads(line)
    assert {"time", "level", "logger", "message", "request_id", "pid"} <= out.keys()
    assert out["level"] == "WARNING" and out["logger"] == "api.bot" and out["request_id"] == "-"
    assert out["message"] == "call with Bearer [secret] failed"


def test_uvicorn_json_access_lines_have_method_path_status_and_no_token():
    config = uvicorn_log_config("json")
    assert config["formatters"]["access"] == {"()": "api.logs.AccessJsonLines"}  # type: ignore[index]
    for handler in config["handlers"].values():  # type: ignore[attr-defined]
        assert handler["filters"] == ["request_id", "secrets"]
    record = _through_filters(
        logging.LogRecord(
            "uvicorn.access",
            logging.INFO,
            __file__,
            1,
            '%s - "%s %s HTTP/%s" %d',
            ("127.0.0.1:5000", "GET", f"/v1/ws/agent?token={TOKEN}", "1.1", 200),
            None,
        )
    )
    out = json.loads(AccessJsonLines().format(record))
    assert out["method"] == "GET" and out["status"] == 200
    assert out["path"] == "/v1/ws/agent?token=[secret]" and TOKEN not in json.dumps(out)


def test_install_json_writes_masked_json_lines_from_every_logger():
    """The real set-up, in a process of its own (it configures the root logger)."""
    script = textwrap.dedent(
        f"""
        import logging, logging.config
        from api import logs
        logs.install(log_format="json")
        logging.config.dictConfig(logs.uvicorn_log_config("json"))
        logging.getLogger("api.any").warning("token {TOKEN} in a message")
        logging.getLogger("uvicorn.error").info("key=%s", "{TOKEN}")
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    lines = [json.loads(line) for line in proc.stderr.splitlines()]
    assert [x["logger"] for x in lines] == ["api.any", "uvicorn.error"]
    assert all(TOKEN not in json.dumps(x) and "[secret]" in x["message"] for x in lines)


# ------------------------------------------------------------------ OpenTelemetry


@pytest.fixture
def fake_rasa() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (the httpx instrumentation wraps real transports);
    bound and listening before the test sends anything."""

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_otel_traces_the_request_its_sql_and_its_outgoing_call(make_client, fake_rasa):
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.trace import SpanKind

    exporter = InMemorySpanExporter()
    settings = Settings(demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None, otel=True)
    bot = RasaRestBotClient(fake_rasa)
    client = make_client(settings=settings, bot=bot, span_exporter=exporter)
    exporter.clear()  # start-up's own SQL
    assert client.get("/readyz").json()["checks"]["bot"] == "reachable"
    spans = exporter.get_finished_spans()
    server = [s for s in spans if s.kind is SpanKind.SERVER]
    assert server and (server[0].attributes or {}).get("http.route") == "/readyz"
    trace_id = server[0].context.trace_id
    # in the request's trace (background work, e.g. the webhook outbox, has its own)
    mine = [s for s in spans if s.context.trace_id == trace_id]
    assert any((s.attributes or {}).get("db.system") == "sqlite" for s in mine)  # SELECT 1
    assert any(s.kind is SpanKind.CLIENT and s.name.startswith("GET") for s in mine)  # bot.ping


def test_no_token_reaches_a_trace(make_client, fake_rasa):
    """A token in a request's query string (a WebSocket's, a careless client's) and in an
    outgoing call's (Rasa's HTTP API token) is masked before any exporter sees the span."""
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    settings = Settings(demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None, otel=True)
    bot = RasaRestBotClient(fake_rasa, token=f"rasa-{TOKEN}")
    client = make_client(settings=settings, bot=bot, span_exporter=exporter)
    exporter.clear()
    client.get(f"/readyz?token={TOKEN}")
    asyncio.run(bot.pause("c1"))  # POST .../tracker/events?token=...
    spans = exporter.get_finished_spans()
    seen = json.dumps([[s.name, dict(s.attributes or {})] for s in spans])
    assert "/readyz" in seen and "tracker/events" in seen  # both calls were traced
    assert TOKEN not in seen and "[secret]" in seen


def test_tracing_off_imports_nothing_of_it(make_client, monkeypatch):
    monkeypatch.delitem(sys.modules, "api.tracing", raising=False)
    make_client()
    assert "api.tracing" not in sys.modules


# ------------------------------------------------------------------ metrics


def test_batch_metrics_observe_size_duration_and_queue_wait():
    set_observer(metrics.BatchMetrics())
    try:
        batcher: MicroBatcher[str, int] = MicroBatcher(
            lambda xs: [len(x) for x in xs], name="test-batcher"
        )
        before = sample("agent_assist_inference_batch_size_sum", batcher="test-batcher")
        assert batcher(["a", "bb", "ccc"]) == [1, 2, 3]
        batcher.close()
    finally:
        set_observer(None)
    labels = {"batcher": "test-batcher"}
    assert sample("agent_assist_inference_batch_size_sum", **labels) == before + 3
    assert sample("agent_assist_inference_seconds_count", **labels) >= 1
    assert sample("agent_assist_inference_queue_wait_seconds_count", **labels) >= 1
    assert sample("agent_assist_inference_queue_length", **labels) == 0


@pytest.mark.parametrize(
    ("reason", "actor", "kind"),
    [
        ("the customer asked for a person", "policy", "asked_for_person"),
        ("customer frustration 0.91", "policy", "frustration"),
        ("2 turns in a row the bot did not understand", "policy", "low_confidence"),
        ("gold customer with an open ticket", "policy", "business_rule"),
        ("bot gave up", "bot", "bot"),
        ("bot unavailable: ConnectError", "system", "bot_unavailable"),
        (
            "the classifier failed (RuntimeError); a person must read this",
            "system",
            "classifier_failed",
        ),
        ("wants a manager", "alice", "requested"),
    ],
)
def test_handoff_reasons_become_a_few_kinds(reason, actor, kind):
    assert reason_kind(reason, actor) == kind


def test_handoffs_are_counted_by_kind_of_reason(client):
    cid, me = start(client)
    before = sample("agent_assist_handoffs_total", reason="requested")
    r = client.post(
        f"/v1/conversations/{cid}/handoff",
        json={"reason": "escalation"},
        headers=bearer(ASSIST_KEY),
    )
    assert r.status_code == 200, r.text
    assert sample("agent_assist_handoffs_total", reason="requested") == before + 1


def test_websocket_connections_are_a_gauge(client):
    agent = agent_headers(client)
    gauge = "agent_assist_websocket_connections"
    before = sample(gauge, stream="agent")
    with live(client, "/v1/ws/agent", token_of(agent)):
        assert sample(gauge, stream="agent") == before + 1
    assert sample(gauge, stream="agent") == before


def test_webhook_deliveries_are_counted_by_outcome(make_client, history):
    hooks = WebhookDispatcher(
        history.engine,
        ["http://ccaas.test/hook"],
        "whsec",
        max_attempts=2,
        backoff_s=0.0,
        poll_s=0.05,
        transport=httpx.MockTransport(lambda r: httpx.Response(500)),
    )
    client = make_client(webhooks=hooks)
    retry, failed = (
        sample("agent_assist_webhook_deliveries_total", outcome=o) for o in ("retry", "failed")
    )
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/close", json={}, headers=me)

    def deliveries() -> list[dict[str, object]]:
        return client.get("/v1/webhooks/deliveries", headers=bearer(ADMIN_KEY)).json()

    end = time.monotonic() + 20  # the dispatcher works in the background: wait, bounded
    while time.monotonic() < end and not (
        deliveries() and all(d["status"] == "failed" for d in deliveries())
    ):
        time.sleep(0.05)
    n = len(deliveries())
    assert n >= 2 and all(d["status"] == "failed" for d in deliveries())
    # two attempts each: one retry, then given up
    assert sample("agent_assist_webhook_deliveries_total", outcome="failed") == failed + n
    assert sample("agent_assist_webhook_deliveries_total", outcome="retry") == retry + n


# ------------------------------------------------------------------ multiprocess mode


def _worker(folder: Path) -> int:
    """A process that counts a hand-off and opens a WebSocket, then exits; its pid."""
    script = (
        "import os; from api import metrics as m; "
        "m.HANDOFFS.labels('bot').inc(); m.WS_CONNECTIONS.labels('agent').inc(); "
        "print(os.getpid())"
    )
    env = {"PROMETHEUS_MULTIPROC_DIR": str(folder), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return int(out.stdout)


def test_metrics_of_several_processes_are_added_up(client, tmp_path, monkeypatch):
    folder = tmp_path / "prom"
    folder.mkdir()
    first, _ = _worker(folder), _worker(folder)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    body = client.get("/metrics").text
    assert 'agent_assist_handoffs_total{reason="bot"} 2.0' in body
    assert 'agent_assist_websocket_connections{stream="agent"} 2.0' in body
    metrics.process_exit(first)  # a worker that stopped: its live gauge is gone
    body = client.get("/metrics").text
    assert 'agent_assist_websocket_connections{stream="agent"} 1.0' in body
    assert 'agent_assist_handoffs_total{reason="bot"} 2.0' in body  # counters stay


def test_the_multiprocess_folder_is_emptied_of_an_earlier_run(tmp_path, monkeypatch):
    folder = tmp_path / "prom"
    folder.mkdir()
    (folder / "counter_123.db").write_bytes(b"old")
    (folder / "gauge_livesum_123.db").write_bytes(b"old")
    (folder / "notes.txt").write_text("mine")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    assert metrics.prepare_multiprocess_dir() == folder
    assert [f.name for f in folder.iterdir()] == ["notes.txt"]
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    made = metrics.prepare_multiprocess_dir(tmp_path / "default")
    assert made.is_dir() and made == (tmp_path / "default").absolute()
    assert os.environ["PROMETHEUS_MULTIPROC_DIR"] == str(made)


# ------------------------------------------------------------------ the action server's side


def test_the_actions_log_the_turns_request_id_as_json(caplog):
    """rasa_bot/actions/turn_log.py (standard library only, run by serve_actions.py for
    each action call): the id from latest_message's metadata, else the newest user event's;
    a malformed one is dropped. The real stack's test follows one turn end to end."""
    from rasa_bot.actions import turn_log

    call = {
        "next_action": "action_order_status",
        "sender_id": "conv_1",
        "tracker": {"latest_message": {"metadata": {"request_id": "rid-7"}}, "events": []},
    }
    with caplog.at_level(logging.INFO, logger="actions.turns"):
        assert turn_log.action_called(call) == "rid-7"
    record = next(r for r in caplog.records if r.name == "actions.turns")
    turn_log.RequestIdFilter().filter(record)
    line = json.loads(turn_log.JsonLines().format(record))
    assert line["request_id"] == "rid-7" and line["action"] == "action_order_status"
    assert line["conversation_id"] == "conv_1" and {"time", "level", "pid"} <= line.keys()
    from_events = {"events": [{"event": "user", "metadata": {"request_id": "rid-8"}}]}
    assert turn_log.request_id_of(from_events) == "rid-8"
    assert turn_log.request_id_of({"latest_message": {"metadata": {"request_id": "a b"}}}) is None
    turn_log.REQUEST_ID.set(None)
