"""The bot's action server, bound to 127.0.0.1 unless told otherwise.

    cd rasa_bot && ../.venv-rasa/bin/python serve_actions.py --actions actions -p 5055

`rasa run actions` (rasa_sdk 3.6's `endpoint.run`) always listens on 0.0.0.0 (or on
$SANIC_HOST), so every host that can reach this machine could call the actions. This
launcher takes rasa_sdk's own options and adds `-i/--interface` (default
$AGENT_ASSIST_ACTIONS_INTERFACE, else 127.0.0.1), then builds rasa_sdk's app
(`endpoint.create_app`) and serves it there, as `endpoint.run` does otherwise. Run it with
the Rasa virtualenv's python from this directory (so that `actions` is importable);
`python -m rasa_bot.stack` does.

The actions trust a customer id in the message metadata only when the API signed it
with `AGENT_ASSIST_BOT_SECRET` (actions/trust.py); without that secret they ask the API.

Each action call is logged as a JSON line with the request id of the API request whose
turn it serves (actions/turn_log.py); AGENT_ASSIST_LOG_FORMAT=json: every line is JSON.
"""

from __future__ import annotations

import json
import logging
import os
import zlib
from typing import Any

from rasa_sdk import utils
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
from rasa_sdk.endpoint import create_app, create_argument_parser, create_ssl_context
from rasa_sdk.plugin import plugin_manager

from actions import turn_log
from actions.trust import SECRET_ENV, bot_secret

INTERFACE_ENV = "AGENT_ASSIST_ACTIONS_INTERFACE"
DEFAULT_INTERFACE = "127.0.0.1"
log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> None:
    parser = create_argument_parser()  # rasa_sdk's: -p, --actions, --cors, --ssl-*, logging
    parser.prog = "serve_actions.py"
    parser.add_argument(
        "-i",
        "--interface",
        default=os.environ.get(INTERFACE_ENV) or DEFAULT_INTERFACE,
        help=f"address to listen on (default: ${INTERFACE_ENV} or {DEFAULT_INTERFACE})",
    )
    args = parser.parse_args(argv)
    # as rasa_sdk.__main__.main_from_args
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    utils.update_sanic_log_level()
    turn_log.install()
    if not bot_secret():
        log.warning(
            "%s is not set: the actions ignore customer ids in the message metadata and "
            "ask the API for each conversation's customer",
            SECRET_ENV,
        )
    # as rasa_sdk.endpoint.run, on our interface
    app = create_app(args.actions, cors_origins=args.cors, auto_reload=args.auto_reload)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    app.register_middleware(_turn_request_id, "request")
    ssl = create_ssl_context(args.ssl_certificate, args.ssl_keyfile, args.ssl_password)
    log.info("action server on %s://%s:%s", "https" if ssl else "http", args.interface, args.port)
    app.run(args.interface, args.port, ssl=ssl, workers=utils.number_of_sanic_workers())


async def _turn_request_id(request: Any) -> None:
    """Before rasa_sdk's /webhook runs an action: the turn's request id (same task, so
    the action's own log records carry it)."""
    if request.method != "POST" or request.path != "/webhook":
        return
    try:
        body = request.body
        if request.headers.get("Content-Encoding") == "deflate":
            body = zlib.decompress(body)
        action_call = json.loads(body)
    except (ValueError, zlib.error):
        return  # rasa_sdk answers it
    if isinstance(action_call, dict):
        turn_log.action_called(action_call)


if __name__ == "__main__":
    main()
