"""A reviewer's first login in a real browser: the password, then setting up the
authenticator app from the key the page shows, the recovery codes, and the workbench; every
page of it accessible and within the Content-Security-Policy (the ``page`` fixture)."""

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.staff import assert_accessible
from tests.factories import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_sets_up_the_authenticator_app_at_the_first_login(live_server, page):
    build_world()
    base = live_server.url
    page.goto(base + "/staff/login/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    page.get_by_label("Username").fill("reviewer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.wait_for_url(base + "/staff/login/enrol/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.locator("figure.qr svg")).to_be_visible()
    assert_accessible(page)
    # What an authenticator app does with the key typed in.
    key = base64.b32decode(page.locator("#totp-key").inner_text().replace(" ", ""))
    page.get_by_label("Code").fill(str(TOTP(key).token()).zfill(6))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator("ul.recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url(base + "/staff/")
    expect(page.get_by_role("heading", name="Staff workbench", level=1)).to_be_visible()
