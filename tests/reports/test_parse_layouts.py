"""Generated reports rendered in every published layout and parsed back (issue 12).

The property that governs the parser: every cell it reads is right, or it is missing; a
cell is never wrong. Complete renderings must also be read completely, which is what the
stages (token stream, alignment to the format, the format's arithmetic) are for.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports.layouts import (
    LAYOUTS,
    NUMBER_STYLES,
    RUN_TOGETHER_LAYOUTS,
    Options,
    expected_cells,
    render,
    rows_of,
    wrong_cells,
)
from tests.reports.strategies import consistent_reports, reports_with_gaps
from xxgk.reports import national_format as nf
from xxgk.reports.parse import parse_report

SETTINGS = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])



@st.composite
def options(draw: st.DrawFn, layouts: tuple[str, ...] = LAYOUTS) -> Options:
    layout = draw(st.sampled_from(layouts))
    return Options(
        layout=layout,
        numbers=draw(st.sampled_from(NUMBER_STYLES)),
        furniture_every=draw(st.sampled_from((0, 0, 3, 7))),
        omit=frozenset(draw(st.sets(st.sampled_from(rows_of(nf.NationalReport())), max_size=3))),
        cut_at=draw(st.one_of(st.none(), st.floats(min_value=0.05, max_value=0.95))),
    )


@st.composite
def rendered(draw: st.DrawFn) -> tuple[nf.NationalReport, Options]:
    """A report and a layout: with gaps where the layout can show a blank cell."""
    chosen = draw(options())
    gaps = chosen.layout not in RUN_TOGETHER_LAYOUTS
    report = draw(reports_with_gaps() if gaps else consistent_reports())
    return report, chosen


@SETTINGS
@given(rendered())
def test_every_cell_read_from_any_layout_is_right(case):
    report, chosen = case
    result = parse_report(render(report, chosen))
    assert wrong_cells(report, result.cells) == {}


@pytest.mark.parametrize("layout", [
    layout for layout in LAYOUTS if layout not in RUN_TOGETHER_LAYOUTS])
@SETTINGS
@given(report=consistent_reports(), numbers=st.sampled_from(NUMBER_STYLES))
def test_a_complete_rendering_is_read_completely(layout, report, numbers):
    chosen = Options(layout=layout, numbers=numbers)
    result = parse_report(render(report, chosen))
    assert wrong_cells(report, result.cells) == {}
    assert expected_cells(report, chosen) - set(result.cells) == set()


@pytest.mark.parametrize("layout", ["tabs", "web", "eight_columns"])
@SETTINGS
@given(report=consistent_reports(), every=st.integers(min_value=1, max_value=6))
def test_page_furniture_between_rows_loses_nothing(layout, report, every):
    chosen = Options(layout=layout, furniture_every=every)
    result = parse_report(render(report, chosen))
    assert wrong_cells(report, result.cells) == {}
    assert expected_cells(report, chosen) - set(result.cells) == set()


@pytest.mark.parametrize("layout", ["tabs", "web", "html"])
@SETTINGS
@given(report=consistent_reports(),
       omit=st.sets(st.sampled_from(rows_of(nf.NationalReport())), min_size=1, max_size=4))
def test_omitted_rows_are_missing_and_never_filled_from_their_neighbours(layout, report, omit):
    chosen = Options(layout=layout, omit=frozenset(omit))
    result = parse_report(render(report, chosen))
    assert wrong_cells(report, result.cells) == {}
    for row in omit - {"other"}:
        assert not any(k.startswith(f"applications.{row}.") for k in result.cells)
    assert expected_cells(report, chosen) - set(result.cells) == set()
