"""WCAG 2.1 AA on every public page template, checked by axe-core in Chromium, in Chinese and
in English; the large-text, high-contrast mode (适老化) switched on by a link, without any
script; every page readable on a 390 px phone without scrolling sideways; the keyboard: a
skip link first, and a visible focus on every link and button.

Each public template is reached through one real address (a template with states, such as
a form and its errors, once per state). The data is made through the actions layers, as
staff and applicants would make it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import timezone

from tests.applications.helpers import apply as submit_application
from tests.catalog.helpers import published_interpretation, published_policy, text
from tests.factories import build_world
from tests.files import PDF
from tests.reports.helpers import YEAR, build_year, finish_narrative
from xxgk.applications import actions as applications
from xxgk.applications.models import Application
from xxgk.catalog import actions, bulk, files
from xxgk.catalog.models import Category, InfoItem, PolicyDocument
from xxgk.portal import display
from xxgk.reports import actions as reports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_AA},
               "resultTypes": ["violations", "incomplete"]}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ERROR_PAGE = Path(settings.BASE_DIR) / "templates" / "500.html"
LANGUAGES = ("zh-hans", "en")


@dataclass
class Site:
    """What the public pages show: one record for each state a template has."""

    item: InfoItem              # English version, attachment, channels, key area
    chinese_only: InfoItem      # no English version
    repealed: PolicyDocument    # repealed by ``policy``: the notice and its successor
    policy: PolicyDocument      # with an interpretation and a validity history
    interpretation: InfoItem
    application: Application    # received, the applicant asked to correct it
    query_code: str
    education_pk: int


def build_site() -> Site:
    world = build_world()
    area = Category.objects.get(code="ywjy")

    item = actions.create_item(world.education, text(
        "2025年西城区义务教育阶段入学工作实施意见", category=area,
        title_en="Compulsory education enrolment, 2025",
        body="<p>各学校：</p><p>现将2025年义务教育阶段入学工作有关事项通知如下。</p>"
             "<table><tr><th>学段</th><th>登记时间</th></tr><tr><td>小学</td><td>5月</td></tr></table>",
        body_en="<p>How children are enrolled in 2025.</p>", channels=("weibo", "wechat"),
        topic_words="教育 入学", doc_no="西教发〔2025〕3号", formed=dt.date(2025, 3, 3)))
    actions.add_attachment(item, files.check_file("入学意见.pdf", PDF))
    actions.add_attachment(item, files.check_file("入学登记表.pdf", PDF))
    item = actions.publish(item, dt.date(2025, 3, 10))
    chinese_only = actions.publish(actions.create_item(world.finance, text(
        "西城区2025年部门预算公开", category=Category.objects.get(code="czyjs"),
        body="<p>预算正文</p>", formed=dt.date(2025, 2, 10))), dt.date(2025, 2, 14))
    # A listing long enough to be paged.
    bulk.publish_history(world.education, [
        bulk.HistoryRecord(title=f"西城区教育委员会关于2024年第{n}批中小学校舍维修项目的公示",
                           published_on=dt.date(2024, 1, 2) + dt.timedelta(days=7 * n),
                           category=area, key_area=True)
        for n in range(1, 23)])

    repealed = published_policy(world.district, "normative_documents", dt.date(2019, 4, 1))
    policy = published_policy(world.district, "normative_documents", dt.date(2025, 2, 3))
    actions.record_validity_change(repealed, on=dt.date(2025, 2, 3), validity="repealed",
                                   by_document=policy)
    interpretation = published_interpretation(policy, dt.date(2025, 2, 5))

    # A published annual report of the district, as the OGI office publishes it.
    world.district.report_covers_subtree = True
    world.district.save()
    build_year(world)
    report = reports.start_draft(world.district, YEAR, actor=world.ogi)
    finish_narrative(report)
    reports.approve(report, actor=world.ogi)
    reports.publish(report, actor=world.ogi)

    today = timezone.localdate()
    application, code = submit_application(world.education, delivery="online")
    applications.confirm_receipt(application, received_on=today)
    applications.request_correction(application, what="请写明所需文件的年份。", on=today,
                                    deadline=today + dt.timedelta(days=14))
    repealed.refresh_from_db()
    return Site(item=item, chinese_only=chinese_only, repealed=repealed, policy=policy,
                interpretation=interpretation, application=application, query_code=code,
                education_pk=world.education.pk)


# --- the pages ----------------------------------------------------------------------------

Visit = Callable[[object, str], None]


def _goto(path: str) -> Visit:
    def visit(page, base: str) -> None:
        page.goto(base + path)
    return visit


def _apply_with_errors(page, base: str) -> None:
    page.goto(base + "/apply/")
    page.locator("form.apply-form button[type=submit]").click()
    page.wait_for_selector("#apply-errors")


def _apply(site: Site) -> Visit:
    def visit(page, base: str) -> None:
        page.goto(base + "/apply/")
        page.check("input[name=applicant_type][value=natural_person]")
        page.fill("#id_name", "王五")
        page.select_option("#id_id_document_type", "resident_id")
        page.fill("#id_id_number", "11010519491231002X")
        page.fill("#id_phone", "13812345678")
        page.select_option("#id_agency", str(site.education_pk))
        page.fill("#id_description", "请公开2024年西城区中小学校舍维修项目的验收报告。")
        page.check("input[name=provision_form][value=electronic]")
        page.check("input[name=delivery][value=online]")
        page.locator("form.apply-form button[type=submit]").click()
        page.wait_for_url(base + "/apply/submitted/")
    return visit


def _follow(number: str, code: str, *, expect_error: bool = False) -> Visit:
    def visit(page, base: str) -> None:
        page.goto(base + "/apply/follow/")
        page.fill("#id_number", number)
        page.fill("#id_query_code", code)
        page.locator("main form button[type=submit]").click()
        if expect_error:
            page.wait_for_selector("#follow-errors")
        else:
            page.wait_for_url(f"{base}/apply/{number}/")
    return visit


def _letter(site: Site) -> Visit:
    def visit(page, base: str) -> None:
        _follow(site.application.number, site.query_code)(page, base)
        page.locator("ul.documents a").first.click()
        page.wait_for_load_state()
    return visit


def _correct(site: Site) -> Visit:
    """The applicant sends the correction: the page comes back with a message."""
    def visit(page, base: str) -> None:
        _follow(site.application.number, site.query_code)(page, base)
        form = page.locator("form[action$='/correct/']")
        form.locator("textarea").fill("所需文件为2024年度的验收报告。")
        form.locator("button[type=submit]").click()
        page.wait_for_selector(".messages")
    return visit


def _login_refused(page, base: str) -> None:
    page.goto(base + "/staff/login/")
    page.fill("#id_username", "handler")
    page.fill("#id_password", "not the password")
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".error-summary")


def _server_error(page, base: str) -> None:
    # 500.html is a static page (it must render when nothing else can): shown as served.
    page.goto(base + "/")
    page.set_content(ERROR_PAGE.read_text(encoding="utf-8"))


def public_pages(site: Site) -> list[tuple[str, Visit]]:
    """Every template a public address renders, each with the address that shows it."""
    report = f"/reports/110102/{YEAR}/"
    return [
        ("portal/home.html", _goto("/")),
        ("portal/column.html", _goto("/xxgk/")),
        ("portal/guide.html", _goto("/guide/")),
        ("portal/rules.html", _goto("/xxgk/gkzd/")),
        ("portal/catalogue.html", _goto("/xxgk/fdzdgknr/")),
        ("portal/listing.html (a class, paged)", _goto("/xxgk/fdzdgknr/ywjy/")),
        ("portal/listing.html (an agency)", _goto("/xxgk/agency/110102109/")),
        ("portal/item.html (attachments, channels)", _goto(f"/xxgk/item/{site.item.pk}/")),
        ("portal/item.html (Chinese only)", _goto(f"/xxgk/item/{site.chinese_only.pk}/")),
        ("portal/item.html (repealed policy)", _goto(f"/xxgk/item/{site.repealed.pk}/")),
        ("portal/item.html (policy with interpretations)", _goto(f"/xxgk/item/{site.policy.pk}/")),
        ("portal/item.html (interpretation)", _goto(f"/xxgk/item/{site.interpretation.pk}/")),
        ("portal/policies.html (filtered)",
         _goto("/xxgk/policies/?kind=normative_documents&agency=110102&validity=")),
        ("portal/policies.html (a refused filter)", _goto("/xxgk/policies/?year=1800")),
        ("search/search.html (results, facets)", _goto("/search/?q=入学")),
        ("search/search.html (nothing found)", _goto("/search/?q=火星移民")),
        ("search/search.html (empty)", _goto("/search/")),
        ("applications/public/apply.html", _goto("/apply/")),
        ("applications/public/apply.html (errors)", _apply_with_errors),
        ("applications/public/submitted.html", _apply(site)),
        ("applications/public/follow.html", _goto("/apply/follow/")),
        ("applications/public/follow.html (errors)",
         _follow(site.application.number, "WRONGCODE", expect_error=True)),
        ("applications/public/detail.html (correction asked)",
         _follow(site.application.number, site.query_code)),
        ("applications/public/letter_preparing.html", _letter(site)),
        ("applications/public/detail.html (a message: correction received)", _correct(site)),
        ("reports/public/list.html", _goto("/reports/")),
        ("reports/public/report.html", _goto(report)),
        ("reports/public/preparing.html", _goto(report + "download/pdf/")),
        # Linked from every public page's navigation.
        ("workbench/login.html", _goto("/staff/login/")),
        ("workbench/login.html (refused)", _login_refused),
        ("404.html", _goto("/xxgk/item/999999999/")),
        ("500.html", _server_error),
    ]


# --- helpers ------------------------------------------------------------------------------

def _context(browser, base: str, language: str, *, large: bool = False, viewport=DESKTOP):
    context = browser.new_context(locale="en-GB" if language == "en" else "zh-CN",
                                  viewport=viewport, java_script_enabled=True)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    if large:
        cookies.append({"name": display.COOKIE, "value": "large", "url": base})
    context.add_cookies(cookies)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


# The contrast of text whose background axe-core could not work out (it reports such text
# as "incomplete": under a positioned element, say), measured here from the text's colour
# and the nearest opaque background behind it, with WCAG's formula.
CONTRAST = """(targets) => {
  const rgba = c => { const v = (c.match(/[\\d.]+/g) || []).map(Number); return v.length === 3 ? [...v, 1] : v; };
  const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  return targets.map(target => {
    const element = document.querySelector(target);
    let behind = [255, 255, 255, 1];
    for (let e = element; e; e = e.parentElement) {
      const colour = rgba(getComputedStyle(e).backgroundColor);
      if (colour[3] === 1) { behind = colour; break; }
    }
    const [lighter, darker] = [luminance(rgba(getComputedStyle(element).color)), luminance(behind)]
      .sort((a, b) => b - a);
    return (lighter + 0.05) / (darker + 0.05);
  });
}"""


def _undecided_contrast(page, incomplete: list[dict]) -> list[str]:
    """The text axe-core left undecided for contrast that is in fact below the ratio WCAG
    asks for: text the colour of its background (axe's "equalRatio", as when a link's colour
    is as dark as the button it is drawn as), or too faint against what is behind it."""
    nodes = [node for rule in incomplete if rule["id"] == "color-contrast"
             for node in rule["nodes"]]
    if not nodes:
        return []
    ratios = page.evaluate(CONTRAST, [node["target"][0] for node in nodes])
    failures = []
    for node, measured in zip(nodes, ratios, strict=True):
        data = node["any"][0]["data"]
        expected = float(data["expectedContrastRatio"].split(":")[0])
        ratio = data["contrastRatio"] if data.get("fgColor") and data.get("bgColor") else measured
        if ratio < expected:
            failures.append(f"color-contrast: {ratio:.2f}:1 < {expected}:1 at "
                            f"{node['target'][0]}: {node['html'][:160]}")
    return failures


def _violations(page) -> str:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page, a title that is not one,
    and too little contrast where axe could not decide: a readable report ('' if none)."""
    results = Axe().run(page, options=AXE_OPTIONS)
    report = results.generate_report() if results.violations_count else ""
    title = page.title()
    if not title.strip() or "<" in title:  # WCAG 2.4.2, which axe checks only for presence
        report += f"\nThe page's title is not a title: {title[:160]!r}"
    undecided = _undecided_contrast(page, results.response["incomplete"])
    if undecided:
        report += "\nToo little contrast where axe-core could not decide:\n" + "\n".join(undecided)
    return report


