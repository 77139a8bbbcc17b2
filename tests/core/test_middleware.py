"""Oversized requests are refused before anything reads them."""

from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings

from xxgk.core.middleware import ClientAddressMiddleware


@override_settings(XXGK_MAX_REQUEST_BYTES=1000)
def test_a_request_above_the_limit_is_refused_with_413(db):
    response = Client().post("/apply/", data="x" * 2000, content_type="text/plain")
    assert response.status_code == 413
    assert "too large" in response.content.decode() or "过大" in response.content.decode()


def test_the_health_check_answers(db):
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def _seen_by_the_app(remote_addr: str, **headers: str) -> dict:
    """The request's META as the views see it, after ClientAddressMiddleware."""
    seen: dict = {}

    def view(request):
        seen.update(request.META)
        return HttpResponse()

    ClientAddressMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers))
    return seen


@override_settings(XXGK_TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_a_trusted_proxy_the_app_sees_the_address_the_proxy_saw():
    seen = _seen_by_the_app("127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7",
                            HTTP_X_FORWARDED_PROTO="https")
    assert seen["REMOTE_ADDR"] == "198.51.100.7"
    assert seen["HTTP_X_FORWARDED_PROTO"] == "https"


@override_settings(XXGK_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/24"])
def test_what_a_client_wrote_left_of_the_trusted_hops_is_ignored():
    # The client sent "X-Forwarded-For: 203.0.113.1"; the outer proxy appended the address
    # it saw (198.51.100.7), the inner one the outer proxy's (10.0.0.5).
    seen = _seen_by_the_app("127.0.0.1",
                            HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7, 10.0.0.5")
    assert seen["REMOTE_ADDR"] == "198.51.100.7"


@override_settings(XXGK_TRUSTED_PROXIES=["127.0.0.1"])
def test_a_client_that_is_not_a_trusted_proxy_cannot_choose_its_address_or_scheme():
    seen = _seen_by_the_app("198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1",
                            HTTP_X_FORWARDED_PROTO="https")
    assert seen["REMOTE_ADDR"] == "198.51.100.7"
    assert "HTTP_X_FORWARDED_FOR" not in seen and "HTTP_X_FORWARDED_PROTO" not in seen


@override_settings(XXGK_TRUSTED_PROXIES=["127.0.0.1"])
def test_a_malformed_forwarded_address_leaves_the_last_trusted_hop():
    seen = _seen_by_the_app("127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, not-an-address")
    assert seen["REMOTE_ADDR"] == "127.0.0.1"
