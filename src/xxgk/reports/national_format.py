"""The national annual-report format (国办公开办函〔2021〕30号) as typed data, and its checks.

Pure Python: no Django import. One :class:`NationalReport` holds either a report xxgk
computed from its own cases (every cell filled) or one parsed from a published document
(gaps are None), so that the two can be compared cell by cell and checked by the same rules.
Keys and labels come from :mod:`xxgk.taxonomy`; the cell keys are those of
``annual-report-format.md``.

Three views of one report, each exact (a round trip gives back an equal report):

- the object: ``proactive`` (section 二), ``applications`` (三) and ``appeals`` (四) are
  grids ``{row: {column: cell}}``, ``processing_fees`` (六) is ``{field: cell}``, and the
  prose sections 一, 五, 六 are ``overview``, ``problems``, ``other_matters``;
- the flat view, ``{"applications.withheld.state_secret.natural_person": 0, …}``: one key
  per cell, for cell-by-cell comparison (row keys may themselves contain a dot; column keys
  never do);
- JSON, nested as the object, with the taxonomy's row keys verbatim as object keys (so
  ``applications["withheld.state_secret"]``). Every cell is present, a gap as ``null``.
  Money (the cells whose key ends in ``_yuan``) is written as a decimal *string*
  (``"12.50"``), because a JSON number read back as a float is not exact; on input a
  string or a number is accepted, and :meth:`NationalReport.from_json` reads numbers as
  decimals.

Cells are counts (non-negative ints) except money, which is a non-negative Decimal: the
taxonomy names every money field ``…_yuan`` (section 二's ``amount_10k_yuan`` is in units of
10,000 yuan, as printed).

A report in the 2019 trial format keeps ``format = "2019"``; its section 二 has other columns,
so a parser fills the 2021 cells it can convert and leaves the rest None.

The checks (:func:`check` and the ``check_*`` functions) implement the rules of the spec.
A check whose cells are missing is not failed but listed as skipped, with the cells it
lacked, so that a parsed report's gaps are visible rather than silently passed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from xxgk.taxonomy import (
    APPEAL_CELL_KEYS,
    APPEAL_KIND_KEYS,
    APPEAL_RESULT_KEYS,
    APPLICANT_COLUMN_KEYS,
    APPLICATION_ROW_KEYS,
    CARRIED_OVER_FROM_LAST_YEAR,
    CARRIED_OVER_TO_NEXT_YEAR,
    OUTCOME_KEYS,
    PROACTIVE_ROWS,
    PROCESSING_FEE_FIELDS,
    RECEIVED,
    REPORT_COLUMN_KEYS,
    TOTAL,
)

# ---- Keys of the report ------------------------------------------------------------------

FORMAT = "format"
AGENCY = "agency"
YEAR = "year"
OVERVIEW = "overview"            # 一、总体情况
PROACTIVE = "proactive"          # 二、主动公开政府信息情况
APPLICATIONS = "applications"    # 三、收到和处理政府信息公开申请情况
APPEALS = "appeals"              # 四、政府信息公开行政复议、行政诉讼情况
PROBLEMS = "problems"            # 五、存在的主要问题及改进情况
OTHER_MATTERS = "other_matters"  # 六、其他需要报告的事项
PROCESSING_FEES = "processing_fees"  # 六: the information-processing fee figures

TEXT_KEYS: tuple[str, ...] = (AGENCY, OVERVIEW, PROBLEMS, OTHER_MATTERS)
# The order of the keys in JSON and in the flat view: the printed order of the sections.
TOP_LEVEL_KEYS: tuple[str, ...] = (
    FORMAT, AGENCY, YEAR, OVERVIEW, PROACTIVE, APPLICATIONS, APPEALS, PROBLEMS,
    OTHER_MATTERS, PROCESSING_FEES,
)

# Each table section's rows and, for each row, its columns.
GRID_LAYOUTS: dict[str, dict[str, tuple[str, ...]]] = {
    PROACTIVE: {row.key: tuple(c.key for c in row.columns) for row in PROACTIVE_ROWS},
    APPLICATIONS: dict.fromkeys(APPLICATION_ROW_KEYS, REPORT_COLUMN_KEYS),
    APPEALS: dict.fromkeys(APPEAL_KIND_KEYS, APPEAL_CELL_KEYS),
}
PROCESSING_FEE_KEYS: tuple[str, ...] = tuple(f.key for f in PROCESSING_FEE_FIELDS)


def _cell_addresses() -> dict[str, tuple[str, str | None, str]]:
    """Every cell's flat key, mapped to (section, row, column); row None in section 六."""
    addresses: dict[str, tuple[str, str | None, str]] = {}
    for section in (PROACTIVE, APPLICATIONS, APPEALS):
        for row, columns in GRID_LAYOUTS[section].items():
            for column in columns:
                addresses[f"{section}.{row}.{column}"] = (section, row, column)
    for name in PROCESSING_FEE_KEYS:
        addresses[f"{PROCESSING_FEES}.{name}"] = (PROCESSING_FEES, None, name)
    return addresses