def _check_every_page(browser, base: str, site: Site, language: str, check, **context_args
                      ) -> list[str]:
    """Visit every public page in a fresh browser and collect what ``check`` finds wrong on
    each, so that one run names every failing page."""
    context, page = _context(browser, base, language, **context_args)
    failures = []
    try:
        for name, visit in public_pages(site):
            visit(page, base)
            problem = check(page)
            if problem:
                failures.append(f"--- {name} [{language}] {page.url}\n{problem}")
    finally:
        context.close()
    return failures


def _font_size(page, selector: str) -> float:
    return page.eval_on_selector(
        selector, "e => parseFloat(getComputedStyle(e).fontSize)")


# --- the tests ----------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_passes_axe(live_server, browser, language):
    site = build_site()
    failures = _check_every_page(browser, live_server.url, site, language, _violations)
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_large_text_mode_passes_axe(live_server, browser, language):
    site = build_site()
    failures = _check_every_page(browser, live_server.url, site, language, _violations,
                                 large=True)
    assert not failures, "\n\n".join(failures)


def test_the_large_text_mode_is_a_link_and_a_cookie_without_script(live_server, browser):
    site = build_site()
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        address = f"{base}/xxgk/item/{site.item.pk}/"
        page.goto(address)
        assert page.locator("html").get_attribute("class") in (None, "")
        standard = {s: _font_size(page, s) for s in ("html", "main h1", ".item-body", "th")}

        # The header's switch (its wording is the catalogue's; found by its place).
        page.locator("a.display-switch").click()
        page.wait_for_url(address)
        assert "large-text" in page.locator("html").get_attribute("class")
        assert any(c["name"] == display.COOKIE and c["value"] == "large"
                   for c in context.cookies())
        large = {s: _font_size(page, s) for s in standard}
        for selector, size in standard.items():
            assert large[selector] >= size * 1.15, (selector, size, large[selector])

        # The mode stays on from page to page, and the same link turns it off.
        page.locator("nav.site-nav a[href='/xxgk/policies/']").click()
        page.wait_for_url(f"{base}/xxgk/policies/")
        assert "large-text" in page.locator("html").get_attribute("class")
        page.locator("a.display-switch").click()
        page.wait_for_url(f"{base}/xxgk/policies/")
        assert page.locator("html").get_attribute("class") in (None, "")
        assert _font_size(page, "html") == standard["html"]
    finally:
        context.close()


