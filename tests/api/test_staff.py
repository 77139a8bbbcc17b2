"""The staff API: the inbox, the detail, and one endpoint per handling step, each with the
permissions of the workbench and the refusals of the actions layer."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.api.helpers import STAFF, leaks, post, staff_client
from tests.applications.helpers import apply, received
from tests.signin import Client
from xxgk.agencies.models import AuditEntry
from xxgk.applications import actions
from xxgk.applications.models import Application, ApplicationEvent, Status

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def handler(world):
    return staff_client(world.handler)


@pytest.fixture
def submitted(world):
    application, _code = apply(world.education)
    return application


@pytest.fixture
def open_application(world, submitted):
    """An application of the education commission whose receipt is confirmed today."""
    actions.confirm_receipt(submitted, received_on=today(), actor=world.handler)
    return submitted


def step(client: Client, application: Application, name: str, body: dict | None = None):
    return post(client, f"{STAFF}/{application.number}/{name}", body or {})


def kinds(application: Application) -> list[str]:
    return list(application.events.values_list("kind", flat=True))


# ---- Authentication and scope ------------------------------------------------------------


def test_staff_endpoints_need_a_signed_in_account(world, submitted):
    client = Client()
    assert client.get(STAFF).status_code == 401
    assert client.get(f"{STAFF}/{submitted.number}").status_code == 401
    assert step(client, submitted, "confirm-receipt",
                {"received_on": today().isoformat()}).status_code == 401


def test_an_account_without_a_staff_role_is_refused_with_a_reason(world, submitted):
    outsider = get_user_model().objects.create_user("citizen", password="x-pass-123")
    response = staff_client(outsider).get(STAFF)
    assert response.status_code == 403
    assert response.json()["detail"]


def test_the_inbox_lists_only_the_caller_s_agencies(world, submitted):
    apply(world.finance)
    numbers = {item["number"] for item in staff_client(world.handler).get(STAFF).json()["items"]}
    assert numbers == {submitted.number}
    everything = staff_client(world.ogi).get(STAFF).json()
    assert everything["count"] == 2


def test_another_agency_s_application_is_not_found_for_reading_or_acting(world, submitted):
    fin = staff_client(world.finance_handler)
    assert fin.get(f"{STAFF}/{submitted.number}").status_code == 404
    response = step(fin, submitted, "confirm-receipt", {"received_on": today().isoformat()})
    assert response.status_code == 404
    assert kinds(submitted) == ["submitted"]


def test_an_auditor_reads_applications_but_handles_none(world, submitted):
    # As on the workbench: the oversight auditor reads everything and changes nothing.
    auditor = staff_client(world.auditor)
    assert [i["number"] for i in auditor.get(STAFF).json()["items"]] == [submitted.number]
    assert auditor.get(f"{STAFF}/{submitted.number}").json()["number"] == submitted.number
    response = step(auditor, submitted, "confirm-receipt", {"received_on": today().isoformat()})
    assert response.status_code == 403
    assert response.json()["detail"]
    assert kinds(submitted) == ["submitted"]


def test_an_unknown_number_is_404(world, handler):
    assert handler.get(f"{STAFF}/110102-2026-999999").status_code == 404
    assert post(handler, f"{STAFF}/110102-2026-999999/reply", {
        "outcome": "disclosed", "legal_basis": "x"}).status_code == 404


def test_unsafe_requests_need_the_csrf_token(world, submitted):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.handler)
    body = {"received_on": today().isoformat()}
    assert step(client, submitted, "confirm-receipt", body).status_code == 403
    client.get("/api/docs")  # any page that hands out the token
    token = client.cookies["csrftoken"].value
    response = post(client, f"{STAFF}/{submitted.number}/confirm-receipt", body,
                    **{"X-CSRFToken": token})
    assert response.status_code == 200


# ---- The inbox -------------------------------------------------------------------------


def test_the_inbox_filters_and_pages(world, submitted, handler):
    second, _ = apply(world.education)
    actions.confirm_receipt(second, received_on=today(), actor=world.handler)
    third, _ = apply(world.education)
    actions.withdraw(third)

    def numbers(**params):
        response = handler.get(STAFF, params)
        assert response.status_code == 200, response.content
        return [item["number"] for item in response.json()["items"]]

    assert set(numbers()) == {submitted.number, second.number}  # open ones by default
    assert numbers(status=Status.IN_PROGRESS) == [second.number]
    assert numbers(status=Status.CLOSED) == [third.number]
    assert set(numbers(show="all")) == {submitted.number, second.number, third.number}
    assert numbers(clock_state="running") == [second.number]
    assert numbers(due_within=25) == [second.number]
    assert numbers(due_within=0) == []
    assert numbers(agency="110102103", show="all", limit=1, offset=2) == [third.number]
    page = handler.get(STAFF, {"limit": 1}).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (2, 1, 0, 1)
    item = page["items"][0]
    assert item["number"] == second.number  # the one with a due date comes first
    assert item["due_on"] and item["working_days_left"] == 20


@pytest.mark.parametrize("params", [
    {"limit": 201}, {"limit": 0}, {"offset": -1}, {"limit": "many"}, {"status": "lost"},
    {"clock_state": "ticking"}, {"due_within": -3}, {"agency": "000"}, {"agency": "9" * 21},
    {"show": "some"},
])
def test_bad_inbox_parameters_are_a_422(world, handler, params):
    response = handler.get(STAFF, params)
    assert response.status_code == 422


# ---- The detail --------------------------------------------------------------------------


def test_the_detail_masks_contact_details_and_explains_the_clock(world, open_application,
                                                                 handler):
    response = handler.get(f"{STAFF}/{open_application.number}")
    assert response.status_code == 200
    body = response.json()
    assert leaks(response) == []
    assert body["identity"]["id_number"].startswith("11") and "*" in body["identity"]["id_number"]
    assert body["applicant_name"] == "张三"
    assert body["clock"]["due"] == body["due_on"]
    assert body["clock"]["explanation"][0]["kind"] == "received"
    assert [e["kind"] for e in body["events"]] == ["submitted", "receipt_confirmed"]
    assert body["events"][1]["actor"] == "handler"
    # Reading masked details is not a viewing of the identity.
    assert not AuditEntry.objects.filter(action="application.identity_viewed").exists()


def test_the_inbox_never_shows_contact_details(world, open_application, handler):
    assert leaks(handler.get(STAFF)) == []


# ---- Each step: what it does, and what it refuses -----------------------------------------


def test_confirming_receipt_starts_the_clock_and_cannot_be_repeated(world, submitted, handler):
    body = {"received_on": today().isoformat()}
    response = step(handler, submitted, "confirm-receipt", body)
    assert response.status_code == 200
    result = response.json()
    assert result == {"number": submitted.number, "agency": "110102103",
                      "status": Status.IN_PROGRESS, "clock_state": "running",
                      "due_on": result["due_on"], "event": "receipt_confirmed",
                      "data": {"received_on": today().isoformat()}}
    assert AuditEntry.objects.filter(action="application.confirm_receipt").count() == 1
    again = step(handler, submitted, "confirm-receipt", body)
    assert again.status_code == 409
    assert again.json()["detail"]


def test_a_receipt_date_in_the_future_is_refused(world, submitted, handler):
    body = {"received_on": (today() + dt.timedelta(days=3)).isoformat()}
    assert step(handler, submitted, "confirm-receipt", body).status_code == 409
    assert kinds(submitted) == ["submitted"]


def test_assigning_a_handler_of_the_agency(world, open_application, handler):
    response = step(handler, open_application, "assign", {"handler": "handler"})
    assert response.status_code == 200
    open_application.refresh_from_db()
    assert open_application.handler == world.handler
    # Only the agency's handlers can be chosen, as on the workbench.
    for name in ("fin", "nobody", "reviewer"):
        refused = step(handler, open_application, "assign", {"handler": name})
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"][-1] == "handler"
    assert kinds(open_application).count("assigned") == 1


def test_transferring_hands_the_application_to_another_agency(world, open_application,
                                                              handler):
    response = step(handler, open_application, "transfer",
                    {"to_agency": "110102109", "reason": "属于财政局职责。"})
    assert response.status_code == 200
    assert response.json()["agency"] == "110102109"
    # It has left the education commission: its handler no longer sees it.
    assert handler.get(f"{STAFF}/{open_application.number}").status_code == 404
    fin = staff_client(world.finance_handler)
    # Not to the agency that has it, nor to one that does not exist.
    for code in ("110102109", "000"):
        refused = step(fin, open_application, "transfer", {"to_agency": code, "reason": "x"})
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"][-1] == "to_agency"
    assert kinds(open_application).count("transferred") == 1


def test_a_correction_may_be_requested_once(world, open_application, handler):
    body = {"what": "请写明文件年份。",
            "deadline": (today() + dt.timedelta(days=15)).isoformat()}
    response = step(handler, open_application, "request-correction", body)
    assert response.status_code == 200
    assert response.json()["status"] == Status.AWAITING_CORRECTION
    assert step(handler, open_application, "request-correction", body).status_code == 409


def test_a_correction_after_the_7th_working_day_is_refused_with_art_30_as_409(world, handler):
    # Received Monday 2 November 2026: the 7th working day is Wednesday 11 November.
    submitted = received(world.education, dt.date(2026, 11, 2), actor=world.handler)
    body = {"what": "请写明文件年份。", "deadline": "2026-11-30", "on": "2026-11-12"}
    response = step(handler, submitted, "request-correction", body)
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert "第三十条" in detail and "2026-11-11" in detail  # in either language
    assert kinds(submitted).count("correction_requested") == 0
    in_time = step(handler, submitted, "request-correction", {**body, "on": "2026-11-11"})
    assert in_time.status_code == 200, in_time.content
    assert in_time.json()["status"] == Status.AWAITING_CORRECTION


def test_a_consultation_and_its_answer(world, open_application, handler):
    body = {"party": "某公司", "party_kind": "third_party"}
    response = step(handler, open_application, "consultation", body)
    assert response.status_code == 200
    assert response.json()["clock_state"] == "paused"
    answer = step(handler, open_application, "consultation-answer",
                  {"party": "某公司", "summary": "不同意公开。"})
    assert answer.status_code == 200
    # The party has answered: it is no longer one to choose.
    assert step(handler, open_application, "consultation-answer",
                {"party": "某公司"}).status_code == 422


def test_one_extension_requested_by_a_handler_and_approved_by_a_reviewer(world,
                                                                         open_application,
                                                                         handler):
    body = {"days": 20, "reason": "需要调取档案。"}
    assert step(handler, open_application, "extension-request", body).status_code == 200
    # A handler may not approve; a reviewer may.
    refused = step(handler, open_application, "extension-approve")
    assert refused.status_code == 403
    assert refused.json()["detail"]
    reviewer = staff_client(world.reviewer)
    approved = step(reviewer, open_application, "extension-approve")
    assert approved.status_code == 200
    assert approved.json()["event"] == "extended"
    second = step(handler, open_application, "extension-request", body)
    assert second.status_code == 409
    assert kinds(open_application).count("extension_requested") == 1


def test_approving_with_nothing_requested_is_refused(world, open_application):
    assert step(staff_client(world.reviewer), open_application,
                "extension-approve").status_code == 409


def test_a_fee_notice_states_what_the_measures_charge_then_its_payment(world,
                                                                      open_application,
                                                                      handler):
    notice = {"method": "by_volume", "pages": 40}
    response = step(handler, open_application, "fee-notice", notice)
    assert response.status_code == 200
    assert response.json()["clock_state"] == "paused"
    # Pages 31-40 at 10 yuan each (国办函〔2020〕109号 Art. 5).
    assert response.json()["data"] == {"method": "by_volume", "amount": "100"}
    event = open_application.events.get(kind="fee_notified")
    assert "收费依据" in event.note and "收费标准" in event.note
    assert step(handler, open_application, "fee-notice", notice).status_code == 409
    assert step(handler, open_application, "fee-payment", {"amount": 50}).status_code == 409
    paid = step(handler, open_application, "fee-payment", {"amount": 100})
    assert paid.status_code == 200
    assert paid.json()["clock_state"] == "running"


def test_a_fee_by_volume_needs_the_pages(world, open_application, handler):
    response = step(handler, open_application, "fee-notice", {"method": "by_volume"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "pages"


def test_an_applicant_s_first_applications_of_the_month_cost_nothing(world, open_application,
                                                                    handler):
    # The first ten applications of a month are free (Art. 4): a notice of 0 is refused.
    response = step(handler, open_application, "fee-notice", {"method": "by_application"})
    assert response.status_code == 409


def test_a_fee_waiver_needs_a_pending_fee(world, open_application, handler):
    waiver = {"reason": "申请人经济困难。"}
    assert step(handler, open_application, "fee-waiver", waiver).status_code == 409
    step(handler, open_application, "fee-notice", {"method": "by_volume", "pages": 50})
    response = step(handler, open_application, "fee-waiver", waiver)
    assert response.status_code == 200
    assert kinds(open_application)[-1] == "fee_waived"


def test_the_reply_closes_the_application_and_its_outcome_can_be_corrected(world,
                                                                           open_application,
                                                                           handler):
    reply = {"outcome": "disclosed", "legal_basis": "第三十六条第（二）项",
             "body": "现予公开。"}
    response = step(handler, open_application, "reply", reply)
    assert response.status_code == 200
    assert response.json()["status"] == Status.CLOSED
    assert step(handler, open_application, "reply", reply).status_code == 409
    open_application.refresh_from_db()
    assert open_application.events.get(kind="replied").data["legal_basis"] == "第三十六条第（二）项"
    corrected = step(handler, open_application, "correct-outcome",
                     {"outcome": "partially_disclosed", "reason": "部分内容涉及第三方。"})
    assert corrected.status_code == 200
    open_application.refresh_from_db()
    assert open_application.outcome == "partially_disclosed"
    # The current outcome is not among the choices.
    same = step(handler, open_application, "correct-outcome",
                {"outcome": "partially_disclosed", "reason": "再次。"})
    assert same.status_code == 422


def test_a_reply_without_a_legal_basis_cites_the_outcome_s_article(world, open_application,
                                                                  handler):
    response = step(handler, open_application, "reply", {"outcome": "unavailable.not_held"})
    assert response.status_code == 200
    assert response.json()["data"]["legal_basis"] == "《政府信息公开条例》第三十六条第（四）（五）项"


def test_a_reply_needs_a_national_outcome_and_a_confirmed_receipt(world, submitted, handler):
    bad_outcome = step(handler, submitted, "reply",
                       {"outcome": "approved", "legal_basis": "x"})
    assert bad_outcome.status_code == 422
    unconfirmed = step(handler, submitted, "reply", {"outcome": "disclosed", "legal_basis": "x"})
    assert unconfirmed.status_code == 409
    assert not ApplicationEvent.objects.filter(kind="replied").exists()


def test_an_open_application_s_outcome_cannot_be_corrected(world, open_application, handler):
    response = step(handler, open_application, "correct-outcome",
                    {"outcome": "disclosed", "reason": "x"})
    assert response.status_code == 409
