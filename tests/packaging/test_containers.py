"""The container files (compose.yaml, Dockerfile, deploy/, .dockerignore) checked without a
container runtime, against the tested launcher (`make run-scaled`: rasa_bot/stack.py and
rasa_bot/scaled.py build every command line and environment with the functions used here).
Nothing here builds an image or starts a container; `docker compose config` runs only where
a `docker` command exists (not where this suite was written)."""

from __future__ import annotations

import ast
import fnmatch
import functools
import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from api.config import DEMO_BOT_KEY, Settings
from rasa_bot.scaled import (
    PG_USER,
    PRODUCT_DB,
    RASA_DB,
    RASA_LOCK_DB,
    Postgres,
    Redis,
    rasa_endpoints,
    redis_command,
    scaled_api_vars,
    seed_command,
)
from rasa_bot.stack import (
    BOT_DIR,
    MODEL_NAME,
    NLU_DATA,
    RASA_CACHE_ENV,
    RASA_SETTINGS,
    ROOT,
    SECRET_ENV,
    TOKEN_ENV,
    actions_command,
    actions_vars,
    api_command,
    api_vars,
    rasa_command,
    rasa_train_command,
    rasa_vars,
)

# What differs between the launcher on one machine and the containers, and nothing else:
# each process listens on its container's interface rather than 127.0.0.1 and reaches the
# others by service name; the interpreters are the images' own; PostgreSQL and Redis keep
# their images' ports; the bot's files are at compose.yaml's mount points.
INTERFACE = "0.0.0.0"
PYTHON = "python"  # on the images' PATH (the launcher: .venv/bin/python, .venv-rasa/bin/python)
HOSTS = {"postgres": "postgres", "redis": "redis"}  # were 127.0.0.1
API_PORT, RASA_PORT, ACTIONS_PORT = 8000, 5005, 5055  # the launcher's defaults
PG_PORT, REDIS_PORT = 5432, 6379  # the images' (the launcher: 5433, 6380)
BOT_MOUNT = "/bot"  # ./rasa_bot: the launcher runs Rasa, training and actions from there
MODEL_DIR = "/app/models"  # in the volume rasa-models
NLU_MOUNT = "/intents/nlu.yml"
ENDPOINTS_MOUNT = "/deploy/endpoints.yml"
API_VAR = Path("/app/var")  # the API image's writable folder (the launcher: var/)
ONE_SHOT = {"demo-seed", "rasa-train"}  # run to completion before what needs them
# the images' ENTRYPOINT where compose.yaml keeps it
IMAGE_ENTRYPOINT = {"rasa/rasa": ["rasa"], "redis": [], "postgres": [], "agent-assist-api": []}
OFFICIAL = {"postgres", "redis", "python", "rasa/rasa", "rasa/rasa-sdk"}
SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN")


