"""Every kind of response carries the security headers: a Content-Security-Policy without
inline script, no sniffing, no framing, the referrer kept to the site; over TLS, HSTS and
cookies sent only over HTTPS."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.applications.helpers import apply
from tests.catalog.helpers import published_item
from tests.signin import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(world):
    """One URL of each kind of page, public and staff, HTML and not, found and not."""
    item = published_item(world.education, dt.date(2025, 3, 3), dt.date(2025, 3, 5))
    application, _code = apply(world.education)
    public = ["/", "/guide/", f"/xxgk/item/{item.pk}/", "/xxgk/list/", "/xxgk/policies/",
              "/search/?q=通知", "/apply/", "/apply/follow/", "/reports/", "/feeds/rss/",
              "/sitemap.xml", "/robots.txt", "/api/docs", "/api/search?q=通知", "/no-such-page/",
              "/staff/login/"]
    staff = ["/staff/", "/staff/applications/", f"/staff/applications/{application.number}/",
             "/staff/catalog/", "/staff/two-factor/", "/admin/"]
    return public, staff


def _check(response) -> None:
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_every_kind_of_page_carries_the_headers(world, pages, client):
    public, staff = pages
    for url in public:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        _check(response)
    client.force_login(world.ogi)
    for url in staff:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        _check(response)


def test_over_tls_browsers_are_told_to_keep_to_https(world, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    response = client.get("/staff/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert response.cookies["csrftoken"]["secure"]
    client.post("/staff/login/", {"username": "ogi", "password": "wrong"}, secure=True)
    client.force_login(world.ogi)
    assert client.get("/staff/", secure=True).status_code == 200


def test_the_https_settings_follow_the_environment(tmp_path):
    import subprocess
    import sys

    probe = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='xxgk.settings'; "
             "from django.conf import settings as s; "
             "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
             "s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)")
    env = {"PATH": "/usr/bin:/bin", "XXGK_VAR_DIR": str(tmp_path), "XXGK_HTTPS": "1"}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=env, check=True).stdout.split()
    assert out[:4] == ["True", "True", "31536000", "True"]
    env["XXGK_HTTPS"] = "0"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         env=env, check=True).stdout.split()
    assert out[:4] == ["False", "False", "0", "False"]
