"""A small public catalogue for the machine-readable pages (feeds, sitemap, JSON API): a
few public items of each kind, and one record of every kind that must never be shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tests.catalog.helpers import published_interpretation, published_policy, text
from tests.files import PDF
from xxgk.catalog import actions, bulk, files
from xxgk.catalog.models import Category, InfoItem, PolicyDocument
from xxgk.core.today import fixed_today

D = dt.date
TODAY = D(2025, 6, 2)
LONG_BODY = "<p>" + "为进一步做好义务教育阶段入学工作，现就有关事项通知如下。" * 40 + "</p>"

# One of each thing that is not public: withheld, a draft, in review, withdrawn, and
# imported history that was withdrawn later.
SECRET_TITLES = {
    "withheld": "不予公开的内部请示",
    "draft": "尚未审核的草稿通知",
    "review": "正在保密审查的通知",
    "withdrawn": "已撤回的错误通知",
    "imported_withdrawn": "已撤回的历史导入文件",
}


@dataclass
class Records:
    reviewed: InfoItem          # drafted by the handler, approved by the reviewer
    english: InfoItem           # with an English version and an attachment
    plain: InfoItem             # Chinese only, no summary: described by its text
    imported: InfoItem          # published history, imported
    policy: PolicyDocument      # repealed by ``repealing``
    repealing: PolicyDocument
    interpretation: InfoItem
    secrets: dict[str, InfoItem] = field(default_factory=dict)

    @property
    def public(self) -> list[InfoItem]:
        return [self.reviewed, self.english, self.plain, self.imported, self.policy,
                self.repealing, self.interpretation]


def build(world) -> Records:
    area = Category.objects.get(code="ywjy")
    statistics = Category.objects.get(code="tjxx")
    with fixed_today(TODAY):
        draft = actions.create_item(world.education, text(
            "关于2025年秋季学期中小学开学工作的通知", category=area,
            summary="部署2025年秋季学期开学工作。"), actor=world.handler)
        actions.submit(draft, actor=world.handler)
        reviewed = actions.publish(draft, D(2025, 5, 20), actor=world.reviewer)

        english = actions.create_item(world.education, text(
            "2025年西城区义务教育阶段入学工作实施意见", category=area,
            title_en="Compulsory education enrolment, 2025",
            body_en="<p>How children are enrolled in 2025.</p>", channels=("weibo",)))
        actions.add_attachment(english, files.check_file("入学意见.pdf", PDF))
        english = actions.publish(english, D(2025, 3, 10))

        plain = actions.publish(actions.create_item(world.district, text(
            "2024年西城区国民经济和社会发展统计公报", category=statistics, body=LONG_BODY,
            formed=D(2025, 3, 1))), D(2025, 3, 20))

        [imported_pk, imported_withdrawn_pk] = bulk.publish_history(world.finance, [
            bulk.HistoryRecord(title="西城区2023年部门预算公开说明", published_on=D(2023, 2, 1),
                               summary="2023年部门预算。"),
            bulk.HistoryRecord(title=SECRET_TITLES["imported_withdrawn"],
                               published_on=D(2023, 3, 1)),
        ])
        imported = InfoItem.objects.get(pk=imported_pk)
        actions.withdraw(InfoItem.objects.get(pk=imported_withdrawn_pk), "重复发布")

        policy = published_policy(world.district, "normative_documents", D(2020, 2, 3))
        repealing = published_policy(world.district, "normative_documents", D(2025, 2, 3),
                                     D(2025, 2, 5))
        actions.record_validity_change(policy, on=D(2025, 2, 5), validity="repealed",
                                       by_document=repealing, note="由新办法废止")
        policy.refresh_from_db()
        interpretation = published_interpretation(repealing, D(2025, 2, 6))

        secrets = {
            "withheld": actions.create_item(world.education, text(
                SECRET_TITLES["withheld"], attribute="withheld",
                withholding_ground="withheld.internal_affairs", category=area)),
            "draft": actions.create_item(world.education, text(SECRET_TITLES["draft"],
                                                               category=area)),
        }
        in_review = actions.create_item(world.education, text(SECRET_TITLES["review"],
                                                              category=area),
                                        actor=world.handler)
        secrets["review"] = actions.submit(in_review, actor=world.handler)
        withdrawn = actions.publish(actions.create_item(world.education, text(
            SECRET_TITLES["withdrawn"], category=area)), D(2025, 3, 4))
        secrets["withdrawn"] = actions.withdraw(withdrawn, "内容有误")
        secrets["imported_withdrawn"] = InfoItem.objects.get(pk=imported_withdrawn_pk)
    return Records(reviewed=reviewed, english=english, plain=plain, imported=imported,
                   policy=policy, repealing=repealing, interpretation=interpretation,
                   secrets=secrets)
