"""Whatever a client sends, the answer is a 4xx with a reason, never a 500 and never half a
record: broken JSON, the wrong JSON, wrong types, huge values, unknown fields."""

import pytest
from django.test import Client

from tests.api.helpers import APPLY, LOOKUP, STAFF, person, post, staff_client
from tests.applications.helpers import apply
from xxgk.applications.models import Application, ApplicationEvent

pytestmark = pytest.mark.django_db

BROKEN_BODIES = [
    pytest.param("{", id="unterminated"),
    pytest.param("", id="empty"),
    pytest.param("null", id="null"),
    pytest.param("[1, 2]", id="array"),
    pytest.param('"text"', id="string"),
    pytest.param("NaN", id="nan"),
    pytest.param(b"\xff\xfe\x00garbage", id="not-utf8"),
    pytest.param('{"a": ' * 2000 + "1" + "}" * 2000, id="deeply-nested"),
]


@pytest.fixture
def client():
    return Client()


@pytest.mark.parametrize("body", BROKEN_BODIES)
@pytest.mark.parametrize("url", [APPLY, LOOKUP])
def test_a_body_that_is_not_the_expected_json_is_a_4xx(world, client, url, body):
    response = post(client, url, body)
    assert response.status_code in (400, 422)
    assert "detail" in response.json()
    assert Application.objects.count() == 0


@pytest.mark.parametrize(("field", "value"), [
    ("applicant_name", 123),
    ("applicant_name", ["张三"]),
    ("description", {"text": "x"}),
    ("provision_form", None),
    ("delivery", True),
    ("agency", 110102103),
    ("phone", 13812345678),
    ("id_document_type", "driving_licence"),
])
def test_wrong_types_are_a_422_naming_the_field(world, client, field, value):
    response = post(client, APPLY, person(**{field: value}))
    assert response.status_code == 422
    assert field in [error["loc"][-1] for error in response.json()["detail"]]


@pytest.mark.parametrize("field", ["applicant_name", "id_number", "phone", "email", "address",
                                   "description", "document_number", "agency"])
def test_huge_strings_are_a_422(world, client, field):
    response = post(client, APPLY, person(**{field: "字" * 100_000}))
    assert response.status_code == 422
    assert Application.objects.count() == 0


def test_a_body_over_django_s_size_limit_is_a_400(world, client):
    response = post(client, APPLY, person(description="x" * 3_000_000))
    assert response.status_code == 400


def test_unknown_fields_are_refused(world, client):
    response = post(client, APPLY, person(is_staff=True))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "is_staff"


