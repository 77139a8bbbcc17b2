"""The applicant's pages: apply once, see the code once, follow, correct, withdraw, download."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.applications.helpers import ADDRESS, EMAIL, ID_NUMBER, PHONE, apply, received
from tests.applications.test_forms import FREE_TEXT_FIELDS, SCRIPT, form_data, organisation_data
from tests.applications.test_uploads import EXE, PDF
from tests.signin import Client
from xxgk.applications import actions, pii, timing
from xxgk.applications.models import Application, Document, Status
from xxgk.applications.views_public import FOLLOWED
from xxgk.core import jobs

pytestmark = pytest.mark.django_db

MON = dt.date(2026, 11, 2)


def submit(client: Client, data: dict, **files):
    return client.post(reverse("apply:form"), {**data, **files})


def receipt(client: Client) -> tuple[str, str]:
    """The number and query code as the submitted page shows them."""
    html = client.get(reverse("apply:submitted")).content.decode()
    number = re.search(r'id="application-number">([^<]+)<', html).group(1)
    code = re.search(r'id="query-code">([^<]+)<', html).group(1)
    return number, code


def follow(client: Client, number: str, code: str):
    return client.post(reverse("apply:follow"), {"number": number, "query_code": code})


def errors_of(html: str) -> list[str]:
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    return re.findall(r"<li>(.*?)</li>", summary, re.S)


# ---- Applying --------------------------------------------------------------------------


def test_the_form_is_chinese_by_default_and_english_on_request(world, client):
    html = client.get(reverse("apply:form")).content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "北京市西城区教育委员会" in html and "自然人" in html
    assert '<optgroup label="' in html
    assert 'name="client_token"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "purpose" not in html.lower()

    client.post(reverse("set_language"), {"language": "en", "next": "/apply/"})
    html = client.get(reverse("apply:form")).content.decode()
    assert '<html lang="en">' in html
    assert "Xicheng District Education Commission" in html and "Natural person" in html
    assert "Apply for government information" in html


def test_a_valid_application_is_stored_and_its_code_shown_once(world, client):
    response = submit(client, form_data(agency=str(world.education.pk)))
    assert response.status_code == 302
    assert response.url == reverse("apply:submitted")
    application = Application.objects.get()
    assert application.agency == world.education
    assert application.status == Status.SUBMITTED

    number, code = receipt(client)
    assert number == application.number
    assert actions.access_by_query_code(number, code, request=None) == application
    assert code not in response.url and number not in response.url
    # Shown once: the session no longer holds the code.
    again = client.get(reverse("apply:submitted"))
    assert again.status_code == 302
    assert code not in str(dict(client.session))
    # The submitting session follows its application without the code.
    assert client.get(reverse("apply:detail", args=[number])).status_code == 200


def test_the_submitted_page_explains_the_next_steps(world, client):
    submit(client, form_data())
    html = client.get(reverse("apply:submitted")).content.decode()
    assert "20 个工作日" in html  # Chinese by default
    assert "次日起" in html
    assert "北京市西城区人民政府" in html  # not sure: routed to the OGI office


def test_a_double_post_creates_one_application_with_one_number(world, client):
    data = form_data(client_token="same-token-for-both-posts")
    submit(client, data)
    first = receipt(client)
    submit(client, data)
    second = receipt(client)
    assert Application.objects.count() == 1
    assert first == second


def test_an_organisation_can_apply(world, client):
    assert submit(client, organisation_data()).status_code == 302
    application = Application.objects.get()
    assert application.applicant_column == "commercial_enterprise"
    assert pii.decrypt(application.identity.encrypted).contact_person == "李四"


def test_attachments_are_stored_as_documents_the_applicant_cannot_download(world, client):
    pdf = SimpleUploadedFile("身份证.pdf", PDF, content_type="application/pdf")
    submit(client, form_data(), identity_proof=pdf)
    document = Document.objects.get()
    assert (document.kind, document.filename, document.content_type) == (
        "identity_proof", "身份证.pdf", "application/pdf")
    assert not document.visible_to_applicant
    number = document.application.number
    assert client.get(reverse("apply:document", args=[number, document.pk])).status_code == 404


def test_an_executable_renamed_pdf_stores_nothing(world, client):
    exe = SimpleUploadedFile("身份证.pdf", EXE, content_type="application/pdf")
    response = submit(client, form_data(), identity_proof=exe)
    assert response.status_code == 200
    assert Application.objects.count() == 0 and Document.objects.count() == 0
    html = response.content.decode()
    assert 'href="#id_identity_proof"' in html
    assert "身份证.pdf" in html
    assert "请重新添加附件" in html


def test_errors_are_summarised_at_the_top_and_linked_to_their_fields(world, client):
    response = submit(client, form_data(id_number=ID_NUMBER[:-1] + "1", phone="12345",
                                        delivery="post", address=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert Application.objects.count() == 0
    assert html.index("error-summary") < html.index('name="applicant_type"')
    for field in ("id_number", "phone", "address"):
        assert f'href="#id_{field}"' in html
        assert f'id="id_{field}_error"' in html
        assert re.search(rf'<input[^>]*aria-describedby="[^"]*id_{field}_error[^"]*"[^>]*'
                         rf'id="id_{field}"', html), field
        assert re.search(rf'<input[^>]*aria-invalid="true"[^>]*id="id_{field}"', html), field
    radios = submit(client, form_data(delivery="")).content.decode()
    assert 'href="#id_delivery_0"' in radios


def test_a_hundred_thousand_characters_are_a_field_error_not_a_crash(world, client):
    response = submit(client, form_data(description="长" * 100_000))
    assert response.status_code == 200
    assert 'id="id_description_error"' in response.content.decode()
    assert Application.objects.count() == 0


def test_script_tags_in_every_field_are_stored_as_text_and_rendered_escaped(world, client):
    response = submit(client, organisation_data(**dict.fromkeys(FREE_TEXT_FIELDS, SCRIPT)))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.applicant_name == SCRIPT
    assert application.description == SCRIPT
    assert application.document_number == SCRIPT
    identity = pii.decrypt(application.identity.encrypted)
    assert identity.address == SCRIPT and identity.contact_person == SCRIPT

    html = client.get(reverse("apply:detail", args=[application.number])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SCRIPT not in html

    # Fields with a format refuse it, and the form shows it back escaped.
    formatted = dict.fromkeys(("id_number", "phone", "email", "postcode"), SCRIPT)
    html = submit(client, form_data(**formatted, name=SCRIPT, description=SCRIPT)).content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html


# ---- Following -------------------------------------------------------------------------


def test_the_number_and_code_open_the_application(world, client):
    application, code = apply(world.education)
    response = follow(client, application.number, code.lower())
    assert response.status_code == 302
    assert response.url == reverse("apply:detail", args=[application.number])
    assert application.pk in client.session[FOLLOWED]
    html = client.get(response.url).content.decode()
    assert 'data-status="submitted"' in html
    assert "北京市西城区教育委员会" in html


def test_a_wrong_code_and_a_wrong_number_get_the_same_answer(world, client):
    application, code = apply(world.education)
    wrong_code = follow(client, application.number, "ABCDEFGHJK")
    wrong_number = follow(client, "110102-2026-999999", code)
    assert wrong_code.status_code == wrong_number.status_code == 200
    assert errors_of(wrong_code.content.decode()) == errors_of(wrong_number.content.decode())
    assert FOLLOWED not in client.session


def test_without_the_code_the_page_sends_you_to_the_follow_form(world, client):
    application, _code = apply(world.education)
    for number in (application.number, "110102-2026-999999"):
        response = client.get(reverse("apply:detail", args=[number]))
        assert response.status_code == 302
        assert response.url == reverse("apply:follow") + f"?number={number}"
    html = client.get(reverse("apply:follow") + f"?number={application.number}").content.decode()
    assert f'value="{application.number}"' in html


def test_the_account_that_applied_may_follow_without_the_code(world, client):
    client.force_login(world.auditor)
    submit(client, form_data())
    application = Application.objects.get()
    assert application.account == world.auditor
    other = Client()
    other.force_login(world.auditor)
    assert other.get(reverse("apply:detail", args=[application.number])).status_code == 200
    other.force_login(world.handler)
    assert other.get(reverse("apply:detail", args=[application.number])).status_code == 302


def test_the_follow_page_shows_no_personal_information(world, client):
    identity = pii.Identity(id_number=ID_NUMBER, phone=PHONE, address=ADDRESS, email=EMAIL,
                            postcode="100032")
    application, code = apply(world.education, identity=identity)
    actions.confirm_receipt(application, received_on=timezone.localdate(), actor=world.handler)
    follow(client, application.number, code)
    html = client.get(reverse("apply:detail", args=[application.number])).content.decode()
    assert "张三" in html
    for secret in (ID_NUMBER, PHONE, ADDRESS, EMAIL, "100032",
                   pii.mask_id(ID_NUMBER), pii.mask_phone(PHONE), pii.mask_address(ADDRESS),
                   pii.mask_email(EMAIL)):
        assert secret not in html, secret


def test_the_page_shows_status_dates_and_the_clock_in_the_page_language(world, client):
    application = received(world.education, MON, actor=world.handler)
    code = pii.decrypt(application.identity.encrypted).query_code
    follow(client, application.number, code)
    result = timing.compute(application)
    html = client.get(reverse("apply:detail", args=[application.number])).content.decode()
    assert 'data-status="in_progress"' in html
    assert "2026-11-02" in html  # confirmed receipt date
    assert "2026-11-30" in html  # due date
    assert result.headline_zh in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("apply:detail", args=[application.number])).content.decode()
    assert result.headline_en in html and result.headline_zh not in html
    assert "Receipt confirmed" in html


def test_only_public_events_are_shown(world, client):
    application = received(world.education, MON, actor=world.handler)
    actions.assign(application, world.handler, actor=world.handler)
    actions.send_consultation(application, party="第三方某公司", party_kind="third_party",
                              actor=world.handler)
    follow(client, application.number, pii.decrypt(application.identity.encrypted).query_code)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("apply:detail", args=[application.number])).content.decode()
    assert 'data-event="receipt_confirmed"' in html
    assert 'data-event="consultation_sent"' in html
    assert 'data-event="assigned"' not in html
    assert "第三方某公司" not in html


# ---- Correcting and withdrawing --------------------------------------------------------


def awaiting_correction(world, client) -> Application:
    application = received(world.education, MON, actor=world.handler)
    deadline = timezone.localdate() + dt.timedelta(days=15)
    # Asked the day after receipt: Art. 30 allows a request only within 7 working days.
    actions.request_correction(application, what="请写明所需文件的年份。", deadline=deadline,
                               on=MON + dt.timedelta(days=1), actor=world.handler)
    follow(client, application.number, pii.decrypt(application.identity.encrypted).query_code)
    return application


def test_a_correction_request_shows_what_to_correct_and_by_when(world, client):
    application = awaiting_correction(world, client)
    deadline = timezone.localdate() + dt.timedelta(days=15)
    html = client.get(reverse("apply:detail", args=[application.number])).content.decode()
    assert "请写明所需文件的年份。" in html
    assert deadline.isoformat() in html
    assert f'action="{reverse("apply:correct", args=[application.number])}"' in html


def test_the_applicant_corrects_online(world, client):
    application = awaiting_correction(world, client)
    pdf = SimpleUploadedFile("补正.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("apply:correct", args=[application.number]),
                           {"description": "2022年度的立项批复文件。", "attachments": pdf})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS
    corrected = application.events.get(kind="corrected")
    assert corrected.note == "2022年度的立项批复文件。"
    assert corrected.documents.get().filename == "补正.pdf"


def test_a_bad_correction_is_a_form_error(world, client):
    application = awaiting_correction(world, client)
    exe = SimpleUploadedFile("补正.pdf", EXE, content_type="application/pdf")
    response = client.post(reverse("apply:correct", args=[application.number]),
                           {"description": "", "attachments": exe})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_description_error"' in html and 'id="id_attachments_error"' in html
    application.refresh_from_db()
    assert application.status == Status.AWAITING_CORRECTION


def test_an_action_error_is_shown_on_the_form(world, client):
    application, code = apply(world.education)
    follow(client, application.number, code)
    response = client.post(reverse("apply:correct", args=[application.number]),
                           {"description": "更正"})
    assert response.status_code == 200
    assert errors_of(response.content.decode())  # "No correction has been requested."
    assert not application.events.filter(kind="corrected").exists()


def test_withdrawing_needs_the_checkbox(world, client):
    application, code = apply(world.education)
    follow(client, application.number, code)
    url = reverse("apply:withdraw", args=[application.number])
    response = client.post(url, {"reason": "不需要了"})
    assert response.status_code == 200
    assert 'id="id_confirm_error"' in response.content.decode()
    assert client.post(url, {"confirm": "on", "reason": "不需要了"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.CLOSED
    assert application.outcome == actions.WITHDRAWN_OUTCOME
    html = client.get(reverse("apply:detail", args=[application.number])).content.decode()
    assert 'data-event="withdrawn"' in html
    assert 'action="' + url not in html
    # Withdrawing twice is refused on the form, not with an error page.
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 200 and errors_of(response.content.decode())


def test_nobody_else_can_correct_or_withdraw(world, client):
    application, _code = apply(world.education)
    response = client.post(reverse("apply:withdraw", args=[application.number]),
                           {"confirm": "on"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("apply:follow"))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


# ---- Documents -------------------------------------------------------------------------


def replied(world) -> tuple[Application, str, Document]:
    application = received(world.education, MON, actor=world.handler)
    actions.reply(application, outcome="disclosed", legal_basis="第三十六条第（二）项",
                  actor=world.handler, released=[("立项批复.pdf", "application/pdf", PDF)])
    document = Document.objects.get(visible_to_applicant=True)
    return application, pii.decrypt(application.identity.encrypted).query_code, document


def test_the_applicant_downloads_the_released_documents(world, client):
    application, code, document = replied(world)
    follow(client, application.number, code)
    html = client.get(reverse("apply:detail", args=[application.number])).content.decode()
    url = reverse("apply:document", args=[application.number, document.pk])
    assert f'href="{url}"' in html
    assert "予以公开" in html  # the outcome, in the page language
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E7%AB%8B" in response["Content-Disposition"]


def test_another_session_cannot_download(world, client):
    application, code, document = replied(world)
    follow(client, application.number, code)
    url = reverse("apply:document", args=[application.number, document.pk])
    assert Client().get(url).status_code == 404
    # Following another application does not open this one's documents.
    other, other_code = apply(world.education)
    stranger = Client()
    follow(stranger, other.number, other_code)
    assert stranger.get(url).status_code == 404
    assert stranger.get(reverse("apply:document", args=[other.number, document.pk])
                        ).status_code == 404


def test_pages_with_private_details_are_not_cached(world, client):
    application, code = apply(world.education)
    follow(client, application.number, code)
    response = client.get(reverse("apply:detail", args=[application.number]))
    assert "no-store" in response["Cache-Control"]


def test_the_history_gives_the_facts_of_each_step(world, client):
    application = received(world.education, MON, actor=world.handler)
    actions.transfer(application, world.finance, reason="该信息由财政局掌握。", actor=world.ogi)
    actions.request_extension(application, days=15, reason="需要调取档案。", actor=world.ogi)
    actions.approve_extension(application, approver=world.ogi)
    actions.notify_fee(application, method="by_item", amount=Decimal("200"),
                       basis="超出数量上限。", actor=world.ogi)
    actions.record_fee_payment(application, amount=Decimal("200"), actor=world.ogi)
    actions.reply(application, outcome="withheld.state_secret", legal_basis="第十四条",
                  body="经审查，属于国家秘密。", actor=world.ogi)
    follow(client, application.number, pii.decrypt(application.identity.encrypted).query_code)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("apply:detail", args=[application.number])).content.decode()
    for fact in ("Xicheng District Finance Bureau", "该信息由财政局掌握。", "15 working days",
                 "需要调取档案。", "200 yuan", "超出数量上限。", "State secret", "经审查，属于国家秘密。"):
        assert fact in html, fact
    assert 'data-event="extension_requested"' not in html  # internal until approved
    assert 'data-status="closed"' in html
    assert 'action="' + reverse("apply:withdraw", args=[application.number]) not in html


def test_guessing_query_codes_is_stopped_after_ten_failures(world, client):
    from xxgk.applications.lockout import ADDRESS_ALLOWED

    application, code = apply(world.education)
    url = reverse("apply:follow")
    for _ in range(ADDRESS_ALLOWED):
        client.post(url, {"number": application.number, "query_code": "WRONGWRONG"})
    response = client.post(url, {"number": application.number, "query_code": code})
    assert "apply:detail" not in response.get("Location", "")
    assert response.status_code == 200
    assert "15" in response.content.decode()


def test_a_deferred_letter_is_prepared_when_first_asked_for(world, client):
    application, code = apply(world.education, arrived=dt.date(2026, 11, 2))
    actions.confirm_receipt(application, received_on=dt.date(2026, 11, 2))
    with actions.letters_deferred():
        actions.reply(application, outcome="disclosed", legal_basis="第三十六条",
                      on=dt.date(2026, 11, 10))
    client.post(reverse("apply:follow"), {"number": application.number, "query_code": code})
    page = client.get(reverse("apply:detail", args=[application.number])).content.decode()
    reply_event = application.events.get(kind="replied")
    letter_url = reverse("apply:letter", args=[application.number, reply_event.pk])
    assert letter_url in page
    preparing = client.get(letter_url)
    assert preparing.status_code == 200 and "文书正在生成" in preparing.content.decode()
    client.get(letter_url)  # asking again queues nothing more
    assert jobs.run_pending() == 2  # the letter, then the email that carries it
    response = client.get(letter_url, follow=True)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert application.documents.filter(kind="letter").count() == 2


def test_a_withdrawal_before_receipt_is_not_shown_as_awaiting_receipt(world, client):
    application, code = apply(world.education)
    follow(client, application.number, code)
    actions.withdraw(application, reason="不需要了")
    url = reverse("apply:detail", args=[application.number])
    html = client.get(url).content.decode()
    assert "尚未确认" not in html  # "Not confirmed yet", the untouched application's text
    assert "data-event=\"withdrawn\"" in html
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    assert "Not confirmed yet" not in html and "has not confirmed receipt yet" not in html
    assert "withdrawn before receipt was confirmed" in html
    assert "You withdrew the application before the agency confirmed receipt" in html


def test_an_application_awaiting_receipt_still_says_so(world, client):
    application, code = apply(world.education)
    follow(client, application.number, code)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("apply:detail", args=[application.number])).content.decode()
    assert "Not confirmed yet" in html and "withdrawn before receipt" not in html
