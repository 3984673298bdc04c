"""`python -m api`: serve the API with uvicorn on the configured host/port;
`python -m api --workers N`: N worker processes behind that port (uvicorn's process
manager; each worker builds the app through `api.asgi:app`; they need a shared database
and Redis, see api/asgi.py); `python -m api admin ...`: manage agents and API keys
(api/admin_cli.py)."""

from __future__ import annotations

import sys
from typing import Any


def serve(workers: int = 1) -> int:
    import uvicorn

    from api import logs
    from api.config import get_settings
    from api.main import DemoCredentialsInProduction, check_production, create_app, load_analyzer
    from intent.modeling import ModelLoadError

    settings = get_settings()
    logs.install(log_format=settings.log_format)
    if settings.mode == "production":
        try:
            check_production(settings)
        except DemoCredentialsInProduction as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if workers > 1 and settings.history_url.startswith("sqlite"):
        print(
            "warning: several workers on a SQLite history "
            f"({settings.history_url}): set AGENT_ASSIST_HISTORY_URL to a PostgreSQL URL",
            file=sys.stderr,
        )
    if workers > 1 and not settings.redis_url:
        print(
            "warning: several workers without AGENT_ASSIST_REDIS_URL: conversation events "
            "reach only the WebSockets of the worker that made them, rate limits are per worker",
            file=sys.stderr,
        )
    if workers > 1:  # each worker writes its metrics there; /metrics adds them up
        from api.metrics import prepare_multiprocess_dir

        prepare_multiprocess_dir()
    app: Any = "api.asgi:app"  # each worker loads its own model (a broken one stops uvicorn)
    if workers == 1:
        try:  # load before binding the port, so a broken model stops the start with its reason
            analyzer = load_analyzer(settings)
        except ModelLoadError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        app = create_app(settings, analyzer)
    if settings.mode == "demo":  # seeded at start-up in demo mode only (api/services.py)
        print(
            "demo credentials (demo mode only):\n"
            f"  agent log-in:      {settings.demo_agent} / {settings.demo_agent_password}"
            "  (POST /v1/auth/login)\n"
            f"  supervisor log-in: {settings.demo_supervisor} / {settings.demo_supervisor_password}"
            "  (/supervisor)\n"
            f"  assist+ingest key: {settings.demo_api_key}\n"
            f"  admin key:         {settings.demo_admin_key}",
            flush=True,
        )
    procs = f", {workers} worker processes" if workers > 1 else ""
    print(f"serving on http://{settings.host}:{settings.port}  (docs: /docs{procs})", flush=True)
    uvicorn.run(
        app,
        factory=workers > 1,
        workers=workers if workers > 1 else None,
        host=settings.host,
        port=settings.port,
        log_level="info",
        log_config=logs.uvicorn_log_config(settings.log_format),
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["admin"]:
        from api.admin_cli import main as admin

        return admin(argv[1:])
    args = argv[1:] if argv[:1] == ["serve"] else argv
    workers = 1
    if args[:1] == ["--workers"] and len(args) == 2 and args[1].isdigit() and int(args[1]) >= 1:
        workers, args = int(args[1]), []
    if args:
        print(
            "usage: python -m api [serve] [--workers N] | python -m api admin ...",
            file=sys.stderr,
        )
        return 2
    return serve(workers)


if __name__ == "__main__":
    sys.exit(main())
