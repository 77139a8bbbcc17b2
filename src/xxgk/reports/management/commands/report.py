"""``xxgk report``: an annual report as a file, or a published report read back.

``xxgk report --year Y [--agency CODE] --format FMT [--output FILE] [--live]`` writes the
report of an agency (the top of the tree by default, rolled up as its report is configured
to be): the published snapshot if there is one, else computed from the records now
(``--live`` always computes). ``xxgk report parse FILE [--json]`` reads a published report
(text, HTML or PDF) and prints what was found, lost and failed. ``xxgk report audit DIR
[--json] [--xlsx FILE]`` reads every report in a folder and compares each agency's reports
across years and with xxgk's own (``reports/audit.py``).

Bad input ends in one line and a non-zero exit, never a usage screen or a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xxgk.agencies.models import Agency
from xxgk.documents import MissingFontError
from xxgk.reports import audit
from xxgk.reports.compute import audit_reports, cells_text, report_for
from xxgk.reports.parse import parse_report
from xxgk.reports.parse_output import render_parse_result_text

# The renderers (python-docx, openpyxl, WeasyPrint through the PDF) are imported when a
# report is written, not here: ``report parse`` and ``--help`` never need them.
FORMAT_NAMES = ("html", "docx", "pdf", "xlsx", "json")
TEXT_FORMATS = {"html", "json"}
EXIT_USAGE = 2


def _one_line_errors(parser: CommandParser) -> None:
    """Argument errors as one line (``xxgk report: …``) rather than argparse's usage screen;
    from ``call_command`` they stay a CommandError."""

    def error(message: str) -> None:
        if not parser.called_from_command_line:
            raise CommandError(message)
        sys.stderr.write(f"xxgk report: {message}\n")
        sys.exit(EXIT_USAGE)

    parser.error = error  # type: ignore[method-assign]


class Command(BaseCommand):
    # Checks are run by ``handle`` for writing a report only: ``report parse`` reads a file
    # and no more, and the checks (every view through the URLconf, the fonts) would take
    # most of its time. ``--skip-checks`` is kept, declared below, as Django would have.
    requires_system_checks: list[str] = []
    help = (
        "Write an annual report (--year, --format html|docx|pdf|xlsx|json, optionally "
        "--agency CODE, --output FILE, --live), or read a published one: report parse FILE."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        _one_line_errors(parser)
        parser.add_argument("--skip-checks", action="store_true",
                            help="skip the system checks before writing a report")
        parser.add_argument("--year", help="the calendar year the report covers")
        parser.add_argument("--agency", metavar="CODE",
                            help="the agency's code (default: the top of the tree)")
        parser.add_argument("--format", dest="fmt", metavar="FORMAT",
                            help=f"one of {', '.join(FORMAT_NAMES)}")
        parser.add_argument("--output", "-o", metavar="FILE",
                            help="write to FILE rather than standard output")
        parser.add_argument("--live", action="store_true",
                            help="compute from the records even if the report is published")
        actions = parser.add_subparsers(dest="action", metavar="parse|audit", required=False)
        reader = actions.add_parser("parse", help="read a published report (text, HTML or PDF)")
        _one_line_errors(reader)
        reader.add_argument("file", help="the report file")
        reader.add_argument("--json", action="store_true", dest="as_json",
                            help="print the result as JSON")
        auditor = actions.add_parser(
            "audit", help="read every report in a folder and compare them across years")
        _one_line_errors(auditor)
        auditor.add_argument("folder", help="the folder of reports (txt, html, pdf, docx)")
        auditor.add_argument("--json", action="store_true", dest="as_json",
                             help="print the audit as one JSON object")
        auditor.add_argument("--xlsx", metavar="FILE", help="also write the audit as a workbook")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("action") == "parse":
            self._parse(options["file"], options.get("as_json", False))
            return
        if options.get("action") == "audit":
            self._audit(options["folder"], options.get("as_json", False), options.get("xlsx"),
                        options["verbosity"])
            return
        if not options.get("skip_checks"):
            self.check()
        from xxgk.reports.render import FORMATS, render

        year = _year(options["year"])
        fmt = options["fmt"]
        if not fmt:
            raise CommandError(f"give --format: one of {', '.join(FORMATS)}")
        if fmt not in FORMATS:
            raise CommandError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
        output = options["output"]
        if output is None and fmt not in TEXT_FORMATS and self.stdout.isatty():
            raise CommandError(f"{fmt} is a binary format: give --output FILE or redirect "
                               "standard output to a file")
        agency = _agency(options["agency"])
        report, source = report_for(agency, year, live=options["live"])
        try:
            data = render(report, fmt)
        except MissingFontError as exc:
            raise CommandError(str(exc)) from None
        if output is None:
            self._write(data, fmt)
            return
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from None
        self.stdout.write(f"{output}: {agency.name} {year}, {source}")

    def _write(self, data: bytes, fmt: str) -> None:
        if fmt in TEXT_FORMATS:
            self.stdout.write(data.decode("utf-8"), ending="" if data.endswith(b"\n") else "\n")
            return
        buffer = getattr(self.stdout._out, "buffer", None)
        if buffer is None:
            raise CommandError(f"{fmt} is a binary format: give --output FILE")
        self.stdout.flush()
        buffer.write(data)
        buffer.flush()

    def _parse(self, file: str, as_json: bool) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        try:
            result = parse_report(path)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from None
        except Exception as exc:  # the PDF and HTML libraries raise many kinds
            raise CommandError(f"cannot read {file} as a report: {exc}") from None
        if as_json:
            text = result.to_json(indent=2)
        else:
            text = f"{render_parse_result_text(result)}\n{cells_text(result.cells)}"
        self.stdout.write(text, ending="" if text.endswith("\n") else "\n")


    def _audit(self, folder: str, as_json: bool, xlsx: str | None, verbosity: int) -> None:
        files = _report_files(folder)
        if xlsx is not None and not Path(xlsx).parent.is_dir():
            raise CommandError(f"cannot write {xlsx}: no such folder")
        # On standard error, so that --json stays one JSON object; only on a terminal.
        console = Console(stderr=True)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=console,
                      disable=verbosity == 0 or not console.is_terminal) as progress:
            task = progress.add_task("reading", total=len(files))
            result = audit_reports(
                ((str(p.relative_to(folder)), p.read_bytes) for p in files),
                Agency.objects.all(), lambda done: progress.update(task, completed=done))
        if xlsx is not None:
            try:
                Path(xlsx).write_bytes(audit.audit_workbook(result))
            except OSError as exc:
                raise CommandError(f"cannot write {xlsx}: {exc.strerror or exc}") from None
        text = (json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if as_json
                else audit.audit_text(result))
        self.stdout.write(text, ending="" if text.endswith("\n") else "\n")


def _report_files(folder: str) -> list[Path]:
    """Every file under ``folder``, in name order, without hidden files (``.DS_Store``)."""
    root = Path(folder)
    if not root.is_dir():
        raise CommandError(f"no such folder: {folder}")
    try:
        return sorted(p for p in root.rglob("*") if p.is_file()
                      and not any(part.startswith(".") for part in p.relative_to(root).parts))
    except OSError as exc:
        raise CommandError(f"cannot read {folder}: {exc.strerror or exc}") from None


def _year(value: Any) -> int:
    if value is None:
        raise CommandError("give --year, the calendar year the report covers")
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise CommandError(f"year must be a whole number, got {value!r}") from None
    if not 2000 <= year <= timezone.localdate().year:
        raise CommandError(f"year must be between 2000 and {timezone.localdate().year}, "
                           f"got {year}")
    return year


def _agency(code: str | None) -> Agency:
    if code is not None:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(f"no agency has the code {code!r}")
        return agency
    top = Agency.objects.filter(parent__isnull=True).order_by("sort_order", "pk").first()
    if top is None:
        raise CommandError("no agency has been configured yet (`xxgk demo` builds a district)")
    return top
