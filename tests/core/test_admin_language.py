"""The configuration pages (Django admin) read in the page's language throughout: app
names, field labels and the legal categories offered as choices."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def captions(html: str) -> list[str]:
    """The app names of the admin index, as the section headers print them."""
    return [re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<caption>(.*?)</caption>", html, re.S)]


def options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return [o for o in re.findall(r"<option[^>]*>([^<]*)</option>", select) if o != "---------"]


def test_every_app_is_named_in_english_on_english_pages(admin_client):
    client = admin_client
    client.cookies["django_language"] = "en"
    names = captions(client.get(reverse("admin:index")).content.decode())
    assert "Reconsideration and litigation" in names and "Working-day calendar" in names
    assert "Oversight and training" in names
    assert not [n for n in names if CJK.search(n)]


def test_every_app_is_named_in_chinese_on_chinese_pages(admin_client):
    client = admin_client
    names = captions(client.get(reverse("admin:index")).content.decode())
    assert len(names) > 5 and not [n for n in names if re.search(r"[A-Za-z]", n)], names


def test_legal_categories_are_offered_in_the_page_language(world, client):
    client.force_login(world.ogi)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("admin:appeals_appealcase_add")).content.decode()
    assert options(html, "result") == ["Upheld", "Corrected", "Other result", "Pending"]
    assert "Administrative litigation · Litigation after reconsideration" in options(html, "kind")
    assert "if it is in xxgk" not in html
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("admin:appeals_appealcase_add")).content.decode()
    assert options(html, "result") == ["结果维持", "结果纠正", "其他结果", "尚未审结"]


def test_letter_wordings_are_chosen_by_name_not_by_key(admin_client):
    html = admin_client.get(reverse("admin:applications_lettertemplate_add")).content.decode()
    labels = options(html, "key")
    assert labels and len(set(labels)) == len(labels)
    assert not [label for label in labels if "reply." in label or "notice." in label]
    assert "(e.g. reply.withheld)" not in html