def read(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


@functools.cache
def compose() -> dict[str, Any]:
    return yaml.safe_load(read("compose.yaml"))


def service(name: str) -> dict[str, Any]:
    return compose()["services"][name]


def env(name: str) -> dict[str, str]:
    return {k: str(v) for k, v in service(name).get("environment", {}).items()}


def lock_version(package: str) -> str:
    for line in read("rasa_bot/requirements.lock").splitlines():
        name, _, version = line.partition("==")
        if re.sub(r"[-_.]+", "-", name.strip().lower()) == package:
            return version.strip()
    raise AssertionError(f"{package} not in rasa_bot/requirements.lock")


def dockerfile(path: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined."""
    text = "\n".join(line for line in read(path).splitlines() if not line.lstrip().startswith("#"))
    out = []
    for line in text.replace("\\\n", " ").splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def stages(path: str) -> list[list[tuple[str, str]]]:
    out: list[list[tuple[str, str]]] = []
    for ins in dockerfile(path):
        if ins[0] == "FROM":
            out.append([])
        out[-1].append(ins)
    return out


def env_of(instructions: list[tuple[str, str]]) -> dict[str, str]:
    pairs = [shlex.split(args) for word, args in instructions if word == "ENV"]
    return dict(p.split("=", 1) for group in pairs for p in group)


def argv(name: str) -> list[str]:
    """What the service runs: its entrypoint (or its image's) and its command."""
    svc = service(name)
    entrypoint = svc.get("entrypoint")
    if entrypoint is None:
        entrypoint = IMAGE_ENTRYPOINT[svc["image"].split(":")[0]]
    return [*entrypoint, *svc.get("command", [])]


def images() -> dict[str, list[str]]:
    """Each service's base images: its image, or the FROM lines of what it builds."""
    out = {}
    for name, svc in compose()["services"].items():
        if "build" in svc:
            build = svc["build"]
            path = (
                build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
            )
            out[name] = [args.split()[0] for word, args in dockerfile(path) if word == "FROM"]
        else:
            out[name] = [svc["image"]]
    return out


def third_party_imports(paths: list[Path], local: set[str]) -> set[str]:
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - local - {"__future__"}


def test_compose_parses_into_the_launchers_processes() -> None:
    assert set(compose()["services"]) == {
        "postgres",
        "redis",
        "demo-seed",
        "rasa-train",
        "actions",
        "rasa",
        "api",
    }


def test_every_image_is_official_and_pinned() -> None:
    for name, refs in images().items():
        for ref in refs:
            repo, _, tag = ref.partition(":")
            assert repo in OFFICIAL, f"{name}: {ref} is not an official image"
            assert re.match(r"\d", tag) and tag != "latest", f"{name}: {ref} is not pinned"
    assert images()["rasa"] == images()["rasa-train"] == ["rasa/rasa:3.6.21"]
    assert lock_version("rasa") == "3.6.21"
    assert images()["actions"] == [f"rasa/rasa-sdk:{lock_version('rasa-sdk')}"]
    assert images()["postgres"][0].split(":")[1].split(".")[0].split("-")[0] == "15"
    assert all(ref.startswith("python:3.11.") for ref in images()["api"])  # .venv's Python


def test_rasa_runs_the_launchers_command() -> None:
    model = f"{MODEL_DIR}/{MODEL_NAME}.tar.gz"
    assert argv("rasa") == rasa_command(PYTHON, RASA_PORT, model, ENDPOINTS_MOUNT, INTERFACE)
    assert argv("rasa-train") == rasa_train_command("rasa", MODEL_DIR, NLU_MOUNT)
    for name in ("rasa", "rasa-train", "actions"):  # run from rasa_bot/, as the launcher does
        assert service(name)["working_dir"] == BOT_MOUNT
        assert f"./{BOT_DIR.relative_to(ROOT)}:{BOT_MOUNT}:ro" in service(name)["volumes"]
    nlu = f"./{NLU_DATA.relative_to(ROOT)}:{NLU_MOUNT}:ro"
    assert nlu in service("rasa-train")["volumes"]
    assert f"./deploy/rasa/endpoints.yml:{ENDPOINTS_MOUNT}:ro" in service("rasa")["volumes"]
    # the trained model reaches Rasa through one volume, at the same path in both
    (mount,) = [v for v in service("rasa-train")["volumes"] if v.startswith("rasa-models:")]
    assert mount in service("rasa")["volumes"] and MODEL_DIR.startswith(mount.split(":")[1])


def test_the_actions_run_the_launchers_command() -> None:
    assert argv("actions") == actions_command(PYTHON, ACTIONS_PORT, INTERFACE)


def test_the_api_image_runs_the_launchers_command() -> None:
    assert not {"command", "entrypoint"} & set(service("api"))  # the Dockerfile's CMD
    assert "ENTRYPOINT" not in {word for word, _ in dockerfile("Dockerfile")}
    (cmd,) = [args for word, args in stages("Dockerfile")[-1] if word == "CMD"]
    shell, flag, line = json.loads(cmd)
    assert (shell, flag) == ("sh", "-c")
    words = shlex.split(line)
    assert words[0] == "exec" and "$API_WORKERS" in words
    for workers in (2, 3):
        run = [str(workers) if w == "$API_WORKERS" else w for w in words[1:]]
        assert run == api_command(PYTHON, workers)
    assert env("api")["API_WORKERS"] == "${API_WORKERS:-2}"  # make run-scaled's WORKERS


def test_the_demo_seed_and_redis_run_the_launchers_commands(tmp_path: Path) -> None:
    url = Postgres(tmp_path, PG_PORT).url(PRODUCT_DB).replace("127.0.0.1", HOSTS["postgres"])
    assert argv("demo-seed") == seed_command(PYTHON, url)
    assert service("demo-seed")["image"] == service("api")["image"]
    launcher = redis_command("redis-server", REDIS_PORT, tmp_path, bind=INTERFACE)
    for option in ("--dir", "--logfile"):  # the image's /data; the log on stdout
        i = launcher.index(option)
        del launcher[i : i + 2]
    assert argv("redis") == launcher


def test_the_api_gets_the_launchers_environment(tmp_path: Path) -> None:
    api = env("api")
    launcher = api_vars(INTERFACE, API_PORT, f"http://rasa:{RASA_PORT}", "", "")
    pg_url = Postgres(tmp_path, PG_PORT).url(PRODUCT_DB).replace("127.0.0.1", HOSTS["postgres"])
    redis_url = Redis(tmp_path, REDIS_PORT).url.replace("127.0.0.1", HOSTS["redis"])
    launcher |= scaled_api_vars(pg_url, redis_url, API_VAR, {"PGPASSWORD": ""})
    assert set(launcher) <= set(api)
    for name, value in launcher.items():
        if not any(word in name for word in SECRET_WORDS):
            assert api[name] == value, name
    assert api[TOKEN_ENV] == env("rasa")[TOKEN_ENV]
    assert api[SECRET_ENV] == env("actions")[SECRET_ENV]
    assert api["PGPASSWORD"] == env("postgres")["POSTGRES_PASSWORD"]
    # and only these besides: the worker count, the mode, the signing key
    assert set(api) - set(launcher) == {
        "API_WORKERS",
        "AGENT_ASSIST_MODE",
        "AGENT_ASSIST_SECRET_KEY",
    }
    assert env("demo-seed") == {"PGPASSWORD": api["PGPASSWORD"]}


def test_every_agent_assist_variable_of_the_api_is_a_setting() -> None:
    names = set(env("api")) | set(env("demo-seed"))
    names |= set(env_of([i for stage in stages("Dockerfile") for i in stage]))
    prefix = Settings.model_config["env_prefix"]
    unknown = {
        n
        for n in names
        if n.startswith(prefix) and n[len(prefix) :].lower() not in Settings.model_fields
    }
    assert not unknown


def test_rasa_and_the_actions_get_the_launchers_environment() -> None:
    bot_key = "${BOT_KEY:-" + DEMO_BOT_KEY + "}"  # Stack's default key: the demo one
    api_url = f"http://api:{API_PORT}"
    for name, launcher, withheld, extra in [
        ("rasa", rasa_vars(api_url, bot_key, ""), SECRET_ENV, {"POSTGRES_PASSWORD"}),
        ("actions", actions_vars(api_url, bot_key, ""), TOKEN_ENV, set()),
        ("rasa-train", {}, None, set()),
    ]:
        got = env(name)
        assert RASA_SETTINGS.items() <= got.items(), name
        assert RASA_CACHE_ENV in got
        assert withheld not in got, f"{name} must not get {withheld}"
        for var, value in launcher.items():
            assert var in got, f"{name} lacks {var}"
            if var not in (TOKEN_ENV, SECRET_ENV):
                assert got[var] == value, (name, var)
        # PYTHONDONTWRITEBYTECODE: rasa_bot/ is mounted read-only
        assert (
            set(got) - set(launcher) - set(RASA_SETTINGS)
            == {
                RASA_CACHE_ENV,
                "PYTHONDONTWRITEBYTECODE",
            }
            | extra
        )


def test_secrets_come_from_the_env_file_and_stop_compose_when_missing() -> None:
    secrets = {}
    for name, svc in compose()["services"].items():
        for var, value in svc.get("environment", {}).items():
            if any(word in var for word in SECRET_WORDS):
                secrets[(name, var)] = str(value)
    assert len(secrets) >= 8
    for where, value in secrets.items():
        assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", value), f"{where}: {value}"
    # every variable compose.yaml reads is in deploy/.env.example, no secret with a value
    example = dict(
        line.split("=", 1)
        for line in read("deploy/.env.example").splitlines()
        if line and not line.startswith("#")
    )
    used = set(re.findall(r"\$\{([A-Z_]+)", read("compose.yaml")))
    assert used - {"COMPOSE_PROFILES"} <= set(example)
    required = set(re.findall(r"\$\{([A-Z_]+):\?", read("compose.yaml")))
    assert required == {"POSTGRES_PASSWORD", "API_SECRET_KEY", "RASA_TOKEN", "BOT_SECRET"}
    assert all(example[name] == "" for name in required)
    assert example["COMPOSE_PROFILES"] == "demo" and example["API_MODE"] == "demo"


def test_every_service_has_a_health_check_and_waits_for_what_it_needs() -> None:
    for name, svc in compose()["services"].items():
        if name in ONE_SHOT:
            assert "healthcheck" not in svc and svc["restart"] == "no", name
        else:
            test = svc["healthcheck"]["test"]
            assert test[0] == "CMD" and "curl" not in test, name  # no curl in these images
        for needed, how in svc.get("depends_on", {}).items():
            wanted = "service_completed_successfully" if needed in ONE_SHOT else "service_healthy"
            assert how["condition"] == wanted, (name, needed)
    # the launcher's order: actions, then Rasa, then the API; the database and Redis first
    assert {"actions", "postgres", "redis", "rasa-train"} <= set(service("rasa")["depends_on"])
    assert {"rasa", "postgres", "redis", "demo-seed"} <= set(service("api")["depends_on"])
    assert service("api")["depends_on"]["demo-seed"]["required"] is False  # profile demo
    assert service("demo-seed")["profiles"] == ["demo"]
    # the launcher's readiness URLs
    checks = {n: " ".join(service(n)["healthcheck"]["test"]) for n in ("api", "rasa", "actions")}
    assert f"127.0.0.1:{API_PORT}/healthz" in checks["api"]
    assert f"127.0.0.1:{RASA_PORT}/status?token=" in checks["rasa"]
    assert f"127.0.0.1:{ACTIONS_PORT}/health" in checks["actions"]


def test_only_the_api_is_published_and_on_loopback_by_default() -> None:
    published = {n for n, svc in compose()["services"].items() if "ports" in svc}
    assert published == {"api"}
    assert service("api")["ports"] == ["${API_PUBLISH:-127.0.0.1:8000}:8000"]


def test_the_dockerfile_installs_torch_then_the_locked_project_and_trains_the_model() -> None:
    build, runtime = stages("Dockerfile")
    runs = [args for word, args in build if word == "RUN"]
    makefile_torch = re.search(r"torch==[\d.]+", read("Makefile"))
    assert makefile_torch and makefile_torch.group() == "torch==2.13.0"
    (torch,) = [i for i, r in enumerate(runs) if "torch==" in r]
    assert "torch==2.13.0" in runs[torch]
    assert "--index-url https://download.pytorch.org/whl/cpu" in runs[torch]
    (project,) = [i for i, r in enumerate(runs) if "pip install '.[" in r]
    assert torch < project and "-c requirements.lock" in runs[project]
    (model,) = [r for r in runs if "-m intent build-demo" in r]
    out = shlex.split(model)[shlex.split(model).index("--out") + 1]
    assert "--data data/intents" in model
    assert env_of(runtime)["AGENT_ASSIST_MODEL_DIR"] == out
    models = Path(out).parent
    assert ("COPY", f"--from=build {models} {models}") in runtime


def test_the_api_image_runs_offline_as_a_user_with_a_health_check() -> None:
    runtime = stages("Dockerfile")[-1]
    runtime_env = env_of(runtime)
    # the Makefile's exports (what the launcher's API inherits)
    for name, value in re.findall(r"^export (\w+) := (\S+)$", read("Makefile"), re.M):
        assert runtime_env[name] == value, name
    assert runtime_env["HF_HUB_OFFLINE"] == runtime_env["TRANSFORMERS_OFFLINE"] == "1"
    users = [args for word, args in runtime if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert [args for word, args in runtime if word == "EXPOSE"] == [
        runtime_env["AGENT_ASSIST_PORT"]
    ]
    (health,) = [args for word, args in runtime if word == "HEALTHCHECK"]
    assert "/healthz" in health and "curl" not in health


def test_the_actions_image_adds_exactly_what_the_actions_import() -> None:
    instructions = dockerfile("deploy/actions.Dockerfile")
    code = [*BOT_DIR.glob("actions/*.py"), BOT_DIR / "serve_actions.py"]
    needed = third_party_imports(code, local={"actions"}) - {"rasa_sdk"}  # the image's own
    (install,) = [args for word, args in instructions if word == "RUN" and "pip install" in args]
    words = shlex.split(install.split("&&")[0])
    assert words[words.index("-c") + 1] == "/tmp/requirements.lock"
    assert ("COPY", "rasa_bot/requirements.lock /tmp/requirements.lock") in instructions
    added = {w for w in words[words.index("install") + 1 :] if not w.startswith("-")}
    added.discard("/tmp/requirements.lock")
    assert added == needed == {"aiohttp"}
    assert [args for word, args in instructions if word == "USER"][-1] == "1001"  # the image's


def test_rasas_components_need_nothing_beyond_the_official_image() -> None:
    code = [*BOT_DIR.glob("components/*.py"), BOT_DIR / "serve_rasa.py"]
    # requests is a dependency of rasa 3.6 itself, hence in rasa/rasa:3.6.21
    assert third_party_imports(code, local={"components"}) <= {"rasa", "requests"}
    assert lock_version("requests")


def test_rasas_endpoints_are_the_launchers_on_the_compose_services(tmp_path: Path) -> None:
    pg = Postgres(tmp_path, PG_PORT)
    pg.password_file.write_text("${POSTGRES_PASSWORD}\n")  # Rasa reads it from its environment
    launcher = yaml.safe_load(rasa_endpoints(pg, REDIS_PORT))
    launcher["tracker_store"]["url"] = HOSTS["postgres"]
    launcher["lock_store"]["url"] = HOSTS["redis"]
    ours = yaml.safe_load(read("deploy/rasa/endpoints.yml"))
    assert ours == {
        "action_endpoint": {"url": f"http://actions:{ACTIONS_PORT}/webhook"},
        **launcher,
    }
    assert (
        ours["tracker_store"]["type"] == "SQL" and ours["tracker_store"]["dialect"] == "postgresql"
    )
    assert ours["lock_store"]["type"] == "redis" and ours["lock_store"]["db"] == RASA_LOCK_DB
    assert "POSTGRES_PASSWORD" in env("rasa")


def test_postgres_starts_with_both_databases() -> None:
    sql = read("deploy/postgres/init-databases.sql")
    created = set(re.findall(r"^CREATE DATABASE \"?(\w+)\"?;", sql, re.M))
    assert created == {PRODUCT_DB, RASA_DB}
    assert env("postgres")["POSTGRES_USER"] == PG_USER
    (init,) = [v for v in service("postgres")["volumes"] if "/docker-entrypoint-initdb.d/" in v]
    assert init.startswith("./deploy/postgres/init-databases.sql:")


def test_the_build_context_leaves_out_local_state_and_keeps_what_the_images_copy() -> None:
    ignored = [
        line.strip() for line in read(".dockerignore").splitlines() if line and line[0] != "#"
    ]
    for needed in (".venv", "var", ".git", ".env"):
        assert needed in ignored
    assert ".venv*" in ignored  # .venv-rasa too
    copied = [
        source
        for path in ("Dockerfile", "deploy/actions.Dockerfile")
        for word, args in dockerfile(path)
        if word == "COPY" and not args.startswith("--from")
        for source in args.split()[:-1]
    ]
    assert {"api", "data", "requirements.lock", "rasa_bot/requirements.lock"} <= set(copied)
    for path in copied:
        parts = Path(path).parts
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        hits = [p for p in ignored if any(fnmatch.fnmatch(prefix, p) for prefix in prefixes)]
        assert not hits, f"{path} is copied but .dockerignore leaves it out ({hits})"


def has_compose() -> bool:
    if shutil.which("docker") is None:
        return False
    version = ["docker", "compose", "version"]
    return subprocess.run(version, capture_output=True, timeout=30, check=False).returncode == 0


@pytest.mark.integration
def test_docker_compose_accepts_the_file(tmp_path: Path) -> None:
    if not has_compose():
        pytest.skip("no `docker compose` here (none where this test was written)")
    env_file = tmp_path / ".env"
    env_file.write_text(
        "POSTGRES_PASSWORD=p\nAPI_SECRET_KEY=s\nRASA_TOKEN=t\nBOT_SECRET=b\n", encoding="utf-8"
    )
    proc = subprocess.run(
        ["docker", "compose", "--env-file", str(env_file), "-f", str(ROOT / "compose.yaml")]
        + ["config", "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
