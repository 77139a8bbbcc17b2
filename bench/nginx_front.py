"""nginx running deploy/nginx/xxgk.conf in a temporary prefix, for the benches that put it in
front of app servers (slow_clients.py, scale_out.py), and for tests/deploy/test_nginx.py,
which checks the same file through it. A self-signed certificate is made for 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from serving import free_port

CONFIG = Path(__file__).resolve().parents[1] / "deploy" / "nginx" / "xxgk.conf"




def self_signed(directory: Path) -> tuple[Path, Path]:
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
    """Start with the app servers' ``HOST:PORT``s; ``https_port`` is the HTTPS port,
    ``http_port`` the one that redirects to it."""

    def __init__(self, prefix: Path, app_servers: list[str], static_root: Path) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.access(nginx, os.X_OK):
            raise SystemExit("nginx is not installed: apt-get install nginx-light")
        self.https_port, self.http_port = free_port(), free_port()
        self.certificate, key = self_signed(prefix)
        values = {"SERVER_NAME": "127.0.0.1", "HTTPS_LISTEN": f"127.0.0.1:{self.https_port}",
                  "HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
                  "CERTIFICATE": str(self.certificate), "CERTIFICATE_KEY": str(key),
                  "APP_SERVERS": " ".join(f"server {s};" for s in app_servers),
                  "STATIC_ROOT": str(static_root)}
        site = re.sub(r"@([A-Z_]+)@", lambda m: values[m.group(1)],
                      "".join(line for line in CONFIG.read_text().splitlines(keepends=True)
                              if not line.lstrip().startswith("#")))
        (prefix / "xxgk.conf").write_text(site)
        # Run as root (CI), the workers would be "nobody", who cannot read a temporary
        # directory of root's.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (prefix / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
            f"error_log {prefix}/error.log warn;\nevents {{ worker_connections 4096; }}\n"
            "http {\n  include /etc/nginx/mime.types;\n  access_log off;\n"
            + "".join(f"  {kind}_temp_path {prefix}/{kind};\n"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"  include {prefix}/xxgk.conf;\n}}\n")
        self.process = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
                                         "-e", str(prefix / "error.log")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError("nginx did not start: " + (prefix / "error.log").read_text())

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
