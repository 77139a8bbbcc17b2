"""Section 二: the proactive-disclosure table, in the 2021 or the 2019 trial format.

Pure Python: no Django import.
"""

from __future__ import annotations

import re

from xxgk import taxonomy as tx
from xxgk.reports.national_format import PROACTIVE
from xxgk.reports.parse.applications import _Findings, fit_cells, fit_width, split_row
from xxgk.reports.parse.extract import Row, Text
from xxgk.reports.parse.labels import _confident, best_match
from xxgk.reports.parse.result import (
    FORMAT_2019_TRIAL,
    FORMAT_2021,
    FORMAT_UNKNOWN,
    TRIAL_2019,
    Ambiguity,
    flat_key,
)
from xxgk.reports.parse.tokens import Token, norm

# ---- Section 二: proactive disclosure -----------------------------------------------------

# 2019 trial format: the row and column labels and the keys they are kept under.
TRIAL_PROACTIVE_ROWS: dict[str, str] = {
    "rules": "规章",
    "normative_documents": "规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "penalties": "行政处罚",
    "enforcement": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}
TRIAL_PROACTIVE_COLUMNS: dict[str, str] = {
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "items_last_year": "上一年项目数量",
    "change": "本年增/减",
    "decisions": "处理决定数量",
    "procurement_projects": "采购项目数量",
    "procurement_amount": "采购总金额",
}
# Trial-format columns that are the same quantity as a 2021 column (by name and meaning).
_TRIAL_CONVERTIBLE = {"decisions": "decisions"}

_2021_COLUMN_LABELS: dict[str, str] = {
    col.key: col.label_zh for row in tx.PROACTIVE_ROWS for col in row.columns
}
_2021_ROW_LABELS: dict[str, str] = {row.key: row.label_zh for row in tx.PROACTIVE_ROWS}
_2021_ROW_COLUMNS: dict[str, tuple[str, ...]] = {
    row.key: tuple(c.key for c in row.columns) for row in tx.PROACTIVE_ROWS
}
_DECIMAL_PROACTIVE = {
    flat_key(PROACTIVE, row.key, col.key)
    for row in tx.PROACTIVE_ROWS
    for col in row.columns
    if col.key.endswith("yuan")
}


def _header_columns(label: str) -> tuple[str, list[str]] | None:
    """A section-二 column header (信息内容 | 本年制发件数 | …): (format, column keys)."""
    if "信息内容" not in label:
        return None
    rest = label.split("信息内容", 1)[1]
    trial = [
        (rest.find(norm(lab)), key)
        for key, lab in TRIAL_PROACTIVE_COLUMNS.items()
        if norm(lab) in rest
    ]
    current = [
        (rest.find(norm(lab)), key) for key, lab in _2021_COLUMN_LABELS.items() if norm(lab) in rest
    ]
    # 处理决定数量 is inside 本年处理决定数量: prefer the longer (2021) reading.
    if current and (len(current) >= len(trial) or "本年处理决定数量" in rest):
        return FORMAT_2021, [k for _, k in sorted(current)]
    if trial:
        return FORMAT_2019_TRIAL, [k for _, k in sorted(trial)]
    return None


