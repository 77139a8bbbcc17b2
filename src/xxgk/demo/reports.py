"""The demo's annual reports: every agency's, every year from 2023 to last year, on time.

Each year the departments and sub-district offices publish first (by 31 January, Art. 49:
the demo dates them between 8 and 17 January), then the district government (its report
covers the district and is dated 20 January, ahead of its own 31 March). For each agency:
the figures it entered (section 二 and the publishing figures section 一 quotes), its
report computed from the demo records, its text written where the records cannot speak,
approved and published by the demo OGI office with that date
(``reports.actions.publish(published_on=…)``), which locks the year.

The district-wide figures of 2023 are the seed's (where it gives them); every later year's
are near them. The agencies below enter a share of each, and the district its own
remainder, so that the district's report, which adds up its subtree, prints the seed's
figures. Figures are a function of the agency and the year, never of the run, so a later
year's "last year" visits are the earlier year's visits. An agency that keeps its
catalogue or consultations in xxgk enters no figure the records count.

Idempotent: a published report is left as it is (its period is locked, so its figures are
too); a report found unfinished is taken on from where it stands.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from xxgk.agencies.models import Agency
from xxgk.catalog import counting as catalog_counting
from xxgk.reports import actions, proactive
from xxgk.reports.compute import PLACEHOLDER
from xxgk.reports.models import AnnualReport, ReportState

from . import district
from .applications import Days
from .history import history_years, year_rng

YEAR = 2023
RECORDS = 2 * len(district.DEPARTMENTS) + 2 * len(district.SUBDISTRICTS) + 2  # per year

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
    # Not in the seed, which names only the portal's figure: every item is on the portal.
    "items_published": 25_284,
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

# The same prompts for every other report (an agency's, a later year's), a few wordings
# each; {name} is the agency's short name, {year} the year.
GENERIC: dict[str, tuple[str, ...]] = {
    "组织领导和工作部署情况": (
        "{name}主要负责同志专题研究政务公开工作，对照《西城区{year}年政务公开工作要点》制定"
        "本机关任务分工，明确专人负责，按时完成各项重点任务。",
        "{name}将政务公开工作纳入年度重点工作，调整充实政务公开工作领导小组，"
        "落实《西城区{year}年政务公开工作要点》各项要求。",
    ),
    "政民互动工作情况": (
        "通过政务开放日、政民互动平台和12345热线诉求办理，及时回应群众关切。",
        "结合重点工作开展政策咨询和意见征集，做好政民互动留言办理，回应社会关切。",
    ),
    "监督考核和培训情况": (
        "组织工作人员参加区政府信息公开办举办的专题培训，将政府信息公开工作纳入内部考核，"
        "年度内未发生需责任追究情形。",
        "按要求参加全区政府信息与政务公开工作专题培训，开展内部业务学习，年度内未发生需责任"
        "追究情形。",
    ),
    "存在的主要问题及改进情况": (
        "政策解读的形式还不够丰富，依申请公开答复的规范性有待进一步提高。下一步，{name}将"
        "丰富解读形式，加强答复文书审核，持续提升公开质量。",
        "主动公开的及时性和精细化程度仍有提升空间。下一步，{name}将完善信息发布审核流程，"
        "加强重点领域信息公开，做好工作人员培训。",
    ),
}
# When the reports of a year are published, in January of the next year.
AGENCIES_PUBLISH = (8, 17)
DISTRICT_PUBLISHES = 20

# The district-wide figures that are not counts of many things but of one site, kept whole
# by the district; and those every agency has a share of.
SITE_FIGURES = ("site_visits", "site_visitors")
LAST_YEAR = {"site_visits_last_year": "site_visits", "site_visitors_last_year": "site_visitors"}
MONEY = "proactive.fees.amount_10k_yuan"
# What the agencies below the district enter, together: this share of each district figure.
SHARE_BELOW = 0.6


def _written(text: str, texts: dict[str, str] | None = None) -> str:
    return _PROMPT.sub(lambda match: (texts or WRITTEN)[match.group(1)], text)


def district_totals(year: int) -> dict[str, Any]:
    """The district-wide figures of ``year``: the seed's for 2023, near them later."""
    if year <= YEAR:
        return {**PROACTIVE_2023, **PUBLISHING_2023}
    before = district_totals(year - 1)
    rng = random.Random(f"demo-district-figures:{year}")
    totals: dict[str, Any] = {}
    for key in {**PROACTIVE_2023, **PUBLISHING_2023}:
        if key == MONEY:
            totals[key] = str((Decimal(before[key]) * Decimal(rng.uniform(0.9, 1.1)))
                              .quantize(Decimal("0.0001")))
        elif key in LAST_YEAR:
            totals[key] = before[LAST_YEAR[key]]
        elif key.startswith("proactive.rules."):
            totals[key] = 0  # a district government makes no rules
        else:
            totals[key] = max(round(before[key] * rng.uniform(0.92, 1.12)), 0)
    issued = totals["proactive.normative_documents.issued"]
    repealed = min(totals["proactive.normative_documents.repealed"], issued + 3)
    totals["proactive.normative_documents.repealed"] = repealed
    totals["proactive.normative_documents.in_force"] = (
        before["proactive.normative_documents.in_force"] + issued - repealed)
    return totals


def _weight(code: str) -> float:
    """An agency's share of the district's work: the same every year."""
    return random.Random(f"demo-agency-weight:{code}").uniform(0.3, 2.0)


