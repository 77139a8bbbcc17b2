"""The years between the seed's and this one: 2024 to last year, built in full.

Steps appended to ``build.STEPS`` after the 2023 report, each looping over
:func:`history_years` (relative to the day the demo is built, so a demo built next year
has one more year):

1. **Applications**: every year a volume and mix of outcomes near 2023's (the seed's
   table, each cell scaled by a factor of the year and jittered), each answered within the
   year, plus a few dozen received in late December and answered in January: the next
   year's 上年结转. Carried over from 2023 are the 41 of the 2023 step, so the balance
   chains from one year to the next by construction of the counts.
2. **Appeals**: section 四 near 2023's, on the year's unfavourable answers; the cases
   pending at the year's end are decided the next year.
3. **Trainings**: the OGI office's four sessions of the year, as in 2023.

Every record goes through the actions layers, under ``letters_deferred`` (the replies'
letters are rendered when first downloaded). A year gets its own generator drawn from the
step's, so adding a year never changes the ones before it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from xxgk.agencies.models import Agency
from xxgk.applications.models import Application
from xxgk.oversight.actions import record_training
from xxgk.oversight.models import Training

from . import applications as apps
from . import district, oversight

FIRST_YEAR = 2024
# How each year's volume compares with 2023's (a year not listed: like 2023).
VOLUME: dict[int, float] = {2024: 0.93, 2025: 1.08}
# The applications received in late December and answered in January, by outcome.
CARRIED_MIX: dict[str, float] = {
    "disclosed": 0.36, "partially_disclosed": 0.1, "unavailable.not_held": 0.38,
    "unavailable.needs_creation": 0.06, "not_processed.repeated": 0.05,
    "not_processed.petition_or_complaint": 0.05,
}


def history_years(today: dt.date | None = None) -> list[int]:
    """2024 to last year: the years built in full."""
    today = today or timezone.localdate()
    return list(range(FIRST_YEAR, today.year))


def year_rng(rng: random.Random, year: int) -> random.Random:
    # One draw per year from the step's generator would make a year depend on how many
    # came before; a string seed of the step's first draw and the year does not.
    return random.Random(f"{_base(rng)}:{year}")


def _base(rng: random.Random) -> int:
    """The step's seed material, read once (the generator's first draw, memoised on it)."""
    base = getattr(rng, "_demo_base", None)
    if base is None:
        base = rng.getrandbits(64)
        rng._demo_base = base  # type: ignore[attr-defined]
    return base


def outcomes_of(year: int, rng: random.Random) -> dict[str, dict[str, int]]:
    """The applications received and answered in ``year``, by outcome and column: 2023's
    closed table (without its carried-in tail) scaled and jittered."""
    scale = VOLUME.get(year, 1.0)
    table: dict[str, dict[str, int]] = {}
    for outcome, columns in apps._minus(apps.OUTCOMES_2023, apps.OUTCOMES_2022_TAIL).items():
        row = {column: max(round(n * scale * rng.uniform(0.8, 1.2)), 0)
               for column, n in columns.items()}
        table[outcome] = {column: n for column, n in row.items() if n}
    return {outcome: row for outcome, row in table.items() if row}


def carried_of(year: int, rng: random.Random) -> dict[str, dict[str, int]]:
    """The ones received in late December of ``year`` and answered in January."""
    total = round(41 * VOLUME.get(year, 1.0) * rng.uniform(0.75, 1.3))
    table: dict[str, dict[str, int]] = {}
    for outcome, share in CARRIED_MIX.items():
        n = max(round(total * share), 1)
        organisations = 1 if n > 4 and rng.random() < 0.5 else 0
        table[outcome] = {apps.NP: n - organisations, **({apps.OO: 1} if organisations else {})}
    return table


def _size(table: dict[str, dict[str, int]]) -> int:
    return sum(sum(row.values()) for row in table.values())


APPROXIMATE_PER_YEAR = 1560  # for the progress bar, before the year's table is drawn


def build_applications(rng: random.Random, advance: Callable[[int], None]) -> int:
    """Each year's applications, answered within it, and its December tail."""
    today = timezone.localdate()
    writer, days = apps.Writer(), apps.Days()
    total = 0
    for year in history_years(today):
        yrng = year_rng(rng, year)
        planner = apps.Planner(yrng, days, writer.names())
        year_days = days.between(dt.date(year, 1, 3), dt.date(year, 12, 15))
        last_day = days.on_or_before(dt.date(year, 12, 31))
        plans = []
        for outcome, column in apps._expand(outcomes_of(year, yrng)):
            while True:
                plan = planner.plan(outcome, column, yrng.choice(year_days), year)
                plan.steps = planner.closing(plan, outcome)
                if apps._closing_date(plan.steps) <= last_day:
                    break
            plans.append(plan)
        late_december = days.between(dt.date(year, 12, 18), last_day)
        first_next = days.on_or_after(dt.date(year + 1, 1, 1))
        for outcome, column in apps._expand(carried_of(year, yrng)):
            received = yrng.choice(late_december)
            plan = planner.plan(outcome, column, received, year)
            reply_on = max(days.add(received, yrng.randint(5, 18)), first_next)
            # Answered in January unless that is still to come: then it is live work.
            plan.steps = [apps.Reply(reply_on, outcome)] if reply_on < today else []
            plans.append(plan)
        total += writer.write_all(plans, f"demo-{year}-", advance)
    return total