def parse_proactive(items: list[Row | Text]) -> tuple[_Findings, str | None]:
    found = _Findings()
    section = "二"
    fmt: str | None = None
    columns: list[str] | None = None
    column_format: str | None = None
    rows_2021: dict[str, list[tuple[list[Token], Row]]] = {}
    for item in items:
        row = item if isinstance(item, Row) else Row([item.text], False, item.where)
        label, toks, problem = split_row(row)
        if not toks:
            header = _header_columns(label)
            if header:
                column_format, columns = header
                fmt = fmt or column_format
                if fmt != column_format:
                    fmt = FORMAT_UNKNOWN
            continue
        text = re.sub(r"^第二十条第\(.\)项", "", label)
        row_key, trial_row = _proactive_row(text, column_format or fmt)
        if row_key is None and trial_row is None:
            found.ambiguities.append(
                Ambiguity(
                    section,
                    (
                        "the row's label is lost"
                        if not text
                        else f"the label '{text}' matches no row"
                    )
                    + f"; {len(toks)} values cannot be placed",
                    [row.describe()],
                    values=[t.raw.strip() or "·" for t in toks],
                )
            )
            continue
        if problem:
            found.ambiguities.append(Ambiguity(section, problem, [row.describe()]))
            continue
        if column_format == FORMAT_2019_TRIAL:
            cols = list(columns or [])
            if trial_row == "procurement":
                cols = [c for c in cols if c.startswith("procurement")] or cols
            else:
                cols = [c for c in cols if not c.startswith("procurement")]
            fitted, why = fit_width(toks, len(cols), None, row.exact)
            if fitted is None:
                found.ambiguities.append(Ambiguity(section, why or "", [row.describe()]))
                continue
            keys = [flat_key(TRIAL_2019, PROACTIVE, trial_row or "", c) for c in cols]
            found.put(
                section,
                keys,
                fitted,
                [row.describe()],
                into_trial=True,
                decimal_keys=[k for k in keys if k.endswith("amount")],
            )
            for col, tok in zip(cols, fitted, strict=True):
                target = _TRIAL_CONVERTIBLE.get(col)
                if target and row_key and target in _2021_ROW_COLUMNS.get(row_key, ()):
                    found.put(
                        section, [flat_key(PROACTIVE, row_key, target)], [tok], [row.describe()]
                    )
                    found.notes.append(
                        f"{flat_key(PROACTIVE, row_key, target)}: converted from the 2019 trial "
                        "format's 处理决定数量 (the same quantity)"
                    )
            continue
        if row_key is None:
            found.ambiguities.append(
                Ambiguity(
                    section,
                    f"the row '{text}' exists only in the 2019 trial format, but the "
                    "table's header is not the trial format's",
                    [row.describe()],
                )
            )
            continue
        cols = list(_2021_ROW_COLUMNS[row_key])
        if columns is not None and column_format == FORMAT_2021 and columns != cols:
            found.notes.append(
                f"proactive.{row_key}: header columns {columns} differ from the "
                f"format's {cols}; read in the format's order"
            )
        fit = fit_cells(toks, len(cols), None, row.exact)
        fitted = fit.tokens
        if fitted is None:
            found.ambiguities.append(
                Ambiguity(
                    section,
                    fit.why or "",
                    [row.describe()],
                    [flat_key(PROACTIVE, row_key, c) for c in cols],
                    row_key,
                    [t.raw.strip() or "·" for t in toks],
                    [[t.raw.strip() for t in r] for r in fit.readings],
                )
            )
            continue
        rows_2021.setdefault(row_key, []).append((fitted, row))
    for row_key, readings in rows_2021.items():
        keys = [flat_key(PROACTIVE, row_key, c) for c in _2021_ROW_COLUMNS[row_key]]
        if len(readings) > 1:
            found.ambiguities.append(
                Ambiguity(
                    section,
                    f"{len(readings)} rows read as the same row; none is placed",
                    [r.describe() for _, r in readings],
                    keys,
                    row_key,
                )
            )
            continue
        fitted, row = readings[0]
        found.put(section, keys, fitted, [row.describe()], decimal_keys=_DECIMAL_PROACTIVE)
    return found, fmt


def _proactive_row(text: str, fmt: str | None) -> tuple[str | None, str | None]:
    """(2021 row key, trial-format row key) of a section-二 label."""
    if not text:
        return None, None
    exact21 = {k for k, lab in _2021_ROW_LABELS.items() if norm(lab) == text}
    exact19 = {k for k, lab in TRIAL_PROACTIVE_ROWS.items() if norm(lab) == text}
    if not exact21 and not exact19:
        key21, s21, second21 = best_match(text, _2021_ROW_LABELS)
        key19, s19, second19 = best_match(text, TRIAL_PROACTIVE_ROWS)
        if key21 and _confident(s21, second21) and s21 >= 0.8:
            exact21 = {key21}
        if key19 and _confident(s19, second19) and s19 >= 0.8:
            exact19 = {key19}
    key21 = next(iter(exact21), None)
    key19 = next(iter(exact19), None)
    if key21 is None and key19 is not None and key19 in _2021_ROW_LABELS:
        key21 = key19
    if fmt != FORMAT_2019_TRIAL:
        return key21, None
    return (key21 if key21 in _2021_ROW_COLUMNS else None), key19
