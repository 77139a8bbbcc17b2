"""``xxgk worker``: run the queued jobs (letters, emails), the daily tasks and the idle
tasks (the search index's queue).

``xxgk serve`` starts one beside gunicorn; in production run it as its own service
(docs/operations.md). Several workers may run at once, on one machine or many: they share
the queue through the database.
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xxgk.core import jobs


class Command(BaseCommand):
    help = "Run queued background jobs (letters, emails) and the daily reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true",
                            help="run the jobs that are due now, then exit")
        parser.add_argument("--poll", type=float, default=1.0, metavar="SECONDS",
                            help="how long to wait when the queue is empty (default 1)")

    def handle(self, *args, once: bool, poll: float, **options) -> None:
        if poll <= 0:
            raise CommandError("--poll must be above 0")
        if once:
            ran = jobs.run_pending()
            jobs.run_idle_tasks()
            self.stdout.write(f"Ran {ran} job(s).")
            return
        stop = threading.Event()
        # SIGTERM (systemd, `xxgk serve` stopping) finishes the job in progress first.
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write("xxgk worker: waiting for jobs.")
        self.stdout.flush()
        jobs.work(stop, poll_seconds=poll, on_idle=jobs.run_idle_tasks)
        self.stdout.write("xxgk worker: stopped.")
