"""A small searchable catalogue: documents written through the actions layer as an
agency would publish them, and one record of every kind that must never be found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tests.catalog.helpers import text
from xxgk.catalog import actions
from xxgk.catalog.models import Category, InfoItem, PolicyDocument
from xxgk.core.today import fixed_today

D = dt.date
TODAY = D(2025, 6, 2)
SECRET = "绝密测试词"


@dataclass
class Catalogue:
    housing: InfoItem
    insurance: InfoItem
    old_rule: PolicyDocument
    new_rule: PolicyDocument
    english: InfoItem
    hidden: dict[str, InfoItem] = field(default_factory=dict)


def policy(agency, title: str, doc_no: str, issued: dt.date, **extra) -> PolicyDocument:
    """A normative document published the day it was issued."""
    document = actions.create_policy_document(
        agency, text(title, formed=issued, doc_no=doc_no, **extra),
        kind="normative_documents", issued_on=issued)
    return actions.publish(document, issued)


def repealed_rule_and_revision(world) -> tuple[PolicyDocument, PolicyDocument]:
    """The district's rule of 2019 on old neighbourhoods, repealed by its revision of 2024."""
    old_rule = policy(world.district, "西城区老旧小区综合整治管理办法", "京西政发〔2019〕3号",
                      D(2019, 4, 1))
    new_rule = policy(world.district, "西城区老旧小区综合整治管理办法（修订）",
                      "京西政发〔2024〕5号", D(2024, 5, 6))
    actions.record_validity_change(old_rule, on=D(2024, 5, 6), validity="repealed",
                                   by_document=new_rule)
    return old_rule, new_rule


def build(world) -> Catalogue:
    housing_area = Category.objects.get(code="ywjy")
    with fixed_today(TODAY):
        housing = actions.publish(actions.create_item(world.district, text(
            "西城区公共租赁住房申请指南", category=housing_area,
            summary="公共租赁住房的申请条件、材料和流程。", topic_words="公租房 住房保障",
            body="<p>申请公共租赁住房的家庭应当在本区连续居住满三年。</p>",
            formed=D(2025, 3, 3))), D(2025, 3, 10))
        insurance = actions.publish(actions.create_item(world.finance, text(
            "关于做好2025年城乡居民社会保险缴费工作的通知",
            body="<p>各街道要做好社会保险缴费宣传。</p>", formed=D(2025, 1, 6))),
            D(2025, 1, 10))
        old_rule, new_rule = repealed_rule_and_revision(world)
        english = actions.publish(actions.create_item(world.education, text(
            "2025年义务教育入学工作实施意见", title_en="Compulsory education enrolment, 2025",
            body_en="<p>How children are enrolled in primary schools in 2025.</p>",
            formed=D(2025, 3, 3))), D(2025, 3, 12))
        hidden = {
            "draft": actions.create_item(world.education, text(f"{SECRET}草稿")),
            "withheld": actions.create_item(world.education, text(
                f"{SECRET}内部请示", attribute="withheld",
                withholding_ground="withheld.state_secret")),
        }
        withdrawn = actions.publish(actions.create_item(world.district, text(
            f"{SECRET}已撤回的通知")), D(2025, 3, 5))
        hidden["withdrawn"] = actions.withdraw(withdrawn, "发布有误")
    return Catalogue(housing, insurance, old_rule, new_rule, english, hidden)


def askers(query: str, n: int) -> list[str]:
    """``n`` addresses (of the documentation range) whose searches for ``query`` set
    different bits of its row's ``clients``: two that share one count as one asker."""
    from xxgk.search.querylog import client_bit, normalized

    found: dict[int, str] = {}
    for host in range(1, 255):
        address = f"192.0.2.{host}"
        found.setdefault(client_bit(normalized(query), address), address)
        if len(found) == n:
            break
    return list(found.values())
