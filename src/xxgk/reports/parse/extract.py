"""Stage 1: a source (text, HTML, PDF) as blocks in reading order: rows of cells and lines of text.

Pure Python: no Django import.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from xxgk.reports.parse.tokens import token

# ---- Source blocks -----------------------------------------------------------------------


@dataclass
class Row:
    """One table row as cells. ``exact``: the cells are the table's cells (HTML, ``|`` text,
    a PDF table); otherwise they come from extracted text, where blank cells at the edges of
    a row are unreliable."""

    cells: list[str]
    exact: bool
    where: str
    # Cells that are digit runs glued to their label (see ``Token.kind == "run"``).
    runs: frozenset[int] = frozenset()
    # The document ends inside this block without a line break: its end may be cut off.
    cut: bool = False

    @property
    def raw(self) -> str:
        return " | ".join(c.strip() for c in self.cells)

    def describe(self) -> str:
        return f"{self.where}: {self.raw}"


@dataclass
class Text:
    text: str
    where: str
    cut: bool = False


Block = Row | Text


_MD_RULE_RE = re.compile(r"^:?-{2,}:?$")


def _pipe_cells(line: str) -> list[str] | None:
    stripped = line.strip()
    if stripped.count("|") < 2:
        return None
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    cells = [c.strip() for c in stripped.split("|")]
    if all(_MD_RULE_RE.match(c.replace(" ", "")) or not c for c in cells):
        return []  # a markdown rule line
    return cells


def blocks_from_text(text: str) -> tuple[list[Block], str]:
    """Lines of extracted or copied text as blocks; ``|`` lines and tab lines are rows."""
    blocks: list[Block] = []
    pipes = 0
    for number, line in enumerate(text.splitlines(), 1):
        where = f"line {number}"
        cells = _pipe_cells(line)
        if cells is not None:
            pipes += 1
            if cells:
                blocks.append(Row(cells, True, where))
            continue
        if "\t" in line:
            blocks.append(Row(line.split("\t"), False, where))
        elif line.strip():
            blocks.append(Text(line.strip(), where))
    if blocks and text.strip() and not text.endswith(("\n", "\r")):
        blocks[-1].cut = True
    return blocks, ("web-text" if pipes else "text")


class _HTMLBlocks(HTMLParser):
    """Document-order blocks from HTML: paragraphs as text, tables as rows of a grid with
    rowspan/colspan expanded (a rowspan label is repeated on the rows it spans; colspan
    copies are dropped, so a value spanning columns is read once)."""

    _BLOCK_TAGS = frozenset(
        {
            "p",
            "div",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "li",
            "ul",
            "ol",
            "section",
            "article",
            "header",
            "footer",
            "blockquote",
            "pre",
            "title",
            "caption",
            "br",
        }
    )
    _SKIP_TAGS = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._buffer: list[str] = []
        self._skip = 0
        self._tables: list[dict[str, Any]] = []
        self._table_count = 0

    def _flush(self) -> None:
        """Text read outside tables, one block per line."""
        text = "".join(self._buffer)
        self._buffer = []
        for line in text.split("\n"):
            if line.strip():
                self.blocks.append(Text(line.strip(), f"html text {len(self.blocks) + 1}"))

    @staticmethod
    def _close_cell(table: dict[str, Any]) -> None:
        if table["cell"] is not None:
            if table["row"] is None:
                table["row"] = []
            table["row"].append(table["cell"])
            table["cell"] = None

    @classmethod
    def _close_row(cls, table: dict[str, Any]) -> None:
        cls._close_cell(table)
        if table["row"] is not None:
            table["rows"].append(table["row"])
            table["row"] = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP_TAGS:
            self._skip += 1
        elif tag == "table":
            if not self._tables:
                self._flush()
            self._table_count += 1
            self._tables.append({"rows": [], "row": None, "cell": None, "n": self._table_count})
        elif self._tables:
            # End tags of cells and rows are optional in HTML: a new one closes the last.
            table = self._tables[-1]
            if tag == "tr":
                self._close_row(table)
                table["row"] = []
            elif tag in ("td", "th"):
                self._close_cell(table)
                spans = dict(attrs)
                table["cell"] = {
                    "text": [],
                    "rowspan": _span(spans.get("rowspan")),
                    "colspan": _span(spans.get("colspan")),
                }
            # A line break inside a cell joins the label's lines (Chinese: no space).
        elif tag in self._BLOCK_TAGS:
            self._buffer.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif self._tables:
            table = self._tables[-1]
            if tag in ("td", "th"):
                self._close_cell(table)
            elif tag == "tr":
                self._close_row(table)
            elif tag == "table":
                self._close_row(table)
                self._tables.pop()
                self._emit_table(table)
        elif tag in self._BLOCK_TAGS:
            self._buffer.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._tables:
            cell = self._tables[-1]["cell"]
            if cell is not None:
                cell["text"].append(data)
            return
        self._buffer.append(data)

    def close(self) -> None:
        super().close()
        while self._tables:  # a table left open at the end of the text (cut off)
            table = self._tables.pop()
            if table["cell"] is not None:
                # The document ends inside this cell: its number may be cut short.
                table["cell"]["text"] = []
            self._close_row(table)
            self._emit_table(table)
        self._flush()

    def _emit_table(self, table: dict[str, Any]) -> None:
        for index, cells in enumerate(expand_grid(table["rows"]), 1):
            self.blocks.append(Row(cells, True, f"table {table['n']} row {index}"))


_SPAN_COPY = "\0"


def expand_grid(rows: list[list[dict[str, Any]]]) -> list[list[str]]:
    """Rows of an HTML table as lists of cell texts, rowspans expanded.

    A cell spanning rows is repeated on the rows below when it is a label (it is their
    context: 三、本年度办理结果, （三）不予公开); a number spanning rows is a blank there (it is
    not that row's value). Columns covered by a colspan are dropped: a value printed once
    across merged columns is read once.
    """
    out: list[list[str]] = []
    # column -> (rows still covered, text); _SPAN_COPY marks a column covered by a colspan
    pending: dict[int, tuple[int, str]] = {}
    for row in rows:
        cells: list[str] = []
        col = 0
        for cell in [*row, None]:
            while col in pending or (cell is None and any(c > col for c in pending)):
                if col in pending:
                    left, text = pending[col]
                    if text != _SPAN_COPY:
                        cells.append("" if token(text).is_value else text)
                    if left <= 1:
                        del pending[col]
                    else:
                        pending[col] = (left - 1, text)
                col += 1
            if cell is None:
                break
            text = re.sub(r"\s+", " ", "".join(cell["text"])).strip()
            cells.append(text)
            if cell["rowspan"] > 1:
                pending[col] = (cell["rowspan"] - 1, text)
                for extra in range(1, cell["colspan"]):
                    pending[col + extra] = (cell["rowspan"] - 1, _SPAN_COPY)
            col += cell["colspan"]
        out.append(cells)
    return out


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 200))
    except ValueError:
        return 1


def blocks_from_html(markup: str) -> list[Block]:
    parser = _HTMLBlocks()
    parser.feed(markup)
    parser.close()
    return parser.blocks


def blocks_from_pdf(data: bytes) -> list[Block]:
    """Tables found by pdfplumber as exact rows, the text around them as lines, in page
    order. A merged cell's span is ``None`` in pdfplumber's grid and is dropped."""
    import pdfplumber

    blocks: list[Block] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page_number, page in enumerate(pdf.pages, 1):
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            items: list[tuple[float, int, Block]] = []
            for t_index, table in enumerate(tables, 1):
                for r_index, cells in enumerate(table.extract(), 1):
                    kept = [(c or "").replace("\n", "") for c in cells if c is not None]
                    where = f"page {page_number} table {t_index} row {r_index}"
                    items.append((table.bbox[1], r_index, Row(kept, True, where)))

            def outside(obj: dict[str, Any], boxes: list[Any] = boxes) -> bool:
                if obj.get("object_type") != "char":
                    return True
                cx = (obj["x0"] + obj["x1"]) / 2
                cy = (obj["top"] + obj["bottom"]) / 2
                return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

            text_page = page.filter(outside) if boxes else page
            for l_index, line in enumerate(text_page.extract_text_lines(), 1):
                where = f"page {page_number} line {l_index}"
                items.append((line["top"], 0, Text(line["text"], where)))
            items.sort(key=lambda item: (item[0], item[1]))
            blocks.extend(block for _, _, block in items)
    return blocks


def blocks_from_docx(data: bytes) -> list[Block]:
    """A Word document's paragraphs as lines and its tables as exact rows, in document
    order; a horizontally merged cell (python-docx repeats it) is read once."""
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # zipfile and lxml raise many kinds for a damaged file
        raise ValueError(f"a ZIP archive that is not a readable Word document: {exc}") from None
    blocks: list[Block] = []
    tables = 0
    for number, block in enumerate(document.iter_inner_content(), 1):
        if isinstance(block, Table):
            tables += 1
            for index, row in enumerate(block.rows, 1):
                cells, previous = [], None
                for cell in row.cells:
                    if cell._tc is not previous:
                        cells.append(cell.text.replace("\n", ""))
                    previous = cell._tc
                blocks.append(Row(cells, True, f"table {tables} row {index}"))
        elif block.text.strip():
            blocks.append(Text(block.text.strip(), f"paragraph {number}"))
    return blocks


_ZIP_MAGIC = b"PK\x03\x04"


def read_source(source: str | bytes | Path) -> tuple[list[Block], str]:
    if isinstance(source, Path):
        return read_source(source.read_bytes())
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
        if data[:5] == b"%PDF-":
            return blocks_from_pdf(data), "pdf"
        if data[:4] == _ZIP_MAGIC:
            return blocks_from_docx(data), "docx"
        return read_source(decode(data))
    if re.search(r"<(?:table|html|body|p|tr)\b", source, re.IGNORECASE):
        return blocks_from_html(source), "html"
    return blocks_from_text(source)


def decode(data: bytes, *, strict: bool = False) -> str:
    """A text or HTML file's text: UTF-8 or GB 18030 (what Chinese sites save in). With
    ``strict``, ValueError for bytes that are neither; otherwise they are replaced, so a page
    with a few broken bytes is still read."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if strict:
        raise ValueError("the text is neither UTF-8 nor GB 18030")
    return data.decode("utf-8", errors="replace")


# A report's title is on its first lines; later lines quote other years' reports.
OPENING_LINES = 40


def opening(blocks: list[Block]) -> str:
    """The document's first ``OPENING_LINES`` lines of text (a row's cells joined), where its
    title is."""
    lines: list[str] = []
    for block in blocks:
        text = block.text if isinstance(block, Text) else " ".join(block.cells)
        lines += [line for line in text.splitlines() if line.strip()]
        if len(lines) >= OPENING_LINES:
            break
    return "\n".join(lines[:OPENING_LINES])