def test_control_characters_are_refused_as_on_the_page(world, client):
    response = post(client, APPLY, person(applicant_name="张\u202e三"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "applicant_name"


@pytest.mark.parametrize("field", ["applicant_name", "description", "address", "agency"])
def test_a_nul_or_another_control_character_in_any_text_is_a_422(world, client, field):
    for bad in ("a\x00b", "a\x1bb", "a\u202eb"):
        response = post(client, APPLY, person(**{field: bad}))
        assert response.status_code == 422, (bad, response.content)
        assert field in [error["loc"][-1] for error in response.json()["detail"]]


def test_line_breaks_of_any_kind_are_kept_as_plain_newlines(world, client):
    response = post(client, APPLY, person(description="第一行\r\n第二行\r第三行"))
    assert response.status_code == 201
    assert Application.objects.get().description == "第一行\n第二行\n第三行"


def test_the_lookup_bounds_its_fields(world, client):
    assert post(client, LOOKUP, {"number": "1" * 10_000, "query_code": "x"}).status_code == 422
    assert post(client, LOOKUP, {"number": "x"}).status_code == 422
    assert post(client, LOOKUP, {"number": "", "query_code": ""}).status_code == 422
    assert post(client, LOOKUP, {"number": "1\x00", "query_code": "x"}).status_code == 422


def test_odd_paths_are_404s(world, client):
    application, code = apply(world.education)
    assert client.get("/api/applications/%00/documents/1",
                      headers={"X-Query-Code": "x"}).status_code == 404
    assert client.get(f"/api/applications/{application.number}/documents/{'9' * 30}",
                      headers={"X-Query-Code": code}).status_code in (404, 422)
    staff = staff_client(world.ogi)
    assert staff.get(f"{STAFF}/%00").status_code == 404
    assert staff.get(f"{STAFF}/{'9' * 5000}").status_code == 404
    assert post(staff, f"{STAFF}/a%00b/reply", {"outcome": "disclosed",
                                                "legal_basis": "x"}).status_code == 404
    assert staff.get(STAFF, {"agency": "1\x00"}).status_code == 422
    assert client.get("/api/applications/x/documents/notanumber",
                      headers={"X-Query-Code": "x"}).status_code in (404, 422)
    assert client.get(f"/api/applications/{'9' * 5000}/documents/{'9' * 40}",
                      headers={"X-Query-Code": "x"}).status_code in (404, 422)


STEPS = ["confirm-receipt", "assign", "transfer", "request-correction", "consultation",
         "consultation-answer", "extension-request", "extension-approve", "fee-notice",
         "fee-payment", "fee-waiver", "reply", "correct-outcome"]


@pytest.mark.parametrize("name", STEPS)
@pytest.mark.parametrize("body", [
    pytest.param("{", id="broken"),
    pytest.param("[]", id="array"),
    pytest.param('{"unknown": 1}', id="unknown-field"),
    pytest.param('{"on": "2026-13-45", "received_on": "yesterday", "days": "many", '
                 '"amount": "NaN", "outcome": 7, "party_kind": "friend"}', id="wrong-types"),
    pytest.param('{"reason": "' + "x" * 100_000 + '", "what": "' + "x" * 100_000 + '"}',
                 id="huge"),
    pytest.param('{"reason": "a\\u0000b", "what": "a\\u0000b", "party": "a\\u0000b", '
                 '"handler": "a\\u0000b", "to_agency": "a\\u0000b", "basis": "a\\u0000b", '
                 '"legal_basis": "a\\u0000b"}', id="nul"),
])
def test_every_step_answers_bad_bodies_with_a_4xx(world, name, body):
    application, _code = apply(world.education)
    client = staff_client(world.ogi)
    response = post(client, f"{STAFF}/{application.number}/{name}", body)
    assert response.status_code in (400, 422), response.content
    assert ApplicationEvent.objects.filter(application=application).count() == 1


@pytest.mark.parametrize(("name", "body"), [
    ("extension-request", {"days": 0, "reason": "x"}),
    ("extension-request", {"days": 21, "reason": "x"}),
    ("extension-request", {"days": 10 ** 30, "reason": "x"}),
    ("fee-notice", {"method": "by_volume", "pages": -5}),
    ("fee-notice", {"method": "by_volume", "pages": 10 ** 30}),
    ("fee-payment", {"amount": "1e400"}),
    ("fee-payment", {"amount": "0.001"}),
    ("fee-payment", {"amount": "Infinity"}),
    ("reply", {"outcome": "other.other"}),  # an outcome with no article needs a basis
    ("request-correction", {"what": "", "deadline": "2026-12-31"}),
    ("transfer", {"to_agency": "110102109", "reason": "   "}),
])
def test_out_of_range_values_are_a_422(world, name, body):
    application, _code = apply(world.education)
    response = post(staff_client(world.ogi), f"{STAFF}/{application.number}/{name}", body)
    assert response.status_code == 422, response.content


def test_a_number_is_not_taken_for_a_date(world, client):
    """pydantic reads 1700000000 as seconds since 1970; a date must be written as one."""
    assert client.get("/api/search", {"until": "0"}).status_code == 422
    assert client.get("/api/search", {"since": "1700000000"}).status_code == 422
    assert client.get("/api/search", {"since": "2025-01-01"}).status_code == 200
    application, _code = apply(world.education)
    response = post(staff_client(world.ogi), f"{STAFF}/{application.number}/confirm-receipt",
                    {"received_on": 1700000000})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "received_on"
    assert ApplicationEvent.objects.filter(application=application).count() == 1
