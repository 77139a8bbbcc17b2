"""``xxgk reindex``: write every public item's search entry again from the database.

Search keeps answering while it runs (a batch per transaction). Needed after a restore
from an older backup, after the dictionary changed a great deal, or to check the index:
the worker keeps it current otherwise.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xxgk.search import indexing, suggest


class Command(BaseCommand):
    help = "Rebuild the search index (and the suggestions) from the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pending", action="store_true",
                            help="only follow the items queued since the last run")

    def handle(self, *args: Any, pending: bool, **options: Any) -> None:
        if pending:
            self.stdout.write(f"Followed {indexing.process_pending()} queued item(s).")
            return
        console = Console(stderr=True)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        disabled = options["verbosity"] == 0 or not console.is_terminal
        with Progress(*columns, console=console, disable=disabled) as progress:
            task = progress.add_task("indexing", total=None)
            written = indexing.rebuild(
                lambda done, total: progress.update(task, completed=done, total=total))
            terms = progress.add_task("suggestions", total=None)
            suggested = suggest.rebuild_terms(
                lambda done: progress.update(terms, completed=done))
        self.stdout.write(f"Indexed {written} public item(s); {suggested} suggestion(s).")
