"""Writing the audit log. Every state-changing action calls ``record``.

The request's address is taken from ``REMOTE_ADDR``, which behind a trusted reverse proxy
``core.middleware.ClientAddressMiddleware`` has set to the client's (``XXGK_TRUSTED_PROXIES``,
docs/operations.md); never read a client-supplied header here.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from . import chain
from .models import Agency, AuditEntry


@dataclass(frozen=True)
class HostOperator:
    """Whoever runs an ``xxgk`` command on the host (``createsuperuser``, ``changepassword``,
    ``login``): no account of the site, named in the audit log by the OS account it runs
    under. It acts with a superuser's powers, because whoever runs commands on the host can
    read the database and its keys anyway; what it does is written down all the same."""

    os_user: str
    pk: None = None
    is_active: bool = True
    is_superuser: bool = True
    is_authenticated: bool = False

    def get_username(self) -> str:
        return f"command line ({self.os_user})"


def host_operator() -> HostOperator:
    """The operator running this process."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (a bare container)
        name = "unknown OS user"
    return HostOperator(name)


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    agency: Agency | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. ``actor``: the account acting (else the request's), or the
    :class:`HostOperator` of a command. ``detail`` must never contain personal
    information."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    real_actor = actor if getattr(actor, "is_authenticated", False) else None
    if real_actor is not None:
        actor_name = real_actor.get_username()
    else:
        actor_name = actor.get_username() if isinstance(actor, HostOperator) else ""
    if agency is None and obj is not None:
        agency = obj if isinstance(obj, Agency) else getattr(obj, "agency", None)
    entry = AuditEntry(
        actor=real_actor,
        actor_name=actor_name[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        agency=agency,
        at=timezone.now(),
        # Hashed as the database will store and give it back.
        address=AuditEntry._meta.get_field("address").get_prep_value(client_address(request)),
        detail=json.loads(json.dumps(detail or {})),
    )
    with transaction.atomic():
        chain.lock_for_append(connection)
        last = AuditEntry.objects.head()
        entry.seq, entry.previous_hash = (last[0] + 1, last[1]) if last else (1, chain.GENESIS)
        entry.entry_hash = chain.digest(entry.previous_hash, chained_fields(entry))
        entry.save(force_insert=True)
    return entry


def chained_fields(entry: AuditEntry) -> dict[str, Any]:
    """The fields of ``entry`` that its hash covers (``chain.FIELDS``)."""
    return {name: getattr(entry, name) for name in chain.FIELDS}
