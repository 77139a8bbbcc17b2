"""Stage 5: fitting a row's tokens to the format's cells, the arithmetic deciding what
position leaves open.

Pure Python: no Django import. A row of the format has a known number of cells and, in
sections 三 and 四, an identity (the applicant columns add up to the total; an appeal
group's results add up to its total). When the tokens are exactly the cells, position
alone places them. When digits ran together (``5620058`` for seven cells), every way of
cutting the runs into cells is a *reading*: a number has no leading zero (``0`` itself
aside), so ``0025`` as three cells can only be 0·0·25; among the rest, the identity keeps
those that add up. A reading is taken only when it is the only one left; otherwise the row
is not placed and the readings that remain are returned, for the whole table's arithmetic
(:func:`xxgk.reports.parse.applications.resolve_by_columns`) or for a human.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from xxgk.reports.parse.tokens import Token

Identity = Callable[[list[Decimal]], bool]

# A cell of a published table has at most this many digits; longer cells are not tried.
MAX_CELL_DIGITS = 7
# The readings of one row are enumerated up to this many steps, then given up as too many.
MAX_STEPS = 20_000
# At most this many readings are kept for the table's arithmetic or shown.
MAX_READINGS = 64


@dataclass
class Fit:
    """The cells of one row, or why there are none."""

    tokens: list[Token] | None
    why: str | None = None
    # The row's arithmetic chose the reading (a split of digits, a stray number dropped).
    arithmetic: bool = False
    # When several readings remain: each of them (cells as tokens), for the next stage.
    readings: list[list[Token]] = field(default_factory=list)


class _TooManyError(Exception):
    """The readings outgrow the bound: the cells are left missing rather than guessed."""


def readings(
    tokens: list[Token],
    width: int,
    prefix_ok: Callable[[list[Token]], bool] | None = None,
    summed: int | None = None,
) -> list[list[Token]] | None:
    """Every way of reading ``tokens`` as ``width`` cells, runs cut into numbers; None when
    there are too many ways to try. ``prefix_ok`` prunes a partial reading early.

    ``summed``: the row's last cell is the total of its first ``summed`` cells, and only
    the readings where they add up are returned. The total is chosen first (each way of
    ending the last run), and no other cell may exceed it nor the running sum pass it,
    which leaves few readings to try.
    """
    if summed is None:
        return _walk(tokens, width, prefix_ok)
    last = tokens[-1] if tokens else None
    if last is None:
        return []
    if last.kind != "run":
        totals = [(tokens[:-1], last)]
    else:
        run = last.raw.strip()
        totals = []
        for size in range(1, min(MAX_CELL_DIGITS, len(run)) + 1):
            digits = run[-size:]
            if size > 1 and digits[0] == "0":
                continue
            head = run[:-size]
            rest = [*tokens[:-1], *([Token("run", head, None)] if head else [])]
            totals.append((rest, Token("num", digits, Decimal(digits))))
    out: list[list[Token]] = []
    for rest, total in totals:
        if total.value is None:
            continue
        found = _walk(rest, width - 1, prefix_ok, (summed, int(total.value)))
        if found is None:
            return None
        out += [[*r, total] for r in found]
        if len(out) > MAX_READINGS:
            return None
    return out


def _walk(
    tokens: list[Token],
    width: int,
    prefix_ok: Callable[[list[Token]], bool] | None,
    total: tuple[int, int] | None = None,
) -> list[list[Token]] | None:
    """The readings of ``tokens`` as ``width`` cells; with ``total`` = (n, t), only those
    whose first n cells sum to t, no cell above t (a running sum prunes the search)."""
    if total is not None and total[0] == width and len(tokens) == 1 and tokens[0].kind == "run":
        return _sum_split(tokens[0].raw.strip(), width, total[1])
    out: list[list[Token]] = []
    steps = 0
    digits = [len(t.raw.strip()) if t.kind == "run" else 1 for t in tokens]
    after = [sum(digits[i:]) for i in range(len(tokens) + 1)]  # digits from token i on
    summed, target = total if total is not None else (0, 0)
    # No cell exceeds the total, so none has more digits than it.
    longest = min(MAX_CELL_DIGITS, len(str(target))) if total is not None else MAX_CELL_DIGITS

    def walk(index: int, offset: int, cells: list[Token], head: int) -> None:
        nonlocal steps
        steps += 1
        if steps > MAX_STEPS or len(out) > MAX_READINGS:
            raise _TooManyError
        rest_min = len(tokens) - index  # every token left gives one cell at least
        rest_max = after[index] - offset
        left = width - len(cells)
        if rest_min > left or rest_max < left or rest_max > left * longest:
            return
        if index == len(tokens):
            if len(cells) == width and (total is None or head == target):
                out.append(cells)
            return
        tok = tokens[index]
        if tok.kind != "run":
            value = int(tok.value) if tok.kind == "num" and tok.value is not None else 0
            counted = total is not None and len(cells) < summed
            if counted and head + value > target:
                return
            walk(index + 1, 0, [*cells, tok], head + value if counted else head)
            return
        run = tok.raw.strip()
        rest = run[offset:]
        for size in range(1, min(longest, len(rest)) + 1):
            piece = rest[:size]
            if size > 1 and piece[0] == "0":
                break
            value = int(piece)
            if total is not None and value > target:
                break  # a longer piece is larger still
            counted = total is not None and len(cells) < summed
            if counted and head + value > target:
                break
            new = [*cells, Token("num", piece, Decimal(piece))]
            if prefix_ok is not None and not prefix_ok(new):
                continue
            added = head + value if counted else head
            if size == len(rest):
                walk(index + 1, 0, new, added)
            else:
                walk(index, offset + size, new, added)

    try:
        walk(0, 0, [], 0)
    except _TooManyError:
        return None
    return out


def _sum_split(run: str, width: int, target: int) -> list[list[Token]] | None:
    """The cuts of one run into ``width`` cells that sum to ``target`` (the common case of
    a row whose values all ran together), by memoised search over (place, cells, rest)."""
    longest = min(MAX_CELL_DIGITS, len(str(target)))

    @functools.cache
    def cuts(position: int, left: int, rest: int) -> tuple[tuple[int, ...], ...]:
        remaining = len(run) - position
        if left == 0:
            return ((),) if remaining == 0 and rest == 0 else ()
        if remaining < left or remaining > left * longest:
            return ()
        # Some cell has at least ceil(remaining / left) digits, hence (no leading zero) at
        # least 10^(that - 1); no cell has more than remaining - left + 1 digits.
        widest = -(-remaining // left)
        if widest > 1 and rest < 10 ** (widest - 1):
            return ()
        if rest >= left * 10 ** min(longest, remaining - left + 1):
            return ()
        out: list[tuple[int, ...]] = []
        for size in range(1, min(longest, remaining - left + 1) + 1):
            piece = run[position:position + size]
            if size > 1 and piece[0] == "0":
                break
            value = int(piece)
            if value > rest:
                break
            out += [(value, *tail) for tail in cuts(position + size, left - 1, rest - value)]
            if len(out) > MAX_READINGS:
                raise _TooManyError
        return tuple(out)

    try:
        found = cuts(0, width, target)
    except _TooManyError:
        return None
    return [[Token("num", str(v), Decimal(v)) for v in cells] for cells in found]


def group_readings(run: str, groups: int, size: int) -> list[list[Token]] | None:
    """The readings of one run of digits as ``groups`` groups of ``size`` cells, each group's
    last cell the total of the others (section 四's row of fifteen); None when too many."""
    out: list[list[Token]] = []

    def from_offset(offset: int, group: int, cells: list[Token]) -> None:
        if group == groups:
            if offset == len(run):
                out.append(cells)
            return
        for end in range(offset + size, len(run) + 1):
            for length in range(1, min(MAX_CELL_DIGITS, end - offset - size + 2)):
                digits = run[end - length:end]
                if length > 1 and digits[0] == "0":
                    continue
                head = run[offset:end - length]
                found = _walk([Token("run", head)], size - 1, None, (size - 1, int(digits)))
                if found is None:
                    raise _TooManyError
                for reading in found:
                    from_offset(end, group + 1,
                                [*cells, *reading, Token("num", digits, Decimal(digits))])
                if len(out) > MAX_READINGS:
                    raise _TooManyError

    try:
        from_offset(0, 0, [])
    except _TooManyError:
        return None
    return out


def _values(cells: list[Token]) -> list[Decimal] | None:
    if any(t.kind != "num" or t.value is None for t in cells):
        return None
    return [t.value for t in cells if t.value is not None]


def _shown(reading: list[Token]) -> str:
    return "·".join(t.raw.strip() or "_" for t in reading)


def fit_runs(
    tokens: list[Token],
    width: int,
    identity: Identity | None,
    prefix_ok: Callable[[list[Token]], bool] | None = None,
    summed: int | None = None,
) -> Fit:
    """The cells of a row holding digit runs (see the module docstring); ``summed`` as in
    :func:`readings`."""
    found = readings(tokens, width, prefix_ok, summed)
    runs = " ".join(t.raw.strip() for t in tokens if t.kind == "run")
    if found is None:
        return Fit(None, f"the digits {runs} can be cut into {width} cells in too many ways")
    if not found:
        return Fit(None, f"the digits {runs} cannot be cut into {width} cells")
    if len(found) == 1 and summed is None:
        return Fit(found[0], None)
    if identity is None:
        return Fit(None, f"the digits {runs} can be cut into {width} cells in {len(found)} ways",
                   readings=found)
    fitting = [r for r in found if (v := _values(r)) is not None and identity(v)]
    if len(fitting) == 1:
        return Fit(fitting[0], f"the digits {runs} split as {_shown(fitting[0])}: the only "
                   "cut that satisfies the row's own total", arithmetic=True)
    if not fitting:
        return Fit(None, f"no cut of the digits {runs} into {width} cells satisfies the row's "
                   "own total")
    shown = "; ".join(_shown(r) for r in fitting[:4]) + ("; …" if len(fitting) > 4 else "")
    return Fit(None, f"{len(fitting)} cuts of the digits {runs} satisfy the row's own total "
               f"({shown})", readings=fitting)
