"""What the agency's staff read about applications: the inbox and the handler's help.

Plain functions over querysets, so that the workbench, the API and tests ask the same
questions. Nothing here changes an application (that is ``actions.py``).

The inbox filters and sorts on the cached clock columns (``status``, ``due_on``,
``clock_state``), which the indexes on ``Application`` cover, and recomputes the clock
exactly only for the rows of the page shown: cheap, and what the handler reads is right
for today even if the nightly refresh has not run yet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xxgk.agencies import access
from xxgk.agencies.models import Agency, StaffRole
from xxgk.holidays.calendar import current_calendar

from . import clock, fees, pii, timing
from .models import Application, EventKind, Status

PAGE_SIZE = 50
# Counting every matching row costs a full index scan per page view. Up to this many the
# exact count is shown; beyond it the inbox says "more than …" and offers pages up to it.
# (Nobody pages through 10,000 applications; they filter.)
COUNT_CAP = 10_000

UNASSIGNED = "unassigned"
OPEN_STATUSES = tuple(value for value in Status.values if value != Status.CLOSED)

# The clock's states as the badges name them; "" is an application not yet received.
CLOCK_STATE_LABELS: dict[str, Any] = {
    clock.ClockState.RUNNING: _("Running"),
    clock.ClockState.DUE_SOON: _("Due soon"),
    clock.ClockState.PAUSED: _("Paused"),
    clock.ClockState.OVERDUE: _("Overdue"),
    clock.ClockState.LAPSED: _("Lapsed"),
    clock.ClockState.CLOSED: _("Closed"),
}
UNCONFIRMED_LABEL = _("Receipt not confirmed")


WITHDRAWN_BEFORE_RECEIPT_LABEL = _("Withdrawn before receipt")


def state_label(state: str) -> Any:
    return CLOCK_STATE_LABELS.get(state, UNCONFIRMED_LABEL)


def withdrawn_before_receipt(application: Application) -> bool:
    """A closed application the applicant withdrew before receipt was confirmed.

    Such an application never gets a receipt date, so its pages must not say "receipt not
    confirmed" as if it were still to come. Reads the events (prefetched in the inbox).
    """
    if application.received_on is not None or application.status != Status.CLOSED:
        return False
    return any(e.kind == EventKind.WITHDRAWN for e in application.events.all())


class Show:
    """Which applications the inbox lists: the open ones (the default), closed, or all."""

    OPEN = "open"
    CLOSED = "closed"
    ALL = "all"


class Sort:
    DUE = "due"  # the default: what must be answered first comes first
    ARRIVED = "arrived"  # oldest first, the order of the queue
    NUMBER = "number"


SORTS: dict[str, tuple[Any, ...]] = {
    # Unconfirmed and awaiting-correction applications have no due date; they come last
    # (PostgreSQL's own order for ascending dates, made explicit so SQLite agrees).
    Sort.DUE: (F("due_on").asc(nulls_last=True), "arrived_at", "id"),
    Sort.ARRIVED: ("arrived_at", "id"),
    Sort.NUMBER: ("number",),
}


@dataclass(frozen=True)
class InboxFilters:
    """The inbox's parameters, already validated (see ``staff_forms.InboxFilterForm``).

    ``handler`` is "", :data:`UNASSIGNED` or a user's primary key; ``agency`` limits the
    list to that agency's subtree (intersected with the user's scope, always).
    """

    status: str = ""
    clock_state: str = ""
    handler: str = ""
    applicant_column: str = ""
    agency: Agency | None = None
    due_within: int | None = None
    show: str = Show.OPEN
    sort: str = Sort.DUE
    q: str = ""


def scoped_applications(user: Any) -> QuerySet[Application]:
    """Every application of the agencies in ``user``'s scope (the OGI office: all)."""
    if getattr(user, "is_superuser", False):
        return Application.objects.all()
    # The ids as literals, not a subquery: with one agency the database then reads the
    # (agency, …) indexes in order and stops after a page instead of sorting everything.
    ids = list(access.visible_agencies(user).values_list("pk", flat=True))
    if len(ids) == 1:
        return Application.objects.filter(agency_id=ids[0])
    return Application.objects.filter(agency_id__in=ids)


