"""Hypothesis strategies for national-format annual reports, for any test that needs one.

``consistent_reports()`` draws complete reports that obey every arithmetic rule of the
format; ``reports_with_gaps()`` blanks some of their cells, as a parsed report would have;
``consecutive_reports()`` draws two years of one agency whose carry-overs agree.
"""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import strategies as st

from xxgk.reports.national_format import CELL_KEYS, NationalReport, ReportFormat, is_money
from xxgk.taxonomy import (
    APPEAL_KIND_KEYS,
    APPEAL_RESULT_KEYS,
    APPLICANT_COLUMN_KEYS,
    CARRIED_OVER_FROM_LAST_YEAR,
    CARRIED_OVER_TO_NEXT_YEAR,
    OUTCOME_KEYS,
    PROACTIVE_ROWS,
    PROCESSING_FEE_FIELDS,
    RECEIVED,
    TOTAL,
)

# Most cells of a real table are small and many are zero; a few are large.
counts = st.one_of(st.just(0), st.integers(min_value=0, max_value=60),
                   st.integers(min_value=0, max_value=5000))
amounts = st.decimals(min_value=0, max_value=10**7, places=2,
                      allow_nan=False, allow_infinity=False)
texts = st.one_of(st.none(), st.text(max_size=40))


def _with_total(cells: dict[str, int]) -> dict[str, int]:
    return {**cells, TOTAL: sum(cells.values())}


@st.composite
def consistent_reports(
    draw: st.DrawFn, *, carried_over_from_last_year: Mapping[str, int] | None = None,
    year: int | None = None,
) -> NationalReport:
    """A complete report that passes every check.

    ``carried_over_from_last_year`` (by applicant column) and ``year`` pin those figures,
    e.g. to chain a report to last year's.
    """
    outcomes = {
        row: {column: draw(counts) for column in APPLICANT_COLUMN_KEYS} for row in OUTCOME_KEYS
    }
    received, taken, given = {}, {}, {}
    for column in APPLICANT_COLUMN_KEYS:
        closed = sum(outcomes[row][column] for row in OUTCOME_KEYS)
        taken[column] = (draw(counts) if carried_over_from_last_year is None
                         else carried_over_from_last_year[column])
        # received + taken = closed + given; received cannot be negative, so when more
        # was taken over than closed, the rest is carried over again.
        received[column] = max(0, closed + draw(counts) - taken[column])
        given[column] = received[column] + taken[column] - closed
    applications = {
        RECEIVED: _with_total(received),
        CARRIED_OVER_FROM_LAST_YEAR: _with_total(taken),
        **{row: _with_total(cells) for row, cells in outcomes.items()},
        TOTAL: _with_total({c: sum(outcomes[r][c] for r in OUTCOME_KEYS)
                            for c in APPLICANT_COLUMN_KEYS}),
        CARRIED_OVER_TO_NEXT_YEAR: _with_total(given),
    }
    appeals = {
        kind: _with_total({result: draw(counts) for result in APPEAL_RESULT_KEYS})
        for kind in APPEAL_KIND_KEYS
    }
    proactive = {
        row.key: {c.key: draw(amounts if is_money(c.key) else counts) for c in row.columns}
        for row in PROACTIVE_ROWS
    }
    notices, billed, collected = (f.key for f in PROCESSING_FEE_FIELDS)
    billed_yuan = draw(amounts)
    return NationalReport(
        agency=draw(st.text(min_size=1, max_size=30)),
        year=draw(st.integers(min_value=2008, max_value=2100)) if year is None else year,
        format=draw(st.sampled_from(ReportFormat)),
        overview=draw(texts),
        proactive=proactive,
        applications=applications,
        appeals=appeals,
        problems=draw(texts),
        other_matters=draw(texts),
        processing_fees={
            notices: draw(counts),
            billed: billed_yuan,
            collected: draw(st.decimals(min_value=0, max_value=billed_yuan, places=2)),
        },
    )


@st.composite
def reports_with_gaps(draw: st.DrawFn) -> NationalReport:
    """A consistent report with some cells lost, as in a badly extracted document."""
    flat = draw(consistent_reports()).to_flat()
    for key in draw(st.sets(st.sampled_from(CELL_KEYS))):
        flat[key] = None
    return NationalReport.from_flat(flat)


@st.composite
def consecutive_reports(draw: st.DrawFn) -> tuple[NationalReport, NationalReport]:
    """Last year's report and this year's, which takes over what last year carried over."""
    previous = draw(consistent_reports())
    assert previous.year is not None
    carried = previous.applications[CARRIED_OVER_TO_NEXT_YEAR]
    current = draw(consistent_reports(
        carried_over_from_last_year={c: carried[c] for c in APPLICANT_COLUMN_KEYS},
        year=previous.year + 1,
    ))
    return previous, current
