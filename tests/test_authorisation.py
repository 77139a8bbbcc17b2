"""Who may open what, for every staff URL and every staff API endpoint: nobody signed out,
no account without a staff role, and no staff of another agency reaches an application of
the education commission; its own handler does. Then the role dimension: what each role
(handler, reviewer, the OGI office, the oversight auditor, another agency's handler, the
security administrator and the security auditor) gets from each URL (``MATRIX``), and from
each configuration page (``ADMIN_MATRIX``). A URL or an admin page added without a row in
``ARGS``, ``MATRIX`` and ``ADMIN_MATRIX`` fails the first test, so no new page escapes the
matrix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.applications.helpers import received
from tests.factories import UserFactory, security_duties
from tests.signin import Client
from xxgk.applications import actions
from xxgk.demo.build import ogi_office_group

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
    "applications:resend_email": {"number": "{number}", "job": 999_999},
    "appeals:list": {}, "appeals:create": {}, "appeals:detail": {"pk": 999_999},
    "appeals:document": {"pk": 999_999, "document_pk": 999_999},
    "reports:dashboard": {}, "reports:import_figures": {},
    "reports:figures_template": {}, "reports:parse": {}, "reports:audit": {},
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


# Bodies the API's steps accept, every step one, so that the refusal tested is the
# permission's, not the body's (an empty object would be refused 422 before any lookup).
API_BODIES = {
    "api:confirm_receipt": {"received_on": "2026-11-02"},
    "api:assign": {"handler": "handler"},
    "api:transfer": {"to_agency": "110102109", "reason": "不属于本机关职责"},
    "api:request_correction": {"what": "请补充所需信息的名称", "deadline": "2026-11-20"},
    "api:consultation": {"party": "某公司", "party_kind": "third_party"},
    "api:consultation_answer": {"party": "某公司", "summary": "不同意公开。"},
    "api:extension_request": {"days": 20, "reason": "需要协调多个部门"},
    "api:extension_approve": {},
    "api:fee_notice": {"method": "by_volume", "pages": 40},
    "api:fee_payment": {"amount": "100"},
    "api:fee_waiver": {"reason": "申请人系低保对象"},
    "api:reply": {"outcome": "disclosed"},
    "api:correct_outcome": {"outcome": "partially_disclosed", "reason": "部分内容涉及第三方。"},
}


# What the application has been through before a step that needs it is tried, by its
# handler (once; each role's attempt is then rolled back): so that those who may take the
# step get 200, not the 409 of a step the application's state does not offer.
def _consulted(application, world) -> None:
    actions.send_consultation(application, party="某公司", party_kind="third_party",
                              actor=world.handler)


def _fee_notified(application, world) -> None:
    actions.notify_fee(application, method="by_volume", amount=Decimal(100),
                       basis="按件计收", actor=world.handler)


def _replied(application, world) -> None:
    actions.reply(application, outcome="disclosed", legal_basis="第三十六条第（二）项",
                  actor=world.handler)


BEFORE = {"api:consultation_answer": _consulted, "api:fee_payment": _fee_notified,
          "api:fee_waiver": _fee_notified, "api:correct_outcome": _replied}


def _open(client: Client, name: str, url: str):
    if name in STAFF_API[2:]:
        return client.post(url, API_BODIES[name], content_type="application/json")
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def _refused(response) -> bool:
    """Not served: a redirect to the login page, a 4xx; never a page, never a 5xx."""
    if response.status_code == 302:
        return "/staff/login/" in response["Location"] or response["Location"] == "/staff/"
    return 400 <= response.status_code < 500


# The role dimension: what each role gets from every staff URL and API endpoint, in the
# order of ``ROLES``: the education commission's handler and reviewer (the application's
# own agency), the OGI office and the oversight auditor (督查室; the whole district), the
# finance bureau's handler (another agency), then the two security duties of 三员分立,
# which reach no record at all. A status, or where a redirect goes: L the login page, A the
# configuration pages, R a page of the workbench (a step done). 404 is a lookup after the
# permission check (the route is opened with an object that does not exist) or outside the
# account's scope; 409 a step the application's state does not offer (after the
# permission check). Handling is the handler's and the OGI office's; the reviewer reads and
# approves extensions; the oversight auditor reads everything and changes nothing.
ROLES = ("handler", "reviewer", "ogi", "auditor", "other", "security", "audit-log")
MATRIX: dict[str, str] = {
    "api:assign": "200 403 200 403 404 403 403",
    "api:confirm_receipt": "409 403 409 403 404 403 403",
    "api:consultation": "200 403 200 403 404 403 403",
    "api:consultation_answer": "200 403 200 403 404 403 403",
    "api:correct_outcome": "200 403 200 403 404 403 403",
    "api:detail": "200 200 200 200 404 403 403",
    "api:extension_approve": "403 409 409 403 404 403 403",
    "api:extension_request": "200 403 200 403 404 403 403",
    "api:fee_notice": "200 403 200 403 404 403 403",
    "api:fee_payment": "200 403 200 403 404 403 403",
    "api:fee_waiver": "200 403 200 403 404 403 403",
    "api:inbox": "200 200 200 200 200 403 403",
    "api:reply": "200 403 200 403 404 403 403",
    "api:request_correction": "409 403 409 403 404 403 403",
    "api:transfer": "200 403 200 403 404 403 403",
    "appeals:create": "200 200 200 403 200 403 403",
    "appeals:detail": "404 404 404 404 404 403 403",
    "appeals:document": "404 404 404 404 404 403 403",
    "appeals:list": "200 200 200 200 200 403 403",
    "applications:act": "200 403 200 403 404 403 403",
    "applications:detail": "200 200 200 200 404 403 403",
    "applications:document": "404 404 404 404 404 403 403",
    "applications:identity": "200 200 403 403 404 403 403",
    "applications:inbox": "200 200 200 200 200 403 403",
    "applications:register": "200 403 200 403 200 403 403",
    "applications:resend_email": "R 403 R 403 404 403 403",
    "catalog_import:template": "200 200 200 200 200 403 403",
    "catalog_import:upload": "200 403 200 403 200 403 403",
    "catalog_policies:cleanup": "200 200 200 200 200 403 403",
    "catalog_policies:create": "200 403 200 403 200 403 403",
    "catalog_policies:detail": "404 404 404 404 404 403 403",
    "catalog_policies:interpretation_create": "404 404 404 404 404 403 403",
    "catalog_policies:list": "200 200 200 200 200 403 403",
    "catalog_policies:validity": "404 404 404 404 404 403 403",
    "catalog_staff:attachment": "404 404 404 404 404 403 403",
    "catalog_staff:correct": "404 404 404 404 404 403 403",
    "catalog_staff:create": "200 403 200 403 200 403 403",
    "catalog_staff:detail": "404 404 404 404 404 403 403",
    "catalog_staff:edit": "404 404 404 404 404 403 403",
    "catalog_staff:list": "200 200 200 200 200 403 403",
    "catalog_staff:node": "403 403 404 403 403 403 403",
    "catalog_staff:node_move": "403 403 404 403 403 403 403",
    "catalog_staff:remove_attachment": "404 404 404 404 404 403 403",
    "catalog_staff:review": "200 200 200 200 200 403 403",
    "catalog_staff:step": "404 404 404 404 404 403 403",
    "catalog_staff:tree": "403 403 200 403 403 403 403",
    "jobs": "403 403 200 403 403 403 403",
    "oversight:dashboard": "200 200 200 200 200 403 403",
    "oversight:export": "200 200 200 200 200 403 403",
    "oversight:training_create": "403 403 200 403 403 403 403",
    "oversight:trainings": "200 200 200 200 200 403 403",
    "reports:approve": "404 404 404 404 404 403 403",
    "reports:audit": "200 200 200 200 200 403 403",
    "reports:dashboard": "200 200 200 200 200 403 403",
    "reports:download": "200 200 200 200 404 403 403",
    "reports:figures": "200 200 200 200 404 403 403",
    "reports:figures_template": "404 404 404 404 404 403 403",
    "reports:import_figures": "200 200 200 403 200 403 403",
    "reports:narrative": "404 404 404 404 404 403 403",
    "reports:parse": "200 200 200 200 200 403 403",
    "reports:publish": "404 404 404 404 404 403 403",
    "reports:reopen": "404 404 404 404 404 403 403",
    "reports:report": "200 200 200 200 404 403 403",
    "reports:start": "R R R 422 404 403 403",
    "search_staff:dictionary": "403 403 200 403 403 403 403",
    "search_staff:queries": "403 403 200 403 403 403 403",
    "search_staff:query_hide": "403 403 R 403 403 403 403",
    "search_staff:query_show": "403 403 404 403 403 403 403",
    "search_staff:synonym": "403 403 404 403 403 403 403",
    "search_staff:synonym_delete": "403 403 404 403 403 403 403",
    "search_staff:synonyms": "403 403 200 403 403 403 403",
    "search_staff:word_remove": "403 403 404 403 403 403 403",
    "workbench:home": "200 200 200 200 200 A A",
    "workbench:two_factor": "200 200 200 200 200 200 200",
    "workbench:two_factor_codes": "200 200 200 200 200 200 200",
    "workbench:two_factor_disable": "R R R R R R R",
    "workbench:two_factor_enrol": "R R R R R R R",
    "workbench:two_factor_verify": "R R R R R R R",
}


# The configuration pages (Django admin) of every registered model, for each duty of
# 三员分立: the list and the add page, for the OGI office (with its group), the security
# administrator and the security auditor. A staff role without the staff flag reaches none.
# Login failures (axes) and authenticator devices (otp) are a superuser's pages: lifting a
# lock-out or resetting a second factor is an action on the accounts page (the security
# administrator's) or `xxgk login`, audited.
ADMIN_DUTIES = ("ogi", "security", "audit-log")
ADMIN_MATRIX: dict[str, str] = {
    "agencies.agency": "200 200 403 403 403 403",
    "agencies.auditentry": "403 403 403 403 200 403",
    "agencies.staffrole": "403 403 200 200 403 403",
    "appeals.appealcase": "200 200 403 403 403 403",
    "applications.application": "403 403 403 403 403 403",
    "applications.applicationevent": "403 403 403 403 403 403",
    "applications.lettertemplate": "200 200 403 403 403 403",
    "axes.accessattempt": "403 403 403 403 403 403",
    "axes.accessfailurelog": "403 403 403 403 403 403",
    "axes.accesslog": "403 403 403 403 403 403",
    "auth.group": "403 403 403 403 403 403",
    "auth.user": "403 403 200 200 403 403",
    "catalog.infoitem": "200 403 403 403 403 403",
    "catalog.interpretation": "200 403 403 403 403 403",
    "catalog.policydocument": "200 403 403 403 403 403",
    "catalog.validitychange": "200 403 403 403 403 403",
    "consultations.consultation": "200 403 403 403 403 403",
    "consultations.feedbackreport": "200 403 403 403 403 403",
    "holidays.calendaryear": "200 200 403 403 403 403",
    "otp_static.staticdevice": "403 403 403 403 403 403",
    "otp_totp.totpdevice": "403 403 403 403 403 403",
    "oversight.training": "200 403 403 403 403 403",
    "reports.annualreport": "403 403 403 403 403 403",
    "reports.enteredfigures": "403 403 403 403 403 403",
    "reports.importedreport": "403 403 403 403 403 403",
}


@pytest.fixture
def application(world):
    return received(world.education, dt.date(2026, 11, 2), actor=world.handler)


def test_every_staff_url_has_a_row():
    assert _staff_names() - OPEN == set(ARGS)
    assert {name for route, name in _routes() if route.startswith("api/staff/")} == set(STAFF_API)
    assert set(API_BODIES) == set(STAFF_API[2:])
    assert set(MATRIX) == set(ARGS) | set(STAFF_API)
    assert set(ADMIN_MATRIX) == {model._meta.label_lower for model in admin.site._registry}


def _outcome(response) -> str:
    if response.status_code != 302:
        return str(response.status_code)
    location = response["Location"]
    return "L" if "/login/" in location else "A" if location.startswith("/admin/") else "R"


@pytest.fixture
def everyone(world):
    security, audit_log = security_duties(world)
    return dict(zip(ROLES, (world.handler, world.reviewer, world.ogi, world.auditor,
                            world.finance_handler, security, audit_log), strict=True))


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_what_the_matrix_says(world, application, everyone, name):
    if name in BEFORE:
        BEFORE[name](application, world)
    got = []
    for user in everyone.values():
        client = Client()
        client.force_login(user)
        # Each role meets the application as it was: a step one role takes is undone.
        with transaction.atomic():
            got.append(_outcome(_open(client, name, _url(name, application.number))))
            transaction.set_rollback(True)
    assert " ".join(got) == MATRIX[name]


def test_the_security_duties_reach_no_staff_page_and_no_record():
    """三员分立: changing accounts or reading the audit log gives no access to the records;
    the workbench sends both duties to the configuration pages. Their own sign-in (the
    second factor's pages) is every account's."""
    for name, row in MATRIX.items():
        if name.startswith("workbench:two_factor"):
            continue
        duties = row.split()[ROLES.index("security"):]
        assert duties == (["A", "A"] if name == "workbench:home" else ["403", "403"]), name


@pytest.mark.parametrize("label", sorted(ADMIN_MATRIX))
def test_each_duty_gets_the_configuration_pages_the_matrix_says(world, everyone, label):
    everyone["ogi"].groups.add(ogi_office_group())
    app_label, model = label.split(".")
    got = []
    for duty in ADMIN_DUTIES:
        client = Client()
        client.force_login(everyone[duty])
        for view in ("changelist", "add"):
            got.append(_outcome(client.get(reverse(f"admin:{app_label}_{model}_{view}"))))
    assert " ".join(got) == ADMIN_MATRIX[label]
    for role in ("handler", "reviewer", "auditor", "other"):
        client = Client()
        client.force_login(everyone[role])
        assert _outcome(client.get(reverse(f"admin:{app_label}_{model}_changelist"))) == "L"


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
                      "applications:resend_email",
                      *STAFF_API[1:])


@pytest.mark.parametrize("name", APPLICATION_ROUTES)
def test_another_agencys_staff_never_reach_the_application(world, application, name):
    client = Client()
    client.force_login(world.finance_handler)
    response = _open(client, name, _url(name, application.number))
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


def test_the_workbench_and_the_api_let_the_same_roles_take_each_step(world, application):
    """One rule per step (``steps.STEPS``' permission, asked again by the step's action) on
    both channels: the handler and the OGI office handle, the reviewer only approves an
    extension, the oversight auditor takes none; a step the role may take is never the
    permission's 403 on either channel."""
    from xxgk.applications import steps

    taken: dict[str, set[str]] = {}
    for role, user in (("handler", world.handler), ("reviewer", world.reviewer),
                       ("ogi", world.ogi), ("auditor", world.auditor)):
        client = Client()
        client.force_login(user)
        for step in steps.STEPS:
            api = f"api:{step.slug.replace('-', '_')}"
            with transaction.atomic():
                web = client.post(reverse("applications:act",
                                          args=[application.number, step.name]), {})
                by_api = _open(client, api, _url(api, application.number))
                transaction.set_rollback(True)
            assert (web.status_code == 403) == (by_api.status_code == 403), (role, step.name)
            if web.status_code != 403:
                taken.setdefault(role, set()).add(step.name)
    every = {step.name for step in steps.STEPS}
    assert taken == {"handler": every - {"approve_extension"}, "ogi": every,
                     "reviewer": {"approve_extension"}}
