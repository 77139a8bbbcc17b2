"""`xxgk rotate-keys`: every row re-encrypted under a new field key and the old key gone; a
rotation stopped halfway leaves every row readable and the next run finishes it; the keyed
hash of the applicant follows the key; the command's refusals are one line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet, InvalidToken

from tests.appeals.helpers import PDF, case
from tests.applications.helpers import ID_NUMBER, apply
from xxgk.appeals import actions as appeal_actions
from xxgk.appeals.models import AppealDocument
from xxgk.applications import inbox, pii, rotation
from xxgk.applications.models import ApplicantIdentity, Application, Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_dir(settings, tmp_path):
    """A key file of the test's own, holding the key the world's rows are written under."""
    settings.KEY_DIR = tmp_path
    rotation.write_key_file(tuple(settings.XXGK_FIELD_KEYS), tmp_path / "field_key")
    return tmp_path


def _file_keys(key_dir) -> tuple[str, ...]:
    return tuple((key_dir / "field_key").read_text().split())


def _readable_by(key: str) -> list[bool]:
    fernet = Fernet(key.encode())
    readable = []
    for token in ApplicantIdentity.objects.order_by("pk").values_list("encrypted", flat=True):
        try:
            fernet.decrypt(bytes(token))
            readable.append(True)
        except InvalidToken:
            readable.append(False)
    return readable


def test_a_rotation_reencrypts_every_row_and_retires_the_old_key(world, key_dir, settings):
    for phone in ("13800000001", "13800000002", "13800000003"):
        apply(world.education, identity=pii.Identity(id_number=ID_NUMBER, phone=phone))
    [old] = settings.XXGK_FIELD_KEYS
    rows = rotation.total()

    rotated = rotation.rotate()

    [new] = _file_keys(key_dir)
    assert new != old and tuple(settings.XXGK_FIELD_KEYS) == (new,)
    assert rows == 6  # three identities, three names
    assert rotated == rotation.Rotated(rows=rows, resumed=False, retired=1)
    assert _readable_by(new) == [True] * 3 and _readable_by(old) == [False] * 3
    assert sorted(pii.decrypt(t).phone for t in
                  ApplicantIdentity.objects.values_list("encrypted", flat=True)) == [
        "13800000001", "13800000002", "13800000003"]
    assert (key_dir / "field_key").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in key_dir.iterdir()] == ["field_key"]


def test_the_applicants_keyed_hash_follows_the_new_key(world, key_dir):
    first, _ = apply(world.education)
    second, _ = apply(world.education)
    other, _ = apply(world.education, identity=pii.Identity(id_number="110101199003077777"))
    before = first.applicant_key

    rotation.rotate()

    keys = dict(Application.objects.values_list("pk", "applicant_key"))
    assert keys[first.pk] == keys[second.pk] == pii.applicant_key("resident_id", ID_NUMBER)
    assert keys[first.pk] != before and keys[other.pk] != keys[first.pk]
    assert inbox.month_ordinal(Application.objects.get(pk=second.pk)) == 2


def test_names_their_index_and_files_follow_the_new_key(world, key_dir, settings):
    application, _ = apply(world.education, applicant_name="李 雷",
                           attachments=((Document.Kind.IDENTITY_PROOF, "id.pdf",
                                         "application/pdf", b"%PDF-1.4 scan"),))
    [old] = settings.XXGK_FIELD_KEYS

    rotation.rotate()

    stored = Application.objects.get(pk=application.pk)
    document = Document.objects.get(application=application)
    for token in (stored.applicant_name_sealed, document.sealed):
        with pytest.raises(InvalidToken):
            Fernet(old.encode()).decrypt(bytes(token))
    assert stored.applicant_name == "李 雷" and document.content == b"%PDF-1.4 scan"
    assert stored.applicant_name_index == pii.name_index("李雷") != application.applicant_name_index
    assert rotation.still_under_old_keys(settings.XXGK_FIELD_KEYS[0]) == 0


def test_an_appeals_files_follow_the_new_key(world, key_dir, settings):
    recorded = case(world.education, documents=[appeal_actions.Upload("复议申请书.pdf", PDF)])
    [old] = settings.XXGK_FIELD_KEYS

    rotation.rotate()

    document = AppealDocument.objects.get(case=recorded)
    with pytest.raises(InvalidToken):
        Fernet(old.encode()).decrypt(bytes(document.sealed))
    assert document.content == PDF


def _interrupted(monkeypatch, calls_before_crash: int) -> None:
    """A rotation that dies in the middle of its second batch."""
    monkeypatch.setattr(rotation, "BATCH", 2)
    real, calls = pii.applicant_key, []

    def dying(*args, **kwargs):
        calls.append(1)
        if len(calls) > calls_before_crash:
            raise RuntimeError("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(pii, "applicant_key", dying)
    with pytest.raises(RuntimeError, match="killed"):
        rotation.rotate()
    monkeypatch.setattr(pii, "applicant_key", real)


def test_a_rotation_stopped_halfway_leaves_every_row_readable_and_a_rerun_finishes_it(
        world, key_dir, settings, monkeypatch):
    applications = [apply(world.education)[0] for _n in range(5)]
    [old] = settings.XXGK_FIELD_KEYS

    _interrupted(monkeypatch, calls_before_crash=3)

    new, kept = _file_keys(key_dir)
    assert kept == old and tuple(settings.XXGK_FIELD_KEYS) == (new, old)
    # The first batch was committed, the second rolled back whole.
    assert _readable_by(new) == [True, True, False, False, False]
    assert all(pii.decrypt(t, (new, old)).id_number == ID_NUMBER
               for t in ApplicantIdentity.objects.values_list("encrypted", flat=True))
    # Meanwhile the applicant is still one applicant, whichever key hashed each application.
    last = Application.objects.get(pk=applications[-1].pk)
    assert inbox.month_ordinal(last) == 5

    rotated = rotation.rotate()

    assert rotated.resumed and rotated.rows == rotation.total() and _file_keys(key_dir) == (new,)
    assert _readable_by(new) == [True] * 5
    assert len(set(Application.objects.values_list("applicant_key", flat=True))) == 1


def test_a_row_written_under_the_old_key_alone_keeps_the_old_key(world, key_dir, settings,
                                                                  monkeypatch):
    apply(world.education)
    [old] = settings.XXGK_FIELD_KEYS
    real = rotation.reencrypt

    def with_an_old_server_writing(keys, progress=None):
        done = real(keys, progress)
        # What an app server started before the rotation would write meanwhile.
        record = ApplicantIdentity.objects.get()
        ApplicantIdentity.objects.filter(pk=record.pk).update(
            encrypted=pii.encrypt(pii.decrypt(record.encrypted), (old,)))
        return done

    monkeypatch.setattr(rotation, "reencrypt", with_an_old_server_writing)
    with pytest.raises(rotation.RotationError, match="1 row.*under an old key"):
        rotation.rotate()
    assert _file_keys(key_dir)[1:] == (old,)


def test_a_key_from_the_environment_is_rotated_once_the_operator_puts_a_new_one_first(
        world, key_dir, settings):
    apply(world.education)
    [old] = settings.XXGK_FIELD_KEYS
    settings.XXGK_KEYS_FROM_ENVIRONMENT = frozenset({"XXGK_FIELD_KEY"})
    with pytest.raises(rotation.RotationError, match="comes from the environment"):
        rotation.rotate()
    new = Fernet.generate_key().decode()
    settings.XXGK_FIELD_KEYS = (new, old)

    assert rotation.rotate() == rotation.Rotated(rows=2, resumed=True, retired=0)
    assert _readable_by(new) == [True]
    assert _file_keys(key_dir) == (old,)  # the file is not the key in use: left alone


# ---- The command ---------------------------------------------------------------------------

def _xxgk(var, *args, **env_overrides):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "XXGK_FIELD_KEY", "XXGK_LOOKUP_KEY", "XXGK_KEY_DIR")}
    env.update(XXGK_VAR_DIR=str(var), **env_overrides)
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def test_the_command_rotates_and_refuses_in_one_line(tmp_path):
    var = tmp_path / "var"
    assert _xxgk(var, "migrate", "-v", "0").returncode == 0
    old = (var / "field_key").read_text().strip()

    done = _xxgk(var, "rotate-keys")

    assert done.returncode == 0, done.stderr
    assert "Rotated the field key: 0 row(s)" in done.stdout and "Retired 1 old key" in done.stdout
    assert (var / "field_key").read_text().strip() not in ("", old)

    refused = _xxgk(var, "rotate-keys", XXGK_FIELD_KEY=old)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.count("\n") == 1 and "comes from the environment" in refused.stderr
