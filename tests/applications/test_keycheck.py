"""The keys that guard applicants' data fit the data, or nothing starts: a database restored
without its keys, or beside other keys, stops every command with one line instead of
serving pages that cannot decrypt anything."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core import checks as django_checks
from django.utils import translation

from tests.applications.helpers import apply
from xxgk.applications import keycheck

pytestmark = pytest.mark.django_db


def _errors() -> list[tuple[str, str]]:
    with translation.override("en"):
        return [(m.id, m.msg) for m in keycheck.check_keys_fit_the_data()]


def test_the_keys_in_use_fit_the_data(world):
    apply(world.education)
    assert _errors() == []


def test_no_application_no_key_to_check(world, settings):
    settings.XXGK_FIELD_KEYS = (Fernet.generate_key().decode(),)
    assert _errors() == []


def test_a_field_key_that_cannot_decrypt_the_identities_stops_everything(world, settings):
    for _n in range(2):
        apply(world.education)
    settings.XXGK_FIELD_KEYS = (Fernet.generate_key().decode(),)
    [(code, message)] = _errors()
    assert code == "xxgk.E010"
    assert "field key" in message and "the 2 applications stored" in message
    assert str(settings.KEY_DIR / "field_key") in message


def test_a_lookup_key_that_does_not_reproduce_the_query_codes_stops_everything(world, settings):
    apply(world.education)
    settings.XXGK_LOOKUP_KEY = "not-the-key-the-codes-were-hashed-with"
    [(code, message)] = _errors()
    assert code == "xxgk.E011" and "query codes" in message


def test_a_key_given_in_the_environment_is_named_as_such(world, settings):
    apply(world.education)
    settings.XXGK_FIELD_KEYS = (Fernet.generate_key().decode(),)
    settings.XXGK_KEYS_FROM_ENVIRONMENT = frozenset({"XXGK_FIELD_KEY"})
    [(_code, message)] = _errors()
    assert "the environment variable XXGK_FIELD_KEY" in message


def test_the_check_is_one_of_the_system_checks(world, settings):
    apply(world.education)
    settings.XXGK_FIELD_KEYS = (Fernet.generate_key().decode(),)
    assert "xxgk.E010" in {m.id for m in django_checks.run_checks()}


# ---- Settings never make a key over an existing database -----------------------------------

def _xxgk(var, *args, key_dir=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "XXGK_FIELD_KEY", "XXGK_LOOKUP_KEY", "XXGK_KEY_DIR")}
    env["XXGK_VAR_DIR"] = str(var)
    if key_dir is not None:
        env["XXGK_KEY_DIR"] = str(key_dir)
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_a_missing_key_beside_an_existing_database_is_not_replaced(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    sqlite3.connect(var / "xxgk.sqlite3").execute("CREATE TABLE restored (x)").connection.commit()
    result = _xxgk(var, "check")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "field_key is missing but the database" in result.stderr
    assert not (var / "field_key").exists() and not (var / "lookup_key").exists()


def test_a_new_installation_makes_its_keys_and_its_database_owner_only(tmp_path):
    var = tmp_path / "var"
    assert _xxgk(var, "check").returncode == 0
    for name in ("field_key", "lookup_key", "secret_key", "xxgk.sqlite3"):
        assert (var / name).stat().st_mode & 0o777 == 0o600, name


def test_the_keys_may_live_apart_from_the_data(tmp_path):
    var, keys = tmp_path / "var", tmp_path / "keys"
    assert _xxgk(var, "check", key_dir=keys).returncode == 0
    assert sorted(p.name for p in keys.iterdir()) == ["field_key", "lookup_key", "secret_key"]
    assert keys.stat().st_mode & 0o777 == 0o700
    assert not (var / "field_key").exists()
