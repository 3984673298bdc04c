"""The web pages the API serves (widget, demo shop, agent panel), the demo-only session
endpoint, and what the pages need from the API: the customer's place in the queue, the
queue's stage / sentiment / name, CORS for sites that embed the widget; the pages' words
in English and Chinese (each catalogue complete) and the shop's language switch."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
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
    assert agent.status_code == 200 and "/static/agent/main.js" in agent.text
    assert client.get("/static/agent/main.js").status_code == 200
    home = client.get("/", follow_redirects=False)
    assert home.status_code == 307 and home.headers["location"] == "/shop"


def test_the_shop_page_never_echoes_an_unknown_customer_id(client):
    page = client.get("/shop", params={"customer": '"><script>alert(1)</script>'}).text
    assert "<script>alert(1)" not in page
    assert 'data-customer-id="C-0002"' in page  # unknown ids fall back to the default


def test_the_shop_chooses_the_widgets_language_or_leaves_it_to_the_browser(client):
    zh = client.get("/shop", params={"customer": "C-0002", "lang": "zh"}).text
    assert re.search(r'<script src="/widget.js" [^>]*data-lang="zh"', zh)
    assert '<input type="hidden" name="lang" value="zh">' in zh  # kept on a customer switch
    # the switch: EN / 中文, each a link that reloads the shop (and its widget) in it
    links = re.findall(r"<a href=[^>]*>[^<]*</a>", zh.split('class="shop-lang"', 1)[1])[:2]
    assert links == [
        '<a href="/shop?customer=C-0002&amp;lang=en" lang="en" hreflang="en">EN</a>',
        '<a href="/shop?customer=C-0002&amp;lang=zh" lang="zh-CN" hreflang="zh-CN"'
        ' aria-current="true">中文</a>',
    ]
    for page in (client.get("/shop").text, client.get("/shop", params={"lang": "fr"}).text):
        assert "data-lang=" not in page and 'aria-current="true"' not in page  # the browser's
        assert 'name="lang"' not in page
    started = client.post("/demo/conversations", json={"language": "zh"}).json()
    assert started["conversation"]["language"] == "zh"  # what the widget sends


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


def test_the_demo_shop_asks_for_its_customers_pending_offer(client, monkeypatch):
    import api.web.routes as web

    monkeypatch.setattr(web, "DEMO_CUSTOMERS", ("C-1",))
    url = "/demo/proactive-offer"
    assert client.get(url, params={"customer_id": "C-1"}).status_code == 204
    event = {
        "id": "app-act-web", "customer_id": "C-1", "channel": "app",
        "type": "activation_failed", "ts": datetime.now(UTC).isoformat(),
        "order_id": "ORD-100234", "attributes": {"error_code": "ACT-301"},
    }  # fmt: skip
    assert client.post("/v1/events", json=event, headers=bearer(ADMIN_KEY)).status_code == 200
    r = client.get(url, params={"customer_id": "C-1", "language": "zh"})
    assert r.status_code == 200 and r.json()["language"] == "zh"
    assert "ACT-301" in r.json()["text"] and "激活" in r.json()["text"]
    # the shop's customers only, as for minting conversations
    assert client.get(url, params={"customer_id": "C-2"}).status_code == 404
    assert client.get(url).status_code == 422


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
    assert client.get("/demo/proactive-offer", params={"customer_id": "C-1"}).status_code == 404
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


# ---------------------------------------------------------------------- the pages' modules

STATIC = Path(__file__).resolve().parents[2] / "api" / "web" / "static"
_IMPORT = re.compile(r'^import\s+(?:\{([^}]*)\}|\*\s+as\s+\w+)\s+from\s+"([^"]+)";', re.M)
_EXPORT = re.compile(r"^export\s+(?:function|var|const|let|class)\s+([\w$]+)", re.M)


def _module_graph(entry: str = "agent/main.js") -> dict[Path, list[tuple[Path, list[str]]]]:
    """Every module reached from `entry`: the files it imports, with the names."""
    graph: dict[Path, list[tuple[Path, list[str]]]] = {}
    todo = [STATIC / entry]
    while todo:
        module = todo.pop()
        if module in graph:
            continue
        assert module.is_file(), f"{module.relative_to(STATIC)} is imported but missing"
        text = module.read_text(encoding="utf-8")
        imports = _IMPORT.findall(text)
        assert len(imports) == len(re.findall(r"^import\b", text, re.M)), (
            f"{module.name}: an import form this test does not read"
        )
        edges = []
        for names, spec in imports:
            assert spec.startswith(("./", "../")) and spec.endswith(".js"), (module, spec)
            target = (module.parent / spec).resolve()
            assert target.is_relative_to(STATIC), (module, spec)  # served from /static
            edges.append((target, [n.strip() for n in names.split(",") if n.strip()]))
            todo.append(target)
        graph[module] = edges
    return graph


@pytest.mark.parametrize(
    ("page_file", "folder", "route"),
    [("agent.html", "agent", "/agent"), ("supervisor.html", "supervisor", "/supervisor")],
)
def test_the_staff_pages_are_es_modules_under_the_pages_csp(client, page_file, folder, route):
    page = (STATIC / page_file).read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, re.S)
    entry = f"{folder}/main.js"
    assert scripts == [(f' type="module" src="/static/{entry}"', "")]  # no inline script
    assert "<style" not in page and not re.search(r"\sstyle=", page)  # no inline style
    assert not re.search(r"\son[a-z]+=", page)  # no inline handler
    assert not (STATIC / f"{folder}.js").exists()  # the modules replaced it

    graph = _module_graph(entry)
    for module, edges in graph.items():
        for target, names in edges:
            exported = set(_EXPORT.findall(target.read_text(encoding="utf-8")))
            missing = set(names) - exported
            assert not missing, f"{module.name} imports {missing} that {target.name} lacks"
    # every file in the page's folder is part of the page, and the imports have no cycle
    assert set((STATIC / folder).glob("*.js")) <= set(graph)
    # both pages speak through the shared language machinery (core/i18n.js)
    assert STATIC / "core" / "i18n.js" in graph
    done: set[Path] = set()

    def visit(module: Path, path: tuple[Path, ...]) -> None:
        assert module not in path, "import cycle: " + " -> ".join(p.name for p in path)
        if module not in done:
            for target, _ in graph[module]:
                visit(target, (*path, module))
            done.add(module)

    visit(STATIC / entry, ())

    for module in graph:  # served as JavaScript: browsers run no module of another type
        r = client.get("/static/" + module.relative_to(STATIC).as_posix())
        assert r.status_code == 200 and "javascript" in r.headers["content-type"], module
        assert r.headers["x-content-type-options"] == "nosniff"
    csp = client.get(route).headers["content-security-policy"]
    assert "script-src 'self';" in csp  # module scripts from /static, nothing inline


# the widget's copy of the shared core (why a copy: the top of core/net.js)
_CORE_BEGIN = (
    "  // BEGIN generated from core/net.js: do not edit here (see the top of core/net.js)\n"
)
_CORE_END = "  // END generated from core/net.js\n"


def _widget_core(core: str) -> str:
    """core/net.js as the widget holds it: without its header comment, `export ` dropped,
    indented into the widget's function."""
    code = core.split("*/\n", 1)[1].strip("\n")
    lines = [re.sub(r"^export ", "", line) for line in code.split("\n")]
    return "".join(f"  {line}\n" if line else "\n" for line in lines)


