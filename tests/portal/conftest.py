"""A small published catalogue, made through the actions layer as staff would make it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.catalog.helpers import published_interpretation, published_policy, text
from tests.files import PDF
from xxgk.catalog import actions, files
from xxgk.catalog.models import Category, InfoItem, PolicyDocument
from xxgk.core.today import fixed_today

D = dt.date
HIDDEN_TITLES = ("不予公开的内部请示", "尚未审核的草稿通知", "已撤回的错误通知", "正在审核的通知")


@dataclass
class Catalogue:
    enrolment: InfoItem  # English version, an attachment, a channel, key area
    budget: InfoItem  # Chinese only, statutory class 财政预决算
    old_policy: PolicyDocument  # repealed by new_policy
    new_policy: PolicyDocument
    interpretation: InfoItem
    withheld: InfoItem
    draft: InfoItem
    in_review: InfoItem
    withdrawn: InfoItem


@pytest.fixture
def catalogue(world) -> Catalogue:
    with fixed_today(D(2025, 6, 2)):
        enrolment = actions.create_item(world.education, text(
            "2025年西城区义务教育阶段入学工作实施意见", category=Category.objects.get(code="ywjy"),
            title_en="Compulsory education enrolment, 2025", body_en="<p>Enrolment rules.</p>",
            body="<p>入学办法正文</p>", channels=("weibo", "wechat"),
            formed=D(2025, 3, 3)))
        actions.add_attachment(enrolment, files.check_file("入学意见.pdf", PDF))
        enrolment = actions.publish(enrolment, D(2025, 3, 10))
        budget = actions.publish(actions.create_item(world.finance, text(
            "西城区2025年部门预算公开", category=Category.objects.get(code="czyjs"),
            body="<p>预算正文</p>", formed=D(2025, 2, 10))), D(2025, 2, 14))
        old_policy = published_policy(world.district, "normative_documents", D(2019, 4, 1))
        new_policy = published_policy(world.district, "normative_documents", D(2025, 2, 3))
        actions.record_validity_change(old_policy, on=D(2025, 2, 3), validity="repealed",
                                       by_document=new_policy)
        interpretation = published_interpretation(new_policy, D(2025, 2, 5))
        withheld = actions.create_item(world.education, text(
            HIDDEN_TITLES[0], attribute="withheld",
            withholding_ground="withheld.internal_affairs"))
        draft = actions.create_item(world.education, text(HIDDEN_TITLES[1]))
        in_review = actions.submit(actions.create_item(world.education, text(HIDDEN_TITLES[3]),
                                                       actor=world.handler),
                                   actor=world.handler)
        withdrawn = actions.create_item(world.education, text(
            HIDDEN_TITLES[2], category=Category.objects.get(code="ywjy")))
        actions.add_attachment(withdrawn, files.check_file("撤回.pdf", PDF))
        actions.add_attachment(withheld, files.check_file("内部.pdf", PDF))
        withdrawn = actions.withdraw(actions.publish(withdrawn, D(2025, 3, 4)), "内容有误")
    old_policy.refresh_from_db()
    return Catalogue(enrolment, budget, old_policy, new_policy, interpretation, withheld,
                     draft, in_review, withdrawn)


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
