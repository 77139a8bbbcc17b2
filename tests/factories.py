"""Factories for test data (factory_boy), and the small district most tests act in."""

from __future__ import annotations

from dataclasses import dataclass

import factory
from django.contrib.auth import get_user_model

from xxgk.agencies.models import Agency, StaffRole

PASSWORD = "test-pass-123"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:05d}")
    name = factory.Sequence(lambda n: f"测试机关{n}")
    name_en = factory.Sequence(lambda n: f"Test agency {n}")
    kind = Agency.Kind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = StaffRole.Role.HANDLER


@dataclass
class World:
    district: Agency
    education: Agency
    finance: Agency
    subdistrict: Agency
    ogi: object
    handler: object
    reviewer: object
    auditor: object
    finance_handler: object


def staff(username: str, agency: Agency, staff_role: str, **extra):
    """An account holding ``staff_role`` on ``agency``."""
    user = UserFactory(username=username, **extra)
    StaffRoleFactory(user=user, agency=agency, role=staff_role)
    return user


def security_duties(world: World) -> tuple[object, object]:
    """The security administrator and the security auditor of ``world`` (三员分立), apart
    from the world so that the tests about records never meet them."""
    return (staff("security", world.district, StaffRole.Role.SECURITY_ADMIN, is_staff=True),
            staff("audit-log", world.district, StaffRole.Role.SECURITY_AUDITOR, is_staff=True))


def build_world() -> World:
    district = AgencyFactory(code="110102", name="北京市西城区人民政府",
                             name_en="Xicheng District People's Government",
                             kind=Agency.Kind.DISTRICT)
    education = AgencyFactory(code="110102103", name="北京市西城区教育委员会",
                              name_en="Xicheng District Education Commission", parent=district)
    finance = AgencyFactory(code="110102109", name="北京市西城区财政局",
                            name_en="Xicheng District Finance Bureau", parent=district)
    subdistrict = AgencyFactory(code="110102012", name="北京市西城区什刹海街道办事处",
                                name_en="Shichahai Sub-district Office", parent=district,
                                kind=Agency.Kind.SUBDISTRICT)
    role = StaffRole.Role
    return World(
        district=district, education=education, finance=finance, subdistrict=subdistrict,
        ogi=staff("ogi", district, role.OGI_ADMIN, is_staff=True),
        handler=staff("handler", education, role.HANDLER),
        reviewer=staff("reviewer", education, role.REVIEWER),
        auditor=staff("auditor", district, role.AUDITOR),
        finance_handler=staff("fin", finance, role.HANDLER),
    )


def published_report(agency: Agency, year: int, snapshot: dict | None = None):
    """A published annual report of ``agency`` for ``year`` that locks the period, as
    ``reports.actions.publish`` leaves it (without computing or checking anything)."""
    from xxgk.core import periods
    from xxgk.reports.models import AnnualReport

    report = AnnualReport.objects.create(agency=agency, year=year, state="published",
                                         locked=True, snapshot=snapshot or {})
    periods.lock(agency, year)
    return report
