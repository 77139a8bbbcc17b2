"""The only writers of the catalogue: create, publish, and record a validity change.

Each function checks, writes and audits in one transaction, so a refused step leaves
nothing behind (``core.steps.StepError``). ``actor=None`` is the system itself (the demo, a command); people always
pass theirs, and only an agency's handlers and the OGI office may write its catalogue.
Dates in a year whose annual report is published are refused (``core.periods``), as for
applications and appeals: section 二 and section 一 count from these dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xxgk import taxonomy, workdays
from xxgk.agencies import access, audit
from xxgk.agencies.models import Agency
from xxgk.core.periods import require_unlocked
from xxgk.core.steps import StepError, require_past, user_or_none
from xxgk.holidays.calendar import current_calendar

from .models import (
    IndexSequence,
    InfoItem,
    Interpretation,
    ItemState,
    PolicyDocument,
    ValidityChange,
)

ATTRIBUTE_KEYS = tuple(c.key for c in taxonomy.DISCLOSURE_ATTRIBUTES)
POLICY_KIND_KEYS = tuple(c.key for c in taxonomy.POLICY_KINDS)
VALIDITY_KEYS = tuple(c.key for c in taxonomy.VALIDITIES)
MAX_TITLE = 300


@dataclass(frozen=True)
class ItemText:
    """What every item has, as staff write it."""

    title: str
    formed_on: dt.date
    body: str = ""
    key_area: bool = False
    attribute: str = "proactive"
    title_en: str = ""
    body_en: str = ""


def _require_editor(actor: Any, agency: Agency) -> None:
    if actor is not None and not access.may_write(actor, agency):
        raise StepError(_("Your account may not edit the catalogue of this agency."))


def publication_deadline(formed_on: dt.date) -> dt.date:
    """Art. 26: the last day to publish information formed or changed on ``formed_on``.

    A year the calendar does not know yet counts weekends only, as the workbench does.
    """
    return workdays.add_working_days(formed_on, taxonomy.PROACTIVE_PUBLICATION_WORKING_DAYS,
                                     calendar=current_calendar(assume_weekends=True))


def _next_index_no(agency: Agency, year: int) -> str:
    sequence, _created = IndexSequence.objects.get_or_create(agency=agency, year=year)
    sequence = IndexSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{agency.code}/{year}-{sequence.last:05d}"


def _item_fields(agency: Agency, text: ItemText) -> dict[str, Any]:
    title = text.title.strip()
    if not title:
        raise StepError(_("Give the title."), "title")
    if len(title) > MAX_TITLE or len(text.title_en.strip()) > MAX_TITLE:
        raise StepError(_("The title is longer than %(n)d characters.") % {"n": MAX_TITLE},
                        "title")
    if text.attribute not in ATTRIBUTE_KEYS:
        raise StepError(_("Choose a disclosure attribute."), "attribute")
    require_past(text.formed_on, "formed_on")
    return {
        "agency": agency, "index_no": _next_index_no(agency, text.formed_on.year),
        "title": title, "title_en": text.title_en.strip(), "body": text.body.strip(),
        "body_en": text.body_en.strip(), "attribute": text.attribute,
        "key_area": text.key_area, "formed_on": text.formed_on,
        "publish_by": publication_deadline(text.formed_on),
    }


def create_item(agency: Agency, text: ItemText, *, actor: Any = None,
                request: HttpRequest | None = None) -> InfoItem:
    """A draft item with its index number."""
    _require_editor(actor, agency)
    with transaction.atomic():
        item = InfoItem.objects.create(**_item_fields(agency, text), created_by=user_or_none(actor))
        audit.record("catalog.create", actor=actor, obj=item, request=request)
    return item


def create_policy_document(agency: Agency, text: ItemText, *, kind: str, issued_on: dt.date,
                           doc_no: str = "", actor: Any = None,
                           request: HttpRequest | None = None) -> PolicyDocument:
    """A draft policy document; it counts in section 二 once published."""
    _require_editor(actor, agency)
    if kind not in POLICY_KIND_KEYS:
        raise StepError(_("Choose the kind of policy document."), "kind")
    require_past(issued_on, "issued_on")
    if text.attribute != "proactive":
        raise StepError(_("Policy documents are disclosed proactively (Art. 20)."),
                        "attribute")
    with transaction.atomic():
        document = PolicyDocument.objects.create(
            **_item_fields(agency, text), kind=kind, issued_on=issued_on,
            doc_no=doc_no.strip()[:80], created_by=user_or_none(actor))
        audit.record("catalog.create_policy", actor=actor, obj=document, request=request,
                     detail={"kind": kind})
    return document


def create_interpretation(policy: PolicyDocument, text: ItemText, *, actor: Any = None,
                          request: HttpRequest | None = None) -> Interpretation:
    """A draft interpretation of ``policy``, in the catalogue of the policy's agency."""
    _require_editor(actor, policy.agency)
    with transaction.atomic():
        interpretation = Interpretation.objects.create(
            **_item_fields(policy.agency, text), policy=policy, created_by=user_or_none(actor))
        audit.record("catalog.create_interpretation", actor=actor, obj=interpretation,
                     request=request, detail={"policy": policy.index_no})
    return interpretation


