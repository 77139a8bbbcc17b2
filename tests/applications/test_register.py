"""Staff register the applications that did not arrive online (post, in person, fax,
orally) and those still open from before xxgk, with their real dates."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.applications.helpers import ID_NUMBER, PHONE, submission
from tests.applications.test_forms import form_data
from tests.factories import UserFactory
from tests.reports.helpers import finish_narrative
from xxgk.agencies.models import AuditEntry
from xxgk.applications import actions, history, pii, timing
from xxgk.applications.models import Application, ApplicationEvent, NumberSequence, Status
from xxgk.applications.views_staff import JUST_REGISTERED
from xxgk.core.periods import locked_message
from xxgk.core.steps import StepError
from xxgk.reports import actions as reports

pytestmark = pytest.mark.django_db

REGISTER = reverse("applications:register")
TODAY = timezone.localdate()
ARRIVED = TODAY - dt.timedelta(days=7)
LAST_YEAR = TODAY.year - 1


@pytest.fixture(autouse=True)
def _english(client):
    """These tests read the English wording of the errors, in the pages and the actions."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def register_data(agency, **overrides) -> dict:
    """The registration form as a handler fills it in for a letter signed for a week ago."""
    return form_data(**{
        "agency": str(agency.pk),
        "channel": "registered_post",
        "arrived_at": f"{ARRIVED.isoformat()}T10:30",
        "received_on": "",
        "delivery": "post",
        "client_token": "register-token-0123456789",
        **overrides,
    })


def field_errors(html: str, field: str) -> list[str]:
    """The errors shown under one field of the form."""
    found = re.search(rf'<ul class="field-error" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1), re.S) if found else []


def nothing_written() -> bool:
    return (not Application.objects.exists() and not ApplicationEvent.objects.exists()
            and not AuditEntry.objects.filter(action__startswith="application.").exists()
            and not NumberSequence.objects.filter(last__gt=0).exists())


def publish(world, year: int):
    """A published (so locked) report of the education commission for ``year``."""
    report = reports.start_draft(world.education, year, actor=world.ogi)
    finish_narrative(report, actor=world.ogi)
    reports.approve(report, actor=world.ogi)
    return reports.publish(report, actor=world.ogi)


# ---- Who may register ----------------------------------------------------------------------


def test_the_inbox_offers_registration_to_handlers_and_the_ogi_office_only(world, client):
    for user, offered in ((world.handler, True), (world.ogi, True), (world.reviewer, False),
                          (world.auditor, False)):
        client.force_login(user)
        html = client.get(reverse("applications:inbox")).content.decode()
        assert (f'href="{REGISTER}"' in html) is offered, user


def test_reviewers_auditors_and_accounts_without_a_role_are_refused(world, client):
    for user in (world.reviewer, world.auditor, UserFactory(username="nobody")):
        client.force_login(user)
        assert client.get(REGISTER).status_code == 403
        assert client.post(REGISTER, register_data(world.education)).status_code == 403
    assert nothing_written()
    client.logout()
    response = client.get(REGISTER)
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_another_agency_s_handler_may_register_only_for_their_own(world, client):
    client.force_login(world.finance_handler)
    html = client.get(REGISTER).content.decode()
    assert "Xicheng District Finance Bureau" in html
    assert "Xicheng District Education Commission" not in html
    assert client.post(REGISTER, register_data(world.education)).status_code == 403
    assert nothing_written()
    with pytest.raises(StepError):
        actions.submit_application(submission(world.education, channel="in_person"),
                                   actor=world.finance_handler)
    assert nothing_written()


def test_the_ogi_office_registers_for_any_agency_of_its_government(world, client):
    client.force_login(world.ogi)
    response = client.post(REGISTER, register_data(world.subdistrict, channel="in_person"))
    application = Application.objects.get()
    assert response.status_code == 302 and application.agency == world.subdistrict


# ---- Registering -----------------------------------------------------------------------------


def test_a_registered_post_application_is_stored_with_its_channel_and_dates(world, client):
    client.force_login(world.handler)
    form_page = client.get(REGISTER).content.decode()
    assert 'name="client_token"' in form_page and 'type="datetime-local"' in form_page
    assert '<option value="online"' not in form_page  # online ones are the applicant's own

    response = client.post(REGISTER, register_data(world.education))
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[application.number])
    assert application.channel == "registered_post"
    assert application.arrived_at == timezone.make_aware(
        dt.datetime.combine(ARRIVED, dt.time(10, 30)))
    assert application.number.startswith(f"110102-{ARRIVED.year}-")
    # Art. 31: by registered post the receipt is the day signed for, and the clock runs.
    assert application.received_on == ARRIVED and application.status == Status.IN_PROGRESS
    expected = timing.compute(application)
    assert application.due_on == expected.due and application.due_on is not None
    assert application.working_days_left == expected.left
    events = list(application.events.order_by("id"))
    assert [(e.kind, e.occurred_on, e.actor) for e in events] == [
        ("submitted", ARRIVED, world.handler), ("receipt_confirmed", ARRIVED, world.handler)]
    entry = AuditEntry.objects.get(action="application.register")
    assert entry.actor == world.handler and entry.agency == world.education
    assert entry.detail == {"channel": "registered_post", "arrived_on": ARRIVED.isoformat(),
                            "received_on": ARRIVED.isoformat(),
                            "events": history.seals(*events)}  # both events, sealed
    assert not AuditEntry.objects.filter(action="application.submit").exists()


