"""Section 三: placing rows of values in the 25 rows of the applications table.

Pure Python: no Django import.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xxgk import taxonomy as tx
from xxgk.reports.national_format import APPLICATIONS
from xxgk.reports.parse.arithmetic import Fit, fit_runs
from xxgk.reports.parse.extract import Row, Text
from xxgk.reports.parse.labels import _confident, best_match, segments
from xxgk.reports.parse.result import (
    FORMAT_2019_TRIAL,
    FORMAT_2021,
    TRIAL_2019,
    Ambiguity,
    Value,
    flat_key,
)
from xxgk.reports.parse.tokens import Token, _as_count, norm, token

# ---- Section 三: applications -------------------------------------------------------------

# Printed labels of the rows that are not outcomes (the taxonomy keeps only their keys).
FIXED_ROW_LABELS: dict[str, str] = {**tx.FIXED_ROW_LABELS, tx.TOTAL: "总计"}
RESULTS_BLOCK_LABEL = tx.RESULTS_BLOCK_LABEL
# The outcome groups (不予公开 …) in printed order, and the group-less outcomes before them.
OUTCOME_GROUPS: tuple[str, ...] = tuple(
    dict.fromkeys(c.group_zh for c in tx.OUTCOMES if c.group_zh)
)
UNGROUPED_OUTCOMES: tuple[str, ...] = tuple(c.key for c in tx.OUTCOMES if not c.group_zh)
_GROUP_MARKER = "group:"  # pseudo-keys of the group headings in the candidate table


def _group_of_numeral(number: int) -> tuple[str | None, str | None]:
    """(row key, group name) of a （n） marker: (一)(二) are rows, (三)–(六) are groups,
    (七) is the total."""
    if 1 <= number <= len(UNGROUPED_OUTCOMES):
        return UNGROUPED_OUTCOMES[number - 1], None
    index = number - len(UNGROUPED_OUTCOMES) - 1
    if 0 <= index < len(OUTCOME_GROUPS):
        return None, OUTCOME_GROUPS[index]
    if number == len(UNGROUPED_OUTCOMES) + len(OUTCOME_GROUPS) + 1:
        return tx.TOTAL, None
    return None, None


_TOP_ROWS = {1: tx.RECEIVED, 2: tx.CARRIED_OVER_FROM_LAST_YEAR, 4: tx.CARRIED_OVER_TO_NEXT_YEAR}


def _row_candidates() -> dict[str, str]:
    candidates = {key: FIXED_ROW_LABELS[key] for key in FIXED_ROW_LABELS}
    candidates.update({c.key: c.label_zh for c in tx.OUTCOMES})
    candidates.update({_GROUP_MARKER + g: g for g in OUTCOME_GROUPS})
    candidates[_GROUP_MARKER + RESULTS_BLOCK_LABEL] = "三、" + RESULTS_BLOCK_LABEL
    return candidates


_ROW_CANDIDATES = _row_candidates()
_ROW_ORDER = {key: i for i, key in enumerate(tx.APPLICATION_ROW_KEYS)}

# Words of the column headings (rows without values that must not be read as labels).
_APPLICATION_HEADER_WORDS = (
    "申请人情况",
    "自然人",
    "商业企业",
    "科研机构",
    "勾稽关系",
    "法律服务机构",
    "社会公益组织",
    "法人或其他组织",
)


@dataclass
class Resolution:
    key: str | None = None  # certain row key
    probable: str | None = None
    reason: str | None = None
    group: str | None = None  # group context set by this label
    block: str | None = None  # "results" when the label opens 三、本年度办理结果
    group_only: str | None = None  # the label is only a group heading

    @property
    def says_nothing(self) -> bool:
        """The label is empty or only context (e.g. a piece of 三、本年度办理结果): it names
        no row, so it neither identifies the row nor speaks against placing it by position."""
        return not (self.key or self.probable or self.group_only or self.reason)


def resolve_application_label(label: str, context_group: str | None) -> Resolution:
    """Identify a section-三 row from its (normalised) label."""
    segs = segments(label)
    res = Resolution()
    group = context_group
    own_group: str | None = None  # a group heading on this very label
    for seg in segs:
        if seg.level == "top":
            group = None
            if seg.number == 3:
                res.block = "results"
        elif seg.level == "group" and seg.number is not None:
            group = own_group = _group_of_numeral(seg.number)[1]
    res.group = group
    if not segs:
        return res
    leaf = segs[-1]
    text = leaf.text
    # A leaf without its own text (e.g. "3.") inherits nothing: text decides, markers confirm.
    text_key, score, second = best_match(text, _ROW_CANDIDATES) if text else (None, 0.0, 0.0)
    text_sure = text_key is not None and _confident(score, second)

    marker_key: str | None = None
    marker_group: str | None = None
    if leaf.level == "top" and leaf.number is not None:
        marker_key = _TOP_ROWS.get(leaf.number)
        if leaf.number == 3:
            marker_group = _GROUP_MARKER + RESULTS_BLOCK_LABEL
    elif leaf.level == "group" and leaf.number is not None:
        marker_key, group_name = _group_of_numeral(leaf.number)
        if group_name:
            marker_group = _GROUP_MARKER + group_name
    elif leaf.level == "item" and leaf.number is not None and group:
        members = [c.key for c in tx.OUTCOMES if c.group_zh == group]
        if 1 <= leaf.number <= len(members):
            marker_key = members[leaf.number - 1]

    # Group headings (with or without their marker): context, not a row of their own.
    if text_sure and text_key and text_key.startswith(_GROUP_MARKER):
        name = text_key[len(_GROUP_MARKER) :]
        if name == RESULTS_BLOCK_LABEL:
            res.block = "results"
            return res
        if marker_group is None or marker_group == text_key:
            res.group = name
            res.group_only = name
            return res
    if marker_group is not None and not text_key:
        name = marker_group[len(_GROUP_MARKER) :]
        if name != RESULTS_BLOCK_LABEL:
            res.group_only = name
        return res
    if marker_group is not None and text_key and not text_sure:
        name = marker_group[len(_GROUP_MARKER) :]
        if name != RESULTS_BLOCK_LABEL:
            res.group_only = name
        return res

    if text_sure and text_key:
        cat = tx.OUTCOMES_BY_KEY.get(text_key)
        if leaf.level == "item":
            # The number must be the text's own place in its group. The group above may be
            # a stale context (its heading lost with another row's label), so it is not
            # asked, unless the heading is on this very line.
            members = [c.key for c in tx.OUTCOMES if cat and c.group_zh == cat.group_zh]
            position = members.index(text_key) + 1 if cat and cat.group_zh else None
            if position != leaf.number:
                res.probable = text_key
                res.reason = (
                    f"the label's text reads as {text_key} but it is numbered {leaf.number}"
                )
                return res
            if own_group is not None and cat is not None and cat.group_zh != own_group:
                res.probable = text_key
                res.reason = f"the label reads as {text_key} but stands under （{own_group}）"
                return res
        elif marker_key is not None and marker_key != text_key:
            res.probable = text_key
            res.reason = f"the label's text reads as {text_key} but its numbering as {marker_key}"
            return res
        res.key = text_key
        if cat is not None and cat.group_zh:
            res.group = cat.group_zh
        return res
    if marker_key is not None:
        if leaf.level in ("top", "group") and not text:
            res.key = marker_key  # e.g. "（七）" whose word was lost: the marker is explicit
            return res
        if leaf.level == "item":
            res.probable = marker_key
            res.reason = (
                "only the item number identifies the row (its text is lost or unclear), and "
                "the group heading it falls under may have been lost"
            )
            return res
        res.probable = marker_key
        res.reason = "the numbering and the text of the label disagree or the text is unclear"
        return res
    if text_key and score >= 0.4:
        res.probable = None if text_key.startswith(_GROUP_MARKER) else text_key
        res.reason = f"the label '{text}' does not clearly match a row of the format"
    elif text:
        res.reason = f"the label '{text}' matches no row of the format"
    return res


def _is_application_header(label: str) -> bool:
    return any(w in label for w in _APPLICATION_HEADER_WORDS)


# A row of values read from a source row: label text and value tokens.
@dataclass
class ValueRow:
    label: str  # normalised label (cells and attached fragments)
    tokens: list[Token]
    rows: list[Row]
    problem: str | None = None  # the value region is malformed (text inside, …)

    def describe(self) -> list[str]:
        return [r.describe() for r in self.rows]


def split_row(row: Row) -> tuple[str, list[Token], str | None]:
    """(label, value tokens, problem) of a row.

    Exact rows: the values are the cells after the last text cell (merged label cells left
    blank are dropped later by ``fit_width``). Extracted rows: the values run from the first to
    the last number or not-applicable mark, blank cells inside counting as cells; blank cells
    outside that run are unknowable and ignored.
    """
    toks = [
        Token("run", c, None) if i in row.runs else token(c) for i, c in enumerate(row.cells)
    ]
    value_positions = [i for i, t in enumerate(toks) if t.is_value]
    if not value_positions:
        return norm("".join(row.cells)), [], None
    if row.exact:
        last_text = max((i for i, t in enumerate(toks) if t.kind == "text"), default=-1)
        if last_text > value_positions[0]:
            label = norm(
                "".join(c for c, t in zip(row.cells, toks, strict=True) if t.kind == "text")
            )
            return label, toks[value_positions[0] :], "text among the values"
        label = norm("".join(row.cells[: last_text + 1]))
        return label, toks[last_text + 1 :], None
    first, last = value_positions[0], value_positions[-1]
    label = norm(
        "".join(c for c, t in zip(row.cells[:first], toks[:first], strict=True) if t.kind == "text")
    )
    region = toks[first : last + 1]
    if any(t.kind == "text" for t in region):
        return label, region, "text among the values"
    return label, region, None


def fit_width(
    tokens: list[Token], width: int, identity: Callable[[list[Decimal]], bool] | None, exact: bool
) -> tuple[list[Token] | None, str | None]:
    """The ``width`` cells of a row, or (None, why not): :func:`fit_cells` without how."""
    fit = fit_cells(tokens, width, identity, exact)
    return fit.tokens, fit.why


def fit_cells(
    tokens: list[Token],
    width: int,
    identity: Callable[[list[Decimal]], bool] | None,
    exact: bool,
    prefix_ok: Callable[[list[Token]], bool] | None = None,
    summed: int | None = None,
) -> Fit:
    """The ``width`` cells of a row, or why there are none.

    Digits run together are cut by :func:`arithmetic.fit_runs`.

    Exact rows may carry blank merged-label cells before the values, and sloppy ``|`` tables
    an empty cell after them: blanks beyond ``width`` at either end are dropped, leading ones
    first. One number too many is resolved only by the row's own identity: the
    readings that drop the first or the last number are tried, and accepted when at least one
    satisfies the identity and all that do give the same numbers.
    """
    if any(t.kind == "run" for t in tokens):
        return fit_runs(tokens, width, identity, prefix_ok, summed)
    toks = list(tokens)
    if exact:
        while len(toks) > width and toks[0].kind == "blank":
            toks.pop(0)
        while len(toks) > width and toks[-1].kind == "blank":
            toks.pop()
        if width == 1 and len(toks) > 1 and sum(t.is_value for t in toks) == 1:
            # One value spanning merged cells, rendered as blanks around it.
            return Fit([next(t for t in toks if t.is_value)])
    if len(toks) == width:
        return Fit(toks)
    if len(toks) == width + 1 and identity is not None:
        readings = [toks[1:], toks[:-1]]
        good = [
            r
            for r in readings
            if all(t.kind == "num" for t in r) and identity([t.value for t in r])  # type: ignore[misc]
        ]
        if good and all([t.value for t in g] == [t.value for t in good[0]] for g in good):
            dropped = toks[0] if good[0] is readings[0] else toks[-1]
            return Fit(good[0], (
                f"one number too many ({len(toks)} for {width}); only the reading without the "
                f"{'first' if good[0] is readings[0] else 'last'} number ({dropped.raw.strip()}) "
                "satisfies the row's own total"
            ), arithmetic=True)
        return Fit(None, (
            f"{len(toks)} numbers where {width} are expected, and the row's own total does not "
            "tell which number is stray"
        ))
    return Fit(None, f"{len(toks)} cells where {width} are expected")


def _applications_identity(values: list[Decimal]) -> bool:
    return sum(values[:-1]) == values[-1]


def _appeals_identity(values: list[Decimal]) -> bool:
    size = len(tx.APPEAL_CELL_KEYS)
    groups = [values[i : i + size] for i in range(0, len(values), size)]
    return all(sum(g[:-1]) == g[-1] for g in groups)


@dataclass
class _Placed:
    key: str
    tokens: list[Token]
    value_row: ValueRow
    note: str | None = None
    how: str = "label"  # how the row was read: "label", "position" or "arithmetic"


class _Findings:
    """What one section contributes: cells, n/a, ambiguities, notes."""

    def __init__(self) -> None:
        self.cells: dict[str, Value] = {}
        self.not_applicable: list[str] = []
        self.ambiguities: list[Ambiguity] = []
        self.notes: list[str] = []
        self.trial: dict[str, Value] = {}
        # How each cell was read: "label", "position" or "arithmetic" (see ParseResult).
        self.read_by: dict[str, str] = {}

    def put(
        self,
        section: str,
        keys: Sequence[str],
        tokens: Sequence[Token],
        rows: list[str],
        *,
        decimal_keys: Iterable[str] = (),
        into_trial: bool = False,
        how: str = "label",
    ) -> None:
        decimals = set(decimal_keys)
        target = self.trial if into_trial else self.cells
        blanks: list[str] = []
        for key, tok in zip(keys, tokens, strict=True):
            if tok.kind == "na":
                target[key] = None
                if not into_trial:
                    self.not_applicable.append(key)
            elif tok.kind == "num" and tok.value is not None:
                if tok.value < 0 and not into_trial:
                    self.ambiguities.append(
                        Ambiguity(
                            section, f"'{tok.raw}' is negative; a cell counts or sums", rows, [key]
                        )
                    )
                elif key in decimals:
                    target[key] = tok.value
                else:
                    count = _as_count(tok.value)
                    if count is None:
                        self.ambiguities.append(
                            Ambiguity(section, f"'{tok.raw}' is not a whole number", rows, [key])
                        )
                    else:
                        target[key] = count
            else:
                blanks.append(key)
        if not into_trial:
            for key in keys:
                if key in target:
                    self.read_by[key] = how
        if blanks:
            self.ambiguities.append(
                Ambiguity(section, "blank cells (a blank is not a number)", rows, blanks)
            )


def _collect_value_rows(
    items: list[Row | Text],
    is_header: Callable[[str], bool],
    score_label: Callable[[str], float],
) -> list[ValueRow]:
    """Rows with values, with label fragments on lines of their own attached.

    A fragment that begins with a marker (三、 (三) 3.) starts a pending label for the next
    row with values; a fragment without a marker continues the pending label if there is one,
    else the label of the row just read — when that improves (or keeps) its match — else it
    starts the pending label.
    """
    out: list[ValueRow] = []
    pending: list[str] = []
    pending_rows: list[Row] = []
    last: ValueRow | None = None
    for item in items:
        toks: list[Token]
        if isinstance(item, Text):
            label, toks, problem = norm(item.text), [], None
            source = Row([item.text], False, item.where)
        else:
            label, toks, problem = split_row(item)
            source = item
        if not toks:
            if not label:
                continue
            if is_header(label):
                pending, pending_rows, last = [], [], None
                continue
            starts_with_marker = bool(segments(label)) and segments(label)[0].level != "loose"
            if starts_with_marker or pending:
                pending.append(label)
                pending_rows.append(source)
            elif last is not None and score_label(last.label + label) >= score_label(last.label):
                last.label += label
                last.rows.append(source)
            else:
                pending.append(label)
                pending_rows.append(source)
            continue
        value_row = ValueRow("".join(pending) + label, toks, [*pending_rows, source], problem)
        out.append(value_row)
        pending, pending_rows = [], []
        last = value_row
    if pending:
        out.append(ValueRow("".join(pending), [], pending_rows, "a label with no values"))
    return out


def _application_label_score(label: str) -> float:
    segs = segments(label)
    text = segs[-1].text if segs else label
    _, score, _ = best_match(text, _ROW_CANDIDATES)
    return score


def parse_applications(items: list[Row | Text], fmt: str) -> tuple[_Findings, dict[str, bool]]:
    """Section 三. Returns findings and format signals (``other_split``: the 2021 sub-rows of
    其他处理 were seen; ``other_single``: a single 其他处理 row with values, as in 2019)."""
    found = _Findings()
    signals = {"other_split": False, "other_single": False}
    section = "三"
    value_rows = _collect_value_rows(items, _is_application_header, _application_label_score)
    subtotal = _has_subtotal_column(items)
    width = len(tx.REPORT_COLUMN_KEYS) + (1 if subtotal else 0)
    identity = _subtotal_identity if subtotal else _applications_identity
    if subtotal:
        found.notes.append(
            "section 三 has the column 法人或其他组织小计; it is checked against the five "
            "columns it sums and left out of the cells"
        )
    arithmetic: set[int] = set()
    alternatives: dict[int, list[list[Token]]] = {}

    # Pass 1: identify each row.
    entries: list[tuple[ValueRow, Resolution, list[Token] | None, str | None]] = []
    group: str | None = None
    for vr in value_rows:
        res = resolve_application_label(vr.label, group)
        group = res.group
        if res.key and res.key.startswith("other."):
            signals["other_split"] = True
        if not vr.tokens:
            if vr.problem == "a label with no values" and (res.key or res.probable):
                key = res.key or res.probable
                found.ambiguities.append(
                    Ambiguity(
                        section,
                        "the text ends after this label; its values are not there",
                        vr.describe(),
                        [flat_key(APPLICATIONS, key, c) for c in tx.REPORT_COLUMN_KEYS]
                        if key
                        else [],
                        key,
                    )
                )
            continue
        if vr.problem:
            entries.append((vr, res, None, vr.problem))
            continue
        fit = fit_cells(vr.tokens, width, identity, vr.rows[-1].exact,
                        summed=len(tx.APPLICANT_COLUMN_KEYS))
        if fit.arithmetic:
            arithmetic.add(len(entries))
        if fit.readings:
            alternatives[len(entries)] = [
                _without_subtotal(r) if subtotal else r for r in fit.readings
            ]
        fitted = fit.tokens
        if subtotal and fitted is not None:
            fitted = _without_subtotal(fitted)
        entries.append((vr, res, fitted, fit.why))

    # Pass 2: keep identified, well-formed rows in the format's order (each key once).
    identified = [
        i for i, (vr, res, fitted, _) in enumerate(entries) if res.key is not None and fitted
    ]
    keys_seen: dict[str, list[int]] = {}
    for i in identified:
        keys_seen.setdefault(entries[i][1].key or "", []).append(i)
    duplicates = {k for k, idx in keys_seen.items() if len(idx) > 1}
    candidates = [i for i in identified if entries[i][1].key not in duplicates]
    in_order = set(_longest_increasing(candidates, lambda i: _ROW_ORDER[entries[i][1].key or ""]))
    placed: dict[int, _Placed] = {}
    for i in candidates:
        vr, res, fitted, why = entries[i]
        if i in in_order and fitted is not None and res.key:
            how = "arithmetic" if i in arithmetic else "label"
            placed[i] = _Placed(res.key, fitted, vr, why, how)
    for key in sorted(duplicates, key=_ROW_ORDER.__getitem__):
        rows = [line for i in keys_seen[key] for line in entries[i][0].describe()]
        found.ambiguities.append(
            Ambiguity(
                section,
                f"{len(keys_seen[key])} rows read as the same row; none is placed",
                rows,
                _row_keys(key),
                key,
            )
        )

    # Pass 3: rows whose label is lost, placed only between two certain rows.
    _place_by_position(entries, placed, found)

    # Pass 4: rows whose digits split in several ways that fit their own total; the
    # table's arithmetic (column totals, the balance) may leave one.
    _resolve_by_columns(entries, placed, alternatives, duplicates, found)

    # Report everything not placed.
    for i, (vr, res, fitted, why) in enumerate(entries):
        if i in placed:
            continue
        if res.group_only and fmt == FORMAT_2019_TRIAL and res.group_only == OUTCOME_GROUPS[-1]:
            signals["other_single"] = True
            if fitted is not None:
                keys = [
                    flat_key(TRIAL_2019, APPLICATIONS, "other", c) for c in tx.REPORT_COLUMN_KEYS
                ]
                found.put(section, keys, fitted, vr.describe(), into_trial=True)
                found.notes.append(
                    "2019 trial format: 其他处理 is one row, which the 2021 format splits into "
                    "three; its figures are kept under trial_2019, not in the 2021 cells"
                )
                continue
        if res.group_only and res.group_only == OUTCOME_GROUPS[-1] and fmt != FORMAT_2021:
            signals["other_single"] = True
        if res.key in duplicates:
            continue
        probable = res.key or res.probable
        reasons = []
        if res.key is not None and fitted is not None:
            reasons.append("the row is out of the format's order (a misread label?)")
        elif res.key is not None:
            pass  # identified, but its cells cannot be aligned: ``why`` says why
        elif res.group_only:
            reasons.append(
                f"only the group heading （{res.group_only}） is legible; the row's "
                "own label is lost"
            )
            members = [c.key for c in tx.OUTCOMES if c.group_zh == res.group_only]
            if fmt == FORMAT_2021 and members:
                probable = members[0]  # the 2021 form prints a group's heading on its 1st row
        elif res.reason:
            reasons.append(res.reason)
        elif res.says_nothing:
            probable, where = _neighbour_guess(i, placed)
            reasons.append(
                "the row's label is lost"
                + (f"; it stands {where}" if where else "")
                + "; the rows around it are not all certain, so its position is not"
            )
        if why:
            reasons.append(why)
        values = [t.raw.strip() or "·" for t in (fitted or vr.tokens)]
        found.ambiguities.append(
            Ambiguity(
                section,
                "; ".join(reasons) or "the row cannot be placed",
                vr.describe(),
                _row_keys(probable) if probable else [],
                probable,
                values,
                [[t.raw.strip() for t in r] for r in alternatives.get(i, [])],
            )
        )

    for i in sorted(placed):
        p = placed[i]
        keys = _row_keys(p.key)
        if p.note:
            found.notes.append(f"{p.key}: {p.note}")
        found.put(section, keys, p.tokens, p.value_row.describe(), how=p.how)
    return found, signals


def _neighbour_guess(index: int, placed: dict[int, _Placed]) -> tuple[str | None, str | None]:
    """The row an unlabelled row would be if nothing were lost next to it: the row before
    the certain row that follows it, or else the row after the certain row before it."""
    after = placed.get(index + 1)
    if after is not None and _ROW_ORDER[after.key] > 0:
        return tx.APPLICATION_ROW_KEYS[
            _ROW_ORDER[after.key] - 1
        ], f"directly above the row {after.key}"
    before = placed.get(index - 1)
    if before is not None and _ROW_ORDER[before.key] + 1 < len(tx.APPLICATION_ROW_KEYS):
        return tx.APPLICATION_ROW_KEYS[
            _ROW_ORDER[before.key] + 1
        ], f"directly below the row {before.key}"
    return None, None


def _row_keys(row_key: str) -> list[str]:
    return [flat_key(APPLICATIONS, row_key, c) for c in tx.REPORT_COLUMN_KEYS]


def _longest_increasing(items: list[int], rank: Callable[[int], int]) -> list[int]:
    """The longest subsequence of ``items`` with strictly increasing rank."""
    best: list[list[int]] = []
    for item in items:
        options = [seq for seq in best if rank(seq[-1]) < rank(item)]
        longest = max(options, key=len, default=[])
        best.append([*longest, item])
    return max(best, key=len, default=[])


def _place_by_position(
    entries: list[tuple[ValueRow, Resolution, list[Token] | None, str | None]],
    placed: dict[int, _Placed],
    found: _Findings,
) -> None:
    anchors = sorted(placed)
    for left, right in zip(anchors, anchors[1:], strict=False):
        run = list(range(left + 1, right))
        if not run:
            continue
        gap = _ROW_ORDER[placed[right].key] - _ROW_ORDER[placed[left].key] - 1
        if gap != len(run):
            continue
        ok = all(
            entries[i][1].says_nothing
            and entries[i][2] is not None
            and all(t.kind == "num" for t in entries[i][2] or [])
            and _applications_identity([t.value for t in entries[i][2] or []])  # type: ignore[misc]
            for i in run
        )
        if not ok:
            continue
        start = _ROW_ORDER[placed[left].key]
        for offset, i in enumerate(run, 1):
            key = tx.APPLICATION_ROW_KEYS[start + offset]
            vr, _res, fitted, why = entries[i]
            assert fitted is not None
            placed[i] = _Placed(key, fitted, vr, why, "position")
            found.notes.append(
                f"{key}: label lost; placed by position between {placed[left].key} and "
                f"{placed[right].key} (the run has exactly the rows the format has there, and "
                "each row's applicant columns add up to its total)"
            )


def _has_subtotal_column(items: list[Row | Text]) -> bool:
    """Whether section 三's header has the variant column 法人或其他组织小计."""
    for item in items:
        text = norm(item.text if isinstance(item, Text) else "".join(item.cells))
        if "小计" in text:
            return True
        if isinstance(item, Row) and any(token(c).kind == "num" for c in item.cells):
            return False  # the header is over
    return False


