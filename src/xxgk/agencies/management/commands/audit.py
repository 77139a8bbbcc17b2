"""``xxgk audit verify [--head SEQ:HASH] [--json]``, ``xxgk audit head`` and ``xxgk audit
protect``: is the audit log intact, what is its head now (to keep off the host), and the
append-only triggers made again where they are missing."""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xxgk.agencies import integrity
from xxgk.agencies.models import AuditEntry

EXIT_BROKEN = 1
EXIT_INPUT = 2
_HEAD = re.compile(r"(\d+):([0-9a-f]{64})")


def _anchor(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    match = _HEAD.fullmatch(text.strip().lower())
    if match is None:
        raise CommandError(f"--head: {text!r} is not SEQ:HASH (a number, a colon and 64 hex "
                           "digits, as `xxgk audit head` prints it)", returncode=EXIT_INPUT)
    return int(match[1]), match[2]


class Command(BaseCommand):
    # It is what the start-up check's error asks to run when a trigger is missing, so that
    # check must not stop it; it only reads.
    requires_system_checks: list[str] = []
    help = ("Verify the audit log's hash chain (`verify`: the first broken link, if any), "
            "print its head (`head`) to keep where the database's administrators cannot "
            "rewrite it, or make a missing append-only trigger again (`protect`).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=("verify", "head", "protect"))
        parser.add_argument("--head", dest="anchor", metavar="SEQ:HASH",
                            help="a head printed earlier, which the log must still hold")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="print one JSON object")

    def handle(self, *args: Any, what: str, anchor: str | None, as_json: bool,
               **options: Any) -> None:
        if what == "protect":
            made = integrity.restore_triggers()
            self.stdout.write(f"Made the append-only trigger of {', '.join(made)} again." if made
                              else "Every append-only trigger is in place.")
            return
        if what == "head":
            current = integrity.head()
            text = f"{current[0]}:{current[1]}" if current else ""
            self.stdout.write(_json({"head": text or None}) if as_json else
                              (text or "The audit log is empty."))
            return
        anchored = _anchor(anchor)
        total = AuditEntry.objects.count()
        console = Console(stderr=True)
        disabled = as_json or options["verbosity"] == 0 or not console.is_terminal
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=console, disable=disabled) as progress:
            task = progress.add_task("verifying", total=total)
            broken = integrity.verify(anchored,
                                      lambda done: progress.update(task, completed=done))
            progress.update(task, completed=total)
        if as_json:
            self.stdout.write(_json({"entries": total, "intact": broken is None,
                                     "first_break": None if broken is None else {
                                         "seq": broken.seq, "id": broken.entry_id,
                                         "problem": broken.problem}}))
        elif broken is None:
            self.stdout.write(f"The audit log is intact: {total} entries, every link holds"
                              + (f", and it still holds head {anchored[0]}." if anchored else "."))
        if broken is not None:
            raise CommandError(f"the audit log's chain is broken at {broken}",
                               returncode=EXIT_BROKEN)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
