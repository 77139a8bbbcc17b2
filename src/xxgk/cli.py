"""The ``xxgk`` console command: Django's management commands behind one clear front.

Why not plain ``django-admin``: users of a fresh install should see xxgk's own
subcommands first, and bad input (an unknown subcommand, a wrong ``DATABASE_URL``, an
unreachable database) must end in one clear line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

# The subcommands a user of xxgk needs, in the order --help lists them. Every other Django
# management command works too (``xxgk help --all`` lists them).
SUBCOMMANDS: dict[str, str] = {
    "serve": "serve the site on http://127.0.0.1:8000 (gunicorn; --dev for autoreload)",
    "migrate": "create or upgrade the database tables",
    "worker": "run the background jobs (letters, emails, daily reminders); `serve` starts one",
    "demo": "build the demo district (idempotent; --if-empty skips a populated database)",
    "clock": "compute an application's statutory due date and explain it",
    "fee": "the processing fee of the K-th application in a month (--nth) or of N pages (--pages)",
    "report": "an annual report as html|docx|pdf|xlsx|json (--year, --format), or `report parse FILE`",
    "remind": "email each agency the applications due within N working days or overdue",
    "retention": "erase identity data of applications closed XXGK_RETENTION_YEARS ago (--dry-run)",
    "backup": "back up the database and its files into DIR, the keys apart (--keys-to KEYDIR)",
    "restore": "restore a backup into a new, empty database, with its keys, and check it",
    "rotate-keys": "re-encrypt applicants' data under a new field key, then retire the old one",
    "audit": "verify the audit log's chain (`audit verify`), print its head, restore its triggers",
    "login": "unlock an account locked by failed logins, or reset its second factor (lost phone)",
    "createsuperuser": "create the first account, a superuser, who appoints the security duties",
    "changepassword": "set an account's password at the terminal (the policy applies; audited)",
    "check": "check the installation for problems",
    "shell": "a Python shell with the project loaded",
}

EXIT_USAGE = 2
EXIT_FAILURE = 1


def _usage() -> str:
    width = max(len(name) for name in SUBCOMMANDS)
    lines = [
        "usage: xxgk SUBCOMMAND [options]",
        "",
        "xxgk (信息公开): the open-government-information platform.",
        "",
        "subcommands:",
        *(f"  {name.ljust(width)}  {text}" for name, text in SUBCOMMANDS.items()),
        "",
        "`xxgk SUBCOMMAND --help` describes one; `xxgk help --all` lists every command.",
        "Settings come from the environment: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS.",
    ]
    return "\n".join(lines)


def _fail(message: str, code: int = EXIT_FAILURE) -> int:
    print(f"xxgk: {message}", file=sys.stderr)
    return code


def _redacted_database() -> str:
    """The database in use, for error messages, without any password."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite file {db['NAME']}"
    return f"PostgreSQL database {db.get('NAME')!r} on {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"} or args == ["help"]:
        print(_usage())
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xxgk.settings")

    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import ManagementUtility, get_commands
    from django.db import DatabaseError, InterfaceError

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        return _fail(f"configuration error: {exc}")

    # Django names commands after modules, which cannot hold a hyphen.
    if args[0] in SUBCOMMANDS and "-" in args[0]:
        args[0] = args[0].replace("-", "_")
    name = args[0]
    if name != "help" and name not in get_commands():
        return _fail(f"unknown subcommand {name!r}; `xxgk --help` lists them", EXIT_USAGE)
    try:
        ManagementUtility(["xxgk", *args]).execute()
    except (DatabaseError, InterfaceError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return _fail(f"cannot use the {_redacted_database()}: {first_line}")
    except ImproperlyConfigured as exc:
        return _fail(f"configuration error: {exc}")
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_FAILURE
    return 0


if __name__ == "__main__":
    sys.exit(main())
