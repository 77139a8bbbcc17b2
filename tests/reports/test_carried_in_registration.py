"""An agency that starts using xxgk mid-stream: its opening balance is the applications still
open from last year, registered by staff with their real dates, so that this year's 上年结转
matches last year's imported report and their outcomes count when they close."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from tests.applications.helpers import submission
from xxgk import taxonomy
from xxgk.applications import actions as applications
from xxgk.reports import compute
from xxgk.reports import national_format as nf
from xxgk.reports.models import ImportedReport

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
LAST = YEAR - 1
T = taxonomy.TOTAL
NP, CE = "natural_person", "commercial_enterprise"


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English wording of the checks."""
    with translation.override("en"):
        yield


def imported_last_year(agency, carried_out: dict[str, int]) -> ImportedReport:
    """Last year's report as published before xxgk, read back into its cells."""
    cells = {f"applications.carried_over_to_next_year.{c}": 0
             for c in taxonomy.REPORT_COLUMN_KEYS}
    for column, n in carried_out.items():
        cells[f"applications.carried_over_to_next_year.{column}"] = n
    cells[f"applications.carried_over_to_next_year.{T}"] = sum(carried_out.values())
    return ImportedReport.objects.create(agency=agency, agency_name=agency.name, year=LAST,
                                         format="2021", cells=cells,
                                         source_filename=f"edu-{LAST}.pdf")


def register_open(world, arrived: dt.date, channel: str = "registered_post", **overrides):
    """One application still open from last year, as a handler registers it now."""
    application, _code = applications.submit_application(
        submission(world.education, channel=channel, **overrides), actor=world.handler,
        arrived_at=timezone.make_aware(dt.datetime.combine(arrived, dt.time(10))),
        received_on=arrived)
    return application


def test_registered_open_applications_carry_over_into_the_first_year_in_xxgk(world):
    imported_last_year(world.education, {NP: 2, CE: 1})

    before = compute.compute_report(world.education, YEAR)
    check = compute.carry_over_check(world.education, YEAR, before)
    assert not check.ok and not check.skipped
    assert any(f"carried_over_to_next_year.total = 3 in the {LAST} report" in f.message
               for f in check.failures)

    first = register_open(world, dt.date(LAST, 12, 14))
    register_open(world, dt.date(LAST, 12, 28), channel="in_person")
    register_open(world, dt.date(LAST, 11, 30), applicant_column=CE,
                  applicant_name="某某有限公司")

    report = compute.compute_report(world.education, YEAR)
    carried_in = report.applications[taxonomy.CARRIED_OVER_FROM_LAST_YEAR]
    assert (carried_in[NP], carried_in[CE], carried_in[T]) == (2, 1, 3)
    assert report.applications[taxonomy.RECEIVED][T] == 0
    check = compute.carry_over_check(world.education, YEAR, report)
    assert check.ok and not check.skipped
    assert nf.check(report).ok

    # Real records, not bare counts: when one closes, its outcome counts this year.
    applications.reply(first, outcome="disclosed", legal_basis="《政府信息公开条例》",
                       actor=world.handler)
    report = compute.compute_report(world.education, YEAR)
    assert report.applications["disclosed"][NP] == 1
    assert report.applications[taxonomy.CARRIED_OVER_TO_NEXT_YEAR][T] == 2
    assert compute.check_report(world.education, YEAR, report).ok
