"""The staff workbench for one application: permissions, every action through its form,
every outcome row of the national table, and bad input that stores nothing."""

import datetime as dt
import io
import re
from decimal import Decimal

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from tests import files
from tests.applications.helpers import ADDRESS, EMAIL, ID_NUMBER, PHONE, apply, received
from tests.factories import UserFactory
from xxgk import taxonomy
from xxgk.agencies.models import AuditEntry
from xxgk.applications import actions, inbox
from xxgk.applications.models import Application, ApplicationEvent, Document, EventKind, Status

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WEEK_AGO = TODAY - dt.timedelta(days=7)
PDF = files.PDF


def detail_url(app: Application) -> str:
    return reverse("applications:detail", args=[app.number])


def act_url(app: Application, name: str) -> str:
    return reverse("applications:act", args=[app.number, name])


def _step_forms(app: Application) -> str:
    """What every step form's address starts with."""
    return act_url(app, "reply").removesuffix("reply/")


def post(client, app: Application, name: str, data: dict, *, button: str = "", **extra):
    """POST one action form (fields prefixed with the action's name, as the page does),
    with the submit ``button`` pressed when the form has more than one."""
    fields = {f"{name}-{k}": v for k, v in data.items()}
    if button:
        fields[button] = "1"
    return client.post(act_url(app, name), fields, **extra)


def events_of(app: Application) -> list[str]:
    return list(ApplicationEvent.objects.filter(application=app)
                .order_by("id").values_list("kind", flat=True))


@pytest.fixture
def app(world):
    return received(world.education, WEEK_AGO, actor=world.handler)


# ---- Who may open what ---------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_login(app, client):
    for url in (reverse("applications:inbox"), detail_url(app)):
        response = client.get(url)
        assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_accounts_without_a_role_are_refused(app, client):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("applications:inbox")).status_code == 403
    assert client.get(detail_url(app)).status_code == 403


def test_another_departments_application_does_not_exist_for_a_handler(world, app, client):
    client.force_login(world.finance_handler)
    assert client.get(detail_url(app)).status_code == 404
    assert post(client, app, "assign", {"handler": world.finance_handler.pk}).status_code == 404
    assert events_of(app) == ["submitted", "receipt_confirmed"]


def test_the_oversight_auditor_reads_the_page_and_takes_no_step(world, app, client):
    """README: the auditor (督查室) reads everything and changes nothing."""
    client.force_login(world.auditor)
    html = client.get(detail_url(app)).content.decode()
    assert app.description in html and "138****5678" in html
    assert ID_NUMBER not in html and _step_forms(app) not in html
    for name in ("assign", "reply", "approve_extension"):
        refused = post(client, app, name, {"outcome": "disclosed"})
        assert refused.status_code == 403
        assert 'class="not-allowed"' in refused.content.decode()
    assert client.post(reverse("applications:identity", args=[app.number])).status_code == 403
    assert events_of(app) == ["submitted", "receipt_confirmed"]
    assert not AuditEntry.objects.filter(action="application.identity_viewed").exists()


def test_a_reviewer_reads_and_approves_extensions_but_does_not_handle(world, app, client):
    client.force_login(world.reviewer)
    html = client.get(detail_url(app)).content.decode()
    assert app.description in html and _step_forms(app) not in html  # no extension pending
    for name in ("assign", "reply"):
        refused = post(client, app, name, {"outcome": "disclosed"})
        assert refused.status_code == 403
        assert 'class="not-allowed"' in refused.content.decode()
    assert events_of(app) == ["submitted", "receipt_confirmed"]


def test_the_page_shows_request_applicant_clock_history_and_masked_details(world, app, client):
    client.force_login(world.handler)
    html = client.get(detail_url(app)).content.decode()
    assert app.description in html and "张三" in html and "自然人" in html
    for secret in (ID_NUMBER, PHONE, ADDRESS, EMAIL):
        assert secret not in html
    assert "138****5678" in html and "z***@example.cn" in html
    assert "第三十一条、第三十三条第二款" in html  # the clock's explanation cites the article
    assert app.due_on.isoformat() in html
    assert reverse("applications:identity", args=[app.number]) in html


