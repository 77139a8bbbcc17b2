"""``xxgk backup DIR [--keys-to KEYDIR]``: the database and its files, the keys apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xxgk.core import backup


class Command(BaseCommand):
    help = ("Back up the database (SQLite's online backup, or pg_dump) and var/media into a "
            "new folder under DIR, and the keys into a folder under KEYDIR, apart.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("into", type=Path, metavar="DIR")
        parser.add_argument("--keys-to", type=Path, metavar="KEYDIR",
                            help="where the keys go: another disk or another custodian")

    def handle(self, *args: Any, into: Path, keys_to: Path | None, **options: Any) -> None:
        try:
            written = backup.backup(into, keys_to)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        rows = ", ".join(f"{n} {label}" for label, n in written.manifest["counts"].items())
        self.stdout.write(f"Backed up to {written.folder}: {rows}.")
        if written.keys_folder is not None:
            self.stdout.write(f"The keys are in {written.keys_folder} (owner-only): keep them "
                              "apart from the data.")
        else:
            self.stderr.write("The keys were not copied (--keys-to KEYDIR): without "
                              "var/field_key and var/lookup_key this backup restores no "
                              "applicant's identity and no query code.")
