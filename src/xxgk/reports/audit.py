"""Audit many published annual reports at once, and each agency's reports across years.

Pure Python: no Django import. ``read_reports`` reads each file (text, HTML, PDF, DOCX) with
the parser, detects the agency and the year from the report's title, and keeps the cells
read, the cells missing and the format's own checks that failed; a file that cannot be read
is kept with the reason, and the rest go on. ``cross_year_findings`` then compares every
report with the same agency's report of the year before (the carry-over of applications,
per column, and section 二's documents in force), and ``records_findings`` makes the same
comparisons with the reports xxgk itself holds for that agency (given to it as data: the
database side is ``compute.own_reports``).

Nothing is corrected: a report that breaks a rule is shown breaking it, with the numbers,
and a comparison whose cells were not read is *unverifiable*, never passed or failed. The
rules and their messages are ``national_format``'s.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any

from xxgk import archives
from xxgk.reports import national_format as nf
from xxgk.reports.parse import extract, parse_report
from xxgk.taxonomy import CARRIED_OVER_FROM_LAST_YEAR, CARRIED_OVER_TO_NEXT_YEAR, REPORT_COLUMN_KEYS

# The kinds of file a report is published in, by the name's ending.
REPORT_SUFFIXES: tuple[str, ...] = (".txt", ".htm", ".html", ".pdf", ".docx")
FIRST_YEAR, LAST_YEAR = 2008, 2100  # reports exist from 2008, when the Regulation took effect


# ---- The title: agency and year -----------------------------------------------------------

_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}
_CN_YEAR = re.compile("[〇○零一二三四五六七八九]{4}(?=年)")
_TITLE = re.compile(
    r"(?P<before>.*?)(?:关于)?(?P<year>\d{4})年度?(?P<after>.*?)(?:的)?"
    r"政府信息公开(?:工作)?(?:的)?(?:年度)?(?:报告|年报)"
)
# What surrounds an agency's name in a title but is not part of it.
_AGENCY_EDGES = "《》<>「」【】()（）:：,，.。、“”\"' "
_NOT_AN_AGENCY = re.compile(r"[\d。；;!?！？|]")


@dataclass(frozen=True)
class Title:
    """The agency and year a report's title names; None where it names none."""

    agency: str | None
    year: int | None

    @property
    def problem(self) -> str | None:
        """Why the title does not place the report, or None."""
        if self.agency is None and self.year is None:
            return "no title naming an agency and a year was found"
        if self.agency is None:
            return "the title names no agency"
        if self.year is None:
            return "the title names no year"
        return None


def normalise_line(line: str) -> str:
    """A line as titles are matched: full-width forms folded (NFKC: ２０２３ → 2023), a
    year in Chinese numerals as digits (二〇二三 → 2023), and no spaces (PDF extraction
    puts spaces between the characters of a title)."""
    line = unicodedata.normalize("NFKC", line)
    line = _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group()), line)
    return re.sub(r"\s+", "", line)


def agency_key(name: str) -> str:
    """The form of an agency's name under which its reports are grouped and looked up."""
    return normalise_line(name).strip(_AGENCY_EDGES)


def _agency(text: str) -> str | None:
    text = text.strip(_AGENCY_EDGES)
    text = text.removesuffix("关于").removesuffix("的").strip(_AGENCY_EDGES)
    if not 2 <= len(text) <= 60 or _NOT_AN_AGENCY.search(text):
        return None
    return text


def detect_title(text: str) -> Title:
    """The agency and year named by the title on the first lines of ``text``.

    The title is 「<agency><year>年(度)政府信息公开(工作)年度报告」 or the year first
    (「2019年<agency>政府信息公开工作年度报告」), in any digits; an agency's name on the line
    above a title that names only the year (a title broken over two lines) is taken too.
    """
    lines = [normalise_line(line) for line in text.splitlines()[:extract.OPENING_LINES]]
    lines = [line for line in lines if line]
    for index, line in enumerate(lines):
        match = _TITLE.search(line)
        if match is None:
            continue
        year = int(match.group("year"))
        agency = _agency(match.group("before")) or _agency(match.group("after"))
        if agency is None and index > 0 and not match.group("before"):
            agency = _agency(lines[index - 1])
        return Title(agency, year if FIRST_YEAR <= year <= LAST_YEAR else None)
    return Title(None, None)


