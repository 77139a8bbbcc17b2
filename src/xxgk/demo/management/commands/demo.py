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

    def handle(self, *args, seed: int, if_empty: bool, **options):
        if if_empty and build.is_built():
            self.stdout.write("The database already holds a district; the demo was not rebuilt.")
            return
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, disable=options["verbosity"] == 0) as progress:
            def on_step(step: build.DemoStep):
                task = progress.add_task(step.label, total=step.size())
                return lambda n: progress.advance(task, n)

            counts = build.build(seed, on_step)
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Demo district ready ({total} records)."))
        self.stdout.write(
            "Staff login at http://127.0.0.1:8000/staff/login/ — "
            f"OGI office: ogi / {build.DEMO_PASSWORD}; handler: handler / {build.DEMO_PASSWORD}; "
            f"reviewer: reviewer / {build.DEMO_PASSWORD}; auditor: auditor / {build.DEMO_PASSWORD}"
        )
