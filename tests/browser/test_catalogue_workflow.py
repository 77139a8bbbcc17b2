"""A handler drafts an item with an attachment in the workbench and submits it; a reviewer
of the agency finds it in the review queue, approves and publishes it — in a real browser,
without relying on any script of the page, with axe-core checking each staff page."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import files
from tests.browser.staff import assert_accessible, log_in
from tests.factories import build_world
from xxgk.catalog.models import InfoItem, ItemState

pytestmark = pytest.mark.django_db(transaction=True)
PDF = files.PDF
TITLE = "关于开展2025年学生体质健康监测工作的通知"


def test_draft_review_publish(live_server, page, tmp_path):
    build_world()
    formed = timezone.localdate() - dt.timedelta(days=3)
    attachment = tmp_path / "监测方案.pdf"
    attachment.write_bytes(PDF)

    log_in(page, live_server.url, "handler")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalogue").click()
    expect(page.get_by_role("heading", name="Catalogue", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="New item").click()
    expect(page.get_by_role("heading", name="New item", level=1)).to_be_visible()
    # The ground for withholding shows only for a withheld item (CSS, no script).
    expect(page.get_by_label("Ground for withholding")).to_be_hidden()
    page.get_by_label("Withheld").check()
    expect(page.get_by_label("Ground for withholding")).to_be_visible()
    page.get_by_label("Proactive disclosure").check()
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Title")).fill(TITLE)
    page.get_by_label("Document number").fill("西教发〔2025〕3号")
    page.get_by_label("Catalogue category").select_option(label="Compulsory education")
    page.get_by_label(re.compile(r"^Formed or changed on")).fill(formed.isoformat())
    page.get_by_label(re.compile(r"^Text")).fill("各中小学：<script>alert(1)</script>现将有关事项通知如下。")
    page.get_by_label("Government Weibo").check()
    page.get_by_label("Attachments").set_input_files(str(attachment))
    page.get_by_role("button", name="Save the draft").click()

    expect(page.locator(".messages")).to_contain_text("The draft has been saved")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator("h1 .badge")).to_have_text("Draft")
    expect(page.get_by_role("link", name="监测方案.pdf")).to_be_visible()
    assert_accessible(page)
    page.locator("#step-submit").get_by_role("button", name="Submit for review").click()
    expect(page.locator("h1 .badge")).to_have_text("In confidentiality review")
    # The handler is no reviewer: nothing to approve here.
    expect(page.locator("#step-publish")).to_have_count(0)
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, "reviewer")
    page.goto(live_server.url + "/staff/catalog/review/")
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    publish = page.locator("#step-publish")
    expect(publish.get_by_label(re.compile(r"^Published on"))).to_have_value(timezone.localdate().isoformat())
    assert_accessible(page)
    publish.get_by_role("button", name="Approve and publish").click()

    expect(page.locator(".messages")).to_contain_text("The item is published")
    expect(page.locator("h1 .badge")).to_have_text("Published")
    expect(page.locator("#step-publish")).to_have_count(0)
    history = page.get_by_role("table").filter(has_text="Approved and published")
    expect(history).to_contain_text("reviewer")
    expect(history).to_contain_text("Submitted for confidentiality review")

    item = InfoItem.objects.get()
    assert item.state == ItemState.PUBLISHED and item.is_public
    assert item.published_on == timezone.localdate() and "<script" not in item.body
    assert item.attachments.get().name == "监测方案.pdf"
    assert list(item.channels.values_list("channel", flat=True)) == ["weibo"]
