"""The parse result: what was read, what was not and why.

Pure Python: no Django import.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from typing import Any

from xxgk.reports import national_format as nf

# ---- Flat keys ---------------------------------------------------------------------------
# The flat keys are national_format's: ``<section>.<row>.<column>`` (``processing_fees.<field>``).

FORMAT_2021 = nf.ReportFormat.V2021.value
FORMAT_2019_TRIAL = nf.ReportFormat.V2019.value
FORMAT_UNKNOWN = "unknown"

# Where the 2019 trial format's cells that have no 2021 cell are kept (``trial_2019``).
TRIAL_2019 = "trial_2019"


def flat_key(*parts: str) -> str:
    return ".".join(parts)


def expected_keys() -> list[str]:
    """Every cell of the 2021 format, in printed order."""
    return list(nf.CELL_KEYS)


# ---- Result ------------------------------------------------------------------------------

Value = int | Decimal | None


@dataclass
class Ambiguity:
    """Rows or cells the parser saw but could not place with certainty."""

    section: str
    reason: str
    rows: list[str] = field(default_factory=list)  # where + raw text of the source rows
    keys: list[str] = field(default_factory=list)  # the flat keys concerned (or possible)
    probable_key: str | None = None  # the row key it most likely is (never put in cells)
    values: list[str] = field(default_factory=list)  # the numbers as read, for a human
    # The readings that remained possible (each the row's cells), when more than one fits.
    readings: list[list[str]] = field(default_factory=list)


@dataclass
class ProseFigure:
    """A figure quoted in the text (e.g. 共受理政府信息公开申请 1016 件)."""

    kind: str
    value: Value
    text: str
    section: str
    key: str | None = None  # the flat key it states, if it states one cell


@dataclass
class TextTableComparison:
    """A prose figure set against the table cells it repeats."""

    kind: str
    prose_value: Value
    # Each reading of the figure in the tables ("a + b") and its value (None: cells lost).
    table_values: dict[str, Value]
    status: str  # "match" | "contradiction" | "unverifiable"
    detail: str
    text: str


@dataclass
class SectionSummary:
    found: int
    expected: int
    not_applicable: int
    status: str  # "complete" | "partial" | "lost"


@dataclass
class ParseResult:
    format: str
    source_kind: str  # "text" | "web-text" | "html" | "pdf"
    cells: dict[str, Value]
    missing: list[str]
    not_applicable: list[str]
    ambiguities: list[Ambiguity]
    prose_figures: list[ProseFigure]
    text_vs_table: list[TextTableComparison]
    checks: dict[str, Any]
    sections: dict[str, SectionSummary]
    trial_2019: dict[str, Value] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # How each cell in ``cells`` was read: "label" (its row named by its label, the cell by
    # its place in a row of the right width), "position" (its row's label lost, the row
    # placed by its place between certain rows) or "arithmetic" (the format's arithmetic
    # chose the only reading that fits: a split of digits run together, a stray number).
    read_by: dict[str, str] = field(default_factory=dict)
    # The document's first lines, where its title is (``extract.opening``).
    opening: str = ""
    # The typed report built by national_format.from_flat, when that module is available.
    report: Any = field(default=None, repr=False, compare=False)

    @property
    def contradictions(self) -> list[TextTableComparison]:
        return [c for c in self.text_vs_table if c.status == "contradiction"]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: money cells as decimal strings (national_format's convention), counts
        as numbers, gaps as null."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "report"}
        for name in ("cells", "trial_2019"):
            data[name] = {k: str(v) if isinstance(v, Decimal) else v for k, v in data[name].items()}
        return _jsonable(data)

    def to_json(self, **kwargs: Any) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)


def _non_negative(exponent: int | str) -> bool:
    """A Decimal's exponent is an int, or a letter for NaN and infinity."""
    return isinstance(exponent, int) and exponent >= 0


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        # Exact, and still a JSON number where it is an integer.
        return (
            int(obj)
            if obj == obj.to_integral_value() and _non_negative(obj.as_tuple().exponent)
            else str(obj)
        )
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set):
        return [_jsonable(v) for v in obj]
    if hasattr(obj, "__dataclass_fields__"):
        return _jsonable(asdict(obj))
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    return str(obj)
