"""Section 二 and the publishing figures of section 一: counted or entered, one interface.

The catalogue counts what it records (``catalog.counting``: government rules and normative
documents, items published, key-area items, policy documents, interpretations, and the
items published on the portal, on Weibo and on WeChat) for the agencies that keep their
catalogue in xxgk, and ``consultations.counting`` the consultations held. Everything else —
licensing, penalty and enforcement decisions, fees collected, meetings, site visits — and
every figure of an agency that does not keep its catalogue here is entered by staff per
agency and year (by form or by an XLSX workbook). An entered figure wins over a count. Everything that needs these figures calls :func:`proactive_figures` and
:func:`publishing_figures`, so the rule lives here only.

The workbook (one sheet; the first row is a header and is skipped) has one figure per row:

=========  ======  ============================  =====  ==========================
A: code    B: year C: key                        D: value  E: label (ignored)
=========  ======  ============================  =====  ==========================
110102     2023    proactive.rules.issued        2      规章·本年制发件数
110102     2023    portal_items                  25284  门户网站发布信息（条）
=========  ======  ============================  =====  ==========================

Keys are section 二's flat keys (``proactive.<row>.<column>``) and the names in
:data:`PUBLISHING_FIGURES`. An empty value clears the figure (not entered); a figure not in
the workbook is left as it is. :func:`figures_template` writes such a workbook, prefilled.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.catalog import counting
from xxgk.consultations.counting import counts as consultation_counts
from xxgk.core import file_checks
from xxgk.reports import national_format as nf

from .models import EnteredFigures

# The publishing figures of section 一: (field of EnteredFigures, label as the report says it).
PUBLISHING_FIGURES: tuple[tuple[str, str], ...] = (
    ("items_published", "全年主动公开信息（条）"),
    ("key_area_items", "公开重点领域信息（条）"),
    ("policy_documents", "发布政策文件（件）"),
    ("interpretations", "发布政策解读（篇）"),
    ("consultations", "开展意见征集（次）"),
    ("executive_meeting_items", "公开常务会议信息（条）"),
    ("major_decisions", "重大行政决策事项（项）"),
    ("portal_items", "门户网站发布信息（条）"),
    ("weibo_items", "官方微博发布信息（条）"),
    ("wechat_items", "微信公众号发布信息（条）"),
    ("columns_upgraded", "优化升级网站栏目（个）"),
    ("site_visits", "网站总点击量（次）"),
    ("site_visits_last_year", "上年网站总点击量（次）"),
    ("site_visitors", "网站访问人数（人）"),
    ("site_visitors_last_year", "上年网站访问人数（人）"),
    ("trainings", "开展培训（次）"),
)
PUBLISHING_FIELDS: tuple[str, ...] = tuple(name for name, _label in PUBLISHING_FIGURES)

# Section 二's cells, as flat keys, with their printed labels.
PROACTIVE_KEYS: tuple[str, ...] = tuple(k for k in nf.CELL_KEYS if k.startswith(f"{nf.PROACTIVE}."))
PROACTIVE_LABELS: dict[str, str] = {
    f"{nf.PROACTIVE}.{row.key}.{column.key}": f"{row.label_zh}·{column.label_zh}"
    for row in taxonomy.PROACTIVE_ROWS for column in row.columns
}
FIGURE_LABELS: dict[str, str] = {**PROACTIVE_LABELS, **dict(PUBLISHING_FIGURES)}
FIGURE_KEYS: tuple[str, ...] = (*PROACTIVE_KEYS, *PUBLISHING_FIELDS)

# Money in section 二 is in units of 10,000 yuan; four places are one yuan.
MONEY_PLACES = 4
MAX_WORKBOOK_BYTES = 2 * 1024 * 1024
MAX_WORKBOOK_ROWS = 20_000
HEADER = ("机关代码 agency code", "年度 year", "指标 key", "数值 value", "说明 label")

Figure = int | Decimal | None


class FigureError(ValueError):
    """A value that is not a valid figure for its key; the message is for the user."""


def clean_figure(key: str, value: Any) -> Figure:
    """``value`` as the figure ``key`` holds: None (not entered), a count or an amount.

    Accepts what a form or a spreadsheet gives: ints, whole floats, decimal strings with
    thousands separators. Refuses negative numbers, fractions of counts and unknown keys.
    """
    if key not in FIGURE_LABELS:
        raise FigureError(_("unknown figure %(key)s") % {"key": key})
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise FigureError(_("%(key)s: not a number") % {"key": key})
    try:
        if isinstance(value, float):
            number = Decimal(repr(value))
        else:
            number = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise FigureError(_("%(key)s: not a number") % {"key": key}) from None
    if not number.is_finite() or number < 0:
        raise FigureError(_("%(key)s: must be a number of at least 0") % {"key": key})
    if nf.is_money(key):
        if -number.as_tuple().exponent > MONEY_PLACES:
            raise FigureError(_("%(key)s: at most %(places)d decimal places")
                              % {"key": key, "places": MONEY_PLACES})
        return number
    if number != number.to_integral_value():
        raise FigureError(_("%(key)s: must be a whole number") % {"key": key})
    return int(number)


def stored_proactive(values: Mapping[str, Figure]) -> dict[str, int | str]:
    """Section 二's figures as ``EnteredFigures.proactive`` keeps them (money as text)."""
    return {key: str(v) if isinstance(v, Decimal) else v
            for key, v in values.items() if v is not None}


