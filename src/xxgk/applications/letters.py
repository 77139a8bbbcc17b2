"""Letters of an application: the reply (答复书), the notices, the consultation letter.

``render(key, application, event)`` builds a :class:`~xxgk.documents.Letter` from the
wording of ``key`` and the facts of the application; ``docx_bytes`` and ``pdf_bytes`` lay it
out; ``attach`` stores both files on the application for the applicant to download.

Which wording is used, first that renders:

1. the OGI office's ``LetterTemplate`` row for the exact key;
2. for reply letters, the row for the key's outcome group: ``reply.withheld`` words every
   ``reply.withheld.*`` letter, ``reply.unavailable`` and ``reply.not_processed`` likewise;
3. the shipped default of the key (``letter_texts.DEFAULTS``, one per key).

A row whose template does not compile or render, or renders to nothing, is skipped with a
warning that names the key and the kind of error only (never the context, which holds the
applicant's name). Every reply letter tells the applicant of reconsideration and litigation
(Art. 51): if an office's wording leaves that out, the shipped sentence is appended.

Privacy: the template context holds only strings built here, never a model instance, so an
office template cannot reach ``application.identity``. Letters carry no ID number, phone,
email or postal address: the letters are stored and downloaded with the application, and
the address a posted letter needs goes on the envelope, from the audited identity view.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import timezone

from xxgk import documents, taxonomy
from xxgk.agencies import audit
from xxgk.documents.docx import letter_docx
from xxgk.documents.pdf import letter_pdf
from xxgk.holidays.calendar import current_calendar

from . import clock, fees, letter_texts, timing
from .models import Application, ApplicationEvent, Document, EventKind, LetterTemplate

logger = logging.getLogger(__name__)

Letter = documents.Letter

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_TYPE = "application/pdf"

# A private engine: no template loaders and no tag libraries beyond the built-ins, so an
# office template can neither include files nor load tags; it only fills in placeholders.
_ENGINE = Engine(loaders=[])


class _WordingError(Exception):
    """An office's wording that cannot be used; the message names the kind of error."""


# ---- Which letter an event calls for ----------------------------------------------------

_EVENT_LETTERS = {
    EventKind.CORRECTION_REQUESTED: letter_texts.CORRECTION,
    EventKind.EXTENDED: letter_texts.EXTENSION,
    EventKind.FEE_NOTIFIED: letter_texts.FEE,
    EventKind.CONSULTATION_SENT: letter_texts.CONSULTATION,
}


def key_for_event(event: ApplicationEvent) -> str | None:
    """The letter an event sends, or None for events that send none.

    A reply sends the 答复书 of its outcome. An approved extension (not the internal
    request) sends the extension notice. A withdrawal, a corrected outcome, an assignment,
    a transfer and the other internal steps send no letter.
    """
    if event.kind == EventKind.REPLIED:
        outcome = event.data.get("outcome", "")
        return f"{letter_texts.REPLY_PREFIX}{outcome}" if outcome in taxonomy.OUTCOMES_BY_KEY else None
    return _EVENT_LETTERS.get(event.kind)


# ---- Building the letter ---------------------------------------------------------------


def render(key: str, application: Application, event: ApplicationEvent | None = None) -> Letter:
    """The letter ``key`` for ``application``, with the facts of ``event``.

    Facts of a kind ``event`` is not (the correction request behind a correction-overdue
    reply, say) come from the latest such event of the application. Without ``event`` the
    letter is dated today: a preview.
    """
    if key not in letter_texts.DEFAULTS:
        raise ValueError(f"unknown letter {key!r}")
    events = list(application.events.all())
    context = letter_context(key, application, event, events)
    title, paragraphs = _wording(key, context)
    if key.startswith(letter_texts.REPLY_PREFIX) and not _tells_remedies(paragraphs):
        paragraphs = (*paragraphs, letter_texts.REMEDIES)
    # The consultation letter goes to the party consulted, every other to the applicant.
    addressee = context["party"] if key == letter_texts.CONSULTATION else application.applicant_name
    return Letter(
        title=title,
        paragraphs=paragraphs,
        agency=application.agency.name,
        date=event.occurred_on if event is not None else timezone.localdate(),
        addressee=addressee,
        reference=f"申请编号：{application.number}",
        table=_fee_table(context) if key == letter_texts.FEE else None,
        attachments=_released(key, events, event),
    )


