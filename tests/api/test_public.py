"""The public API: applying, idempotent retries, following, correcting, withdrawing and
downloading, with the same rules as the pages and no personal information in any answer."""

import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation

from tests.api.helpers import (
    APPLY,
    CREDIT_CODE,
    LOOKUP,
    apply,
    leaks,
    organisation,
    person,
    post,
)
from tests.applications.helpers import ID_NUMBER
from xxgk.applications import actions, lockout, pii
from xxgk.applications.models import Application, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


def test_applying_returns_201_with_the_number_and_a_query_code_that_opens_it(world, client):
    response = post(client, APPLY, person())
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"number", "query_code", "agency"}
    assert body["agency"] == "110102103"
    application = Application.objects.get()
    assert application.number == body["number"]
    assert actions.access_by_query_code(body["number"], body["query_code"],
                                        request=None) == application
    assert pii.decrypt(application.identity.encrypted).id_number == ID_NUMBER
    assert leaks(response) == []


def test_an_organisation_applies_with_its_credit_code_and_contact_person(world, client):
    response = post(client, APPLY, organisation())
    assert response.status_code == 201
    application = Application.objects.get()
    assert application.applicant_column == "research_institution"
    assert application.applicant_name == "北京某城市研究院"
    identity = pii.decrypt(application.identity.encrypted)
    assert (identity.id_number, identity.contact_person) == (CREDIT_CODE, "李四")


def test_not_sure_of_the_agency_routes_the_application_to_the_ogi_office(world, client):
    body = person()
    del body["agency"]
    response = post(client, APPLY, body)
    assert response.status_code == 201
    assert response.json()["agency"] == world.district.code
    assert Application.objects.get().addressed_to is None


