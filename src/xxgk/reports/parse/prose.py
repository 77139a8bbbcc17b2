"""Figures quoted in the prose, and their comparison with the tables.

Pure Python: no Django import.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from xxgk import taxonomy as tx
from xxgk.reports import national_format as nf
from xxgk.reports.national_format import APPEALS, APPLICATIONS, PROCESSING_FEES
from xxgk.reports.parse.result import ProseFigure, TextTableComparison, Value, flat_key
from xxgk.reports.parse.tokens import _as_count, norm

# ---- Prose figures -----------------------------------------------------------------------

_N = r"(\d[\d,]*(?:\.\d+)?)"
_CLAUSE = r"[^。；;，,]"
_PROSE_PATTERNS: tuple[tuple[str, str | None, re.Pattern[str]], ...] = (
    (
        "applications_received",
        flat_key(APPLICATIONS, tx.RECEIVED, tx.TOTAL),
        re.compile(
            r"(?:受理|收到|新收|接收|接到)"
            + _CLAUSE
            + r"{0,16}?申请(?:共|总计|合计|数量为?)?"
            + _N
            + r"(?:件|宗|个|份|条)"
        ),
    ),
    (
        "applications_closed",
        flat_key(APPLICATIONS, tx.TOTAL, tx.TOTAL),
        re.compile(
            r"(?:(?:办结|办理完毕|完成办理)(?:政府信息公开)?(?:申请)?|答复(?:政府信息公开)?申请)"
            + r"(?:共|总计)?"
            + _N
            + r"(?:件|宗|个|份)"
        ),
    ),
    (
        "carried_over_from_last_year",
        flat_key(APPLICATIONS, tx.CARRIED_OVER_FROM_LAST_YEAR, tx.TOTAL),
        re.compile(r"上年(?:度)?结转" + _CLAUSE + r"{0,10}?" + _N + r"(?:件|宗|个)"),
    ),
    (
        "carried_over_to_next_year",
        flat_key(APPLICATIONS, tx.CARRIED_OVER_TO_NEXT_YEAR, tx.TOTAL),
        re.compile(
            r"结转(?:至|到)?下(?:一)?年(?:度)?" + _CLAUSE + r"{0,10}?" + _N + r"(?:件|宗|个)"
        ),
    ),
    (
        "reconsideration",
        flat_key(APPEALS, tx.APPEAL_KIND_KEYS[0], tx.TOTAL),
        re.compile(r"行政复议(?:案件|申请)?(?:共)?" + _N + r"(?:件|起|宗|个)"),
    ),
    ("litigation", None, re.compile(r"行政诉讼(?:案件)?(?:共)?" + _N + r"(?:件|起|宗|个)")),
)
_SENTENCE_RE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


def _number(text: str) -> Value:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    count = _as_count(value)
    return count if count is not None else value


def extract_prose_figures(prose: dict[str, list[str]]) -> list[ProseFigure]:
    figures: list[ProseFigure] = []
    for section in ("一", "preamble"):
        text = norm("".join(prose.get(section, [])))
        for sentence in _SENTENCE_RE.findall(text):
            for kind, key, pattern in _PROSE_PATTERNS:
                for match in pattern.finditer(sentence):
                    figures.append(
                        ProseFigure(kind, _number(match.group(1)), sentence, section, key)
                    )
    figures.extend(_processing_fee_figures(prose))
    return figures


_FEE_NOTICES, _FEE_BILLED, _FEE_COLLECTED = (
    flat_key(PROCESSING_FEES, f.key) for f in tx.PROCESSING_FEE_FIELDS
)


def _processing_fee_figures(prose: dict[str, list[str]]) -> list[ProseFigure]:
    """The three fee figures as stated in the prose (normally section 六)."""
    out: list[ProseFigure] = []
    for section in ("六", "一", "五"):
        text = norm("".join(prose.get(section, [])))
        for sentence in _SENTENCE_RE.findall(text):
            if "费" not in sentence and "收费" not in sentence:
                continue
            out.extend(_fee_sentence(sentence, section))
        if out:
            break
    return out


def _fee_sentence(sentence: str, section: str) -> list[ProseFigure]:
    found: list[tuple[str, Value]] = []
    # "发出收费通知的件数和总金额，以及实际收取的总金额均为 0"
    for each in re.finditer(r"([^。]*?)(?:均|都|皆)为" + _N + r"(?:元|件)?", sentence):
        head = each.group(1)
        value = _number(each.group(2))
        if re.search(r"收费通知(?:的)?件数|通知件数|件数", head):
            found.append((_FEE_NOTICES, value))
        if re.search(r"(?:收费通知|通知)[^实]*总金额", head) or re.search(r"件数和总金额", head):
            found.append((_FEE_BILLED, value))
        if re.search(r"实际收取", head):
            found.append((_FEE_COLLECTED, value))
    if not found:
        match = re.search(
            r"(?:发出|发送|送达)?收费通知(?:书)?(?:的件数)?(?:为|共)?" + _N + r"件", sentence
        )
        if match:
            found.append((_FEE_NOTICES, _number(match.group(1))))
        match = re.search(
            r"收费通知" + _CLAUSE + r"{0,12}?总金额(?:为)?" + _N + r"(?:万)?元", sentence
        )
        if match and "万元" not in match.group(0):
            found.append((_FEE_BILLED, _number(match.group(1))))
        match = re.search(
            r"实际收取(?:的)?(?:总)?(?:金额|费用)?(?:为|共)?" + _N + r"(?:万)?元", sentence
        )
        if match and "万元" not in match.group(0):
            found.append((_FEE_COLLECTED, _number(match.group(1))))
        if re.search(r"未(?:发出|发放|发送)(?:任何)?(?:信息处理费)?收费通知", sentence):
            found += [(_FEE_NOTICES, 0), (_FEE_BILLED, 0)]
        if re.search(r"(?:未|没有|不)收取(?:任何)?(?:政府)?信息处理费", sentence):
            found.append((_FEE_COLLECTED, 0))
    kinds = {
        _FEE_NOTICES: "processing_fees.notices",
        _FEE_BILLED: "processing_fees.billed",
        _FEE_COLLECTED: "processing_fees.collected",
    }
    return [ProseFigure(kinds[key], value, sentence, section, key) for key, value in found]


# Prose figures that national_format's helper checks (with every reading it allows).
_HELPER_FIGURES: dict[str, nf.ProseFigure] = {
    "applications_received": nf.ProseFigure.RECEIVED,
    "applications_closed": nf.ProseFigure.CLOSED,
    "carried_over_to_next_year": nf.ProseFigure.CARRIED_OVER,
}


def compare_text_and_tables(
    figures: list[ProseFigure], report: nf.NationalReport | None
) -> tuple[list[TextTableComparison], nf.CheckReport]:
    """Each prose figure against the table cells it repeats.

    Figures national_format knows (received, closed, carried over) go through its
    ``check_prose_figure``, which accepts any reading of the figure the tables allow; the
    others (carried over from last year, reconsideration, litigation) are compared here.
    """
    out: list[TextTableComparison] = []
    checks = nf.CheckReport()
    if report is None:
        return out, checks
    flat = report.to_flat()
    for fig in figures:
        if fig.kind.startswith(PROCESSING_FEES) or not isinstance(fig.value, int):
            continue
        if fig.kind in _HELPER_FIGURES:
            figure = _HELPER_FIGURES[fig.kind]
            readings = nf.PROSE_READINGS[figure]
            result = nf.check_prose_figure(report, figure, fig.value)
            checks += result
            if result.failures:
                status, detail = "contradiction", result.failures[0].message
            elif result.skipped:
                status, detail = "unverifiable", result.skipped[0].message
            else:
                status, detail = "match", "the text agrees with a reading of the tables"
        else:
            if fig.kind == "litigation":
                keys = tuple(flat_key(APPEALS, k, tx.TOTAL) for k in tx.APPEAL_KIND_KEYS[1:])
            elif fig.key:
                keys = (fig.key,)
            else:
                continue
            readings = (keys,)
            missing = tuple(k for k in keys if flat[k] is None)
            if missing:
                status = "unverifiable"
                detail = f"not checked: the prose's {fig.kind} = {fig.value}; missing " + (
                    ", ".join(missing)
                )
                checks += nf.CheckReport(skipped=(nf.Skipped(nf.Rule.PROSE, missing, detail),))
            elif sum(flat[k] for k in keys) == fig.value:
                status, detail = "match", "the text agrees with the table"
            else:
                status = "contradiction"
                detail = (
                    f"the prose says {fig.kind} = {fig.value}, but the table gives "
                    f"{' + '.join(keys)} = {sum(flat[k] for k in keys)}"
                )
                checks += nf.CheckReport(failures=(nf.Failure(nf.Rule.PROSE, keys, detail),))
        values = {
            " + ".join(r): (None if any(flat[k] is None for k in r) else sum(flat[k] for k in r))
            for r in readings
        }
        lost = _lost_reading_note(fig, flat)
        if lost and status != "match":
            detail = f"{detail}. {lost}"
        out.append(TextTableComparison(fig.kind, fig.value, values, status, detail, fig.text))
    return out, checks


def _lost_reading_note(fig: ProseFigure, flat: dict[str, Any]) -> str | None:
    """For a received figure whose own cell is lost: what the column identity would need."""
    received = flat[flat_key(APPLICATIONS, tx.RECEIVED, tx.TOTAL)]
    taken = flat[flat_key(APPLICATIONS, tx.CARRIED_OVER_FROM_LAST_YEAR, tx.TOTAL)]
    total = flat[flat_key(APPLICATIONS, tx.TOTAL, tx.TOTAL)]
    given = flat[flat_key(APPLICATIONS, tx.CARRIED_OVER_TO_NEXT_YEAR, tx.TOTAL)]
    if fig.kind != "applications_received" or received is not None or taken is not None:
        return None
    if total is None or given is None or not isinstance(fig.value, int):
        return None
    right = total + given
    if fig.value > right:
        return (
            f"{fig.value} new applications cannot fit the table either: received + "
            f"carried over from last year = {total} + {given} = {right}"
        )
    return (
        f"The received row is lost: if the text means new applications only, the table "
        f"would need carried_over_from_last_year.total = {total} + {given} − {fig.value} = "
        f"{right - fig.value}"
    )
