"""``xxgk retention [--dry-run]``: erase applicants' identity data past its retention period
(``XXGK_RETENTION_YEARS`` after the application closed); the worker does it daily."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xxgk.applications import retention
from xxgk.core.today import today


class Command(BaseCommand):
    help = ("Erase the identity data (identity, name, the applicant's files and letters) of "
            "applications closed more than XXGK_RETENTION_YEARS years ago; statistics stay.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="list the applications that are due, erase nothing")

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        years = settings.XXGK_RETENTION_YEARS
        if years <= 0:
            self.stdout.write("XXGK_RETENTION_YEARS is 0: identity data is kept.")
            return
        due = retention.due()
        total = due.count()
        closed_by = retention.cutoff(today(), years)
        if dry_run:
            for number, closed_on in due.values_list("number", "closed_on"):
                self.stdout.write(f"{number}\tclosed {closed_on}")
            self.stdout.write(f"{total} application(s) closed on or before {closed_by} are "
                              "due for erasure (dry run: nothing erased).")
            return
        console = Console(stderr=True)
        disabled = options["verbosity"] == 0 or not console.is_terminal
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=console, disable=disabled) as progress:
            task = progress.add_task("erasing", total=total)
            erased = retention.erase(due, lambda done: progress.update(task, completed=done))
        self.stdout.write(f"Erased the identity data of {erased.applications} application(s) "
                          f"closed on or before {closed_by} ({erased.documents} file(s)).")
