"""How long `make run`'s first start takes: from a clean clone to the demo site answering,
phase by phase, beside the target (3 minutes) and the demo's later years on the worker.

    .venv/bin/python bench/first_start.py [--keep]

It clones the checkout into a temporary folder and runs what `make run` runs there, with a
new virtualenv (pip's own cache is used, as on any machine that installed once) and a new
var dir; the Debian packages are taken as installed (`make run` checks them in a second).
Then it serves on a free port until `/healthz` answers, and keeps the server (and so its
worker) running until the demo's later years are built.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 180


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(label: str, command: list[str], cwd: Path, env: dict, phases: list) -> None:
    started = time.monotonic()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    phases.append((label, time.monotonic() - started))
    print(f"  {label:<44} {phases[-1][1]:7.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary clone")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="xxgk-first-start-"))
    clone = work / "xxgk"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(work),
           "XXGK_VAR_DIR": str(clone / "var")}
    xxgk = clone / ".venv/bin/xxgk"
    phases: list[tuple[str, float]] = []
    print("make run's first start, phase by phase:")
    started = time.monotonic()
    _timed("virtualenv and pip install (running only)",
           ["bash", "-c", f"{sys.executable} -m venv .venv && .venv/bin/pip install -q "
                          "--upgrade pip && .venv/bin/pip install -q -e ."], clone, env, phases)
    _timed("xxgk migrate", [str(xxgk), "migrate", "--no-input", "-v0"], clone, env, phases)
    _timed("xxgk demo --later-on-worker", [str(xxgk), "demo", "--later-on-worker", "-v0"],
           clone, env, phases)
    port = _port()
    server = subprocess.Popen([str(xxgk), "serve", "--bind", f"127.0.0.1:{port}"], cwd=clone,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        serve_started = time.monotonic()
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        phases.append(("xxgk serve until /healthz answers", time.monotonic() - serve_started))
        print(f"  {phases[-1][0]:<44} {phases[-1][1]:7.1f} s", flush=True)
        total = time.monotonic() - started
        database = sqlite3.connect(clone / "var" / "xxgk.sqlite3")
        while database.execute("SELECT count(*) FROM core_job WHERE task = "
                               "'xxgk.demo.build.build_later' AND state != 'done'"
                               ).fetchone()[0]:
            time.sleep(1)
        later = time.monotonic() - started - total
        database.close()
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(f"\n  {'first start, to serving':<44} {total:7.1f} s   (target {TARGET_SECONDS} s: "
          f"{total / TARGET_SECONDS:.0%} of it)")
    print(f"  {'then the later years, on the worker':<44} {later:7.1f} s")
    print("  (the Debian packages were installed already; `make run` checks them first)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
