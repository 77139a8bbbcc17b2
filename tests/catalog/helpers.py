"""Catalogue records made through the actions layer, as staff would make them."""

import datetime as dt

from xxgk.catalog import actions
from xxgk.catalog.actions import ItemText


def text(title: str = "关于开展2025年学生体质健康监测工作的通知", *,
         formed: dt.date = dt.date(2025, 3, 3), **extra) -> ItemText:
    return ItemText(title=title, formed_on=formed, **{"body": "正文", **extra})


def published_item(agency, formed: dt.date, published: dt.date, **extra):
    item = actions.create_item(agency, text(formed=formed, **extra))
    return actions.publish(item, published)


def published_policy(agency, kind: str, issued: dt.date, published: dt.date | None = None):
    document = actions.create_policy_document(
        agency, text("关于印发某办法的通知", formed=issued, doc_no=f"京西政发〔{issued.year}〕1号"),
        kind=kind, issued_on=issued)
    return actions.publish(document, published or issued)


def published_interpretation(policy, published: dt.date):
    interpretation = actions.create_interpretation(
        policy, text(f"《{policy.title}》政策解读", formed=published))
    return actions.publish(interpretation, published)
