"""`python -m rasa_bot.stack`: the whole demo on this machine. It trains the Rasa bot if its
inputs changed (cached), then starts the action server (rasa_bot/serve_actions.py, on
127.0.0.1), Rasa (`rasa run --enable-api` through rasa_bot/serve_rasa.py, which takes its
auth token from the environment, never from the command line) and the API
(`python -m api`), waits until each answers, prefixes their logs (with the token and the
bot secret masked), and stops them all on Ctrl-C / SIGTERM or when one of them dies. The
integration tests start the same processes through `Stack`.

Secrets, made per start unless set in the environment: Rasa's token
(AGENT_ASSIST_RASA_TOKEN: Rasa + the API) and the bot secret (AGENT_ASSIST_BOT_SECRET:
the API signs each message's customer id with it, the actions check it).

    python -m rasa_bot.stack                 # train if needed, serve on 8000 (+ 5005, 5055)
    python -m rasa_bot.stack --train-only    # `make bot`
    python -m rasa_bot.stack --no-bot        # the API alone: every turn goes to a person
    python -m rasa_bot.stack --scaled --workers 2   # `make run-scaled`: PostgreSQL, Redis,
                                             # N API workers (rasa_bot/scaled.py)
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
BOT_DIR = ROOT / "rasa_bot"
RASA_VENV = ROOT / ".venv-rasa"
MODEL_DIR = ROOT / "var" / "rasa" / "models"
MODEL_NAME = "bot"
NLU_DATA = ROOT / "data" / "intents" / "nlu.yml"
# what the trained bot depends on (the actions are not part of the model)
BOT_INPUTS = ("config.yml", "domain.yml", "data", "components")
TOKEN_ENV = "AGENT_ASSIST_RASA_TOKEN"  # Rasa's auth token (serve_rasa.py, the API)
SECRET_ENV = "AGENT_ASSIST_BOT_SECRET"  # shared by the API and the action server
MASK = "***"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (for the stack's processes, tests, benches)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class StackError(RuntimeError):
    """A process could not be trained, started or reached; the message says what to do."""


def rasa_bin() -> Path:
    rasa = RASA_VENV / "bin" / "rasa"
    if not rasa.exists():
        raise StackError(f"{rasa} not found: run `make install-rasa` first")
    return rasa


def rasa_python() -> Path:
    python = RASA_VENV / "bin" / "python"
    if not python.exists():
        raise StackError(f"{python} not found: run `make install-rasa` first")
    return python


# What Rasa and the action server get on top of the environment they inherit (rasa_env);
# compose.yaml sets the same (tests/packaging/test_containers.py)
RASA_SETTINGS = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
    "OMP_NUM_THREADS": "1",
}
# Rasa's training cache, out of the source tree (default: ./.rasa/cache)
RASA_CACHE_ENV = "RASA_CACHE_DIRECTORY"


def rasa_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)
    env.update(RASA_SETTINGS)
    env[RASA_CACHE_ENV] = str(ROOT / "var" / "rasa" / "cache")
    env.update(extra or {})
    return env


# The processes' command lines and the variables each one is given, as pure functions:
# `Stack` starts them with these, and the container files are checked against them
# (tests/packaging/test_containers.py).


def rasa_train_command(rasa: str, model_dir: str, nlu_data: str) -> list[str]:
    """`rasa train` of the bot, run from rasa_bot/ (`train_bot`)."""
    return [
        rasa,
        "train",
        "--data",
        "data",
        nlu_data,
        "--domain",
        "domain.yml",
        "--config",
        "config.yml",
        "--out",
        model_dir,
        "--fixed-model-name",
        MODEL_NAME,
    ]


def actions_command(python: str, port: int, interface: str = "127.0.0.1") -> list[str]:
    """The action server (serve_actions.py), run from rasa_bot/."""
    cmd = [python, "serve_actions.py", "--actions", "actions"]
    return cmd + ["--interface", interface, "-p", str(port)]


def rasa_command(
    python: str, port: int, model: str, endpoints: str, interface: str = "127.0.0.1"
) -> list[str]:
    """Rasa's server (serve_rasa.py: the token comes from TOKEN_ENV), run from rasa_bot/."""
    return [
        python,
        "serve_rasa.py",
        "run",
        "--enable-api",
        "-i",
        interface,
        "-p",
        str(port),
        "--model",
        model,
        "--endpoints",
        endpoints,
        "--credentials",
        "credentials.yml",
    ]