_CELLS = _cell_addresses()
CELL_KEYS: tuple[str, ...] = tuple(_CELLS)
FLAT_KEYS: tuple[str, ...] = (FORMAT, AGENCY, YEAR, OVERVIEW, PROBLEMS, OTHER_MATTERS, *CELL_KEYS)


def is_money(key: str) -> bool:
    """Whether a cell (by flat key or column key) holds an amount of money, not a count."""
    return key.endswith("_yuan")


Cell = int | Decimal | None
Grid = dict[str, dict[str, Cell]]


class ReportFormat(StrEnum):
    """Which national format a report follows; they differ in section 二."""

    V2021 = "2021"  # 国办公开办函〔2021〕30号
    V2019 = "2019"  # the 2019 trial format, still in use by some agencies until 2023


# ---- The report ---------------------------------------------------------------------------

@dataclass
class NationalReport:
    """One agency's annual report in the national format; any cell may be None (a gap).

    Construction validates and completes: every row and column of the format is present
    afterwards (missing ones as None), an unknown key or a wrong value raises ValueError
    naming the cell, and money given as an int or a string becomes a Decimal.
    """

    agency: str | None = None
    year: int | None = None
    format: ReportFormat = ReportFormat.V2021
    overview: str | None = None
    proactive: Grid = field(default_factory=dict)
    applications: Grid = field(default_factory=dict)
    appeals: Grid = field(default_factory=dict)
    problems: str | None = None
    other_matters: str | None = None
    processing_fees: dict[str, Cell] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in TEXT_KEYS:
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{name} must be text, got {value!r}")
        if self.year is not None and (isinstance(self.year, bool) or not isinstance(self.year, int)):
            raise ValueError(f"year must be a whole number, got {self.year!r}")
        try:
            self.format = ReportFormat(self.format)
        except ValueError:
            choices = " or ".join(repr(f.value) for f in ReportFormat)
            raise ValueError(f"format must be {choices}, got {self.format!r}") from None
        self.proactive = _grid(PROACTIVE, self.proactive)
        self.applications = _grid(APPLICATIONS, self.applications)
        self.appeals = _grid(APPEALS, self.appeals)
        self.processing_fees = _cells(PROCESSING_FEES, PROCESSING_FEE_KEYS, self.processing_fees)

    # -- the flat view

    def to_flat(self) -> dict[str, Any]:
        """Every key of :data:`FLAT_KEYS`, each cell by its dotted key, gaps as None."""
        flat: dict[str, Any] = {
            FORMAT: self.format.value, AGENCY: self.agency, YEAR: self.year,
            OVERVIEW: self.overview, PROBLEMS: self.problems, OTHER_MATTERS: self.other_matters,
        }
        for key, (section, row, column) in _CELLS.items():
            values = getattr(self, section)
            flat[key] = values[column] if row is None else values[row][column]
        return flat

    @classmethod
    def from_flat(cls, flat: Mapping[str, Any]) -> NationalReport:
        """The report with the given keys of :data:`FLAT_KEYS`; absent cells are gaps."""
        meta: dict[str, Any] = {}
        sections: dict[str, dict[str, Any]] = {
            PROACTIVE: {}, APPLICATIONS: {}, APPEALS: {}, PROCESSING_FEES: {},
        }
        for key, value in flat.items():
            if key in _CELLS:
                section, row, column = _CELLS[key]
                target = sections[section] if row is None else sections[section].setdefault(row, {})
                target[column] = value
            elif key in FLAT_KEYS:
                meta[key] = value
            else:
                raise ValueError(f"unknown key {key!r}")
        fields: dict[str, Any] = {**meta, **sections}
        return cls(**fields)

    # -- JSON

    def to_json_object(self) -> dict[str, Any]:
        """The nested JSON object (see the module docstring); money as decimal strings."""
        def cells(values: Mapping[str, Cell]) -> dict[str, Any]:
            return {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()}

        return {
            FORMAT: self.format.value,
            AGENCY: self.agency,
            YEAR: self.year,
            OVERVIEW: self.overview,
            PROACTIVE: {row: cells(values) for row, values in self.proactive.items()},
            APPLICATIONS: {row: cells(values) for row, values in self.applications.items()},
            APPEALS: {kind: cells(values) for kind, values in self.appeals.items()},
            PROBLEMS: self.problems,
            OTHER_MATTERS: self.other_matters,
            PROCESSING_FEES: cells(self.processing_fees),
        }

    @classmethod
    def from_json_object(cls, obj: Mapping[str, Any]) -> NationalReport:
        """The report from a nested JSON object; absent keys and nulls are gaps."""
        if not isinstance(obj, Mapping):
            raise ValueError(f"a report must be a JSON object, got {type(obj).__name__}")
        for key in obj:
            if key not in TOP_LEVEL_KEYS:
                raise ValueError(f"unknown key {key!r}")
        return cls(**obj)

    def to_json(self) -> str:
        return json.dumps(self.to_json_object(), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str) -> NationalReport:
        """The report from JSON text; numbers with a fraction are read as exact decimals."""
        return cls.from_json_object(json.loads(text, parse_float=Decimal))