def _sideways(page) -> str:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    if width <= PHONE["width"]:
        return ""
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
        .filter(e => !e.closest('.table-scroll, table.data'))
        .slice(0, 5).map(e => e.outerHTML.slice(0, 160))""")
    return f"scrollWidth {width} > {PHONE['width']}; too wide: {wide}"


@pytest.mark.parametrize("large", [False, True], ids=["standard", "large"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_scrolls_sideways_on_a_phone(live_server, browser, language, large):
    site = build_site()
    failures = _check_every_page(browser, live_server.url, site, language, _sideways,
                                 large=large, viewport=PHONE)
    assert not failures, "\n\n".join(failures)


# What has the focus, and how well its focus indicator (the outline, or a box shadow) stands
# out from what is around it (WCAG 1.4.11: 3:1): its colour against the colour just outside
# the ring (1 px beyond it), taken at the middle of each side that is on the screen.
FOCUSED = """() => {
  const rgba = c => { const v = (c.match(/[\\d.]+/g) || []).map(Number); return v.length === 3 ? [...v, 1] : v; };
  const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const ratio = (a, b) => { const [l, d] = [luminance(a), luminance(b)].sort((x, y) => y - x); return (l + 0.05) / (d + 0.05); };
  const background = e => {
    for (; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor); if (c[3] === 1) return c; }
    return [255, 255, 255, 1];
  };
  const e = document.activeElement, s = getComputedStyle(e);
  const width = s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth);
  const shadow = s.boxShadow === 'none' ? null : s.boxShadow.match(/rgba?\\([^)]*\\)/);
  const spread = shadow ? Math.max(...(s.boxShadow.match(/[\\d.]+px/g) || ['0']).map(parseFloat)) : 0;
  const indicators = [...(width >= 2 ? [rgba(s.outlineColor)] : []), ...(shadow ? [rgba(shadow[0])] : [])];
  const r = e.getBoundingClientRect(), ring = width ? width + parseFloat(s.outlineOffset || 0) : -Infinity;
  const out = Math.max(ring, shadow ? spread : -Infinity) + 1;
  const around = [[r.left + r.width / 2, r.top - out], [r.left + r.width / 2, r.bottom + out],
                  [r.left - out, r.top + r.height / 2], [r.right + out, r.top + r.height / 2]]
    .filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight)
    .map(([x, y]) => document.elementsFromPoint(x, y).find(o => o !== e && !e.contains(o)))
    .map(background);
  // A ring of two colours that contrast with each other shows on any background (C40).
  const contrast = Math.max(0, ...indicators.map(c => Math.min(...around.map(b => ratio(c, b)), 21)),
                            indicators.length === 2 ? ratio(...indicators) : 0);
  return {tag: e.tagName.toLowerCase(), id: e.id, cls: String(e.className),
          text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 40),
          contrast: Math.round(contrast * 100) / 100};
}"""


def _tab_through(page) -> list[dict]:
    """Every Tab stop of the page, from the top until the focus leaves the page."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    stops = []
    for _stop in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "body" or (stops and focused["cls"] == "skip-link"):
            return stops
        stops.append(focused)
    raise AssertionError("more than 200 Tab stops: is the focus trapped?")