def api_command(python: str, workers: int) -> list[str]:
    """The API (`python -m api`, with `--workers N` when there are several)."""
    return [python, "-m", "api"] + (["--workers", str(workers)] if workers > 1 else [])


def actions_vars(api_url: str, bot_key: str, bot_secret: str) -> dict[str, str]:
    """The action server's variables besides RASA_SETTINGS (never Rasa's token)."""
    return {"AGENT_ASSIST_URL": api_url, "AGENT_ASSIST_BOT_KEY": bot_key, SECRET_ENV: bot_secret}


def rasa_vars(api_url: str, bot_key: str, token: str) -> dict[str, str]:
    """Rasa's variables besides RASA_SETTINGS (never the bot secret); serve_rasa.py turns
    TOKEN_ENV into --auth-token inside the process."""
    return {"AGENT_ASSIST_URL": api_url, "AGENT_ASSIST_BOT_KEY": bot_key, TOKEN_ENV: token}


def api_vars(host: str, port: int, rasa_url: str, token: str, bot_secret: str) -> dict[str, str]:
    """The API's variables (Stack adds its `env`, e.g. scaled.scaled_api_vars)."""
    return {
        "AGENT_ASSIST_HOST": host,
        "AGENT_ASSIST_PORT": str(port),
        "AGENT_ASSIST_RASA_URL": rasa_url,
        TOKEN_ENV: token,
        SECRET_ENV: bot_secret,
    }


def _files(paths: list[Path]) -> Iterator[Path]:
    for p in paths:
        if p.is_dir():
            yield from sorted(
                f for f in p.rglob("*") if f.is_file() and "__pycache__" not in f.parts
            )
        elif p.is_file():
            yield p


def bot_inputs_hash() -> str:
    """sha256 of the bot's config, domain, stories / rules, NLU component, the intent data
    and the installed Rasa version."""
    h = hashlib.sha256()
    for f in _files([BOT_DIR / name for name in BOT_INPUTS] + [NLU_DATA]):
        h.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes() + b"\0")
    versions = sorted(p.name for p in RASA_VENV.glob("lib/python*/site-packages/rasa-*.dist-info"))
    h.update(" ".join(versions).encode())
    return h.hexdigest()[:16]