def test_the_clock_explanation_is_in_the_page_language(world, app, client):
    client.force_login(world.handler)
    client.cookies["django_language"] = "en"
    html = client.get(detail_url(app), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Regulation Arts. 31 and 33(2)" in html
    assert "the reply is due within 20 working days" in html


# ---- Personal information --------------------------------------------------------------------


def test_full_details_are_shown_to_the_agencys_handler_and_audited(world, app, client):
    client.force_login(world.handler)
    response = client.post(reverse("applications:identity", args=[app.number]))
    html = response.content.decode()
    assert response.status_code == 200
    assert ID_NUMBER in html and PHONE in html and ADDRESS in html and EMAIL in html
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="application.identity_viewed")
    assert entry.actor == world.handler and entry.object_id == str(app.pk)
    assert ID_NUMBER not in str(entry.detail)


def test_full_details_need_a_post(world, app, client):
    client.force_login(world.handler)
    assert client.get(reverse("applications:identity", args=[app.number])).status_code == 405


def test_full_details_are_refused_to_the_auditor(world, app, client):
    client.force_login(world.auditor)
    response = client.post(reverse("applications:identity", args=[app.number]))
    assert response.status_code == 403 and ID_NUMBER not in response.content.decode()
    assert not AuditEntry.objects.filter(action="application.identity_viewed").exists()


def test_full_details_are_refused_to_the_ogi_office_for_a_departments_application(
        world, app, client):
    client.force_login(world.ogi)
    html = client.get(detail_url(app)).content.decode()
    assert reverse("applications:identity", args=[app.number]) not in html
    response = client.post(reverse("applications:identity", args=[app.number]))
    html = response.content.decode()
    assert response.status_code == 403 and 'class="not-allowed"' in html
    assert ID_NUMBER not in html and PHONE not in html
    assert not AuditEntry.objects.filter(action="application.identity_viewed").exists()


def test_identity_proofs_open_only_by_post_and_are_audited(world, client):
    app, _code = apply(world.education, attachments=(
        (Document.Kind.IDENTITY_PROOF, "id.pdf", "application/pdf", PDF),))
    doc = app.documents.get()
    url = reverse("applications:document", args=[app.number, doc.pk])
    client.force_login(world.handler)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert AuditEntry.objects.filter(action="application.identity_viewed").count() == 1
    client.force_login(world.ogi)
    assert client.post(url).status_code == 302
    assert AuditEntry.objects.filter(action="application.identity_viewed").count() == 1


# ---- Every outcome row is reachable ------------------------------------------------------------


def _prepare(world, app: Application, outcome: str) -> None:
    """Bring the application into the state the outcome needs, through the actions."""
    if outcome in ("other.correction_overdue", "unavailable.unclear_after_correction"):
        actions.request_correction(app, what="请写明文件名称", on=WEEK_AGO,
                                   deadline=TODAY + dt.timedelta(days=10), actor=world.handler)
    if outcome == "unavailable.unclear_after_correction":
        actions.submit_correction(app, text="补正后的申请：仍然是某些文件")
    if outcome == "other.fee_unpaid":
        actions.notify_fee(app, method="by_volume", amount=Decimal(200), basis="按量计收",
                           actor=world.handler)


