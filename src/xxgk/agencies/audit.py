"""Writing the audit log. Every state-changing action calls ``record``.

The request's address is taken from ``REMOTE_ADDR``: behind a reverse proxy, configure the
proxy to set it (docs/operations.md), never trust a client-supplied header here.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from .models import Agency, AuditEntry


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
    """Append one entry. ``detail`` must never contain personal information."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    real_actor = actor if getattr(actor, "is_authenticated", False) else None
    if agency is None and obj is not None:
        agency = obj if isinstance(obj, Agency) else getattr(obj, "agency", None)
    return AuditEntry.objects.create(
        actor=real_actor,
        actor_name=real_actor.get_username() if real_actor else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        agency=agency,
        address=client_address(request),
        detail=detail or {},
    )
