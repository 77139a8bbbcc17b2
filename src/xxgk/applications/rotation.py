"""Key rotation: everything under the field key re-encrypted under a new one, crash-safe.

Under the field key are the applicants' identities, their names and every stored file of an
application or an appeal
(:data:`SEALED`), and two keyed hashes: the applicant's (``applicant_key``) and the name's
blind index, which a rotation recomputes under the new key.

``xxgk rotate-keys`` runs :func:`rotate` in three steps, each of which leaves every row
readable if the process dies after it:

1. **Begin**: a new key is put in front of the key file (``field_key`` in ``KEY_DIR``,
   replaced atomically, owner-only). From then on the ring is *new, old*: the new key
   encrypts, both decrypt (``pii.ring``), in this process and in every process started later.
2. **Re-encrypt**: the rows are re-encrypted under the new key in batches of :data:`BATCH`
   (files :data:`FILE_BATCH`), one transaction each, and the keyed hashes recomputed. A stop
   halfway leaves some rows under the old key, which the ring still reads.
3. **Retire**: only when every row decrypts under the new key alone is the key file
   rewritten with the new key only.

A key file that holds more than one key is a rotation not finished: the next run re-encrypts
under its first key, without making another, and finishes. When the key comes from the
environment (``XXGK_FIELD_KEY``) this module cannot write it: the operator puts the new key
first in the variable, runs the command, then leaves the new key alone in it.

The app servers and workers read the key ring when they start: they are stopped during a
rotation (a server still running with the old ring alone would write rows the retirement
then refuses to orphan, see :func:`rotate`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from xxgk.appeals.models import AppealDocument

from . import pii
from .models import ApplicantIdentity, Application, Document

BATCH = 500
FILE_BATCH = 20
KEY_FILE = "field_key"
VARIABLE = "XXGK_FIELD_KEY"


class RotationError(Exception):
    """A rotation that cannot be done or finished; the message says why, in one line."""


@dataclass(frozen=True)
class Rotated:
    rows: int  # re-encrypted
    resumed: bool  # an unfinished rotation was finished rather than a new one begun
    retired: int  # old keys removed from the key file (0 when the key is in the environment)


def _key_path() -> Path:
    return Path(settings.KEY_DIR) / KEY_FILE


def _from_environment() -> bool:
    return VARIABLE in settings.XXGK_KEYS_FROM_ENVIRONMENT


def write_key_file(keys: tuple[str, ...], path: Path) -> None:
    """Replace the key file with ``keys`` at once: a crash leaves the old file or the new
    one, never half of either, and never a moment in which another user could read it."""
    temporary = path.with_name(f".{path.name}.new")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(keys) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _use(keys: tuple[str, ...]) -> None:
    # This process started with the ring it is replacing; from here on it must read and
    # write under the ring it wrote, as every process started later will.
    settings.XXGK_FIELD_KEYS = keys


def begin() -> tuple[tuple[str, ...], bool]:
    """The ring to rotate under (new key first) and whether it is an unfinished rotation's."""
    keys = tuple(settings.XXGK_FIELD_KEYS)
    if len(keys) > 1:
        return keys, True
    if _from_environment():
        raise RotationError(
            f"{VARIABLE} comes from the environment, which xxgk cannot rewrite: set it to a new "
            "key followed by the current one (XXGK_FIELD_KEY=\"NEW CURRENT\") and run "
            "rotate-keys again")
    keys = (Fernet.generate_key().decode(), *keys)
    write_key_file(keys, _key_path())
    _use(keys)
    return keys, False


def _identity(record: ApplicantIdentity, keys: tuple[str, ...]) -> None:
    identity = pii.decrypt(record.encrypted, keys)
    ApplicantIdentity.objects.filter(pk=record.pk).update(encrypted=pii.encrypt(identity, keys))
    Application.objects.filter(pk=record.application_id).update(
        applicant_key=pii.applicant_key(record.id_document_type, identity.id_number, keys[0]))


