"""``xxgk restore BACKUP [--keys KEYS]``: a backup into the configured, empty database, then
checked: the rows against the manifest, the keys against the data, the audit log's chain
against the head the backup recorded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xxgk.core import backup


def _xxgk(*args: str) -> subprocess.CompletedProcess:
    """A subcommand in a new process: it reads the restored keys, which this one cannot."""
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *args], capture_output=True,  # noqa: S603
                          text=True, check=False)


class Command(BaseCommand):
    help = ("Restore a backup folder (xxgk-backup-…) into the configured database, which must "
            "be new and empty, with the keys from KEYS (xxgk-keys-…); then check it.")
    # This process started under keys made for the empty database; the checks that need the
    # restored keys run in new processes once those are in place.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, metavar="BACKUP")
        parser.add_argument("--keys", type=Path, metavar="KEYS",
                            help="the folder `xxgk backup --keys-to` wrote the keys to")

    def handle(self, *args: Any, folder: Path, keys: Path | None, **options: Any) -> None:
        try:
            manifest = backup.restore(folder, keys)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        found = backup.counts()
        if found != manifest["counts"]:
            raise CommandError(f"restored {found}, but the backup holds {manifest['counts']}")
        self.stdout.write("Restored " + ", ".join(f"{n} {label}" for label, n in found.items())
                          + f" from {folder.name}.")
        check = _xxgk("check")
        if check.returncode != 0:
            error = next((line.strip() for line in check.stderr.splitlines()
                          if "xxgk.E0" in line), check.stderr.strip())
            raise CommandError("the keys do not fit the restored data (give the backup's "
                               f"keys with --keys): {error}")
        verify = _xxgk("audit", "verify", *(["--head", manifest["audit_head"]]
                                            if manifest["audit_head"] else []))
        if verify.returncode != 0:
            raise CommandError(verify.stderr.strip())
        self.stdout.write("The keys fit the data. " + verify.stdout.strip())
