"""`pip install .` is a working install: the wheel holds every runtime package, the default
data (as `agent_assist_data`), Alembic's migrations, the web pages, the console script and
the demo-history generator (`retrieval.demo`), and no bench/ or tests/; installed alone
(outside the checkout) it finds its data, migrates a database, loads its configuration files
and generates the demo history."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation"]
        + ["-q", "-w", str(out)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (built,) = out.glob("agent_assist-*.whl")
    return built


def test_the_wheel_holds_code_data_migrations_and_pages(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    for needed in [
        "api/main.py",
        "api/web/static/widget.js",
        "api/web/static/agent/main.js",
        "api/web/static/core/net.js",
        "intent/resources.py",
        "retrieval/migrations/env.py",
        "retrieval/migrations/script.py.mako",
        "retrieval/migrations/versions/0001_history.py",
        "api/storage/migrations/env.py",
        "api/storage/migrations/script.py.mako",
        "api/storage/migrations/versions/api_0001_turns.py",
        "api/storage/migrations/versions/api_0009_wrapup.py",
        "retrieval/demo/generate.py",
        "agent_assist_data/entities.yml",
        "agent_assist_data/handoff_policy.yml",
        "agent_assist_data/journey/stages.yml",
        "agent_assist_data/journey/model.yml",
        "agent_assist_data/journey/5a/stages.yml",
        "agent_assist_data/journey/5a/next_best_action.yml",
        "agent_assist_data/responses/knowledge.yml",
        "agent_assist_data/responses/zh/templates.yml",
        "agent_assist_data/responses/zh/knowledge.yml",
        "agent_assist_data/intents/training.json",
        "agent_assist_data/background/background.csv",
        "agent_assist_data/licenses/CC-BY-4.0.txt",
        "api/client/client.py",
        "api/client/models/assist_payload.py",
    ]:
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("bench/", "tests/"))]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "agent-assist = api.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


CHECK = """
import sys, pathlib
import api, intent, retrieval
here = pathlib.Path(sys.argv[1])
for m in (api, intent, retrieval):
    assert pathlib.Path(m.__file__).is_relative_to(here), m.__file__
from intent.resources import data_dir
assert data_dir().is_relative_to(here) and data_dir().name == "agent_assist_data", data_dir()
from intent.entities import EntityExtractor
assert EntityExtractor.default().extract("order ORD-20417")[0].type == "order_number"
from api.conversations.policy import HandoffPolicy
HandoffPolicy.load()
from retrieval.journey import JourneyConfig
JourneyConfig.load()
from retrieval.journey_rules import JourneyRules
assert JourneyRules.load("5a").config.stages[2] == "ask"  # data/journey/5a/ is in the wheel
from api.storage.schema import upgrade
upgrade("sqlite:///" + sys.argv[2])
import sqlalchemy
names = set(sqlalchemy.inspect(sqlalchemy.create_engine("sqlite:///" + sys.argv[2])).get_table_names())
assert {"customers", "events", "conversations", "conversation_turns"} <= names, names
from retrieval.demo.generate import generate
assert [c.id for c in generate(8, seed=7).customers][:6] == [f"C-000{i}" for i in range(1, 7)]
from api.web.routes import STATIC
assert (STATIC / "agent.html").exists()
print("ok")
"""


def test_an_installed_wheel_works_outside_the_checkout(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target)]
        + [str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", CHECK, str(target), str(tmp_path / "db.sqlite")],
        cwd=tmp_path,  # not the checkout: nothing may come from it
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-3000:]