def figures_of(entered: EnteredFigures | None) -> dict[str, Figure]:
    """Every figure key of one agency's entry, None where not entered."""
    values: dict[str, Figure] = dict.fromkeys(FIGURE_KEYS)
    if entered is None:
        return values
    for key, value in entered.proactive.items():
        if key in PROACTIVE_LABELS:
            values[key] = Decimal(value) if nf.is_money(key) else value
    for name in PUBLISHING_FIELDS:
        values[name] = getattr(entered, name)
    return values


def _sum(totals: dict[str, Any], values: Mapping[str, Figure]) -> None:
    """Add ``values`` into ``totals`` cell by cell; a None adds nothing."""
    for key, value in values.items():
        if value is not None:
            totals[key] = value if totals[key] is None else totals[key] + value


def counted_figures(agency_ids: Iterable[int], year: int) -> dict[str, int]:
    """What the records count for the given agencies together, by figure key; only the
    agencies that keep their catalogue or consultations in xxgk contribute. The figures
    form shows these beside the fields: an agency's own, and for a government whose report
    covers its subtree, the agencies' below, which its report adds to what it enters."""
    ids = list(agency_ids)
    totals: dict[str, int] = {}
    for per_agency in (counting.section_two(ids, year), _counted_publishing(ids, year)):
        for counts in per_agency.values():
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
    return totals


def _counted_publishing(ids: list[int], year: int) -> dict[int, dict[str, int]]:
    """The publishing figures the records count, per agency that keeps them in xxgk: the
    catalogue's items, policies and interpretations, and the consultations held."""
    counted: dict[int, dict[str, int]] = {}
    for agency_id, items in counting.item_counts(ids, year).items():
        counted[agency_id] = {name: items[name] for name in counting.PUBLISHING_COUNTS}
    for agency_id, held in consultation_counts(ids, year).items():
        counted.setdefault(agency_id, {})["consultations"] = held["consultations"]
    return counted


def proactive_figures(agency_ids: Iterable[int], year: int) -> dict[str, Figure]:
    """Section 二 for the given agencies (a subtree for a roll-up): each cell the sum over
    the agencies, None if no agency has it.

    An agency's cell is what it entered or, where it entered nothing, what its catalogue
    counts (government rules and normative documents, for agencies that keep their
    catalogue in xxgk): an entered figure is a deliberate statement and wins.
    """
    ids = list(agency_ids)
    counted = counting.section_two(ids, year)
    entered = dict(EnteredFigures.objects.filter(agency_id__in=ids, year=year)
                   .values_list("agency_id", "proactive"))
    totals: dict[str, Figure] = dict.fromkeys(PROACTIVE_KEYS)
    for agency_id in ids:
        values: dict[str, Figure] = dict(counted.get(agency_id, {}))
        for key, value in entered.get(agency_id, {}).items():
            if key in totals:
                values[key] = Decimal(value) if nf.is_money(key) else value
        _sum(totals, values)
    return totals