def _grid(section: str, given: Mapping[str, Any] | None) -> Grid:
    """A complete grid of ``section`` from ``given`` (None: the whole section is a gap)."""
    given = _mapping(section, given)
    layout = GRID_LAYOUTS[section]
    for row in given:
        if row not in layout:
            raise ValueError(f"unknown key {f'{section}.{row}'!r}")
    return {
        row: _cells(f"{section}.{row}", columns, given.get(row))
        for row, columns in layout.items()
    }


def _cells(prefix: str, columns: tuple[str, ...], given: Mapping[str, Any] | None) -> dict[str, Cell]:
    given = _mapping(prefix, given)
    for column in given:
        if column not in columns:
            raise ValueError(f"unknown key {f'{prefix}.{column}'!r}")
    return {column: _cell(f"{prefix}.{column}", given.get(column)) for column in columns}


def _mapping(key: str, value: object) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError(f"{key} must be an object of cells, got {value!r}")
    return value


def _cell(key: str, value: object) -> Cell:
    """A valid cell value for ``key``: None, a count, or (for money) a Decimal."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{key} must be a number, got {value!r}")
    if is_money(key):
        # A float is refused: 0.1 is not exactly a tenth, and money must round-trip exactly.
        if not isinstance(value, Decimal | int | str):
            raise ValueError(f"{key} must be a decimal (a string, int or Decimal), got {value!r}")
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise ValueError(f"{key} must be a decimal amount, got {value!r}") from None
        if not amount.is_finite() or amount < 0:
            raise ValueError(f"{key} must be a non-negative amount, got {value!r}")
        return amount
    if not isinstance(value, int):
        raise ValueError(f"{key} must be a whole number, got {value!r}")
    if value < 0:
        raise ValueError(f"{key} must not be negative, got {value}")
    return value


# ---- Checks -------------------------------------------------------------------------------

class Rule(StrEnum):
    """The arithmetic rules a report must obey."""

    # The form's own rule, per column: received + carried over from last year
    # = total + carried over to next year (第一项加第二项之和，等于第三项加第四项之和).
    BALANCE = "balance"
    # Every row of section 三: total = the sum of the six applicant columns.
    ROW_TOTAL = "row_total"
    # Section 三, per column: 总计 = the sum of the outcome rows.
    OUTCOME_TOTAL = "outcome_total"
    # Section 四, per group: 总计 = upheld + corrected + other + pending.
    APPEAL_TOTAL = "appeal_total"
    # Across years: this year's carried_over_from_last_year = last year's ..._to_next_year.
    CARRY_OVER = "carry_over"
    # Across years, section 二's rules and normative documents: this year's in force = last
    # year's in force + issued this year - repealed this year.
    IN_FORCE = "in_force"
    # A figure repeated in the prose of section 一 matches the tables.
    PROSE = "prose"


@dataclass(frozen=True)
class Failure:
    """A rule broken: the rule, the cells involved and a message with the numbers."""

    rule: Rule
    cells: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Skipped:
    """A check that could not run, and the cells whose absence stopped it."""

    rule: Rule
    missing: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class CheckReport:
    """The outcome of checks: what failed and what could not be checked."""

    failures: tuple[Failure, ...] = ()
    skipped: tuple[Skipped, ...] = ()

    @property
    def ok(self) -> bool:
        """No rule is broken (some may have been skipped for want of cells)."""
        return not self.failures

    def __add__(self, other: CheckReport) -> CheckReport:
        return CheckReport(self.failures + other.failures, self.skipped + other.skipped)


def _merge(reports: Iterable[CheckReport]) -> CheckReport:
    return sum(reports, CheckReport())


def _missing_text(missing: tuple[str, ...]) -> str:
    shown = ", ".join(missing[:3])
    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
    return f"missing {shown}{more}"


def _expression(keys: tuple[str, ...], values: Mapping[str, Any]) -> str:
    """``a + b = 1 + 2 = 3``, or ``a = 1`` for one cell."""
    total = sum(values[k] for k in keys)
    if len(keys) == 1:
        return f"{keys[0]} = {total}"
    return f"{' + '.join(keys)} = {' + '.join(str(values[k]) for k in keys)} = {total}"


def _described_sum(phrase: str, keys: tuple[str, ...], values: Mapping[str, Any]) -> str:
    """``the applicant columns sum to 58 (50 + 3 + …)``; the parts only when few."""
    parts = f" ({' + '.join(str(values[k]) for k in keys)})" if len(keys) <= 6 else ""
    return f"{phrase} sum to {sum(values[k] for k in keys)}{parts}"


def _equation(
    rule: Rule,
    values: Mapping[str, Any],
    left: tuple[str, ...],
    right: tuple[str, ...],
    right_phrase: str | None = None,
) -> CheckReport:
    """Check sum(left) = sum(right); skip, naming the gaps, when a cell is missing."""
    cells = (*left, *right)
    missing = tuple(k for k in cells if values[k] is None)
    if missing:
        right_text = f"the sum of {right_phrase}" if right_phrase else " + ".join(right)
        message = f"not checked: {' + '.join(left)} = {right_text}; {_missing_text(missing)}"
        return CheckReport(skipped=(Skipped(rule, missing, message),))
    if sum(values[k] for k in left) == sum(values[k] for k in right):
        return CheckReport()
    right_text = (
        _described_sum(right_phrase, right, values) if right_phrase else _expression(right, values)
    )
    message = f"{_expression(left, values)}, but {right_text}"
    return CheckReport(failures=(Failure(rule, cells, message),))


def _app(row: str, column: str) -> str:
    return f"{APPLICATIONS}.{row}.{column}"


def check_balance(report: NationalReport) -> CheckReport:
    """The form's printed rule, per column of section 三."""
    flat = report.to_flat()
    return _merge(
        _equation(
            Rule.BALANCE, flat,
            (_app(RECEIVED, c), _app(CARRIED_OVER_FROM_LAST_YEAR, c)),
            (_app(TOTAL, c), _app(CARRIED_OVER_TO_NEXT_YEAR, c)),
        )
        for c in REPORT_COLUMN_KEYS
    )


