"""The scorecard as an Excel workbook, for the OGI office's own analysis and filing.

Counts are written as numbers and rates as fractions with a percentage format (0.875 shown
as 87.5 %), so that a spreadsheet can sum, sort and chart them. A rate of no cases is an
empty cell; a figure with no source holds the words "not recorded", never a number.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .scores import METRICS, Figures, Rate

PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "0"


@dataclass(frozen=True)
class Line:
    """One row of the sheet: who it is for, and its figures."""

    name: str
    code: str
    figures: Figures
    total: bool = False


def _rate(rate: Rate) -> Any:
    if not rate.recorded:
        return _("not recorded")
    return rate.fraction


def _count(value: int | None) -> Any:
    return _("not recorded") if value is None else value


# (header, value of a line, is a rate)
def _columns() -> list[tuple[str, Any, bool]]:
    return [
        (_("Applications received"), lambda f: f.received, False),
        (_("Applications closed"), lambda f: f.closed, False),
        (_("Closed with a due date"), lambda f: f.closed_with_due, False),
        (_("Closed on time"), lambda f: f.closed_on_time, False),
        (_("Replied on time (%)"), lambda f: _rate(f.on_time), True),
        (_("Closed late"), lambda f: f.closed_late, False),
        (_("Open and overdue"), lambda f: f.open_overdue, False),
        (_("Overdue"), lambda f: f.overdue, False),
        (_("Appeal cases filed"), lambda f: f.appeals_filed, False),
        (_("Appeal cases decided"), lambda f: f.appeals_decided, False),
        (_("Appeal results corrected"), lambda f: f.appeals_corrected, False),
        (_("Appeal results corrected (%)"), lambda f: _rate(f.appeal_corrections), True),
        (_("Items published"), lambda f: _count(f.items_published), False),
        (_("Published within 20 working days (%)"), lambda f: _rate(f.proactive_on_time),
         True),
        (_("Consultations held"), lambda f: _count(f.consultations), False),
        (_("Consultations with a feedback report (%)"),
         lambda f: _rate(f.consultation_feedback), True),
        (_("Policy documents"), lambda f: _count(f.policy_documents), False),
        (_("Interpretations"), lambda f: _count(f.interpretations), False),
        (_("Policy documents interpreted (%)"), lambda f: _rate(f.policy_interpreted), True),
        (_("Trainings attended"), lambda f: f.trainings_attended, False),
        (_("Trainings organised"), lambda f: f.trainings_organised, False),
        (_("People at trainings organised"), lambda f: f.training_attendees, False),
        (_("Agencies that entered figures"), lambda f: f.entered, False),
    ]


def scorecard_workbook(year: int, lines: Sequence[Line]) -> bytes:
    """A workbook with the scorecard of ``year`` (a row per line) and the definitions."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Scorecard %(year)d") % {"year": year}
    columns = _columns()
    sheet.append([_("Agency"), _("Code"), *(header for header, _value, _rate in columns)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for line in lines:
        sheet.append([line.name, line.code, *(value(line.figures) for _h, value, _r in columns)])
        row = sheet.max_row
        if line.total:
            for cell in sheet[row]:
                cell.font = Font(bold=True)
        for index, (_header, _value, is_rate) in enumerate(columns, start=3):
            cell = sheet.cell(row=row, column=index)
            if isinstance(cell.value, int | float):
                cell.number_format = PERCENT_FORMAT if is_rate else COUNT_FORMAT
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 12
    for index in range(3, len(columns) + 3):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.freeze_panes = "C2"

    notes = book.create_sheet(_("Definitions"))
    notes.append([_("Figure"), _("Definition")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for metric in METRICS:
        notes.append([str(metric.label), str(metric.definition)])
    notes.column_dimensions["A"].width = 36
    notes.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
