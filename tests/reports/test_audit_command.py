"""``xxgk report audit DIR``: a folder of published reports read, checked and compared
across years and with xxgk's own records; ``--json`` and ``--xlsx``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tests.reports.helpers import YEAR, build_year
from xxgk.reports import actions
from xxgk.reports import national_format as nf
from xxgk.reports.audit import FAILURES_SHEET, FINDINGS_SHEET, REPORTS_SHEET
from xxgk.reports.render import render

EDU = "北京市西城区教育委员会"
FINANCE = "北京市西城区财政局"


def _report(agency: str, year: int, **cells) -> nf.NationalReport:
    """A consistent report (natural persons: 4 new + 1 from last year = 3 disclosed + 2
    carried over; 10 rules in force), with some cells changed."""
    flat = {k: Decimal(0) if nf.is_money(k) else 0 for k in nf.CELL_KEYS}
    for row, value in (("received", 4), ("carried_over_from_last_year", 1), ("disclosed", 3),
                       ("total", 3), ("carried_over_to_next_year", 2)):
        flat[f"applications.{row}.natural_person"] = flat[f"applications.{row}.total"] = value
    flat["proactive.rules.in_force"] = 10
    flat.update(cells)
    return nf.NationalReport.from_flat({**flat, "agency": agency, "year": year, "format": "2021"})


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Three years of the education commission (2021 in HTML, 2022 in PDF, 2023 in DOCX in
    a subfolder), the 2023 one taking over 5 where 2022 carried 2 over and keeping 10 rules in
    force after issuing 3; the finance bureau's report breaking its own balance; a Word file
    cut in half; a spreadsheet; and a hidden file, which is left alone."""
    tmp_path = tmp_path_factory.mktemp("reports")
    (tmp_path / "2023").mkdir()
    (tmp_path / "edu-2021.html").write_bytes(render(_report(EDU, 2021, **{
        "applications.carried_over_to_next_year.natural_person": 1,
        "applications.carried_over_to_next_year.total": 1,
        "applications.received.natural_person": 3, "applications.received.total": 3}), "html"))
    (tmp_path / "edu-2022.pdf").write_bytes(render(_report(EDU, 2022), "pdf"))
    (tmp_path / "2023" / "edu.docx").write_bytes(render(_report(EDU, 2023, **{
        "applications.carried_over_from_last_year.natural_person": 5,
        "applications.carried_over_from_last_year.total": 5,
        "applications.received.natural_person": 0, "applications.received.total": 0,
        "proactive.rules.issued": 3}), "docx"))
    (tmp_path / "finance-2023.html").write_bytes(render(_report(FINANCE, 2023, **{
        "applications.received.natural_person": 7, "applications.received.total": 7}), "html"))
    (tmp_path / "cut.docx").write_bytes(render(_report(EDU, 2020), "docx")[:3000])
    (tmp_path / "figures.xlsx").write_bytes(b"PK\x03\x04 a workbook")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    return tmp_path