@pytest.mark.parametrize("large", [False, True], ids=["standard", "large"])
def test_the_keyboard_skips_to_main_and_always_shows_the_focus(live_server, browser, large):
    site = build_site()
    base = live_server.url
    context, page = _context(browser, base, "zh-hans", large=large)
    try:
        page.goto(f"{base}/xxgk/policies/")
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUSED)
        assert first["cls"] == "skip-link" and first["text"] == "跳到主要内容", first
        box = page.locator(".skip-link").bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0  # on the screen once focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        page.keyboard.press("Tab")  # and the next stop is the page's own first link
        assert page.evaluate("document.activeElement.closest('main') !== null")

        # Every stop shows where the focus is, clearly against what is around it: the
        # header's links and buttons on red, the filters, the form controls, the tables.
        faint, tags = [], set()
        for path in ("/", "/xxgk/policies/", f"/xxgk/item/{site.policy.pk}/", "/apply/",
                     f"/reports/110102/{YEAR}/"):
            page.goto(base + path)
            stops = _tab_through(page)
            tags.update(stop["tag"] for stop in stops)
            faint += [(path, stop) for stop in stops if stop["contrast"] < 3]
        assert not faint, "focus not visible enough (contrast < 3:1):\n" + "\n".join(
            f"{path}: {stop}" for path, stop in faint)
        assert {"a", "button", "input", "select", "textarea"} <= tags, tags
    finally:
        context.close()
