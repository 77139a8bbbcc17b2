"""The demo's applications and appeals: 2023 counts as the seed reports, today has live work.

The demo is built once for the module (it takes a while) and the database emptied after.
"""

import datetime as dt
import random
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import ric

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.appeals.counting import appeal_counts
from xxgk.appeals.models import AppealCase
from xxgk.applications import pii
from xxgk.applications.counting import application_counts
from xxgk.applications.models import Application, ApplicationEvent, EventKind, Status
from xxgk.demo import applications as demo
from xxgk.demo import history
from xxgk.reports import compute
from xxgk.reports.models import AnnualReport

pytestmark = pytest.mark.django_db
COLUMNS = taxonomy.REPORT_COLUMN_KEYS


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("demo", verbosity=0)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def _row(figures: dict[str, int]) -> dict[str, int]:
    row = {column: figures.get(column, 0) for column in taxonomy.APPLICANT_COLUMN_KEYS}
    return {**row, taxonomy.TOTAL: sum(row.values())}


def _district_ids() -> list[int]:
    return list(Agency.objects.get(code=demo.DISTRICT).subtree().values_list("pk", flat=True))


def test_the_outcome_table_adds_up_to_the_seed():
    for column in taxonomy.APPLICANT_COLUMN_KEYS:
        assert sum(row.get(column, 0) for row in demo.OUTCOMES_2023.values()) == (
            demo.SEED_2023_TOTAL.get(column, 0)), column
    assert demo.OUTCOMES_2023["other.other"] == demo.SEED_2023_OTHER_OTHER
    assert not any(key.startswith(("other.fee", "other.correction"))
                   for key in demo.OUTCOMES_2023)


def test_section_three_of_2023_reproduces_the_seed(built):
    table = application_counts(_district_ids(), 2023)
    assert table[taxonomy.TOTAL] == _row(demo.SEED_2023_TOTAL) == {
        "natural_person": 1311, "commercial_enterprise": 23, "research_institution": 0,
        "social_welfare_organization": 0, "legal_service_institution": 2,
        "other_organization": 202, "total": 1538}
    assert table[taxonomy.CARRIED_OVER_TO_NEXT_YEAR] == _row({"natural_person": 41})
    assert table["other.other"] == _row({"natural_person": 43, "legal_service_institution": 2})
    for outcome in taxonomy.OUTCOME_KEYS:
        assert table[outcome] == _row(demo.OUTCOMES_2023.get(outcome, {})), outcome
    for column in COLUMNS:
        assert (table[taxonomy.RECEIVED][column] + table[taxonomy.CARRIED_OVER_FROM_LAST_YEAR][column]
                == table[taxonomy.TOTAL][column] + table[taxonomy.CARRIED_OVER_TO_NEXT_YEAR][column])
    assert table[taxonomy.CARRIED_OVER_FROM_LAST_YEAR][taxonomy.TOTAL] == demo.TAIL_2022


def test_every_year_carries_over_into_the_next(built):
    ids = _district_ids()
    for year in range(2022, timezone.localdate().year):
        this, following = application_counts(ids, year), application_counts(ids, year + 1)
        assert following[taxonomy.CARRIED_OVER_FROM_LAST_YEAR] == this[
            taxonomy.CARRIED_OVER_TO_NEXT_YEAR], year
        if year >= 2023:
            assert this[taxonomy.CARRIED_OVER_TO_NEXT_YEAR][taxonomy.TOTAL] > 0, year
    assert application_counts(ids, 2024)[taxonomy.CARRIED_OVER_FROM_LAST_YEAR][
        taxonomy.TOTAL] == 41


