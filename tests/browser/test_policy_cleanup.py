"""A handler reviews the validity clean-up list in a real browser, without any script of
the page: ticks a document, marks it repealed with a reason, then reads its history; the
OGI office confirms another still in force. axe-core checks each page, at 1280 and at
390 px (no sideways scrolling of the page itself)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.staff import assert_accessible, log_in
from tests.catalog.helpers import text
from tests.factories import build_world
from xxgk.catalog import actions
from xxgk.catalog.models import PolicyDocument, ValidityReview

pytestmark = pytest.mark.django_db(transaction=True)


def _checked(page) -> None:
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 390


def _policy(agency, title: str, doc_no: str, issued: dt.date) -> PolicyDocument:
    document = actions.create_policy_document(
        agency, text(title, formed=issued, doc_no=doc_no), kind="normative_documents",
        issued_on=issued)
    return actions.publish(document, issued)


def test_clean_up_validity(live_server, page):
    world = build_world()
    today = timezone.localdate()
    old = _policy(world.education, "北京市西城区中小学校舍管理办法", "西教发〔2012〕4号",
                  dt.date(2012, 3, 5))
    kept = _policy(world.education, "北京市西城区学生资助工作实施细则", "西教发〔2014〕9号",
                   dt.date(2014, 9, 1))

    log_in(page, live_server.url, "handler")
    page.goto(live_server.url + "/staff/catalog/policies/")
    expect(page.get_by_role("heading", name="Policy documents", level=1)).to_be_visible()
    _checked(page)
    page.get_by_role("link", name="Validity clean-up").click()
    expect(page.get_by_role("heading", name="Validity clean-up", level=1)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="西教发〔2012〕4号")).to_contain_text(
        "In force for over 5 years")
    _checked(page)

    # Without a reason the step is refused whole, and the tick survives.
    page.get_by_role("checkbox", name=old.title).check()
    page.get_by_label("Mark repealed").check()
    page.get_by_role("button", name="Apply to the documents ticked").click()
    expect(page.locator(".error-summary")).to_contain_text("Reason")
    expect(page.get_by_role("checkbox", name=old.title)).to_be_checked()
    _checked(page)
    page.get_by_label(re.compile(r"^Reason")).fill("已被市级新规定替代")
    page.get_by_role("button", name="Apply to the documents ticked").click()
    expect(page.locator(".messages")).to_contain_text("1 document dealt with")
    expect(page.get_by_role("checkbox", name=old.title)).to_have_count(0)

    page.get_by_role("link", name=kept.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(kept.title)
    _checked(page)
    page.goto(live_server.url + f"/staff/catalog/policies/{old.pk}/")
    expect(page.locator("h1 .badge")).to_have_text("Repealed")
    expect(page.get_by_role("table").filter(has_text="已被市级新规定替代")).to_contain_text(
        today.isoformat())
    _checked(page)
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, "ogi")
    page.goto(live_server.url + "/staff/catalog/policies/cleanup/")
    page.get_by_role("checkbox", name=kept.title).check()
    page.get_by_label("Confirm still in force").check()
    page.get_by_label(re.compile(r"^Reason")).fill("仍适用，无需修改")
    page.get_by_role("button", name="Apply to the documents ticked").click()
    expect(page.get_by_text("No document is due for review.")).to_be_visible()
    review = ValidityReview.objects.get()
    assert (review.document_id, review.reviewer.username) == (kept.pk, "ogi")
    assert PolicyDocument.objects.get(pk=kept.pk).validity == "in_force"
    assert PolicyDocument.objects.get(pk=old.pk).validity == "repealed"
