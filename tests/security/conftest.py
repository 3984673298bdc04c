"""Fixtures of the security and fault tests: the adversarial suite's API server (a real
`python -m api` process, started once per session: demo mode, the demo model, a history
database seeded into tmp, no bot, retrieval off, its output captured to a file), and
Debian's Chromium driven by Playwright (never `playwright install`), started the way
tests/browser starts it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rasa_bot.stack import free_port

# the browser tests' helpers (Chromium's path and flags, the widget and panel drivers)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))

from security_helpers import (  # noqa: E402
    ApiServer,
    PostgresInstance,
    postgres,
    require_model,
    seed_history,
    server_env,
)


@pytest.fixture(scope="session")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """The server the adversarial tests attack. Its limits are the product's defaults,
    except the first log-in lock (10 minutes instead of 30 s), so that a locked account
    stays locked however slow the machine is; the tests that drive per-address limits
    connect from loopback addresses of their own."""
    require_model()
    root = tmp_path_factory.mktemp("security-api")
    env = server_env(seed_history(root / "history.db"), AGENT_ASSIST_LOGIN_LOCK_S="600")
    server = ApiServer(free_port(), env, root / "server.log").start()
    yield server
    server.stop()


@pytest.fixture
def api_on_postgres(tmp_path: Path) -> Iterator[tuple[ApiServer, PostgresInstance]]:
    """The API (no bot, retrieval off) on a seeded database of a PostgreSQL server of its
    own, which the test may stop and start (the shared `pg_server` must stay up)."""
    require_model()
    with postgres() as pg:
        env = server_env(seed_history(pg.create_database()))
        server = ApiServer(free_port(), env, tmp_path / "server.log").start()
        try:
            yield server, pg
        finally:
            server.stop()


@pytest.fixture(scope="module")  # Playwright's loop ends with the module
def chromium() -> Iterator[Any]:
    from browser_helpers import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: `make test` installs Debian's chromium "
            "(apt-get install -y chromium); set CHROMIUM to use another binary"
        )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