def test_the_years_after_2023_have_a_volume_and_mix_near_it_but_their_own(built):
    ids = _district_ids()
    seed = application_counts(ids, 2023)
    for year in history.history_years():
        table = application_counts(ids, year)
        total = table[taxonomy.TOTAL][taxonomy.TOTAL]
        assert 0.7 * 1538 <= total <= 1.4 * 1538, (year, total)
        assert table != seed
        # Every kind of answer that 2023 gave is given again.
        for outcome in ("disclosed", "partially_disclosed", "unavailable.not_held",
                        "not_processed.repeated", "other.other"):
            assert table[outcome][taxonomy.TOTAL] > 0, (year, outcome)
        appeals = appeal_counts(ids, year)
        assert appeals["reconsideration"]["total"] > 100, year
    # Nothing received before this year is still open.
    assert not Application.objects.exclude(status=Status.CLOSED).filter(
        received_on__lt=dt.date(timezone.localdate().year, 1, 1)).exists()


def test_every_past_report_is_published_on_time(built):
    today = timezone.localdate()
    top = Agency.objects.get(code=demo.DISTRICT)
    agencies = list(top.subtree())
    for year in range(2023, today.year):
        report = AnnualReport.objects.get(agency=top, year=year)
        published_on = timezone.localtime(report.published_at).date()
        assert report.locked and year < published_on.year
        assert published_on <= dt.date(year + 1, 1, 31), (year, published_on)
        statuses = compute.report_statuses(agencies, year, today)
        assert not [s.agency.code for s in statuses if s.overdue], year
        assert all(s.report is not None and s.report.locked
                   and timezone.localtime(s.report.published_at).date() <= s.deadline
                   for s in statuses), year
    assert AnnualReport.objects.get(agency=top, year=2023).snapshot["applications"][
        "total"]["total"] == 1538


def test_the_report_dashboard_shows_no_overdue_report(built, client):
    client.force_login(get_user_model().objects.get(username="ogi"))
    for year in range(2023, timezone.localdate().year):
        page = client.get(reverse("reports:dashboard"), {"year": year})
        assert page.status_code == 200
        assert "state-overdue" not in page.content.decode(), year


def test_section_four_of_2023_reproduces_the_seed(built):
    expected = {kind: {**cells, "total": sum(cells.values())}
                for kind, cells in demo.SEED_2023_APPEALS.items()}
    assert appeal_counts(_district_ids(), 2023) == expected
    assert expected["reconsideration"] == {"upheld": 138, "corrected": 8, "other": 92,
                                           "pending": 8, "total": 246}


def test_appeals_pending_at_the_year_end_were_decided_later_or_are_still_pending(built):
    late = AppealCase.objects.filter(filed_on__year=2023).exclude(decided_on__lte="2023-12-31")
    assert late.count() == 10
    assert late.filter(decided_on__year=2024).count() == 9
    assert late.filter(result="pending").count() == 1
    linked = AppealCase.objects.filter(application__isnull=False)
    assert linked.count() > 250
    assert all(case.application.closed_on <= case.filed_on
               for case in linked.select_related("application"))


def test_no_fee_was_charged(built):
    assert not ApplicationEvent.objects.filter(kind=EventKind.FEE_NOTIFIED).exists()


def test_the_history_uses_the_real_event_paths(built):
    kinds = Counter(ApplicationEvent.objects.filter(application__received_on__year=2023)
                    .values_list("kind", flat=True))
    for kind in (EventKind.RECEIPT_CONFIRMED, EventKind.CORRECTION_REQUESTED,
                 EventKind.CORRECTED, EventKind.CONSULTATION_SENT,
                 EventKind.CONSULTATION_ANSWERED, EventKind.REPLIED, EventKind.WITHDRAWN):
        assert kinds[kind] > 0, kind
    # Every history is in date order and nothing is dated in the future.
    assert not ApplicationEvent.objects.filter(occurred_on__gt=timezone.localdate()).exists()
    last: dict[int, dt.date] = {}
    for application_id, on in ApplicationEvent.objects.order_by("id").values_list(
            "application_id", "occurred_on"):
        assert on >= last.get(application_id, on)
        last[application_id] = on


