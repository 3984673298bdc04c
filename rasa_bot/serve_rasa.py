"""Rasa's command line, with the HTTP API's auth token taken from the environment.

    AGENT_ASSIST_RASA_TOKEN=... ../.venv-rasa/bin/python serve_rasa.py run --enable-api ...

`rasa run --auth-token TOKEN` puts the token on the command line, where any user of the
machine reads it (`ps`, /proc/PID/cmdline). This launcher reads it from
$AGENT_ASSIST_RASA_TOKEN instead, removes it from the environment, and adds
`--auth-token` to the arguments inside the process before it calls Rasa's own entry
point (`rasa.__main__.main`, which parses `sys.argv`); the kernel's copy of the command
line is the one this process was started with, without the token. Everything else is
passed to Rasa as given. `python -m rasa_bot.stack` runs it with the Rasa virtualenv's python
from this directory.
"""

from __future__ import annotations

import os
import sys

TOKEN_ENV = "AGENT_ASSIST_RASA_TOKEN"


def rasa_argv(args: list[str], token: str | None) -> list[str]:
    """Rasa's arguments, with `--auth-token` added when a token is given."""
    if any(a == "--auth-token" or a.startswith("--auth-token=") for a in args):
        raise SystemExit(f"serve_rasa.py: pass the token in ${TOKEN_ENV}, not --auth-token")
    # `--auth-token=T`: a token that starts with "-" (token_urlsafe gives one in 64) would
    # otherwise be read as an option
    return ["rasa", *args] + ([f"--auth-token={token}"] if token else [])


def main() -> None:
    token = os.environ.pop(TOKEN_ENV, None) or None
    sys.argv = rasa_argv(sys.argv[1:], token)
    from rasa.__main__ import main as rasa_main  # heavy: only once the arguments are set

    rasa_main()


if __name__ == "__main__":
    main()