def check_row_totals(report: NationalReport) -> CheckReport:
    """Every row of section 三: its 总计 column is the sum of the six applicant columns."""
    flat = report.to_flat()
    return _merge(
        _equation(Rule.ROW_TOTAL, flat, (_app(row, TOTAL),),
                  tuple(_app(row, c) for c in APPLICANT_COLUMN_KEYS), "the applicant columns")
        for row in APPLICATION_ROW_KEYS
    )


def check_outcome_totals(report: NationalReport) -> CheckReport:
    """Every column of section 三: the 总计 row is the sum of the outcome rows.

    Each application closed in the year counts in exactly one outcome row, so nothing
    else may add to the total.
    """
    flat = report.to_flat()
    return _merge(
        _equation(Rule.OUTCOME_TOTAL, flat, (_app(TOTAL, c),),
                  tuple(_app(row, c) for row in OUTCOME_KEYS), "the outcome rows")
        for c in REPORT_COLUMN_KEYS
    )


def check_appeal_totals(report: NationalReport) -> CheckReport:
    """Every group of section 四: 总计 is the sum of its four results."""
    flat = report.to_flat()
    return _merge(
        _equation(Rule.APPEAL_TOTAL, flat, (f"{APPEALS}.{kind}.{TOTAL}",),
                  tuple(f"{APPEALS}.{kind}.{r}" for r in APPEAL_RESULT_KEYS), "its results")
        for kind in APPEAL_KIND_KEYS
    )


