"""Real-browser tests: the pip ``playwright`` package driving Debian's Chromium.

Nothing is downloaded: ``playwright install`` is never run; the browser is the system's
``/usr/bin/chromium`` (``make test`` installs it as root).
"""

from __future__ import annotations

import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium as root")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A page whose test fails if the site's Content-Security-Policy blocked anything on it
    (a script, a style or a request the pages need but the policy does not allow)."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert blocked == [], "the Content-Security-Policy blocked: " + "; ".join(blocked)


@pytest.fixture
def worker(live_server):
    """A real ``xxgk worker`` loop in a thread beside the live server, as ``xxgk serve``
    runs one beside gunicorn: letters appear some moments after their step."""
    import threading

    from django.db import connection

    from xxgk.core import jobs

    stop = threading.Event()

    def loop() -> None:
        try:
            jobs.work(stop, poll_seconds=0.2)
        finally:
            connection.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=30)
