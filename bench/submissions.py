"""Submissions per second sustained over loopback, with zero loss, on SQLite and PostgreSQL.

Starts `xxgk serve` (gunicorn, 2 workers) on a fresh database, then for each database:

- baseline: GET /healthz (a trivial view that also touches the database) from the same
  number of clients for the same time;
- load: POST /api/applications (a real application, each with its own Idempotency-Key);
- loss check: every application the server acknowledged (201) is in the database, and the
  database holds nothing else.

Prints requests per second of both side by side and their ratio. Usage:

    .venv/bin/python bench/submissions.py [--seconds 10] [--clients 8] [--db sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from serving import wait_until_up  # noqa: E402

XXGK = [sys.executable, "-m", "xxgk.cli"]
PORT = 8765
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"

PAYLOAD = {
    "applicant_column": "natural_person",
    "applicant_name": "压测申请人",
    "id_document_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13800000000",
    "email": "bench@example.cn",
    "description": "请公开2023年西城区老旧小区综合整治项目的立项批复文件。",
    "provision_form": "electronic",
    "delivery": "email",
    "agency": "110102",
}

SETUP = """
from xxgk.agencies.models import Agency
Agency.objects.get_or_create(code="110102", defaults={"name": "北京市西城区人民政府",
                                                      "kind": "district"})
"""

COUNT = """
import json
from xxgk.applications.models import Application
print(json.dumps(sorted(Application.objects.values_list("number", flat=True))))
"""


def run(args: list[str], env: dict) -> str:
    return subprocess.run([*XXGK, *args], env=env, check=True, capture_output=True,
                          text=True, cwd=ROOT).stdout




def hammer(port: int, clients: int, seconds: float, make_request) -> dict:
    """Run ``clients`` threads for ``seconds``; each keeps one connection alive."""
    stop = time.monotonic() + seconds
    results: list[list] = [[] for _ in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            method, path, body, headers = make_request()
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                failures[i] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            latencies[i].append(time.perf_counter() - started)
            results[i].append((response.status, data))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    flat = [r for rs in results for r in rs]
    lat = sorted(x for xs in latencies for x in xs)
    return {
        "responses": flat,
        "rate": len(flat) / elapsed,
        "failures": sum(failures),
        "p50_ms": 1000 * statistics.median(lat) if lat else 0,
        "p99_ms": 1000 * lat[int(0.99 * (len(lat) - 1))] if lat else 0,
    }


def bench(name: str, database_url: str | None, seconds: float, clients: int) -> None:
    with tempfile.TemporaryDirectory() as var:
        # Every client is this machine: lift the limit on submissions per address.
        env = {**os.environ, "XXGK_VAR_DIR": var, "LOG_LEVEL": "ERROR",
               "XXGK_SUBMISSIONS_PER_HOUR": "0"}
        if database_url:
            env["DATABASE_URL"] = database_url
        run(["migrate", "--no-input"], env)
        run(["shell", "--no-imports", "-c", SETUP], env)
        server = subprocess.Popen([*XXGK, "serve", "--bind", f"127.0.0.1:{PORT}", "--workers", "2"],
                                  env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            wait_until_up(PORT)
            baseline = hammer(PORT, clients, seconds,
                              lambda: ("GET", "/healthz", None, {}))
            body = json.dumps(PAYLOAD).encode()

            def submission():
                return ("POST", "/api/applications", body,
                        {"Content-Type": "application/json",
                         "Idempotency-Key": uuid.uuid4().hex})

            load = hammer(PORT, clients, seconds, submission)
        finally:
            server.terminate()
            server.wait(timeout=30)
        acknowledged = sorted(json.loads(data)["number"] for status, data in load["responses"]
                              if status == 201)
        refused = [status for status, _data in load["responses"] if status != 201]
        stored = json.loads(run(["shell", "--no-imports", "-c", COUNT], env))
        lost = sorted(set(acknowledged) - set(stored))
        unexpected = sorted(set(stored) - set(acknowledged))
        print(f"\n== {name}: {clients} clients, {seconds:.0f} s each, gunicorn 2 workers")
        print(f"  baseline GET /healthz        {baseline['rate']:8.1f} req/s  "
              f"p50 {baseline['p50_ms']:.1f} ms  p99 {baseline['p99_ms']:.1f} ms")
        print(f"  POST /api/applications        {load['rate']:8.1f} req/s  "
              f"p50 {load['p50_ms']:.1f} ms  p99 {load['p99_ms']:.1f} ms")
        print(f"  ratio submissions / baseline  {load['rate'] / baseline['rate']:8.2f}")
        print(f"  acknowledged {len(acknowledged)}, stored {len(stored)}, lost {len(lost)}, "
              f"unexpected {len(unexpected)}, non-201 {len(refused)}, "
              f"connection failures {load['failures']}")
        if lost or unexpected or refused or load["failures"]:
            print("  LOSS OR ERRORS: see the counts above")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()
    if args.db in ("sqlite", "both"):
        bench("SQLite (embedded default)", None, args.seconds, args.clients)
    if args.db in ("postgres", "both"):
        name = f"xxgk_bench_{os.getpid()}"
        subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True)
        try:
            bench("PostgreSQL", f"postgres://postgres@127.0.0.1:5432/{name}", args.seconds,
                  args.clients)
        finally:
            subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {name}"],
                           check=True)


if __name__ == "__main__":
    main()