def audit(*args: str) -> str:
    out = StringIO()
    call_command("report", "audit", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_json_lists_every_report_and_every_comparison(folder):
    data = json.loads(audit(str(folder), "--json"))
    reports = {r["name"]: r for r in data["reports"]}
    assert sorted(reports) == ["2023/edu.docx", "cut.docx", "edu-2021.html", "edu-2022.pdf",
                               "figures.xlsx", "finance-2023.html"]
    assert data["counts"] == {"reports": 6, "unreadable": 2, "unplaced": 0,
                              "with_failed_checks": 1, "findings_passed": 15,
                              "findings_failed": 3, "findings_unverifiable": 0}
    for name, year in (("edu-2021.html", 2021), ("edu-2022.pdf", 2022), ("2023/edu.docx", 2023)):
        assert (reports[name]["agency"], reports[name]["year"]) == (EDU, year)
        assert reports[name]["cells_read"] == len(nf.CELL_KEYS)
    assert "cannot be read as a report" in reports["cut.docx"]["error"]
    assert reports["figures.xlsx"]["error"] == "an archive, not a report"
    finance = reports["finance-2023.html"]
    assert {f["rule"] for f in finance["failures"]} == {"balance"}
    assert finance["failures"][0]["message"].startswith(
        "applications.received.natural_person + applications.carried_over_from_last_year."
        "natural_person = 7 + 1 = 8, but")

    failed = [(f["year"], f["rule"], f["item"]) for f in data["cross_year"]
              if f["status"] == "failed"]
    assert failed == [(2023, "carry_over", "natural_person"), (2023, "carry_over", "total"),
                      (2023, "in_force", "rules")]
    message = next(f["message"] for f in data["cross_year"] if f["item"] == "natural_person"
                   and f["year"] == 2023)
    assert message == ("applications.carried_over_from_last_year.natural_person = 5 in the "
                       "2023 report, but applications.carried_over_to_next_year.natural_person"
                       " = 2 in the 2022 report")
    assert data["against_records"] == [] and data["notes"] == []


@pytest.mark.django_db
def test_an_imported_report_is_compared_with_xxgks_records_of_the_next_year(folder, world):
    # xxgk's 2023: one application carried in from 2022 (closed in January), so xxgk's
    # records take over 1 where the 2022 report carried 2 over.
    build_year(world)
    actions.start_draft(world.education, YEAR, actor=world.handler)
    data = json.loads(audit(str(folder), "--json"))
    failed = [f for f in data["against_records"] if f["status"] == "failed"]
    natural = next(f for f in failed if f["item"] == "natural_person")
    assert (natural["year"], natural["previous"]) == (2023, "edu-2022.pdf")
    assert natural["current"] == f"xxgk's {YEAR} report, computed from the records now"
    assert natural["message"] == (
        "applications.carried_over_from_last_year.natural_person = 1 in the 2023 report, "
        "but applications.carried_over_to_next_year.natural_person = 2 in the 2022 report")


@pytest.mark.django_db
def test_text_output_names_what_failed(folder):
    text = audit(str(folder))
    assert text.startswith("6 files: 2 could not be read, 0 name no agency or year, 1 fail "
                           "their own checks; across years 15 comparisons passed, 3 failed")
    assert "figures.xlsx: an archive, not a report" in text
    assert ("failed carry_over 北京市西城区教育委员会 2023 natural_person "
            "(2023/edu.docx against edu-2022.pdf)") in text


@pytest.mark.django_db
def test_the_workbook_has_a_row_per_report_and_per_comparison(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "audit.xlsx"
    audit(str(folder), "--xlsx", str(out))
    book = load_workbook(out)
    assert book.sheetnames == [REPORTS_SHEET, FAILURES_SHEET, FINDINGS_SHEET]
    rows = list(book[REPORTS_SHEET].iter_rows(values_only=True))
    assert rows[0][:3] == ("file", "agency", "year")
    by_file = {row[0]: row for row in rows[1:]}
    assert by_file["edu-2022.pdf"][1:5] == (EDU, 2022, "2021", len(nf.CELL_KEYS))
    assert by_file["figures.xlsx"][-1] == "an archive, not a report"
    failures = list(book[FAILURES_SHEET].iter_rows(values_only=True))[1:]
    assert {(row[0], row[3]) for row in failures} >= {("finance-2023.html", "balance")}
    findings = list(book[FINDINGS_SHEET].iter_rows(values_only=True))[1:]
    assert len(findings) == 18
    assert [row[7] for row in findings].count("failed") == 3


@pytest.mark.parametrize(("args", "message"), [
    (("/nonexistent/reports",), "no such folder: /nonexistent/reports"),
    (("{folder}", "--xlsx", "/nonexistent/out.xlsx"),
     "cannot write /nonexistent/out.xlsx: no such folder"),
])
def test_bad_arguments_end_in_one_line(folder, args, message):
    with pytest.raises(CommandError, match=message):
        audit(*(a.format(folder=folder) for a in args))


def test_on_a_fresh_clone_the_reports_are_audited_without_a_database(folder, tmp_path):
    """No ``xxgk migrate`` yet: the files are compared with one another all the same."""
    result = subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "report", "audit", str(folder), "--json"],
        capture_output=True, text=True, check=False, timeout=300,
        env={**os.environ, "XXGK_VAR_DIR": str(tmp_path), "DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["counts"]["findings_failed"] == 3
    assert data["notes"] == [
        "xxgk's own reports were not compared: its database is not set up (xxgk migrate)"]