def inbox_queryset(user: Any, filters: InboxFilters, today: dt.date | None = None
                   ) -> QuerySet[Application]:
    """The applications ``user`` may see that match ``filters``, in the chosen order."""
    qs = scoped_applications(user)
    if filters.status:
        # A chosen status says by itself whether the application is open or closed.
        qs = qs.filter(status=filters.status)
    elif filters.show == Show.OPEN:
        # An IN over the open statuses, not NOT(closed): the (agency, status, due_on) index
        # then reads the few open rows instead of scanning every application ever closed.
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.show == Show.CLOSED:
        qs = qs.filter(status=Status.CLOSED)
    if filters.clock_state:
        qs = qs.filter(clock_state=filters.clock_state)
    if filters.handler == UNASSIGNED:
        qs = qs.filter(handler__isnull=True)
    elif filters.handler:
        qs = qs.filter(handler_id=filters.handler)
    if filters.applicant_column:
        qs = qs.filter(applicant_column=filters.applicant_column)
    if filters.agency is not None:
        qs = qs.filter(agency__in=filters.agency.subtree())
    if filters.due_within is not None:
        calendar = current_calendar(assume_weekends=True)
        limit = calendar.add_working_days(today or timezone.localdate(), filters.due_within)
        qs = qs.filter(due_on__lte=limit)
    if term := filters.q.strip():
        # The name is sealed: found by its blind index, so by the exact name only.
        qs = qs.filter(Q(number__icontains=term)
                       | Q(applicant_name_index__in=pii.name_indexes(term)))
    return qs.order_by(*SORTS.get(filters.sort, SORTS[Sort.DUE]))