def test_the_number_and_query_code_are_shown_once_on_the_application_s_page(world, client):
    client.force_login(world.handler)
    response = client.post(REGISTER, register_data(world.education))
    application = Application.objects.get()
    code = pii.decrypt(application.identity.encrypted).query_code
    assert code not in response["Location"]
    # The session keeps the number only, never the code.
    assert client.session[JUST_REGISTERED] == [application.number]
    assert code not in json.dumps(dict(client.session))

    html = client.get(response["Location"]).content.decode()
    assert f'id="query-code">{code}<' in html
    assert f'id="application-number">{application.number}<' in html
    assert client.session[JUST_REGISTERED] == []
    assert code not in client.get(response["Location"]).content.decode()
    assert actions.access_by_query_code(application.number, code, request=None) == application


def test_an_ordinary_letter_waits_for_the_office_to_confirm_it(world, client):
    client.force_login(world.handler)
    client.post(REGISTER, register_data(world.education, channel="ordinary_post"))
    application = Application.objects.get()
    assert application.channel == "ordinary_post"
    assert application.received_on is None and application.status == Status.SUBMITTED
    assert application.due_on is None


def test_a_fax_confirmed_later_keeps_both_dates(world, client):
    client.force_login(world.handler)
    confirmed = ARRIVED + dt.timedelta(days=1)
    client.post(REGISTER, register_data(world.education, channel="fax",
                                        received_on=confirmed.isoformat()))
    application = Application.objects.get()
    assert timezone.localtime(application.arrived_at).date() == ARRIVED
    assert application.received_on == confirmed and application.due_on is not None


def test_an_oral_application_is_received_the_day_it_is_made(world, client):
    client.force_login(world.handler)
    later = (ARRIVED + dt.timedelta(days=2)).isoformat()
    html = client.post(REGISTER, register_data(world.education, channel="oral",
                                               received_on=later)).content.decode()
    assert field_errors(html, "received_on") == [
        "In person, orally and by registered post, the receipt date is the day the "
        "application arrived (Art. 31)."]
    assert nothing_written()
    with pytest.raises(StepError, match="Art. 31"):
        actions.submit_application(
            submission(world.education, channel="oral"), actor=world.handler,
            arrived_at=timezone.make_aware(dt.datetime.combine(ARRIVED, dt.time(9))),
            received_on=ARRIVED + dt.timedelta(days=2))
    assert nothing_written()


