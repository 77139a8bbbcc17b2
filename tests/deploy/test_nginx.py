"""deploy/nginx/xxgk.conf, run by a real nginx in front of a real xxgk server: TLS 1.2 and
1.3 only, the client's own address reaching the app whatever X-Forwarded-For it sends, a
body above the app's limit refused, a slow client cut off, static files served by nginx."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import ssl
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from xxgk.agencies.models import AuditEntry

# The benches' runner of deploy/nginx/xxgk.conf: one way of starting it, tested here.
sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
import nginx_front  # noqa: E402

CONFIG = Path(__file__).parents[2] / "deploy" / "nginx" / "xxgk.conf"
NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None)

pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (apt-get install nginx-light; "
                          "`make test` installs it as root)")

# The test's own client connects from this loopback address, nginx from 127.0.0.1.
CLIENT = "127.0.0.7"


class Front(nginx_front.Front):
    """The benches' nginx in front of one app server, with its static files in ``static``."""

    def __init__(self, prefix: Path, app: str) -> None:
        self.static = prefix / "static"
        self.static.mkdir()
        super().__init__(prefix, [app], self.static)

    def context(self, version: ssl.TLSVersion | None = None) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.certificate))
        if version is not None:
            # Old protocols are disabled in OpenSSL 3 unless the security level allows them:
            # the client must offer them for the refusal to be the server's.
            context.set_ciphers("ALL:@SECLEVEL=0")
            context.minimum_version = context.maximum_version = version
        return context

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, *,
                version: ssl.TLSVersion | None = None) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPSConnection("127.0.0.1", self.https_port, timeout=20,
                                           source_address=(CLIENT, 0),
                                           context=self.context(version))
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def front(live_server, transactional_db, tmp_path, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    port = live_server.url.rsplit(":", 1)[1]
    running = Front(tmp_path, f"127.0.0.1:{port}")
    yield running
    running.stop()


def test_pages_answer_over_tls_1_3_and_1_2_and_plain_http_is_sent_to_https(front):
    assert front.request("GET", "/healthz")[0] == 200
    assert front.request("GET", "/healthz", version=ssl.TLSVersion.TLSv1_2)[0] == 200
    conn = http.client.HTTPConnection("127.0.0.1", front.http_port, timeout=10)
    conn.request("GET", "/healthz")
    redirect = conn.getresponse()
    assert redirect.status == 301
    assert redirect.getheader("Location") == "https://127.0.0.1/healthz"


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1:DeprecationWarning")
@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1],
                         ids=["TLS 1.0", "TLS 1.1"])
def test_tls_1_0_and_1_1_are_refused_by_the_server(front, version):
    with pytest.raises(ssl.SSLError) as refused:
        front.request("GET", "/healthz", version=version)
    # An alert sent by nginx, not the client declining to offer the version.
    assert refused.value.reason == "TLSV1_ALERT_PROTOCOL_VERSION"


def test_the_app_counts_the_clients_own_address_not_the_one_it_claims(front):
    status, _headers, _body = front.request(
        "POST", "/api/applications/lookup",
        json.dumps({"number": "110102-2026-000001", "query_code": "WRONGWRONG"}).encode(),
        {"Content-Type": "application/json", "X-Forwarded-For": "203.0.113.9"})
    assert status == 404
    failed = AuditEntry.objects.get(action="application.lookup_failed")
    assert failed.address == CLIENT


def test_a_body_above_the_apps_limit_is_refused_before_it_is_sent(front):
    limit = re.search(r"client_max_body_size (\d+)m;", CONFIG.read_text())
    assert limit and int(limit.group(1)) * 1024 * 1024 == settings.XXGK_MAX_REQUEST_BYTES
    conn = http.client.HTTPSConnection("127.0.0.1", front.https_port, timeout=10,
                                       source_address=(CLIENT, 0), context=front.context())
    conn.putrequest("POST", "/apply/")
    conn.putheader("Content-Length", str(settings.XXGK_MAX_REQUEST_BYTES + 1))
    conn.endheaders()
    assert conn.getresponse().status == 413


def test_a_client_that_sends_its_header_byte_by_byte_is_cut_off(front):
    raw = socket.create_connection(("127.0.0.1", front.https_port), timeout=5,
                                   source_address=(CLIENT, 0))
    tls = front.context().wrap_socket(raw, server_hostname="127.0.0.1")
    started = time.monotonic()
    header = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100
    try:
        with pytest.raises(OSError):  # nginx closes the connection: a minute of header is too slow
            for byte in header:
                tls.sendall(bytes([byte]))
                time.sleep(0.5)
    finally:
        tls.close()
    # client_header_timeout is 10 s for the whole header.
    assert 9 < time.monotonic() - started < 15


def test_static_files_are_served_by_nginx_from_the_collected_directory(front):
    # A file only nginx knows of: the app has no such static file.
    (front.static / "collected.txt").write_text("served by nginx")
    status, headers, body = front.request("GET", "/static/collected.txt")
    assert (status, body) == (200, b"served by nginx")
    assert headers["X-Content-Type-Options"] == "nosniff"
