"""``xxgk serve`` runs the background worker beside gunicorn: a job queued before the server
starts is done while it serves, and stopping the server stops the worker."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _xxgk(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *args], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True, timeout=300)


def test_serve_starts_a_worker_that_runs_queued_jobs_and_stops_with_it(tmp_path):
    env = {**os.environ, "XXGK_VAR_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}"}
    _xxgk(env, "migrate", "--no-input", "-v0")
    _xxgk(env, "shell", "-c", "from xxgk.core import jobs; from tests.core import job_tasks; "
                              "jobs.enqueue(job_tasks.note, text='served')")
    server = subprocess.Popen([sys.executable, "-m", "xxgk.cli", "serve", "--bind",
                               f"127.0.0.1:{_free_port()}", "--workers", "1"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    database = sqlite3.connect(tmp_path / "serve.sqlite3")
    try:
        state = None
        for _attempt in range(120):
            state = database.execute("SELECT state FROM core_job").fetchone()[0]
            if state == "done":
                break
            time.sleep(0.5)
        assert state == "done"
        assert database.execute("SELECT count(*) FROM agencies_auditentry "
                                "WHERE action = 'test.note'").fetchone()[0] == 1
    finally:
        server.terminate()
        server.wait(timeout=60)
        database.close()
    workers = subprocess.run(["pgrep", "-f", "xxgk.cli worker"], capture_output=True,
                             text=True, env={**env, "XXGK_VAR_DIR": str(tmp_path)})
    for pid in workers.stdout.split():
        environ = Path(f"/proc/{pid}/environ")
        assert not (environ.exists() and str(tmp_path).encode() in environ.read_bytes())


def test_the_servers_workers_do_not_inherit_a_database_connection(tmp_path):
    """gunicorn forks its workers from the process that ran the system checks, which read
    the database: a connection still open there would be shared by every worker, one
    socket for them all, and their queries would interleave (500s and wrong answers
    under concurrent requests on PostgreSQL). The process that forks holds none."""
    database = tmp_path / "serve.sqlite3"
    env = {**os.environ, "XXGK_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{database}"}
    _xxgk(env, "migrate", "--no-input", "-v0")
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "xxgk.cli", "serve", "--no-worker",
                               "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _attempt in range(240):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.25)
        open_files = {os.path.realpath(fd) for fd in Path(f"/proc/{server.pid}/fd").iterdir()
                      if os.path.exists(fd)}
        assert not any(path.startswith(str(database)) for path in open_files)
    finally:
        server.terminate()
        server.wait(timeout=60)
