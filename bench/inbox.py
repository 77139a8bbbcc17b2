"""The staff inbox with 100,000 applications in one agency: p95 of the page, target < 200 ms.

Builds a fresh database (SQLite file by default; PostgreSQL with --db postgres), fills one
agency with N applications spread over three years (about 3% still open, as a real
agency's would be) and their events, then requests the inbox page as that agency's
handler through Django's full request stack (middleware, session, template) for several
filters, and prints p50/p95 beside the baseline: the bare SQL of the same page's rows.

    .venv/bin/python bench/inbox.py [--applications 100000] [--requests 40] [--db sqlite|postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time

from fresh_db import fresh_database

# (label, query string, the same as InboxFilters arguments for the bare-SQL baseline, page)
VARIANTS = (
    ("open, by due date (default)", "", {}, 1),
    ("due within 5 working days", "?due_within=5", {"due_within": 5}, 1),
    # The exact name: names are sealed, found by their blind index.
    ("search by applicant name", "?q=%E7%8E%8B%E4%BC%9F", {"q": "王伟"}, 1),
    ("closed and open, by arrival", "?show=all&sort=arrived", {"show": "all", "sort": "arrived"}, 1),
    ("page 20 of all", "?page=20&show=all", {"show": "all"}, 20),
)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


def fill(count: int) -> tuple[object, object]:
    """Bulk-insert ``count`` applications with realistic cached columns and two events each.

    Written directly rather than through actions.py: this is a benchmark's fixture, and a
    million audited transactions would measure the setup, not the page.
    """
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone
    from rich.progress import track

    from xxgk.agencies.models import Agency, StaffRole
    from xxgk.applications.models import Application, ApplicationEvent

    top = Agency.objects.create(code="110102", name="北京市西城区人民政府", kind="district")
    agency = Agency.objects.create(code="110102103", name="北京市西城区教育委员会",
                                   kind="department", parent=top)
    user = get_user_model().objects.create_user("bench-handler", password="bench-pass-1")
    StaffRole.objects.create(user=user, agency=agency, role="handler")
    rng = random.Random(7)
    surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
    today = timezone.localdate()
    batch = 5000
    for start in track(range(0, count, batch), description="filling"):
        apps = []
        for i in range(start, min(start + batch, count)):
            arrived = today - dt.timedelta(days=rng.randint(0, 3 * 365))
            is_open = rng.random() < 0.03
            received = arrived + dt.timedelta(days=1)
            due = received + dt.timedelta(days=28)
            apps.append(Application(
                number=f"110102-{arrived.year}-{i:07d}", query_code_hash="x" * 64,
                agency=agency, addressed_to=agency, applicant_column="natural_person",
                applicant_name=rng.choice(surnames) + rng.choice("伟芳娜敏静丽强磊军洋"),
                applicant_key=f"{rng.randint(0, 20000):064d}", channel="online",
                arrived_at=timezone.make_aware(dt.datetime.combine(arrived, dt.time(9))),
                received_on=received, description="请公开有关学校建设项目的批复文件。",
                provision_form="electronic", delivery="email",
                status="in_progress" if is_open else "closed", due_on=due,
                clock_state=("overdue" if due < today else "running") if is_open else "closed",
                working_days_left=0, outcome="" if is_open else "disclosed",
                closed_on=None if is_open else received + dt.timedelta(days=rng.randint(1, 25)),
            ))
        with transaction.atomic():
            created = Application.objects.bulk_create(apps)
            ApplicationEvent.objects.bulk_create(
                ApplicationEvent(application=a, kind=kind, occurred_on=a.received_on)
                for a in created for kind in ("submitted", "receipt_confirmed")
            )
    return user, agency


def measure(user, requests: int) -> None:
    from django.db import connection
    from django.test import Client

    from xxgk.applications import inbox

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    print(f"\n{'variant':34} {'p50 ms':>8} {'p95 ms':>8} {'SQL p50':>8} {'ratio':>6}")
    for name, query, arguments, page in VARIANTS:
        url = "/staff/applications/" + query
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        page_times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            page_times.append(1000 * (time.perf_counter() - started))
        filters = inbox.InboxFilters(**arguments)
        offset = (page - 1) * inbox.PAGE_SIZE
        sql_times = []
        for _ in range(requests):
            started = time.perf_counter()
            list(inbox.inbox_queryset(user, filters)[offset:offset + inbox.PAGE_SIZE])
            sql_times.append(1000 * (time.perf_counter() - started))
        p50, p95 = statistics.median(page_times), percentile(page_times, 0.95)
        sql = statistics.median(sql_times)
        print(f"{name:34} {p50:8.1f} {p95:8.1f} {sql:8.1f} {p50 / sql:6.1f}")
    print(f"\n(target: p95 < 200 ms; database: {connection.vendor})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    with fresh_database(args.db, "inbox"):
        user, _agency = fill(args.applications)
        measure(user, args.requests)

if __name__ == "__main__":
    main()
