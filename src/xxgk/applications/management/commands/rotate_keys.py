"""``xxgk rotate-keys``: everything under the field key re-encrypted under a new key, and the
old key retired once nothing needs it (``applications.rotation``); run again, it finishes an
interrupted rotation."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xxgk.applications import rotation


class Command(BaseCommand):
    help = ("Re-encrypt applicants' personal information under a new field key, then retire "
            "the old key. Stop the app servers and workers first; a run that stops halfway "
            "leaves everything readable, and running it again finishes the rotation.")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(stderr=True)
        disabled = options["verbosity"] == 0 or not console.is_terminal
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        try:
            with Progress(*columns, console=console, disable=disabled) as progress:
                task = progress.add_task("re-encrypting", total=rotation.total())
                rotated = rotation.rotate(lambda done: progress.update(task, completed=done))
        except rotation.RotationError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(("Finished the interrupted rotation: " if rotated.resumed
                           else "Rotated the field key: ")
                          + f"{rotated.rows} row(s) re-encrypted under the new key.")
        if rotated.retired:
            self.stdout.write(f"Retired {rotated.retired} old key(s). Back up the new key now "
                              "(xxgk backup --keys-to KEYDIR), and keep the old keys' backup "
                              "as long as the data backups made before.")
        else:
            self.stdout.write("Every row is under the first key of XXGK_FIELD_KEY: set the "
                              "variable to that key alone.")
