"""`python -m api`: serve the API with uvicorn on the configured host/port."""

from __future__ import annotations

import logging
import sys

import uvicorn

from api.config import get_settings
from api.main import create_app, load_analyzer
from intent.modeling import ModelLoadError


def main() -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = get_settings()
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
            f"  assist+ingest key: {settings.demo_api_key}\n"
            f"  admin key:         {settings.demo_admin_key}",
            flush=True,
        )
    print(f"serving on http://{settings.host}:{settings.port}  (docs: /docs)", flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
    return 0


if __name__ == "__main__":
    sys.exit(main())