def agency_figures(agency: Agency, year: int, weights: dict[str, float]) -> dict[str, Any]:
    """What an agency below the district enters for ``year``: a share of the district's."""
    totals = district_totals(year)
    previous = district_totals(year - 1) if year > YEAR else {
        "site_visits": PUBLISHING_2023["site_visits_last_year"],
        "site_visitors": PUBLISHING_2023["site_visitors_last_year"]}
    share = SHARE_BELOW * weights[agency.code] / sum(weights.values())
    rng = random.Random(f"demo-agency-figures:{agency.code}:{year}")
    figures: dict[str, Any] = {}
    for key, value in totals.items():
        if key == MONEY or key.startswith("proactive.rules."):
            figures[key] = 0
        elif key in LAST_YEAR:
            figures[key] = int(previous[LAST_YEAR[key]] * share)
        elif key in SITE_FIGURES:
            figures[key] = int(value * share)
        else:
            figures[key] = int(value * share * rng.uniform(0.85, 1.0))
    if agency.kind == Agency.Kind.SUBDISTRICT:  # sub-district offices issue no such documents
        for row in ("issued", "repealed", "in_force"):
            figures[f"proactive.normative_documents.{row}"] = 0
    return figures


def _not_counted(agency: Agency, year: int, figures: dict[str, Any]) -> dict[str, Any]:
    """Leave out what the records count for an agency that keeps them in xxgk: an entered
    figure would win over the count (reports.proactive)."""
    counted = set(proactive.counted_figures([agency.pk], year))
    if catalog_counting.section_two([agency.pk], year):
        counted |= set(catalog_counting.SECTION_TWO_KEYS)
    return {key: value for key, value in figures.items() if key not in counted}


def _remainder(top: Agency, year: int, below_ids: list[int]) -> dict[str, Any]:
    """The district's own figures: its totals less what the agencies below have."""
    totals = district_totals(year)
    below = {**proactive.proactive_figures(below_ids, year),
             **proactive.publishing_figures(below_ids, year)}
    own: dict[str, Any] = {}
    for key, value in totals.items():
        have = below.get(key) or 0
        if key == MONEY:
            own[key] = str(max(Decimal(value) - Decimal(have), Decimal(0)))
        else:
            own[key] = max(value - have, 0)
    return _not_counted(top, year, own)


def _publish(agency: Agency, year: int, ogi: Any, texts: dict[str, str],
             published_on: dt.date) -> None:
    """Draft, write, approve and publish one report, taken on from where it stands."""
    report = actions.start_draft(agency, year, actor=ogi)
    if report.state == ReportState.DRAFT:
        actions.save_draft(report, {name: _written(getattr(report, name), texts)
                                    for name in actions.NARRATIVE_FIELDS}, actor=ogi)
        actions.approve(report, actor=ogi)
    actions.publish(report, actor=ogi, published_on=min(published_on, timezone.localdate()))


def _generic_texts(agency: Agency, year: int, rng: random.Random) -> dict[str, str]:
    name = agency.name.removeprefix("北京市").removeprefix("西城区")
    return {prompt: rng.choice(wordings).format(name=name, year=year)
            for prompt, wordings in GENERIC.items()}


def publish_year(year: int, rng: random.Random, advance: Callable[[int], None]) -> int:
    """Every agency's report for ``year``, then the district's, each published on time."""
    top = Agency.objects.get(code=district.DISTRICT[0])
    ogi = get_user_model().objects.get(username="ogi")
    below = list(top.subtree().exclude(pk=top.pk).order_by("path"))
    weights = {agency.code: _weight(agency.code) for agency in below}
    days = Days()
    january = days.between(dt.date(year + 1, 1, AGENCIES_PUBLISH[0]),
                           dt.date(year + 1, 1, AGENCIES_PUBLISH[1]))
    published = {agency_id for agency_id, locked in AnnualReport.objects.filter(
        year=year, agency__in=[top, *below]).values_list("agency_id", "locked") if locked}
    for agency in below:
        # Drawn before the skip, so that what a run writes never depends on what it skips.
        on, texts = rng.choice(january), _generic_texts(agency, year, rng)
        if agency.pk not in published:
            actions.enter_figures(agency, year, _not_counted(
                agency, year, agency_figures(agency, year, weights)), actor=ogi)
            advance(1)
            _publish(agency, year, ogi, texts, on)
            advance(1)
        else:
            advance(2)
    texts = WRITTEN if year == YEAR else _generic_texts(top, year, rng)
    if top.pk not in published:
        actions.enter_figures(top, year, _remainder(top, year, [a.pk for a in below]),
                              actor=ogi)
        advance(1)
        _publish(top, year, ogi, texts, days.on_or_after(
            dt.date(year + 1, 1, DISTRICT_PUBLISHES)))
        advance(1)
    else:
        advance(2)
    return RECORDS


def build_report_2023(rng: random.Random, advance: Callable[[int], None]) -> int:
    """Every agency's 2023 report and the district's, which reproduces the seed's figures."""
    return publish_year(YEAR, rng, advance)


def build_reports(rng: random.Random, advance: Callable[[int], None]) -> int:
    """The reports of 2024 to last year, each year's after the last (its carry-over check
    reads the year before's published report)."""
    return sum(publish_year(year, year_rng(rng, year), advance)
               for year in history_years())
