"""The typed Python client of the API (`api/client/`), generated from the OpenAPI document
with openapi-python-client, so it never drifts from the routes:

    python -m api.client_gen            # regenerate api/client/ (make client)
    python -m api.client_gen --check    # exit 1 if api/client/ differs from the schema

tests/api/test_api_client.py runs the check in `make test`. Use the client like this:

    from api.client import AuthenticatedClient
    from api.client.api.agent_assist import (
        conversation_assist_v1_conversations_conversation_id_assist_get as assist,
    )
    c = AuthenticatedClient(base_url="http://127.0.0.1:8000", token="ak_...")
    payload = assist.sync(conversation_id="conv_...", client=c)   # an AssistPayload
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent / "client"
GENERATOR = "openapi-python-client"


def schema() -> dict[str, Any]:
    """The OpenAPI document of the app as `create_app` builds it (no model is loaded)."""
    from api.config import Settings
    from api.main import create_app

    return create_app(Settings(load_retrieval=False, rasa_url=None)).openapi()


def generate(out: Path) -> None:
    """Write the client package (its modules directly under `out`)."""
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "openapi.json"
        spec.write_text(json.dumps(schema(), indent=1, sort_keys=True), encoding="utf-8")
        env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
        done = subprocess.run(
            [str(bin_dir / GENERATOR), "generate", "--path", str(spec)]
            + ["--output-path", str(Path(tmp) / "out"), "--meta", "none", "--overwrite"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{GENERATOR} failed:\n{done.stdout}\n{done.stderr}")
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(
            Path(tmp) / "out", out, ignore=shutil.ignore_patterns("__pycache__", ".ruff_cache")
        )


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ, or exist on one side only (relative paths)."""
    cmp = filecmp.dircmp(a, b, ignore=["__pycache__", ".ruff_cache"])
    out = [*cmp.left_only, *cmp.right_only, *cmp.diff_files, *cmp.funny_files]
    for name, sub in cmp.subdirs.items():
        out += [f"{name}/{d}" for d in differences(Path(sub.left), Path(sub.right))]
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m api.client_gen", description=__doc__)
    ap.add_argument("--check", action="store_true", help="compare, do not write")
    a = ap.parse_args(argv)
    if not a.check:
        generate(PACKAGE)
        print(f"wrote {PACKAGE}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "client"
        generate(fresh)
        changed = differences(PACKAGE, fresh)
    if changed:
        print("api/client/ is stale: run `make client`. Differs: " + ", ".join(changed[:20]))
        return 1
    print("api/client/ matches the OpenAPI document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
