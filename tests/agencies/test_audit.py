"""The audit log only grows: no page, API or query may change or remove an entry."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tests.factories import PASSWORD
from tests.signin import Client
from xxgk.agencies import audit
from xxgk.agencies.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_record_keeps_who_what_when_which_object_and_address(world, rf):
    request = rf.post("/", REMOTE_ADDR="10.1.2.3")
    request.user = world.ogi
    entry = audit.record("agency.rename", obj=world.education, request=request,
                         detail={"from": "a", "to": "b"})
    assert entry.actor == world.ogi and entry.actor_name == "ogi"
    assert entry.object_type == "agencies.agency" and entry.object_id == str(world.education.pk)
    assert entry.agency == world.education
    assert entry.address == "10.1.2.3"
    assert entry.at is not None


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(world):
    entry = audit.record("something", actor=world.ogi)
    entry.action = "else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="else")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_an_update_even_in_raw_sql(world):
    entry = audit.record("something", actor=world.ogi)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE agencies_auditentry SET action = %s WHERE id = %s",
                       ["forged", entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "something"


def test_login_logout_and_failed_login_are_audited(world):
    client = Client(REMOTE_ADDR="127.0.0.9")
    client.post(reverse("workbench:login"), {"username": "handler", "password": "wrong"})
    client.post(reverse("workbench:login"), {"username": "handler", "password": PASSWORD})
    client.post(reverse("workbench:logout"))
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["auth.login_failed", "auth.login", "auth.logout"]
    assert "wrong" not in str(list(AuditEntry.objects.values_list("detail", flat=True)))


def test_the_admin_offers_no_way_to_change_the_log(world, client):
    entry = audit.record("something", actor=world.ogi)
    world.ogi.is_superuser = True
    world.ogi.save()
    client.force_login(world.ogi)
    change = client.get(reverse("admin:agencies_auditentry_change", args=[entry.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    delete = client.post(reverse("admin:agencies_auditentry_delete", args=[entry.pk]),
                         {"post": "yes"})
    assert delete.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_admin_changes_to_configuration_are_audited(world, client):
    world.ogi.is_superuser = True
    world.ogi.save()
    client.force_login(world.ogi)
    url = reverse("admin:agencies_agency_change", args=[world.finance.pk])
    response = client.post(url, {
        "code": world.finance.code, "name": "北京市西城区财政局（新）", "name_en": "",
        "kind": "department", "parent": world.district.pk, "sort_order": 0,
        "address": "", "phone": "", "office_hours": "", "is_active": "on",
        "staff_roles-TOTAL_FORMS": 0, "staff_roles-INITIAL_FORMS": 0,
    })
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(action="admin.change")
    assert entry.object_id == str(world.finance.pk) and entry.actor == world.ogi
