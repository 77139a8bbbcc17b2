"""The editable part of the working-day calendar: years the OGI office enters itself.

When the State Council publishes next year's holiday notice, the office enters it in the
admin and deadlines in that year become computable at once, with no code release.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from xxgk.holidays.calendar import current_calendar
from xxgk.holidays.models import CalendarDay, CalendarYear
from xxgk.workdays import UnknownYearError

D = dt.date.fromisoformat
NOTICE_2027 = "国务院办公厅关于2027年部分节假日安排的通知"

pytestmark = pytest.mark.django_db


def enter_2027() -> CalendarYear:
    """An invented 2027 notice: New Year's Day on Friday 1 January, Saturday 9 January worked."""
    year = CalendarYear.objects.create(
        year=2027, notice_title=NOTICE_2027, notice_number="国办发明电〔2026〕1号"
    )
    CalendarDay.objects.create(year=year, date=D("2027-01-01"), is_working_day=False, name="元旦")
    CalendarDay.objects.create(
        year=year, date=D("2027-01-09"), is_working_day=True, name="调休上班"
    )
    return year


def test_without_the_2027_notice_dates_in_2027_cannot_be_computed():
    with pytest.raises(UnknownYearError) as caught:
        current_calendar().add_working_days(D("2026-12-20"), 20)
    assert caught.value.year == 2027


def test_entering_the_2027_notice_makes_2027_computable():
    enter_2027()
    calendar = current_calendar()
    assert not calendar.is_working_day(D("2027-01-01"))
    assert calendar.is_working_day(D("2027-01-09"))
    # From Thu 31 Dec 2026: 4–8 January are working days 1–5, Saturday 9 January the 6th.
    assert calendar.add_working_days(D("2026-12-31"), 6) == D("2027-01-09")
    assert calendar.entry(D("2027-01-01")).source == f"{NOTICE_2027}（国办发明电〔2026〕1号）"
    assert calendar.assumed_years(D("2026-12-01"), D("2027-12-31")) == ()


def test_a_year_entered_without_any_days_is_all_mondays_to_fridays():
    CalendarYear.objects.create(year=2027, notice_title=NOTICE_2027)
    assert current_calendar().is_working_day(D("2027-01-01"))  # a Friday


def test_rows_for_a_shipped_year_correct_the_shipped_data():
    year = CalendarYear.objects.create(year=2026, notice_title="更正")
    CalendarDay.objects.create(year=year, date=D("2026-11-02"), is_working_day=False, name="临时")
    assert not current_calendar().is_working_day(D("2026-11-02"))
    assert current_calendar().is_working_day(D("2026-11-03"))


def test_the_weekends_only_fallback_is_passed_through():
    calendar = current_calendar(assume_weekends=True)
    assert calendar.is_working_day(D("2027-01-04"))
    assert calendar.assumed_years(D("2026-12-20"), D("2027-01-20")) == (2027,)


def test_a_day_must_lie_in_its_year():
    year = CalendarYear.objects.create(year=2027, notice_title=NOTICE_2027)
    day = CalendarDay(year=year, date=D("2028-01-01"), is_working_day=False, name="元旦")
    with pytest.raises(ValidationError) as caught:
        day.full_clean()
    assert "date" in caught.value.message_dict


def admin_post(year: int, days: list[tuple[str, bool, str]]) -> dict[str, str]:
    form = {
        "year": str(year),
        "notice_title": f"国务院办公厅关于{year}年部分节假日安排的通知",
        "notice_number": "",
        "notice_date": "",
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    for i, (date, working, name) in enumerate(days):
        form |= {f"days-{i}-date": date, f"days-{i}-name": name, f"days-{i}-note": ""}
        if working:
            form[f"days-{i}-is_working_day"] = "on"
    return form


def test_the_ogi_office_enters_a_year_with_its_days_in_the_admin(admin_client):
    url = "/admin/holidays/calendaryear/add/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, admin_post(2027, [("2027-01-01", False, "元旦"), ("2027-01-09", True, "调休上班")])
    )
    assert response.status_code == 302
    assert not current_calendar().is_working_day(D("2027-01-01"))
    assert admin_client.get("/admin/holidays/calendaryear/").status_code == 200


def test_the_admin_refuses_a_day_outside_the_year(admin_client):
    response = admin_client.post(
        "/admin/holidays/calendaryear/add/", admin_post(2027, [("2028-01-01", False, "元旦")])
    )
    assert response.status_code == 200  # the form again, with the error
    assert not CalendarYear.objects.exists()
