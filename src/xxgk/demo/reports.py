"""The demo district's 2023 annual report: entered figures, then the report, published.

One step, appended to ``build.STEPS`` after the applications and appeals: the figures the
district entered for 2023 (section 二 and the publishing figures its section 一 quotes, as
the seed report gives them where it gives them), then the district's report computed from
the demo records, its text written where the records cannot speak (the seed's own words),
approved and published by the demo OGI office, which locks 2023.

Idempotent: a published report is left as it is (its period is locked, so its figures are
too); a report found unfinished is taken on from where it stands.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from django.contrib.auth import get_user_model

from xxgk.agencies.models import Agency
from xxgk.reports import actions
from xxgk.reports.compute import PLACEHOLDER
from xxgk.reports.models import AnnualReport, ReportState

from . import district

YEAR = 2023
RECORDS = 2  # the entered figures and the report

# Section 二 is lost in the seed's text; these are plausible figures of our own. A district
# government makes no 规章 (only provinces and larger cities may).
PROACTIVE_2023: dict[str, int | str] = {
    "proactive.rules.issued": 0,
    "proactive.rules.repealed": 0,
    "proactive.rules.in_force": 0,
    "proactive.normative_documents.issued": 12,
    "proactive.normative_documents.repealed": 5,
    "proactive.normative_documents.in_force": 86,
    "proactive.licensing.decisions": 41235,
    "proactive.penalties.decisions": 18652,
    "proactive.enforcement.decisions": 312,
    "proactive.fees.amount_10k_yuan": "1234.5678",
}
# The seed's section 一, where it gives a figure ("突破5千万，同比增长60%" made exact).
PUBLISHING_2023: dict[str, int] = {
    "items_published": 31_920,
    "key_area_items": 1506,
    "policy_documents": 49,
    "interpretations": 41,
    "consultations": 21,
    "executive_meeting_items": 24,
    "major_decisions": 10,
    "portal_items": 25284,
    "weibo_items": 2512,
    "wechat_items": 2613,
    "columns_upgraded": 32,
    "site_visits": 50_400_000,
    "site_visits_last_year": 31_500_000,
    "site_visitors": 12_100_000,
    "site_visitors_last_year": 6_050_000,
}

# What the records cannot say, in the seed's words, for each 〔待填：…〕 prompt of the draft.
WRITTEN: dict[str, str] = {
    "组织领导和工作部署情况": (
        "加强工作部署，对照《北京市2023年政务公开工作要点》，结合区委区政府中心工作，印发"
        "《西城区2023年政务公开要点》，细化任务，明确分工，推进政务公开年度42项重点工作。"),
    "政民互动工作情况": (
        "常态化开展政务开放日、政府会议开放活动，邀请企业群众代表、专家、媒体列席区政府常务会议，"
        "举办第六届政府向公众报告工作活动，多形式、多渠道推进公众参与和政企政民互动。"),
    "监督考核和培训情况": (
        "在全区各政府部门、各街道办事处范围内组织开展政府信息与政务公开工作专题培训。政府信息公开"
        "法定要求纳入区政府绩效考核指标，对考评中发现的问题及时督促整改。年度内未发生需责任追究情形。"),
    "存在的主要问题及改进情况": (
        "目前我区政务公开工作仍存在政策解读形式不够丰富、重点民生领域信息公开不够精细等问题，"
        "全区各部门依申请公开的水平参差不齐。\n\n"
        "针对以上问题，我区一是探索创新解读形式，进一步提高解读实用度；二是持续强化民生领域信息"
        "主动公开力度，提升信息公开精细化水平；三是对区政府门户网站进行资源整合和服务创新；四是"
        "持续加强对全区各部门公开工作人员的培训力度。"),
}
_PROMPT = re.compile(re.escape(PLACEHOLDER) + r"：([^〕]*)〕")


def _written(text: str) -> str:
    return _PROMPT.sub(lambda match: WRITTEN[match.group(1)], text)


def build_report_2023(rng: random.Random, advance: Callable[[int], None]) -> int:
    """The district's figures for 2023 and its published 2023 report."""
    top = Agency.objects.get(code=district.DISTRICT[0])
    ogi = get_user_model().objects.get(username="ogi")
    report = AnnualReport.objects.filter(agency=top, year=YEAR).first()
    if report is not None and report.locked:
        advance(RECORDS)
        return RECORDS
    actions.enter_figures(top, YEAR, {**PROACTIVE_2023, **PUBLISHING_2023}, actor=ogi)
    advance(1)
    report = actions.start_draft(top, YEAR, actor=ogi)
    if report.state == ReportState.DRAFT:
        actions.save_draft(report, {name: _written(getattr(report, name))
                                    for name in actions.NARRATIVE_FIELDS}, actor=ogi)
        actions.approve(report, actor=ogi)
    actions.publish(report, actor=ogi)
    advance(1)
    return RECORDS
