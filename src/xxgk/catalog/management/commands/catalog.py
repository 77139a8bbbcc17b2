"""``xxgk catalog import FILE --agency CODE [--dry-run] [--skip-invalid] [--json]``.

Reads a CSV (UTF-8 or GBK), XLSX or JSON Lines file of published history, prints the
per-row report (row, field, reason) and imports the valid rows into the agency's
catalogue as imported history (``catalog.importing``). A file with an invalid row imports
nothing unless ``--skip-invalid``; the exit status is then 1, after the report, so that a
script sees it (``--dry-run`` answers the same: would the import go through?). ``--json``
prints the counts and the report as one JSON object on standard output.

Bad input ends in one line and a non-zero exit, never a usage screen or a traceback.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xxgk.agencies.models import Agency
from xxgk.catalog import importing
from xxgk.core.steps import StepError

EXIT_USAGE = 2
FORMAT_NAMES = {"csv": "CSV", "xlsx": "XLSX", "jsonl": "JSON Lines"}


def _one_line_errors(parser: CommandParser, name: str) -> None:
    """Argument errors as one line (``xxgk catalog: …``) rather than argparse's usage
    screen; from ``call_command`` they stay a CommandError."""

    def error(message: str) -> None:
        if not parser.called_from_command_line:
            raise CommandError(message)
        sys.stderr.write(f"xxgk {name}: {message}\n")
        sys.exit(EXIT_USAGE)

    parser.error = error  # type: ignore[method-assign]


class Command(BaseCommand):
    help = ("The catalogue from the command line: catalog import FILE --agency CODE "
            "[--dry-run] [--skip-invalid] [--json] imports published history.")

    def add_arguments(self, parser: CommandParser) -> None:
        _one_line_errors(parser, "catalog")
        actions = parser.add_subparsers(dest="action", metavar="import", required=True)
        reader = actions.add_parser(
            "import", help="import published items from a CSV, XLSX or JSON Lines file")
        # Subparsers are built by argparse, not by Django: they need the flag themselves.
        reader.called_from_command_line = parser.called_from_command_line  # type: ignore[attr-defined]
        _one_line_errors(reader, "catalog import")
        reader.add_argument("file", help="the file (.csv, .xlsx or .jsonl)")
        reader.add_argument("--agency", metavar="CODE", required=True,
                            help="the code of the agency whose catalogue receives the items")
        reader.add_argument("--dry-run", action="store_true",
                            help="check and report, write nothing")
        reader.add_argument("--skip-invalid", action="store_true",
                            help="import the valid rows even if others are invalid")
        reader.add_argument("--json", action="store_true", dest="as_json",
                            help="print the counts and the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"no agency has the code {options['agency']!r}")
        try:
            source = importing.read_path(options["file"])
        except importing.ReadError as error:
            raise CommandError(f"{options['file']}: {error.message}") from None
        plan = importing.plan_import(agency, source)
        counts = plan.counts()
        blocked = plan.blocked and not options["skip_invalid"]
        imported = 0
        if not options["dry_run"] and not blocked:
            imported = self._run(plan, options)
            counts["imported"] = imported.imported
            counts["duplicates"] = imported.counts()["duplicates"]
        else:
            counts["imported"] = 0
        counts["dry_run"] = options["dry_run"]
        if options["as_json"]:
            self.stdout.write(json.dumps(
                {**counts, "notes": source.notes,
                 "problems": [p.as_dict() for p in plan.problems]},
                ensure_ascii=False, indent=1))
        else:
            self._print_report(plan, counts)
        if blocked:
            raise CommandError(
                f"{plan.invalid} rows are invalid: nothing "
                f"{'would be' if options['dry_run'] else 'was'} imported "
                "(correct them, or give --skip-invalid to import the other rows)")

    def _run(self, plan: importing.ImportPlan, options: dict[str, Any]
             ) -> importing.ImportResult:
        # On standard error, so that --json output stays one JSON object; only on a
        # terminal, so that a script's log gets no bar frames.
        console = Console(stderr=True)
        disabled = options["verbosity"] == 0 or not console.is_terminal
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=console, disable=disabled) as progress:
            task = progress.add_task("importing", total=len(plan.records))
            try:
                return importing.run_import(
                    plan, skip_invalid=options["skip_invalid"],
                    progress=lambda done: progress.update(task, completed=done))
            except StepError as error:
                raise CommandError(error.message) from None

    def _print_report(self, plan: importing.ImportPlan, counts: dict[str, Any]) -> None:
        source = plan.source
        described = FORMAT_NAMES[source.format] + (f", {source.encoding}"
                                                   if source.encoding else "")
        self.stdout.write(f"{source.name} ({described}) → {plan.agency.code} "
                          f"{plan.agency.name}")
        for note in source.notes:
            self.stdout.write(f"  {note}")
        for problem in plan.problems:
            self.stdout.write(f"row {problem.row:>6}  {problem.kind:<9}  "
                              f"{problem.field or '-':<12}  {problem.reason}")
        self.stdout.write(
            f"{counts['rows']} rows: {counts['imported']} imported"
            f"{' (dry run: ' + str(counts['valid']) + ' would be)' if counts['dry_run'] else ''}"
            f", {counts['invalid']} invalid, {counts['duplicates']} duplicates, "
            f"{counts['warnings']} warnings")
