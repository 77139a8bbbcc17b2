"""This year's catalogue in four agencies of the demo district, one step of ``build.STEPS``.

The 2023 report's publishing figures are entered from the seed (the catalogue was not kept
in xxgk then); this year four agencies keep theirs here, so the workbench's report and
scorecard for this year count them: items (some in key areas, a few published later than
Art. 26's 20 working days), normative documents with interpretations, and one document
repealed by its successor. Written through ``catalog.actions`` as staff would; an item is
found again by its agency and title, so running the step twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from xxgk.agencies.models import Agency
from xxgk.catalog import actions
from xxgk.catalog.actions import ItemText
from xxgk.catalog.models import InfoItem, PolicyDocument

from . import district
from .history import history_years, year_rng

# (department serial, item titles; those starting with ★ are in a key area)
ITEMS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (103, ("★{y}年西城区义务教育阶段入学工作实施意见", "★{y}年西城区学前教育入园报名工作通知",
           "{y}年西城区教育委员会部门预算", "西城区中小学校课后服务工作情况通报",
           "{y}年西城区教师招聘公告", "★西城区学校食品安全检查结果公示")),
    (109, ("★西城区{y}年区级预算执行情况", "★西城区{y}年政府债务限额及余额情况",
           "西城区财政局{y}年政府采购意向公开", "西城区{y}年惠民惠农财政补贴资金发放情况")),
    (119, ("★西城区{y}年第一季度传染病疫情概况", "★西城区医疗机构依法执业检查结果",
           "西城区{y}年卫生健康工作要点", "西城区家庭医生签约服务情况")),
    (101, ("西城区人民政府{y}年重点工作任务分工", "★西城区{y}年民生实事项目进展情况")),
)
# Normative documents of the district government (issued by its general office, 101);
# the second replaces the first, which is repealed on the day the second is issued.
POLICIES: tuple[tuple[str, str], ...] = (
    ("西城区老旧小区综合整治工作管理办法", "京西政办发〔{y}〕1号"),
    ("西城区老旧小区综合整治工作管理办法（修订）", "京西政办发〔{y}〕5号"),
    ("西城区促进重点产业发展若干措施", "京西政发〔{y}〕3号"),
)
RECORDS = sum(len(titles) for _serial, titles in ITEMS) + 2 * len(POLICIES)


def _code(serial: int) -> str:
    return f"{district.DISTRICT[0]}{serial:03d}"


def _dates(rng: random.Random, first: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """A formation date, and a publication usually within the deadline, sometimes not."""
    span = max((today - first).days - 45, 0)
    formed = min(first + dt.timedelta(days=rng.randint(0, span)), today)
    published = formed + dt.timedelta(days=rng.choice((1, 2, 3, 5, 8, 12, 20, 32, 40)))
    return formed, min(published, today)


def _publish(item: InfoItem, published: dt.date) -> None:
    if item.state == "draft":
        actions.publish(item, published)


def build_catalogue(rng: random.Random, advance: Callable[[int], None]) -> int:
    """Create and publish this year's items and policies that are not there yet."""
    today = timezone.localdate()
    first = min(dt.date(today.year, 1, 5), today)
    y = today.year
    for serial, titles in ITEMS:
        agency = Agency.objects.get(code=_code(serial))
        for template in titles:
            formed, published = _dates(rng, first, today)
            title = template.removeprefix("★").format(y=y)
            item = InfoItem.objects.filter(agency=agency, title=title).first()
            if item is None:
                item = actions.create_item(agency, ItemText(
                    title=title, formed_on=formed, key_area=template.startswith("★"),
                    body=f"{title}。\n\n（演示数据）"))
            _publish(item, published)
            advance(1)
    office = Agency.objects.get(code=_code(101))
    documents = []
    # Drawn together so that the replaced document is the older one.
    dates = [*sorted(_dates(rng, first, today) for _ in POLICIES[:2]),
             *(_dates(rng, first, today) for _ in POLICIES[2:])]
    for (title, doc_no), (formed, published) in zip(POLICIES, dates, strict=True):
        document = PolicyDocument.objects.filter(agency=office, title=title).first()
        if document is None:
            document = actions.create_policy_document(
                office, ItemText(title=title, formed_on=formed, body=f"{title}。（演示数据）",
                                 doc_no=doc_no.format(y=y)),
                kind="normative_documents", issued_on=formed)
        _publish(document, published)
        documents.append(document)
        interpretation_title = f"《{title}》政策解读"
        if not InfoItem.objects.filter(agency=office, title=interpretation_title).exists():
            interpretation = actions.create_interpretation(document, ItemText(
                title=interpretation_title, formed_on=document.published_on,
                body="一、出台背景\n二、主要内容\n三、适用范围（演示数据）"))
            actions.publish(interpretation, document.published_on)
        advance(2)
    old, new = documents[:2]
    if not old.validity_changes.exists():
        actions.record_validity_change(old, on=max(new.published_on, old.published_on),
                                       validity="repealed", by_document=new,
                                       note=f"被{new.doc_no}废止")
    return RECORDS


# ---- The years between: 2024 to last year ----------------------------------------------

# Each past year's normative documents of the district government's general office.
PAST_POLICIES: tuple[tuple[str, str], ...] = (
    ("西城区{y}年老旧小区综合整治工作实施方案", "京西政办发〔{y}〕2号"),
    ("西城区{y}年优化营商环境若干措施", "京西政发〔{y}〕6号"),
)
PAST_RECORDS = RECORDS - 2 * len(POLICIES) + 2 * len(PAST_POLICIES)  # per year


def build_catalogue_history(rng: random.Random, advance: Callable[[int], None]) -> int:
    """The same four agencies' catalogues for every year from 2024 to last year (they
    started keeping it in xxgk in 2024): the year's items and policies with their
    interpretations, published within the year."""
    count = 0
    for year in history_years():
        yrng = year_rng(rng, year)
        first, last = dt.date(year, 1, 5), dt.date(year, 12, 31)
        for serial, titles in ITEMS:
            agency = Agency.objects.get(code=_code(serial))
            for template in titles:
                formed, published = _dates(yrng, first, last)
                title = template.removeprefix("★").format(y=year)
                if "{y}" not in template:  # a recurring title: the year tells them apart
                    title = f"{title}（{year}年）"
                item = InfoItem.objects.filter(agency=agency, title=title).first()
                if item is None:
                    item = actions.create_item(agency, ItemText(
                        title=title, formed_on=formed, key_area=template.startswith("★"),
                        body=f"{title}。\n\n（演示数据）"))
                _publish(item, published)
                advance(1)
                count += 1
        office = Agency.objects.get(code=_code(101))
        for template, doc_no in PAST_POLICIES:
            formed, published = _dates(yrng, first, last)
            title = template.format(y=year)
            document = PolicyDocument.objects.filter(agency=office, title=title).first()
            if document is None:
                document = actions.create_policy_document(
                    office, ItemText(title=title, formed_on=formed, body=f"{title}。（演示数据）",
                                     doc_no=doc_no.format(y=year)),
                    kind="normative_documents", issued_on=formed)
            _publish(document, published)
            interpretation_title = f"《{title}》政策解读"
            if not InfoItem.objects.filter(agency=office, title=interpretation_title).exists():
                interpretation = actions.create_interpretation(document, ItemText(
                    title=interpretation_title, formed_on=document.published_on,
                    body="一、出台背景\n二、主要内容\n三、适用范围（演示数据）"))
                actions.publish(interpretation, document.published_on)
            advance(2)
            count += 2
    return count
