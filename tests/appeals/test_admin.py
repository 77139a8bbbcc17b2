"""The configuration pages: the OGI office reads and corrects cases, audited; no one else."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.appeals.helpers import case
from tests.factories import StaffRoleFactory, UserFactory
from xxgk.agencies.models import AuditEntry, StaffRole

pytestmark = pytest.mark.django_db


def test_the_ogi_office_lists_and_corrects_cases(world, client):
    recorded = case(world.education)
    client.force_login(world.ogi)
    assert client.get(reverse("admin:appeals_appealcase_changelist")).status_code == 200
    url = reverse("admin:appeals_appealcase_change", args=[recorded.pk])
    form = {"agency": world.education.pk, "application": "", "kind": "reconsideration",
            "case_number": recorded.case_number, "filed_on": "2023-03-01", "body": recorded.body,
            "result": "upheld", "decided_on": "", "notes": "",
            "documents-TOTAL_FORMS": "0", "documents-INITIAL_FORMS": "0"}
    response = client.post(url, form)
    assert response.status_code == 200  # a result without its date is refused at the field
    assert "decided_on" in response.context["adminform"].form.errors
    response = client.post(url, {**form, "decided_on": "2023-04-01"})
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.result == "upheld" and recorded.decided_on == dt.date(2023, 4, 1)
    assert AuditEntry.objects.filter(action="admin.change", object_id=str(recorded.pk)).exists()


def test_other_staff_accounts_do_not_see_the_cases(world, client):
    staff = UserFactory(username="staff-handler", is_staff=True)
    StaffRoleFactory(user=staff, agency=world.education, role=StaffRole.Role.HANDLER)
    client.force_login(staff)
    assert client.get(reverse("admin:appeals_appealcase_changelist")).status_code == 403
