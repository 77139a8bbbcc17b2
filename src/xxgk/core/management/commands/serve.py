"""``xxgk serve``: serve the site with gunicorn (or Django's autoreloading server), with a
background worker beside it.

The worker is a child process (``xxgk worker``), started before the server and stopped
with it, and started again if it dies, so that ``make run`` alone serves a site whose
letters get rendered. In production run the two as separate services instead
(docs/operations.md) and pass ``--no-worker``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

RESTART_DELAY_SECONDS = 5


class _Worker:
    """``xxgk worker`` as a child process, restarted when it exits unexpectedly."""

    def __init__(self) -> None:
        # gunicorn forks its workers inside ``run()``; when one of them exits it unwinds
        # through our ``finally`` too, and must not stop the worker that belongs to us.
        self.owner = os.getpid()
        self.process: subprocess.Popen | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._keep_running, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _keep_running(self) -> None:
        while not self.stopping.is_set():
            self.process = subprocess.Popen([sys.executable, "-m", "xxgk.cli", "worker"])
            code = self.process.wait()
            if not self.stopping.is_set():
                print(f"xxgk serve: the worker exited ({code}); restarting it.",
                      file=sys.stderr)
                self.stopping.wait(RESTART_DELAY_SECONDS)

    def stop(self) -> None:
        if os.getpid() != self.owner:
            return
        self.stopping.set()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Command(BaseCommand):
    help = ("Serve the site on http://127.0.0.1:8000 with gunicorn and a background worker; "
            "--dev for autoreload.")

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="address:port to listen on")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument("--dev", action="store_true", help="Django's autoreloading server")
        parser.add_argument("--no-worker", action="store_true",
                            help="do not start the background worker (run `xxgk worker` apart)")

    def handle(self, *args, bind: str, workers: int, dev: bool, no_worker: bool, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        worker = None if no_worker else _Worker()
        if worker is not None:
            worker.start()
        try:
            if dev:
                call_command("runserver", bind)
                return
            from django.db import connections
            from gunicorn.app.wsgiapp import WSGIApplication

            # The system checks (the key check reads the database) left a connection open
            # here; gunicorn's forked workers would inherit it and share one socket (or one
            # SQLite file handle), interleaving their queries: garbage answers and 500s
            # under concurrent requests. Each worker opens its own.
            connections.close_all()
            # gunicorn reads its options from sys.argv; give it exactly ours.
            sys.argv = ["gunicorn", "xxgk.wsgi:application", "--bind", bind,
                        "--workers", str(workers), "--access-logfile", "-"]
            WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
        finally:
            if worker is not None:
                worker.stop()
