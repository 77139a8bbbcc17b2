"""deploy/nginx/xxgk.conf, run by a real nginx in front of a real xxgk server: TLS 1.2 and
1.3 only, the client's own address reaching the app whatever X-Forwarded-For it sends, a
body above the app's limit refused, a slow client cut off, static files served by nginx."""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

from xxgk.agencies.models import AuditEntry

CONFIG = Path(__file__).parents[2] / "deploy" / "nginx" / "xxgk.conf"
NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx",) if os.access(path, os.X_OK)), None)

pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (apt-get install nginx-light; "
                          "`make test` installs it as root)")

# The test's own client connects from this loopback address, nginx from 127.0.0.1.
CLIENT = "127.0.0.7"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(minutes=1))
                   .not_valid_after(now + dt.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName(
                       [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class Front:
    """nginx running deploy/nginx/xxgk.conf in a temporary prefix."""

    def __init__(self, prefix: Path, app: str) -> None:
        self.https_port, self.http_port = _free_port(), _free_port()
        self.certificate, key = _self_signed(prefix)
        self.static = prefix / "static"
        self.static.mkdir()
        values = {"SERVER_NAME": "127.0.0.1", "HTTPS_LISTEN": f"127.0.0.1:{self.https_port}",
                  "HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
                  "CERTIFICATE": str(self.certificate), "CERTIFICATE_KEY": str(key),
                  "APP_SERVERS": f"server {app};", "STATIC_ROOT": str(self.static)}
        site = re.sub(r"@([A-Z_]+)@", lambda m: values[m.group(1)],
                      "".join(line for line in CONFIG.read_text().splitlines(keepends=True)
                              if not line.lstrip().startswith("#")))
        (prefix / "xxgk.conf").write_text(site)
        # Run as root (CI), the workers would be "nobody", who cannot read pytest's tmp_path.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (prefix / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
            f"error_log {prefix}/error.log warn;\nevents {{ worker_connections 256; }}\n"
            "http {\n  include /etc/nginx/mime.types;\n"
            f"  access_log {prefix}/access.log;\n"
            + "".join(f"  {kind}_temp_path {prefix}/{kind};\n"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"  include {prefix}/xxgk.conf;\n}}\n")
        self.process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                                         "-e", str(prefix / "error.log")],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stdout.read().decode()) from None
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

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
        for byte in header:
            tls.sendall(bytes([byte]))
            time.sleep(0.5)
        pytest.fail("nginx waited for a whole minute of header")
    except OSError:
        pass
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
