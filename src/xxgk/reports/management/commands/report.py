"""``xxgk report``: an annual report as a file, or a published report read back.

``xxgk report --year Y [--agency CODE] --format FMT [--output FILE] [--live]`` writes the
report of an agency (the top of the tree by default, rolled up as its report is configured
to be): the published snapshot if there is one, else computed from the records now
(``--live`` always computes). ``xxgk report parse FILE [--json]`` reads a published report
(text, HTML or PDF) and prints what was found, lost and failed.

Bad input ends in one line and a non-zero exit, never a usage screen or a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xxgk.agencies.models import Agency
from xxgk.documents import MissingFontError
from xxgk.reports import national_format as nf
from xxgk.reports.compute import cells_text, compute_report, with_narrative
from xxgk.reports.models import AnnualReport
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
        actions = parser.add_subparsers(dest="action", metavar="parse", required=False)
        reader = actions.add_parser("parse", help="read a published report (text, HTML or PDF)")
        _one_line_errors(reader)
        reader.add_argument("file", help="the report file")
        reader.add_argument("--json", action="store_true", dest="as_json",
                            help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("action") == "parse":
            self._parse(options["file"], options.get("as_json", False))
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
        report, source = _report(agency, year, live=options["live"])
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


def _report(agency: Agency, year: int, *, live: bool) -> tuple[nf.NationalReport, str]:
    """The report to write and a phrase saying where it came from."""
    annual = AnnualReport.objects.filter(agency=agency, year=year).first()
    if annual is not None and annual.snapshot is not None and not live:
        published = timezone.localtime(annual.published_at).date() if annual.published_at else None
        return (nf.NationalReport.from_json_object(annual.snapshot),
                f"the report as published on {published}")
    report = compute_report(agency, year)
    if annual is not None:
        with_narrative(report, annual)
    return report, "computed from the records now"
