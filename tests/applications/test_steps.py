"""The one table of staff steps (``applications.steps``): every step is reachable from the
workbench and from the API, each with the same form behind it, and a step the situation
does not offer is refused the same way by both."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.api.helpers import STAFF, post, staff_client
from tests.applications.helpers import apply, received
from xxgk.applications import actions, inbox, steps
from xxgk.applications.models import Application

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
IN_TWO_WEEKS = TODAY + dt.timedelta(days=14)
PARTY = "某公司"


def _submitted(world) -> Application:
    return apply(world.education)[0]


def _open(world) -> Application:
    return received(world.education, TODAY, actor=world.handler)


def _consulting(world) -> Application:
    application = _open(world)
    actions.send_consultation(application, party=PARTY, party_kind="third_party",
                              actor=world.handler)
    return application


def _extension_pending(world) -> Application:
    application = _open(world)
    actions.request_extension(application, days=10, reason="需要调取档案。", actor=world.handler)
    return application


def _fee_pending(world) -> Application:
    application = _open(world)
    quote = inbox.fee_quote(application, "by_volume", 40)
    actions.notify_fee(application, method="by_volume", amount=quote.amount,
                       basis=quote.notice_text, actor=world.handler)
    return application


def _closed(world) -> Application:
    application = _open(world)
    actions.reply(application, outcome="disclosed", legal_basis="第三十六条第（二）项",
                  actor=world.handler)
    return application


@dataclass(frozen=True)
class Case:
    """A step taken where it is offered: the page's form values and the API's body."""

    setup: Callable[[Any], Application]
    form: Callable[[Any], dict[str, Any]]
    body: Callable[[Any], dict[str, Any]]
    event: str
    user: str = "handler"


CASES: dict[str, Case] = {
    "confirm_receipt": Case(_submitted, lambda w: {"received_on": TODAY},
                            lambda w: {"received_on": TODAY.isoformat()}, "receipt_confirmed"),
    "assign": Case(_open, lambda w: {"handler": w.handler.pk},
                   lambda w: {"handler": "handler"}, "assigned"),
    "transfer": Case(_open, lambda w: {"to_agency": w.finance.pk, "reason": "属于财政局职责。"},
                     lambda w: {"to_agency": w.finance.code, "reason": "属于财政局职责。"},
                     "transferred"),
    "request_correction": Case(
        _open, lambda w: {"what": "请写明文件年份。", "deadline": IN_TWO_WEEKS, "on": TODAY},
        lambda w: {"what": "请写明文件年份。", "deadline": IN_TWO_WEEKS.isoformat()},
        "correction_requested"),
    "send_consultation": Case(_open, lambda w: {"party": PARTY, "party_kind": "third_party",
                                                "on": TODAY},
                              lambda w: {"party": PARTY, "party_kind": "third_party"},
                              "consultation_sent"),
    "consultation_answer": Case(_consulting, lambda w: {"party": PARTY, "on": TODAY},
                                lambda w: {"party": PARTY}, "consultation_answered"),
    "request_extension": Case(_open, lambda w: {"days": 10, "reason": "需要调取档案。"},
                              lambda w: {"days": 10, "reason": "需要调取档案。"},
                              "extension_requested"),
    "approve_extension": Case(_extension_pending, lambda w: {"on": TODAY}, lambda w: {},
                              "extended", user="reviewer"),
    "fee_notice": Case(_open, lambda w: {"method": "by_volume", "pages": 40, "on": TODAY},
                       lambda w: {"method": "by_volume", "pages": 40}, "fee_notified"),
    "fee_payment": Case(_fee_pending, lambda w: {"amount": "100", "on": TODAY},
                        lambda w: {"amount": "100"}, "fee_paid"),
    "fee_waiver": Case(_fee_pending, lambda w: {"reason": "申请人经济困难。", "on": TODAY},
                       lambda w: {"reason": "申请人经济困难。"}, "fee_waived"),
    "reply": Case(_open, lambda w: {"outcome": "disclosed", "legal_basis": "第三十六条第（二）项",
                                    "on": TODAY},
                  lambda w: {"outcome": "disclosed", "legal_basis": "第三十六条第（二）项"},
                  "replied"),
    "correct_outcome": Case(_closed, lambda w: {"outcome": "partially_disclosed",
                                                "reason": "部分内容涉及第三方。"},
                            lambda w: {"outcome": "partially_disclosed",
                                       "reason": "部分内容涉及第三方。"}, "outcome_corrected"),
}


def _page_post(client: Client, application: Application, name: str, data: dict[str, Any]):
    fields = {f"{name}-{key}": value for key, value in data.items()}
    return client.post(reverse("applications:act", args=[application.number, name]), fields)


def _api_post(client: Client, application: Application, step: steps.Step,
              body: dict[str, Any]):
    return post(client, f"{STAFF}/{application.number}/{step.slug}", body)


def _last_event(application: Application) -> str:
    return application.events.order_by("id").last().kind


def _not_offered() -> str:
    with translation.override(settings.LANGUAGE_CODE):  # the language both channels answer in
        return str(steps.NOT_OFFERED)


# ---- The table itself ------------------------------------------------------------------------


def test_every_step_has_a_name_a_slug_and_an_action_of_its_own():
    assert len({s.name for s in steps.STEPS}) == len({s.slug for s in steps.STEPS}) \
        == len(steps.STEPS) == len(CASES)
    assert set(steps.BY_NAME) == set(CASES)
    for step in steps.STEPS:
        assert getattr(actions, step.action.__name__) is step.action, step.name
        assert inspect.signature(step.arguments).parameters.keys() == {"cd", "app", "r"}


def test_the_api_body_of_every_step_has_the_fields_of_its_form():
    """One set of fields per step; only files (released documents) stay on the page."""
    for step in steps.STEPS:
        assert set(step.schema.model_fields) == set(step.form.base_fields) - {"released"}, \
            step.name


def test_the_openapi_schema_has_one_typed_operation_per_step():
    schema = Client().get("/api/openapi.json").json()
    for step in steps.STEPS:
        operation = schema["paths"][f"/api/staff/applications/{{number}}/{step.slug}"]["post"]
        assert operation["summary"] == step.summary
        assert operation["operationId"] == "xxgk_api_applications_" + step.slug.replace("-", "_")
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        assert body == {"$ref": f"#/components/schemas/{step.schema.__name__}"}
        # 400 a body that is not JSON, 401 no session, 422 a body refused field by field.
        assert set(operation["responses"]) == {"200", "400", "401", "403", "404", "409", "422"}


# ---- Every step, through each channel ---------------------------------------------------------


@pytest.mark.parametrize("name", list(CASES))
def test_every_step_is_offered_and_taken_on_the_workbench(world, name):
    case, step = CASES[name], steps.BY_NAME[name]
    application = case.setup(world)
    client = staff_client(getattr(world, case.user))
    page = client.get(reverse("applications:detail", args=[application.number]))
    action_url = reverse("applications:act", args=[application.number, name])
    assert f'action="{action_url}"' in page.content.decode()
    response = _page_post(client, application, name, case.form(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _last_event(application) == case.event
    with translation.override(settings.LANGUAGE_CODE):
        done = str(step.done)
    assert done in [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("name", list(CASES))
def test_every_step_is_taken_through_the_api(world, name):
    case, step = CASES[name], steps.BY_NAME[name]
    application = case.setup(world)
    response = _api_post(staff_client(getattr(world, case.user)), application, step,
                         case.body(world))
    assert response.status_code == 200, response.content
    assert response.json()["event"] == case.event
    assert _last_event(application) == case.event


# ---- A step not offered now ---------------------------------------------------------------

NOT_OFFERED_CASES = {
    "confirm_receipt": (_open, {"received_on": TODAY}),
    "correct_outcome": (_open, {"outcome": "disclosed", "reason": "x"}),
    "fee_payment": (_open, {"amount": "100", "on": TODAY}),
    "fee_waiver": (_open, {"reason": "x", "on": TODAY}),
    "approve_extension": (_open, {"on": TODAY}),
    "reply": (_closed, {"outcome": "partially_disclosed", "legal_basis": "x", "on": TODAY}),
    "request_extension": (_extension_pending, {"days": 5, "reason": "x"}),
    "fee_notice": (_fee_pending, {"method": "by_volume", "pages": 40, "on": TODAY}),
}


def _as_body(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}


@pytest.mark.parametrize("name", list(NOT_OFFERED_CASES))
def test_a_step_not_offered_is_refused_by_both_channels_with_one_message(world, name):
    setup, data = NOT_OFFERED_CASES[name]
    step = steps.BY_NAME[name]
    user = world.reviewer if name == "approve_extension" else world.handler
    application = setup(world)
    before = list(application.events.values_list("kind", flat=True))
    client = staff_client(user)

    page = client.get(reverse("applications:detail", args=[application.number]))
    assert reverse("applications:act", args=[application.number, name]) \
        not in page.content.decode()
    response = _page_post(client, application, name, data)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [_not_offered()]

    api = _api_post(client, application, step, _as_body(data))
    assert api.status_code == 409, api.content
    assert api.json() == {"detail": _not_offered()}
    assert list(application.events.values_list("kind", flat=True)) == before


def test_a_step_beyond_the_user_s_role_is_refused_with_the_same_reason_on_both_channels(
        world):
    application = _extension_pending(world)
    client = staff_client(world.handler)
    step = steps.BY_NAME["approve_extension"]
    response = _page_post(client, application, "approve_extension", {"on": TODAY})
    assert response.status_code == 403
    api = _api_post(client, application, step, {})
    assert api.status_code == 403
    with translation.override(settings.LANGUAGE_CODE):
        assert str(step.permission.refusal) in response.content.decode()
        assert api.json() == {"detail": str(step.permission.refusal)}
    assert _last_event(application) == "extension_requested"
