"""A small year of records for the report tests, built through the actions layers."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from tests.applications.helpers import received
from xxgk.appeals import actions as appeals
from xxgk.applications import actions as applications
from xxgk.reports import actions
from xxgk.reports.compute import PLACEHOLDER

YEAR = 2023


def d(month: int, day: int, year: int = YEAR) -> dt.date:
    return dt.date(year, month, day)


def closed(agency, received_on: dt.date, replied_on: dt.date, outcome: str = "disclosed",
           **overrides):
    application = received(agency, received_on, **overrides)
    applications.reply(application, outcome=outcome, legal_basis="《政府信息公开条例》",
                       on=replied_on)
    return application


def build_year(world) -> None:
    """2023 in the small district.

    Education commission: one application carried in from 2022 and closed in January, three
    received and closed in 2023 (one after a fee of 100 yuan billed and paid), one received
    in December and still open; one reconsideration upheld, one lawsuit pending.
    Finance bureau: one application, information not held. The district itself: one, other.
    """
    edu = world.education
    closed(edu, d(12, 20, 2022), d(1, 10))
    closed(edu, d(3, 1), d(3, 20))
    closed(edu, d(5, 8), d(5, 30), "withheld.state_secret",
           applicant_column="commercial_enterprise", applicant_name="某某有限公司")
    received(edu, d(12, 20))
    with_fee = received(edu, d(6, 1))
    applications.notify_fee(with_fee, method="by_volume", amount=Decimal("100"), basis="按量计收",
                            on=d(6, 5))
    applications.record_fee_payment(with_fee, amount=Decimal("100"), on=d(6, 10))
    applications.reply(with_fee, outcome="disclosed", legal_basis="《政府信息公开条例》",
                       on=d(6, 20))
    case = appeals.record_case(agency=edu, kind="reconsideration", case_number="西政复〔2023〕1号",
                               filed_on=d(4, 1), body="北京市西城区人民政府")
    appeals.record_decision(case, result="upheld", decided_on=d(6, 1))
    appeals.record_case(agency=edu, kind="litigation_direct", case_number="（2023）京0102行初1号",
                        filed_on=d(7, 1), body="北京市西城区人民法院")
    closed(world.finance, d(4, 3), d(4, 20), "unavailable.not_held")
    closed(world.district, d(2, 1), d(2, 15), "other.other")


def finish_narrative(report, actor=None):
    """Replace every 〔待填…〕 prompt of the draft with text, as staff would."""
    texts = {name: re.sub(re.escape(PLACEHOLDER) + r"[^〕]*〕", "已按要求完成。", getattr(report, name))
             for name in actions.NARRATIVE_FIELDS}
    return actions.save_draft(report, texts, actor=actor)
