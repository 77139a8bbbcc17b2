"""Oversized requests are refused before anything reads them."""

from django.test import Client, override_settings


@override_settings(XXGK_MAX_REQUEST_BYTES=1000)
def test_a_request_above_the_limit_is_refused_with_413(db):
    response = Client().post("/apply/", data="x" * 2000, content_type="text/plain")
    assert response.status_code == 413
    assert "too large" in response.content.decode() or "过大" in response.content.decode()


def test_the_health_check_answers(db):
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