def _name(application: Application, keys: tuple[str, ...]) -> None:
    name = pii.unseal(application.applicant_name_sealed, keys)
    Application.objects.filter(pk=application.pk).update(
        applicant_name_sealed=pii.seal(name, keys),
        applicant_name_index=pii.name_index(name.decode(), keys[0]))


def _file(model: type[Document] | type[AppealDocument]
          ) -> Callable[[Any, tuple[str, ...]], None]:
    """Re-encrypts a stored file of ``model`` (an application's or an appeal's)."""
    def reencrypt(document: Any, keys: tuple[str, ...]) -> None:
        model.objects.filter(pk=document.pk).update(
            sealed=pii.seal(pii.unseal(document.sealed, keys), keys))
    return reencrypt


@dataclass(frozen=True)
class _Sealed:
    """One kind of row under the field key: which rows, which column, how to re-encrypt."""

    rows: Callable[[], QuerySet]
    column: str
    reencrypt: Callable[[Any, tuple[str, ...]], None]
    files: bool = False  # up to 5 MB a row: smaller batches


SEALED = (
    _Sealed(lambda: ApplicantIdentity.objects.only("pk", "application_id", "id_document_type",
                                                   "encrypted"), "encrypted", _identity),
    # An erased name is an empty column: nothing to re-encrypt.
    _Sealed(lambda: Application.objects.exclude(applicant_name_sealed=b"")
            .only("pk", "applicant_name_sealed"), "applicant_name_sealed", _name),
    _Sealed(lambda: Document.objects.only("pk", "sealed"), "sealed", _file(Document),
            files=True),
    _Sealed(lambda: AppealDocument.objects.only("pk", "sealed"), "sealed",
            _file(AppealDocument), files=True),
)


def _batch(kind: _Sealed) -> int:
    return FILE_BATCH if kind.files else BATCH


def total() -> int:
    """The rows a rotation re-encrypts (what its progress bar counts)."""
    return sum(kind.rows().count() for kind in SEALED)


def reencrypt(keys: tuple[str, ...], progress: Callable[[int], None] | None = None) -> int:
    """Re-encrypt every row under ``keys[0]``, one transaction per batch, recomputing the
    keyed hashes; return how many rows."""
    done = 0
    for kind in SEALED:
        last = 0
        while True:
            with transaction.atomic():
                batch = list(kind.rows().select_for_update().filter(pk__gt=last)
                             .order_by("pk")[:_batch(kind)])
                for row in batch:
                    kind.reencrypt(row, keys)
            if not batch:
                break
            done, last = done + len(batch), batch[-1].pk
            if progress is not None:
                progress(done)
    return done


def still_under_old_keys(new: str) -> int:
    """How many rows the new key alone cannot decrypt."""
    fernet = Fernet(new.encode())
    left = 0
    for kind in SEALED:
        for token in kind.rows().values_list(kind.column, flat=True).iterator(
                chunk_size=_batch(kind)):
            try:
                fernet.decrypt(bytes(token))
            except InvalidToken:
                left += 1
    return left


def retire(keys: tuple[str, ...]) -> int:
    """Leave the new key alone in the key file; return how many old keys went."""
    if _from_environment():
        return 0
    write_key_file(keys[:1], _key_path())
    _use(keys[:1])
    return len(keys) - 1


def rotate(progress: Callable[[int], None] | None = None) -> Rotated:
    """Begin (or resume), re-encrypt, and retire the old keys once nothing needs them."""
    keys, resumed = begin()
    rows = reencrypt(keys, progress)
    left = still_under_old_keys(keys[0])
    if left:
        raise RotationError(
            f"{left} row(s) were written under an old key while rotating (an app server or "
            "worker still running?): stop them and run rotate-keys again; the old key is kept "
            "until then")
    return Rotated(rows, resumed, retire(keys))
