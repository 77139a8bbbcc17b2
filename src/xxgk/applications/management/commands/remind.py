"""``xxgk remind``: email each agency's handlers and reviewers the applications falling due.

Meant to run once every working morning (cron or a systemd timer, docs/operations.md). It
first brings the cached clock of every open application up to today, with a progress bar,
so the workbench's due dates stay true even on days nobody acts.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xxgk.applications import reminders
from xxgk.core.today import today as current_day

EXIT_INPUT = 2


class Command(BaseCommand):
    help = (
        "Refresh the statutory clock of every open application, then email each agency's "
        "handlers and reviewers the applications due within N working days or overdue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--within", metavar="N", default=reminders.DEFAULT_WITHIN_WORKING_DAYS,
            help="remind of applications with at most N working days left "
                 f"(default {reminders.DEFAULT_WITHIN_WORKING_DAYS})",
        )
        parser.add_argument("--dry-run", action="store_true",
                            help="print the emails instead of sending them")

    def handle(self, *args, within: str | int, dry_run: bool, **options) -> None:
        days = _working_days(within)
        today = current_day()
        total = reminders.open_applications().count()
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=Console(stderr=True),
                      disable=options["verbosity"] == 0) as progress:
            task = progress.add_task("Refreshing clocks", total=total)
            refused = reminders.refresh_open_clocks(
                today, advance=lambda n: progress.advance(task, n))
        for number in refused:
            self.stderr.write(f"The clock refuses the events of {number}; its due date was "
                              "not refreshed.")
        due = reminders.collect(days)
        for reminder in due:
            if not reminder.recipients:
                self.stderr.write(f"No handler, reviewer or OGI office with an email address "
                                  f"for {reminder.agency_name}: nobody to remind.")
        if dry_run:
            for reminder in due:
                if reminder.recipients:
                    subject, body = reminders.render(reminder, days, today)
                    self.stdout.write(f"To: {', '.join(reminder.recipients)}\n"
                                      f"Subject: {subject}\n\n{body}\n")
            self.stdout.write(f"Dry run: {_summary(due)}; nothing was sent.")
            return
        sent = reminders.send(due, days, today)
        self.stdout.write(f"Sent {sent} email(s): {_summary(due)}.")


def _summary(due: list[reminders.AgencyReminder]) -> str:
    reached = [r for r in due if r.recipients]
    return (f"{sum(len(r.items) for r in reached)} application(s) due or overdue "
            f"in {len(reached)} agency(ies)")


def _working_days(value: str | int) -> int:
    """``--within`` as a whole number ≥ 0: text from the command line, an int from code."""
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise CommandError(f"--within must be a whole number, got {value!r}",
                           returncode=EXIT_INPUT) from None
    if days < 0:
        raise CommandError("--within cannot be negative", returncode=EXIT_INPUT)
    return days