def _consecutive(previous: NationalReport, current: NationalReport, what: str
                 ) -> tuple[str, str]:
    """How the messages name this year's and last year's report; ValueError when both years
    are known and not consecutive."""
    if previous.year is not None and current.year is not None and current.year != previous.year + 1:
        raise ValueError(f"{what} compares consecutive years, got {previous.year} and {current.year}")
    this_year = f"the {current.year} report" if current.year is not None else "this report"
    last_year = f"the {previous.year} report" if previous.year is not None else "last year's report"
    return this_year, last_year


def check_carry_over(previous: NationalReport, current: NationalReport) -> CheckReport:
    """What last year's report carried over to this year is what this year's took over.

    Raises ValueError when both years are known and not consecutive: comparing other
    years is a mistake of the caller, not a fault of either report.
    """
    this_year, last_year = _consecutive(previous, current, "the carry-over check")
    mine, theirs = current.to_flat(), previous.to_flat()
    results = []
    for column in REPORT_COLUMN_KEYS:
        taken = _app(CARRIED_OVER_FROM_LAST_YEAR, column)
        given = _app(CARRIED_OVER_TO_NEXT_YEAR, column)
        sides = ((taken, mine[taken], this_year), (given, theirs[given], last_year))
        gaps = [(key, where) for key, value, where in sides if value is None]
        if gaps:
            message = (f"not checked: {taken} in {this_year} = {given} in {last_year}; missing "
                       + ", ".join(f"{key} in {where}" for key, where in gaps))
            results.append(CheckReport(skipped=(
                Skipped(Rule.CARRY_OVER, tuple(key for key, _ in gaps), message),)))
        elif mine[taken] != theirs[given]:
            message = (f"{taken} = {mine[taken]} in {this_year}, "
                       f"but {given} = {theirs[given]} in {last_year}")
            results.append(CheckReport(failures=(
                Failure(Rule.CARRY_OVER, (taken, given), message),)))
    return _merge(results)


# The rows of section 二 that count documents in force, and their three columns.
IN_FORCE_ROWS: tuple[str, ...] = tuple(
    row.key for row in PROACTIVE_ROWS if any(c.key == "in_force" for c in row.columns)
)


