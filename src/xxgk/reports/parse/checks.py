"""The format's arithmetic checks run on the cells read.

Pure Python: no Django import.
"""

from __future__ import annotations

from typing import Any

from xxgk.reports import national_format as nf
from xxgk.reports.national_format import APPEALS, APPLICATIONS, PROACTIVE, PROCESSING_FEES
from xxgk.reports.parse.result import (
    FORMAT_2019_TRIAL,
    FORMAT_2021,
    SectionSummary,
    Value,
    expected_keys,
)


def summarise_sections(
    cells: dict[str, Value], not_applicable: list[str]
) -> dict[str, SectionSummary]:
    out: dict[str, SectionSummary] = {}
    for name in (PROACTIVE, APPLICATIONS, APPEALS, PROCESSING_FEES):
        keys = [k for k in expected_keys() if k.startswith(name + ".")]
        found = sum(k in cells for k in keys)
        na = sum(k in not_applicable for k in keys)
        status = "complete" if found == len(keys) else ("lost" if found == 0 else "partial")
        out[name] = SectionSummary(found, len(keys), na, status)
    return out


def run_checks(cells: dict[str, Value], fmt: str) -> tuple[dict[str, Any], Any]:
    """national_format's arithmetic checks on the cells found; a check whose cells are
    missing is listed as skipped, not failed."""
    flat: dict[str, Any] = dict(cells)
    if fmt in (FORMAT_2021, FORMAT_2019_TRIAL):
        flat[nf.FORMAT] = fmt
    try:
        report = nf.NationalReport.from_flat(flat)
    except ValueError as exc:
        return {
            "available": False,
            "reason": f"the cells do not make a report: {exc}",
            "ok": None,
            "failures": [],
            "skipped": [],
        }, None
    return check_report_dict(nf.check(report)), report


def check_report_dict(result: nf.CheckReport) -> dict[str, Any]:
    return {
        "available": True,
        "ok": result.ok,
        "failures": [
            {"rule": f.rule.value, "cells": list(f.cells), "message": f.message}
            for f in result.failures
        ],
        "skipped": [
            {"rule": s.rule.value, "missing": list(s.missing), "message": s.message}
            for s in result.skipped
        ],
    }
