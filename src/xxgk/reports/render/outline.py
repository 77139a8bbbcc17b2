"""The whole report as printed: title, opening sentence, six sections of text and tables.

The document formats (HTML and PDF, DOCX) print this outline, so what a report says —
its wording around the figures, which table stands in which section — is decided once.
Pure Python: no Django import.

Text is the national form's and therefore Chinese in every output, whatever the language
of the page that offers the download.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xxgk.reports.national_format import APPEALS, APPLICATIONS, PROACTIVE, NationalReport
from xxgk.reports.render.tables import HEADINGS, Table, filled_tables, format_value
from xxgk.taxonomy import PROCESSING_FEE_FIELDS

OPENING = (
    "依据《中华人民共和国政府信息公开条例》（以下简称《政府信息公开条例》）第五十条规定，"
    "编制本报告。"
)

# Control characters, which are not text, and the characters XML 1.0 (DOCX and XLSX) cannot
# hold: every C0 control but tab, line feed and carriage return, DEL and the C1 controls,
# and the non-characters U+FFFE and U+FFFF.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """``text`` without control characters, which no document format can print."""
    return _NOT_TEXT.sub("", text)


def paragraphs(text: str | None) -> tuple[str, ...]:
    """The non-blank lines of a section's text, each a paragraph."""
    if not text:
        return ()
    return tuple(line.strip() for line in clean(text).splitlines() if line.strip())


def title(report: NationalReport) -> str:
    """「<agency>YYYY年政府信息公开工作年度报告」, leaving out what the report lacks; one
    line, whatever line breaks the agency's name was stored with."""
    year = f"{report.year}年" if report.year is not None else ""
    return _SPACE.sub(" ", clean(f"{report.agency or ''}{year}政府信息公开工作年度报告")).strip()


def fee_sentence(report: NationalReport) -> str | None:
    """Section 六's statement of the information-processing fees, in the words of the
    national format (发出收费通知的件数和总金额，以及实际收取的总金额).

    Each figure is a clause of its own; a figure the report lacks is left out rather than
    printed as 0, and with no figure there is no sentence.
    """
    notices, billed, collected = (report.processing_fees[f.key] for f in PROCESSING_FEE_FIELDS)
    clauses = []
    if notices is not None:
        clauses.append(f"发出收费通知的件数为{notices}件")
    if billed is not None:
        clauses.append(f"发出收费通知的总金额为{format_value(billed)}元")
    if collected is not None:
        clauses.append(f"实际收取的总金额为{format_value(collected)}元")
    if not clauses:
        return None
    period = f"{report.year}年度" if report.year is not None else "本年度"
    return f"{period}，本机关收取信息处理费的情况：{'，'.join(clauses)}。"


@dataclass(frozen=True)
class Section:
    numeral: str
    heading: str
    paragraphs: tuple[str, ...]
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class Outline:
    title: str
    opening: str
    sections: tuple[Section, ...]


def outline(report: NationalReport) -> Outline:
    """The report in printed order; the tables are filled with its figures."""
    tables = filled_tables(report)
    fees = fee_sentence(report)
    content: dict[str, tuple[tuple[str, ...], tuple[Table, ...]]] = {
        "一": (paragraphs(report.overview), ()),
        "二": ((), (tables[PROACTIVE],)),
        "三": ((), (tables[APPLICATIONS],)),
        "四": ((), (tables[APPEALS],)),
        "五": (paragraphs(report.problems), ()),
        "六": (paragraphs(report.other_matters) + ((fees,) if fees else ()), ()),
    }
    return Outline(
        title=title(report),
        opening=OPENING,
        sections=tuple(
            Section(numeral, HEADINGS[numeral], texts, section_tables)
            for numeral, (texts, section_tables) in content.items()
        ),
    )
