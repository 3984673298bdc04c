"""The web pages the API serves (widget, demo shop, agent panel), the demo-only session
endpoint, and what the pages need from the API: the customer's place in the queue, the
queue's stage / sentiment / name, CORS for sites that embed the widget."""

from __future__ import annotations

from api_helpers import ADMIN_KEY, ASSIST_KEY, agent_headers, bearer, start

from api.config import Settings


def test_pages_and_the_widget_are_served(client):
    shop = client.get("/shop")
    assert shop.status_code == 200 and shop.headers["content-type"].startswith("text/html")
    assert '<script src="/widget.js" data-customer-id="C-0002"' in shop.text
    js = client.get("/widget.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert "window.AgentAssistWidget" in js.text
    assert client.get("/static/widget.css").status_code == 200
    agent = client.get("/agent")
    assert agent.status_code == 200 and "/static/agent.js" in agent.text
    assert client.get("/static/agent.js").status_code == 200
    home = client.get("/", follow_redirects=False)
    assert home.status_code == 307 and home.headers["location"] == "/shop"


def test_the_shop_page_never_echoes_an_unknown_customer_id(client):
    page = client.get("/shop", params={"customer": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in page
    assert 'data-customer-id="C-0002"' in page  # unknown ids fall back to the default


def test_the_demo_shop_mints_a_conversation_for_its_customer(client, monkeypatch):
    import api.web.routes as web

    monkeypatch.setattr(web, "DEMO_CUSTOMERS", ("C-1",))  # the shop's customers here
    r = client.post("/demo/conversations", json={"customer_id": "C-1"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["conversation"]["customer_id"] == "C-1" and body["token"].startswith("ct_")
    cid = body["conversation"]["id"]
    assert client.get(f"/v1/conversations/{cid}", headers=bearer(body["token"])).status_code == 200
    assert client.post("/demo/conversations", json={"customer_id": "C-404"}).status_code == 404
    # a known customer who is not one of the shop's gets no token from the demo endpoint
    assert client.post("/demo/conversations", json={"customer_id": "C-2"}).status_code == 404
    assert client.post("/demo/conversations", json={"customer_id": 7}).status_code == 422
    assert [c["id"] for c in client.get("/demo/customers").json()] == ["C-1"]


def test_the_demo_shop_does_not_exist_in_production(make_client):
    client = make_client(
        settings=Settings(
            mode="production",
            secret_key="a-real-secret-for-this-test",
            demo_api_key=ASSIST_KEY,
            demo_admin_key=ADMIN_KEY,
            rasa_url=None,
        )
    )
    r = client.post("/demo/conversations", json={"customer_id": "C-1"})
    assert r.status_code == 404 and "demo mode only" in r.json()["error"]["message"]
    assert client.get("/shop").status_code == 404
    assert client.get("/demo/customers").status_code == 404
    assert client.get("/", follow_redirects=False).headers["location"] == "/agent"
    assert client.get("/agent").status_code == 200
    assert client.get("/widget.js").status_code == 200


def test_a_waiting_customer_sees_their_place_in_the_queue(client):
    first, me1 = start(client)
    second, me2 = start(client)
    assert client.get(f"/v1/conversations/{first}", headers=me1).json()["queue"] is None
    for cid, me in ((first, me1), (second, me2)):
        assert client.post(f"/v1/conversations/{cid}/handoff", json={}, headers=me).is_success
    q1 = client.get(f"/v1/conversations/{first}", headers=me1).json()["queue"]
    q2 = client.get(f"/v1/conversations/{second}", headers=me2).json()["queue"]
    assert (q1["position"], q1["waiting"]) == (1, 2)
    assert (q2["position"], q2["waiting"]) == (2, 2)
    assert q1["wait_s"] >= 0 and q2["wait_s"] >= 0  # positions, not clocks, give the order
    client.post(f"/v1/conversations/{first}/claim", headers=agent_headers(client))
    q2 = client.get(f"/v1/conversations/{second}", headers=me2).json()["queue"]
    assert (q2["position"], q2["waiting"]) == (1, 1)
    assert client.get(f"/v1/conversations/{first}", headers=me1).json()["queue"] is None


def test_queue_items_carry_name_stage_and_sentiment(client):
    cid, me = start(client)
    r = client.post(
        f"/v1/conversations/{cid}/messages", json={"text": "I want a human!!"}, headers=me
    )
    assert r.json()["state"] == "queued"
    (item,) = client.get("/v1/handoff/queue", headers=agent_headers(client)).json()
    assert item["customer_name"] == "Emma Stone"
    assert item["stage"] in {"aware", "consider", "purchase", "onboard", "support", "retain"}
    assert set(item["sentiment"]) >= {"label", "compound", "frustration"}
    assert item["reason"] == "the customer asked for a person"


def test_cors_for_sites_that_embed_the_widget(make_client):
    client = make_client(
        settings=Settings(
            demo_api_key=ASSIST_KEY,
            demo_admin_key=ADMIN_KEY,
            rasa_url=None,
            cors_origins=["https://shop.example"],
        )
    )
    r = client.options(
        "/v1/conversations/x/messages",
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "https://shop.example"
    other = client.options(
        "/v1/conversations/x/messages",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in other.headers
