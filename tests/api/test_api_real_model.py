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


ZH_TRAIN = {
    "contact_human_agent": ["转人工", "我要找人工客服", "让真人来回答", "别让机器人回复了"],
    "get_refund": ["我要退款", "把钱退给我", "申请退款", "这个能退钱吗"],
    "track_order": ["我的快递到哪了", "查一下物流", "包裹发货了吗", "订单怎么还没到"],
    "out_of_scope": ["今天天气怎么样", "讲个笑话", "股票会涨吗", "帮我订机票"],
}


def test_a_chinese_model_beside_the_english_one_reads_chinese_turns(tiny_model_dir, tmp_path):
    import shutil

    from intent.data import Example
    from intent.trainer import train
    from intent.training_args import TrainingArgs

    model_dir = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model_dir)
    examples = [Example(t, label) for label, texts in ZH_TRAIN.items() for t in texts]
    args = TrainingArgs(encoder="multilingual-e5-small-q4", background=None, oos_folds=2)
    train(examples, args, progress=False).save(model_dir / "zh")
    with TestClient(create_app(Settings(model_dir=model_dir))) as client:
        assert client.get("/v1/intent/model").json()["languages"] == ["en", "zh"]
        r = client.post("/v1/intent", json={"text": "人工客服在哪"}).json()
        assert (r["language"], r["ranking"][0]["name"]) == ("zh", "contact_human_agent")
        r = client.post("/v1/intent", json={"text": "I want to speak to a real person"}).json()
        assert (r["language"], r["ranking"][0]["name"]) == ("en", "contact_human_agent")


def test_service_refuses_to_start_without_a_model(tmp_path):
    env = dict(
        os.environ, AGENT_ASSIST_MODEL_DIR=str(tmp_path / "missing"), AGENT_ASSIST_PORT="8765"
    )
    r = subprocess.run(
        [sys.executable, "-m", "api"], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 2
    assert "make model" in r.stderr
