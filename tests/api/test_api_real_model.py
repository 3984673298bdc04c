"""The service with the real model loaded in its lifespan, and its refusal to start
without one."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app

pytestmark = pytest.mark.integration


def test_lifespan_loads_the_model_and_serves_it(tiny_model_dir):
    app = create_app(Settings(model_dir=tiny_model_dir))
    with TestClient(app) as client:
        assert client.get("/readyz").json()["checks"]["labels"] == 4  # 3 intents + background
        r = client.post("/v1/intent", json={"text": "I want to speak to a real person"})
        assert r.status_code == 200
        assert r.json()["ranking"][0]["name"] == "contact_human_agent"
        key = {"Authorization": f"Bearer {Settings().demo_api_key}"}
        texts = {"texts": ["refund me", "where's my parcel"]}
        r = client.post("/v1/intent:batch", json=texts, headers=key)
        assert [x["ranking"][0]["name"] for x in r.json()["results"]] == [
            "get_refund",
            "track_order",
        ]


def test_service_refuses_to_start_without_a_model(tmp_path):
    env = dict(
        os.environ, AGENT_ASSIST_MODEL_DIR=str(tmp_path / "missing"), AGENT_ASSIST_PORT="8765"
    )
    r = subprocess.run(
        [sys.executable, "-m", "api"], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 2
    assert "make model" in r.stderr
