"""Suggested replies agents keep editing (GET /v1/analytics/edited-suggestions): counted
from the feedback log, the versions agents sent grouped and ranked, offered as response-
bank items to review; only for supervisors and admins; the texts PII-redacted."""

from __future__ import annotations

import yaml
from api_helpers import ADMIN_KEY, agent_headers, bearer, start

ADMIN = bearer(ADMIN_KEY)


def _turn(client):
    cid, me = start(client)
    r = client.post(
        f"/v1/conversations/{cid}/messages", json={"text": "I want a refund"}, headers=me
    )
    return cid, r.json()["turn"]["id"]


def _feedback(client, who, action, sid, edited=None):
    cid, turn = _turn(client)
    body = {
        "kind": "suggestion", "action": action, "conversation_id": cid, "turn_id": turn,
        "suggestion_id": sid, "suggestion_text": "We will refund you within 5 days.",
    }  # fmt: skip
    if edited is not None:
        body["edited_text"] = edited
    assert client.post("/v1/feedback", json=body, headers=who).status_code == 201


def test_the_replies_agents_keep_editing_with_their_versions(client):
    alice = agent_headers(client)
    for text in (
        "Sure, your refund is on its way!",
        "sure,  your refund is on its way",  # the same words: one version
        "Refund started, write to me at emma@example.com",
    ):
        _feedback(client, alice, "edited", "s-1", text)
    _feedback(client, alice, "used", "s-1")
    for _ in range(4):
        _feedback(client, alice, "shown", "s-1")
    _feedback(client, alice, "edited", "s-2", "Once is not a habit.")
    r = client.get("/v1/analytics/edited-suggestions", headers=ADMIN)
    assert r.status_code == 200, r.text
    [found] = r.json()["suggestions"]  # s-2 was edited once: under min_edits (3)
    assert found["suggestion_id"] == "s-1"
    assert (found["shown"], found["used"], found["edited"]) == (4, 1, 3)
    assert found["intents"] == ["get_refund"]
    assert found["suggestion_text"] == "We will refund you within 5 days."
    versions = [(v["text"], v["count"]) for v in found["versions"]]
    assert versions[0] == ("Sure, your refund is on its way!", 2)
    assert "emma@example.com" not in str(versions) and "[EMAIL]" in versions[1][0]
    once = client.get("/v1/analytics/edited-suggestions", params={"min_edits": 1}, headers=ADMIN)
    assert [s["suggestion_id"] for s in once.json()["suggestions"]] == ["s-1", "s-2"]


def test_they_come_as_bank_items_to_review(client):
    alice = agent_headers(client)
    for _ in range(3):
        _feedback(client, alice, "edited", "s-1", "Sure, your refund is on its way!")
    r = client.get("/v1/analytics/edited-suggestions", params={"format": "yaml"}, headers=ADMIN)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/yaml")
    [item] = yaml.safe_load(r.text)["items"]
    assert item["text"] == "Sure, your refund is on its way!" and item["kind"] == "template"
    assert item["intents"] == ["get_refund"] and item["id"].startswith("agent-edit-")


def test_only_supervisors_and_admins_read_them(client):
    assert (
        client.get("/v1/analytics/edited-suggestions", headers=agent_headers(client)).status_code
        == 403
    )
    assert client.get("/v1/analytics/edited-suggestions").status_code == 401