def _subtotal_identity(values: list[Decimal]) -> bool:
    """The 8-column row: 自然人 … 其他, 小计 (of the five legal-person columns), 总计."""
    return sum(values[1:6]) == values[6] and sum(values[:6]) == values[7]


def _without_subtotal(cells: list[Token]) -> list[Token]:
    return [*cells[:6], *cells[7:]]


# Combinations of readings tried against the table's arithmetic, at most.
MAX_COMBINATIONS = 4096


def _resolve_by_columns(
    entries: list[tuple[ValueRow, Resolution, list[Token] | None, str | None]],
    placed: dict[int, _Placed],
    alternatives: dict[int, list[list[Token]]],
    duplicates: set[str],
    found: _Findings,
) -> None:
    """Place rows left with several readings when the table's columns leave one.

    A row qualifies when its label names it with certainty, no other row is placed as it,
    and it stands in the format's order among the placed rows. Every combination of the
    qualifying rows' readings is tried against each column's outcome total (总计 = the sum
    of the outcome rows) and balance (received + carried over = total + carried forward),
    using only equations whose other rows are all placed; a row is placed when every
    combination that passes gives it the same reading.
    """
    known: dict[str, list[Decimal]] = {}
    for p in placed.values():
        if all(t.kind == "num" and t.value is not None for t in p.tokens):
            known[p.key] = [t.value for t in p.tokens if t.value is not None]
    placed_keys = {p.key for p in placed.values()}
    pending: dict[str, tuple[int, list[list[Decimal]], list[list[Token]]]] = {}
    for i, options in alternatives.items():
        key = entries[i][1].key
        if i in placed or key is None or key in duplicates or key in placed_keys:
            continue
        if key in pending:
            pending.pop(key)  # two rows read as this one: neither
            continue
        before = [_ROW_ORDER[p.key] for j, p in placed.items() if j < i]
        after = [_ROW_ORDER[p.key] for j, p in placed.items() if j > i]
        if any(r >= _ROW_ORDER[key] for r in before) or any(r <= _ROW_ORDER[key] for r in after):
            continue
        readable = [r for r in options if all(t.kind == "num" and t.value is not None for t in r)]
        values = [[t.value for t in r if t.value is not None] for r in readable]
        pending[key] = (i, values, readable)
    if not pending:
        return
    equations = [
        ([tx.TOTAL], list(tx.OUTCOME_KEYS)),
        ([tx.RECEIVED, tx.CARRIED_OVER_FROM_LAST_YEAR], [tx.TOTAL, tx.CARRIED_OVER_TO_NEXT_YEAR]),
    ]
    usable = [
        (left, right) for left, right in equations
        if all(k in known or k in pending for k in (*left, *right))
        and any(k in pending for k in (*left, *right))
    ]
    involved = sorted({k for left, right in usable for k in (*left, *right) if k in pending},
                      key=_ROW_ORDER.__getitem__)
    if not involved:
        return
    combinations = 1
    for key in involved:
        combinations *= max(1, len(pending[key][1]))
    if combinations > MAX_COMBINATIONS:
        return
    survivors: list[tuple[int, ...]] = []
    for choice in itertools.product(*(range(len(pending[k][1])) for k in involved)):
        rows = {**known, **{k: pending[k][1][c] for k, c in zip(involved, choice, strict=True)}}
        if all(
            sum(rows[k][col] for k in left) == sum(rows[k][col] for k in right)
            for left, right in usable
            for col in range(len(tx.REPORT_COLUMN_KEYS))
        ):
            survivors.append(choice)
    for position, key in enumerate(involved):
        chosen = {choice[position] for choice in survivors}
        if len(chosen) != 1:
            continue
        i, _values, readable = pending[key]
        vr = entries[i][0]
        reading = readable[chosen.pop()]
        placed[i] = _Placed(key, reading, vr, None, "arithmetic")
        found.notes.append(
            f"{key}: its digits split in several ways that satisfy its own total; only "
            f"{'·'.join(t.raw for t in reading)} also satisfies the table's column totals"
        )