# ---- Appeals ---------------------------------------------------------------------------


def appeals_of(year: int, rng: random.Random) -> dict[str, dict[str, int]]:
    scale = VOLUME.get(year, 1.0)
    return {kind: {result: max(round(n * scale * rng.uniform(0.7, 1.3)), 0 if n == 0 else 1)
                   for result, n in results.items()}
            for kind, results in apps.SEED_2023_APPEALS.items()}


def build_appeals(rng: random.Random, advance: Callable[[int], None]) -> int:
    """Each year's reconsiderations and lawsuits about its answers."""
    today = timezone.localdate()
    days = apps.Days()
    total = 0
    for year in history_years(today):
        yrng = year_rng(rng, year)
        candidates = list(Application.objects.filter(
            client_token__startswith=f"demo-{year}-", closed_on__year=year,
            outcome__in=apps.UNFAVOURABLE).select_related("agency").order_by("number"))
        yrng.shuffle(candidates)
        year_end = dt.date(year, 12, 31)
        plans: list[apps.CasePlan] = []
        for kind, results in appeals_of(year, yrng).items():
            reconsideration = kind == "reconsideration"
            for result, n in results.items():
                for _ in range(n):
                    pending = result == "pending"
                    # Pending ones concern late answers; the others early enough to be decided.
                    window = ((dt.date(year, 10, 15), dt.date(year, 12, 10)) if pending
                              else (dt.date(year, 1, 1), dt.date(year, 8, 31)))
                    application = next((a for a in candidates
                                        if window[0] <= a.closed_on <= window[1]), None)
                    if application is None:
                        continue
                    candidates.remove(application)
                    filed = days.on_or_after(application.closed_on
                                             + dt.timedelta(days=yrng.randint(5, 20)))
                    lag = yrng.randint(25, 58) if reconsideration else yrng.randint(60, 110)
                    decided = days.on_or_after(filed + dt.timedelta(days=lag))
                    if pending:
                        decided = days.on_or_after(max(decided, dt.date(year + 1, 1, 4)))
                    else:
                        decided = days.on_or_before(min(decided, year_end))
                    plans.append(apps.CasePlan(kind, result, application.agency.code,
                                               application, filed,
                                               decided if decided < today else None))
        apps._number_cases(plans)
        total += apps._write_cases(plans, yrng, advance)
    return total


# ---- Trainings -------------------------------------------------------------------------


def build_trainings(rng: random.Random, advance: Callable[[int], None]) -> int:
    """The OGI office's sessions of each year, on the working day nearest 2023's dates."""
    top = Agency.objects.get(code=district.DISTRICT[0])
    below = list(top.subtree().exclude(pk=top.pk).order_by("path"))
    days = apps.Days()
    count = 0
    for year in history_years():
        yrng = year_rng(rng, year)
        for date, title, audience in oversight.TRAININGS_2023:
            on = days.on_or_after(date.replace(year=year))
            attending = [a for a in below if audience == "all" or a.kind == audience]
            attendees = sum(yrng.randint(1, 3) for _agency in attending)
            if not Training.objects.filter(agency=top, date=on, title=title).exists():
                record_training(agency=top, date=on, title=title, attendees=attendees,
                                agencies=attending, notes=oversight.NOTES)
            advance(1)
            count += 1
    return count