def train_bot(force: bool = False, model_dir: Path = MODEL_DIR) -> Path:
    """The trained bot, reused when its inputs' hash is unchanged. Returns the .tar.gz."""
    model = model_dir / f"{MODEL_NAME}.tar.gz"
    stamp = model_dir / f"{MODEL_NAME}.json"
    digest = bot_inputs_hash()
    if not force and model.exists() and stamp.exists():
        try:
            if json.loads(stamp.read_text())["inputs"] == digest:
                return model
        except (ValueError, KeyError):
            pass
    model_dir.mkdir(parents=True, exist_ok=True)
    cmd = rasa_train_command(str(rasa_bin()), str(model_dir), str(NLU_DATA))
    print(f"training the bot ({model}) ...", flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=BOT_DIR, env=rasa_env(), capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - t0
    if proc.returncode != 0 or not model.exists():
        raise StackError(
            f"rasa train failed (exit {proc.returncode}):\n{(proc.stdout + proc.stderr)[-3000:]}"
        )
    stamp.write_text(json.dumps({"inputs": digest, "train_s": round(seconds, 1)}, indent=1))
    print(f"bot trained in {seconds:.1f} s", flush=True)
    return model


def answers(url: str, timeout_s: float = 2.0) -> bool:
    """True when a GET of `url` answers 200. Plain http.client rather than httpx: httpx
    logs every request's URL, and Rasa's health URL carries its token."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname or "127.0.0.1", u.port, timeout=timeout_s)
    try:
        conn.request("GET", u.path + (f"?{u.query}" if u.query else ""))
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def mask(text: str, secrets_: list[str]) -> str:
    """`text` with every secret replaced by ***."""
    for secret in secrets_:
        if secret:
            text = text.replace(secret, MASK)
    return text


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    health_url: str = field(repr=False)  # may carry a token
    thread: threading.Thread | None = None


@dataclass
class Stack:
    """API + Rasa + action server on 127.0.0.1. `env` is added to the API's environment
    (e.g. AGENT_ASSIST_HISTORY_URL); `log` receives every line, prefixed with its
    process's name, with the token and the bot secret masked. `token` (Rasa's) and
    `bot_secret` are new random values unless given or set in the environment. `workers`:
    the API's worker processes behind its port (more than one needs a shared database and
    Redis in `env`); `endpoints` is added to Rasa's endpoints file (e.g. its tracker store
    and lock store: rasa_bot/scaled.py)."""

    api_port: int = 8000
    rasa_port: int = 5005
    actions_port: int = 5055
    bot: bool = True
    env: dict[str, str] = field(default_factory=dict)
    log: IO[str] = field(default_factory=lambda: sys.stdout)
    token: str = field(default="", repr=False)
    bot_secret: str = field(default="", repr=False)
    workers: int = 1
    endpoints: str = field(default="", repr=False)  # YAML; may carry a password
    procs: dict[str, Proc] = field(default_factory=dict)
    _endpoints: Path | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.token = self._secret(self.token, TOKEN_ENV, 24)
        self.bot_secret = self._secret(self.bot_secret, SECRET_ENV, 32)

    def _secret(self, given: str, env_name: str, nbytes: int) -> str:
        return (
            given
            or self.env.get(env_name)
            or os.environ.get(env_name)
            or secrets.token_urlsafe(nbytes)
        )

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def bot_key(self) -> str:
        return (
            self.env.get("AGENT_ASSIST_BOT_KEY")
            or os.environ.get("AGENT_ASSIST_BOT_KEY")
            or self.env.get("AGENT_ASSIST_DEMO_API_KEY")
            or os.environ.get("AGENT_ASSIST_DEMO_API_KEY")
            or "demo-assist-key"
        )

    def _spawn(
        self, name: str, cmd: list[str], cwd: Path, env: dict[str, str], health: str
    ) -> None:
        popen = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a whole
        )
        proc = Proc(name, popen, health)
        proc.thread = threading.Thread(target=self._pump, args=(proc,), daemon=True)
        proc.thread.start()
        self.procs[name] = proc

    def _pump(self, proc: Proc) -> None:
        assert proc.popen.stdout is not None
        for raw in proc.popen.stdout:
            line = raw.decode("utf-8", "replace").rstrip()
            if line:
                line = mask(line, [self.token, self.bot_secret])
                self.log.write(f"[{proc.name}] {line}\n")
                self.log.flush()

    def start_actions(self) -> None:
        env = rasa_env(actions_vars(self.api_url, self.bot_key, self.bot_secret))
        env.pop(TOKEN_ENV, None)  # the actions never call Rasa
        cmd = actions_command(str(rasa_python()), self.actions_port)
        health = f"http://127.0.0.1:{self.actions_port}/health"
        self._spawn("actions", cmd, BOT_DIR, env, health)

    def start_rasa(self, model: Path) -> None:
        endpoints = model.parent / f"endpoints-{self.actions_port}.yml"  # removed by stop()
        self._endpoints = endpoints
        endpoints.touch(mode=0o600)  # before the text: it may carry a database password
        endpoints.chmod(0o600)
        endpoints.write_text(
            f"action_endpoint:\n  url: http://127.0.0.1:{self.actions_port}/webhook\n"
            + self.endpoints
        )
        env = rasa_env(rasa_vars(self.api_url, self.bot_key, self.token))
        env.pop(SECRET_ENV, None)  # Rasa never needs it
        cmd = rasa_command(str(rasa_python()), self.rasa_port, str(model), str(endpoints))
        health = f"{self.rasa_url}/status?token={self.token}"
        self._spawn("rasa", cmd, BOT_DIR, env, health)

    def start_api(self) -> None:
        env = dict(os.environ)
        rasa_url = self.rasa_url if self.bot else ""
        env.update(api_vars("127.0.0.1", self.api_port, rasa_url, self.token, self.bot_secret))
        env.update(self.env)
        cmd = api_command(sys.executable, self.workers)
        self._spawn("api", cmd, ROOT, env, f"{self.api_url}/healthz")

    def start(self, model: Path | None = None, timeout_s: float = 240.0) -> Stack:
        """Start everything and wait until each process answers (StackError if one dies
        or does not answer within `timeout_s`)."""
        try:
            if self.bot:
                self.start_actions()
                self.start_rasa(model or train_bot())
            self.start_api()
            self.wait_ready(timeout_s)
        except BaseException:
            self.stop()
            raise
        return self

    def wait_ready(self, timeout_s: float, names: list[str] | None = None) -> None:
        deadline = time.monotonic() + timeout_s
        pending = list(names or self.procs)
        while pending:
            for name in list(pending):
                proc = self.procs[name]
                if proc.popen.poll() is not None:
                    raise StackError(
                        f"{name} exited with {proc.popen.returncode} while starting "
                        "(see its log lines above)"
                    )
                if answers(proc.health_url):
                    pending.remove(name)
                    self.log.write(f"[stack] {name} ready\n")
            if pending and time.monotonic() > deadline:
                raise StackError(f"not ready after {timeout_s:.0f} s: {', '.join(pending)}")
            if pending:
                time.sleep(0.5)

    def stop_one(self, name: str, grace_s: float = 10.0) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.popen.poll() is not None:
            return
        try:
            os.killpg(proc.popen.pid, signal.SIGTERM)
            proc.popen.wait(grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.popen.pid, signal.SIGKILL)
            proc.popen.wait()
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        for name in ("api", "rasa", "actions"):
            self.stop_one(name)
        if self._endpoints is not None:
            self._endpoints.unlink(missing_ok=True)

    def dead(self) -> list[str]:
        return [n for n, p in self.procs.items() if p.popen.poll() is not None]

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def supervise(stack: Stack) -> int:
    """Until one of the stack's processes dies (1); Ctrl-C / SIGTERM: KeyboardInterrupt."""
    while True:
        time.sleep(1.0)
        if stack.dead():
            print(f"[stack] {', '.join(stack.dead())} stopped: stopping all", flush=True)
            return 1