def publish(item: InfoItem, on: dt.date, *, actor: Any = None,
            request: HttpRequest | None = None) -> InfoItem:
    """Publish a draft proactive item on ``on`` (a date the report will count it under)."""
    _require_editor(actor, item.agency)
    require_past(on, "published_on")
    if on < item.formed_on:
        raise StepError(_("An item cannot be published before it was formed."),
                        "published_on")
    require_unlocked(item.agency, on, "published_on")
    with transaction.atomic():
        locked = InfoItem.objects.select_for_update().get(pk=item.pk)
        if locked.state != ItemState.DRAFT:
            raise StepError(_("The item is already published."))
        if locked.attribute != "proactive":
            raise StepError(_("Only items disclosed proactively are published."),
                            "attribute")
        locked.state, locked.published_on = ItemState.PUBLISHED, on
        locked.save(update_fields=["state", "published_on"])
        audit.record("catalog.publish", actor=actor, obj=locked, request=request,
                     detail={"published_on": on.isoformat(),
                             "on_time": on <= locked.publish_by})
    item.state, item.published_on = locked.state, locked.published_on
    return item


def record_validity_change(document: PolicyDocument, *, on: dt.date, validity: str,
                           by_document: PolicyDocument | None = None, note: str = "",
                           actor: Any = None,
                           request: HttpRequest | None = None) -> ValidityChange:
    """From ``on``, ``document`` is ``validity`` (repealed, amended, expired, in force)."""
    _require_editor(actor, document.agency)
    if validity not in VALIDITY_KEYS:
        raise StepError(_("Choose the validity."), "validity")
    require_past(on, "changed_on")
    if on < document.issued_on:
        raise StepError(_("The change cannot be earlier than the document's issue date."),
                        "changed_on")
    if document.state != ItemState.PUBLISHED:
        raise StepError(_("Publish the document before recording changes to it."))
    if by_document is not None and (by_document.pk == document.pk
                                    or by_document.state != ItemState.PUBLISHED):
        raise StepError(_("The amending or repealing document must be another "
                          "published document."), "by_document")
    if by_document is not None and by_document.issued_on > on:
        raise StepError(_("The amending or repealing document was issued after that date."),
                        "by_document")
    before = (document.validity_changes.filter(changed_on__lte=on)
              .order_by("-changed_on", "-pk").values_list("validity", flat=True).first())
    if (before or "in_force") == validity:
        raise StepError(_("The document already has that validity on that date."), "validity")
    require_unlocked(document.agency, on, "changed_on")
    with transaction.atomic():
        change = ValidityChange.objects.create(
            document=document, changed_on=on, validity=validity, by_document=by_document,
            note=note.strip()[:300], recorded_by=user_or_none(actor))
        newest = document.validity_changes.order_by("-changed_on", "-pk").first()
        PolicyDocument.objects.filter(pk=document.pk).update(validity=newest.validity)
        audit.record("catalog.validity", actor=actor, obj=document, request=request,
                     detail={"validity": validity, "on": on.isoformat()})
    document.validity = newest.validity
    return change

