"""The actions' client of the agent-assist API (`AGENT_ASSIST_URL`, API key
`AGENT_ASSIST_BOT_KEY` with scope `assist`; the demo key by default)."""

from __future__ import annotations

import os
import time
from typing import Any
from urllib.parse import quote

import aiohttp

DEFAULT_URL = "http://127.0.0.1:8000"
DEMO_KEY = "demo-assist-key"
CACHE_S = 3.0  # one form run asks for the same orders several times


class ApiError(Exception):
    """The API could not be reached or answered with an error."""


class AssistApi:
    def __init__(
        self, base_url: str | None = None, api_key: str | None = None, timeout_s: float = 5.0
    ) -> None:
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.base_url = (base_url or os.environ.get("AGENT_ASSIST_URL") or DEFAULT_URL).rstrip("/")
        self.api_key = api_key or os.environ.get("AGENT_ASSIST_BOT_KEY") or DEMO_KEY
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._cache: dict[str, tuple[float, Any]] = {}

    async def _request(self, method: str, path: str, body: dict | None = None) -> Any:
        headers = {"Authorization": f"Bearer {self.api_key}"}
        try:
            async with (
                aiohttp.ClientSession(timeout=self.timeout) as session,
                session.request(method, self.base_url + path, json=body, headers=headers) as r,
            ):
                data = await r.json(content_type=None)
                if r.status >= 400:
                    message = (data or {}).get("error", {}).get("message", r.reason)
                    raise ApiError(f"{method} {path}: {r.status} {message}")
                return data
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise ApiError(f"{method} {path}: {type(exc).__name__}: {exc}") from exc

    async def get(self, path: str) -> Any:
        hit = self._cache.get(path)
        if hit and time.monotonic() - hit[0] < CACHE_S:
            return hit[1]
        data = await self._request("GET", path)
        self._cache[path] = (time.monotonic(), data)
        if len(self._cache) > 256:
            self._cache.clear()
        return data

    async def post(self, path: str, body: dict) -> Any:
        return await self._request("POST", path, body)

    async def customer_orders(self, customer_id: str) -> dict[str, Any]:
        """{"customer": profile, "orders": [newest first]} (GET /v1/customers/{id}/orders)."""
        return await self.get(f"/v1/customers/{quote(customer_id, safe='')}/orders")

    async def conversation_customer(self, conversation_id: str) -> str | None:
        conv = await self.get(f"/v1/conversations/{quote(conversation_id, safe='')}")
        return (conv.get("conversation") or conv).get("customer_id")


API = AssistApi()