def test_most_applications_concern_housing_expropriation(built):
    top = Counter(Application.objects.filter(received_on__year=2023)
                  .values_list("agency__code", flat=True)).most_common(3)
    assert [code for code, _n in top] == ["110102134", "110102113", "110102111"]


def test_applicants_are_invented_with_valid_identity_numbers(built):
    people = Application.objects.filter(applicant_column="natural_person").select_related(
        "identity")[:50]
    for application in people:
        identity = pii.decrypt(application.identity.encrypted)
        assert ric.is_valid(identity.id_number) and identity.id_number.startswith("110102")
        assert identity.phone.startswith("138")
        assert not identity.email or identity.email.endswith("@example.com")


def test_this_year_has_live_work(built):
    today = timezone.localdate()
    open_now = Application.objects.exclude(status=Status.CLOSED)
    assert 55 <= open_now.count() <= 70
    states = Counter(open_now.values_list("clock_state", flat=True))
    assert states["overdue"] >= 3 and states["due_soon"] >= 3 and states["paused"] >= 3
    assert open_now.filter(status=Status.AWAITING_CORRECTION).count() >= 3
    assert open_now.filter(status=Status.SUBMITTED).count() >= 3
    education = open_now.filter(agency__code=demo.EDUCATION)
    assert education.filter(handler__username="handler").count() >= 5
    assert education.filter(clock_state="overdue").exists()
    assert open_now.filter(events__kind=EventKind.EXTENSION_REQUESTED).exclude(
        events__kind=EventKind.EXTENDED).exists()
    assert all(a.arrived_at <= timezone.now() for a in open_now)
    assert Application.objects.filter(closed_on__year=today.year,
                                      outcome="other.correction_overdue").exists()


def test_running_the_demo_again_changes_nothing(built):
    def snapshot():
        return (
            list(Application.objects.order_by("number").values_list(
                "number", "agency__code", "status", "received_on", "closed_on", "outcome",
                "due_on", "handler__username")),
            ApplicationEvent.objects.count(),
            list(AppealCase.objects.order_by("body", "case_number").values_list(
                "case_number", "result", "decided_on", "application__number")),
        )

    before = snapshot()
    call_command("demo", verbosity=0)
    assert snapshot() == before


def test_plans_are_deterministic_for_a_seed(built):
    names = {a.code: a.name for a in Agency.objects.all()}
    outcome = "withheld.third_party_rights"

    def plan(seed):
        planner = demo.Planner(random.Random(seed), demo.Days(), names)
        made = planner.plan(outcome, "natural_person", dt.date(2023, 5, 4), 2023)
        return made.description, made.applicant, made.arrived_at, planner.closing(made, outcome)

    assert plan(1) == plan(1)
    assert plan(1) != plan(2)


def test_the_2023_report_s_catalogue_figures_are_counted_and_are_the_seed_s(built):
    """Section 一's publishing figures and section 二 come from the catalogue that every
    agency keeps in xxgk: nobody entered them, and the district's report prints the seed's."""
    from xxgk.reports.actions import NARRATIVE_FIELDS
    from xxgk.reports.models import EnteredFigures

    report = AnnualReport.objects.get(agency__code=demo.DISTRICT, year=2023)
    text = "".join(str(report.snapshot.get(name, "")) for name in NARRATIVE_FIELDS)
    assert "全年主动公开政府信息25284条" in text
    assert "公开重点领域信息1506条，发布政策文件49件，配套发布解读41篇" in text
    assert "全年通过门户网站发布信息25284条，官方微博发布信息2512条，微信公众号发布信息2613条" in text
    assert report.snapshot["proactive"]["normative_documents"] == {
        "issued": 12, "repealed": 5, "in_force": 86}
    entered = EnteredFigures.objects.filter(year=2023)
    for name in ("items_published", "key_area_items", "policy_documents", "interpretations",
                 "portal_items", "weibo_items", "wechat_items"):
        assert not entered.exclude(**{name: None}).exists(), name
    assert not any("normative_documents" in key for row in entered.values_list(
        "proactive", flat=True) for key in row)
