"""Routes of the web pages. The shop page and `/demo/*` exist in demo mode only: the
demo shop's "backend" mints the signed-in demo customer's conversation so no API key
reaches the page. A real site does the same from its own backend with its API key
(`POST /v1/conversations` with `customer_id`), see docs/widget.md."""

from __future__ import annotations

import asyncio
import html
import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from api.conversation_schemas import ConversationCreatedPublic, ConversationPublic
from api.deps import ServicesDep, SettingsDep, client_address
from api.errors import DomainError
from api.proactive_schemas import ProactiveOfferPublic
from api.routes.proactive import pending_offer
from intent.language import Language
from retrieval.errors import CustomerNotFound

STATIC = Path(__file__).resolve().parent / "static"


class PageFiles(StaticFiles):
    """The pages' scripts and styles, revalidated on every load (ETag): after an upgrade a
    browser never mixes old and new ES modules."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        resp = super().file_response(*args, **kwargs)
        resp.headers["Cache-Control"] = "no-cache"
        return resp


DEMO_CUSTOMERS = tuple(f"C-{k:04d}" for k in range(1, 7))
# the shop's language switch: the widget's languages, as the switch names them
SHOP_LANGUAGES: dict[Language, str] = {"en": "EN", "zh": "中文"}
_LANGUAGE_TAGS: dict[Language, str] = {"en": "en", "zh": "zh-CN"}
_CUSTOMER_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")

router = APIRouter(tags=["web pages"], include_in_schema=False)
demo_router = APIRouter(prefix="/demo", tags=["demo"])


class DemoOnly(DomainError):
    status_code = 404
    code = "not_found"


class DemoConversationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer_id: StrictStr | None = Field(None, max_length=64)
    language: Language | None = None  # the page's locale


class DemoCustomerPublic(BaseModel):
    id: str
    name: str
    city: str | None
    tier: str


def _demo_only(mode: str) -> None:
    if mode != "demo":
        raise DemoOnly("the demo shop exists in demo mode only (AGENT_ASSIST_MODE=demo)")


def _page(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def _no_cache(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "no-cache"
    return resp


def _demo_customers(services: ServicesDep) -> list[DemoCustomerPublic]:
    out = []
    for cid in DEMO_CUSTOMERS:
        try:
            c = services.history.get_customer(cid)
        except CustomerNotFound:
            continue
        out.append(DemoCustomerPublic(id=c.id, name=c.name, city=c.city, tier=c.tier))
    return out


@router.get("/")
async def home(settings: SettingsDep) -> Response:
    return RedirectResponse("/shop" if settings.mode == "demo" else "/agent", status_code=307)


def _shop_language(lang: str | None) -> Language | None:
    for known in SHOP_LANGUAGES:
        if lang == known:
            return known
    return None  # none chosen (or an unknown one): the browser's language decides


def _language_switch(customer: str, chosen: Language | None) -> str:
    """EN / 中文: links that reload the shop, and so restart its widget, in that language."""
    links = []
    for lang, name in SHOP_LANGUAGES.items():
        current = ' aria-current="true"' if lang == chosen else ""
        href = html.escape(f"/shop?customer={customer}&lang={lang}")
        tag = _LANGUAGE_TAGS[lang]
        links.append(f'<a href="{href}" lang="{tag}" hreflang="{tag}"{current}>{name}</a>')
    return " ".join(links)


@router.get("/shop", response_class=HTMLResponse)
async def shop(
    services: ServicesDep,
    settings: SettingsDep,
    customer: str = "C-0002",
    lang: str | None = None,
) -> Response:
    """The demo shop, signed in as `customer`; it embeds the widget with one script tag.
    `lang` (en / zh) is the site's language for the widget; without it, the browser's."""
    _demo_only(settings.mode)
    chosen = _shop_language(lang)
    customers = await asyncio.to_thread(_demo_customers, services)
    known = {c.id: c for c in customers}
    if not _CUSTOMER_ID.match(customer) or customer not in known:
        customer = customers[0].id if customers else "C-0002"
    me = known.get(customer)
    options = "\n".join(
        f'<option value="{html.escape(c.id)}"{" selected" if c.id == customer else ""}>'
        f"{html.escape(c.name)} ({html.escape(c.id)})</option>"
        for c in customers
    )
    page = (
        _page("shop.html")
        .replace("{{CUSTOMER_ID}}", html.escape(customer))
        .replace("{{CUSTOMER_NAME}}", html.escape(me.name if me else customer))
        .replace("{{CUSTOMER_OPTIONS}}", options)
        .replace("{{LANGUAGE_SWITCH}}", _language_switch(customer, chosen))
        .replace(
            "{{LANGUAGE_INPUT}}",
            f'<input type="hidden" name="lang" value="{chosen}">' if chosen else "",
        )
        .replace("{{WIDGET_LANG}}", f' data-lang="{chosen}"' if chosen else "")
    )
    return _no_cache(HTMLResponse(page))


@router.get("/agent", response_class=HTMLResponse)
async def agent_panel() -> Response:
    return _no_cache(HTMLResponse(_page("agent.html")))


@router.get("/supervisor", response_class=HTMLResponse)
async def supervisor_page() -> Response:
    return _no_cache(HTMLResponse(_page("supervisor.html")))


@router.get("/widget.js")
async def widget_js() -> Response:
    resp = FileResponse(STATIC / "widget.js", media_type="text/javascript")
    resp.headers["Access-Control-Allow-Origin"] = "*"  # embeddable from any site
    return _no_cache(resp)


@demo_router.get("/customers", response_model=list[DemoCustomerPublic])
async def demo_customers(services: ServicesDep, settings: SettingsDep) -> list[DemoCustomerPublic]:
    """The demo customers C-0001..C-0006 (demo mode only)."""
    _demo_only(settings.mode)
    return await asyncio.to_thread(_demo_customers, services)


@demo_router.get(
    "/proactive-offer",
    response_model=ProactiveOfferPublic,
    responses={204: {"description": "no offer for this customer now"}},
)
async def demo_proactive_offer(
    services: ServicesDep,
    settings: SettingsDep,
    customer_id: Annotated[str, Query(max_length=64)],
    language: Language = "en",
) -> ProactiveOfferPublic | Response:
    """What a site's backend does with its API key (`GET
    /v1/customers/{id}/proactive-offer`), for the demo shop's signed-in customer: the
    widget's `data-offer-url` (demo mode only)."""
    _demo_only(settings.mode)
    if customer_id not in DEMO_CUSTOMERS:
        raise DemoOnly(f"{customer_id!r} is not one of the demo shop's customers")
    found = await asyncio.to_thread(pending_offer, services, customer_id, language)
    return found if found is not None else Response(status_code=204)


@demo_router.post("/conversations", response_model=ConversationCreatedPublic, status_code=201)
async def demo_conversation(
    body: DemoConversationCreate, services: ServicesDep, settings: SettingsDep, request: Request
) -> ConversationCreatedPublic:
    """What a site's backend does with its API key, for the demo shop's signed-in customer
    (demo mode only; the demo shop has no real sign-in)."""
    _demo_only(settings.mode)
    services.throttle.hit("conversation", client_address(request), "too many new conversations")
    if body.customer_id is not None:
        if body.customer_id not in DEMO_CUSTOMERS:  # the demo shop's customers only
            raise DemoOnly(f"{body.customer_id!r} is not one of the demo shop's customers")
        await asyncio.to_thread(services.history.get_customer, body.customer_id)  # 404
    conv, token = await asyncio.to_thread(
        services.conversations.create, body.customer_id, "web", body.language
    )
    await services.opening.greet(conv)
    return ConversationCreatedPublic(conversation=ConversationPublic.of(conv), token=token)
