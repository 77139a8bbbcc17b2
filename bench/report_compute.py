"""Computing a year's annual report over 1,000,000 applications and 1,000,000 catalogue
items: target under 2 s.

Builds a fresh database (SQLite file by default; --db postgres), a district with 50
agencies, N applications spread over three years with outcomes, applicant columns and
dates across the year boundaries, some appeal cases, and M catalogue items over the same
three years (2% of them policy documents, a quarter of those interpreted, some repealed or
amended); then times what the report shows — `reports.compute.compute_report(district,
year)` (every table, rolled up over the whole district) and the publishing figures of
section 一 (`reports.proactive.publishing_figures`) — and, beside it, the bare SQL
aggregate queries they need, run directly.

    .venv/bin/python bench/report_compute.py [--applications 1000000] [--items 1000000]
        [--runs 5] [--db sqlite|postgres]
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
 WHERE agency_id IN ({ids}) AND filed_on BETWEEN %s AND %s GROUP BY kind, result;
SELECT agency_id, COUNT(*), COUNT(*) FILTER (WHERE key_area),
       COUNT(*) FILTER (WHERE published_on <= publish_by) FROM catalog_infoitem
 WHERE agency_id IN ({ids}) AND state = 'published' AND attribute = 'proactive'
   AND published_on BETWEEN %s AND %s GROUP BY agency_id;
SELECT i.agency_id, p.kind, COUNT(*) FROM catalog_policydocument p
 JOIN catalog_infoitem i ON i.id = p.infoitem_ptr_id
 WHERE i.agency_id IN ({ids}) AND i.state = 'published' AND p.issued_on BETWEEN %s AND %s
 GROUP BY i.agency_id, p.kind;
SELECT i.agency_id, p.kind, COUNT(*) FROM catalog_policydocument p
 JOIN catalog_infoitem i ON i.id = p.infoitem_ptr_id
 WHERE i.agency_id IN ({ids}) AND i.state = 'published' AND p.issued_on <= %s
   AND COALESCE((SELECT c.validity FROM catalog_validitychange c WHERE c.document_id = p.infoitem_ptr_id
                 AND c.changed_on <= %s ORDER BY c.changed_on DESC, c.id DESC LIMIT 1),
                'in_force') IN ('in_force', 'amended')
 GROUP BY i.agency_id, p.kind;
SELECT i.agency_id, p.kind, COUNT(DISTINCT c.document_id) FROM catalog_validitychange c
 JOIN catalog_policydocument p ON p.infoitem_ptr_id = c.document_id
 JOIN catalog_infoitem i ON i.id = p.infoitem_ptr_id
 WHERE i.agency_id IN ({ids}) AND i.state = 'published' AND c.validity = 'repealed'
   AND c.changed_on BETWEEN %s AND %s GROUP BY i.agency_id, p.kind
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


def fill_items(count: int, agencies: list[int]) -> None:
    """Bulk catalogue rows: published items, 2% of them policy documents (the child rows
    written in SQL, as bulk_create cannot write multi-table models), a quarter of those
    interpreted, one in ten repealed and one in ten amended."""
    from django.db import connection, transaction
    from rich.progress import track

    from xxgk.catalog.models import InfoItem

    rng = random.Random(12)
    start = dt.date(YEAR - 1, 1, 1)
    batch = 20_000
    policy_rows, interpretation_rows, change_rows = [], [], []
    first_id = (InfoItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    for first in track(range(0, count, batch), description="catalogue items"):
        rows = []
        for i in range(first, min(first + batch, count)):
            formed = start + dt.timedelta(days=rng.randint(0, 3 * 365 - 1))
            published = formed + dt.timedelta(days=rng.randint(0, 40))
            rows.append(InfoItem(
                agency_id=rng.choice(agencies), index_no=f"{i:08d}", title="信息",
                key_area=rng.random() < 0.1, state="published", attribute="proactive",
                formed_on=formed, publish_by=formed + dt.timedelta(days=28),
                published_on=published))
            item_id = first_id + i
            if i % 50 == 0:
                policy_rows.append((item_id, rng.choice(("rules", "normative_documents",
                                                         "other")), formed, "in_force"))
                if rng.random() < 0.2:
                    change_rows.append((item_id, published + dt.timedelta(days=rng.randint(
                        1, 500)), rng.choice(("repealed", "amended"))))
            elif i % 50 == 1 and rng.random() < 0.25:
                interpretation_rows.append((item_id, item_id - 1))
        with transaction.atomic():
            InfoItem.objects.bulk_create(rows)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany("INSERT INTO catalog_policydocument (infoitem_ptr_id, kind, doc_no,"
                           " issued_on, validity) VALUES (%s, %s, '', %s, %s)", policy_rows)
        cursor.executemany("INSERT INTO catalog_interpretation (infoitem_ptr_id, policy_id) "
                           "VALUES (%s, %s)", interpretation_rows)
        cursor.executemany("INSERT INTO catalog_validitychange (document_id, changed_on, "
                           "validity, note, recorded_at) VALUES (%s, %s, %s, '', now())"
                           if connection.vendor == "postgresql" else
                           "INSERT INTO catalog_validitychange (document_id, changed_on, "
                           "validity, note, recorded_at) VALUES (%s, %s, %s, '', "
                           "CURRENT_TIMESTAMP)", change_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    with fresh_database(args.db, "report"):
        top, ids = fill(args.applications)
        fill_items(args.items, ids)
        from django.db import connection

        from xxgk.core.db import refresh_planner_statistics
        from xxgk.reports.compute import compute_report, scope
        from xxgk.reports.proactive import publishing_figures

        refresh_planner_statistics()  # as `xxgk migrate` does after a bulk import

        first, last = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
        params = [[first, last], [first, last], [first, first], [last, last], [first, last],
                  [first, last], [first, last], [last, last], [first, last]]
        statements = [q.format(ids=",".join(map(str, ids)))
                      for q in BARE_SQL.strip().split(";\n")]
        report_times, sql_times = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            report = compute_report(top, YEAR)
            publishing = publishing_figures(scope(top), YEAR)
            report_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for statement, values in zip(statements, params, strict=True):
                    cursor.execute(statement, values)
                    cursor.fetchall()
            sql_times.append(time.perf_counter() - started)
        total = report.applications["total"]["total"]
        print(f"\n{args.applications:,} applications, {args.items:,} catalogue items, "
              f"{len(ids)} agencies, {connection.vendor}; {YEAR}: {total:,} applications "
              f"closed, {publishing['items_published']:,} items published, "
              f"{report.proactive['normative_documents']['in_force']:,} normative documents "
              f"in force")
        print(f"  compute_report + publishing figures (median of {args.runs})  "
              f"{statistics.median(report_times):7.3f} s")
        print(f"  bare SQL aggregates                                  "
              f"{statistics.median(sql_times):7.3f} s")
        print(f"  ratio                                                "
              f"{statistics.median(report_times) / statistics.median(sql_times):7.2f}")
        print("  (target: under 2 s)")

if __name__ == "__main__":
    main()
