"""A handler opens a new application in the workbench, confirms receipt, replies, and sees
it closed — in a real browser, without relying on any script of the page."""

import re

import pytest
from playwright.sync_api import expect

from tests.applications.helpers import apply
from tests.factories import PASSWORD, build_world
from xxgk.applications.models import Application, Status

pytestmark = pytest.mark.django_db(transaction=True)


def test_handler_confirms_receipt_and_replies_disclosed(live_server, page):
    world = build_world()
    application, _code = apply(world.education, applicant_name="王小明")

    page.goto(live_server.url + "/staff/login/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    page.get_by_label("Username").fill("handler")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/staff/")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Applications").click()
    expect(page.get_by_role("heading", name="Applications", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="王小明")
    expect(row.locator(".badge")).to_have_text("Receipt not confirmed")
    row.get_by_role("link", name=application.number).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(application.number)
    confirm = page.locator("#action-confirm_receipt")
    confirm.get_by_role("button", name="Confirm receipt").click()
    expect(page.locator(".messages")).to_contain_text("Receipt confirmed")
    expect(page.locator("h1 .badge")).to_have_class(re.compile(r"state-(running|due_soon)"))

    reply = page.locator("#action-reply")
    reply.get_by_label("Outcome").select_option("disclosed")
    # The page's script cites the outcome's article; the server would do the same.
    expect(reply.get_by_label("Legal basis")).to_have_value("《政府信息公开条例》第三十六条第（一）（二）项")
    reply.get_by_label("Reply text").fill("所申请的信息予以公开，见附件。")
    reply.get_by_role("button", name="Send the reply and close").click()

    expect(page.locator(".messages")).to_contain_text("the application is closed")
    expect(page.locator("h1 .badge")).to_have_class(re.compile(r"state-closed"))
    expect(page.locator(".lead")).to_contain_text("Closed")
    expect(page.locator(".lead")).to_contain_text("Disclosed")
    expect(page.locator("#action-reply")).to_have_count(0)

    application.refresh_from_db()
    assert application.status == Status.CLOSED and application.outcome == "disclosed"
    assert Application.objects.get(pk=application.pk).events.filter(kind="replied").exists()
