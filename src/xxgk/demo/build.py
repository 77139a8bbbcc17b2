"""Building the demo district, step by step, deterministically and idempotently.

Each step takes a seeded ``random.Random`` and is safe to run again: records are found by
their natural keys (agency code, username) and updated rather than duplicated. Later parts
of xxgk add their own steps to ``STEPS``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy

from xxgk.agencies import access, audit
from xxgk.agencies.models import Agency, StaffRole
from xxgk.core import jobs, periods
from xxgk.holidays.calendar import calendar_pinned
from xxgk.search import indexing

from . import applications, catalog, consultations, district, history, oversight, reports

DEMO_PASSWORD = "xxgk-demo"  # noqa: S105  (published on purpose: demo accounts only)
OGI_OFFICE_GROUP = "政务公开办"
# Configuration the OGI office keeps in Django admin. Not accounts, staff roles or the
# audit log: those belong to the security administrator and the security auditor (三员分立),
# and their pages ignore any group's permissions anyway.
OGI_OFFICE_MODELS = ("agencies.agency",
                     "holidays.calendaryear", "holidays.calendarday",
                     "applications.lettertemplate",
                     "catalog.infoitem", "catalog.policydocument", "catalog.interpretation",
                     "catalog.validitychange", "consultations.consultation",
                     "consultations.feedbackreport")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: str
    agency_code: str


def demo_accounts() -> list[DemoAccount]:
    """One account for every role and duty, plus a handler for every agency."""
    role = StaffRole.Role
    district_code = district.DISTRICT[0]
    education = f"{district_code}103"
    accounts = [
        DemoAccount("ogi", "王政公（政务公开办）", role.OGI_ADMIN, district_code),
        DemoAccount("reviewer", "李审核（政务公开办）", role.REVIEWER, district_code),
        DemoAccount("auditor", "赵督查（区政府督查室）", role.AUDITOR, district_code),
        DemoAccount("security", "孙安全（安全管理员）", role.SECURITY_ADMIN, district_code),
        DemoAccount("audit-log", "钱审计（安全审计员）", role.SECURITY_AUDITOR, district_code),
        DemoAccount("handler", "陈办理（区教委）", role.HANDLER, education),
        DemoAccount("edu-reviewer", "周审核（区教委）", role.REVIEWER, education),
    ]
    for code, name, _en in all_agency_rows()[1:]:
        accounts.append(DemoAccount(f"h{code}", f"{short_name(name)}经办人", role.HANDLER, code))
    return accounts


def short_name(name: str) -> str:
    return name.removeprefix("北京市").removeprefix("西城区")


def all_agency_rows() -> list[tuple[str, str, str]]:
    """(code, name, English name) for the district, then departments, then sub-districts."""
    top = district.DISTRICT[0]
    return [
        district.DISTRICT,
        *((f"{top}{serial}", zh, en) for serial, zh, en in district.DEPARTMENTS),
        *((f"{top}{suffix}", zh, en) for suffix, zh, en in district.SUBDISTRICTS),
    ]


Step = Callable[[random.Random, Callable[[int], None]], int]


def build_agencies(rng: random.Random, advance: Callable[[int], None]) -> int:
    rows = all_agency_rows()
    top_code = rows[0][0]
    top = None
    for index, (code, name, name_en) in enumerate(rows):
        if code == top_code:
            kind, parent = Agency.Kind.DISTRICT, None
        elif "街道" in name:
            kind, parent = Agency.Kind.SUBDISTRICT, top
        else:
            kind, parent = Agency.Kind.DEPARTMENT, top
        agency, _created = Agency.objects.update_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "kind": kind, "parent": parent,
            "sort_order": index,
            "address": f"北京市西城区{rng.choice(district.STREETS)}{rng.randint(1, 199)}号",
            "phone": f"010-{rng.randint(6600, 8399):04d}{rng.randint(0, 9999):04d}",
            "office_hours": "工作日 9:00–12:00，13:30–17:30",
            # The district's report covers the whole district, as the seed's does.
            "report_covers_subtree": code == top_code,
        })
        if code == top_code:
            top = agency
        advance(1)
    return len(rows)


def build_staff(rng: random.Random, advance: Callable[[int], None]) -> int:
    user_model = get_user_model()
    # One hash for every demo account: hashing is deliberately slow, the demo must not be.
    password = make_password(DEMO_PASSWORD)
    agencies = {a.code: a for a in Agency.objects.all()}
    group = ogi_office_group()
    accounts = demo_accounts()
    # The accounts that work in the configuration pages: the three duties of 三员分立.
    admin_roles = {StaffRole.Role.OGI_ADMIN, *access.SECURITY_DUTIES}
    for account in accounts:
        user, _created = user_model.objects.update_or_create(username=account.username, defaults={
            "first_name": account.display_name, "password": password,
            "is_staff": account.role in admin_roles, "is_active": True,
            "email": f"{account.username}@demo.xxgk.invalid",
        })
        if account.role == StaffRole.Role.OGI_ADMIN:
            user.groups.add(group)
        StaffRole.objects.get_or_create(
            user=user, agency=agencies[account.agency_code], role=account.role
        )
        advance(1)
    return len(accounts)


def ogi_office_group() -> Group:
    """The group whose members keep the OGI office's configuration (``OGI_OFFICE_MODELS``)."""
    group, _created = Group.objects.get_or_create(name=OGI_OFFICE_GROUP)
    wanted = Permission.objects.none()
    for label in OGI_OFFICE_MODELS:
        app_label, model = label.split(".")
        wanted |= Permission.objects.filter(content_type__app_label=app_label,
                                            content_type__model=model)
    group.permissions.set(wanted)
    return group


