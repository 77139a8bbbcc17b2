"""Stage 3: a table section's loose text as a stream of tokens, regrouped into rows.

Pure Python: no Django import. Web text puts each cell on its own line (``规章 |``, ``0 |``),
copied text runs cells together (``一、本年新收政府信息公开申请数量5620058``) or puts a whole
table on one line; line by line, none of these is a row. Here the lines of text of one
section (the blocks that are already rows — tab lines, ``|`` tables, HTML and PDF tables —
are kept as they are) become one stream of labels and values in reading order, independent
of line breaks, and the stream is cut into rows again: a label, then the values up to the
next label. Digits glued to a label are a *run* (``Token.kind == "run"``), which may hold
several cells; :mod:`xxgk.reports.parse.arithmetic` decides how it splits, or that it cannot.

A label that runs on from one line to the next (``商业`` / ``企业``) is one label; a label
that holds several rows' labels because their values were lost (a header, a group heading
and its first item) is cut where the format's numbering (三、 (三) 3.) or, in section 二, a
row's own name begins, so that the next stage sees the fragments it knows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from xxgk import taxonomy as tx
from xxgk.reports.parse.arithmetic import MAX_CELL_DIGITS
from xxgk.reports.parse.extract import Row, Text
from xxgk.reports.parse.labels import _SEGMENT_RE
from xxgk.reports.parse.proactive import TRIAL_PROACTIVE_ROWS
from xxgk.reports.parse.tokens import norm, token

_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")

# Within a word: an item number (1. 2、) glued to the digits before it keeps its own digit;
# a decimal (58.30) is one number; other digits are numbers; the rest is text.
_PIECE_RE = re.compile(
    r"(?P<num>\d+(?=\d[.、](?!\d)))"
    r"|(?P<text>\d[.、](?!\d)[^\d—―─–]*|[^\d—―─–]+)"
    r"|(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+\.\d+|\d+)"
    r"|(?P<na>[—―─–]+)"
)
_WHOLE_CELL_NA = frozenset({"无", "不适用"})

# Section 二's labels: a stream is cut before each (the longer name first: 行政规范性文件
# holds 规范性文件), and before a block title and a column header.
_PROACTIVE_WORDS = sorted(
    {norm(r.label_zh) for r in tx.PROACTIVE_ROWS} | {norm(v) for v in TRIAL_PROACTIVE_ROWS.values()}
    | {"第二十条", "信息内容"},
    key=len, reverse=True,
)
_PROACTIVE_CUT_RE = re.compile("|".join(re.escape(w) for w in _PROACTIVE_WORDS))


@dataclass
class Piece:
    """One token of the stream: a label's text, or a value (``kind`` as ``Token.kind``)."""

    kind: str  # "text" | "num" | "na" | "blank" | "run"
    text: str
    line: int  # the index of the source block it came from


def _words(item: Text) -> list[tuple[str, bool]]:
    """(word, delimited) of one line: ``|`` cells when it has any, else words by spaces."""
    text = unicodedata.normalize("NFKC", item.text).translate(_QUOTES)
    if "|" in text:
        cells = text.split("|")
        if not cells[-1].strip():
            cells.pop()
        if len(cells) > 1 and not cells[0].strip() and text.lstrip().startswith("|"):
            cells.pop(0)
        return [(c.strip(), True) for c in cells]
    return [(w, False) for w in text.split()]


def pieces_of(items: list[Text], first_line: int = 0) -> list[Piece]:
    """The stream of one run of text lines."""
    out: list[Piece] = []
    for offset, item in enumerate(items):
        line = first_line + offset
        for word, delimited in _words(item):
            whole = token(word)
            if whole.kind == "blank":
                if delimited:
                    out.append(Piece("blank", "", line))
                continue
            if word.isdigit() and len(word) > MAX_CELL_DIGITS:
                out.append(Piece("run", word, line))  # no cell is this long: cells ran together
                continue
            if whole.kind in ("num", "na") or word in _WHOLE_CELL_NA:
                out.append(Piece("na" if whole.kind != "num" else "num", word, line))
                continue
            parts = [
                ("num" if m.lastgroup == "value" else m.lastgroup or "text", m.group(0))
                for m in _PIECE_RE.finditer(word)
            ]
            for index, (kind, text) in enumerate(parts):
                if kind == "num" and "," not in text and "." not in text:
                    # Digits touching words: the separators between cells may be lost.
                    kind = "run"
                if kind == "na" and 0 < index < len(parts) - 1:
                    kind = "text"  # a dash between words belongs to the label
                out.append(Piece(kind, text, line))
    return _merge_text(out)


def _merge_text(pieces: list[Piece]) -> list[Piece]:
    out: list[Piece] = []
    for piece in pieces:
        if piece.kind == "text" and out and out[-1].kind == "text":
            out[-1].text += piece.text
        else:
            out.append(piece)
    return out


def cut_label(label: str, section: str) -> list[str]:
    """A label run as the fragments of the rows it may hold (see the module docstring)."""
    text = norm(label)
    pattern = _PROACTIVE_CUT_RE if section == "二" else _SEGMENT_RE if section == "三" else None
    if pattern is None:
        return [text] if text else []
    starts = sorted({0, *(m.start() for m in pattern.finditer(text))})
    parts = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    return [p for p in parts if p]


def rows_of_stream(items: list[Text], section: str) -> list[Row | Text]:
    """One run of text lines as rows (label, values) and label fragments."""
    stream = pieces_of(items)
    out: list[Row | Text] = []
    label: list[Piece] = []
    index = 0
    while index < len(stream):
        if stream[index].kind == "text":
            label.append(stream[index])
            index += 1
            continue
        values: list[Piece] = []
        while index < len(stream) and stream[index].kind != "text":
            values.append(stream[index])
            index += 1
        fragments = cut_label("".join(p.text for p in label), section)
        line = items[(label or values)[0].line].where
        for fragment in fragments[:-1]:
            out.append(Text(fragment, line))
        glued = values[0].kind == "run"
        cells = [fragments[-1]] if fragments else []
        runs = frozenset(
            len(cells) + i for i, v in enumerate(values) if glued and v.kind == "run"
        )
        # A value that is not glued is a separate cell, whatever its digits.
        cells += [v.text for v in values]
        exact = all(v.kind != "run" for v in values) and all(
            "|" in items[v.line].text for v in values
        )
        out.append(Row(cells, exact, line, runs))
        label = []
    if label:
        line = items[label[0].line].where
        out.extend(Text(f, line) for f in cut_label("".join(p.text for p in label), section))
    return out


def regroup(items: list[Row | Text], section: str) -> list[Row | Text]:
    """A table section's blocks with every run of text lines regrouped by its stream.

    Runs of plain labels (no values anywhere in them) are kept line by line, as the
    row-level reader has always read them.
    """
    out: list[Row | Text] = []
    run: list[Text] = []

    def flush() -> None:
        if any(any(ch.isdigit() for ch in unicodedata.normalize("NFKC", t.text)) or "|" in t.text
               for t in run):
            out.extend(rows_of_stream(run, section))
        else:
            out.extend(run)
        run.clear()

    for item in items:
        if isinstance(item, Text):
            run.append(item)
            continue
        if run:
            flush()
        out.append(item)
    if run:
        flush()
    return out
