"""A human summary of a ``ParseResult``, for ``xxgk report`` and for anyone reading one.

Pure Python: no Django import. What was found and lost per section, the rows that could
not be placed (with the probable row), the text-vs-table comparisons and the checks that
failed or could not run. ``ParseResult.to_json()`` is the machine form of the same thing.
"""

from __future__ import annotations

from collections import Counter

from xxgk.reports import national_format as nf
from xxgk.reports.parse import ParseResult

SECTION_TITLES = {
    nf.PROACTIVE: "二 proactive disclosure",
    nf.APPLICATIONS: "三 applications",
    nf.APPEALS: "四 appeals",
    nf.PROCESSING_FEES: "六 processing fees",
}
_SHOWN_SKIPPED = 5


def _missing_by_row(result: ParseResult, section: str) -> list[str]:
    """``row`` when the whole row is missing, ``row: col, col`` when part of it is."""
    rows: dict[str, list[str]] = {}
    expected: Counter[str] = Counter()
    for key in nf.CELL_KEYS:
        if not key.startswith(section + "."):
            continue
        row, _, column = key[len(section) + 1 :].rpartition(".")
        expected[row] += 1
        if key in result.missing:
            rows.setdefault(row, []).append(column)
    out = []
    for row, columns in rows.items():
        if not row:  # processing_fees.<field>: no row
            out.append(", ".join(columns))
        elif len(columns) == expected[row]:
            out.append(row)
        else:
            out.append(f"{row} ({', '.join(columns)})")
    return out


def render_parse_result_text(result: ParseResult) -> str:
    lines: list[str] = []
    found = len([v for v in result.cells.values() if v is not None])
    lines.append(f"Format: {result.format} (read from {result.source_kind})")
    lines.append(
        f"Cells found: {found} of {len(nf.CELL_KEYS)}; not applicable: "
        f"{len(result.not_applicable)}; missing: {len(result.missing)}"
    )
    lines.append("")
    width = max(len(t) for t in SECTION_TITLES.values())
    for section, title in SECTION_TITLES.items():
        summary = result.sections[section]
        na = f", {summary.not_applicable} n/a" if summary.not_applicable else ""
        lines.append(
            f"  {title.ljust(width)}  {summary.found:>3} / {summary.expected:<3}  "
            f"{summary.status}{na}"
        )
        if summary.status == "lost":
            lines.append("      lost: the whole section")
        elif summary.status == "partial":
            missing = _missing_by_row(result, section)
            lines.append(f"      missing: {'; '.join(missing)}")

    if result.trial_2019:
        lines += ["", f"2019 trial-format cells kept apart ({len(result.trial_2019)}):"]
        for key, value in result.trial_2019.items():
            lines.append(f"  {key} = {'n/a' if value is None else value}")

    if result.ambiguities:
        lines += ["", f"Not placed ({len(result.ambiguities)}):"]
        for amb in result.ambiguities:
            probable = f" — probably {amb.probable_key}" if amb.probable_key else ""
            values = f" [{' · '.join(amb.values)}]" if amb.values else ""
            lines.append(f"  [{amb.section}]{probable}{values}: {amb.reason}")
            for row in amb.rows:
                lines.append(f"      {row}")
            if amb.keys and not amb.probable_key:
                lines.append(f"      cells: {', '.join(amb.keys)}")

    if result.prose_figures:
        lines += ["", "Figures in the text:"]
        for fig in result.prose_figures:
            lines.append(f"  [{fig.section}] {fig.kind} = {fig.value}: {fig.text}")

    if result.text_vs_table:
        lines += ["", "Text against tables:"]
        for comp in result.text_vs_table:
            lines.append(f"  {comp.status.upper()} {comp.kind} = {comp.prose_value}: {comp.detail}")

    checks = result.checks
    lines.append("")
    if not checks.get("available"):
        lines.append(f"Checks not run: {checks.get('reason')}")
    else:
        failures, skipped = checks["failures"], checks["skipped"]
        lines.append(f"Checks: {len(failures)} failed, {len(skipped)} not checked (cells missing)")
        for failure in failures:
            lines.append(f"  FAILED [{failure['rule']}] {failure['message']}")
        by_rule = Counter(s["rule"] for s in skipped)
        if by_rule:
            lines.append(
                "  not checked: "
                + ", ".join(f"{rule} × {count}" for rule, count in by_rule.items())
            )
        for item in skipped[:_SHOWN_SKIPPED]:
            lines.append(f"    {item['message']}")
        if len(skipped) > _SHOWN_SKIPPED:
            lines.append(f"    … and {len(skipped) - _SHOWN_SKIPPED} more")

    if result.notes:
        lines += ["", "Notes:"]
        lines += [f"  - {note}" for note in result.notes]
    return "\n".join(lines) + "\n"
