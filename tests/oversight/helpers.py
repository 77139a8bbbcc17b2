"""A small year of work (2023) in the test district, written through the actions layers.

Education commission (education):
- ``on_time``: received Wed 1 March, due Wed 29 March (20 working days), replied on the due
  date itself: on time.
- ``late``: received 1 March, replied Thu 30 March: one day late.
- ``open_overdue``: received Wed 1 November, due Wed 29 November, never answered.
- ``next_year``: received Wed 20 December, replied 10 January 2024: counts in 2024.
- ``withdrawn``: arrived 5 May and withdrawn the next day before its receipt was confirmed:
  closed in 2023 without a due date.
- ``lapsed``: received Thu 1 June, fee notice 5 June never paid: lapsed, not overdue.
Finance bureau (finance): ``finance_on_time``, received 1 June, replied 5 June.
Sub-district office: nothing at all.

Appeals against education, filed in 2023: one corrected (decided 2023), one upheld
(decided 2023), one decided in 2024 (pending as of 31 December); one filed in 2022.
Entered figures for 2023: education only. Trainings in 2023: two sessions organised by the
district, education attending both, finance one.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.appeals.helpers import case
from tests.applications.helpers import apply, received
from xxgk.appeals import actions as appeal_actions
from xxgk.applications import actions
from xxgk.oversight.actions import record_training
from xxgk.reports.actions import enter_figures

D = dt.date


def _replied(agency, received_on: dt.date, replied_on: dt.date):
    application = received(agency, received_on)
    actions.reply(application, outcome="disclosed", legal_basis="第三十六条第（二）项",
                  on=replied_on)
    return application


def small_year(world) -> dict:
    education, finance = world.education, world.finance
    apps = {
        "on_time": _replied(education, D(2023, 3, 1), D(2023, 3, 29)),
        "late": _replied(education, D(2023, 3, 1), D(2023, 3, 30)),
        "open_overdue": received(education, D(2023, 11, 1)),
        "next_year": _replied(education, D(2023, 12, 20), D(2024, 1, 10)),
        "finance_on_time": _replied(finance, D(2023, 6, 1), D(2023, 6, 5)),
    }
    withdrawn, _code = apply(education, arrived=D(2023, 5, 5))
    actions.withdraw(withdrawn, reason="不再需要", on=D(2023, 5, 6))
    apps["withdrawn"] = withdrawn
    lapsed = received(education, D(2023, 6, 1))
    actions.notify_fee(lapsed, method="by_volume", amount=Decimal("700"), basis="按量计收",
                       on=D(2023, 6, 5))
    apps["lapsed"] = lapsed

    corrected = case(education, number="西政复字〔2023〕第1号", filed_on=D(2023, 3, 1))
    appeal_actions.record_decision(corrected, result="corrected", decided_on=D(2023, 5, 1))
    upheld = case(education, number="西政复字〔2023〕第2号", filed_on=D(2023, 4, 1))
    appeal_actions.record_decision(upheld, result="upheld", decided_on=D(2023, 6, 1))
    late_decision = case(education, number="西政复字〔2023〕第3号", filed_on=D(2023, 12, 1))
    appeal_actions.record_decision(late_decision, result="corrected", decided_on=D(2024, 1, 15))
    case(education, number="西政复字〔2022〕第9号", filed_on=D(2022, 6, 1))

    enter_figures(education, 2023, {"items_published": 120, "consultations": 3,
                                    "policy_documents": 5, "interpretations": 4})

    record_training(agency=world.district, date=D(2023, 4, 12),
                    title="政府信息与政务公开工作专题培训", attendees=40,
                    agencies=[education, finance])
    record_training(agency=world.district, date=D(2023, 9, 20), title="依申请公开办理实务",
                    attendees=12, agencies=[education])
    record_training(agency=world.district, date=D(2022, 9, 20), title="往年培训",
                    attendees=12, agencies=[education, finance])
    return apps
