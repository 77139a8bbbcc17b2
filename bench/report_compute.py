"""Computing a year's annual report over 1,000,000 applications: target under 2 s.

Builds a fresh database (SQLite file by default; --db postgres), a district with 50
agencies, N applications spread over three years with outcomes, applicant columns and
dates across the year boundaries, and some appeal cases; then times
`reports.compute.compute_report(district, year)` (roll-up over the whole district) and,
beside it, the bare SQL aggregate queries the report needs, run directly.

The catalogue (proactive items) does not exist yet: section 二 comes from entered figures,
one row per agency, so the "1,000,000 items" half of the issue's figure cannot be measured.

    .venv/bin/python bench/report_compute.py [--applications 1000000] [--runs 5] [--db sqlite|postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time

from fresh_db import fresh_database

YEAR = 2024

BARE_SQL = """
SELECT outcome, applicant_column, COUNT(*) FROM applications_application
 WHERE agency_id IN ({ids}) AND closed_on BETWEEN %s AND %s GROUP BY outcome, applicant_column;
SELECT applicant_column, COUNT(*) FROM applications_application
 WHERE agency_id IN ({ids}) AND received_on BETWEEN %s AND %s GROUP BY applicant_column;
SELECT applicant_column, COUNT(*) FROM applications_application
 WHERE agency_id IN ({ids}) AND received_on < %s AND (closed_on IS NULL OR closed_on >= %s)
 GROUP BY applicant_column;
SELECT applicant_column, COUNT(*) FROM applications_application
 WHERE agency_id IN ({ids}) AND received_on <= %s AND (closed_on IS NULL OR closed_on > %s)
 GROUP BY applicant_column;
SELECT kind, result, COUNT(*) FROM appeals_appealcase
 WHERE agency_id IN ({ids}) AND filed_on BETWEEN %s AND %s GROUP BY kind, result
"""


def fill(count: int):
    """Bulk rows (a benchmark fixture, not history written through the actions layer)."""
    from django.db import transaction
    from django.utils import timezone
    from rich.progress import track

    from xxgk import taxonomy
    from xxgk.agencies.models import Agency
    from xxgk.appeals.models import AppealCase
    from xxgk.applications.models import Application

    top = Agency.objects.create(code="110102", name="北京市西城区人民政府", kind="district",
                                report_covers_subtree=True)
    agencies = [top] + [Agency.objects.create(code=f"110102{i:03d}", name=f"机关{i}",
                                              kind="department", parent=top)
                        for i in range(1, 50)]
    rng = random.Random(11)
    outcomes = taxonomy.OUTCOME_KEYS
    columns = taxonomy.APPLICANT_COLUMN_KEYS
    start = dt.date(YEAR - 1, 1, 1)
    batch = 20_000
    for first in track(range(0, count, batch), description="applications"):
        rows = []
        for i in range(first, min(first + batch, count)):
            received = start + dt.timedelta(days=rng.randint(0, 3 * 365 - 1))
            closed = received + dt.timedelta(days=rng.randint(1, 40))
            is_open = closed > dt.date(YEAR + 1, 12, 31)
            rows.append(Application(
                number=f"110102-{received.year}-{i:07d}", query_code_hash="x" * 64,
                agency=rng.choice(agencies), applicant_column=rng.choice(columns),
                applicant_name="申请人", applicant_key="k", channel="online",
                arrived_at=timezone.make_aware(dt.datetime.combine(received, dt.time(9))),
                received_on=received, description="…", provision_form="electronic",
                delivery="email", status="in_progress" if is_open else "closed",
                outcome="" if is_open else rng.choice(outcomes),
                closed_on=None if is_open else closed,
            ))
        with transaction.atomic():
            Application.objects.bulk_create(rows)
    AppealCase.objects.bulk_create(
        AppealCase(agency=rng.choice(agencies), kind=rng.choice(taxonomy.APPEAL_KIND_KEYS),
                   case_number=f"案{i}", body="北京市西城区人民政府",
                   filed_on=dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randint(0, 364)),
                   result="pending")
        for i in range(5000))
    return top, [a.pk for a in agencies]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    with fresh_database(args.db, "report"):
        top, ids = fill(args.applications)
        from django.db import connection

        from xxgk.reports.compute import compute_report

        first, last = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
        params = [[first, last], [first, last], [first, first], [last, last], [first, last]]
        statements = [q.format(ids=",".join(map(str, ids)))
                      for q in BARE_SQL.strip().split(";\n")]
        report_times, sql_times = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            report = compute_report(top, YEAR)
            report_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for statement, values in zip(statements, params, strict=True):
                    cursor.execute(statement, values)
                    cursor.fetchall()
            sql_times.append(time.perf_counter() - started)
        total = report.applications["total"]["total"]
        print(f"\n{args.applications:,} applications, {len(ids)} agencies, "
              f"{connection.vendor}; {YEAR}: {total:,} closed in the year")
        print(f"  compute_report (median of {args.runs})  {statistics.median(report_times):7.3f} s")
        print(f"  bare SQL aggregates                 {statistics.median(sql_times):7.3f} s")
        print(f"  ratio                               "
              f"{statistics.median(report_times) / statistics.median(sql_times):7.2f}")
        print("  (target: under 2 s)")

if __name__ == "__main__":
    main()
