"""A crawl of the public site from the home page, in Chinese and in English, as a visitor
(or a website inspector) would make it: every link it finds opens, no column is blank, and
nothing that is not public — an applicant's identity, a draft, a withheld or withdrawn
item — appears on any page."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from lxml import html as lxml_html

from tests.applications.helpers import ADDRESS, EMAIL, ID_NUMBER, PHONE, apply
from tests.catalog.helpers import published_interpretation, published_policy, text
from tests.files import PDF
from xxgk.catalog import actions, files
from xxgk.catalog.models import Category
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db
D = dt.date
# Not the public site: staff pages, configuration, the API's JSON, the language switch
# (a POST form) and the follow page behind a query code.
NOT_PUBLIC = ("/staff/", "/admin/", "/api/", "/i18n/", "/static/")
MAX_PAGES = 600
SECRET_TITLES = ("不予公开的内部请示", "尚未审核的草稿通知", "已撤回的错误通知")


@pytest.fixture
def site(world):
    with fixed_today(D(2025, 6, 2)):
        area = Category.objects.get(code="ywjy")
        item = actions.create_item(world.education, text(
            "2025年西城区义务教育阶段入学工作实施意见", category=area,
            title_en="Compulsory education enrolment, 2025", body_en="<p>Enrolment.</p>",
            channels=("weibo",)))
        actions.add_attachment(item, files.check_file("入学意见.pdf", PDF))
        actions.publish(item, D(2025, 3, 10))
        policy = published_policy(world.district, "normative_documents", D(2025, 2, 3))
        published_interpretation(policy, D(2025, 2, 5))
        actions.create_item(world.education, text(
            SECRET_TITLES[0], attribute="withheld", withholding_ground="withheld.internal_affairs"))
        actions.create_item(world.education, text(SECRET_TITLES[1]))
        withdrawn = actions.publish(
            actions.create_item(world.education, text(SECRET_TITLES[2])), D(2025, 3, 4))
        actions.withdraw(withdrawn, "内容有误")
    apply(world.education)
    return item, policy


def _links(page_url: str, document) -> set[str]:
    found = set()
    for href in document.xpath("//a/@href"):
        url = urldefrag(href).url
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, mailto:, or a relative link we don't write
        if parts.path.startswith(NOT_PUBLIC):
            continue
        found.add(url)
    return found


def _crawl(client) -> dict[str, tuple[int, str]]:
    seen: dict[str, tuple[int, str]] = {}
    queue = ["/"]
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url, follow=True)
        body = response.content.decode("utf-8", "replace")
        seen[url] = (response.status_code, body)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            queue.extend(sorted(_links(url, lxml_html.fromstring(body)) - seen.keys()))
    return seen


def _main_is_blank(body: str) -> bool:
    """A column page with a heading and nothing under it (空白栏目)."""
    document = lxml_html.fromstring(body)
    main = document.xpath("//main")
    if not main:
        return False
    words = "".join(main[0].itertext()).split()
    headings = " ".join("".join(h.itertext()) for h in main[0].xpath(".//h1")).split()
    return len(words) <= len(headings)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_crawl_from_the_home_page_finds_no_error_no_blank_column_and_nothing_private(
        site, client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = _crawl(client)
    item, policy = site
    assert {item.get_absolute_url(), policy.get_absolute_url()} <= pages.keys(), \
        "the crawl did not reach the published items"
    errors = {url: status for url, (status, _body) in pages.items() if status >= 400}
    assert not errors
    for url, (_status, body) in pages.items():
        for private in (ID_NUMBER, PHONE, ADDRESS, EMAIL, "张三", *SECRET_TITLES):
            assert private not in body, f"{private!r} on {url}"
        if "html" in body[:200].lower() or body.lstrip().startswith("<!DOCTYPE"):
            assert not _main_is_blank(body), f"blank column: {url}"
