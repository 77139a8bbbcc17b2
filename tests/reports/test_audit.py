"""Auditing many published reports: each report's agency and year from its title, its own
checks, and each agency's reports compared across years and with xxgk's own."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reports.strategies import consecutive_reports, consistent_reports
from xxgk.reports import audit
from xxgk.reports import national_format as nf
from xxgk.reports.audit import OwnReport, Status, Title, detect_title
from xxgk.reports.parse import extract
from xxgk.reports.render import render
from xxgk.taxonomy import REPORT_COLUMN_KEYS

EDU = "北京市西城区教育委员会"
TAKEN = "applications.carried_over_from_last_year.{}"
GIVEN = "applications.carried_over_to_next_year.{}"


# ---- The title -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "agency", "year"), [
    (f"{EDU}2023年政府信息公开工作年度报告", EDU, 2023),
    (f"{EDU}2023年度政府信息公开工作年度报告", EDU, 2023),
    (f"2019年{EDU}政府信息公开工作年度报告", EDU, 2019),  # the year first, as in 2019
    ("北京市西城区人民政府关于2019年政府信息公开工作的年度报告", "北京市西城区人民政府", 2019),
    (f"{EDU}２０２２年政府信息公开工作年度报告", EDU, 2022),  # full-width digits
    (f"{EDU}二〇二一年政府信息公开工作年度报告", EDU, 2021),  # Chinese numerals
    ("北 京 市 西 城 区 教 育 委 员 会 2 0 2 3 年 政 府 信 息 公 开 工 作 年 度 报 告", EDU, 2023),
    (f"《{EDU}2018年政府信息公开年度报告》", EDU, 2018),
    (f"{EDU}\n2023年政府信息公开工作年度报告\n", EDU, 2023),  # broken over two lines
    ("2023年政府信息公开工作年度报告\n依据《条例》编制本报告。", None, 2023),
    ("一、总体情况\n本机关依法公开政府信息。", None, None),
    (f"{EDU}1999年政府信息公开工作年度报告", EDU, None),  # before the Regulation: no year
])
def test_the_title_names_the_agency_and_year(text, agency, year):
    assert detect_title(text) == Title(agency, year)


def test_a_title_that_places_nothing_says_what_is_unknown():
    assert detect_title("no title").problem == "no title naming an agency and a year was found"
    assert detect_title("2023年政府信息公开工作年度报告").problem == "the title names no agency"
    assert detect_title(f"{EDU}2023年政府信息公开工作年度报告").problem is None


def test_only_the_first_lines_hold_the_title():
    body = "\n".join(["正文"] * extract.OPENING_LINES)
    assert detect_title(f"{body}\n{EDU}2022年政府信息公开工作年度报告").year is None


# ---- One report --------------------------------------------------------------------------

# A small consistent section 三 (natural persons: 10 new + 2 from last year = 9 disclosed
# + 1 not held + 2 carried over), every other cell 0.
SMALL = {
    "applications.received.natural_person": 10, "applications.received.total": 10,
    TAKEN.format("natural_person"): 2, TAKEN.format("total"): 2,
    "applications.disclosed.natural_person": 9, "applications.disclosed.total": 9,
    "applications.unavailable.not_held.natural_person": 1,
    "applications.unavailable.not_held.total": 1,
    "applications.total.natural_person": 10, "applications.total.total": 10,
    GIVEN.format("natural_person"): 2, GIVEN.format("total"): 2,
}


def _report(year: int, base: nf.NationalReport | None = None, **cells) -> nf.NationalReport:
    """The education commission's report: ``base`` or the small consistent one, with some
    cells changed."""
    zeros = {k: Decimal(0) if nf.is_money(k) else 0 for k in nf.CELL_KEYS}
    flat = base.to_flat() if base is not None else {**zeros, **SMALL}
    return nf.NationalReport.from_flat(
        {**flat, "agency": EDU, "year": year, "format": "2021", **cells})


def test_a_word_document_is_read_by_the_parser_and_placed_by_its_title():
    report = _report(2023)
    read = audit.read_report("edu-2023.docx", render(report, "docx"))
    assert (read.agency, read.year, read.error) == (EDU, 2023, None)
    assert read.missing == [] and read.failures == []
    assert read.cells == {k: v for k, v in report.to_flat().items() if k in nf.CELL_KEYS}


def test_a_binary_file_under_a_text_name_is_unreadable_with_the_reason():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    assert audit.read_report("report.txt", png).error == "a binary file, not text"


def test_a_rendered_report_is_read_placed_and_checked():
    report = _report(2023)
    read = audit.read_report("edu-2023.html", render(report, "html"))
    assert (read.agency, read.year, read.error) == (EDU, 2023, None)
    assert read.cells == {k: v for k, v in report.to_flat().items() if k in nf.CELL_KEYS}
    assert read.failures == [] and read.missing == []


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_reports())
def test_any_consistent_report_rendered_is_read_whole_and_fails_no_check(drawn):
    report = _report(2023, drawn)
    read = audit.read_report("edu-2023.html", render(report, "html"))
    assert read.cells == {k: v for k, v in report.to_flat().items() if k in nf.CELL_KEYS}
    assert read.failures == []


def test_a_report_that_breaks_its_own_arithmetic_is_shown_with_the_numbers():
    report = _report(2023)
    received = report.applications["received"]["natural_person"]
    broken = _report(2023, report, **{"applications.received.natural_person": received + 5})
    read = audit.read_report("edu-2023.html", render(broken, "html"))
    assert read.readable
    rules = {f["rule"] for f in read.failures}
    assert {"balance", "row_total"} <= rules
    assert any(str(received + 5) in f["message"] for f in read.failures)


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("report.pdf", b"%PDF-1.4 not a pdf at all", "cannot be read as a report"),
    ("report.pdf", b"plain text", "the file is named .pdf but is not one"),
    ("scan.png", b"\x89PNG\r\n\x1a\n", "not a report file"),
    ("reports.zip", b"PK\x03\x04rest", "an archive, not a report"),
    ("report.txt", b"\xff\xfe\x00\xd8\x00\xdc", "neither UTF-8 nor GB 18030"),
])
def test_a_file_that_cannot_be_read_is_kept_with_the_reason(name, data, reason):
    read = audit.read_report(name, data)
    assert not read.readable and reason in read.error


def test_an_unreadable_file_does_not_stop_the_others():
    def unreadable() -> bytes:
        raise PermissionError(13, "Permission denied")

    good = render(_report(2023), "html")
    reports = audit.read_reports([("a.txt", unreadable), ("b.html", good)])
    assert reports[0].error == "cannot be read: Permission denied"
    assert reports[1].readable and reports[1].cells


# ---- Across years ------------------------------------------------------------------------

def _read(name: str, report: nf.NationalReport) -> audit.AuditedReport:
    """The report as the audit holds it after reading it (without a round trip through a
    file, which the tests above make)."""
    flat = report.to_flat()
    cells = {k: flat[k] for k in nf.CELL_KEYS if flat[k] is not None}
    return audit.AuditedReport(name, agency=report.agency, year=report.year, format="2021",
                               cells=cells)


def _findings(findings, status=None):
    return {(f.rule, f.item): f for f in findings if status is None or f.status == status}


def test_two_years_that_agree_pass_every_comparison():
    last = _report(2022, **{f"proactive.rules.{k}": v for k, v in
                            (("issued", 1), ("repealed", 0), ("in_force", 10))})
    given = {TAKEN.format(c): last.to_flat()[GIVEN.format(c)] for c in REPORT_COLUMN_KEYS}
    this = _report(2023, **given, **{"proactive.rules.issued": 2,
                                     "proactive.rules.repealed": 3, "proactive.rules.in_force": 9,
                                     "proactive.normative_documents.issued": 0,
                                     "proactive.normative_documents.repealed": 0,
                                     "proactive.normative_documents.in_force":
                                         last.proactive["normative_documents"]["in_force"]})
    findings = audit.cross_year_findings([_read("2023.pdf", this), _read("2022.pdf", last)])
    assert len(findings) == len(audit.UNITS)
    assert {f.status for f in findings} == {Status.PASSED}
    assert {(f.current, f.previous, f.year) for f in findings} == {("2023.pdf", "2022.pdf", 2023)}


def test_a_carry_over_that_does_not_match_fails_with_both_numbers():
    last = _report(2022, **{GIVEN.format("natural_person"): 4})
    this = _report(2023, **{TAKEN.format("natural_person"): 7})
    failed = _findings(audit.cross_year_findings([_read("a", last), _read("b", this)]),
                       Status.FAILED)
    finding = failed["carry_over", "natural_person"]
    assert finding.message == (
        "applications.carried_over_from_last_year.natural_person = 7 in the 2023 report, "
        "but applications.carried_over_to_next_year.natural_person = 4 in the 2022 report")


def test_in_force_counts_that_do_not_roll_forward_fail_with_the_numbers():
    last = _report(2022, **{"proactive.rules.in_force": 12})
    this = _report(2023, **{"proactive.rules.issued": 3, "proactive.rules.repealed": 1,
                            "proactive.rules.in_force": 20})
    failed = _findings(audit.cross_year_findings([_read("a", last), _read("b", this)]),
                       Status.FAILED)
    assert failed["in_force", "rules"].message.endswith("= 12 + 3 - 1 = 14")
    assert "proactive.rules.in_force = 20 in the 2023 report" in failed["in_force", "rules"].message


def test_a_cell_not_read_makes_the_comparison_unverifiable_not_failed():
    last = _read("a", _report(2022))
    this = _read("b", _report(2023, **{TAKEN.format("natural_person"): 999}))
    del last.cells[GIVEN.format("natural_person")]
    del this.cells["proactive.rules.issued"]
    findings = _findings(audit.cross_year_findings([last, this]))
    for unit in (("carry_over", "natural_person"), ("in_force", "rules")):
        assert findings[unit].status == Status.UNVERIFIABLE
        assert findings[unit].message.startswith("not checked:")


def test_only_the_same_agency_and_consecutive_years_are_compared():
    reports = [_read("a", _report(2021)), _read("b", _report(2023)),
               _read("c", dataclasses.replace(_report(2022), agency="北京市西城区财政局")),
               audit.AuditedReport("d", agency=None, year=2022, cells={}),
               audit.AuditedReport("e", error="cannot be read")]
    assert audit.cross_year_findings(reports) == []


def test_two_files_of_the_same_agency_and_year_are_named():
    report = _report(2023)
    assert audit.duplicates([_read("a.pdf", report), _read("b.html", report),
                             _read("c.html", _report(2022))]) == [["a.pdf", "b.html"]]


def test_agency_names_are_matched_whatever_their_width_and_spacing():
    last, this = _read("a", _report(2022)), _read("b", _report(2023))
    last.agency = "北京市西城区 教育委员会"
    assert audit.cross_year_findings([last, this])
    last.agency, this.agency = "北京市西城区人民政府（办公室）", "北京市西城区人民政府(办公室)"
    assert audit.cross_year_findings([last, this])


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(consecutive_reports(), st.data())
def test_consistent_years_never_fail_the_carry_over_and_one_changed_figure_fails_just_it(
        pair, data):
    previous, current = pair
    current = dataclasses.replace(current, agency=previous.agency)
    findings = audit.cross_year_findings([_read("last", previous), _read("this", current)])
    carry = [f for f in findings if f.rule == nf.Rule.CARRY_OVER]
    assert len(carry) == len(REPORT_COLUMN_KEYS)
    assert {f.status for f in carry} == {Status.PASSED}

    column = data.draw(st.sampled_from(REPORT_COLUMN_KEYS))
    changed = _read("last", previous)
    changed.cells[GIVEN.format(column)] += data.draw(st.integers(min_value=1, max_value=50))
    findings = audit.cross_year_findings([changed, _read("this", current)])
    failed = [(f.rule, f.item) for f in findings if f.status == Status.FAILED]
    assert ("carry_over", column) in failed
    assert [f for f in failed if f[0] == "carry_over"] == [("carry_over", column)]


# ---- Against xxgk's own reports ----------------------------------------------------------

def test_an_imported_report_is_compared_with_xxgks_years_around_it():
    mine_2022 = _report(2022, **{GIVEN.format("total"): 5})
    mine_2024 = _report(2024, **{TAKEN.format("total"): 6})
    imported = _read("edu-2023.pdf", _report(2023, **{TAKEN.format("total"): 5,
                                                     GIVEN.format("total"): 8}))
    own = {(EDU, 2022): OwnReport(mine_2022, "xxgk's 2022 report"),
           (EDU, 2024): OwnReport(mine_2024, "xxgk's 2024 report")}
    findings = audit.records_findings([imported], own)
    total = {(f.year, f.item): f for f in findings if f.rule == "carry_over"}
    assert total[2023, "total"].status == Status.PASSED
    assert total[2023, "total"].previous == "xxgk's 2022 report"
    assert total[2024, "total"].status == Status.FAILED
    assert total[2024, "total"].message == (
        "applications.carried_over_from_last_year.total = 6 in the 2024 report, "
        "but applications.carried_over_to_next_year.total = 8 in the 2023 report")
    assert audit.wanted_years([imported]) == {(EDU, 2022), (EDU, 2024)}


def test_without_xxgks_reports_nothing_is_compared_with_them():
    assert audit.records_findings([_read("a", _report(2023))], {}) == []


# ---- The whole audit --------------------------------------------------------------------

def test_the_audit_as_json_keeps_money_exact_and_counts_everything():
    report = _report(2023, **{"proactive.fees.amount_10k_yuan": Decimal("1.10")})
    result = audit.audit([("a.html", render(report, "html")), ("b.pdf", b"%PDF-broken")])
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["counts"]["reports"] == 2 and data["counts"]["unreadable"] == 1
    assert data["reports"][0]["cells"]["proactive.fees.amount_10k_yuan"] == "1.10"
    assert data["reports"][0]["cells_read"] == len(nf.CELL_KEYS)
    assert data["reports"][1]["error"].startswith("cannot be read as a report")


# ---- A ZIP of reports --------------------------------------------------------------------

def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_a_zip_gives_its_reports_without_folders_hidden_files_or_macos_copies():
    data = _zip({"2023/": b"", "2023/edu.html": b"a", "__MACOSX/2023/._edu.html": b"b",
                 ".hidden": b"c", "2023/.DS_Store": b"d", "中文名.txt": b"e"})
    assert audit.archive_members(data) == [("2023/edu.html", b"a"), ("中文名.txt", b"e")]


def test_a_name_written_in_gbk_by_chinese_windows_is_read_as_gbk():
    gbk = "教育.txt".encode("gb18030")
    placeholder = b"X" * (len(gbk) - 4) + b".txt"  # ASCII: written without the UTF-8 flag
    data = _zip({placeholder.decode(): b"a"}).replace(placeholder, gbk)
    assert audit.archive_members(data) == [("教育.txt", b"a")]


def test_a_file_that_is_not_a_zip_is_unreadable():
    with pytest.raises(audit.UnreadableReportError, match="the ZIP cannot be opened"):
        audit.archive_members(b"PK\x03\x04 not really")