def test_the_widget_carries_the_shared_core_unchanged():
    core = (STATIC / "core" / "net.js").read_text(encoding="utf-8")
    # what a classic script can hold once `export ` is dropped: no import, and each export
    # a function declared at a line start
    code = core.split("*/\n", 1)[1]
    assert not re.search(r"\bimport\b", code)
    exports = [line for line in code.split("\n") if re.search(r"\bexport\b", line)]
    assert exports and all(line.startswith("export function ") for line in exports), exports
    widget_path = STATIC / "widget.js"
    widget = widget_path.read_text(encoding="utf-8")
    head, rest = widget.split(_CORE_BEGIN, 1)
    copy, tail = rest.split(_CORE_END, 1)
    expected = _widget_core(core)
    if copy != expected and os.environ.get("UPDATE_WIDGET_CORE") == "1":
        widget_path.write_text(head + _CORE_BEGIN + expected + _CORE_END + tail, encoding="utf-8")
        copy = expected
    assert copy == expected, (
        "widget.js's copy of core/net.js is out of date: run UPDATE_WIDGET_CORE=1 "
        ".venv/bin/python -m pytest tests/api/test_api_web.py -k core"
    )
    # still one classic script: no import or export statement anywhere
    assert not re.search(r"^\s*(import|export)\b", widget, re.M)