def publishing_figures(agency_ids: Iterable[int], year: int) -> dict[str, int | None]:
    """The publishing figures section 一 quotes, summed over the agencies; None where no
    agency has the figure. As for section 二, an entered figure wins over the count of the
    records (``counting.PUBLISHING_COUNTS`` and the consultations held)."""
    ids = list(agency_ids)
    counted = _counted_publishing(ids, year)
    entered = {row.pop("agency_id"): row for row in
               EnteredFigures.objects.filter(agency_id__in=ids, year=year)
               .values("agency_id", *PUBLISHING_FIELDS)}
    totals: dict[str, Any] = dict.fromkeys(PUBLISHING_FIELDS)
    for agency_id in ids:
        values = dict(counted.get(agency_id, {}))
        values.update({name: value for name, value in entered.get(agency_id, {}).items()
                       if value is not None})
        _sum(totals, values)
    return totals


# ---- The workbook ----------------------------------------------------------------------


@dataclass(frozen=True)
class WorkbookRow:
    """One figure as read from a workbook row (its number in the sheet, for messages)."""

    line: int
    agency_code: str
    year: int
    key: str
    value: Figure


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        if not self.line:
            return self.message
        return _("Row %(line)d: %(message)s") % {"line": self.line, "message": self.message}


def read_workbook(data: bytes) -> tuple[list[WorkbookRow], list[RowError]]:
    """The figures of a workbook in the layout above, and an error for each bad row.

    Only the form of each row is checked here; whether the agency exists and the user may
    enter its figures is for ``actions.import_figures``.
    """
    from openpyxl import load_workbook

    if refused := file_checks.archive_refusal(data):
        return [], [RowError(0, refused)]
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return [], [RowError(0, _("The file is not an Excel workbook (.xlsx)."))]
    rows: list[WorkbookRow] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, int, str], int] = {}
    sheet = book.worksheets[0]
    for line, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        if line == 1:
            continue
        if line > MAX_WORKBOOK_ROWS + 1:
            errors.append(RowError(line, _("more than %(n)d rows") % {"n": MAX_WORKBOOK_ROWS}))
            break
        code, year, key, value = (list(cells) + [None] * 4)[:4]
        if all(c is None or str(c).strip() == "" for c in (code, year, key, value)):
            continue
        code = str(code or "").strip()
        key = str(key or "").strip()
        if not re.fullmatch(r"[0-9A-Z]{2,20}", code):
            errors.append(RowError(line, _("column A must be an agency code")))
            continue
        try:
            whole_year = int(Decimal(str(year).strip()))
        except (InvalidOperation, ValueError):
            errors.append(RowError(line, _("column B must be a year")))
            continue
        if not 2000 <= whole_year <= 2100:
            errors.append(RowError(line, _("column B must be a year")))
            continue
        if key not in FIGURE_LABELS:
            errors.append(RowError(line, _("column C: unknown figure %(key)s") % {"key": key}))
            continue
        try:
            figure = clean_figure(key, value)
        except FigureError as exc:
            errors.append(RowError(line, _("column D: %(error)s") % {"error": exc}))
            continue
        if (code, whole_year, key) in seen:
            errors.append(RowError(line, _("%(key)s of %(code)s for %(year)d is already given "
                                           "in row %(line)d") % {
                "key": key, "code": code, "year": whole_year, "line": seen[code, whole_year, key]}))
            continue
        seen[code, whole_year, key] = line
        rows.append(WorkbookRow(line, code, whole_year, key, figure))
    book.close()
    return rows, errors


def figures_template(entries: Iterable[tuple[Agency, int, EnteredFigures | None]]) -> bytes:
    """A workbook in the import layout with a row per figure of each (agency, year),
    prefilled with what is entered already."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for agency, year, entered in entries:
        values = figures_of(entered)
        for key in FIGURE_KEYS:
            value = values[key]
            sheet.append([agency.code, year, key,
                          float(value) if isinstance(value, Decimal) else value,
                          f"{agency.name} · {FIGURE_LABELS[key]}"])
    for column, width in zip("ABCDE", (14, 8, 40, 14, 60), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
