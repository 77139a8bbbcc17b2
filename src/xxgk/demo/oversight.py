"""The demo district's training sessions of 2023, one step appended to ``build.STEPS``.

The seed report's 监督培训: the district "在全区各政府部门、各街道办事处范围内组织开展政府信息与
政务公开工作专题培训". The demo records it as two sessions of that training (departments,
then sub-district offices) and two later sessions for everyone, all organised by the
district government's OGI office, each with one to three people from every agency
attending. Recorded through ``oversight.actions`` like staff would; a session is found again
by its natural key (organiser, date, title), so running the step twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from xxgk.agencies.models import Agency
from xxgk.oversight.actions import record_training
from xxgk.oversight.models import Training

from . import district

TOPIC = "政府信息与政务公开工作专题培训"
# (date — a working day —, title, who attends: "department", "subdistrict" or "all")
TRAININGS_2023: tuple[tuple[dt.date, str, str], ...] = (
    (dt.date(2023, 4, 12), f"{TOPIC}（第一期：各政府部门）", Agency.Kind.DEPARTMENT),
    (dt.date(2023, 4, 19), f"{TOPIC}（第二期：各街道办事处）", Agency.Kind.SUBDISTRICT),
    (dt.date(2023, 9, 13), "依申请公开答复规范专题培训", "all"),
    (dt.date(2023, 11, 22), "政府信息公开工作年度报告编制培训", "all"),
)
NOTES = "区政府信息公开办组织，签到表存档。"


def build_trainings_2023(rng: random.Random, advance: Callable[[int], None]) -> int:
    """Record the sessions of 2023 that are not recorded yet."""
    top = Agency.objects.get(code=district.DISTRICT[0])
    below = list(top.subtree().exclude(pk=top.pk).order_by("path"))
    for date, title, audience in TRAININGS_2023:
        attending = [a for a in below if audience == "all" or a.kind == audience]
        # Drawn before the lookup, so the generator's sequence is the same on every run.
        attendees = sum(rng.randint(1, 3) for _agency in attending)
        if not Training.objects.filter(agency=top, date=date, title=title).exists():
            record_training(agency=top, date=date, title=title, attendees=attendees,
                            agencies=attending, notes=NOTES)
        advance(1)
    return len(TRAININGS_2023)