@dataclass(frozen=True)
class DemoStep:
    label: str
    size: Callable[[], int]
    run: Step
    # Built after the site is up on a first start (``xxgk demo --later-on-worker``): the
    # years between 2023 and this one, which take most of the demo's time.
    later: bool = False


STEPS: list[DemoStep] = [
    DemoStep("机构 / agencies", lambda: len(all_agency_rows()), build_agencies),
    DemoStep("工作人员 / staff accounts", lambda: len(demo_accounts()), build_staff),
    DemoStep("2022 年结转申请 / applications open at the end of 2022",
             lambda: applications.TAIL_2022, applications.build_2022_tail),
    DemoStep("2023 年申请 / applications of 2023",
             lambda: applications.CLOSED_2023 + applications.CARRIED_2024,
             applications.build_2023),
    DemoStep("2023 年复议诉讼 / appeals of 2023", lambda: applications.APPEALS_2023,
             applications.build_appeals_2023),
    DemoStep("本年申请 / this year's applications", lambda: applications.CURRENT,
             applications.build_current),
    DemoStep("2023 年目录 / the catalogue of 2023, with the older policy documents",
             catalog.size_2023, catalog.build_catalogue_2023),
    DemoStep("本年目录 / this year's policy documents, drafts and latest items",
             catalog.size_this_year,
             catalog.build_catalogue),
    DemoStep("本年意见征集 / this year's consultations", lambda: consultations.RECORDS,
             consultations.build_consultations),
    DemoStep("2023 年培训 / trainings of 2023", lambda: len(oversight.TRAININGS_2023),
             oversight.build_trainings_2023),
    # Publishing the reports locks 2023, so every step that records 2023 comes before.
    DemoStep("2023 年度报告 / the 2023 annual report", lambda: reports.RECORDS,
             reports.build_report_2023),
    # The years between, 2024 to last year (relative to the day the demo is built); each
    # step loops over them, and the reports, which lock them, come last.
    DemoStep("2024 年至上年申请 / applications from 2024 to last year",
             lambda: history.APPROXIMATE_PER_YEAR * len(history.history_years()),
             history.build_applications, later=True),
    DemoStep("2024 年至上年复议诉讼 / appeals from 2024 to last year",
             lambda: applications.APPEALS_2023 * len(history.history_years()),
             history.build_appeals, later=True),
    DemoStep("2024 年至今目录 / the catalogue from 2024 to last year, and this year's "
             "earlier weeks",
             catalog.size_history, catalog.build_catalogue_history, later=True),
    DemoStep("2024 年至上年意见征集 / consultations from 2024 to last year",
             lambda: len(consultations.PAST_CONSULTATIONS) * len(history.history_years()),
             consultations.build_consultations_history, later=True),
    DemoStep("2024 年至上年培训 / trainings from 2024 to last year",
             lambda: len(oversight.TRAININGS_2023) * len(history.history_years()),
             history.build_trainings, later=True),
    DemoStep("2024 年至上年年度报告 / the annual reports from 2024 to last year",
             lambda: reports.RECORDS * len(history.history_years()), reports.build_reports, later=True),
]


def build(seed: int, on_step: Callable[[DemoStep], Callable[[int], None]],
          steps: list[DemoStep] | None = None) -> dict[str, int]:
    """Run the steps (default: all) in order, each in its own transaction; returns the
    number of records per step.

    Each step gets its own generator seeded from ``seed`` and the step's label, so adding
    a step never changes what the steps before it build.
    """
    counts = {}
    # The demo never edits the calendar: read it once, not at every one of its steps.
    with calendar_pinned():
        for step in STEPS if steps is None else steps:
            advance = on_step(step)
            # Within a step, only the step's own publications change the locks.
            with transaction.atomic(), periods.pinned():
                counts[step.label] = step.run(random.Random(f"{seed}:{step.label}"), advance)
    audit.record("demo.build", detail={"seed": seed, "records": counts})
    return counts


def first_steps() -> list[DemoStep]:
    return [step for step in STEPS if not step.later]


def later_steps() -> list[DemoStep]:
    return [step for step in STEPS if step.later]


@jobs.task(label=gettext_lazy("Building the demo district's earlier years"))
def build_later(seed: int) -> None:
    """The later steps, on the worker: the site serves while the years between are built.
    Every step is idempotent, so a retried job finishes what a killed one began."""
    build(seed, lambda step: lambda n: None, later_steps())


def queue_later(seed: int) -> None:
    jobs.enqueue(build_later, subject="demo", dedupe_key=f"demo:later:{seed}", seed=seed)


def queue_search_index(seed: int) -> None:
    """Index the demo's items for search on the worker, after the years it builds (jobs
    run in the order queued): the catalogue is tens of thousands of items, a minute's
    work that no first start should wait for."""
    jobs.enqueue(indexing.index_catalogue, subject="demo", dedupe_key=f"demo:search:{seed}")


def is_built() -> bool:
    return Agency.objects.exists()
