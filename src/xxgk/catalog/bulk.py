"""Published history in bulk: thousands of items written in a few statements.

``actions.py`` writes one item at a time, through review. History (an import of what an
agency published elsewhere, the demo's years) is already published: it needs the same
content rules, index numbers and Art. 26 deadlines, but not a row lock, an audit entry and
three queries per item. :func:`publish_history` checks every record first with the rules
the actions layer uses (``actions._content``, ``actions._require_formed``), then writes
them in batches: index numbers are taken in one block per agency and year under the
counter's row lock, the deadline is computed once per distinct date, and the audit log
gets one entry for the whole call, with counts. Nothing is written unless every record
passes, and everything is written in one transaction.

Policy documents are ``InfoItem`` rows with a child row (multi-table inheritance), which
Django's ``bulk_create`` refuses; the parents are bulk-created as ``InfoItem`` and the child
rows inserted with one ``executemany``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xxgk.agencies import audit
from xxgk.agencies.models import Agency
from xxgk.core.periods import require_unlocked
from xxgk.core.steps import StepError, require_past, user_or_none
from xxgk.core.today import fixed_today, today
from xxgk.holidays.calendar import calendar_pinned

from . import actions
from .models import (
    Category,
    IndexSequence,
    InfoItem,
    ItemChannel,
    ItemState,
    Origin,
    PolicyDocument,
    ValidityChange,
)

BATCH = 1000
MAX_URL = 500


@dataclass(frozen=True)
class HistoryRecord:
    """One published item of the past, as an import or the demo knows it."""

    title: str
    published_on: dt.date
    formed_on: dt.date | None = None     # default published_on (written_on of a policy)
    doc_no: str = ""
    body: str = ""                       # cleaned with sanitize.clean_html
    summary: str = ""
    url: str = ""                        # kept as source_url
    category: Category | None = None
    kind: str = ""                       # a taxonomy.POLICY_KINDS key makes a PolicyDocument
    validity: str = "in_force"           # for policy documents
    key_area: bool = False
    channels: tuple[str, ...] = ()
    title_en: str = ""
    body_en: str = ""
    topic_words: str = ""


class RecordError(StepError):
    """A record of a batch that breaks a rule: ``index`` is its position (from 0)."""

    def __init__(self, index: int, error: StepError) -> None:
        super().__init__(error.message, error.field)
        self.index = index


def check_record(record: HistoryRecord) -> dict[str, Any]:
    """The checked, cleaned ``InfoItem`` fields of ``record`` (no agency, index number or
    deadline yet), or :class:`StepError` naming the field. The one set of rules an import
    reports per row and :func:`publish_history` enforces."""
    formed_on = record.formed_on or record.published_on
    fields = actions._content(actions.ItemText(
        title=record.title, formed_on=formed_on, body=record.body, key_area=record.key_area,
        title_en=record.title_en, body_en=record.body_en, summary=record.summary,
        topic_words=record.topic_words, doc_no=record.doc_no, category=record.category,
        channels=tuple(record.channels)))
    actions._require_formed(formed_on)
    require_past(record.published_on, "published_on")
    if record.published_on < formed_on:
        raise StepError(_("An item cannot be published before it was formed."),
                        "published_on")
    url = record.url.strip()
    if len(url) > MAX_URL:
        raise StepError(_("The address is longer than %(n)d characters.") % {"n": MAX_URL},
                        "url")
    if url and not url.lower().startswith(("http://", "https://")):
        raise StepError(_("The address must start with http:// or https://."), "url")
    if record.kind and record.kind not in actions.POLICY_KIND_KEYS:
        raise StepError(_("Choose the kind of policy document."), "kind")
    if record.kind and record.validity not in actions.VALIDITY_KEYS:
        raise StepError(_("Choose the validity."), "validity")
    return {**fields, "formed_on": formed_on, "published_on": record.published_on,
            "source_url": url}


def _allocate_index_numbers(agency: Agency, years: list[int]) -> list[str]:
    """One index number per entry of ``years``, in order, from blocks taken under the
    counter's row lock (as ``actions._next_index_no`` takes one)."""
    need = Counter(years)
    next_number: dict[int, int] = {}
    for year in sorted(need):
        IndexSequence.objects.get_or_create(agency=agency, year=year)
        sequence = IndexSequence.objects.select_for_update().get(agency=agency, year=year)
        next_number[year] = sequence.last + 1
        sequence.last += need[year]
        sequence.save(update_fields=["last"])
    numbers = []
    for year in years:
        numbers.append(f"{agency.code}/{year}-{next_number[year]:05d}")
        next_number[year] += 1
    return numbers


