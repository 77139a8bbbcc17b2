"""Agency scorecards (监督考评): what each figure means, where it comes from, its arithmetic.

Two layers. The arithmetic (``Rate``, ``Figures``, ``roll_up``, ``sort_rows``) is pure: plain
dataclasses in, plain values out. The query functions gather the raw counts for a set of
agencies and a year with aggregates in SQL (``GROUP BY agency``), each reading through an
index only the rows it counts, so a scorecard is at most twenty queries whatever the number of
agencies: about 0.3 s for a year of 25,000 applications among 100,000, on SQLite and
PostgreSQL alike.

The metrics, for a year Y (1 January to 31 December) and an agency's own records:

- **Replied on time**: applications closed in Y whose closing date is on or before their
  due date, out of the applications that fell due: those closed in Y that had a due date,
  and those still open today whose due date has passed and fell on or before 31 December
  of Y (the open ones of *Overdue* below), which can no longer be answered on time. Counting
  only the closed ones would show an agency that leaves its late applications unanswered
  at 100 %. The due date is the cached ``Application.due_on``. For a closed application it is final: ``refresh_clock``
  runs in the same transaction as the reply or withdrawal, and once a closing event exists
  the clock judges every pause and lapse up to the closing date, never ``today``, so the
  cache equals ``timing.compute(app, today=app.closed_on).due`` and one SQL comparison
  replaces a replay of every application's events. Applications closed without a running
  period (withdrawn before receipt was confirmed, closed while a correction was awaited)
  have no due date and are left out, as the clock itself never calls them late.
- **Overdue**: applications closed late in Y (the complement of the above) plus those still
  open today whose due date has passed and fell on or before 31 December of Y. Open ones
  follow the cached clock that every action and the daily ``xxgk remind`` refresh: an
  application whose cached state is *lapsed* is to be closed with the lapse outcome, not
  answered, and one cached as *paused* has a due date that moves while the pause lasts, so
  neither is counted until the clock says it is overdue.
- **Appeal results corrected**: of the reconsideration and litigation cases filed in Y and
  decided by 31 December, the share whose result is 结果纠正 — the same cases section 四
  of the annual report counts, so the scorecard agrees with the published report.
- **Proactive items published within 20 working days** (Art. 26) and **policy documents
  with an interpretation**: counted by the catalogue (``catalog.counting``) for agencies
  that keep it in xxgk. Late items count against the agency as late applications do: the
  rate is out of the items that fell due, those published in Y and those still a draft or
  in review today past a deadline that fell on or before 31 December of Y
  (``counting.unpublished_late``), which can no longer be published on time;
  ``Figures.items_late`` is those published late plus those. For the others, and where an
  agency entered its own figure for the annual report (``reports.EnteredFigures``), only
  the denominator is known and the rate is *not recorded* — never a guess.
- **Consultations with a published feedback report**: of the consultations opened in Y,
  those whose feedback report is published, for agencies that keep their consultations in
  xxgk (``consultations.counting``); otherwise, as above, only the entered denominator.
- **Trainings**: sessions recorded by the OGI office (``Training``) that the agency's staff
  attended, those it organised, and the people present at those.

A roll-up over a subtree adds up the counts of its agencies, and computes its rates from
the summed counts (never by averaging rates). Entered figures add up what was entered and
stay *not recorded* only if no agency entered them; ``Figures.entered`` says how many did.
Trainings attended are counted once per session however many agencies of the subtree sent
staff, which takes one query per subtree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from xxgk import taxonomy
from xxgk.appeals.counting import year_end_results
from xxgk.appeals.models import PENDING
from xxgk.applications.clock import ClockState
from xxgk.applications.models import Application, Status
from xxgk.catalog import counting
from xxgk.consultations.counting import counts as consultation_counts
from xxgk.reports.models import EnteredFigures

from .models import Training

# ---- The arithmetic (pure) -------------------------------------------------------------


def percentage(part: int | None, whole: int | None) -> float | None:
    """``part`` as a percentage of ``whole``; None when either is not recorded or ``whole``
    is 0 (no cases: a rate of nothing is not 0 % and not 100 %)."""
    if part is None or whole is None or whole == 0:
        return None
    return 100 * part / whole


@dataclass(frozen=True)
class Rate:
    """``part`` out of ``whole``; None in either means the source does not record it."""

    part: int | None
    whole: int | None

    @property
    def recorded(self) -> bool:
        return self.part is not None and self.whole is not None

    @property
    def percent(self) -> float | None:
        return percentage(self.part, self.whole)

    @property
    def fraction(self) -> float | None:
        """The rate as a spreadsheet stores a percentage (0.5 for 50 %)."""
        percent = self.percent
        return None if percent is None else percent / 100


@dataclass(frozen=True)
class Figures:
    """The raw counts of one agency (or of a subtree, rolled up) for a year.

    Counts from records are ints. Figures from a source that may not hold them are
    ``int | None``, None meaning *not recorded* (which is not zero).
    """

    received: int = 0
    closed: int = 0
    closed_with_due: int = 0
    closed_on_time: int = 0
    open_overdue: int = 0
    appeals_upheld: int = 0
    appeals_corrected: int = 0
    appeals_other: int = 0
    appeals_pending: int = 0
    items_published: int | None = None
    items_published_on_time: int | None = None
    # Proactive items not published today whose deadline passed in or before the year.
    items_unpublished_late: int | None = None
    consultations: int | None = None
    consultations_with_feedback: int | None = None
    policy_documents: int | None = None
    policy_documents_interpreted: int | None = None
    interpretations: int | None = None
    trainings_attended: int = 0
    trainings_organised: int = 0
    training_attendees: int = 0
    # How many agencies entered figures for the year (1 or 0 for one agency).
    entered: int = 0
    agencies: int = 1

    @property
    def fell_due(self) -> int:
        """The applications the on-time rate is out of: closed in the year with a running
        period, or still open past a due date in or before the year."""
        return self.closed_with_due + self.open_overdue

    @property
    def on_time(self) -> Rate:
        return Rate(self.closed_on_time, self.fell_due)

    @property
    def closed_late(self) -> int:
        return self.closed_with_due - self.closed_on_time

    @property
    def overdue(self) -> int:
        return self.open_overdue + self.closed_late

    @property
    def appeals_decided(self) -> int:
        return self.appeals_upheld + self.appeals_corrected + self.appeals_other

    @property
    def appeals_filed(self) -> int:
        return self.appeals_decided + self.appeals_pending

    @property
    def appeal_corrections(self) -> Rate:
        return Rate(self.appeals_corrected, self.appeals_decided)

    @property
    def items_fell_due(self) -> int | None:
        """The items the publishing rate is out of: published in the year, or still
        unpublished past a deadline in or before it."""
        if self.items_published is None:
            return None
        return self.items_published + (self.items_unpublished_late or 0)

    @property
    def items_late(self) -> int | None:
        """Items published after their deadline plus those still unpublished past it."""
        if self.items_published is None or self.items_published_on_time is None:
            return None
        return self.items_fell_due - self.items_published_on_time

    @property
    def proactive_on_time(self) -> Rate:
        return Rate(self.items_published_on_time, self.items_fell_due)

    @property
    def consultation_feedback(self) -> Rate:
        return Rate(self.consultations_with_feedback, self.consultations)

    @property
    def policy_interpreted(self) -> Rate:
        return Rate(self.policy_documents_interpreted, self.policy_documents)


# The figures whose source may not record them (annotated ``int | None`` above).
OPTIONAL_FIGURES: frozenset[str] = frozenset(
    f.name for f in fields(Figures) if f.type == "int | None")
NOT_RECORDED = Rate(None, None)


def _sum(values: list[int | None], optional: bool) -> int | None:
    recorded = [v for v in values if v is not None]
    if optional and not recorded:
        return None
    return sum(recorded)


# The rates whose part some agencies' sources do not record: (part, whole).
PARTIAL_RATES: tuple[tuple[str, str], ...] = (
    ("items_published_on_time", "items_published"),
    ("consultations_with_feedback", "consultations"),
    ("policy_documents_interpreted", "policy_documents"),
)


def roll_up(parts: Sequence[Figures], *, trainings_attended: int) -> Figures:
    """The figures of a subtree: every count summed, except ``trainings_attended``, which
    the caller counts once per session (a session several agencies attended is one).

    A rate's part is not recorded for the subtree when any agency records the whole but
    not the part (entered figures): summing the parts that are known over every whole
    would understate the rate."""
    summed = {f.name: _sum([getattr(p, f.name) for p in parts], f.name in OPTIONAL_FIGURES)
              for f in fields(Figures)}
    for part, whole in PARTIAL_RATES:
        if any(getattr(p, whole) is not None and getattr(p, part) is None for p in parts):
            summed[part] = None
    return replace(Figures(**summed), trainings_attended=trainings_attended)


@dataclass(frozen=True)
class Row:
    """One line of the scorecard table: an agency's own figures, or a subtree's total."""

    agency_id: int
    figures: Figures
    total: bool = False


# What each sortable column sorts by. None sorts last whichever the direction.
SORT_KEYS: dict[str, Callable[[Figures], float | int | None]] = {
    "received": lambda f: f.received,
    "closed": lambda f: f.closed,
    "on_time": lambda f: f.on_time.percent,
    "overdue": lambda f: f.overdue,
    "appeals": lambda f: f.appeal_corrections.percent,
    "proactive": lambda f: f.proactive_on_time.percent,
    "feedback": lambda f: f.consultation_feedback.percent,
    "interpreted": lambda f: f.policy_interpreted.percent,
    "trainings": lambda f: f.trainings_attended,
}


def sort_rows(rows: Sequence[Row], key: str, *, descending: bool = False) -> list[Row]:
    """``rows`` sorted by the column ``key`` (``agency``: the given order, the agency
    tree's); ties and an unknown key keep the given order. Rows without a value go last,
    whichever the direction."""
    if key == "agency":
        return list(reversed(rows)) if descending else list(rows)
    extract = SORT_KEYS.get(key)
    if extract is None:
        return list(rows)
    with_value = [row for row in rows if extract(row.figures) is not None]
    without = [row for row in rows if extract(row.figures) is None]
    # sorted() is stable, so equal values keep the agency order in both directions.
    with_value.sort(key=lambda row: extract(row.figures), reverse=descending)
    return with_value + without


def short_names(names: Sequence[str]) -> list[str]:
    """The names without the prefix they all share (北京市西城区教育委员会 → 教育委员会), for
    chart labels. English names are cut at a word boundary; a name that would be left
    empty keeps its prefix."""
    if len(names) < 2:
        return list(names)
    prefix = names[0]
    for name in names[1:]:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    if prefix and all(name.isascii() for name in names):
        prefix = prefix[: prefix.rfind(" ") + 1]
    return [name[len(prefix):] or name for name in names]


# ---- The metrics, their labels and definitions ---------------------------------------------


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any
    definition: Any


METRICS: tuple[Metric, ...] = (
    Metric("received", _("Applications received"),
           _("Applications whose receipt was confirmed in the year.")),
    Metric("closed", _("Applications closed"),
           _("Applications replied to or withdrawn in the year.")),
    Metric("on_time", _("Replied on time"),
           _("Closed in the year on or before the due date of the statutory clock, out of "
             "the applications that fell due: those closed in the year with a running "
             "period, and those still open today past a due date that fell in or before the "
             "year (which count as not on time).")),
    Metric("overdue", _("Overdue"),
           _("Closed late in the year, plus still open today past a due date that fell in or "
             "before the year.")),
    Metric("appeals", _("Appeal results corrected"),
           _("Reconsideration and litigation cases filed in the year and decided by "
             "31 December whose result is 结果纠正, out of those decided (as section 四 of "
             "the annual report counts them).")),
    Metric("proactive", _("Published within 20 working days"),
           _("Proactive items published within 20 working days of being formed (Art. 26), "
             "out of the items that fell due: those published in the year, and those still "
             "unpublished today past a deadline that fell in or before the year (which count "
             "as late), as the catalogue counts them. Not recorded for an agency that does "
             "not keep its catalogue in xxgk or entered its own figure.")),
    Metric("feedback", _("Consultations with a feedback report"),
           _("Consultations whose feedback report was published, out of the consultations "
             "held. Not recorded for an agency that does not keep its consultations in xxgk "
             "or entered its own figure.")),
    Metric("interpreted", _("Policy documents interpreted"),
           _("Policy documents with a published interpretation, out of the policy documents "
             "published, as the catalogue counts them. Not recorded for an agency that does "
             "not keep its catalogue in xxgk or entered its own figure.")),
    Metric("trainings", _("Trainings attended"),
           _("Training sessions recorded by the OGI office that the agency's staff "
             "attended.")),
)


# ---- The queries -------------------------------------------------------------------------


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# Open applications in these cached states are not counted overdue (see the module text).
NOT_OVERDUE_STATES: tuple[str, ...] = (ClockState.LAPSED.value, ClockState.PAUSED.value)
# Named rather than "not closed", so that the (agency, status, due date) index serves.
OPEN_STATUSES: tuple[str, ...] = tuple(s for s in Status.values if s != Status.CLOSED)
APPLICATION_COUNTS = ("received", "closed", "closed_with_due", "closed_on_time", "open_overdue")


def _by_agency(queryset: QuerySet[Application], **counts: Count) -> dict[int, dict[str, int]]:
    return {row.pop("agency_id"): row
            for row in queryset.order_by().values("agency_id").annotate(**counts)}


def application_counts(agency_ids: Iterable[int], year: int,
                       today: dt.date) -> dict[int, dict[str, int]]:
    """``{agency id: {received, closed, closed_with_due, closed_on_time, open_overdue}}``
    (absent: all zero), for the applications the agencies handle.

    Three queries, each reading only the rows it counts through an index of
    ``Application`` (agency with receipt date; agency with closing date; agency with
    status and due date): one query over "received or closed or overdue" would have to
    read every application of the agencies instead.
    """
    first, last = _year(year)
    mine = Application.objects.filter(agency_id__in=list(agency_ids))
    counts: dict[int, dict[str, int]] = {}
    parts = [
        _by_agency(mine.filter(received_on__range=(first, last)), received=Count("id")),
        _by_agency(mine.filter(closed_on__range=(first, last)),
                   closed=Count("id"),
                   closed_with_due=Count("id", filter=Q(due_on__isnull=False)),
                   closed_on_time=Count("id", filter=Q(due_on__gte=F("closed_on")))),
        _by_agency(mine.filter(status__in=OPEN_STATUSES,
                               due_on__lt=min(today, last + dt.timedelta(days=1)))
                   .exclude(clock_state__in=NOT_OVERDUE_STATES), open_overdue=Count("id")),
    ]
    for part in parts:
        for agency_id, values in part.items():
            counts.setdefault(agency_id, dict.fromkeys(APPLICATION_COUNTS, 0)).update(values)
    return counts


def _month_counts(queryset: QuerySet[Application], field: str, year: int) -> list[int]:
    """How many rows of ``queryset`` have ``field`` in each month of ``year``, in one query
    (a filtered count per month rather than a date function, which SQLite runs in Python)."""
    bounds = [(dt.date(year, month, 1),
               dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
              for month in range(1, 13)]
    totals = queryset.filter(**{f"{field}__range": _year(year)}).aggregate(**{
        f"m{i}": Count("id", filter=Q(**{f"{field}__range": bound}))
        for i, bound in enumerate(bounds)})
    return [totals[f"m{i}"] for i in range(12)]


def monthly_applications(agency_ids: Iterable[int], year: int) -> list[tuple[int, int, int]]:
    """``(month, received, closed)`` for each month of ``year``, in two queries."""
    mine = Application.objects.filter(agency_id__in=list(agency_ids)).order_by()
    received = _month_counts(mine, "received_on", year)
    closed = _month_counts(mine, "closed_on", year)
    return [(month, received[month - 1], closed[month - 1]) for month in range(1, 13)]


def appeal_results(agency_ids: Iterable[int], year: int) -> dict[int, dict[str, int]]:
    """``{agency id: {upheld, corrected, other, pending}}`` for the cases filed in ``year``,
    each with its result as of 31 December: ``appeals.counting.year_end_results``, the rule
    section 四 of the annual report counts by, summed over the kinds."""
    counts: dict[int, dict[str, int]] = {}
    for row in year_end_results(agency_ids, year):
        counts.setdefault(row.agency_id,
                          dict.fromkeys(taxonomy.APPEAL_RESULT_KEYS, 0))[row.result] += row.n
    return counts


def _entered(agency_ids: Iterable[int], year: int, *names: str) -> dict[int, dict[str, Any]]:
    rows = (EnteredFigures.objects.filter(agency_id__in=list(agency_ids), year=year)
            .order_by().values("agency_id", *names))
    return {row.pop("agency_id"): row for row in rows}


def entered_agencies(agency_ids: Iterable[int], year: int) -> set[int]:
    """The agencies that entered figures for ``year``."""
    return set(EnteredFigures.objects.filter(agency_id__in=list(agency_ids), year=year)
               .order_by().values_list("agency_id", flat=True))


def proactive_on_time(agency_ids: Iterable[int], year: int,
                      counted: dict[int, dict[str, int]]) -> dict[int, Rate]:
    """Proactive items published within 20 working days, out of the items published (the
    items late and still unpublished are added by ``Figures.proactive_on_time``).

    ``counted`` is ``catalog.counting.item_counts`` for the agencies and year: for an
    agency that keeps its catalogue in xxgk, both counts come from it (an entered figure
    wins, as in the annual report, and then the timely count is not recorded). For the
    others only the entered ``items_published`` is known.
    """
    rates = {agency_id: Rate(None, row["items_published"])
             for agency_id, row in _entered(agency_ids, year, "items_published").items()}
    for agency_id, row in counted.items():
        if agency_id not in rates or rates[agency_id].whole is None:
            rates[agency_id] = Rate(row["on_time"], row["items_published"])
    return rates


def consultation_feedback(agency_ids: Iterable[int], year: int) -> dict[int, Rate]:
    """Consultations with a published feedback report, out of the consultations held.

    From the consultations kept in xxgk (``consultations.counting``) where the agency
    entered no figure of its own; otherwise the entered ``consultations``, with which of
    them published feedback not recorded.
    """
    rates = {agency_id: Rate(None, row["consultations"])
             for agency_id, row in _entered(agency_ids, year, "consultations").items()}
    for agency_id, row in consultation_counts(agency_ids, year).items():
        if agency_id not in rates or rates[agency_id].whole is None:
            rates[agency_id] = Rate(row["with_feedback"], row["consultations"])
    return rates


def policy_interpretation(agency_ids: Iterable[int], year: int,
                          counted: dict[int, dict[str, int]],
                          ) -> dict[int, tuple[Rate, int | None]]:
    """Policy documents with an interpretation, out of the policy documents issued, and the
    number of interpretations published.

    From the catalogue (``counted``, as in ``proactive_on_time``) where the agency keeps
    it and entered nothing; otherwise the entered ``policy_documents`` and
    ``interpretations``, with which documents were interpreted not recorded.
    """
    rows = _entered(agency_ids, year, "policy_documents", "interpretations")
    rates = {agency_id: (Rate(None, row["policy_documents"]), row["interpretations"])
             for agency_id, row in rows.items()}
    for agency_id, row in counted.items():
        entered = rows.get(agency_id, {})
        if entered.get("policy_documents") is None:
            interpretations = entered.get("interpretations")
            rates[agency_id] = (
                Rate(row["policies_interpreted"], row["policy_documents"]),
                row["interpretations"] if interpretations is None else interpretations)
    return rates


def training_counts(agency_ids: Iterable[int], year: int) -> dict[int, dict[str, int]]:
    """``{agency id: {attended, organised, attendees}}`` for the sessions held in ``year``,
    in two queries."""
    first, last = _year(year)
    ids = list(agency_ids)
    counts: dict[int, dict[str, int]] = {}

    def entry(agency_id: int) -> dict[str, int]:
        return counts.setdefault(agency_id, {"attended": 0, "organised": 0, "attendees": 0})

    attended = (Training.agencies.through.objects
                .filter(agency_id__in=ids, training__date__range=(first, last))
                .order_by().values_list("agency_id").annotate(n=Count("training_id")))
    for agency_id, n in attended:
        entry(agency_id)["attended"] = n
    organised = (Training.objects.filter(agency_id__in=ids, date__range=(first, last))
                 .order_by().values_list("agency_id")
                 .annotate(n=Count("id"), people=Sum("attendees")))
    for agency_id, n, people in organised:
        entry(agency_id).update(organised=n, attendees=people or 0)
    return counts


def trainings_attended_by_any(agency_ids: Iterable[int], year: int) -> int:
    """The sessions held in ``year`` that staff of at least one of the agencies attended."""
    first, last = _year(year)
    return (Training.objects.filter(date__range=(first, last), agencies__in=list(agency_ids))
            .values("id").distinct().count())


# ---- The scorecard -----------------------------------------------------------------------


@dataclass(frozen=True)
class Scorecard:
    """A year's scorecard of a set of agencies: a row per agency (its own records), a
    total per subtree in the set that has more than one agency, and the months."""

    year: int
    rows: list[Row]
    totals: list[Row]
    months: list[tuple[int, int, int]]


def agency_figures(agency_ids: Sequence[int], year: int, today: dt.date) -> dict[int, Figures]:
    """Every agency's own figures for ``year``: one query per source, whatever the number
    of agencies."""
    applications = application_counts(agency_ids, year, today)
    appeals = appeal_results(agency_ids, year)
    counted = counting.item_counts(agency_ids, year)
    proactive = proactive_on_time(agency_ids, year, counted)
    # Only for the agencies the catalogue counts: elsewhere nothing is known to be late.
    late = counting.unpublished_late(list(counted), year, today)
    feedback = consultation_feedback(agency_ids, year)
    policy = policy_interpretation(agency_ids, year, counted)
    trainings = training_counts(agency_ids, year)
    entered = entered_agencies(agency_ids, year)
    figures = {}
    for agency_id in agency_ids:
        appeal = appeals.get(agency_id, {})
        training = trainings.get(agency_id, {})
        policy_rate, interpretations = policy.get(agency_id, (NOT_RECORDED, None))
        items = proactive.get(agency_id, NOT_RECORDED)
        consulted = feedback.get(agency_id, NOT_RECORDED)
        figures[agency_id] = Figures(
            **applications.get(agency_id, {}),
            appeals_upheld=appeal.get("upheld", 0),
            appeals_corrected=appeal.get("corrected", 0),
            appeals_other=appeal.get("other", 0),
            appeals_pending=appeal.get(PENDING, 0),
            items_published=items.whole,
            items_published_on_time=items.part,
            items_unpublished_late=(late.get(agency_id, 0) if agency_id in counted
                                    else None),
            consultations=consulted.whole,
            consultations_with_feedback=consulted.part,
            policy_documents=policy_rate.whole,
            policy_documents_interpreted=policy_rate.part,
            interpretations=interpretations,
            trainings_attended=training.get("attended", 0),
            trainings_organised=training.get("organised", 0),
            training_attendees=training.get("attendees", 0),
            entered=int(agency_id in entered),
        )
    return figures


def roots(paths: dict[int, str]) -> list[int]:
    """The agencies of ``paths`` (id → materialised path) that no other one contains."""
    return [agency_id for agency_id, path in paths.items()
            if not any(path != other and path.startswith(other) for other in paths.values())]


def scorecard(paths: dict[int, str], year: int, today: dt.date) -> Scorecard:
    """The scorecard of the agencies ``paths`` (id → path, in display order) for ``year``.

    The caller passes the agencies the user may see (``access.visible_agencies``)."""
    ids = list(paths)
    figures = agency_figures(ids, year, today)
    rows = [Row(agency_id, figures[agency_id]) for agency_id in ids]
    totals = []
    for root in roots(paths):
        members = [i for i in ids if paths[i].startswith(paths[root])]
        if len(members) > 1:
            totals.append(Row(root, roll_up(
                [figures[i] for i in members],
                trainings_attended=trainings_attended_by_any(members, year)), total=True))
    return Scorecard(year, rows, totals, monthly_applications(ids, year))
