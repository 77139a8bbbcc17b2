"""Section 四: administrative reconsideration and litigation.

Pure Python: no Django import.
"""

from __future__ import annotations

from xxgk import taxonomy as tx
from xxgk.reports.national_format import APPEALS
from xxgk.reports.parse.applications import _appeals_identity, _Findings, fit_width, split_row
from xxgk.reports.parse.extract import Row, Text
from xxgk.reports.parse.labels import best_match
from xxgk.reports.parse.result import Ambiguity, flat_key
from xxgk.reports.parse.tokens import Token

# ---- Section 四: appeals ------------------------------------------------------------------

_APPEAL_KEYS = [flat_key(APPEALS, k, c) for k in tx.APPEAL_KIND_KEYS for c in tx.APPEAL_CELL_KEYS]
_APPEAL_GROUP_LABELS = {c.key: c.label_zh for c in tx.APPEAL_KINDS}


def parse_appeals(items: list[Row | Text]) -> _Findings:
    found = _Findings()
    section = "四"
    width = len(_APPEAL_KEYS)
    group_width = len(tx.APPEAL_CELL_KEYS)
    rows: list[tuple[Row, str, list[Token], str | None]] = []
    for item in items:
        row = item if isinstance(item, Row) else Row([item.text], False, item.where)
        label, toks, problem = split_row(row)
        if toks:
            rows.append((row, label, toks, problem))
    if not rows:
        return found
    # One row of fifteen: the format's layout.
    singles = []
    for row, _label, toks, problem in rows:
        if problem:
            continue
        fitted, why = fit_width(toks, width, _appeals_identity, row.exact)
        if fitted is not None:
            singles.append((row, fitted, why))
    if len(singles) == 1 and len(rows) == 1:
        row, fitted, why = singles[0]
        if why:
            found.notes.append(f"appeals: {why}")
        found.put(section, _APPEAL_KEYS, fitted, [row.describe()])
        return found
    # Three rows of five, one per group, in the format's order (labelled or not).
    if len(rows) == len(tx.APPEAL_KINDS) and all(
        len(t) == group_width and not p for _, _, t, p in rows
    ):
        labels_ok = all(
            not label or best_match(label, _APPEAL_GROUP_LABELS)[0] == kind
            for (_, label, _, _), kind in zip(rows, tx.APPEAL_KIND_KEYS, strict=True)
        )
        if labels_ok:
            for (row, _, toks, _), kind in zip(rows, tx.APPEAL_KIND_KEYS, strict=True):
                found.put(
                    section,
                    [flat_key(APPEALS, kind, c) for c in tx.APPEAL_CELL_KEYS],
                    toks,
                    [row.describe()],
                )
            found.notes.append("appeals: read as three rows of five, one per group")
            return found
    for row, _label, toks, problem in rows:
        fitted, why = fit_width(toks, width, _appeals_identity, row.exact)
        found.ambiguities.append(
            Ambiguity(
                section,
                problem or why or "more than one row of values in the appeals table",
                [row.describe()],
                list(_APPEAL_KEYS),
                values=[t.raw.strip() or "·" for t in toks],
            )
        )
    return found
