"""The bot's NLU component on its own, inside the Rasa virtualenv: it reuses the analysis
the API sends in the message metadata, maps out-of-scope and entities, passes the turn's
language on as a `language` entity (from the metadata or the /v1/intent answer; "en" when
missing), and falls back cleanly (nlu_fallback + an `nlu_error` entity, no exception) when
the intent service is unreachable."""

from __future__ import annotations

import json
import subprocess

import pytest
from stack_fixtures import free_port, require_rasa_and_model

from rasa_bot.stack import BOT_DIR, rasa_env

SCRIPT = """
import json, sys, threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from rasa.shared.nlu.training_data.message import Message
from components.product_intent import ProductIntentClassifier

class Intent(BaseHTTPRequestHandler):  # the API's POST /v1/intent, answering in Chinese
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        body = json.dumps({"intent": "track_order", "confidence": 0.9, "out_of_scope": False,
                           "ranking": [], "entities": [], "language": "zh"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", 0), Intent)
threading.Thread(target=server.serve_forever, daemon=True).start()
up = ProductIntentClassifier({"url": f"http://127.0.0.1:{server.server_port}"})
down = ProductIntentClassifier({"url": sys.argv[1], "timeout_s": 1.0})
with_meta = Message(data={"text": "where is ORD-20431?", "metadata": {
    "customer_id": "C-0003", "intent": "track_order", "confidence": 0.8,
    "out_of_scope": False, "language": "zh",
    "intent_ranking": [{"name": "track_order", "confidence": 0.8},
                       {"name": "cancel_order", "confidence": 0.1}],
    "entities": [{"type": "order_number", "value": "ORD-20431", "start": 9, "end": 18,
                  "normalized": "ORD-20431"},
                 {"type": "card_number", "value": "4111 1111 1111 1111", "start": 0,
                  "end": 1, "normalized": None}]}})
oos = Message(data={"text": "weather?", "metadata": {"intent": "out_of_scope",
    "confidence": 0.0, "out_of_scope": True,
    "intent_ranking": [{"name": "greet", "confidence": 0.2}], "entities": []}})
no_meta = Message(data={"text": "where is my order?"})
down.process([with_meta, oos, no_meta])
served = Message(data={"text": "我的订单到哪了？"})
other = Message(data={"text": "où est ma commande ?", "metadata": {"intent": "track_order",
    "confidence": 0.7, "language": "fr"}})
up.process([served, other])
print(json.dumps([m.as_dict_nlu() for m in (with_meta, oos, no_meta, served, other)]))
"""


def _entities(parsed: dict) -> list[tuple[str, str]]:
    return [(e["entity"], e["value"]) for e in parsed["entities"]]


@pytest.mark.integration
def test_metadata_is_reused_and_an_unreachable_service_falls_back_cleanly():
    require_rasa_and_model()
    proc = subprocess.run(
        [str(BOT_DIR.parent / ".venv-rasa" / "bin" / "python"), "-c", SCRIPT]
        + [f"http://127.0.0.1:{free_port()}"],
        cwd=BOT_DIR,
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    meta, oos, down, served, other = json.loads(proc.stdout.strip().splitlines()[-1])
    assert meta["intent"] == {"name": "track_order", "confidence": 0.8}
    assert [r["name"] for r in meta["intent_ranking"]] == ["track_order", "cancel_order"]
    # card numbers never enter the bot's tracker; the language comes last, from the metadata
    assert _entities(meta) == [("order_number", "ORD-20431"), ("language", "zh")]
    assert meta["entities"][-1]["extractor"] == "ProductIntentClassifier"
    assert oos["intent"]["name"] == "out_of_scope" and oos["intent"]["confidence"] == 0.8
    assert _entities(oos) == [("language", "en")]  # no language in the analysis: English
    assert down["intent"] == {"name": "nlu_fallback", "confidence": 0.0}
    assert down["entities"][0]["entity"] == "nlu_error"
    assert down["entities"][0]["value"] == "intent service unavailable"
    # no analysis, no language entity: the conversation keeps its language
    assert "language" not in [e["entity"] for e in down["entities"]]
    # a message without metadata: the language of the /v1/intent answer
    assert served["intent"] == {"name": "track_order", "confidence": 0.9}
    assert _entities(served) == [("language", "zh")]
    assert _entities(other) == [("language", "en")]  # a language the bot does not serve
