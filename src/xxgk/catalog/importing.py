"""Importing published history from a file: CSV, XLSX or JSON Lines, row by row reported.

Three steps, each usable alone (the command ``xxgk catalog import`` and the staff page
``catalog_import`` run them the same way):

1. :func:`read_bytes` reads a file into rows of raw values keyed by field (``title``,
   ``doc_no``, ``written_on``, ``published_on``, ``body``, ``url``, ``category``, ``kind``,
   ``validity``), whatever the file calls its columns (标题, 文号 …). A CSV is UTF-8 (with or
   without a BOM) or GBK/GB18030, detected: strict UTF-8 first, since a GBK file is almost
   never valid UTF-8, then GB18030 (a superset of GBK). A file that cannot be read at all
   raises :class:`ReadError`, one message.
2. :func:`plan_import` turns the rows into :class:`~xxgk.catalog.bulk.HistoryRecord` and a
   report of :class:`Problem` (row, field, reason): invalid rows, duplicates and warnings.
   It writes nothing. Every rule of content is ``bulk.check_record``'s (the actions
   layer's), so an import reports exactly what the write would refuse.
3. :func:`run_import` writes the valid records with ``bulk.publish_history`` in one
   transaction: nothing at all from a plan with an invalid row unless ``skip_invalid``.

Decisions about real data (``../shared/data/real-documents``): a 成文日期 after the 发布日期
is accepted, the item taken as formed on its publication date (the earlier of the two),
with a warning on the row; a 文号 already held by the agency or given earlier in the file
is a duplicate even when the title differs (the reason then names the other title, since
one of the two numbers is probably wrong); the same title published on the same day is a
duplicate too. Duplicates are skipped and counted, never errors.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.core import file_checks
from xxgk.core.steps import StepError, require_past
from xxgk.core.today import fixed_today, today
from xxgk.docnumbers import doc_no_key

from . import bulk
from .bulk import HistoryRecord
from .models import Category, InfoItem, Origin

FIELDS = ("title", "doc_no", "written_on", "published_on", "body", "url", "category", "kind",
          "validity")
# What files call the fields, normalised (``_header_key``): the keys themselves, the
# Chinese headers of the template, and those that real portals' exports use.
ALIASES: dict[str, str] = {
    **{name: name for name in FIELDS},
    "标题": "title", "名称": "title", "文件名称": "title", "信息名称": "title",
    "文号": "doc_no", "发文字号": "doc_no", "发文文号": "doc_no",
    "成文日期": "written_on", "成文时间": "written_on", "印发日期": "written_on",
    "发布日期": "published_on", "发布时间": "published_on", "公开日期": "published_on",
    "正文": "body", "内容": "body",
    "链接": "url", "网址": "url", "原文链接": "url", "原文地址": "url",
    "分类": "category", "主题分类": "category", "目录分类": "category",
    "文件类型": "kind", "政策文件类型": "kind",
    "有效性": "validity",
}
# Shown on the template's header row, in this order: the Chinese header and the key.
TEMPLATE_HEADERS: tuple[tuple[str, str], ...] = (
    ("标题", "title"), ("文号", "doc_no"), ("成文日期", "written_on"),
    ("发布日期", "published_on"), ("正文", "body"), ("链接", "url"), ("分类", "category"),
    ("文件类型", "kind"), ("有效性", "validity"),
)
MAX_ROWS = 200_000
NOTE_SAMPLE = 8
INVALID, DUPLICATE, WARNING = "invalid", "duplicate", "warning"


class ReadError(Exception):
    """A file that cannot be read as rows at all: ``message`` says why, in one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One line of the report. ``row`` is the file's row (a spreadsheet's row number, the
    header being row 1; a JSON Lines file's line), ``field`` the column's key ("" for the
    whole row), ``kind`` invalid (blocks the import), duplicate (skipped) or warning."""

    row: int
    field: str
    reason: str
    kind: str = INVALID

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "reason": self.reason, "kind": self.kind}


@dataclass
class SourceFile:
    """A file read into rows: ``rows`` are ``(row number, {field: raw value})``."""

    name: str
    format: str
    encoding: str = ""
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    # Rows that could not be read (a line of JSON Lines that is not an object).
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ---- Reading ---------------------------------------------------------------------------

def _header_key(header: Any) -> str:
    text = unicodedata.normalize("NFKC", str(header if header is not None else ""))
    return re.sub(r"[\s*＊:：]+", "", text).lower()


def _field_of(header: Any) -> str | None:
    """The field a column header names: ``标题``, ``title``, or the template's ``标题(title)``."""
    key = _header_key(header)
    if key in ALIASES:
        return ALIASES[key]
    if match := re.fullmatch(r"(.*?)\((.*?)\)", key):
        for part in match.groups()[::-1]:
            if part in ALIASES:
                return ALIASES[part]
    return None


