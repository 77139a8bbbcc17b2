"""The meta tags government-site crawlers read, on every public page; the large-text,
high-contrast mode and the language switch without JavaScript."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

pytestmark = pytest.mark.django_db


def _meta(response) -> dict[str, str]:
    document = lxml_html.fromstring(response.content.decode())
    return {m.get("name"): m.get("content") for m in document.xpath("//head/meta[@name]")}


@pytest.mark.parametrize("url", ["/", "/xxgk/", "/guide/", "/xxgk/gkzd/", "/xxgk/fdzdgknr/",
                                 "/xxgk/list/", "/xxgk/policies/", "/apply/", "/reports/"])
def test_every_public_page_names_the_site_and_its_column(catalogue, client, settings, url):
    settings.XXGK_SITE_NAME = "北京市西城区人民政府网站"
    settings.XXGK_SITE_DOMAIN = "www.bjxch.gov.cn"
    settings.XXGK_SITE_ID_CODE = "1101020001"
    meta = _meta(client.get(url))
    assert meta["SiteName"] == "北京市西城区人民政府网站"
    assert meta["SiteDomain"] == "www.bjxch.gov.cn"
    assert meta["SiteIDCode"] == "1101020001"
    assert meta["ColumnName"]
    assert "ArticleTitle" not in meta


def test_without_configuration_the_site_is_the_top_agency_on_the_host_asked_for(world, client):
    meta = _meta(client.get("/xxgk/", HTTP_HOST="localhost"))
    assert meta["SiteName"] == "北京市西城区人民政府"
    assert meta["SiteDomain"] == "localhost"
    assert "SiteIDCode" not in meta


def test_an_item_page_names_the_article_its_date_and_source(catalogue, english):
    meta = _meta(Client().get(catalogue.budget.get_absolute_url()))
    assert meta["ArticleTitle"] == "西城区2025年部门预算公开"
    assert meta["PubDate"] == "2025-02-14"
    assert meta["ContentSource"] == "北京市西城区财政局"
    assert meta["ColumnName"]
    english_meta = _meta(english.get(catalogue.enrolment.get_absolute_url()))
    assert english_meta["ArticleTitle"] == "Compulsory education enrolment, 2025"
    assert english_meta["ContentSource"] == "Xicheng District Education Commission"
    assert english_meta["ColumnName"] == "Statutory proactive disclosure"


def test_the_columns_are_named_by_the_page(world, english):
    names = {url: _meta(english.get(url))["ColumnName"]
             for url in ("/xxgk/", "/guide/", "/xxgk/gkzd/", "/xxgk/policies/", "/apply/",
                         "/reports/", "/")}
    assert names == {
        "/xxgk/": "Open government information",
        "/guide/": "Guide to open government information",
        "/xxgk/gkzd/": "Rules on open government information",
        "/xxgk/policies/": "Policy library",
        "/apply/": "Disclosure on application",
        "/reports/": "Annual reports on open government information",
        "/": "Home",
    }


def test_large_text_is_a_link_and_a_cookie_without_javascript(world, client):
    page = client.get("/xxgk/").content.decode()
    assert '<html lang="zh-Hans">' in page
    link = lxml_html.fromstring(page).xpath('//a[@class="display-switch"]/@href')[0]
    assert link == reverse("portal:display", args=["large"]) + "?next=/xxgk/"
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == "/xxgk/"
    assert response.cookies["xxgk_display"].value == "large"
    page = client.get("/xxgk/").content.decode()
    assert '<html lang="zh-Hans" class="large-text">' in page
    back = lxml_html.fromstring(page).xpath('//a[@class="display-switch"]/@href')[0]
    assert back.startswith(reverse("portal:display", args=["standard"]))
    client.get(back)
    assert 'class="large-text"' not in client.get("/xxgk/").content.decode()


def test_the_stylesheet_has_the_large_text_and_print_rules(client):
    with open(finders.find("xxgk/site.css"), encoding="utf-8") as f:
        css = f.read()
    assert "html.large-text {" in css and "@media print" in css


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_the_switches_go_back_only_to_this_site(world, client, target):
    for url in (reverse("portal:display", args=["large"]), reverse("portal:language")):
        response = client.get(url, {"next": target, "language": "en"})
        assert response["Location"] == "/"


def test_unknown_modes_and_languages_are_404(world, client):
    assert client.get(reverse("portal:display", args=["neon"])).status_code == 404
    assert client.get(reverse("portal:language"), {"language": "fr"}).status_code == 404


def test_the_language_switch_is_a_form_without_a_token(world, client):
    page = client.get("/xxgk/").content.decode()
    form = lxml_html.fromstring(page).xpath('//form[@class="lang-switch"]')[0]
    assert form.get("method") == "get" and not form.xpath('.//input[@name="csrfmiddlewaretoken"]')
    response = client.get(form.get("action"), {"language": "en", "next": "/xxgk/"})
    assert response["Location"] == "/xxgk/"
    assert '<html lang="en">' in client.get("/xxgk/").content.decode()