# ---- Reading a file -----------------------------------------------------------------------

class UnreadableReportError(ValueError):
    """The file cannot be read as a report; the message says why."""


def kind_of(name: str, data: bytes) -> str:
    """``pdf``, ``docx``, ``html`` or ``text``: from the first bytes where they tell, from
    the name's ending otherwise; UnreadableReportError for another kind of file."""
    suffix = PurePosixPath(name).suffix.lower()
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        if suffix != ".docx":
            raise UnreadableReportError("an archive, not a report")
        return "docx"
    if suffix not in REPORT_SUFFIXES:
        raise UnreadableReportError(f"not a report file ({', '.join(REPORT_SUFFIXES)})")
    if suffix in (".pdf", ".docx"):
        raise UnreadableReportError(f"the file is named {suffix} but is not one")
    return "html" if suffix in (".htm", ".html") else "text"


def readable_source(name: str, data: bytes) -> str | bytes:
    """What the parser is given for one file: a PDF's or Word document's bytes (the latter
    bounded by ``archives.check_zip`` before it is opened), a text or HTML file's text;
    UnreadableReportError for another kind of file or undecodable text."""
    kind = kind_of(name, data)
    if kind == "docx":
        try:
            archives.check_zip(data)
        except archives.ArchiveError as error:
            raise UnreadableReportError(f"refused before opening: {error}") from None
    if kind in ("pdf", "docx"):
        return data
    try:
        text = extract.decode(data, strict=True)
    except ValueError as error:
        raise UnreadableReportError(str(error)) from None
    if "\x00" in text:  # an image or another binary file under a text file's name
        raise UnreadableReportError("a binary file, not text")
    return text


def report_title(name: str, data: bytes) -> Title:
    """The agency and year of one file's title, without reading its tables; nothing known
    when the file cannot be read."""
    try:
        blocks, _kind = extract.read_source(readable_source(name, data))
    except Exception:  # noqa: BLE001 (as read_report: the reason is not needed here)
        return Title(None, None)
    return detect_title(extract.opening(blocks))