def _insert_policy_rows(rows: list[tuple[int, str, dt.date, str]]) -> None:
    quote = connection.ops.quote_name
    table = quote(PolicyDocument._meta.db_table)
    ptr = quote(PolicyDocument._meta.pk.column)
    adapt = connection.ops.adapt_datefield_value
    sql = (f"INSERT INTO {table} ({ptr}, {quote('kind')}, {quote('issued_on')}, "  # noqa: S608
           f"{quote('validity')}) VALUES (%s, %s, %s, %s)")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(pk, kind, adapt(day), validity)
                                 for pk, kind, day, validity in rows])


def publish_history(agency: Agency, records: Sequence[HistoryRecord], *,
                    origin: str = Origin.IMPORTED, actor: Any = None,
                    request: HttpRequest | None = None,
                    progress: Callable[[int], None] | None = None) -> list[int]:
    """Write ``records`` as published proactive items of ``agency``; the new items' pks.

    ``origin=Origin.IMPORTED`` is history the annual reports of its years already counted
    (elsewhere): it is not counted again, so it may fall in a locked year. Anything else
    (``Origin.XXGK``: the demo's district publishing in xxgk) counts, so every year it
    falls in must be unlocked. A record that breaks a rule refuses the whole call
    (:class:`RecordError`, before anything is written). ``progress`` is told how many
    records are written after each batch.
    """
    if origin not in Origin.values:
        raise StepError(_("Unknown origin of the items."), "origin")
    actions._require_editor(actor, agency)
    checked = []
    # One day for the whole batch: every record is judged against the same today (and
    # today is read once rather than twice a record).
    with fixed_today(today()):
        for index, record in enumerate(records):
            try:
                checked.append(check_record(record))
            except StepError as error:
                raise RecordError(index, error) from error
    if origin != Origin.IMPORTED:
        for year in sorted({fields["published_on"].year for fields in checked}):
            require_unlocked(agency, dt.date(year, 1, 1), "published_on")
    user = user_or_none(actor)
    with transaction.atomic(), calendar_pinned():
        deadlines: dict[dt.date, dt.date] = {}
        for fields in checked:
            day = fields["formed_on"]
            if day not in deadlines:
                deadlines[day] = actions.publication_deadline(day)
        numbers = _allocate_index_numbers(agency, [f["formed_on"].year for f in checked])
        pks: list[int] = []
        policies = 0
        for start in range(0, len(checked), BATCH):
            batch = range(start, min(start + BATCH, len(checked)))
            items = InfoItem.objects.bulk_create([
                InfoItem(**checked[i], agency=agency, index_no=numbers[i],
                         attribute="proactive", state=ItemState.PUBLISHED, origin=origin,
                         publish_by=deadlines[checked[i]["formed_on"]], created_by=user)
                for i in batch])
            batch_pks = [item.pk for item in items]
            policy_rows = [(pk, records[i].kind, checked[i]["formed_on"], records[i].validity)
                           for i, pk in zip(batch, batch_pks, strict=True) if records[i].kind]
            if policy_rows:
                _insert_policy_rows(policy_rows)
                ValidityChange.objects.bulk_create(
                    ValidityChange(document_id=pk, changed_on=records[i].published_on,
                                   validity=records[i].validity, note="imported",
                                   recorded_by=user)
                    for i, pk in zip(batch, batch_pks, strict=True)
                    if records[i].kind and records[i].validity != "in_force")
                policies += len(policy_rows)
            ItemChannel.objects.bulk_create(
                ItemChannel(item_id=pk, channel=channel)
                for i, pk in zip(batch, batch_pks, strict=True)
                for channel in actions.CHANNEL_KEYS if channel in records[i].channels)
            pks.extend(batch_pks)
            if progress is not None:
                progress(len(pks))
        years: defaultdict[str, int] = defaultdict(int)
        for fields in checked:
            years[str(fields["published_on"].year)] += 1
        audit.record("catalog.publish_history", actor=actor, agency=agency, request=request,
                     detail={"origin": str(origin), "items": len(pks),
                             "policy_documents": policies, "years": dict(sorted(years.items()))})
    return pks
