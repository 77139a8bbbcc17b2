"""Training sessions: the OGI office records them through the form; the record is audited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from xxgk.agencies.models import AuditEntry
from xxgk.oversight import actions
from xxgk.oversight.models import Training

pytestmark = pytest.mark.django_db

NEW = reverse("oversight:training_create")
LIST = reverse("oversight:trainings")


def _login(client, username):
    assert client.login(username=username, password=PASSWORD)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _post(world, **overrides):
    data = {"agency": world.district.pk, "date": "2023-04-12",
            "title": "政府信息与政务公开工作专题培训", "attendees": "45",
            "agencies": [world.education.pk, world.finance.pk], "notes": "区政府第二会议室"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_ogi_office_records_a_session_and_it_is_audited(client, world):
    response = _login(client, "ogi").post(NEW, _post(world))
    assert response.status_code == 302 and response["Location"] == f"{LIST}?year=2023"
    training = Training.objects.get()
    assert training.agency == world.district and training.attendees == 45
    assert set(training.agencies.all()) == {world.education, world.finance}
    assert training.recorded_by == world.ogi
    entry = AuditEntry.objects.get(action="oversight.training.record")
    assert entry.actor == world.ogi and entry.object_id == str(training.pk)
    assert entry.detail == {"date": "2023-04-12", "attendees": 45,
                            "agencies": [world.education.code, world.finance.code]}
    assert entry.address == "127.0.0.1"
    listing = client.get(LIST, {"year": 2023}).content.decode()
    assert "政府信息与政务公开工作专题培训" in listing and "区政府第二会议室" in listing


def test_all_agencies_below_the_organiser_in_one_tick(client, world):
    response = _login(client, "ogi").post(NEW, _post(world, agencies=None, everyone="on"))
    assert response.status_code == 302
    assert set(Training.objects.get().agencies.all()) == {
        world.education, world.finance, world.subdistrict}


@pytest.mark.parametrize(("field", "overrides"), [
    ("title", {"title": "  "}),
    ("date", {"date": "not a date"}),
    ("date", {"date": "tomorrow"}),  # worked out when the test runs, not when collected
    ("attendees", {"attendees": "0"}),
    ("attendees", {"attendees": "1"}),  # two agencies cannot be one person
    ("attendees", {"attendees": "many"}),
    ("agencies", {"agencies": None}),
    ("agencies", {"agencies": ["999999"]}),
    ("agency", {"agency": "999999"}),
])
def test_bad_input_is_a_field_error_and_records_nothing(client, world, field, overrides):
    if overrides.get("date") == "tomorrow":
        overrides = {"date": (timezone.localdate() + dt.timedelta(days=1)).isoformat()}
    response = _login(client, "ogi").post(NEW, _post(world, **overrides))
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    body = response.content.decode()
    assert f'aria-describedby="id_{field}' in body or f'id="id_{field}_error"' in body
    assert not Training.objects.exists()
    assert not AuditEntry.objects.filter(action="oversight.training.record").exists()


def test_the_same_session_twice_is_refused(client, world):
    client = _login(client, "ogi")
    assert client.post(NEW, _post(world)).status_code == 302
    response = client.post(NEW, _post(world))
    assert response.status_code == 422 and response.context["form"].errors["title"]
    assert Training.objects.count() == 1


def test_only_the_ogi_office_may_record(client, world):
    client = _login(client, "handler")
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _post(world)).status_code == 403
    assert not Training.objects.exists()
    with pytest.raises(actions.TrainingError):
        actions.record_training(agency=world.district, date=dt.date(2023, 4, 12), title="t",
                                attendees=5, agencies=[world.education], actor=world.handler)


def test_a_handler_sees_the_sessions_their_agency_attended_only(client, world):
    actions.record_training(agency=world.district, date=dt.date(2023, 4, 12), title="全区培训",
                            attendees=5, agencies=[world.education, world.finance])
    actions.record_training(agency=world.district, date=dt.date(2023, 5, 12), title="财政专场",
                            attendees=5, agencies=[world.finance])
    body = _login(client, "handler").get(LIST, {"year": 2023}).content.decode()
    assert "全区培训" in body and "财政专场" not in body
    assert NEW not in body


def test_the_ogi_office_corrects_sessions_in_the_audited_admin_but_adds_them_by_form(client,
                                                                                   world):
    training = actions.record_training(agency=world.district, date=dt.date(2023, 4, 12),
                                       title="全区培训", attendees=5, agencies=[world.education])
    client = _login(client, "ogi")
    assert client.get(reverse("admin:oversight_training_changelist")).status_code == 200
    assert client.get(reverse("admin:oversight_training_add")).status_code == 403
    change = reverse("admin:oversight_training_change", args=[training.pk])
    response = client.post(change, {"agency": world.district.pk, "date": "2023-04-12",
                                    "title": "全区培训", "attendees": "6",
                                    "agencies": [world.education.pk], "notes": ""})
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.attendees == 6
    assert AuditEntry.objects.filter(action="admin.change", object_id=str(training.pk)).exists()
