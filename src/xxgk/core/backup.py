"""Backups that restore: the database with its files, and the keys kept apart.

``backup(into, keys_into)`` writes one folder ``xxgk-backup-YYYYMMDD-HHMMSS`` under ``into``:

- ``database.sqlite3`` (SQLite's online backup API: consistent while the site serves) or
  ``database.dump`` (``pg_dump --format=custom``: one consistent snapshot);
- ``media/``, a copy of ``var/media`` when there is one (attachments, letters and report files
  are in the database itself);
- ``manifest.json``: when, which engine, how many rows of what (applications, identities,
  audit entries, items, events) and the audit log's head, which the restore checks.

The keys (``field_key``, ``lookup_key``, ``secret_key``) go to a folder of their own under
``keys_into``, owner-only, never beside the data: whoever holds a copy of the data without
the keys reads no applicant's identity. Without ``keys_into`` the keys are not copied, and
the backup says so.

``restore(backup, keys)`` puts a backup into the database xxgk is configured with, which must
be empty (a restore never merges into or overwrites data), then the keys into ``var/`` (or
says which environment variables to set), and returns the manifest for the caller to check
against what is now there (:func:`counts`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

KEY_FILES = {"XXGK_FIELD_KEY": "field_key", "XXGK_LOOKUP_KEY": "lookup_key",
             "SECRET_KEY": "secret_key"}
MANIFEST = "manifest.json"
# What a manifest counts, as (label, table).
COUNTED = (("applications", "applications_application"),
           ("identities", "applications_applicantidentity"),
           ("events", "applications_applicationevent"),
           ("documents", "applications_document"),
           ("audit_entries", "agencies_auditentry"),
           ("items", "catalog_infoitem"),
           ("attachments", "catalog_attachment"),
           ("reports", "reports_annualreport"),
           ("report_files", "reports_reportfile"),
           ("appeal_documents", "appeals_appealdocument"))


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why, in one line."""


@dataclass(frozen=True)
class Written:
    folder: Path
    keys_folder: Path | None
    manifest: dict[str, Any]


def counts() -> dict[str, int]:
    """The rows of each counted table in the configured database (what a restore must find)."""
    existing = set(connection.introspection.table_names())
    found = {}
    with connection.cursor() as cursor:
        for label, table in COUNTED:
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608  (names above)
                found[label] = cursor.fetchone()[0]
    return found


def _pg_environment() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGDATABASE": db["NAME"], "PGHOST": db.get("HOST") or "localhost",
           "PGPORT": str(db.get("PORT") or 5432), "PGUSER": db.get("USER") or ""}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        # The command is pg_dump or pg_restore with paths of our own; no shell.
        result = subprocess.run(command, env=env, capture_output=True, text=True,  # noqa: S603
                                check=False)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (apt-get install "
                          "postgresql-client)") from None
    if result.returncode != 0:
        first = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[0]
        raise BackupError(f"{command[0]} failed: {first}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def key_text(variable: str) -> str:
    """What a key file holds: the key, or for the field key its whole ring (a backup made
    while a rotation is unfinished holds rows under either key)."""
    if variable == "XXGK_FIELD_KEY":
        return "\n".join(settings.XXGK_FIELD_KEYS)
    return getattr(settings, variable)


def _owner_only_copy(text: str, path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


def backup(into: Path, keys_into: Path | None = None, *,
           now: dt.datetime | None = None) -> Written:
    """Write a backup folder under ``into`` (and the keys under ``keys_into``)."""
    from xxgk.agencies import integrity

    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    folder = into / f"xxgk-backup-{stamp}"
    if keys_into is not None and keys_into.resolve() == into.resolve():
        raise BackupError("the keys go to another folder than the data (--keys-to)")
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        raise BackupError(f"{folder} exists already") from None
    except OSError as error:
        raise BackupError(f"cannot write to {into}: {error.strerror}") from None
    if connection.vendor == "sqlite":
        database = folder / "database.sqlite3"
        target = sqlite3.connect(database)
        try:
            connection.ensure_connection()
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        database = folder / "database.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={database}"],
             _pg_environment())
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        shutil.copytree(media, folder / "media")
    head = integrity.head()
    manifest = {
        "created_at": timezone.now().isoformat(), "engine": connection.vendor,
        "database": database.name, "sha256": _sha256(database), "counts": counts(),
        "audit_head": f"{head[0]}:{head[1]}" if head else None,
        "keys": "kept apart" if keys_into is not None else "not copied",
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    keys_folder = None
    if keys_into is not None:
        keys_folder = keys_into / f"xxgk-keys-{stamp}"
        keys_folder.mkdir(parents=True, mode=0o700)
        for variable, filename in KEY_FILES.items():
            _owner_only_copy(key_text(variable), keys_folder / filename)
    return Written(folder, keys_folder, manifest)


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} is not an xxgk backup (no {MANIFEST})") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise BackupError(f"{folder / MANIFEST} is damaged") from None
    if manifest.get("engine") != connection.vendor:
        raise BackupError(f"the backup is of a {manifest.get('engine')} database; xxgk is "
                          f"configured with {connection.vendor} (DATABASE_URL)")
    database = folder / manifest["database"]
    if not database.is_file() or _sha256(database) != manifest["sha256"]:
        raise BackupError(f"{database} is missing or not the file the backup wrote")
    return manifest


def _is_empty() -> bool:
    """No table at all: a restore brings the whole schema, and never overwrites a row."""
    return not connection.introspection.table_names()


def restore(folder: Path, keys: Path | None = None) -> dict[str, Any]:
    """Put the backup in ``folder`` into the configured, empty database and its keys into
    ``var/``; return its manifest. Nothing is written when anything is refused."""
    manifest = read_manifest(folder)
    key_texts = {}
    if keys is not None:
        for variable, filename in KEY_FILES.items():
            try:
                key_texts[variable] = (keys / filename).read_text().strip()
            except FileNotFoundError:
                raise BackupError(f"{keys / filename} is missing: give the folder the backup "
                                  "wrote the keys to (xxgk-keys-…)") from None
    if not _is_empty():
        raise BackupError("the configured database is not empty: a restore goes into a new, "
                          "empty database (a new DATABASE_URL, or a new XXGK_VAR_DIR), not "
                          "over one, and not after `xxgk migrate`")
    database = folder / manifest["database"]
    if connection.vendor == "sqlite":
        connection.close()
        source = sqlite3.connect(database)
        target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    else:
        _run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction",
              f"--dbname={settings.DATABASES['default']['NAME']}", str(database)],
             _pg_environment())
    if (folder / "media").is_dir():
        shutil.copytree(folder / "media", Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
    for variable, text in key_texts.items():
        if variable in settings.XXGK_KEYS_FROM_ENVIRONMENT:
            continue  # the environment's key is the one used; the caller's check tells
        path = Path(settings.KEY_DIR) / KEY_FILES[variable]
        # The database was empty, so the key file there (made at this start) guards nothing.
        path.unlink(missing_ok=True)
        _owner_only_copy(text, path)
    return manifest
