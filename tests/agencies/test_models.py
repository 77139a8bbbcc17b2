"""Agencies form a tree addressed by a materialised path; roles cover a subtree."""

import pytest

from tests.factories import AgencyFactory
from xxgk.agencies import access
from xxgk.agencies.models import Agency

pytestmark = pytest.mark.django_db


def test_path_is_the_chain_of_codes(world):
    assert world.district.path == "110102/"
    assert world.education.path == "110102/110102103/"


def test_subtree_is_the_agency_and_everything_below(world):
    school_office = AgencyFactory(code="110102103A", parent=world.education)
    assert set(world.education.subtree()) == {world.education, school_office}
    assert set(world.district.subtree()) == set(Agency.objects.all())


def test_a_handler_sees_only_the_own_subtree(world):
    assert set(access.visible_agencies(world.handler)) == {world.education}
    assert access.has_role(world.handler, world.education, "handler")
    assert not access.has_role(world.handler, world.finance)


def test_a_district_role_covers_every_agency_below(world):
    assert set(access.visible_agencies(world.ogi)) == set(Agency.objects.all())
    assert access.has_role(world.auditor, world.subdistrict, "auditor")
    assert not access.has_role(world.auditor, world.subdistrict, "handler")


def test_only_the_top_ogi_administrator_is_the_ogi_office(world):
    assert access.is_ogi_office(world.ogi)
    assert not access.is_ogi_office(world.handler)
    assert not access.is_ogi_office(world.auditor)


def test_visible_agencies_can_be_limited_to_roles(world):
    assert set(access.visible_agencies(world.auditor, roles=["handler"])) == set()


def test_moving_an_agency_moves_its_subtree(world):
    school_office = AgencyFactory(code="110102103A", parent=world.education)
    world.education.parent = world.finance
    world.education.save()
    school_office.refresh_from_db()
    assert school_office.path == "110102/110102109/110102103/110102103A/"
    assert set(world.finance.subtree()) == {world.finance, world.education, school_office}
