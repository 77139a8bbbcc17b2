"""The staff home: only for staff, showing their roles and the agencies in their scope."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("workbench:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workbench:login"))


def test_an_account_without_a_role_is_refused(world, client):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("workbench:home")).status_code == 403


def test_a_handler_sees_the_own_agency_only(world, client):
    client.force_login(world.handler)
    html = client.get(reverse("workbench:home")).content.decode()
    assert "北京市西城区教育委员会" in html
    assert "北京市西城区财政局" not in html


def test_the_ogi_office_sees_every_agency(world, client):
    client.force_login(world.ogi)
    html = client.get(reverse("workbench:home")).content.decode()
    assert "北京市西城区财政局" in html and "北京市西城区什刹海街道办事处" in html
