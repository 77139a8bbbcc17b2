"""Section 四: administrative reconsideration and litigation.

Pure Python: no Django import.
"""

from __future__ import annotations

from xxgk import taxonomy as tx
from xxgk.reports.national_format import APPEALS
from xxgk.reports.parse.applications import _appeals_identity, _Findings, fit_cells, split_row
from xxgk.reports.parse.arithmetic import Fit, group_readings
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
        fit = _fit_row(toks, row.exact)
        if fit.tokens is not None:
            singles.append((row, fit.tokens, fit.why, fit.arithmetic))
    if len(singles) == 1 and len(rows) == 1:
        row, fitted, why, arithmetic = singles[0]
        if why:
            found.notes.append(f"appeals: {why}")
        how = "arithmetic" if arithmetic else "label"
        found.put(section, _APPEAL_KEYS, fitted, [row.describe()], how=how)
        return found
    # Three rows of five, one per group, in the format's order (labelled or not).
    if len(rows) == len(tx.APPEAL_KINDS) and all(
        len(t) == group_width and not p and all(tok.kind != "run" for tok in t)
        for _, _, t, p in rows
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
        fit = _fit_row(toks, row.exact)
        found.ambiguities.append(
            Ambiguity(
                section,
                problem or fit.why or "more than one row of values in the appeals table",
                [row.describe()],
                list(_APPEAL_KEYS),
                values=[t.raw.strip() or "·" for t in toks],
                readings=[[t.raw.strip() for t in r] for r in fit.readings],
            )
        )
    return found


def _fit_row(toks: list[Token], exact: bool) -> Fit:
    """The row of fifteen; one run of digits is cut group by group (each adds up)."""
    if len(toks) == 1 and toks[0].kind == "run":
        found = group_readings(toks[0].raw.strip(), len(tx.APPEAL_KINDS), len(tx.APPEAL_CELL_KEYS))
        digits = toks[0].raw.strip()
        if found is None:
            return Fit(None, f"the digits {digits} can be cut into {len(_APPEAL_KEYS)} cells in "
                       "too many ways")
        if len(found) == 1:
            return Fit(found[0], f"the digits {digits} have one cut in which every group adds "
                       "up to its total", arithmetic=True)
        return Fit(None, f"{len(found)} cuts of the digits {digits} add up in every group"
                   if found else f"no cut of the digits {digits} adds up in every group",
                   readings=found)
    return fit_cells(toks, len(_APPEAL_KEYS), _appeals_identity, exact, _complete_groups_add_up)


def _complete_groups_add_up(cells: list[Token]) -> bool:
    """A partial reading of the row of fifteen: each complete group adds up to its total."""
    size = len(tx.APPEAL_CELL_KEYS)
    if len(cells) % size:
        return True
    group = cells[-size:]
    if any(t.kind != "num" or t.value is None for t in group):
        return True
    return sum(t.value for t in group[:-1] if t.value is not None) == group[-1].value
