"""The report as JSON: national_format's nested object, UTF-8 (see ``NationalReport.to_json``)."""

from __future__ import annotations

from xxgk.reports.national_format import NationalReport


def render_json(report: NationalReport) -> bytes:
    return report.to_json().encode("utf-8")
