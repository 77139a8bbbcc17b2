"""Slow clients against gunicorn directly and behind nginx (deploy/nginx/xxgk.conf), in one run.

gunicorn's sync workers serve one connection each, for as long as the client takes: issue 11
found that four slow clients made both workers unavailable. This starts ``xxgk serve
--no-worker`` (gunicorn, 2 workers) on a fresh SQLite database and nginx in front of it, and
for each of the two ways in measures normal visitors (``--visitors`` of them, each from its
own address, a page every quarter second, given up after 10 s) without and then during an
attack of ``--attackers`` slow clients (each from its own address, reconnecting whenever
cut off), a third of each kind (and, with ``--each``, each kind alone):

- slowloris: the request's header one byte a second, never finished;
- slow upload: a POST announcing 1 MB, sent 10 bytes a second;
- slow reader: a large response (the OpenAPI schema) read 64 bytes a second through a
  small receive window.

Prints, side by side, each phase's success rate and p50/p99 latency of the visitors'
requests, and how many connections the attackers opened. Usage:

    .venv/bin/python bench/slow_clients.py [--seconds 20] [--attackers 8] [--visitors 4] [--each]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from nginx_front import Front  # noqa: E402
from serving import free_port, wait_until_up  # noqa: E402

XXGK = [sys.executable, "-m", "xxgk.cli"]
PAGES = ("/", "/healthz")
LARGE = "/api/openapi.json"
SETUP = """
from xxgk.agencies.models import Agency
Agency.objects.get_or_create(code="110102", defaults={"name": "北京市西城区人民政府",
                                                      "kind": "district"})
