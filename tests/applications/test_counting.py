"""Section 三 counted from the applications: receipt and closing dates, cached outcome."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.applications.helpers import received, submission
from xxgk import taxonomy
from xxgk.applications import actions
from xxgk.applications.counting import application_counts, empty_table
from xxgk.applications.models import Application, Status

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def _row(agency, received_on, closed_on=None, outcome="disclosed", column="natural_person"):
    """An application row as the actions leave it (inserted directly, for speed)."""
    n = next(_numbers)
    return Application(
        number=f"T-{n:08d}", query_code_hash="x", agency=agency, applicant_column=column,
        applicant_name="测试", applicant_key=str(n), description="测试申请",
        arrived_at=timezone.make_aware(dt.datetime.combine(received_on, dt.time(9))),
        received_on=received_on, provision_form="paper", delivery="post",
        status=Status.CLOSED if closed_on else Status.IN_PROGRESS,
        closed_on=closed_on, outcome=outcome if closed_on else "",
    )


def _identity_holds(table) -> bool:
    return all(
        table[taxonomy.RECEIVED][c] + table[taxonomy.CARRIED_OVER_FROM_LAST_YEAR][c]
        == table[taxonomy.TOTAL][c] + table[taxonomy.CARRIED_OVER_TO_NEXT_YEAR][c]
        for c in taxonomy.REPORT_COLUMN_KEYS
    )


def test_every_row_and_column_is_present_and_zero_without_applications(world):
    table = application_counts([world.education.pk], 2023)
    assert table == empty_table()
    assert list(table) == list(taxonomy.APPLICATION_ROW_KEYS)
    assert all(list(row) == list(taxonomy.REPORT_COLUMN_KEYS) for row in table.values())


def test_the_rows_follow_the_dates(world):
    d = dt.date
    Application.objects.bulk_create([
        _row(world.education, d(2022, 12, 20), d(2023, 1, 10), "unavailable.not_held"),
        _row(world.education, d(2022, 12, 21)),  # still open: carried in and out
        _row(world.education, d(2022, 11, 1), d(2022, 12, 1)),  # closed before the year
        _row(world.education, d(2023, 3, 1), d(2023, 3, 20), column="commercial_enterprise"),
        _row(world.education, d(2023, 12, 29), d(2024, 1, 5)),  # carried out
        _row(world.education, d(2023, 12, 28), d(2023, 12, 31), "other.other",
             column="legal_service_institution"),
        _row(world.education, d(2024, 1, 2)),  # next year
        _row(world.finance, d(2023, 5, 1), d(2023, 5, 5)),  # not this agency
    ])
    table = application_counts([world.education.pk], 2023)
    assert table["received"] == {"natural_person": 1, "commercial_enterprise": 1,
                                 "research_institution": 0, "social_welfare_organization": 0,
                                 "legal_service_institution": 1, "other_organization": 0,
                                 "total": 3}
    assert table["carried_over_from_last_year"]["natural_person"] == 2
    assert table["unavailable.not_held"]["total"] == 1
    assert table["disclosed"]["commercial_enterprise"] == 1
    assert table["other.other"]["legal_service_institution"] == 1
    assert table["total"]["total"] == 3
    assert table["carried_over_to_next_year"] == {**dict.fromkeys(
        taxonomy.REPORT_COLUMN_KEYS, 0), "natural_person": 2, "total": 2}
    assert _identity_holds(table)


def test_applications_never_confirmed_received_count_nowhere(world):
    application, _code = actions.submit_application(submission(world.education),
                                                    client_token="never-received")
    actions.withdraw(application)
    assert application_counts([world.education.pk], timezone.localdate().year) == empty_table()


def test_a_corrected_outcome_counts_in_its_new_row(world):
    application = received(world.education, dt.date(2023, 3, 1))
    actions.reply(application, outcome="unavailable.not_held", legal_basis="第三十六条",
                  on=dt.date(2023, 3, 10))
    actions.correct_outcome(application, outcome="disclosed", reason="复核更正")
    table = application_counts([world.education.pk], 2023)
    assert table["disclosed"]["total"] == 1 and table["unavailable.not_held"]["total"] == 0


def test_the_count_is_two_queries(world, django_assert_num_queries):
    Application.objects.bulk_create([_row(world.education, dt.date(2023, 3, 1))])
    with django_assert_num_queries(2):
        application_counts([world.education.pk], 2023)


YEAR = 2023
dates = st.dates(min_value=dt.date(YEAR - 2, 10, 1), max_value=dt.date(YEAR + 1, 3, 31))
applications = st.lists(
    st.tuples(dates, st.one_of(st.none(), st.integers(min_value=0, max_value=200)),
              st.sampled_from(taxonomy.OUTCOME_KEYS),
              st.sampled_from(taxonomy.APPLICANT_COLUMN_KEYS)),
    max_size=40,
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=applications)
def test_received_plus_carried_in_equals_closed_plus_carried_out(world, rows):
    """The national check holds in every column for any set of applications, because
    every application open in the year either closes in it or is carried out."""
    Application.objects.all().delete()
    Application.objects.bulk_create([
        _row(world.education, received_on,
             received_on + dt.timedelta(days=days) if days is not None else None,
             outcome, column)
        for received_on, days, outcome, column in rows
    ])
    table = application_counts([world.education.pk], YEAR)
    assert _identity_holds(table)
    assert table[taxonomy.TOTAL] == {
        column: sum(table[outcome][column] for outcome in taxonomy.OUTCOME_KEYS)
        for column in taxonomy.REPORT_COLUMN_KEYS
    }
    for row in table.values():
        assert row[taxonomy.TOTAL] == sum(row[c] for c in taxonomy.APPLICANT_COLUMN_KEYS)
