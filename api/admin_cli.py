"""`python -m api admin ...`: accounts and keys, straight on the database (no running
service and no demo needed), e.g. for a fresh production install:

    python -m api admin bootstrap                       # the first admin key, printed once
    python -m api admin agents create alice --role supervisor   # asks for the password
    python -m api admin agents deactivate|activate|unlock|reset-password alice
    python -m api admin agents list
    python -m api admin agents set-skills alice billing,orders   # "" : every queue
    python -m api admin agents set-limit alice 5                 # "default": the setting
    python -m api admin keys create --name crm --scopes assist,ingest
    python -m api admin keys revoke key_0123456789ab
    python -m api admin keys list

Passwords are read from the terminal (or one line of standard input), never from the
command line, where `ps` would show them. The database is AGENT_ASSIST_HISTORY_URL."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from api.config import get_settings
from api.conversations.priority import QueueWeights
from api.conversations.roster import Roster
from api.conversations.store import ConversationStore
from api.security import AuthService, Role, Scope
from api.storage.schema import open_database


def _password(prompt: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("again: ") != first:
            raise SystemExit("error: the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m api admin", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    sub.add_parser("bootstrap", help="create and print the first admin key (once)")
    agents = sub.add_parser("agents", help="agent accounts").add_subparsers(
        dest="action", required=True
    )
    create = agents.add_parser("create", help="a new agent (password asked)")
    create.add_argument("agent_id")
    create.add_argument("--role", choices=[r.value for r in Role], default="agent")
    create.add_argument("--name", default="", help="display name")
    for action in ("deactivate", "activate", "unlock", "reset-password"):
        agents.add_parser(action).add_argument("agent_id")
    role = agents.add_parser("set-role")
    role.add_argument("agent_id")
    role.add_argument("role", choices=[r.value for r in Role])
    skills = agents.add_parser("set-skills", help="the queues the agent serves (data/queue.yml)")
    skills.add_argument("agent_id")
    skills.add_argument("skills", help='comma-separated queue names; "" for every queue')
    limit = agents.add_parser("set-limit", help="the agent's limit of concurrent chats")
    limit.add_argument("agent_id")
    limit.add_argument("limit", help='0-100, or "default" for AGENT_ASSIST_AGENT_MAX_CHATS')
    agents.add_parser("list")
    keys = sub.add_parser("keys", help="API keys").add_subparsers(dest="action", required=True)
    kc = keys.add_parser("create", help="a new key, printed once")
    kc.add_argument("--name", required=True)
    kc.add_argument(
        "--scopes", required=True, help="comma-separated: assist, ingest, desk, marketing, admin"
    )
    keys.add_parser("revoke").add_argument("key_id")
    keys.add_parser("list")
    return ap


def _routing(args: argparse.Namespace, roster: Roster) -> int:
    """set-skills / set-limit (api/conversations/roster.py)."""
    try:
        if args.action == "set-skills":
            queues = QueueWeights.load(get_settings().queue_weights).skills.queues
            wanted = [q.strip() for q in args.skills.split(",") if q.strip()]
            unknown = sorted(set(wanted) - set(queues))
            if unknown:
                print(
                    f"error: unknown queue(s) {', '.join(unknown)}; the queues are "
                    f"{', '.join(queues)} (data/queue.yml skills)",
                    file=sys.stderr,
                )
                return 2
            roster.set_skills(args.agent_id, wanted)
        else:
            value = None if args.limit == "default" else int(args.limit)
            roster.set_limit(args.agent_id, value)
    except (LookupError, ValueError) as exc:
        print(f"error: {str(exc).strip(chr(39))}", file=sys.stderr)
        return 1
    print(f"{args.action}: {args.agent_id} done")
    return 0


def run(args: argparse.Namespace, auth: AuthService) -> int:
    if args.what == "bootstrap":
        key = auth.bootstrap_admin_key()
        if key is None:
            print(
                "error: an admin key exists already; create more with `keys create`",
                file=sys.stderr,
            )
            return 1
        print(f"admin key (shown once, keep it safe):\n{key}")
        return 0
    if args.what == "keys":
        if args.action == "create":
            try:
                scopes = [Scope(s.strip()) for s in args.scopes.split(",") if s.strip()]
                key = auth.create_api_key(args.name, scopes)
            except ValueError as exc:
                print(
                    f"error: {exc} (scopes: assist, ingest, desk, marketing, admin)",
                    file=sys.stderr,
                )
                return 2
            print(f"{auth.key_id(key)}: {key}  (shown once)")
        elif args.action == "revoke":
            if not auth.revoke_api_key(args.key_id):
                print(f"error: no API key {args.key_id!r}", file=sys.stderr)
                return 1
            print(f"revoked {args.key_id}")
        else:
            for k in auth.api_keys():
                state = "revoked" if k.revoked else "active"
                print(f"{k.id}  {state:8} {','.join(k.scopes):20} {k.name}")
        return 0
    if args.action in ("set-skills", "set-limit"):
        return _routing(args, Roster(auth.engine))
    if args.action == "list":
        for a in auth.agents():
            lock = f" locked until {a.locked_until:%Y-%m-%d %H:%M}" if a.locked_until else ""
            state = "active" if a.active else "inactive"
            print(f"{a.id:20} {a.role.value:10} {state}{lock}  {a.display_name}")
        return 0
    try:
        if args.action == "create":
            if any(a.id == args.agent_id for a in auth.agents()):
                print(f"error: agent {args.agent_id!r} exists (reset-password?)", file=sys.stderr)
                return 1
            auth.create_agent(
                args.agent_id, _password(f"password for {args.agent_id}: "), args.name, args.role
            )
        elif args.action == "reset-password":
            auth.reset_password(args.agent_id, _password(f"new password for {args.agent_id}: "))
        elif args.action == "set-role":
            auth.set_role(args.agent_id, args.role)
        elif args.action == "unlock":
            auth.unlock(args.agent_id)
        else:
            auth.set_active(args.agent_id, args.action == "activate")
    except (LookupError, ValueError) as exc:
        print(f"error: {str(exc).strip(chr(39))}", file=sys.stderr)
        return 1
    print(f"{args.action}: {args.agent_id} done")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    engine = open_database(get_settings().history_url)  # migrates a fresh database
    auth = AuthService(engine, ConversationStore(engine))
    try:
        return run(args, auth)
    finally:
        auth.close()
        engine.dispose()