@pytest.mark.integration  # starts node processes
@pytest.mark.skipif(shutil.which("node") is None, reason="node checks the syntax; not installed")
def test_the_pages_scripts_parse(tmp_path):
    """The syntax of every script (the browser tests run them; this needs no browser):
    the widget as a classic script, the panel's files as modules."""
    checks = [(STATIC / "widget.js", "widget.js")]
    checks += [(m, f"{m.parent.name}-{m.stem}.mjs") for m in sorted(STATIC.glob("*/*.js"))]
    for source, name in checks:
        target = tmp_path / name
        target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        r = subprocess.run(["node", "--check", str(target)], capture_output=True, text=True)
        assert r.returncode == 0, f"{source.relative_to(STATIC)}: {r.stderr}"


# ---------------------------------------------------------------------- the pages' languages

_CATALOGUE = re.compile(
    r"^\s*// BEGIN catalogue\n\s*(?:export )?var CATALOGUE = (\{.*?\});\n\s*// END catalogue$",
    re.S | re.M,
)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_CJK = re.compile(r"[\u3400-\u9fff]")
# the keys a page's code names: t("key"), data-i18n="key" (and -label, -placeholder),
# the wrap-up's section headings
_USED = re.compile(
    r'\bt\("([\w.]*\w)"|data-i18n(?:-label|-placeholder)?="([\w.]+)"|"(wrapup\.[\w.]+)"\]'
)


def _catalogue(path: Path) -> dict[str, dict[str, str]]:
    """The JSON block between `// BEGIN catalogue` and `// END catalogue`."""
    found = _CATALOGUE.search(path.read_text(encoding="utf-8"))
    assert found, f"{path.name}: no catalogue between the BEGIN / END catalogue lines"
    catalogue: dict[str, dict[str, str]] = json.loads(found.group(1))
    return catalogue


@pytest.mark.parametrize(
    ("catalogue_file", "users"),
    [
        ("widget.js", ["widget.js"]),
        ("agent/i18n.js", ["agent.html", "agent/*.js"]),
        ("supervisor/i18n.js", ["supervisor.html", "supervisor/*.js"]),
    ],
)
def test_every_page_text_is_there_in_english_and_chinese(catalogue_file, users):
    catalogue = _catalogue(STATIC / catalogue_file)
    assert sorted(catalogue) == ["en", "zh"]
    en, zh = catalogue["en"], catalogue["zh"]
    assert zh.keys() == en.keys(), sorted(zh.keys() ^ en.keys())
    for key, text in en.items():
        assert text.strip() and zh[key].strip(), key
        # the same {placeholders}: a translation cannot lose or invent a value
        assert sorted(_PLACEHOLDER.findall(zh[key])) == sorted(_PLACEHOLDER.findall(text)), key
        assert _CJK.search(zh[key]), f"{key}: not translated ({zh[key]!r})"
    used = set()
    for pattern in users:
        for source in STATIC.glob(pattern):
            for match in _USED.findall(source.read_text(encoding="utf-8")):
                used.update(name for name in match if name)
    assert used, users
    missing = sorted(used - en.keys())
    assert not missing, f"texts named in {users} but missing from {catalogue_file}: {missing}"


