"""The keys that protect applicants' data, checked against the data before anything runs.

A restore that brings back the database but not ``var/field_key`` used to start with a new
key made on the spot: every application page then failed, and a new application written
under the new key would mix two keys in one table. The system check below runs at the start
of every command that runs checks (``xxgk serve``, ``worker``, ``migrate``, ``check``): it
decrypts one stored identity with the field key ring (every key in it: during a rotation
rows are under the old key or the new one), and recomputes that application's query-code
hash with the lookup key. A key that does not fit stops the command with one line that says
which key, how many applications it holds, and where to restore it from
(``docs/operations.md``, "Keys and backups"). Settings refuse to make a key beside an
existing SQLite database (``settings._kept_key``); on PostgreSQL a key made beside an
existing database is caught here before it is used.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.utils.translation import gettext as _

from .models import ApplicantIdentity

TAG = "keys"


def _where(variable: str, filename: str) -> str:
    return (_("the environment variable %(name)s") % {"name": variable}
            if variable in settings.XXGK_KEYS_FROM_ENVIRONMENT
            else str(settings.KEY_DIR / filename))


@checks.register(TAG)
def check_keys_fit_the_data(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Error xxgk.E010 when the field key cannot decrypt the stored identities; xxgk.E011
    when the lookup key does not reproduce the stored query-code hashes."""
    # Imported here: every command's django.setup() loads this module, the quick ones too.
    from cryptography.fernet import InvalidToken

    from . import pii
    from .actions import hash_query_code

    try:
        sample = (ApplicantIdentity.objects.select_related("application")
                  .order_by("-pk").first())
        stored = ApplicantIdentity.objects.count() if sample is not None else 0
    except DatabaseError:
        return []  # no tables yet (before the first migrate), or no database: nothing to fit
    if sample is None:
        return []
    hint = _("Restore the key from the backup of the keys (see docs/operations.md, "
             "\"Keys and backups\"); never start with a new key over existing data.")
    try:
        identity = pii.decrypt(sample.encrypted)
    except (InvalidToken, ValueError, TypeError):
        return [checks.Error(
            _("The field key in %(where)s cannot decrypt the personal information of the "
              "%(count)d applications stored: it is not the key they were written with.")
            % {"where": _where("XXGK_FIELD_KEY", "field_key"), "count": stored},
            hint=hint, id="xxgk.E010")]
    if len(settings.XXGK_FIELD_KEYS) > 1:
        return [checks.Warning(
            _("A key rotation is not finished: %(where)s holds %(count)d keys, and some "
              "applications may still be under an old one.")
            % {"where": _where("XXGK_FIELD_KEY", "field_key"),
               "count": len(settings.XXGK_FIELD_KEYS)},
            hint=_("Stop the app servers and workers and run `xxgk rotate-keys` again."),
            id="xxgk.W012")]
    code = identity.query_code
    if code and hash_query_code(code) != sample.application.query_code_hash:
        return [checks.Error(
            _("The lookup key in %(where)s does not match the query codes of the "
              "%(count)d applications stored: applicants could no longer follow them.")
            % {"where": _where("XXGK_LOOKUP_KEY", "lookup_key"), "count": stored},
            hint=hint, id="xxgk.E011")]
    return []