@pytest.mark.parametrize("outcome", taxonomy.OUTCOME_KEYS)
def test_every_outcome_row_is_reachable_through_the_workbench(world, app, client, outcome):
    _prepare(world, app, outcome)
    category = taxonomy.OUTCOMES_BY_KEY[outcome]
    client.force_login(world.handler)
    html = client.get(detail_url(app)).content.decode()
    assert f'value="{outcome}"' in html
    data = {"outcome": outcome, "body": "答复如下。", "on": TODAY.isoformat(),
            "legal_basis": "" if category.article else "《政府信息公开条例》第三十六条"}
    if outcome == "unavailable.not_held":
        data["responsible_agency"] = "北京市西城区住房和城乡建设委员会"
    response = post(client, app, "reply", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    app.refresh_from_db()
    assert app.status == Status.CLOSED and app.outcome == outcome and app.closed_on == TODAY
    reply = app.events.get(kind=EventKind.REPLIED)
    if category.article:
        assert category.article in reply.data["legal_basis"]
    if outcome == "unavailable.not_held":
        assert reply.data["responsible_agency"] == "北京市西城区住房和城乡建设委员会"


def test_the_outcomes_cite_their_articles_in_the_page_language(world, app, client):
    _prepare(world, app, "disclosed")
    client.force_login(world.handler)
    chinese = client.get(detail_url(app)).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(detail_url(app)).content.decode()
    assert "予以公开（第三十六条第（一）（二）项）" in chinese
    assert "Disclosed (Art. 36 items (1) and (2))" in english
    assert "State secret (Art. 14; Art. 36 item (3))" in english
    # The legal basis the reply letter prints stays the Chinese citation on both.
    assert 'data-article="第三十六条第（一）（二）项"' in english


def test_while_a_correction_is_awaited_only_the_lapse_can_be_chosen(world, app, client):
    _prepare(world, app, "other.correction_overdue")
    client.force_login(world.handler)
    html = client.get(detail_url(app)).content.decode()
    assert 'value="other.correction_overdue"' in html and 'value="disclosed"' not in html
    response = post(client, app, "reply", {"outcome": "disclosed", "legal_basis": "x",
                                           "on": TODAY.isoformat()})
    assert response.status_code == 200 and 'id="id_reply-outcome_error"' in response.content.decode()
    assert app.events.filter(kind=EventKind.REPLIED).count() == 0


def test_an_outcome_without_an_article_needs_a_legal_basis(world, app, client):
    client.force_login(world.handler)
    response = post(client, app, "reply", {"outcome": "other.other", "on": TODAY.isoformat()})
    assert 'id="id_reply-legal_basis_error"' in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.IN_PROGRESS


def test_the_fee_unpaid_outcome_is_refused_without_a_notice(world, app, client):
    client.force_login(world.handler)
    response = post(client, app, "reply", {"outcome": "other.fee_unpaid",
                                           "on": TODAY.isoformat()})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.IN_PROGRESS


# ---- The lifecycle, step by step, through the forms -------------------------------------------


def test_confirm_receipt_then_assign_then_reply(world, client):
    app, _code = apply(world.education, arrived=WEEK_AGO)
    client.force_login(world.handler)
    html = client.get(detail_url(app)).content.decode()
    assert "action-confirm_receipt" in html and "action-reply" not in html
    response = post(client, app, "confirm_receipt", {"received_on": WEEK_AGO.isoformat()})
    assert response.status_code == 302 and response["Location"].endswith("#history")
    app.refresh_from_db()
    assert app.received_on == WEEK_AGO and app.status == Status.IN_PROGRESS
    assert post(client, app, "assign", {"handler": world.handler.pk}).status_code == 302
    app.refresh_from_db()
    assert app.handler == world.handler
    page = client.get(detail_url(app)).content.decode()
    assert "action-confirm_receipt" not in page
    response = post(client, app, "reply", {"outcome": "disclosed", "on": TODAY.isoformat()},
                    follow=True)
    app.refresh_from_db()
    assert app.outcome == "disclosed"
    assert "action-correct_outcome" in response.content.decode()


def test_a_receipt_date_in_the_future_is_a_form_error(world, client):
    app, _code = apply(world.education)
    client.force_login(world.handler)
    response = post(client, app, "confirm_receipt",
                    {"received_on": (TODAY + dt.timedelta(days=3)).isoformat()})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED


def test_correction_then_corrected_then_reply(world, app, client):
    client.force_login(world.handler)
    deadline = TODAY + dt.timedelta(days=15)
    response = post(client, app, "request_correction",
                    {"what": "请写明文件的文号", "deadline": deadline.isoformat(),
                     "on": TODAY.isoformat()})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.AWAITING_CORRECTION and app.due_on is None
    html = client.get(detail_url(app)).content.decode()
    assert "action-request_correction" not in html and "action-send_consultation" not in html
    actions.submit_correction(app, text="文号为西教发〔2023〕1号")
    app.refresh_from_db()
    assert app.status == Status.IN_PROGRESS and app.due_on is not None
    html = client.get(detail_url(app)).content.decode()
    assert "action-request_correction" not in html  # only once (Art. 30)
    assert post(client, app, "reply", {"outcome": "disclosed",
                                       "on": TODAY.isoformat()}).status_code == 302


def test_consultation_pauses_and_the_answer_resumes(world, app, client):
    client.force_login(world.handler)
    response = post(client, app, "send_consultation",
                    {"party": "某某物业公司", "party_kind": "third_party",
                     "on": WEEK_AGO.isoformat()})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.clock_state == "paused"
    html = client.get(detail_url(app)).content.decode()
    assert "action-consultation_answer" in html and "某某物业公司" in html
    response = post(client, app, "consultation_answer",
                    {"party": "某某物业公司", "summary": "不同意公开", "on": TODAY.isoformat()})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.clock_state != "paused"
    assert actions.open_consultations(app) == []
    assert "action-consultation_answer" not in client.get(detail_url(app)).content.decode()


def test_extension_requested_by_handler_approved_by_reviewer_once(world, app, client):
    due_before = app.due_on
    client.force_login(world.handler)
    assert post(client, app, "request_extension",
                {"days": 10, "reason": "需要调取档案"}).status_code == 302
    html = client.get(detail_url(app)).content.decode()
    assert "action-approve_extension" not in html  # a handler cannot approve
    response = post(client, app, "approve_extension", {"on": TODAY.isoformat()})
    assert response.status_code == 403
    assert EventKind.EXTENDED not in events_of(app)

    client.force_login(world.reviewer)
    html = client.get(detail_url(app)).content.decode()
    assert "action-approve_extension" in html
    assert post(client, app, "approve_extension", {"on": TODAY.isoformat()}).status_code == 302
    app.refresh_from_db()
    assert app.due_on > due_before and EventKind.EXTENDED in events_of(app)

    # A second extension is refused: the form is gone, and a forged POST stores nothing.
    client.force_login(world.handler)
    assert "action-request_extension" not in client.get(detail_url(app)).content.decode()
    response = post(client, app, "request_extension", {"days": 5, "reason": "再次延期"},
                    follow=True)
    assert events_of(app).count(EventKind.EXTENSION_REQUESTED) == 1
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_extension_days_are_one_to_twenty(world, app, client):
    client.force_login(world.handler)
    for days in (0, 21, "x"):
        response = post(client, app, "request_extension", {"days": days, "reason": "r"})
        assert 'id="id_request_extension-days_error"' in response.content.decode()
    assert EventKind.EXTENSION_REQUESTED not in events_of(app)


def test_fee_by_volume_notice_then_payment(world, app, client):
    client.force_login(world.handler)
    response = post(client, app, "fee_notice", {"method": "by_volume", "pages": 50,
                                                "on": TODAY.isoformat()}, button="preview")
    html = response.content.decode()
    assert response.status_code == 200 and "200" in html and "按量计收" in html
    assert EventKind.FEE_NOTIFIED not in events_of(app)  # a preview stores nothing

    response = post(client, app, "fee_notice", {"method": "by_volume", "pages": 50,
                                                "on": TODAY.isoformat()})
    assert response.status_code == 302
    notice = app.events.get(kind=EventKind.FEE_NOTIFIED)
    assert notice.data == {"method": "by_volume", "amount": "200"}
    assert "国办函〔2020〕109号" in notice.note and "第31—50页" in notice.note
    app.refresh_from_db()
    assert app.clock_state == "paused"

    response = post(client, app, "fee_payment", {"amount": "150", "on": TODAY.isoformat()})
    assert response.status_code == 200 and EventKind.FEE_PAID not in events_of(app)
    response = post(client, app, "fee_payment", {"amount": "200", "on": TODAY.isoformat()})
    assert response.status_code == 302 and EventKind.FEE_PAID in events_of(app)
    assert "action-fee_payment" not in client.get(detail_url(app)).content.decode()


def test_fee_notice_then_waiver(world, app, client):
    client.force_login(world.handler)
    post(client, app, "fee_notice", {"method": "by_volume", "pages": 120,
                                     "on": TODAY.isoformat()})
    assert app.events.get(kind=EventKind.FEE_NOTIFIED).data["amount"] == "1100"
    response = post(client, app, "fee_waiver", {"reason": "申请人经济困难", "on": TODAY.isoformat()})
    assert response.status_code == 302
    assert events_of(app)[-1] == EventKind.FEE_WAIVED
    app.refresh_from_db()
    assert app.clock_state != "paused"


def test_fee_by_application_counts_the_applicants_month(world, client):
    apps = [apply(world.education)[0] for _ in range(11)]
    app = apps[-1]
    actions.confirm_receipt(app, received_on=TODAY, actor=world.handler)
    client.force_login(world.handler)
    html = client.get(detail_url(app)).content.decode()
    assert "累计第11件申请" in html
    response = post(client, app, "fee_notice", {"method": "by_application",
                                                "on": TODAY.isoformat()})
    assert response.status_code == 302
    assert app.events.get(kind=EventKind.FEE_NOTIFIED).data["amount"] == "100"


def test_a_free_fee_notice_is_refused_as_a_form_error(world, app, client):
    client.force_login(world.handler)
    response = post(client, app, "fee_notice", {"method": "by_application",
                                                "on": TODAY.isoformat()})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    response = post(client, app, "fee_notice", {"method": "by_volume", "on": TODAY.isoformat()})
    assert 'id="id_fee_notice-pages_error"' in response.content.decode()
    assert EventKind.FEE_NOTIFIED not in events_of(app)


def test_transfer_out_of_the_handlers_scope_returns_to_the_inbox(world, app, client):
    client.force_login(world.handler)
    response = post(client, app, "transfer", {"to_agency": world.finance.pk,
                                              "reason": "属于财政局职责"})
    assert response.status_code == 302 and response["Location"] == reverse("applications:inbox")
    app.refresh_from_db()
    assert app.agency == world.finance
    client.force_login(world.finance_handler)
    assert client.get(detail_url(app)).status_code == 200


def test_correcting_the_outcome_of_a_closed_application(world, app, client):
    actions.reply(app, outcome="disclosed", legal_basis="第三十六条", actor=world.handler)
    client.force_login(world.handler)
    html = client.get(detail_url(app)).content.decode()
    assert "action-reply" not in html and "action-assign" not in html
    response = post(client, app, "correct_outcome", {"outcome": "partially_disclosed",
                                                     "reason": "部分内容涉及第三方"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.outcome == "partially_disclosed"


def test_released_documents_are_sniffed_and_stored(world, app, client):
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("批复")
    document.save(buffer)
    client.force_login(world.handler)
    response = client.post(act_url(app, "reply"), {
        "reply-outcome": "disclosed", "reply-on": TODAY.isoformat(),
        "reply-released": [SimpleUploadedFile("批复.pdf", PDF, "application/pdf"),
                           SimpleUploadedFile("../../说明", buffer.getvalue(), "text/plain")],
    })
    assert response.status_code == 302
    released = app.documents.filter(kind=Document.Kind.RELEASED).order_by("id")
    assert [(d.filename, d.content_type, d.visible_to_applicant) for d in released] == [
        ("批复.pdf", "application/pdf", True),
        ("说明.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document", True),
    ]
    download = client.get(reverse("applications:document", args=[app.number, released[0].pk]))
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize("content", [b"MZ\x90\x00 not a pdf", b"%PDF-1.4\n only its start"])
def test_a_file_that_is_not_an_allowed_type_is_refused(world, app, client, content):
    client.force_login(world.handler)
    response = client.post(act_url(app, "reply"), {
        "reply-outcome": "disclosed", "reply-on": TODAY.isoformat(),
        "reply-released": [SimpleUploadedFile("report.pdf", content, "application/pdf")],
    })
    assert 'id="id_reply-released_error"' in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.IN_PROGRESS and not app.documents.exists()


# ---- Bad input stores nothing -------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "field"), [
    ("request_correction", {"what": "", "deadline": "", "on": ""}, "what"),
    ("request_correction", {"what": "x", "deadline": "2026-02-30", "on": TODAY}, "deadline"),
    ("request_correction", {"what": "x" * 100_000, "deadline": "2099-01-01", "on": TODAY},
     "what"),
    ("send_consultation", {"party": "", "party_kind": "third_party", "on": TODAY}, "party"),
    ("send_consultation", {"party": "p", "party_kind": "someone", "on": TODAY}, "party_kind"),
    ("send_consultation", {"party": "p" * 100_000, "party_kind": "agency", "on": TODAY}, "party"),
    ("send_consultation", {"party": "p", "party_kind": "agency", "on": "yesterday"}, "on"),
    ("request_extension", {"days": "", "reason": "x" * 100_000}, "reason"),
    ("transfer", {"to_agency": "", "reason": ""}, "to_agency"),
    ("transfer", {"to_agency": "", "reason": ""}, "reason"),
    ("assign", {"handler": "999999"}, "handler"),
    ("reply", {"outcome": "", "on": TODAY}, "outcome"),
    ("reply", {"outcome": "made.up", "on": TODAY}, "outcome"),
    ("reply", {"outcome": "disclosed", "body": "x" * 100_000, "on": TODAY}, "body"),
    ("reply", {"outcome": "disclosed", "legal_basis": "x" * 100_000, "on": TODAY},
     "legal_basis"),
    ("reply", {"outcome": "disclosed", "on": "2026-13-45"}, "on"),
    ("fee_notice", {"method": "by_volume", "pages": "-1", "on": TODAY}, "pages"),
    ("fee_notice", {"method": "by_kilo", "pages": "1", "on": TODAY}, "method"),
])
def test_bad_input_gives_field_errors_and_stores_nothing(world, app, client, name, data, field):
    client.force_login(world.handler)
    before = events_of(app)
    audits = AuditEntry.objects.count()
    response = post(client, app, name, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{name}-{field}_error"' in html
    assert re.search(f'aria-describedby="[^"]*id_{name}-{field}_error"', html)
    assert events_of(app) == before and AuditEntry.objects.count() == audits
    app.refresh_from_db()
    assert app.status == Status.IN_PROGRESS and not app.documents.exists()


def test_an_unknown_action_is_not_found(world, app, client):
    client.force_login(world.handler)
    assert client.post(act_url(app, "delete")).status_code == 404
    assert client.get(act_url(app, "reply")).status_code == 405


# ---- Help for the handler -----------------------------------------------------------------------


def test_the_page_shows_earlier_applications_similar_requests_and_the_art_35_hint(world, client):
    earlier = received(world.education, WEEK_AGO, actor=world.handler)
    actions.reply(earlier, outcome="not_processed.repeated", legal_basis="第三十六条第（六）项",
                  actor=world.handler)
    for _ in range(inbox.NEAR_IDENTICAL_COUNT - 1):
        current = received(world.education, TODAY, actor=world.handler)
    client.force_login(world.handler)
    html = client.get(detail_url(current)).content.decode()
    assert earlier.number in html and "重复申请" in html
    assert "第三十五条" in html


def test_the_workbench_home_links_to_the_inbox(world, client):
    client.force_login(world.handler)
    html = client.get(reverse("workbench:home")).content.decode()
    assert f'href="{reverse("applications:inbox")}"' in html
    assert f'href="{reverse("applications:inbox")}?clock_state=overdue"' in html


def test_a_withdrawal_before_receipt_is_named_so_on_the_staff_pages(world, client):
    application, _code = apply(world.education)
    actions.withdraw(application, reason="不需要了")
    client.force_login(world.handler)
    client.cookies["django_language"] = "en"
    html = client.get(detail_url(application)).content.decode()
    assert "Receipt not confirmed" not in html
    assert "The clock starts when the receipt date is confirmed." not in html
    assert "Withdrawn before receipt" in html
    assert "no reply period ran" in html
    rows = inbox.inbox_page(world.handler, inbox.InboxFilters(show=inbox.Show.ALL)).rows
    row = next(r for r in rows if r.application.pk == application.pk)
    with translation.override("en"):
        assert str(row.state_label) == "Withdrawn before receipt"
    assert row.badge_state == "closed"


def test_an_unreceived_open_application_still_says_receipt_not_confirmed(world, client):
    application, _code = apply(world.education)
    client.force_login(world.handler)
    client.cookies["django_language"] = "en"
    html = client.get(detail_url(application)).content.decode()
    assert "Receipt not confirmed" in html and "Withdrawn before receipt" not in html


# ---- Art. 30: the last day for a correction request --------------------------------------------

# Received Monday 2 November 2026: the 7th working day after it is Wednesday 11 November.
ART30_RECEIVED, ART30_LAST = dt.date(2026, 11, 2), "2026-11-11"


def test_the_correction_form_shows_the_last_day_the_law_allows(world, client):
    app = received(world.education, ART30_RECEIVED, actor=world.handler)
    client.force_login(world.handler)
    html = client.get(detail_url(app)).content.decode()
    form = html[html.index('id="action-request_correction"'):]
    help_text = form[form.index('id="id_request_correction-on_helptext"'):]
    assert ART30_LAST in help_text[:500]


def test_a_late_correction_request_is_a_field_error_citing_art_30(world, client):
    app = received(world.education, ART30_RECEIVED, actor=world.handler)
    client.force_login(world.handler)
    before = events_of(app)
    response = post(client, app, "request_correction",
                    {"what": "请写明文件的文号", "deadline": "2026-11-30", "on": "2026-11-12"})
    assert response.status_code == 200
    html = response.content.decode()
    error = html[html.index('id="id_request_correction-on_error"'):][:800]
    assert "第三十条" in error and ART30_LAST in error
    assert events_of(app) == before
    response = post(client, app, "request_correction",
                    {"what": "请写明文件的文号", "deadline": "2026-11-30", "on": ART30_LAST})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.AWAITING_CORRECTION
