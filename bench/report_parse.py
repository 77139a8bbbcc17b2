"""Reading published annual reports: cells right, missing and wrong, and reports per second,
for the staged parser beside the line-by-line parser it replaced, in the same run.

    .venv/bin/python bench/report_parse.py [--reports 240] [--seed 12] [--details]

The folder: ``--reports`` generated reports (``tests/reports/strategies.py``, drawn
deterministically from ``--seed``), each rendered by ``tests/reports/layouts.py`` in one
layout, taken in turn: PDF-extracted tabs, web text one cell per line, run-together cells, a
whole table on one line, the 8-column variant, HTML with ``<p>`` cells; every third with page
furniture between rows, every fourth with one to three rows omitted, every fifth cut off
(a report cut off counts in right and wrong, not in missing). Reports with gaps are drawn for the
layouts that can show a blank cell; the run-together layouts get complete reports.

The old parser is ``src/xxgk/reports/parse.py`` as of commit 4afde37 (before issue 12),
read from git at run time into a temporary module; no copy of it is kept in the tree.

The figures, per parser and per layout:

* **right** — cells read equal to the report's;
* **missing** — legible cells (printed with a value, before any cut) not read;
* **wrong** — cells read that differ from the report's (must be 0);
* **reports/s** — parses per second of wall time, the rendering excluded.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

OLD_REVISION = "4afde37"


def old_parser() -> ModuleType:
    """The parser of ``OLD_REVISION``, loaded from git into a temporary module."""
    source = subprocess.run(
        ["git", "show", f"{OLD_REVISION}:src/xxgk/reports/parse.py"],  # noqa: S607
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "old_report_parse.py"
        path.write_text(source, encoding="utf-8")
        spec = importlib.util.spec_from_file_location("old_report_parse", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up by name
        spec.loader.exec_module(module)
    return module


def generate(count: int, seed_value: int) -> list[tuple[Any, Any, str]]:
    """(report, options, text) for ``count`` reports in mixed layouts, the same every run."""
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis import strategies as st

    from tests.reports.layouts import LAYOUTS, RUN_TOGETHER_LAYOUTS, Options, render, rows_of
    from tests.reports.strategies import consistent_reports, reports_with_gaps
    from xxgk.reports.national_format import NationalReport

    drawn: list[tuple[Any, Any, frozenset[str], float]] = []
    row_keys = rows_of(NationalReport())

    # Every example draws the same things, whatever layout it will get (Hypothesis requires
    # it); the layout and its changes are chosen from the example's place in the folder.
    @seed(seed_value)
    @settings(max_examples=count, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), deadline=None)
    @given(consistent_reports(), reports_with_gaps(),
           st.sets(st.sampled_from(row_keys), min_size=1, max_size=3), st.floats(0.3, 0.9))
    def draw(complete: Any, with_gaps: Any, omit: frozenset[str], cut: float) -> None:
        drawn.append((complete, with_gaps, frozenset(omit), cut))

    draw()
    folder = []
    for index, (complete, with_gaps, omit, cut) in enumerate(drawn[:count]):
        layout = LAYOUTS[index % len(LAYOUTS)]
        gaps = layout not in RUN_TOGETHER_LAYOUTS and index % 2
        options = Options(
            layout=layout, numbers=("plain", "commas", "fullwidth")[index % 3],
            furniture_every=4 if index % 3 == 2 else 0,
            omit=omit if index % 4 == 3 else frozenset(),
            cut_at=cut if index % 5 == 4 else None,
        )
        folder.append((with_gaps if gaps else complete, options))
    return [(report, options, render(report, options)) for report, options in folder]


def legible(report: Any, options: Any) -> set[str]:
    """The cells printed with a value. A report cut off counts none as legible: which of
    its cells the cut spared is not known apart from a parser, so it adds to right and
    wrong only."""
    from tests.reports.layouts import expected_cells

    return set() if options.cut_at is not None else expected_cells(report, options)


def measure(parse: Callable[[str], Any], folder: list[tuple[Any, Any, str]],
            legible_cells: list[set[str]]) -> tuple[dict[str, Counter[str]], float]:
    by_layout: dict[str, Counter[str]] = defaultdict(Counter)
    started = time.perf_counter()
    results = [parse(text) for _, _, text in folder]
    elapsed = time.perf_counter() - started
    for (report, options, _), result, cells in zip(folder, results, legible_cells, strict=True):
        truth = report.to_flat()
        counts = by_layout[options.layout]
        for key, value in result.cells.items():
            if key not in truth:
                continue
            counts["right" if value == truth[key] else "wrong"] += 1
        counts["missing"] += len(cells - set(result.cells))
        counts["reports"] += 1
    return by_layout, len(folder) / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=240)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--details", action="store_true", help="figures per layout")
    args = parser.parse_args()
    if args.reports < 1:
        parser.error("--reports must be at least 1")

    from xxgk.reports.parse import parse_report

    old = old_parser()
    folder = generate(args.reports, args.seed)
    cells = [legible(report, options) for report, options, _ in folder]
    figures = {"old (4afde37)": measure(old.parse_report, folder, cells),
               "staged": measure(parse_report, folder, cells)}

    layouts = sorted({options.layout for _, options, _ in folder})
    print(f"\n{len(folder)} generated reports in {len(layouts)} layouts "
          f"({', '.join(layouts)}), {sum(len(c) for c in cells):,} legible cells\n")
    print(f"  {'parser':<14}{'right':>9}{'missing':>9}{'wrong':>7}{'reports/s':>11}")
    for name, (by_layout, rate) in figures.items():
        total = sum(by_layout.values(), Counter())
        print(f"  {name:<14}{total['right']:>9,}{total['missing']:>9,}{total['wrong']:>7,}"
              f"{rate:>11.1f}")
    if args.details:
        print(f"\n  {'layout':<15}{'parser':<14}{'right':>9}{'missing':>9}{'wrong':>7}")
        for layout in layouts:
            for name, (by_layout, _) in figures.items():
                c = by_layout[layout]
                print(f"  {layout:<15}{name:<14}{c['right']:>9,}{c['missing']:>9,}"
                      f"{c['wrong']:>7,}")
    wrong = sum(c["wrong"] for c in figures["staged"][0].values())
    print("\n  (target: wrong = 0 for the staged parser)")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