def check_in_force(previous: NationalReport, current: NationalReport) -> CheckReport:
    """The documents in force roll forward: this year's 现行有效 is last year's, plus this
    year's 本年制发, minus this year's 本年废止 (rules and normative documents).

    Raises ValueError for years that are not consecutive, as :func:`check_carry_over`.
    """
    this_year, last_year = _consecutive(previous, current, "the in-force check")
    mine, theirs = current.to_flat(), previous.to_flat()
    results = []
    for row in IN_FORCE_ROWS:
        # The same cell of both reports: its key names this year's and last year's.
        now = before = f"{PROACTIVE}.{row}.in_force"
        issued, repealed = f"{PROACTIVE}.{row}.issued", f"{PROACTIVE}.{row}.repealed"
        sides = ((now, mine[now], this_year), (before, theirs[before], last_year),
                 (issued, mine[issued], this_year), (repealed, mine[repealed], this_year))
        gaps = [(key, where) for key, value, where in sides if value is None]
        if gaps:
            message = (f"not checked: {now} in {this_year} = {before} in {last_year} + {issued} "
                       f"- {repealed}; missing " + ", ".join(f"{k} in {w}" for k, w in gaps))
            results.append(CheckReport(skipped=(
                Skipped(Rule.IN_FORCE, tuple(dict.fromkeys(k for k, _ in gaps)), message),)))
            continue
        expected = theirs[before] + mine[issued] - mine[repealed]
        if mine[now] != expected:
            message = (f"{now} = {mine[now]} in {this_year}, but {before} in {last_year} + "
                       f"{issued} - {repealed} = {theirs[before]} + {mine[issued]} - "
                       f"{mine[repealed]} = {expected}")
            results.append(CheckReport(failures=(
                Failure(Rule.IN_FORCE, (now, issued, repealed), message),)))
    return _merge(results)


class ProseFigure(StrEnum):
    """A figure of section 三 that the prose of section 一 commonly repeats."""

    RECEIVED = "received"  # 收到政府信息公开申请 N 件
    CLOSED = "closed"      # 办结 N 件
    CARRIED_OVER = "carried_over"  # 结转下年度继续办理 N 件


# The readings of the tables a prose figure may mean, each a sum of cells. "Applications
# received" in prose sometimes includes those carried over from last year, so it matches
# the table if it equals either this year's new applications or the year's whole workload.
PROSE_READINGS: dict[ProseFigure, tuple[tuple[str, ...], ...]] = {
    ProseFigure.RECEIVED: (
        (_app(RECEIVED, TOTAL),),
        (_app(RECEIVED, TOTAL), _app(CARRIED_OVER_FROM_LAST_YEAR, TOTAL)),
        (_app(TOTAL, TOTAL), _app(CARRIED_OVER_TO_NEXT_YEAR, TOTAL)),
    ),
    ProseFigure.CLOSED: ((_app(TOTAL, TOTAL),),),
    ProseFigure.CARRIED_OVER: ((_app(CARRIED_OVER_TO_NEXT_YEAR, TOTAL),),),
}


def check_prose_figure(report: NationalReport, figure: ProseFigure, stated: int) -> CheckReport:
    """Compare a figure found in the prose with the tables' readings of it.

    It passes if any reading the tables allow equals ``stated``; it is skipped if the
    tables allow none (cells missing); otherwise the failure lists every reading.
    """
    flat = report.to_flat()
    readings = PROSE_READINGS[figure]
    complete = [r for r in readings if all(flat[k] is not None for k in r)]
    missing = tuple(dict.fromkeys(k for r in readings for k in r if flat[k] is None))
    if not complete:
        return CheckReport(skipped=(Skipped(
            Rule.PROSE, missing,
            f"not checked: the prose's {figure.value} = {stated}; {_missing_text(missing)}"),))
    if any(sum(flat[k] for k in r) == stated for r in complete):
        return CheckReport()
    cells = tuple(dict.fromkeys(k for r in complete for k in r))
    return CheckReport(failures=(Failure(
        Rule.PROSE, cells,
        f"the prose says {figure.value} = {stated}, but the tables give "
        + "; ".join(_expression(r, flat) for r in complete)),))


SINGLE_REPORT_CHECKS: tuple[Callable[[NationalReport], CheckReport], ...] = (
    check_balance, check_row_totals, check_outcome_totals, check_appeal_totals,
)


def check(report: NationalReport, previous: NationalReport | None = None) -> CheckReport:
    """Every arithmetic rule of one report, and the carry-over from ``previous`` if given."""
    result = _merge(c(report) for c in SINGLE_REPORT_CHECKS)
    if previous is not None:
        result += check_carry_over(previous, report)
    return result
