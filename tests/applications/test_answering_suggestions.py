"""An application's staff page offers the published information that may already answer
it (Art. 36(1): the reply then says where it is published), from what the application
asks for: links to the public pages, never an item that is not public."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.applications.helpers import ID_NUMBER, PHONE, apply
from tests.catalog.helpers import published_item
from xxgk.catalog import actions
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db
D = dt.date


def suggestions(html: str) -> str:
    found = re.search(r"<h3>Published information that may answer this application</h3>"
                      r"(.*?)</section>", html, re.S)
    assert found, "the section is on the page"
    return found.group(1)


@pytest.fixture
def housing(world):
    with fixed_today(D(2025, 6, 2)):
        guide = published_item(world.district, D(2025, 3, 3), D(2025, 3, 10),
                               title="西城区公共租赁住房申请指南")
        teachers = published_item(world.education, D(2025, 1, 3), D(2025, 1, 6),
                                  title="西城区教师公共租赁住房申请指南")
        draft = actions.create_item(world.education, actions.ItemText(
            title="公共租赁住房申请条件（草稿）", formed_on=D(2025, 5, 6), body="正文"))
    return guide, teachers, draft


def test_the_page_links_the_published_items_the_agencys_first(world, client, housing):
    guide, teachers, draft = housing
    application, _code = apply(world.education, description="请公开公共租赁住房的申请条件。")
    client.force_login(world.handler)
    html = client.get(reverse("applications:detail", args=[application.number]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    section = suggestions(html)
    assert section.index(f'href="{teachers.get_absolute_url()}"') < section.index(
        f'href="{guide.get_absolute_url()}"')
    assert guide.title in section and "2025-03-10" in section
    assert draft.title not in html


def test_the_document_an_application_names_is_offered_first(world, client, housing):
    guide, _teachers, _draft = housing
    application, _code = apply(world.education,
                               description="请公开《西城区公共租赁住房申请指南》。")
    client.force_login(world.handler)
    section = suggestions(client.get(reverse("applications:detail",
                                             args=[application.number]),
                                     HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert section.index(guide.get_absolute_url()) < section.index("similar")
    assert "named in the application" in section


def test_nothing_published_says_so(world, client, housing):
    application, _code = apply(world.education,
                               description=f"请公开本校食堂的承包合同。电话{PHONE}，身份证{ID_NUMBER}")
    client.force_login(world.handler)
    section = suggestions(client.get(reverse("applications:detail",
                                             args=[application.number]),
                                     HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "No published item matches what the application asks for." in section
