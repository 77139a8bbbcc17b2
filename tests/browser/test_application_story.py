"""The whole story in real browsers: a citizen applies; the handler asks for a correction;
the citizen corrects online; the handler replies; the citizen downloads the reply letter,
which is a real PDF and DOCX carrying the outcome's wording and the remedies."""

import datetime as dt
import io
from pathlib import Path

import docx
import pdfplumber
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, build_world
from xxgk.applications.models import Application

pytestmark = pytest.mark.django_db(transaction=True)

RESIDENT_ID = "11010519491231002X"
PHONE = "13812345678"


def citizen_applies(page, base: str) -> tuple[str, str]:
    page.goto(base + "/apply/")
    page.check("input[name=applicant_type][value=natural_person]")
    page.fill("#id_name", "李四")
    page.select_option("#id_id_document_type", "resident_id")
    page.fill("#id_id_number", RESIDENT_ID)
    page.fill("#id_phone", PHONE)
    page.select_option("#id_agency", label="北京市西城区教育委员会")
    page.fill("#id_description", "请公开学校建设项目的批复文件。")
    page.check("input[name=provision_form][value=electronic]")
    page.check("input[name=delivery][value=online]")
    page.locator("form.apply-form button[type=submit]").click()
    page.wait_for_url(base + "/apply/submitted/")
    return (page.locator("#application-number").inner_text().strip(),
            page.locator("#query-code").inner_text().strip())


def handler_logs_in(page, base: str) -> None:
    page.goto(base + "/staff/login/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    page.get_by_label("Username").fill("handler")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/staff/")


def test_apply_correct_reply_and_download_the_letter(live_server, worker, browser):
    build_world()
    base = live_server.url
    citizen = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    staff = browser.new_context(locale="zh-CN").new_page()

    number, code = citizen_applies(citizen, base)

    handler_logs_in(staff, base)
    staff.goto(f"{base}/staff/applications/{number}/")
    staff.locator("#action-confirm_receipt").get_by_role("button").click()
    expect(staff.locator(".messages")).to_contain_text("Receipt confirmed")
    correction = staff.locator("#action-request_correction")
    correction.get_by_label("What the applicant must correct").fill("请写明学校名称和项目年份。")
    deadline = timezone.localdate() + dt.timedelta(days=20)
    correction.get_by_label("Correct by").fill(deadline.isoformat())
    correction.get_by_role("button", name="Request correction").click()
    expect(staff.locator(".messages")).to_be_visible()
    assert Application.objects.get(number=number).status == "awaiting_correction"

    # The citizen follows the application (the submitting browser already does) and corrects.
    citizen.goto(f"{base}/apply/{number}/")
    expect(citizen.locator("main")).to_contain_text("请写明学校名称和项目年份。")
    citizen.fill("#id_description", "请公开北京市第八中学2023年校舍改建项目的立项批复文件。")
    citizen.locator("form[action$='/correct/'] button[type=submit]").click()
    expect(citizen.locator("[data-status]")).to_have_attribute("data-status", "in_progress")

    staff.goto(f"{base}/staff/applications/{number}/")
    reply = staff.locator("#action-reply")
    reply.get_by_label("Outcome").select_option("disclosed")
    reply.get_by_label("Reply text").fill("所申请的批复文件予以公开，见附件。")
    reply.get_by_role("button", name="Send the reply and close").click()
    expect(staff.locator("h1 .badge")).to_have_class("badge state-closed")

    # A stranger with the number and code, and the citizen, can now download the letter.
    follower = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    follower.goto(base + "/apply/follow/")
    follower.fill("#id_number", number)
    follower.fill("#id_query_code", code)
    follower.locator("main form button[type=submit]").click()
    follower.wait_for_url(f"{base}/apply/{number}/")
    # The worker renders the letter after the reply: until then the page says so.
    letter = follower.locator("a[href*='/documents/']:text-matches('答复书.*\\.pdf$')")
    for _attempt in range(50):
        if letter.count():
            break
        follower.wait_for_timeout(200)
        follower.reload()
    texts = {}
    for extension in ("pdf", "docx"):
        link = follower.locator(f"a[href*='/documents/']:text-matches('答复书.*\\.{extension}$')")
        with follower.expect_download() as download:
            link.first.click()
        content = Path(download.value.path()).read_bytes()
        if extension == "pdf":
            assert content.startswith(b"%PDF")
            with pdfplumber.open(io.BytesIO(content)) as pdf:
                texts["pdf"] = "".join(p.extract_text() or "" for p in pdf.pages)
        else:
            document = docx.Document(io.BytesIO(content))
            texts["docx"] = "".join(p.text for p in document.paragraphs)
    for text in texts.values():
        compact = "".join(text.split())
        assert "予以公开" in compact
        assert "行政复议" in compact and "行政诉讼" in compact
        assert RESIDENT_ID not in compact and PHONE not in compact
