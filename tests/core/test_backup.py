"""`xxgk backup` and `xxgk restore`: a backup restored into a new database finds every
record, file and audit entry, and every identity readable with the keys kept apart; a
restore never goes over data, and a backup without its keys says so."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import uuid

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection

from tests.applications.helpers import ID_NUMBER, apply
from tests.catalog.helpers import published_item
from xxgk.agencies import audit, integrity
from xxgk.applications import pii
from xxgk.applications.models import ApplicantIdentity
from xxgk.core import backup

pytestmark = pytest.mark.django_db(transaction=True)

CHECK_IDENTITIES = (
    "import django; django.setup(); from xxgk.applications import pii; "
    "from xxgk.applications.models import ApplicantIdentity as I, Application as A, Document as D; "
    "print(sorted(pii.decrypt(i.encrypted).phone for i in I.objects.all()), "
    "sorted(a.applicant_name for a in A.objects.all()), [d.content for d in D.objects.all()])")
# What CHECK_IDENTITIES prints of the district: identities, sealed names and the sealed scan.
READABLE = "['13800000001', '13800000002'] ['张三', '张三'] [b'%PDF-1.4 scan']"


def _xxgk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def _python(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**env, "DJANGO_SETTINGS_MODULE": "xxgk.settings"}, timeout=120)


@pytest.fixture
def district(world):
    apply(world.education, identity=pii.Identity(id_number=ID_NUMBER, phone="13800000001"),
          attachments=(("identity_proof", "id.pdf", "application/pdf", b"%PDF-1.4 scan"),))
    apply(world.education, identity=pii.Identity(id_number=ID_NUMBER, phone="13800000002"))
    published_item(world.education, dt.date(2025, 3, 3), dt.date(2025, 3, 5))
    audit.record("test.backup", actor=world.ogi)
    return world


@pytest.fixture
def target(tmp_path):
    """The environment of a new installation to restore into: a new var dir, and on
    PostgreSQL a new, empty database (dropped afterwards)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("XXGK_FIELD_KEY", "XXGK_LOOKUP_KEY", "SECRET_KEY")}
    env["XXGK_VAR_DIR"] = str(tmp_path / "new-var")
    name = None
    if connection.vendor == "postgresql":
        name = f"xxgk_restore_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
        db = settings.DATABASES["default"]
        env["DATABASE_URL"] = (f"postgres://{db['USER']}@{db['HOST'] or 'localhost'}:"
                               f"{db['PORT'] or 5432}/{name}")
    yield env
    if name is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_a_backup_restores_into_a_new_installation_with_its_keys(district, tmp_path, target):
    written = backup.backup(tmp_path / "backups", tmp_path / "keys")
    manifest = json.loads((written.folder / "manifest.json").read_text())
    assert manifest["counts"]["applications"] == 2 and manifest["counts"]["items"] == 1
    assert manifest["audit_head"] == "{}:{}".format(*integrity.head())
    assert manifest["keys"] == "kept apart"
    for name in ("field_key", "lookup_key", "secret_key"):
        assert (written.keys_folder / name).stat().st_mode & 0o777 == 0o600
        assert not (written.folder / name).exists()  # never beside the data

    env = target
    restored = _xxgk(env, "restore", str(written.folder), "--keys", str(written.keys_folder))
    assert restored.returncode == 0, restored.stderr
    assert "2 applications, 2 identities" in restored.stdout
    assert "The keys fit the data" in restored.stdout and "still holds head" in restored.stdout
    identities = _python(env, CHECK_IDENTITIES)
    assert identities.stdout.strip() == READABLE, identities.stderr
    # A second restore would go over the data: refused.
    again = _xxgk(env, "restore", str(written.folder), "--keys", str(written.keys_folder))
    assert again.returncode == 1 and "not empty" in again.stderr


def test_a_restore_without_the_keys_stops_and_says_the_keys_do_not_fit(district, tmp_path,
                                                                     target):
    written = backup.backup(tmp_path / "backups")
    assert written.keys_folder is None and written.manifest["keys"] == "not copied"
    restored = _xxgk(target, "restore", str(written.folder))
    assert restored.returncode == 1
    assert "keys do not fit" in restored.stderr and "Traceback" not in restored.stderr


def test_a_damaged_or_foreign_backup_is_refused_before_anything_is_written(district, tmp_path,
                                                                          target):
    written = backup.backup(tmp_path / "backups", tmp_path / "keys")
    database = written.folder / written.manifest["database"]
    with database.open("ab") as f:
        f.write(b"tampered")
    env = target
    refused = _xxgk(env, "restore", str(written.folder), "--keys", str(written.keys_folder))
    assert refused.returncode == 1 and "not the file the backup wrote" in refused.stderr
    assert _xxgk(env, "restore", str(tmp_path), "--keys", str(written.keys_folder)
                 ).stderr.count("not an xxgk backup") == 1


def test_the_keys_never_go_into_the_data_folder(district, tmp_path):
    with pytest.raises(backup.BackupError, match="another folder"):
        backup.backup(tmp_path / "same", tmp_path / "same")


def test_every_counted_table_exists():
    assert set(backup.counts()) == {label for label, _table in backup.COUNTED}


@pytest.mark.skipif("os.environ.get('DATABASE_URL', '').startswith('postgres')")
def test_the_sqlite_copy_is_a_database_in_its_own_right(district, tmp_path):
    written = backup.backup(tmp_path / "backups")
    copy = sqlite3.connect(written.folder / "database.sqlite3")
    assert copy.execute("SELECT COUNT(*) FROM applications_application").fetchone()[0] == 2


def test_a_backup_made_during_a_key_rotation_carries_both_keys(district, tmp_path, target,
                                                               settings):
    new = Fernet.generate_key().decode()
    settings.XXGK_FIELD_KEYS = (new, *settings.XXGK_FIELD_KEYS)
    first = ApplicantIdentity.objects.order_by("pk").first()
    ApplicantIdentity.objects.filter(pk=first.pk).update(
        encrypted=pii.encrypt(pii.decrypt(first.encrypted)))  # under the new key, the other not
    written = backup.backup(tmp_path / "backups", tmp_path / "keys")
    assert (written.keys_folder / "field_key").read_text().split() == list(
        settings.XXGK_FIELD_KEYS)

    restored = _xxgk(target, "restore", str(written.folder), "--keys", str(written.keys_folder))
    assert restored.returncode == 0, restored.stderr
    identities = _python(target, CHECK_IDENTITIES)
    assert identities.stdout.strip() == READABLE, identities.stderr