class CappedPaginator(Paginator):
    """Django's paginator with a count that stops at :data:`COUNT_CAP`.

    ``SELECT COUNT(*) FROM (… LIMIT cap+1)`` costs at most ``cap`` index entries however
    many applications match, so a page view stays fast with 100,000 open applications.
    """

    cap = COUNT_CAP

    @cached_property
    def _bounded_count(self) -> int:
        # Unordered, so that the database stops after cap + 1 rows instead of sorting all.
        return self.object_list.order_by()[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @property
    def capped(self) -> bool:
        """More applications match than the count shows."""
        return self._bounded_count > self.cap


@dataclass(frozen=True)
class InboxRow:
    """One application on the page with its clock as of today (None before receipt)."""

    application: Application
    clock: clock.ClockResult | None

    @property
    def state(self) -> str:
        return self.clock.state.value if self.clock else self.application.clock_state

    @property
    def badge_state(self) -> str:
        """The state the badge is coloured by: closed for a withdrawal before receipt."""
        if not self.clock and withdrawn_before_receipt(self.application):
            return clock.ClockState.CLOSED.value
        return self.state or "unconfirmed"

    @property
    def state_label(self) -> Any:
        if not self.clock and withdrawn_before_receipt(self.application):
            return WITHDRAWN_BEFORE_RECEIPT_LABEL
        return state_label(self.state)

    @property
    def due(self) -> dt.date | None:
        return self.clock.due if self.clock else self.application.due_on

    @property
    def left(self) -> int | None:
        return self.clock.left if self.clock else self.application.working_days_left


@dataclass(frozen=True)
class InboxPage:
    page: Page
    rows: list[InboxRow]
    paginator: CappedPaginator


def inbox_page(user: Any, filters: InboxFilters, page_number: int | str = 1,
               today: dt.date | None = None) -> InboxPage:
    """One page of the inbox, each row's clock recomputed exactly for today.

    Queries: the capped count, the page (with agency and handler joined), the events of
    the page's applications (one query), and the calendar: a constant number per page.
    """
    today = today or timezone.localdate()
    qs = inbox_queryset(user, filters, today).select_related("agency", "handler")
    paginator = CappedPaginator(qs.prefetch_related("events"), PAGE_SIZE)
    page = paginator.get_page(page_number)
    applications = list(page.object_list)
    clocks = clocks_for(applications, today)
    rows = [InboxRow(app, clocks[app.pk]) for app in applications]
    return InboxPage(page, rows, paginator)


def clocks_for(applications: Iterable[Application], today: dt.date
               ) -> dict[int, clock.ClockResult | None]:
    """The exact clock of each application on ``today``, on one calendar for them all
    (the calendar is read from the database once, not once per row). The events must be
    prefetched. An event sequence the clock refuses leaves that row on its cached columns
    (None) rather than breaking the whole inbox.
    """
    calendar = current_calendar(assume_weekends=True)
    out: dict[int, clock.ClockResult | None] = {}
    for app in applications:
        out[app.pk] = None
        if app.received_on is None or app.received_on > today:
            continue
        try:
            out[app.pk] = timing.compute(app, today, calendar)
        except clock.ClockError:
            continue
    return out


def handler_choices(user: Any) -> list[tuple[int, str]]:
    """The handlers of the agencies in ``user``'s scope, for the inbox's handler filter."""
    agencies = access.visible_agencies(user)
    roles = (StaffRole.objects.filter(role=StaffRole.Role.HANDLER, agency__in=agencies)
             .select_related("user").order_by("user__username"))
    seen: dict[int, str] = {}
    for role in roles:
        seen.setdefault(role.user_id, role.user.get_full_name() or role.user.get_username())
    return list(seen.items())


def handlers_of(agency: Agency) -> list[Any]:
    """The accounts with the handler role on ``agency`` (held there or above it)."""
    codes = agency.path.rstrip("/").split("/")
    paths = ["/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
    roles = (StaffRole.objects.filter(role=StaffRole.Role.HANDLER, agency__path__in=paths)
             .select_related("user").order_by("user__username"))
    users: dict[int, Any] = {}
    for role in roles:
        users.setdefault(role.user_id, role.user)
    return list(users.values())


def transfer_targets(application: Application) -> QuerySet[Agency]:
    """The agencies of the same government, other than the current one."""
    top_code = application.agency.path.split("/", 1)[0]
    return (Agency.objects.filter(path__startswith=f"{top_code}/", is_active=True)
            .exclude(pk=application.agency_id).order_by("path"))


# ---- The applicant's personal information, masked ----------------------------------------


@dataclass(frozen=True)
class MaskedIdentity:
    """The applicant's contact details as staff lists may show them: masked, every one."""

    id_document_type: str
    id_number: str
    phone: str
    email: str
    address: str


def masked_identity(application: Application) -> MaskedIdentity | None:
    """The masked contact details; the decrypted values never leave this function."""
    record = getattr(application, "identity", None)
    if record is None:
        return None
    identity = pii.decrypt(record.encrypted)
    return MaskedIdentity(
        id_document_type=record.get_id_document_type_display(),
        id_number=pii.mask_id(identity.id_number),
        phone=pii.mask_phone(identity.phone),
        email=pii.mask_email(identity.email),
        address=pii.mask_address(identity.address),
    )


# ---- Fees ----------------------------------------------------------------------------------


def fee_quote(application: Application, method: str, pages: int | None) -> fees.FeeQuote:
    """What the measures charge for this application: by its place among the applicant's
    applications this month, or by its number of pages."""
    if method == fees.FeeMethod.BY_VOLUME:
        return fees.quote_by_volume(pages or 0)
    return fees.quote_by_application(month_ordinal(application))


def month_ordinal(application: Application) -> int:
    """Which of its applicant's applications this calendar month this one is (1-based).

    The by-application fee (国办函〔2020〕109号 Art. 4) counts per applicant per calendar
    month, in the order the applications arrived; the month is the local (Asia/Shanghai) one.
    """
    local = timezone.localtime(application.arrived_at)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return Application.objects.filter(
        Q(arrived_at__lt=application.arrived_at)
        | Q(arrived_at=application.arrived_at, pk__lte=application.pk),
        same_applicant(application), arrived_at__gte=start,
    ).count()


def same_applicant(application: Application) -> Q:
    """The applicant's applications: those with the same keyed hash, under any key of the
    ring while a key rotation has not recomputed every hash yet."""
    record = getattr(application, "identity", None)
    if len(settings.XXGK_FIELD_KEYS) == 1 or record is None:
        return Q(applicant_key=application.applicant_key)
    number = pii.decrypt(record.encrypted).id_number
    return Q(applicant_key__in=pii.applicant_keys(record.id_document_type, number))


# ---- Help for the handler ------------------------------------------------------------------

EARLIER_LIMIT = 20
# Similar requests are looked for among this many most recent applications of any agency.
SIMILAR_WINDOW = 1_000
SIMILAR_LIMIT = 5
# Dice coefficient of the descriptions' character bigrams from which a request is "similar".
SIMILAR_THRESHOLD = 0.35
# Art. 35 hint: this many applications by one applicant within this many days …
ART35_WINDOW_DAYS = 30
ART35_MANY_IN_WINDOW = 10
# … or this many of the applicant's applications (this one included) nearly identical,
NEAR_IDENTICAL_COUNT = 5
NEAR_IDENTICAL_SIMILARITY = 0.8
# among the applicant's most recent applications, of which this many are compared.
NEAR_IDENTICAL_WINDOW = 200

_NOISE = re.compile(r"[\W_]+")


def bigrams(text: str) -> frozenset[str]:
    """The character bigrams of a text, ignoring spaces and punctuation.

    Chinese has no spaces between words; two-character windows catch most shared words
    (政府, 信息, 拆迁) without a segmenter, which is all a hint needs.
    """
    cleaned = _NOISE.sub("", text.lower())
    if len(cleaned) < 2:
        return frozenset({cleaned}) if cleaned else frozenset()
    return frozenset(cleaned[i: i + 2] for i in range(len(cleaned) - 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice's coefficient of two bigram sets: 1.0 identical, 0.0 nothing shared."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def earlier_applications(application: Application, user: Any) -> list[Application]:
    """The same applicant's earlier applications in ``user``'s scope, newest first."""
    return list(
        scoped_applications(user)
        .filter(same_applicant(application), arrived_at__lte=application.arrived_at)
        .exclude(pk=application.pk).select_related("agency")
        .order_by("-arrived_at", "-id")[:EARLIER_LIMIT]
    )


@dataclass(frozen=True)
class Similar:
    application: Application
    score: float
    in_scope: bool


def similar_requests(application: Application, user: Any) -> list[Similar]:
    """Recent requests of any agency that ask for much the same, most similar first.

    Bounded: only the :data:`SIMILAR_WINDOW` most recent applications are compared, so the
    cost is the same with a thousand applications or a million.
    """
    mine = bigrams(application.description)
    recent = (Application.objects.exclude(pk=application.pk).select_related("agency")
              .only("id", "number", "arrived_at", "outcome", "status", "description",
                    "agency__id", "agency__name", "agency__name_en", "agency__path")
              .order_by("-id")[:SIMILAR_WINDOW])
    scored = [(similarity(mine, bigrams(other.description)), other) for other in recent]
    scored = [(s, other) for s, other in scored if s >= SIMILAR_THRESHOLD]
    scored.sort(key=lambda item: (-item[0], -item[1].pk))
    visible = set(access.visible_agencies(user).values_list("pk", flat=True))
    return [Similar(other, round(score, 2), other.agency_id in visible or
                    getattr(user, "is_superuser", False))
            for score, other in scored[:SIMILAR_LIMIT]]


@dataclass(frozen=True)
class VolumeHint:
    """Why the applicant's volume looks like Art. 35's: the counts behind the hint."""

    in_window: int
    near_identical: int
    window_days: int = ART35_WINDOW_DAYS


def volume_hint(application: Application) -> VolumeHint | None:
    """A hint when the applicant's volume may be unreasonable (Art. 35), else None.

    Counted across every agency (the volume is the applicant's, wherever it went); only
    counts are returned, no other application is shown.
    """
    same = Application.objects.filter(same_applicant(application))
    since = application.arrived_at - dt.timedelta(days=ART35_WINDOW_DAYS)
    in_window = same.filter(arrived_at__gte=since, arrived_at__lte=application.arrived_at).count()
    mine = bigrams(application.description)
    descriptions: Sequence[str] = list(
        same.order_by("-arrived_at").values_list("description", flat=True)[:NEAR_IDENTICAL_WINDOW])
    near = sum(1 for text in descriptions
               if similarity(mine, bigrams(text)) >= NEAR_IDENTICAL_SIMILARITY)
    if in_window >= ART35_MANY_IN_WINDOW or near >= NEAR_IDENTICAL_COUNT:
        return VolumeHint(in_window, near)
    return None
