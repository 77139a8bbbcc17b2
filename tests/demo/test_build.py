"""`xxgk demo` builds the district modelled on the seed, deterministically and once."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from xxgk.agencies.models import Agency, AuditEntry, StaffRole
from xxgk.demo import build

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _agencies_and_staff_only(monkeypatch):
    """These tests are about the district and its accounts; the years of applications the
    later steps add have their own tests (test_demo_applications.py) and take long."""
    monkeypatch.setattr(build, "STEPS", build.STEPS[:2])


def _snapshot():
    return (
        list(Agency.objects.order_by("code").values_list("code", "name", "kind", "parent__code",
                                                         "address", "phone")),
        list(StaffRole.objects.order_by("user__username", "role")
             .values_list("user__username", "role", "agency__code")),
    )


def test_the_district_has_its_government_departments_and_subdistrict_offices():
    call_command("demo", verbosity=0)
    assert Agency.objects.filter(kind="district").count() == 1
    assert Agency.objects.filter(kind="department").count() >= 30
    assert Agency.objects.filter(kind="subdistrict").count() >= 15
    top = Agency.objects.get(kind="district")
    assert top.name == "北京市西城区人民政府"
    assert Agency.objects.exclude(pk=top.pk).filter(parent=top).count() == Agency.objects.count() - 1


def test_every_role_has_a_demo_account_that_can_log_in(client):
    call_command("demo", verbosity=0)
    roles = set(StaffRole.objects.values_list("role", flat=True))
    assert roles == set(StaffRole.Role.values)
    assert client.login(username="ogi", password=build.DEMO_PASSWORD)
    assert get_user_model().objects.get(username="ogi").is_staff


def test_running_twice_changes_nothing_and_duplicates_nothing():
    call_command("demo", verbosity=0)
    first = _snapshot()
    call_command("demo", verbosity=0)
    assert _snapshot() == first


def test_the_same_seed_builds_the_same_district():
    call_command("demo", seed=7, verbosity=0)
    first = _snapshot()
    Agency.objects.update(address="", phone="")
    call_command("demo", seed=7, verbosity=0)
    assert _snapshot() == first


def test_if_empty_leaves_a_populated_database_alone(capsys):
    call_command("demo", verbosity=0)
    Agency.objects.filter(code="110102103").update(name="改过的名字")
    call_command("demo", if_empty=True)
    assert Agency.objects.get(code="110102103").name == "改过的名字"
    assert "not rebuilt" in capsys.readouterr().out


def test_the_build_is_audited():
    call_command("demo", verbosity=0)
    assert AuditEntry.objects.filter(action="demo.build").count() == 1



@pytest.mark.parametrize(("username", "model"), [
    ("ogi", "agencies/agency"), ("ogi", "holidays/calendaryear"),
    ("ogi", "applications/lettertemplate"),
    ("security", "auth/user"), ("security", "agencies/staffrole"),
])
def test_each_duty_can_change_what_the_readme_says_it_configures(client, username, model):
    call_command("demo", verbosity=0)
    client.force_login(get_user_model().objects.get(username=username))
    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/add/").status_code == 200


def test_the_demo_has_one_account_per_duty_and_no_account_holds_two(client):
    """三员分立: system administration (ogi), security administration (security), audit
    (audit-log); the OGI office changes no account and reads no log."""
    call_command("demo", verbosity=0)
    users = get_user_model().objects
    client.force_login(users.get(username="ogi"))
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/agencies/auditentry/").status_code == 403
    client.force_login(users.get(username="audit-log"))
    assert client.get("/admin/agencies/auditentry/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
    client.force_login(users.get(username="security"))
    assert client.get("/admin/agencies/auditentry/").status_code == 403
    duties = {"ogi_admin", "security_admin", "security_auditor"}
    for user in users.filter(staff_roles__role__in=duties).distinct():
        held = set(user.staff_roles.values_list("role", flat=True)) & duties
        assert len(held) == 1, user.username
