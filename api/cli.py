"""`agent-assist`: the console script of an installed package (`pip install agent-assist`).

    agent-assist serve                        # the API (python -m api)
    agent-assist stack                        # API + Rasa + action server, from a checkout
                                              # (python -m rasa_bot.stack)
    agent-assist admin bootstrap|agents|keys  # accounts and keys (python -m api admin)
    agent-assist train|evaluate|predict|calibrate|build-demo ...   # python -m intent
    agent-assist import customers|orders|tickets|events FILE   # CSV or JSON lines
    agent-assist index rebuild|status         # the history index (AGENT_ASSIST_INDEX_DIR)
    agent-assist migrate                      # bring the database schema up to date

Every command reads the same settings (AGENT_ASSIST_*, `.env`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

USAGE = __doc__ or ""


def migrate() -> int:
    from api.config import get_settings
    from api.storage.schema import upgrade

    upgrade(get_settings().history_url)  # the history's tables, then the API's
    print("the database schema is up to date")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command == "serve":
        from api.__main__ import serve

        return serve()
    if command == "admin":
        from api.admin_cli import main as admin

        return admin(rest)
    if command == "stack":
        try:
            from rasa_bot.stack import main as stack
        except ModuleNotFoundError:  # an installed package has the API, not the bot's project
            print(
                "agent-assist stack trains and serves the Rasa bot of a checkout of the "
                "project (rasa_bot/): run `make run` there. An installed package serves the "
                "API alone: agent-assist serve",
                file=sys.stderr,
            )
            return 2
        return stack(rest)
    if command in ("train", "evaluate", "predict", "calibrate", "build-demo"):
        from intent.cli import main as intent

        return intent([command, *rest])
    if command == "migrate":
        return migrate()
    if command == "index":
        from api.index_cli import main as index

        return index(rest)
    if command == "import":
        from api.bulk_import import main as bulk_import

        return bulk_import(rest)
    print(f"unknown command {command!r}\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