def test_attachments_are_allowed_but_not_required(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.applications.test_uploads import PDF

    client.force_login(world.handler)
    scan = SimpleUploadedFile("申请表.pdf", PDF, content_type="application/pdf")
    response = client.post(REGISTER, {**register_data(world.education), "identity_proof": scan})
    assert response.status_code == 302
    assert [d.filename for d in Application.objects.get().documents.all()] == ["申请表.pdf"]


# ---- What is refused, and writes nothing ----------------------------------------------------


def test_errors_are_shown_by_their_fields_and_nothing_is_written(world, client):
    client.force_login(world.handler)
    response = client.post(REGISTER, register_data(
        world.education, id_number="110105194912310021", phone="12345", channel="online",
        arrived_at="", description=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert field_errors(html, "id_number") and field_errors(html, "phone")
    assert field_errors(html, "channel") and field_errors(html, "arrived_at")
    assert field_errors(html, "description")
    assert 'class="error-summary"' in html
    assert nothing_written()


def test_an_arrival_in_the_future_is_refused(world, client):
    client.force_login(world.handler)
    tomorrow = TODAY + dt.timedelta(days=1)
    html = client.post(REGISTER, register_data(
        world.education, arrived_at=f"{tomorrow.isoformat()}T09:00")).content.decode()
    assert field_errors(html, "arrived_at") == ["The arrival cannot be in the future."]
    assert nothing_written()
    with pytest.raises(StepError, match="future"):
        actions.submit_application(
            submission(world.education, channel="registered_post"), actor=world.handler,
            arrived_at=timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(9))))
    assert nothing_written()


def test_backdating_into_a_published_and_locked_year_is_refused(world, client):
    publish(world, LAST_YEAR)
    client.force_login(world.handler)
    before = AuditEntry.objects.count()
    html = client.post(REGISTER, register_data(
        world.education, arrived_at=f"{LAST_YEAR}-12-15T10:00")).content.decode()
    assert locked_message(LAST_YEAR) in html.replace("&#x27;", "'")
    assert not Application.objects.exists() and AuditEntry.objects.count() == before
    assert not NumberSequence.objects.filter(last__gt=0).exists()
    with pytest.raises(StepError, match="locked"):
        actions.submit_application(
            submission(world.education, channel="in_person"), actor=world.handler,
            arrived_at=timezone.make_aware(dt.datetime(LAST_YEAR, 12, 15, 10)))
    assert not Application.objects.exists() and AuditEntry.objects.count() == before
    # Another agency's year is not locked by the education commission's report.
    client.force_login(world.finance_handler)
    response = client.post(REGISTER, register_data(
        world.finance, arrived_at=f"{LAST_YEAR}-12-15T10:00"))
    assert response.status_code == 302


def test_an_open_application_received_before_a_locked_year_is_refused(world):
    """Received two years ago and still open, it would be carried over into last year's
    published report: registering it, or confirming such a receipt, is refused."""
    publish(world, LAST_YEAR)
    two_years_ago = dt.date(LAST_YEAR - 1, 6, 1)
    arrived = timezone.make_aware(dt.datetime.combine(two_years_ago, dt.time(10)))
    with pytest.raises(StepError, match=str(LAST_YEAR)):
        actions.submit_application(submission(world.education, channel="in_person"),
                                   actor=world.handler, arrived_at=arrived,
                                   received_on=two_years_ago)
    assert not Application.objects.exists()
    letter, _code = actions.submit_application(
        submission(world.education, channel="ordinary_post"),
        arrived_at=timezone.make_aware(dt.datetime.combine(TODAY, dt.time(0, 1))))
    letter.arrived_at = arrived
    letter.save(update_fields=["arrived_at"])
    with pytest.raises(StepError, match=str(LAST_YEAR)):
        actions.confirm_receipt(letter, received_on=two_years_ago, actor=world.handler)
    letter.refresh_from_db()
    assert letter.received_on is None


@pytest.mark.parametrize(("changes", "field"), [
    ({"agency": "²"}, "agency"),
    ({"agency": "9" * 40}, "agency"),
    ({"arrived_at": "0001-01-01T00:00"}, "arrived_at"),
    ({"arrived_at": "1950-01-03T10:00"}, "arrived_at"),
])
def test_odd_values_are_field_errors_not_server_errors(world, client, changes, field):
    client.force_login(world.handler)
    response = client.post(REGISTER, {**register_data(world.education), **changes})
    assert response.status_code == 200
    assert field_errors(response.content.decode(), field)
    assert nothing_written()


def test_a_double_submit_registers_once(world, client):
    client.force_login(world.handler)
    data = register_data(world.education)
    first = client.post(REGISTER, data)
    second = client.post(REGISTER, data)
    assert Application.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert AuditEntry.objects.filter(action="application.register").count() == 1
    # A token posted by someone who may not act for its agency reveals nothing.
    client.force_login(world.finance_handler)
    response = client.post(REGISTER, {**data, "agency": str(world.finance.pk)})
    assert response.status_code == 200 and "Location" not in response
    assert Application.objects.count() == 1


# ---- Personal information -------------------------------------------------------------------


def test_personal_information_stays_out_of_the_audit_log_and_the_pages(world, client):
    client.force_login(world.handler)
    response = client.post(REGISTER, register_data(world.education), follow=True)
    html = response.content.decode()
    assert ID_NUMBER not in html and PHONE not in html
    assert pii.mask_id(ID_NUMBER) in html and pii.mask_phone(PHONE) in html  # masked
    for chain in response.redirect_chain:
        assert ID_NUMBER not in chain[0] and PHONE not in chain[0]
    details = json.dumps(list(AuditEntry.objects.values("detail", "object_repr")),
                         ensure_ascii=False)
    assert ID_NUMBER not in details and PHONE not in details
    assert ID_NUMBER not in json.dumps(dict(client.session.items()), ensure_ascii=False)
