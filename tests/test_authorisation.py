"""Who may open what, for every staff URL and every staff API endpoint: nobody signed out,
no account without a staff role, and no staff of another agency reaches an application of
the education commission; its own handler does. A URL added without a row in ``ARGS``
fails the first test, so no new page escapes the matrix."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.applications.helpers import received
from tests.factories import UserFactory
from tests.signin import Client

pytestmark = pytest.mark.django_db

# The arguments each staff route is opened with ("{number}": the education commission's
# application). A route whose object is not the application gets a number that does not
# exist: signed out or without a role, the refusal must come before any lookup anyway.
ARGS: dict[str, dict[str, object]] = {
    "catalog_import:upload": {}, "catalog_import:template": {},
    "catalog_policies:list": {}, "catalog_policies:create": {}, "catalog_policies:cleanup": {},
    "catalog_policies:detail": {"pk": 999_999},
    "catalog_policies:interpretation_create": {"pk": 999_999},
    "catalog_policies:validity": {"pk": 999_999},
    "catalog_staff:list": {}, "catalog_staff:create": {}, "catalog_staff:review": {},
    "catalog_staff:tree": {}, "catalog_staff:node": {"pk": 999_999},
    "catalog_staff:node_move": {"pk": 999_999, "direction": "up"},
    "catalog_staff:detail": {"pk": 999_999}, "catalog_staff:edit": {"pk": 999_999},
    "catalog_staff:correct": {"pk": 999_999},
    "catalog_staff:step": {"pk": 999_999, "step": "publish"},
    "catalog_staff:attachment": {"pk": 999_999, "attachment_pk": 999_999},
    "catalog_staff:remove_attachment": {"pk": 999_999, "attachment_pk": 999_999},
    "applications:inbox": {}, "applications:register": {},
    "applications:detail": {"number": "{number}"}, "applications:identity": {"number": "{number}"},
    "applications:document": {"number": "{number}", "pk": 999_999},
    "applications:act": {"number": "{number}", "name": "reply"},
    "appeals:list": {}, "appeals:create": {}, "appeals:detail": {"pk": 999_999},
    "appeals:document": {"pk": 999_999, "document_pk": 999_999},
    "reports:dashboard": {}, "reports:import_figures": {},
    "reports:figures_template": {}, "reports:parse": {},
    "reports:figures": {"code": "110102103", "year": 2025},
    **{f"reports:{name}": {"code": "110102103", "year": 2025}
       for name in ("report", "start", "narrative", "approve", "publish", "reopen")},
    "reports:download": {"code": "110102103", "year": 2025, "fmt": "pdf"},
    "oversight:dashboard": {}, "oversight:export": {}, "oversight:trainings": {},
    "oversight:training_create": {}, "jobs": {},
    "search_staff:queries": {}, "search_staff:query_hide": {},
    "search_staff:query_show": {"pk": 999_999}, "search_staff:dictionary": {},
    "search_staff:word_remove": {"pk": 999_999}, "search_staff:synonyms": {},
    "search_staff:synonym": {"pk": 999_999}, "search_staff:synonym_delete": {"pk": 999_999},
    "workbench:home": {}, "workbench:two_factor": {}, "workbench:two_factor_codes": {},
    "workbench:two_factor_disable": {}, "workbench:two_factor_enrol": {},
    "workbench:two_factor_verify": {},
}
# Open to anyone: the login and logout pages themselves.
OPEN = {"workbench:login", "workbench:logout"}
STAFF_API = ("api:inbox", "api:detail", "api:confirm_receipt", "api:assign", "api:transfer",
             "api:request_correction", "api:consultation", "api:consultation_answer",
             "api:extension_request", "api:extension_approve", "api:fee_notice",
             "api:fee_payment", "api:fee_waiver", "api:reply", "api:correct_outcome")


def _routes(patterns=None, prefix="", namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), ":".join(
                n for n in (namespace, pattern.name or "") if n)


def _staff_names() -> set[str]:
    return {name for route, name in _routes() if route.startswith("staff/")}


def _url(name: str, number: str) -> str:
    kwargs = {k: (number if v == "{number}" else v) for k, v in ARGS.get(name, {}).items()}
    if name.startswith("api:"):
        kwargs = {"number": number} if name != "api:inbox" else {}
    return reverse(name, kwargs=kwargs)


# Bodies the API's steps accept (so that the refusal tested is the permission's, not the
# body's); a step without one here is sent an empty object, refused 422 before any lookup.
API_BODIES = {
    "api:confirm_receipt": {"received_on": "2026-11-02"},
    "api:assign": {"handler": "handler"},
    "api:transfer": {"to_agency": "110102109", "reason": "不属于本机关职责"},
    "api:request_correction": {"what": "请补充所需信息的名称", "deadline": "2026-11-20"},
    "api:extension_request": {"days": 20, "reason": "需要协调多个部门"},
    "api:extension_approve": {},
    "api:fee_waiver": {"reason": "申请人系低保对象"},
    "api:reply": {"outcome": "disclosed"},
}


def _open(client: Client, name: str, url: str):
    if name in STAFF_API[2:]:
        return client.post(url, API_BODIES.get(name, {}), content_type="application/json")
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def _refused(response) -> bool:
    """Not served: a redirect to the login page, a 4xx; never a page, never a 5xx."""
    if response.status_code == 302:
        return "/staff/login/" in response["Location"] or response["Location"] == "/staff/"
    return 400 <= response.status_code < 500


@pytest.fixture
def application(world):
    return received(world.education, dt.date(2026, 11, 2), actor=world.handler)


def test_every_staff_url_has_a_row():
    assert _staff_names() - OPEN == set(ARGS)
    assert {name for route, name in _routes() if route.startswith("api/staff/")} == set(STAFF_API)


@pytest.mark.parametrize("name", sorted(set(ARGS) | set(STAFF_API)))
def test_signed_out_no_staff_url_opens(world, application, name):
    response = _open(Client(), name, _url(name, application.number))
    if name.startswith("api:"):
        assert response.status_code in (401, 403), name
    else:
        assert response.status_code == 302 and "/staff/login/" in response["Location"], name


@pytest.mark.parametrize("name", sorted(set(ARGS) | set(STAFF_API)))
def test_an_account_without_a_staff_role_opens_nothing(world, application, name):
    client = Client()
    client.force_login(UserFactory(username="citizen"))
    response = _open(client, name, _url(name, application.number))
    assert _refused(response), (name, response.status_code)


APPLICATION_ROUTES = ("applications:detail", "applications:identity", "applications:act",
                      *STAFF_API[1:])


@pytest.mark.parametrize("name", APPLICATION_ROUTES)
def test_another_agencys_staff_never_reach_the_application(world, application, name):
    client = Client()
    client.force_login(world.finance_handler)
    response = _open(client, name, _url(name, application.number))
    assert response.status_code in (403, 404, 422), (name, response.status_code)
    if name in API_BODIES or not name.startswith("api:"):
        assert response.status_code in (403, 404), (name, response.status_code)


def test_the_handling_agencys_handler_does(world, application):
    client = Client()
    client.force_login(world.handler)
    assert client.get(_url("applications:detail", application.number)).status_code == 200
    assert client.get(_url("api:detail", application.number)).status_code == 200
    listed = client.get(_url("api:inbox", application.number)).json()
    assert application.number in {row["number"] for row in listed["items"]}
    other = Client()
    other.force_login(world.finance_handler)
    listed = other.get(_url("api:inbox", application.number)).json()
    assert application.number not in {row["number"] for row in listed["items"]}