def serve(start: Callable[[], Stack], summary: Callable[[], str], stop: Callable[[], None]) -> int:
    """`start` the processes, print `summary()`, and supervise them until one dies (1) or
    Ctrl-C / SIGTERM (0); a StackError (a process that does not come up) is 2. `stop` runs
    whatever happened."""
    try:
        stack = start()
        print(summary(), flush=True)
        return supervise(stack)
    except KeyboardInterrupt:
        print("[stack] stopping", flush=True)
        return 0
    except StackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m rasa_bot.stack", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--api-port", type=int, default=int(os.environ.get("AGENT_ASSIST_PORT", 8000)))
    ap.add_argument("--rasa-port", type=int, default=5005)
    ap.add_argument("--actions-port", type=int, default=5055)
    ap.add_argument("--no-bot", action="store_true", help="the API alone, no Rasa")
    ap.add_argument("--train-only", action="store_true", help="train the bot (if needed), exit")
    ap.add_argument("--retrain", action="store_true", help="train even if the cache is fresh")
    scaled = ap.add_argument_group("scaled deployment (rasa_bot/scaled.py)")
    scaled.add_argument(
        "--scaled",
        action="store_true",
        help="PostgreSQL + Redis (started here unless running) and N API workers",
    )
    scaled.add_argument("--workers", type=int, default=2, help="API worker processes (2)")
    scaled.add_argument(
        "--pg-port", type=int, default=int(os.environ.get("PG_PORT", 5433)), help="(5433)"
    )
    scaled.add_argument(
        "--redis-port", type=int, default=int(os.environ.get("REDIS_PORT", 6380)), help="(6380)"
    )
    a = ap.parse_args(argv)
    if a.workers < 1:
        ap.error("--workers needs at least 1")

    def _interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if a.scaled and not a.train_only:
        from rasa_bot import scaled as scaled_mode

        signal.signal(signal.SIGTERM, _interrupt)
        return scaled_mode.main(a, serve)
    try:
        model = None if a.no_bot else train_bot(force=a.retrain)
        if a.train_only:
            print(f"bot model: {model}")
            return 0
        stack = Stack(a.api_port, a.rasa_port, a.actions_port, bot=not a.no_bot)
    except StackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    signal.signal(signal.SIGTERM, _interrupt)
    bot = f"Rasa on {stack.rasa_url}, actions on :{a.actions_port}" if model else "none"
    return serve(
        lambda: stack.start(model),
        lambda: f"[stack] serving on {stack.api_url}  (docs: /docs; bot: {bot})",
        stack.stop,
    )


if __name__ == "__main__":
    sys.exit(main())
