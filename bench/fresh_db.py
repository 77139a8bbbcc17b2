"""A fresh, migrated xxgk database for an in-process benchmark, removed afterwards.

    with fresh_database("sqlite" | "postgres", "inbox"):
        ...  # Django is set up; the ORM talks to the new database
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


@contextmanager
def fresh_database(engine: str, label: str) -> Iterator[None]:
    with tempfile.TemporaryDirectory() as var:
        name = f"xxgk_bench_{label}_{os.getpid()}"
        os.environ["XXGK_VAR_DIR"] = var
        os.environ["DJANGO_SETTINGS_MODULE"] = "xxgk.settings"
        if engine == "postgres":
            subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True)
            os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
        try:
            import django

            django.setup()
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            yield
        finally:
            if engine == "postgres":
                from django.db import connections

                connections.close_all()
                subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {name}"],
                               check=True)