def test_a_retry_with_the_same_key_returns_the_first_application_with_200(world, client):
    key = str(uuid.uuid4())
    first = post(client, APPLY, person(), **{"Idempotency-Key": key})
    again = post(client, APPLY, person(), **{"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Application.objects.count() == 1


def test_different_keys_make_different_applications(world, client):
    post(client, APPLY, person(), **{"Idempotency-Key": str(uuid.uuid4())})
    post(client, APPLY, person(), **{"Idempotency-Key": str(uuid.uuid4())})
    assert Application.objects.count() == 2


def test_a_key_reused_for_a_different_application_is_refused_without_its_code(world, client):
    key = str(uuid.uuid4())
    first = post(client, APPLY, person(), **{"Idempotency-Key": key})
    other = post(client, APPLY, person(description="完全不同的申请内容。"),
                 **{"Idempotency-Key": key})
    assert other.status_code == 422
    assert other.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert first.json()["query_code"] not in other.content.decode()
    assert Application.objects.count() == 1


def test_an_api_key_never_matches_a_token_of_the_site_s_form(world, client):
    token = "form-token-0123456789"
    actions.submit_application(
        actions.Submission(applicant_column="natural_person", applicant_name="王五",
                           id_document_type="resident_id",
                           identity=pii.Identity(id_number=ID_NUMBER),
                           description="x", provision_form="paper", delivery="post",
                           agency=world.education),
        client_token=token)
    response = post(client, APPLY, person(), **{"Idempotency-Key": token})
    assert response.status_code == 201
    assert Application.objects.count() == 2


@pytest.mark.parametrize("key", ["short", "x" * 129, "has spaces in it, too many"])
def test_a_malformed_idempotency_key_is_a_422(world, client, key):
    response = post(client, APPLY, person(), **{"Idempotency-Key": key})
    assert response.status_code == 422
    assert Application.objects.count() == 0


@pytest.mark.parametrize(("overrides", "field"), [
    ({"id_number": "110105194912310021"}, "id_number"),  # wrong check digit
    ({"id_number": ""}, "id_number"),
    ({"id_document_type": None}, "id_document_type"),
    ({"applicant_name": ""}, "applicant_name"),
    ({"description": ""}, "description"),
    ({"description": "字" * 2001}, "description"),
    ({"phone": "12"}, "phone"),
    ({"delivery": "email", "email": ""}, "email"),
    ({"delivery": "post", "address": ""}, "address"),
    ({"email": "not-an-address"}, "email"),
    ({"provision_form": "carrier_pigeon"}, "provision_form"),
    ({"agency": "999999"}, "agency"),
])
def test_a_natural_person_s_application_is_checked_field_by_field(world, client, overrides,
                                                                  field):
    response = post(client, APPLY, person(**overrides))
    assert response.status_code == 422
    fields = [error["loc"][-1] for error in response.json()["detail"]]
    assert field in fields
    assert leaks(response) == []
    assert Application.objects.count() == 0


@pytest.mark.parametrize(("overrides", "field"), [
    ({"credit_code": "91110102MA01ABCD0X"}, "credit_code"),  # wrong check character
    ({"credit_code": ""}, "credit_code"),
    ({"contact_person": ""}, "contact_person"),
    ({"applicant_column": "unknown_kind"}, "applicant_column"),
])
def test_an_organisation_s_application_is_checked_field_by_field(world, client, overrides,
                                                                 field):
    response = post(client, APPLY, organisation(**overrides))
    assert response.status_code == 422
    assert field in [error["loc"][-1] for error in response.json()["detail"]]
    assert leaks(response) == []


def test_there_is_no_purpose_field(world, client):
    response = post(client, APPLY, person(purpose="为了科研"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "purpose"


def test_lookup_shows_the_applicant_s_view_without_personal_information(world, client):
    created = apply(client)
    response = post(client, LOOKUP, {"number": created["number"],
                                     "query_code": created["query_code"]})
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == created["number"]
    assert body["status"] == Status.SUBMITTED
    assert body["agency"]["code"] == "110102103"
    assert body["clock"] is None and body["received_on"] is None
    assert [e["kind"] for e in body["events"]] == ["submitted"]
    assert "applicant_name" not in body and "张三" not in response.content.decode()
    assert leaks(response) == []


def test_lookup_accepts_the_code_in_lower_case_and_with_spaces_around(world, client):
    created = apply(client)
    response = post(client, LOOKUP, {"number": f" {created['number']} ",
                                     "query_code": created["query_code"].lower()})
    assert response.status_code == 200


def test_a_wrong_code_and_a_wrong_number_give_the_same_404(world, client):
    created = apply(client)
    wrong_code = post(client, LOOKUP, {"number": created["number"], "query_code": "WRONGCODE2"})
    wrong_number = post(client, LOOKUP, {"number": "110102-2026-999999",
                                         "query_code": created["query_code"]})
    assert wrong_code.status_code == wrong_number.status_code == 404
    assert wrong_code.json() == wrong_number.json()


def test_the_clock_events_and_released_documents_after_a_reply(world, client):
    created = apply(client)
    application = Application.objects.get(number=created["number"])
    today = timezone.localdate()
    actions.confirm_receipt(application, received_on=today, actor=world.handler)
    actions.send_consultation(application, party="某公司（第三方）", party_kind="third_party",
                              actor=world.handler)
    actions.record_consultation_answer(application, party="某公司（第三方）",
                                       actor=world.handler)
    actions.reply(application, outcome="disclosed", legal_basis="第三十六条第（二）项",
                  body="现将所申请信息提供给您。", actor=world.handler,
                  released=[("批复.pdf", "application/pdf", b"%PDF-1.4 released")])
    credentials = {"number": created["number"], "query_code": created["query_code"]}
    body = post(client, LOOKUP, credentials).json()
    assert body["status"] == Status.CLOSED and body["outcome"] == "disclosed"
    assert body["outcome_zh"] == "予以公开"
    assert body["clock"]["state"] == "closed" and body["clock"]["headline_zh"]
    kinds = [e["kind"] for e in body["events"]]
    assert kinds == ["submitted", "receipt_confirmed", "consultation_sent", "replied"]
    assert "某公司" not in str(body)  # the third party's name is the agency's, not public
    [document] = body["documents"]
    url = document["url"]
    assert url == f"/api/applications/{created['number']}/documents/{document['id']}"
    assert "query_code" not in url and created["query_code"] not in url

    download = client.get(url, headers={"X-Query-Code": created["query_code"]})
    assert download.status_code == 200
    assert download.content == b"%PDF-1.4 released"
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert client.get(url, headers={"X-Query-Code": "WRONGCODE2"}).status_code == 404
    assert client.get(url).status_code == 422
    assert client.get(url, {"query_code": created["query_code"]}).status_code == 422


def test_the_applicant_s_identity_proof_is_never_downloadable(world, client):
    application, code = actions.submit_application(
        actions.Submission(applicant_column="natural_person", applicant_name="王五",
                           id_document_type="resident_id",
                           identity=pii.Identity(id_number=ID_NUMBER),
                           description="x", provision_form="paper", delivery="collect",
                           agency=world.education,
                           attachments=(("identity_proof", "id.png", "image/png", b"\x89PNG"),)))
    proof = application.documents.get()
    url = f"/api/applications/{application.number}/documents/{proof.pk}"
    assert client.get(url, headers={"X-Query-Code": code}).status_code == 404
    body = post(client, LOOKUP, {"number": application.number, "query_code": code}).json()
    assert body["documents"] == []


def test_the_applicant_sends_the_correction_asked_for(world, client):
    created = apply(client)
    application = Application.objects.get(number=created["number"])
    today = timezone.localdate()
    actions.confirm_receipt(application, received_on=today, actor=world.handler)
    actions.request_correction(application, what="请写明文件的年份。",
                               deadline=today + timezone.timedelta(days=15),
                               actor=world.handler)
    url = f"/api/applications/{created['number']}/correction"
    credentials = {"number": created["number"], "query_code": created["query_code"]}
    response = post(client, url, {**credentials, "description": "2025年的立项批复文件。"})
    assert response.status_code == 200
    assert response.json()["status"] == Status.IN_PROGRESS
    assert response.json()["events"][-1]["kind"] == "corrected"
    again = post(client, url, {**credentials, "description": "再一次。"})
    assert again.status_code == 409
    assert again.json()["detail"]


def test_a_correction_needs_the_right_code_and_the_number_of_the_url(world, client):
    created = apply(client)
    other = apply(client)
    url = f"/api/applications/{created['number']}/correction"
    wrong_code = post(client, url, {"number": created["number"], "query_code": "WRONGCODE2",
                                    "description": "x"})
    # The other application's own credentials do not open this one.
    other_credentials = post(client, url, {"number": other["number"],
                                           "query_code": other["query_code"],
                                           "description": "x"})
    assert wrong_code.status_code == other_credentials.status_code == 404


def test_the_applicant_withdraws_once(world, client):
    created = apply(client)
    url = f"/api/applications/{created['number']}/withdraw"
    credentials = {"number": created["number"], "query_code": created["query_code"]}
    response = post(client, url, {**credentials, "reason": "已通过其他途径获得。"})
    assert response.status_code == 200
    assert response.json()["status"] == Status.CLOSED
    assert response.json()["outcome"] == actions.WITHDRAWN_OUTCOME
    assert post(client, url, credentials).status_code == 409


def test_public_endpoints_need_no_csrf_token_since_they_use_no_cookie(world):
    client = Client(enforce_csrf_checks=True)
    created = post(client, APPLY, person())
    assert created.status_code == 201
    credentials = {"number": created.json()["number"],
                   "query_code": created.json()["query_code"]}
    assert post(client, LOOKUP, credentials).status_code == 200


def _fail_lookups(client: Client, number: str) -> None:
    """As many wrong query codes as an address is allowed, all answered 404."""
    for _ in range(lockout.ADDRESS_ALLOWED):
        wrong = post(client, LOOKUP, {"number": number, "query_code": "WRONGWRONG"})
        assert wrong.status_code == 404


def test_ten_failures_lock_the_address_out_even_with_the_right_code(world):
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    created = apply(guesser)
    _fail_lookups(guesser, created["number"])
    credentials = {"number": created["number"], "query_code": created["query_code"]}
    refused = post(guesser, LOOKUP, credentials)
    assert refused.status_code == 429
    with translation.override(settings.LANGUAGE_CODE):  # the API's language by default
        reason = translation.gettext("Too many unsuccessful attempts from your network. "
                                     "Try again in %(wait)s.") % {
            "wait": translation.ngettext("%(n)d minute", "%(n)d minutes", 15) % {"n": 15}}
    assert refused.json() == {"detail": reason}
    assert refused["Retry-After"] == "900"
    # The steps that open the application with the code are locked too.
    assert post(guesser, f"{APPLY}/{created['number']}/withdraw",
                credentials).status_code == 429
    assert Application.objects.get().status != Status.CLOSED
    # Another address is not affected.
    assert post(Client(REMOTE_ADDR="198.51.100.9"), LOOKUP, credentials).status_code == 200


def test_the_document_download_is_locked_out_too(world):
    guesser = Client(REMOTE_ADDR="203.0.113.8")
    created = apply(guesser)
    application = Application.objects.get(number=created["number"])
    actions.confirm_receipt(application, received_on=timezone.localdate(), actor=world.handler)
    actions.reply(application, outcome="disclosed", legal_basis="第三十六条第（二）项",
                  actor=world.handler,
                  released=[("批复.pdf", "application/pdf", b"%PDF-1.4 released")])
    released = application.documents.get(kind="released")
    url = f"{APPLY}/{created['number']}/documents/{released.pk}"
    for _ in range(lockout.ADDRESS_ALLOWED):
        assert guesser.get(url, headers={"X-Query-Code": "WRONGWRONG"}).status_code == 404
    refused = guesser.get(url, headers={"X-Query-Code": created["query_code"]})
    assert refused.status_code == 429
    assert refused.json()["detail"] == post(guesser, LOOKUP, {
        "number": created["number"], "query_code": created["query_code"]}).json()["detail"]
    other = Client(REMOTE_ADDR="198.51.100.10").get(
        url, headers={"X-Query-Code": created["query_code"]})
    assert other.status_code == 200 and other.content == b"%PDF-1.4 released"