def docx_bytes(letter: Letter) -> bytes:
    return letter_docx(letter)


def pdf_bytes(letter: Letter) -> bytes:
    return letter_pdf(letter)


def template_keys(key: str) -> list[str]:
    """The ``LetterTemplate`` keys that may word ``key``, most specific first."""
    keys = [key]
    if key.startswith(letter_texts.REPLY_PREFIX):
        parts = key.split(".")
        keys += [".".join(parts[:n]) for n in range(len(parts) - 1, 1, -1)]
    return keys


def template_error(text: str) -> str | None:
    """Why ``text`` is not usable template text, or None; for the admin's form."""
    try:
        _ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        return str(exc)
    return None


def _wording(key: str, context: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    candidates = template_keys(key)
    rows = {row.key: row for row in LetterTemplate.objects.filter(key__in=candidates)}
    for candidate in candidates:
        row = rows.get(candidate)
        if row is None:
            continue
        try:
            return _fill(row.title, row.body, context)
        except _WordingError as exc:
            logger.warning("letter template %s cannot be used (%s); trying the next wording",
                           candidate, exc)
    default = letter_texts.DEFAULTS[key]
    return _fill(default.title, default.body, context)


def _fill(title: str, body: str, context: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """Render title and body as plain text: one paragraph per non-blank line."""
    rendered = []
    for text in (title, body):
        try:
            template = _ENGINE.from_string(text)
        except TemplateSyntaxError as exc:
            raise _WordingError("syntax error") from exc
        try:
            rendered.append(template.render(Context(context, autoescape=False)))
        except Exception as exc:  # an office's template may fail in any filter or tag
            raise _WordingError(type(exc).__name__) from exc
    title_text = " ".join(rendered[0].split())
    paragraphs = tuple(line.strip() for line in rendered[1].splitlines() if line.strip())
    if not title_text or not paragraphs:
        raise _WordingError("empty")
    return title_text, paragraphs


def _tells_remedies(paragraphs: Sequence[str]) -> bool:
    text = "".join(paragraphs)
    return "行政复议" in text and "行政诉讼" in text


# ---- The context ------------------------------------------------------------------------


def letter_context(key: str, application: Application, event: ApplicationEvent | None = None,
                   events: Sequence[ApplicationEvent] | None = None) -> dict[str, Any]:
    """Every placeholder of ``letter_texts.PLACEHOLDERS``, as text (one flag aside).

    Values absent for this letter (the fee of a reply without a fee notice) are empty.
    """
    if events is None:
        events = list(application.events.all())
    arrived = timezone.localtime(application.arrived_at).date()
    context: dict[str, Any] = {
        name: "" for name, _description in letter_texts.PLACEHOLDERS
    } | {
        "number": application.number,
        "applicant_name": application.applicant_name,
        "you": "您" if application.is_natural_person else "贵单位",
        "agency": application.agency.name,
        "date": _date(event.occurred_on if event is not None else timezone.localdate()),
        "arrived_date": _date(arrived),
        "received_date": _date(application.received_on or arrived),
        "description": letter_texts.quotable(application.description),
        "document_number": application.document_number,
        "remedies": letter_texts.REMEDIES,
        "party_is_agency": False,
    }
    if key.startswith(letter_texts.REPLY_PREFIX):
        context |= _reply_facts(key.removeprefix(letter_texts.REPLY_PREFIX), events, event)
    if correction := _latest(events, event, EventKind.CORRECTION_REQUESTED):
        context |= {
            "correction_requested_date": _date(correction.occurred_on),
            "correction_what": correction.note.strip(),
            "correction_deadline": _date(dt.date.fromisoformat(correction.data["deadline"])),
        }
    if extension := _latest(events, event, EventKind.EXTENDED):
        due = _due_as_of(application, events, extension)
        context |= {
            "extension_days": str(extension.data.get("days", "")),
            "extension_reason": _clause(extension.note),
            "new_due_date": _date(due) if due else "",
        }
    if notice := _latest(events, event, EventKind.FEE_NOTIFIED):
        context |= _fee_facts(notice)
    if consultation := _latest(events, event, EventKind.CONSULTATION_SENT):
        context |= {
            "party": consultation.data.get("party", ""),
            "party_is_agency": consultation.data.get("party_kind") == clock.ConsultationKind.AGENCY,
        }
    return context


def _reply_facts(outcome: str, events: Sequence[ApplicationEvent],
                 event: ApplicationEvent | None) -> dict[str, str]:
    category = taxonomy.OUTCOMES_BY_KEY[outcome]
    facts = {
        "outcome_label": category.label_zh,
        "outcome_group": category.group_zh,
        "article": category.article,
        "citation": _citation(category.article),
    }
    reply = _latest(events, event, EventKind.REPLIED)
    # The handler's words belong to the reply of this outcome only, not to a preview of
    # another outcome's letter.
    if reply is not None and reply.data.get("outcome") == outcome:
        facts |= {
            "legal_basis": _clause(reply.data.get("legal_basis", "")),
            "reply_text": reply.note.strip(),
            "responsible_agency": reply.data.get("responsible_agency", "").strip(),
        }
    return facts


def _fee_facts(notice: ApplicationEvent) -> dict[str, str]:
    method = notice.data.get("method", "")
    known_method = method in fees.FeeMethod.__members__.values()
    deadline = current_calendar(assume_weekends=True).add_working_days(
        notice.occurred_on, timing.clock_rules().fee_payment_working_days)
    return {
        "fee_notice_date": _date(notice.occurred_on),
        "fee_amount": _yuan(notice.data.get("amount", "")),
        "fee_method": fees.FeeMethod(method).label_zh if known_method else "",
        # The standard depends only on the method, so any quote of that method states it.
        "fee_standard": (fees.FeeQuote(fees.FeeMethod(method), 0, ()).standard
                         if known_method else ""),
        "fee_basis": _clause(notice.note) or fees.MEASURES,
        "payment_deadline": _date(deadline),
    }


def _fee_table(context: dict[str, Any]) -> documents.Table:
    """What a fee notice must state (国办函〔2020〕109号): basis, standard, amount, deadline."""
    rows = (
        ("收费依据", context["fee_basis"]),
        ("计费方式", context["fee_method"]),
        ("收费标准", context["fee_standard"]),
        ("收费金额", f"人民币{context['fee_amount']}元"),
        ("缴费期限", f"{context['payment_deadline']}前"),
    )
    return documents.Table(header=("项目", "内容"), rows=tuple(r for r in rows if r[1]))


def _released(key: str, events: Sequence[ApplicationEvent],
              event: ApplicationEvent | None) -> tuple[str, ...]:
    """The released documents a reply letter lists as its attachments (附件)."""
    if not key.startswith(letter_texts.REPLY_PREFIX):
        return ()
    reply = _latest(events, event, EventKind.REPLIED)
    if reply is None or reply.pk is None:
        return ()
    return tuple(Document.objects.filter(event=reply, kind=Document.Kind.RELEASED)
                 .order_by("created_at", "id").values_list("filename", flat=True))


def _latest(events: Sequence[ApplicationEvent], event: ApplicationEvent | None,
            kind: str) -> ApplicationEvent | None:
    """``event`` if it is of ``kind``, else the application's latest event of ``kind``."""
    if event is not None and event.kind == kind:
        return event
    return next((e for e in reversed(events) if e.kind == kind), None)


def _due_as_of(application: Application, events: Sequence[ApplicationEvent],
               upto: ApplicationEvent) -> dt.date | None:
    """The due date as it stood right after ``upto``: what the notice promises."""
    if application.received_on is None:
        return None
    history = [e for e in events if (e.occurred_on, e.pk) <= (upto.occurred_on, upto.pk)]
    try:
        result = clock.compute_clock(
            application.received_on, timing.clock_events(history), today=upto.occurred_on,
            calendar=current_calendar(assume_weekends=True), rules=timing.clock_rules())
    except clock.ClockError:
        return None
    return result.due


def _citation(article: str) -> str:
    """An article with the name of its act: a bare 第…条 is the Regulation's."""
    if not article or article.startswith("《"):
        return article
    return f"{letter_texts.REGULATION}{article}"


def _clause(text: str) -> str:
    """Free text to be embedded in a sentence: trimmed of its final punctuation."""
    return " ".join(text.split()).rstrip("。；;，,. ")


def _yuan(amount: str) -> str:
    try:
        return f"{Decimal(amount):f}"
    except InvalidOperation:
        return ""


def _date(day: dt.date) -> str:
    return documents.chinese_date(day)


# ---- Storing the letter ------------------------------------------------------------------


def filename(key: str, application: Application, extension: str) -> str:
    """``答复书-110102-2026-000001.docx`` and the like."""
    return f"{letter_texts.name_of(key)}-{application.number}.{extension}"


def attach(application: Application, event: ApplicationEvent, key: str, *, actor: Any = None,
           request: HttpRequest | None = None) -> list[Document]:
    """Generate the letter as DOCX and PDF and store both on the application.

    This writes ``Document`` rows outside ``actions.py`` on purpose: a document is not
    clock state (the events are), and rendering a PDF takes a fraction of a second that
    should not be spent holding the application's row lock inside an action. The writing
    is still atomic, locked against a concurrent call, idempotent (a second call for the
    same event and key returns the stored files: what the applicant received does not
    change when the office later edits its wording) and audited.

    The consultation letter is addressed to the third party or agency consulted, so it is
    stored for staff only; every other letter is the applicant's to download.
    """
    if event.application_id != application.pk:
        raise ValueError("the event belongs to another application")
    names = [filename(key, application, "docx"), filename(key, application, "pdf")]

    def stored() -> list[Document]:
        return list(Document.objects.filter(application=application, event=event,
                                            kind=Document.Kind.LETTER, filename__in=names))

    if existing := stored():
        return existing
    letter = render(key, application, event)
    files = ((names[0], DOCX_TYPE, docx_bytes(letter)), (names[1], PDF_TYPE, pdf_bytes(letter)))
    with transaction.atomic():
        Application.objects.select_for_update().only("pk").get(pk=application.pk)
        if existing := stored():
            return existing
        created = [
            Document.objects.create(
                application=application, event=event, kind=Document.Kind.LETTER,
                filename=name, content_type=content_type, size=len(content), content=content,
                visible_to_applicant=key != letter_texts.CONSULTATION,
            )
            for name, content_type, content in files
        ]
        audit.record("application.letter", actor=actor, obj=application, request=request,
                     detail={"letter": key, "event": event.kind})
    return created


def unrendered(application: Application, *, for_applicant: bool) -> list[ApplicationEvent]:
    """The events whose letter is not stored yet: queued for the worker, or issued under
    ``actions.letters_deferred`` and queued when first asked for."""
    events = [e for e in application.events.prefetch_related("documents")
              if (key := key_for_event(e)) is not None
              and not any(d.kind == Document.Kind.LETTER for d in e.documents.all())
              and (not for_applicant or (e.public and key != letter_texts.CONSULTATION))]
    return events


def stored_pdf(event: ApplicationEvent) -> Document | None:
    """The event's letter as stored PDF, if it has been rendered."""
    return (Document.objects.filter(event=event, kind=Document.Kind.LETTER,
                                    content_type=PDF_TYPE).defer("sealed").first())