@pytest.mark.parametrize(
    ("page_file", "catalogue_file"),
    [("agent.html", "agent/i18n.js"), ("supervisor.html", "supervisor/i18n.js")],
)
def test_a_staff_page_shows_its_english_text_before_its_script_runs(page_file, catalogue_file):
    """The HTML's own text (what shows before the modules load) is the English catalogue's,
    so that applyPage() changes nothing in English and every static text has a key."""
    en = _catalogue(STATIC / catalogue_file)["en"]
    page = (STATIC / page_file).read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page)
    assert title and title.group(1) == en["page.title"]
    texts = re.findall(r'data-i18n="([\w.]+)"[^>]*>([^<]*)<', page)
    labels = re.findall(r'aria-label="([^"]*)"[^>]*data-i18n-label="([\w.]+)"', page)
    placeholders = re.findall(r'placeholder="([^"]*)"[^>]*data-i18n-placeholder="([\w.]+)"', page)
    assert texts and labels
    assert len(labels) == page.count("data-i18n-label=")
    assert len(placeholders) == page.count("data-i18n-placeholder=")
    for key, text in texts + [(k, v) for v, k in labels + placeholders]:
        assert en.get(key) == text, (key, text)
    # the language switch of both pages: EN / 中文, each button in its own language
    assert '<button type="button" data-set-lang="en" lang="en"' in page
    assert '<button type="button" data-set-lang="zh" lang="zh-CN"' in page


# the API's error codes a customer's widget can meet on its routes (start a chat through
# the site or anonymously, read it, write in it, ask for a person, the live socket's
# 4401 / 4403): the widget words each in its own language instead of the API's English
_WIDGET_ERROR_CODES = {
    "invalid_input",  # 422: a field, an empty or NUL text
    "invalid_json",  # 400
    "payload_too_large",  # 413: the text over max_text_chars (with `limit`) or the body cap
    "rate_limited",  # 429 (with `retry_after_s`)
    "conversation_closed",  # 409
    "illegal_transition",  # 409: e.g. a person asked for twice
    "conversation_not_found",  # 404
    "not_found",  # 404: no such route or resource
    "customer_not_found",  # 404: the site's session URL with an unknown customer
    "not_authenticated",  # 401 / socket 4401
    "forbidden",  # 403 / socket 4403
    "bot_unavailable",  # 503
    "store_unavailable",  # 503
    "not_ready",  # 503
    "internal_error",  # 500
}


def _api_error_codes() -> set[str]:
    """Every error code the API answers with (api/errors.py and the middleware)."""
    import api.errors as errors

    codes = {code for _, code in errors._CONVERSATION_ERRORS.values()}
    codes |= {code for _, code in errors._RETRIEVAL_ERRORS.values()}
    todo: list[type] = [errors.DomainError]
    while todo:
        cls = todo.pop()
        codes.add(cls.code)  # type: ignore[attr-defined]
        todo.extend(cls.__subclasses__())
    root = Path(errors.__file__).parent
    for source in (root / "errors.py", root / "middleware.py"):
        text = source.read_text(encoding="utf-8")
        codes |= set(re.findall(r'_body\(\s*"(\w+)"', text))
        codes |= set(re.findall(r'_error\(send, \d+, "(\w+)"', text))
    return codes


def test_the_widget_words_the_apis_errors_in_its_own_languages():
    codes = _api_error_codes()
    unknown = sorted(_WIDGET_ERROR_CODES - codes)
    assert not unknown, f"not codes of the API: {unknown}"
    catalogue = _catalogue(STATIC / "widget.js")
    api_keys = {key for key in catalogue["en"] if key.startswith("api.")}
    missing = sorted(f"api.{code}" for code in _WIDGET_ERROR_CODES if f"api.{code}" not in api_keys)
    assert not missing, f"widget.js has no text for {missing}"
    # and nothing else: a code of the API (or its variant with a figure), or a status's text
    for key in api_keys:
        name = key.split(".")[1]
        assert name in codes or name == "status", key
    # the figures the API gives with two of them are worded too
    assert "{limit}" in catalogue["zh"]["api.payload_too_large.limit"]
    assert "{seconds}" in catalogue["zh"]["api.rate_limited.wait"]
    widget = (STATIC / "widget.js").read_text(encoding="utf-8")
    # the API's English message is never put into a sentence as it comes
    assert not re.search(r"\{ ?(error|reason): err\.message", widget)