def _note_ignored(source: SourceFile, ignored: Iterable[str]) -> None:
    names = sorted({str(name) for name in ignored if str(name).strip()})
    if names:
        shown = "、".join(names[:NOTE_SAMPLE]) + ("…" if len(names) > NOTE_SAMPLE else "")
        source.notes.append(_("Columns not imported (not known): %(names)s.") % {"names": shown})


def _columns(headers: list[Any]) -> tuple[dict[int, str], list[str]]:
    """Which column holds which field, and the headers ignored; two columns for one
    field are refused (which one would be meant?)."""
    columns: dict[int, str] = {}
    ignored = []
    for index, header in enumerate(headers):
        name = _field_of(header)
        if name is None:
            ignored.append(str(header if header is not None else "").strip())
        elif name in columns.values():
            raise ReadError(_("Two columns give %(field)s: keep one.") % {"field": name})
        else:
            columns[index] = name
    if "title" not in columns.values():
        raise ReadError(_("No title column (标题 or title) in the first row: the first row "
                          "must name the columns."))
    return columns, ignored


def _tabular(source: SourceFile, lines: Iterable[tuple[int, list[Any]]]) -> SourceFile:
    columns: dict[int, str] | None = None
    for number, cells in lines:
        if not any(cell not in (None, "") and str(cell).strip() for cell in cells):
            continue
        if columns is None:
            columns, ignored = _columns(list(cells))
            _note_ignored(source, ignored)
            continue
        if len(source.rows) >= MAX_ROWS:
            raise ReadError(_("The file has more than %(n)d rows: split it.") % {"n": MAX_ROWS})
        source.rows.append((number, {name: cells[index] for index, name in columns.items()
                                     if index < len(cells)}))
    if columns is None:
        raise ReadError(_("The file is empty."))
    return source


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), ("UTF-8 (BOM)" if data.startswith(b"\xef\xbb\xbf")
                                          else "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "GB18030"
    except UnicodeDecodeError:
        raise ReadError(_("The file is neither UTF-8 nor GBK text.")) from None


def _read_csv(data: bytes, name: str) -> SourceFile:
    text, encoding = _decode(data)
    source = SourceFile(name, "csv", encoding)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    # A body may be long (up to actions.MAX_BODY): the default limit is 128 KB.
    csv.field_size_limit(max(csv.field_size_limit(), 4 * bulk.actions.MAX_BODY))
    # strict: a stray quote is refused (one message), not read as a row that runs to the
    # end of the file.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return _tabular(source, enumerate(reader, start=1))
    except csv.Error as error:
        raise ReadError(_("Not a readable CSV file (row %(row)d: %(error)s).")
                        % {"row": reader.line_num, "error": error}) from None


def _read_xlsx(data: bytes, name: str) -> SourceFile:
    import openpyxl

    if not data.startswith(b"PK"):
        raise ReadError(_("Not an XLSX file (an old .xls is saved again as .xlsx or CSV)."))
    if refused := file_checks.archive_refusal(data):
        raise ReadError(refused)
    source = SourceFile(name, "xlsx")
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return _tabular(source, ((number, list(row)) for number, row in
                                     enumerate(sheet.iter_rows(values_only=True), start=1)))
        finally:
            book.close()
    except ReadError:
        raise
    # A damaged workbook fails in any of the zip, XML and openpyxl layers, with their own
    # exception types (BadZipFile, KeyError, ValueError, lxml's …); every one means the
    # same to the person who uploaded it.
    except Exception as error:  # noqa: BLE001
        raise ReadError(_("Not a readable XLSX file (%(error)s).")
                        % {"error": type(error).__name__}) from None


def _read_jsonl(data: bytes, name: str) -> SourceFile:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReadError(_("A JSON Lines file is UTF-8 text.")) from None
    source = SourceFile(name, "jsonl", "UTF-8")
    ignored: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(source.rows) >= MAX_ROWS:
            raise ReadError(_("The file has more than %(n)d rows: split it.") % {"n": MAX_ROWS})
        try:
            value = json.loads(line)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            source.problems.append(Problem(number, "", _("The line is not a JSON object.")))
            continue
        row: dict[str, Any] = {}
        for key, cell in value.items():
            name = _field_of(key)
            if name is None:
                ignored.add(str(key))
            elif name in row and cell not in (None, ""):
                source.problems.append(Problem(number, name, _("Given twice.")))
            elif cell not in (None, "") or name not in row:
                row[name] = cell
        source.rows.append((number, row))
    if not source.rows and not source.problems:
        raise ReadError(_("The file is empty."))
    _note_ignored(source, ignored)
    return source


def read_bytes(data: bytes, name: str) -> SourceFile:
    """Read a file's content; the format follows the name's ending, else the content."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xls":
        raise ReadError(_("Not an XLSX file (an old .xls is saved again as .xlsx or CSV)."))
    if suffix in (".xlsx", ".xlsm") or (suffix not in (".csv", ".txt", ".tsv", ".jsonl",
                                                        ".ndjson", ".json")
                                        and data.startswith(b"PK\x03\x04")):
        return _read_xlsx(data, name)
    if suffix in (".jsonl", ".ndjson", ".json") or (
            suffix not in (".csv", ".txt", ".tsv") and data.lstrip()[:1] == b"{"):
        return _read_jsonl(data, name)
    return _read_csv(data, name)


def read_path(path: str | Path) -> SourceFile:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadError(_("Cannot read the file: %(error)s.")
                        % {"error": error.strerror or error}) from None
    return read_bytes(data, path.name)


# ---- Values ----------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(r"[〇零○Ｏ一二三四五六七八九十]+")
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_FORMS = (
    re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})" + _TIME),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?" + _TIME),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def _cn_number(match: re.Match[str]) -> str:
    """二〇二三 → 2023, 十二 → 12, 三十一 → 31 (the written-out dates of 公文)."""
    text = match.group()
    if "十" not in text:
        return "".join(str(_CN_DIGITS[ch]) for ch in text)
    tens, _sep, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return text
    return str((_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0))


class BadValueError(Exception):
    """A cell that is not a value of its column; the message says why."""


def _shown(value: Any) -> str:
    text = str(value).strip()
    return text if len(text) <= 40 else text[:40] + "…"


def parse_date(value: Any) -> dt.date:
    """A date as files write it: 2023-01-05, 2023/1/5, 2023.1.5, 2023年1月5日, 20230105,
    二〇二三年一月五日, a spreadsheet's date cell; else :class:`BadValueError` saying why."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadValueError(_("%(value)s is not a date.") % {"value": _shown(value)})
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = _CN_NUMBER.sub(_cn_number, text)
    for form in _DATE_FORMS:
        if match := form.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise BadValueError(_("There is no such day as %(value)s.")
                                   % {"value": _shown(value)}) from None
    raise BadValueError(_("%(value)s is not a date (write it as 2023-01-05, 2023/1/5, "
                         "2023年1月5日 or 20230105).") % {"value": _shown(value)})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        raise BadValueError(_("A text was expected."))
    return str(value).strip()


def _choice(value: str, choices: tuple[taxonomy.Category, ...]) -> str:
    """A key or its Chinese or English label."""
    wanted = _header_key(value)
    for choice in choices:
        if wanted in (choice.key.lower(), _header_key(choice.label_zh),
                      _header_key(choice.label_en)):
            return choice.key
    raise BadValueError(_("Unknown value %(value)s: one of %(choices)s.") % {
        "value": _shown(value), "choices": "、".join(c.label_zh for c in choices)})


def _title_key(title: str, published_on: dt.date) -> tuple[str, dt.date]:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", title)).strip(), published_on


# ---- Planning --------------------------------------------------------------------------

@dataclass
class ImportPlan:
    """What an import would do: nothing is written by making one."""

    agency: Agency
    source: SourceFile
    rows: int
    # The rows to write, each with its row number and its duplicate keys.
    records: list[tuple[int, HistoryRecord]]
    problems: list[Problem]

    def _rows(self, kind: str) -> set[int]:
        return {p.row for p in self.problems if p.kind == kind}

    @property
    def invalid(self) -> int:
        return len(self._rows(INVALID))

    @property
    def duplicates(self) -> int:
        return len(self._rows(DUPLICATE))

    @property
    def warnings(self) -> int:
        return len([p for p in self.problems if p.kind == WARNING])

    @property
    def blocked(self) -> bool:
        """Invalid rows block the whole import unless they are skipped."""
        return self.invalid > 0

    def counts(self) -> dict[str, Any]:
        return {"file": self.source.name, "format": self.source.format,
                "encoding": self.source.encoding, "agency": self.agency.code,
                "rows": self.rows, "valid": len(self.records), "invalid": self.invalid,
                "duplicates": self.duplicates, "warnings": self.warnings}


@dataclass
class ImportResult:
    plan: ImportPlan
    pks: list[int]
    # Rows found held only when writing (imported meanwhile by someone else).
    late_duplicates: int = 0

    @property
    def imported(self) -> int:
        return len(self.pks)

    def counts(self) -> dict[str, Any]:
        counts = self.plan.counts()
        counts.update(imported=self.imported,
                      duplicates=self.plan.duplicates + self.late_duplicates)
        return counts


class ImportBlockedError(StepError):
    """Invalid rows block the import (nothing was written)."""


class _Lookups:
    """The catalogue categories by code and name, read once per plan."""

    def __init__(self) -> None:
        self.by_code: dict[str, Category] = {}
        self.by_name: dict[str, list[Category]] = {}
        for category in Category.objects.all():
            self.by_code[category.code.lower()] = category
            for name in {category.name, category.name_en}:
                if name:
                    self.by_name.setdefault(_header_key(name), []).append(category)

    def category(self, value: str) -> Category:
        if found := self.by_code.get(value.strip().lower()):
            return found
        named = self.by_name.get(_header_key(value), [])
        if len(named) == 1:
            return named[0]
        if named:
            raise BadValueError(_("Several categories are called %(value)s: give the code.")
                               % {"value": _shown(value)})
        raise BadValueError(_("Unknown category %(value)s: give a code or a name of the "
                             "catalogue.") % {"value": _shown(value)})


# What a field of ``bulk.check_record`` becomes when its rule is broken, so that the other
# fields are checked too (each check stops at the first broken rule).
def _neutral(record: HistoryRecord, name: str) -> HistoryRecord | None:
    from dataclasses import replace

    formed = record.formed_on or record.published_on
    neutral: dict[str, Any] = {
        "title": {"title": "-"}, "doc_no": {"doc_no": ""}, "summary": {"summary": ""},
        "topic_words": {"topic_words": ""}, "body": {"body": ""}, "body_en": {"body_en": ""},
        "title_en": {"title_en": ""}, "url": {"url": ""}, "category": {"category": None},
        "channels": {"channels": ()}, "kind": {"kind": ""}, "validity": {"validity": "in_force"},
        "formed_on": {"formed_on": max(formed, bulk.actions.EARLIEST)},
        "published_on": {"published_on": formed, "formed_on": formed},
    }.get(name, {})
    return replace(record, **neutral) if neutral else None


def _rule_problems(number: int, record: HistoryRecord, written: bool) -> list[Problem]:
    """Every rule ``record`` breaks; ``written`` says whether its formed_on is the row's
    成文日期 (else its 发布日期)."""
    problems: list[Problem] = []
    for _attempt in range(16):
        try:
            bulk.check_record(record)
            return problems
        except StepError as error:
            name = error.field or ""
            # The import's columns: formed_on is the 成文日期 when one was given.
            shown = {"formed_on": "written_on" if written else "published_on"}.get(name, name)
            problems.append(Problem(number, shown, error.message))
            following = _neutral(record, name)
            if following is None or following == record:
                return problems
            record = following
    return problems


def _plan_row(number: int, raw: dict[str, Any], lookups: _Lookups
              ) -> tuple[HistoryRecord | None, list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}

    def parse(name: str, convert: Callable[[Any], Any]) -> None:
        try:
            values[name] = convert(raw.get(name))
        except BadValueError as problem:
            problems.append(Problem(number, name, str(problem)))

    for name in ("title", "doc_no", "body", "url", "category", "kind", "validity"):
        parse(name, _text)
    for name in ("written_on", "published_on"):
        if _text_or_none(raw.get(name)) is None:
            values[name] = None
        else:
            parse(name, parse_date)
    if values.get("title") == "":
        problems.append(Problem(number, "title", _("Give the title.")))
    if "published_on" in values and values["published_on"] is None:
        problems.append(Problem(number, "published_on", _("Give the date of publication.")))
    if values.get("category"):
        parse("category", lookups.category)
    if values.get("kind"):
        parse("kind", lambda v: _choice(_text(v), taxonomy.POLICY_KINDS))
    if values.get("validity"):
        parse("validity", lambda v: _choice(_text(v), taxonomy.VALIDITIES))
    failed = {p.field for p in problems}
    # A value that could not be read is replaced by a harmless one, so that the rules
    # below still judge the other fields: the report names every fault of the row.
    for name, neutral in (("title", "-"), ("doc_no", ""), ("body", ""), ("url", ""),
                          ("category", None), ("kind", ""), ("validity", ""),
                          ("written_on", None), ("published_on", None)):
        if name in failed or name not in values or (name == "category"
                                                    and not isinstance(values[name], Category)):
            values[name] = neutral
    written, published = values["written_on"], values["published_on"]
    if published is None:
        published = written or today()
    if written is not None:
        try:
            require_past(written, "written_on")
        except StepError as error:
            problems.append(Problem(number, "written_on", error.message))
            written = None
    if values["validity"] and not values["kind"] and "kind" not in failed:
        problems.append(Problem(number, "validity", _(
            "Validity is kept for policy documents only (give 文件类型): not imported."),
            WARNING))
    formed = written
    if written is not None and written > published:
        formed = published
        problems.append(Problem(number, "written_on", _(
            "Written after it was published (%(written)s > %(published)s): taken as formed on "
            "its publication date.") % {"written": written.isoformat(),
                                         "published": published.isoformat()}, WARNING))
    record = HistoryRecord(
        title=re.sub(r"\s+", " ", values["title"]), published_on=published, formed_on=formed,
        doc_no=values["doc_no"], body=values["body"], url=values["url"],
        category=values["category"], kind=values["kind"],
        validity=values["validity"] or "in_force")
    # The first fault of each field is reported (a date before 1949 is also "published
    # before it was formed" once the rules move on; that says nothing new).
    reported = {p.field for p in problems if p.kind == INVALID}
    for problem in _rule_problems(number, record, formed is not None and formed == written):
        if problem.field not in reported:
            problems.append(problem)
            reported.add(problem.field)
    if any(p.kind == INVALID for p in problems):
        return None, problems
    return record, problems


def _text_or_none(value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def _held(agency: Agency) -> tuple[dict[str, str], dict[tuple[str, dt.date], str]]:
    """The agency's items by 文号 and by (title, date of publication): their index numbers."""
    by_doc_no: dict[str, str] = {}
    by_title: dict[tuple[str, dt.date], str] = {}
    for index_no, doc_no, title, published_on in (
            InfoItem.objects.filter(agency=agency)
            .values_list("index_no", "doc_no", "title", "published_on").iterator(2000)):
        if doc_no:
            by_doc_no.setdefault(doc_no_key(doc_no), f"{index_no} {title}")
        if published_on is not None:
            by_title.setdefault(_title_key(title, published_on), index_no)
    return by_doc_no, by_title


def _duplicate(record: HistoryRecord, number: int, held: tuple[dict, dict],
               seen: tuple[dict, dict]) -> Problem | None:
    doc_key = doc_no_key(record.doc_no) if record.doc_no else None
    title_key = _title_key(record.title, record.published_on)
    if doc_key and doc_key in held[0]:
        return Problem(number, "doc_no", _("The agency already holds this 文号: %(item)s.")
                       % {"item": held[0][doc_key]}, DUPLICATE)
    if title_key in held[1]:
        return Problem(number, "title", _("The agency already holds an item of this title "
                                          "published that day: %(item)s.")
                       % {"item": held[1][title_key]}, DUPLICATE)
    if doc_key and doc_key in seen[0]:
        row, title = seen[0][doc_key]
        if _title_key(title, record.published_on)[0] == title_key[0]:
            reason = _("The same 文号 as row %(row)d.") % {"row": row}
        else:
            reason = (_("The same 文号 as row %(row)d, whose title differs (%(title)s): one of "
                        "the two numbers is probably wrong.")
                      % {"row": row, "title": _shown(title)})
        return Problem(number, "doc_no", reason, DUPLICATE)
    if title_key in seen[1]:
        return Problem(number, "title", _("The same title and date of publication as row "
                                          "%(row)d.") % {"row": seen[1][title_key]}, DUPLICATE)
    return None


def plan_import(agency: Agency, source: SourceFile) -> ImportPlan:
    """What importing ``source`` into ``agency``'s catalogue would do, row by row."""
    lookups = _Lookups()
    held = _held(agency)
    # Every row is judged against the same today (read once, not twice a row).
    day = today()
    seen: tuple[dict[str, tuple[int, str]], dict[tuple[str, dt.date], int]] = ({}, {})
    records: list[tuple[int, HistoryRecord]] = []
    problems = list(source.problems)
    with fixed_today(day):
        for number, raw in source.rows:
            record, row_problems = _plan_row(number, raw, lookups)
            problems.extend(row_problems)
            if record is None:
                continue
            if duplicate := _duplicate(record, number, held, seen):
                problems.append(duplicate)
                continue
            if record.doc_no:
                seen[0].setdefault(doc_no_key(record.doc_no), (number, record.title))
            seen[1].setdefault(_title_key(record.title, record.published_on), number)
            records.append((number, record))
    problems.sort(key=lambda p: p.row)
    return ImportPlan(agency, source, len(source.rows) + len(source.problems), records,
                      problems)


def run_import(plan: ImportPlan, *, skip_invalid: bool = False, actor: Any = None,
               request: HttpRequest | None = None,
               progress: Callable[[int], None] | None = None) -> ImportResult:
    """Write the plan's valid records, all in one transaction, as imported history."""
    if plan.blocked and not skip_invalid:
        raise ImportBlockedError(_("%(n)d rows are invalid, so nothing was imported: correct them, "
                              "or skip them.") % {"n": plan.invalid})
    with transaction.atomic():
        # Held again inside the transaction: an item imported since the plan was made is
        # a duplicate now, not a second copy.
        held = _held(plan.agency)
        records, late = [], 0
        for number, record in plan.records:
            if _duplicate(record, number, held, ({}, {})) is None:
                records.append(record)
            else:
                late += 1
        pks = bulk.publish_history(plan.agency, records, origin=Origin.IMPORTED, actor=actor,
                                   request=request, progress=progress)
    return ImportResult(plan, pks, late)


# ---- The template ----------------------------------------------------------------------

EXAMPLE_ROW: tuple[Any, ...] = (
    "北京市西城区教育委员会关于印发《西城区中小学课后服务管理办法》的通知", "西教发〔2023〕5号",
    dt.date(2023, 3, 1), dt.date(2023, 3, 6), "各中小学：现将《西城区中小学课后服务管理办法》印发给你们，请认真贯彻执行。",
    "https://www.bjxch.gov.cn/xxgk/2023/03/06/1.html", "规章和规范性文件", "行政规范性文件", "有效",
)


def template_workbook() -> bytes:
    """The XLSX template: the header row (Chinese header and key) and one example row on
    the first sheet, which is the one read; what each column takes on the second."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "导入"
    sheet.append([f"{zh} ({key})" for zh, key in TEMPLATE_HEADERS])
    sheet.append(list(EXAMPLE_ROW))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in (sheet["C2"], sheet["D2"]):
        cell.number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFGHI", (50, 18, 12, 12, 40, 36, 18, 16, 10), strict=True):
        sheet.column_dimensions[column].width = width
    guide = book.create_sheet("说明")
    kinds = "、".join(f"{c.label_zh} ({c.key})" for c in taxonomy.POLICY_KINDS)
    validities = "、".join(f"{c.label_zh} ({c.key})" for c in taxonomy.VALIDITIES)
    kinds_en = ", ".join(f"{c.key} ({c.label_en})" for c in taxonomy.POLICY_KINDS)
    validities_en = ", ".join(f"{c.key} ({c.label_en})" for c in taxonomy.VALIDITIES)
    # The file goes from office to office whoever downloaded it: the notes are in both
    # languages, the English ones for staff working on the English interface.
    for row in (
        ("列", "必填", "说明", "Notes"),
        ("标题 (title)", "是", "不超过300字", "Required; at most 300 characters"),
        ("文号 (doc_no)", "", "如 西政发〔2023〕1号；与本机关已有信息文号相同的视为重复，跳过",
         "e.g. 西政发〔2023〕1号; a number the agency already has is a duplicate, skipped"),
        ("成文日期 (written_on)", "", "2023-01-05、2023/1/5、2023年1月5日 或 20230105；不填则同发布日期",
         "2023-01-05, 2023/1/5, 2023年1月5日 or 20230105; left empty, the publication date"),
        ("发布日期 (published_on)", "是", "同上；不得晚于今天、早于1949年10月1日",
         "Required; as above, not after today nor before 1 October 1949"),
        ("正文 (body)", "", "纯文本或HTML（脚本等会被清除）",
         "Plain text or HTML (scripts and the like are removed)"),
        ("链接 (url)", "", "原发布页面地址，http:// 或 https://",
         "The page it was first published on, http:// or https://"),
        ("分类 (category)", "", "目录分类的代码或名称，见下",
         "The code or name of a catalogue category, listed below"),
        ("文件类型 (kind)", "", f"政策文件填写：{kinds}；其他信息留空",
         f"For a policy document: {kinds_en}; empty for other information"),
        ("有效性 (validity)", "", f"政策文件：{validities}；不填为有效",
         f"For a policy document: {validities_en}; empty means in force"),
        (),
        ("分类代码", "名称", "", "Name"),
        *((c.code, c.name, "", c.name_en) for c in Category.objects.filter(is_active=True)),
    ):
        guide.append(list(row))
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["C"].width = 80
    guide.column_dimensions["D"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
