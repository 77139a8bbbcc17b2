"""This year's consultations of the demo district, one step of ``build.STEPS``.

The seed reports 21 consultations in 2023 (entered for that year); this year the district
government's general office keeps its consultations in xxgk: two closed with their feedback
reports published, one still open. Written through ``consultations.actions``; found again
by agency and title, so running the step twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from xxgk.agencies.models import Agency
from xxgk.consultations import actions
from xxgk.consultations.models import Consultation, FeedbackReport

from . import district
from .history import history_years, year_rng

# (title, opened this many days ago, open for this many days, (received, adopted) or None)
CONSULTATIONS: tuple[tuple[str, int, int, tuple[int, int] | None], ...] = (
    ("《西城区老旧小区综合整治工作管理办法（征求意见稿）》公开征求意见", 150, 30, (37, 12)),
    ("《西城区促进重点产业发展若干措施（征求意见稿）》公开征求意见", 90, 30, (18, 6)),
    ("《西城区背街小巷环境精细化整治提升方案（征求意见稿）》公开征求意见", 10, 30, None),
)
RECORDS = len(CONSULTATIONS)


def build_consultations(rng: random.Random, advance: Callable[[int], None]) -> int:
    """Open this year's consultations, and publish the feedback of those that closed."""
    today = timezone.localdate()
    office = Agency.objects.get(code=f"{district.DISTRICT[0]}101")
    for title, ago, days_open, opinions in CONSULTATIONS:
        # Early in the year the older ones fall into January: never before 2 January.
        opened = max(today - dt.timedelta(days=ago), dt.date(today.year, 1, 2))
        closes = opened + dt.timedelta(days=days_open)
        item = Consultation.objects.filter(agency=office, title=title).first()
        if item is None:
            item = actions.open_consultation(
                office, title=title, opened_on=opened, closes_on=closes,
                summary="为提高决策的科学性和透明度，现向社会公开征求意见。（演示数据）")
        published = item.closes_on + dt.timedelta(days=rng.randint(5, 15))
        if (opinions is not None and published <= today
                and not FeedbackReport.objects.filter(consultation=item).exists()):
            received, adopted = opinions
            actions.publish_feedback(
                item, published_on=published, opinions_received=received,
                opinions_adopted=adopted,
                text=f"本次征求意见共收到意见建议{received}条，采纳{adopted}条；"
                     "未采纳的主要原因是超出本办法调整范围。（演示数据）")
        advance(1)
    return RECORDS


# ---- The years between: 2024 to last year ----------------------------------------------

# (title with {y}, opened on (month, day), open for this many days, (received, adopted))
PAST_CONSULTATIONS: tuple[tuple[str, tuple[int, int], int, tuple[int, int]], ...] = (
    ("《西城区{y}年老旧小区综合整治工作实施方案（征求意见稿）》公开征求意见", (3, 6), 30, (29, 9)),
    ("《西城区{y}年优化营商环境若干措施（征求意见稿）》公开征求意见", (8, 12), 30, (14, 5)),
)


def build_consultations_history(rng: random.Random, advance: Callable[[int], None]) -> int:
    """The general office's consultations of every year from 2024 to last year, each with
    its feedback report published within the year."""
    office = Agency.objects.get(code=f"{district.DISTRICT[0]}101")
    count = 0
    for year in history_years():
        yrng = year_rng(rng, year)
        for template, (month, day), days_open, (received, adopted) in PAST_CONSULTATIONS:
            title = template.format(y=year)
            opened = dt.date(year, month, day)
            published = opened + dt.timedelta(days=days_open + yrng.randint(5, 15))
            item = Consultation.objects.filter(agency=office, title=title).first()
            if item is None:
                item = actions.open_consultation(
                    office, title=title, opened_on=opened,
                    closes_on=opened + dt.timedelta(days=days_open),
                    summary="为提高决策的科学性和透明度，现向社会公开征求意见。（演示数据）")
            if not FeedbackReport.objects.filter(consultation=item).exists():
                actions.publish_feedback(
                    item, published_on=published, opinions_received=received,
                    opinions_adopted=adopted,
                    text=f"本次征求意见共收到意见建议{received}条，采纳{adopted}条。（演示数据）")
            advance(1)
            count += 1
    return count