"""


@dataclass(frozen=True)
class Way:
    """One way in: gunicorn itself, or nginx over TLS."""

    label: str
    port: int
    tls: ssl.SSLContext | None

    def socket(self, source: str, timeout: float, receive_buffer: int | None = None
               ) -> socket.socket:
        raw = socket.socket()
        if receive_buffer:
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        raw.settimeout(timeout)
        raw.bind((source, 0))
        raw.connect(("127.0.0.1", self.port))
        return self.tls.wrap_socket(raw, server_hostname="127.0.0.1") if self.tls else raw

    def connection(self, source: str, timeout: float) -> http.client.HTTPConnection:
        if self.tls:
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout,
                                               source_address=(source, 0), context=self.tls)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout,
                                          source_address=(source, 0))


def visitor(way: Way, source: str, stop: threading.Event, out: list) -> None:
    """A page every quarter second (or as soon as the last one came back)."""
    turn = 0
    while not stop.is_set():
        started = time.perf_counter()
        ok = False
        conn = way.connection(source, timeout=10)
        try:
            conn.request("GET", PAGES[turn % len(PAGES)])
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            pass  # not answered: counted as such below
        finally:
            conn.close()
        elapsed = time.perf_counter() - started
        out.append((ok, elapsed))
        turn += 1
        stop.wait(max(0.0, 0.25 - elapsed))


def _dribble(sock: socket.socket, data: bytes, chunk: int, stop: threading.Event) -> None:
    for start in range(0, len(data), chunk):
        if stop.is_set():
            return
        sock.sendall(data[start:start + chunk])
        stop.wait(1.0)


def slowloris(sock: socket.socket, stop: threading.Event) -> None:
    header = (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n"
              + b"X-Padding: " + b"a" * 4000)
    _dribble(sock, header, 1, stop)


def slow_upload(sock: socket.socket, stop: threading.Event) -> None:
    size = 1_000_000
    sock.sendall(b"POST /api/applications HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/json\r\n"
                 + f"Content-Length: {size}\r\n\r\n".encode())
    _dribble(sock, b" " * size, 10, stop)


def slow_reader(sock: socket.socket, stop: threading.Event) -> None:
    sock.sendall(f"GET {LARGE} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    while not stop.is_set():
        if not sock.recv(64):
            return
        stop.wait(1.0)


ATTACKS: tuple[Callable[[socket.socket, threading.Event], None], ...] = (
    slowloris, slow_upload, slow_reader)


def attacker(way: Way, source: str, attack, stop: threading.Event, opened: list) -> None:
    """Keep one slow connection open, opening another whenever the server cuts it off."""
    while not stop.is_set():
        try:
            sock = way.socket(source, timeout=120,
                              receive_buffer=1024 if attack is slow_reader else None)
        except OSError:
            stop.wait(0.2)
            continue
        opened.append(attack.__name__)
        with sock, contextlib.suppress(OSError):  # the server cut the attacker off
            attack(sock, stop)
        stop.wait(0.1)


def phase(way: Way, seconds: float, visitors: int, attackers: int, kinds: tuple) -> dict:
    stop_attack, stop_visits = threading.Event(), threading.Event()
    opened: list[str] = []
    attack_threads = [threading.Thread(target=attacker, daemon=True,
                                       args=(way, f"127.0.2.{i + 1}", kinds[i % len(kinds)],
                                             stop_attack, opened))
                      for i in range(attackers)]
    for t in attack_threads:
        t.start()
    if attackers:
        time.sleep(3)  # let the attack take hold
    outcomes: list[list] = [[] for _ in range(visitors)]
    visit_threads = [threading.Thread(target=visitor,
                                      args=(way, f"127.0.1.{i + 1}", stop_visits, outcomes[i]))
                     for i in range(visitors)]
    for t in visit_threads:
        t.start()
    time.sleep(seconds)
    stop_visits.set()
    for t in visit_threads:
        t.join()
    stop_attack.set()
    for t in attack_threads:
        t.join(timeout=15)
    flat = [o for os_ in outcomes for o in os_]
    latencies = sorted(elapsed for ok, elapsed in flat if ok)
    return {"requests": len(flat), "ok": sum(ok for ok, _ in flat),
            "p50": 1000 * statistics.median(latencies) if latencies else float("nan"),
            "p99": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan"),
            "opened": len(opened)}




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--attackers", type=int, default=8)
    parser.add_argument("--visitors", type=int, default=4)
    parser.add_argument("--each", action="store_true",
                        help="also attack with each kind of slow client alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "XXGK_VAR_DIR": var, "LOG_LEVEL": "ERROR"}
        env.pop("DATABASE_URL", None)
        for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"],
                        ["shell", "--no-imports", "-c", SETUP]):
            subprocess.run([*XXGK, *command], env=env, cwd=ROOT, check=True)
        port = free_port()
        server = subprocess.Popen([*XXGK, "serve", "--no-worker", "--bind", f"127.0.0.1:{port}",
                                   "--workers", "2"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        prefix = Path(var) / "nginx"
        prefix.mkdir()
        front = None
        try:
            wait_until_up(port)
            front = Front(prefix, [f"127.0.0.1:{port}"], Path(var) / "static")
            ways = [Way("gunicorn directly", port, None),
                    Way("nginx -> gunicorn (TLS)", front.https_port, front.context())]
            mixes = [("none", 0, ATTACKS), ("mixed", args.attackers, ATTACKS)]
            if args.each:
                mixes += [(a.__name__, args.attackers, (a,)) for a in ATTACKS]
            rows = []
            for way in ways:
                for name, attackers, kinds in mixes:
                    result = phase(way, args.seconds, args.visitors, attackers, kinds)
                    rows.append((way.label, f"{attackers} {name}" if attackers else name, result))
                    time.sleep(2)
        finally:
            if front is not None:
                front.stop()
            server.terminate()
            server.wait(timeout=60)
    load = os.getloadavg()
    print(f"\n== {args.visitors} visitors ({' and '.join(PAGES)}, every 0.25 s), "
          f"{args.seconds:.0f} s a phase, gunicorn 2 sync workers; load {load[0]:.2f}")
    print(f"  {'way in':26} {'slow clients':>16} {'requests':>9} {'answered':>9} "
          f"{'p50 ms':>8} {'p99 ms':>8} {'attack conns':>13}")
    for label, attackers, r in rows:
        print(f"  {label:26} {attackers:>16} {r['requests']:>9} "
              f"{100 * r['ok'] / max(r['requests'], 1):>8.1f}% {r['p50']:>8.1f} "
              f"{r['p99']:>8.1f} {r['opened']:>13}")


if __name__ == "__main__":
    main()