def archive_members(data: bytes) -> list[tuple[str, bytes]]:
    """The files of a ZIP of reports, by their path in it, in the archive's order; folders,
    hidden files and macOS's ``__MACOSX`` copies left out. The caller bounds the archive
    first (``archives.check_zip``); UnreadableReportError if it is not a ZIP at all."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = []
            for info in archive.infolist():
                name = _member_name(info)
                parts = PurePosixPath(name).parts
                if info.is_dir() or not parts or parts[0] == "__MACOSX" or any(
                        part.startswith(".") for part in parts):
                    continue
                members.append((name, archive.read(info)))
            return members
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError,
            EOFError, ValueError) as error:
        raise UnreadableReportError(f"the ZIP cannot be opened: {error}") from None


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name; one written without the UTF-8 flag by a Chinese Windows is GBK,
    which ``zipfile`` has decoded as code page 437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


# ---- One report ---------------------------------------------------------------------------

Value = int | Decimal | None


@dataclass
class AuditedReport:
    """One file: where it places itself, what was read of it and which of its own checks
    failed; or, when it could not be read, why (``error``)."""

    name: str
    agency: str | None = None
    year: int | None = None
    title_problem: str | None = None
    format: str | None = None
    cells: dict[str, Value] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    ambiguities: int = 0
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def readable(self) -> bool:
        return self.error is None

    @property
    def placed(self) -> bool:
        """Whether the report says whose and which year it is, so it can be compared."""
        return self.readable and self.agency is not None and self.year is not None

    def national(self) -> nf.NationalReport:
        """The cells read, as a report of the detected year (unread cells are gaps)."""
        cells = {k: v for k, v in self.cells.items() if k in nf.CELL_KEYS}
        return nf.NationalReport.from_flat({**cells, nf.YEAR: self.year, nf.AGENCY: self.agency})


# A file's bytes, or a function that reads them (an OSError it raises is the reason the file
# is listed as unreadable, so that one unreadable file does not stop a folder).
Source = bytes | Callable[[], bytes]


def read_report(name: str, data: Source) -> AuditedReport:
    """Parse one file and check it; never raises for a bad file (the reason is kept)."""
    if callable(data):
        try:
            data = data()
        except OSError as error:
            return AuditedReport(name, error=f"cannot be read: {error.strerror or error}")
    try:
        result = parse_report(readable_source(name, data))
    except UnreadableReportError as error:
        return AuditedReport(name, error=str(error))
    except Exception as error:  # noqa: BLE001 (the PDF, HTML and Word libraries raise many kinds)
        return AuditedReport(name, error=f"cannot be read as a report: {error}"
                             if str(error) else "cannot be read as a report")
    title = detect_title(result.opening)
    checks = result.checks
    notes = list(result.notes)
    if not checks.get("available", True):
        notes.append(str(checks.get("reason")))
    return AuditedReport(
        name, agency=title.agency, year=title.year, title_problem=title.problem,
        format=result.format, cells=dict(result.cells), missing=list(result.missing),
        failures=list(checks.get("failures", [])), skipped=list(checks.get("skipped", [])),
        ambiguities=len(result.ambiguities), notes=notes,
    )


def read_reports(files: Iterable[tuple[str, Source]],
                 progress: Callable[[int], None] | None = None) -> list[AuditedReport]:
    """Every file read (see :func:`read_report`), in the order given; ``progress`` is
    called with the number done after each."""
    reports = []
    for done, (name, data) in enumerate(files, 1):
        reports.append(read_report(name, data))
        if progress is not None:
            progress(done)
    return reports


# ---- Across years -------------------------------------------------------------------------

class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    UNVERIFIABLE = "unverifiable"  # a cell it needs was not read


@dataclass(frozen=True)
class Finding:
    """One comparison of a report with the year before: the rule, the column (carry-over)
    or row (in force) compared, both sides (a file name, or where xxgk's report came from),
    its status and national_format's message with the numbers."""

    rule: str
    agency: str
    year: int
    item: str
    current: str
    previous: str
    status: Status
    message: str
    cells: tuple[str, ...] = ()


def _units() -> list[tuple[str, str, tuple[str, ...]]]:
    """Each comparison across years: (rule, item, the cells it reads)."""
    units: list[tuple[str, str, tuple[str, ...]]] = [
        (nf.Rule.CARRY_OVER.value, column,
         (f"{nf.APPLICATIONS}.{CARRIED_OVER_FROM_LAST_YEAR}.{column}",
          f"{nf.APPLICATIONS}.{CARRIED_OVER_TO_NEXT_YEAR}.{column}"))
        for column in REPORT_COLUMN_KEYS
    ]
    units += [
        (nf.Rule.IN_FORCE.value, row,
         tuple(f"{nf.PROACTIVE}.{row}.{c}" for c in ("in_force", "issued", "repealed")))
        for row in nf.IN_FORCE_ROWS
    ]
    return units


UNITS = _units()


def compare_years(previous: nf.NationalReport, current: nf.NationalReport, *, agency: str,
                  previous_name: str, current_name: str) -> list[Finding]:
    """Every comparison of ``current`` with ``previous`` (the year before), one finding per
    column of the carry-over and per row of documents in force, passed ones included."""
    if current.year is None:
        raise ValueError("a report is compared with the year before only when its year is known")
    result = nf.check_carry_over(previous, current) + nf.check_in_force(previous, current)
    findings = []
    for rule, item, cells in UNITS:
        failed = [f for f in result.failures if f.rule == rule and set(f.cells) & set(cells)]
        skipped = [s for s in result.skipped if s.rule == rule and set(s.missing) & set(cells)]
        if failed:
            status, message = Status.FAILED, failed[0].message
        elif skipped:
            status, message = Status.UNVERIFIABLE, skipped[0].message
        else:
            status, message = Status.PASSED, _passed_message(rule, cells, previous, current)
        findings.append(Finding(rule, agency, current.year, item, current_name, previous_name,
                                status, message, cells))
    return findings


def _passed_message(rule: str, cells: tuple[str, ...], previous: nf.NationalReport,
                    current: nf.NationalReport) -> str:
    mine, theirs = current.to_flat(), previous.to_flat()
    if rule == nf.Rule.CARRY_OVER:
        return f"{cells[0]} = {mine[cells[0]]} = {cells[1]} in the {previous.year} report"
    return (f"{cells[0]} = {mine[cells[0]]} = {theirs[cells[0]]} + {mine[cells[1]]} - "
            f"{mine[cells[2]]} from the {previous.year} report")


def _by_agency_and_year(reports: Iterable[AuditedReport]) -> dict[tuple[str, int], list[AuditedReport]]:
    grouped: dict[tuple[str, int], list[AuditedReport]] = defaultdict(list)
    for report in reports:
        if report.placed:
            assert report.agency is not None and report.year is not None
            grouped[agency_key(report.agency), report.year].append(report)
    return grouped


def cross_year_findings(reports: Iterable[AuditedReport]) -> list[Finding]:
    """Each placed report against every report of the same agency for the year before."""
    grouped = _by_agency_and_year(reports)
    findings = []
    for (key, year), current_reports in sorted(grouped.items()):
        for current in current_reports:
            for previous in grouped.get((key, year - 1), []):
                findings += compare_years(previous.national(), current.national(), agency=key,
                                          previous_name=previous.name, current_name=current.name)
    return findings


def duplicates(reports: Iterable[AuditedReport]) -> list[list[str]]:
    """The files that name the same agency and year (each pair is compared with the years
    around it, but which of them is the published one the audit cannot tell)."""
    return [[r.name for r in group] for _key, group in sorted(_by_agency_and_year(reports).items())
            if len(group) > 1]


# ---- Against xxgk's own reports -----------------------------------------------------------

@dataclass(frozen=True)
class OwnReport:
    """A report xxgk holds for an agency and year, and a phrase saying which (published,
    or computed from the records now)."""

    report: nf.NationalReport
    source: str


def wanted_years(reports: Iterable[AuditedReport]) -> set[tuple[str, int]]:
    """The (agency, year) pairs whose reports in xxgk the audited reports are compared
    with: the year before each and the year after."""
    return {(agency_key(r.agency), year)
            for r in reports if r.placed and r.agency is not None and r.year is not None
            for year in (r.year - 1, r.year + 1)}


def records_findings(reports: Iterable[AuditedReport],
                     own: Mapping[tuple[str, int], OwnReport]) -> list[Finding]:
    """Each placed report against xxgk's report of the same agency for the year before (its
    carry-over taken from xxgk's records) and for the year after (xxgk's carry-over taken
    from it), where xxgk has one (``own``, by ``agency_key`` and year)."""
    findings = []
    for report in reports:
        if not report.placed:
            continue
        assert report.agency is not None and report.year is not None
        key, national = agency_key(report.agency), report.national()
        before, after = own.get((key, report.year - 1)), own.get((key, report.year + 1))
        if before is not None:
            findings += compare_years(before.report, national, agency=key,
                                      previous_name=before.source, current_name=report.name)
        if after is not None:
            findings += compare_years(national, after.report, agency=key,
                                      previous_name=report.name, current_name=after.source)
    return findings


# ---- The whole audit ----------------------------------------------------------------------

@dataclass
class Audit:
    reports: list[AuditedReport]
    cross_year: list[Finding]
    against_records: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the audit could not do, and why

    @property
    def duplicates(self) -> list[list[str]]:
        return duplicates(self.reports)

    def counts(self) -> dict[str, int]:
        """Figures for a summary line."""
        findings = self.cross_year + self.against_records
        return {
            "reports": len(self.reports),
            "unreadable": sum(not r.readable for r in self.reports),
            "unplaced": sum(r.readable and not r.placed for r in self.reports),
            "with_failed_checks": sum(bool(r.failures) for r in self.reports),
            **{f"findings_{s.value}": sum(f.status == s for f in findings) for s in Status},
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: money as decimal strings, as national_format writes it."""
        return {
            "counts": self.counts(),
            "reports": [_report_dict(r) for r in self.reports],
            "duplicates": self.duplicates,
            "cross_year": [_finding_dict(f) for f in self.cross_year],
            "against_records": [_finding_dict(f) for f in self.against_records],
            "notes": list(self.notes),
        }


def audit(files: Iterable[tuple[str, Source]], own: Mapping[tuple[str, int], OwnReport] | None = None,
          progress: Callable[[int], None] | None = None) -> Audit:
    """Read every file and compare across years (and with ``own`` when given)."""
    reports = read_reports(files, progress)
    return Audit(reports, cross_year_findings(reports),
                 records_findings(reports, own) if own else [])


def _report_dict(report: AuditedReport) -> dict[str, Any]:
    data = asdict(report)
    data["cells"] = {k: str(v) if isinstance(v, Decimal) else v for k, v in report.cells.items()}
    data["cells_read"] = len(report.cells)
    return data


def _finding_dict(finding: Finding) -> dict[str, Any]:
    data = asdict(finding)
    data["status"] = finding.status.value
    data["cells"] = list(finding.cells)
    return data


def audit_text(result: Audit) -> str:
    """The audit as lines for a terminal: a summary, each report, then each comparison
    that failed or could not be made (passed ones counted)."""
    counts = result.counts()
    lines = [
        f"{counts['reports']} files: {counts['unreadable']} could not be read, "
        f"{counts['unplaced']} name no agency or year, {counts['with_failed_checks']} fail "
        f"their own checks; across years {counts['findings_passed']} comparisons passed, "
        f"{counts['findings_failed']} failed, {counts['findings_unverifiable']} unverifiable.",
        *result.notes,
        "",
    ]
    for report in result.reports:
        if not report.readable:
            lines.append(f"{report.name}: {report.error}")
            continue
        whose = f"{report.agency or '(agency unknown)'} {report.year or '(year unknown)'}"
        lines.append(f"{report.name}: {whose}, format {report.format}, {len(report.cells)} "
                     f"cells read, {len(report.missing)} missing, {len(report.failures)} "
                     f"checks failed, {len(report.skipped)} not run")
        if report.title_problem:
            lines.append(f"  {report.title_problem}")
        lines += [f"  {f['rule']}: {f['message']}" for f in report.failures]
    for group in result.duplicates:
        lines.append(f"same agency and year: {', '.join(group)}")
    for heading, findings in (("Across years", result.cross_year),
                              ("Against xxgk's records", result.against_records)):
        shown = [f for f in findings if f.status != Status.PASSED]
        if not findings:
            continue
        lines += ["", f"{heading}: {len(findings) - len(shown)} passed"]
        lines += [f"  {f.status.value} {f.rule} {f.agency} {f.year} {f.item} "
                  f"({f.current} against {f.previous}): {f.message}" for f in shown]
    return "\n".join(lines)


# ---- The workbook -------------------------------------------------------------------------

REPORTS_SHEET, FAILURES_SHEET, FINDINGS_SHEET = "Reports", "Checks failed", "Across years"
REPORT_COLUMNS = ("file", "agency", "year", "format", "cells read", "cells missing",
                  "checks failed", "checks not run", "ambiguities", "problem")
FAILURE_COLUMNS = ("file", "agency", "year", "rule", "message")
FINDING_COLUMNS = ("compared with", "rule", "agency", "year", "item", "this year",
                   "last year", "status", "message")


def audit_workbook(result: Audit) -> bytes:
    """The audit as an Excel workbook: one row per report, one per failed check of a
    report, and one per comparison across years (with another report or xxgk's own)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    reports = book.active
    reports.title = REPORTS_SHEET
    failures = book.create_sheet(FAILURES_SHEET)
    findings = book.create_sheet(FINDINGS_SHEET)
    for sheet, columns in ((reports, REPORT_COLUMNS), (failures, FAILURE_COLUMNS),
                           (findings, FINDING_COLUMNS)):
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for report in result.reports:
        reports.append((report.name, report.agency, report.year, report.format,
                        len(report.cells), len(report.missing), len(report.failures),
                        len(report.skipped), report.ambiguities,
                        report.error or report.title_problem))
        for failure in report.failures:
            failures.append((report.name, report.agency, report.year, failure["rule"],
                             failure["message"]))
    for against, group in (("report", result.cross_year), ("xxgk", result.against_records)):
        for finding in group:
            findings.append((against, finding.rule, finding.agency, finding.year, finding.item,
                             finding.current, finding.previous, finding.status.value,
                             finding.message))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
