"""The staff inbox: who sees which applications, and every filter, sort and search."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.applications.helpers import apply, received
from tests.factories import StaffRoleFactory, UserFactory
from xxgk.agencies.models import StaffRole
from xxgk.applications import actions, inbox
from xxgk.applications.inbox import InboxFilters, Show, Sort
from xxgk.applications.models import Status
from xxgk.holidays.calendar import current_calendar

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAYS_AGO = [TODAY - dt.timedelta(days=n) for n in range(30)]
# Requests that share (almost) nothing with each other.
TOPICS = ["财政局部门预算", "教育委员会招生计划", "街道办拆迁补偿标准", "环境监测年报数据",
          "道路施工许可批文", "公共卫生应急预案", "食品抽检结果公告", "公务员招录名单",
          "社会救助审批流程", "城市更新规划图纸", "养老服务设施清单"]


def numbers(user, **filters) -> list[str]:
    return [a.number for a in inbox.inbox_queryset(user, InboxFilters(**filters))]


@pytest.fixture
def district(world):
    """One application of each department, in different states."""
    edu_new, _code = apply(world.education, applicant_name="李四")
    edu_running = received(world.education, DAYS_AGO[2], actor=world.handler,
                           applicant_name="王五")
    edu_old = received(world.education, DAYS_AGO[25], actor=world.handler,
                       applicant_column="research_institution", applicant_name="某研究院")
    fin = received(world.finance, DAYS_AGO[3], actor=world.finance_handler,
                   applicant_name="赵六")
    sub, _code = apply(world.subdistrict, applicant_name="钱七")
    return world, edu_new, edu_running, edu_old, fin, sub


def test_a_department_handler_sees_only_the_own_department(district):
    world, edu_new, edu_running, edu_old, fin, sub = district
    assert set(numbers(world.handler)) == {edu_new.number, edu_running.number, edu_old.number}
    assert set(numbers(world.finance_handler)) == {fin.number}


def test_the_ogi_office_sees_every_agency(district):
    world, *apps = district
    assert set(numbers(world.ogi)) == {a.number for a in apps}


def test_an_account_without_roles_sees_nothing(district):
    assert numbers(UserFactory(username="nobody")) == []


def test_the_inbox_page_is_scoped_too(district, client):
    world, edu_new, edu_running, edu_old, fin, sub = district
    client.force_login(world.handler)
    html = client.get(reverse("applications:inbox")).content.decode()
    assert edu_running.number in html and "王五" in html
    assert fin.number not in html and "赵六" not in html and sub.number not in html
    client.force_login(world.ogi)
    html = client.get(reverse("applications:inbox")).content.decode()
    assert fin.number in html and sub.number in html


def test_closed_applications_are_hidden_unless_asked_for(district):
    world, edu_new, edu_running, edu_old, fin, sub = district
    actions.reply(edu_running, outcome="disclosed", legal_basis="第三十六条", actor=world.handler)
    assert edu_running.number not in numbers(world.handler)
    assert numbers(world.handler, show=Show.CLOSED) == [edu_running.number]
    assert edu_running.number in numbers(world.handler, show=Show.ALL)


def test_filter_by_status(district):
    world, edu_new, *_ = district
    assert numbers(world.handler, status=Status.SUBMITTED) == [edu_new.number]


def test_filter_by_clock_state(district):
    world, edu_new, edu_running, edu_old, fin, sub = district
    assert edu_running.clock_state == "running"
    expected = {a.number for a in (edu_running, edu_old) if a.clock_state == "due_soon"}
    assert set(numbers(world.handler, clock_state="due_soon")) == expected
    assert set(numbers(world.handler, clock_state="running")) == {
        a.number for a in (edu_running, edu_old) if a.clock_state == "running"}
    actions.send_consultation(edu_running, party="某公司", party_kind="third_party",
                              actor=world.handler)
    assert edu_running.number in numbers(world.handler, clock_state="paused")


def test_filter_by_handler_and_unassigned(district):
    world, edu_new, edu_running, edu_old, fin, sub = district
    actions.assign(edu_running, world.handler, actor=world.handler)
    assert numbers(world.handler, handler=str(world.handler.pk)) == [edu_running.number]
    assert set(numbers(world.handler, handler=inbox.UNASSIGNED)) == {edu_new.number,
                                                                    edu_old.number}


def test_filter_by_applicant_type(district):
    world, edu_new, edu_running, edu_old, fin, sub = district
    assert numbers(world.handler, applicant_column="research_institution") == [edu_old.number]


def test_filter_by_agency_within_scope(district):
    world, edu_new, edu_running, edu_old, fin, sub = district
    assert numbers(world.ogi, agency=world.finance) == [fin.number]
    # An agency outside the user's scope yields nothing, whatever is asked.
    assert numbers(world.handler, agency=world.finance) == []


def test_filter_due_within_working_days(district):
    world, edu_new, edu_running, edu_old, fin, sub = district
    calendar = current_calendar(assume_weekends=True)
    limit = calendar.add_working_days(TODAY, 5)
    expected = {a.number for a in (edu_running, edu_old) if a.due_on <= limit}
    assert set(numbers(world.handler, due_within=5)) == expected
    assert edu_running.number not in expected  # received two days ago
    left = max(calendar.working_days_between(TODAY, edu_old.due_on), 0)
    assert edu_old.number in numbers(world.handler, due_within=left)
    if left:
        assert edu_old.number not in numbers(world.handler, due_within=left - 1)


def test_sort_by_due_date_by_default_and_by_arrival_and_number(district):
    world, edu_new, edu_running, edu_old, fin, sub = district
    # Soonest due first; the one without a due date (not yet received) last.
    assert numbers(world.handler) == [edu_old.number, edu_running.number, edu_new.number]
    assert numbers(world.handler, sort=Sort.ARRIVED) == [
        edu_old.number, edu_running.number, edu_new.number]
    assert numbers(world.handler, sort=Sort.NUMBER) == sorted(
        [edu_new.number, edu_running.number, edu_old.number])


def test_search_by_number_and_by_name(district):
    world, edu_new, edu_running, edu_old, fin, sub = district
    assert numbers(world.handler, q=edu_running.number) == [edu_running.number]
    assert numbers(world.handler, q=edu_running.number[-6:]) == [edu_running.number]
    assert numbers(world.handler, q="王五") == [edu_running.number]
    assert numbers(world.handler, q=" 王 五 ") == [edu_running.number]  # spaces apart
    # The name is sealed; its blind index finds the exact name only, never a part of it.
    assert numbers(world.handler, q="王") == []
    assert numbers(world.handler, q="赵六") == []  # another department's applicant


def test_the_form_reads_the_parameters_and_reports_bad_ones(district, client):
    world, edu_new, edu_running, edu_old, fin, sub = district
    client.force_login(world.handler)
    response = client.get(reverse("applications:inbox"), {"q": "王五", "sort": "number"})
    html = response.content.decode()
    assert edu_running.number in html and edu_old.number not in html
    response = client.get(reverse("applications:inbox"),
                          {"due_within": "soon", "handler": "9999", "sort": "whatever"})
    assert response.status_code == 200
    assert 'id="id_due_within_error"' in response.content.decode()
    # The invalid parameters are ignored: the default list is shown.
    assert edu_running.number in response.content.decode()


def test_a_handler_may_not_filter_by_an_agency_outside_the_scope(district, client):
    world, *_ = district
    client.force_login(world.handler)
    response = client.get(reverse("applications:inbox"), {"agency": world.finance.pk})
    assert 'id="id_agency_error"' in response.content.decode()


def test_rows_show_the_clock_as_of_today_not_the_stale_cache(district):
    world, edu_new, edu_running, edu_old, fin, sub = district
    later = edu_running.due_on + dt.timedelta(days=1)
    page = inbox.inbox_page(world.handler, InboxFilters(), today=later)
    row = next(r for r in page.rows if r.application.pk == edu_running.pk)
    assert row.application.clock_state != "overdue"  # the cache, written on the day
    assert row.state == "overdue" and row.left < 0
    unconfirmed = next(r for r in page.rows if r.application.pk == edu_new.pk)
    assert unconfirmed.clock is None and unconfirmed.due is None


def test_a_page_costs_the_same_number_of_queries_for_any_number_of_rows(world):
    def queries_for_inbox() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = inbox.inbox_page(world.handler, InboxFilters())
            [(r.state, r.due, r.application.agency.name, r.application.handler) for r in page.rows]
        return len(captured)

    for day in DAYS_AGO[:3]:
        app = received(world.education, day, actor=world.handler)
        actions.assign(app, world.handler, actor=world.handler)
    few = queries_for_inbox()
    for day in DAYS_AGO[3:15]:
        app = received(world.education, day, actor=world.handler)
        actions.send_consultation(app, party="某公司", party_kind="third_party",
                                  actor=world.handler)
    assert queries_for_inbox() == few


def test_pages_of_fifty_with_a_capped_count(world, monkeypatch):
    for _ in range(inbox.PAGE_SIZE + 3):
        apply(world.education)
    page = inbox.inbox_page(world.handler, InboxFilters(), 2)
    assert page.paginator.count == inbox.PAGE_SIZE + 3 and not page.paginator.capped
    assert len(page.rows) == 3
    monkeypatch.setattr(inbox.CappedPaginator, "cap", 20)
    page = inbox.inbox_page(world.handler, InboxFilters(), 1)
    assert page.paginator.count == 20 and page.paginator.capped
    assert len(page.rows) == 20


def test_the_page_links_keep_the_filters(world, client):
    for _ in range(inbox.PAGE_SIZE + 1):
        apply(world.education)
    client.force_login(world.handler)
    html = client.get(reverse("applications:inbox"), {"sort": "number"}).content.decode()
    assert "?sort=number&amp;page=2" in html


def test_the_handler_filter_lists_the_handlers_in_scope(world):
    other = UserFactory(username="edu2")
    StaffRoleFactory(user=other, agency=world.education, role=StaffRole.Role.HANDLER)
    names = [name for _pk, name in inbox.handler_choices(world.handler)]
    assert names == ["edu2", "handler"]
    assert "fin" in [name for _pk, name in inbox.handler_choices(world.ogi)]


def test_month_ordinal_counts_the_applicants_applications_this_month(world):
    first, _ = apply(world.education)
    apply(world.finance, applicant_name="另一人",
          identity=actions.pii.Identity(id_number="110101199003077777"))
    second, _ = apply(world.finance)
    assert inbox.month_ordinal(first) == 1
    assert inbox.month_ordinal(second) == 2


def test_masked_identity_holds_only_masked_values(world):
    from tests.applications.helpers import ADDRESS, EMAIL, ID_NUMBER, PHONE

    app, _ = apply(world.education)
    masked = inbox.masked_identity(app)
    values = " ".join(str(v) for v in masked.__dict__.values())
    for secret in (ID_NUMBER, PHONE, ADDRESS, EMAIL):
        assert secret not in values
    assert masked.phone.endswith(PHONE[-4:]) and "*" in masked.id_number


def test_similarity_of_descriptions():
    a = inbox.bigrams("请公开2023年西城区老旧小区综合整治项目的立项批复文件。")
    b = inbox.bigrams("请公开西城区老旧小区综合整治项目立项批复")
    c = inbox.bigrams("申请公开财政局2024年部门预算")
    assert inbox.similarity(a, a) == 1.0
    assert inbox.similarity(a, b) > inbox.SIMILAR_THRESHOLD > inbox.similarity(a, c)
    assert inbox.similarity(a, frozenset()) == 0.0


def test_similar_requests_and_earlier_applications(world):
    earlier = received(world.education, DAYS_AGO[5], actor=world.handler)
    actions.reply(earlier, outcome="disclosed", legal_basis="第三十六条", actor=world.handler)
    elsewhere = received(world.finance, DAYS_AGO[4], applicant_name="他人",
                         identity=actions.pii.Identity(id_number="110101199003077777"))
    unrelated, _ = apply(world.finance, description="申请公开财政局2024年部门预算及说明。",
                         identity=actions.pii.Identity(id_number="110101199003077777"))
    current = received(world.education, DAYS_AGO[1], actor=world.handler)
    assert inbox.earlier_applications(current, world.handler) == [earlier]
    similar = inbox.similar_requests(current, world.handler)
    found = {s.application.pk: s for s in similar}
    assert earlier.pk in found and elsewhere.pk in found and unrelated.pk not in found
    assert found[earlier.pk].in_scope and not found[elsewhere.pk].in_scope


def test_volume_hint_after_many_applications_in_a_month(world):
    apps = [apply(world.education, description=topic)[0]
            for topic in TOPICS[: inbox.ART35_MANY_IN_WINDOW - 1]]
    assert inbox.volume_hint(apps[-1]) is None
    last, _ = apply(world.education, description=TOPICS[inbox.ART35_MANY_IN_WINDOW - 1])
    hint = inbox.volume_hint(last)
    assert hint is not None and hint.in_window == inbox.ART35_MANY_IN_WINDOW


def test_volume_hint_for_near_identical_requests(world):
    apps = [apply(world.education)[0] for _ in range(inbox.NEAR_IDENTICAL_COUNT)]
    hint = inbox.volume_hint(apps[-1])
    assert hint is not None and hint.near_identical == inbox.NEAR_IDENTICAL_COUNT
    assert hint.in_window < inbox.ART35_MANY_IN_WINDOW


def test_fee_notice_applications_are_still_listed_and_paused(world):
    app = received(world.education, DAYS_AGO[2], actor=world.handler)
    actions.notify_fee(app, method="by_volume", amount=Decimal(200), basis="x",
                       actor=world.handler)
    assert numbers(world.handler, clock_state="paused") == [app.number]
