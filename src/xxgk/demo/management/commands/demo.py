"""``xxgk demo``: build the demo district (idempotent, deterministic, with progress)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xxgk.demo import build


class Command(BaseCommand):
    help = "Build the demo district modelled on the seed report (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing if the database already has agencies")
        parser.add_argument("--later-on-worker", action="store_true",
                            help="build 2023 and this year now, and queue the years between "
                                 "for the background worker (`make run`: serve sooner)")

    def handle(self, *args, seed: int, if_empty: bool, later_on_worker: bool, **options):
        if if_empty and build.is_built():
            self.stdout.write("The database already holds a district; the demo was not rebuilt.")
            return
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, disable=options["verbosity"] == 0) as progress:
            def on_step(step: build.DemoStep):
                task = progress.add_task(step.label, total=step.size())
                return lambda n: progress.advance(task, n)

            steps = build.first_steps() if later_on_worker else build.STEPS
            counts = build.build(seed, on_step, steps)
            if later_on_worker:
                build.queue_later(seed)
            build.queue_search_index(seed)
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Demo district ready ({total} records)."))
        if later_on_worker:
            self.stdout.write("The years from 2024 to last year are being built by the "
                              "background worker; they appear within a few minutes "
                              "(progress at /staff/jobs/).")
        self.stdout.write(
            "Staff login at http://127.0.0.1:8000/staff/login/ — "
            f"OGI office: ogi / {build.DEMO_PASSWORD}; handler: handler / {build.DEMO_PASSWORD}; "
            f"reviewer: reviewer / {build.DEMO_PASSWORD}; auditor: auditor / {build.DEMO_PASSWORD}"
        )
