"""The annual report computed from the records, and the checks it must pass.

Nothing here writes. Section 三 comes from the applications (``applications.counting``),
section 四 from the appeal cases (``appeals.counting``), section 二 from the entered figures
(``proactive``), and section 六's processing fees from the fee events of the year, so the
report for a past year is the same whenever it is computed, unless a record of that year
was changed, which a locked period forbids (``core/periods.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.appeals.counting import appeal_counts
from xxgk.applications.counting import application_counts, fee_counts
from xxgk.reports import audit, parse
from xxgk.reports import national_format as nf

from .models import AnnualReport, EnteredFigures, ImportedReport, ReportState
from .proactive import proactive_figures

# When the report is due, by the kind of agency: departments and sub-district offices by
# 31 January, governments by 31 March of the following year (Art. 49, 50). The setting
# ``XXGK_REPORT_DEADLINES`` (kind → "MM-DD") overrides any of them, for local rules.
DEFAULT_DEADLINES: dict[str, str] = {
    Agency.Kind.DISTRICT: "03-31",
    Agency.Kind.DEPARTMENT: "01-31",
    Agency.Kind.SUBDISTRICT: "01-31",
}

CARRIED_IN_KEYS: tuple[str, ...] = tuple(
    f"{nf.APPLICATIONS}.{taxonomy.CARRIED_OVER_FROM_LAST_YEAR}.{c}"
    for c in taxonomy.REPORT_COLUMN_KEYS
)


def scope(agency: Agency) -> list[int]:
    """The agencies a report of ``agency`` counts: itself, or its whole subtree when its
    report covers the agencies below (a government's usually does)."""
    if agency.report_covers_subtree:
        return list(agency.subtree().order_by().values_list("pk", flat=True))
    return [agency.pk]


def fee_figures(agency_ids: Iterable[int], year: int) -> dict[str, Any]:
    """Section 六's processing fees: notices sent in the year and the amount they billed,
    and the amount paid in the year, as ``applications.counting.fee_counts`` counts them."""
    fees = fee_counts(agency_ids, year)
    return {
        "notices": fees.notices,
        "billed_yuan": _money(fees.billed),
        "collected_yuan": _money(fees.collected),
    }


def _money(value: Decimal | None) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def compute_report(agency: Agency, year: int) -> nf.NationalReport:
    """The report's tables as the records give them today, without the narrative."""
    ids = scope(agency)
    proactive: dict[str, dict[str, Any]] = {}
    for key, value in proactive_figures(ids, year).items():
        row, _dot, column = key.removeprefix(f"{nf.PROACTIVE}.").rpartition(".")
        proactive.setdefault(row, {})[column] = value
    return nf.NationalReport(
        agency=agency.name, year=year, proactive=proactive,
        applications=application_counts(ids, year), appeals=appeal_counts(ids, year),
        processing_fees=fee_figures(ids, year),
    )


def with_narrative(report: nf.NationalReport, annual: AnnualReport) -> nf.NationalReport:
    """``report`` with the narrative of ``annual`` (sections 一, 五, 六) put in."""
    report.overview = annual.overview
    report.problems = annual.problems
    report.other_matters = annual.other_matters
    return report


def report_for(agency: Agency, year: int, *, live: bool = False,
               annual: AnnualReport | None = None) -> tuple[nf.NationalReport, str]:
    """The report ``xxgk report`` writes for ``agency`` and ``year``: the published snapshot
    if there is one (``live``: computed all the same), else computed from the records now
    with the draft's narrative; and a phrase saying where it came from. ``annual``: the
    year's AnnualReport, when the caller has read it already."""
    if annual is None:
        annual = AnnualReport.objects.filter(agency=agency, year=year).first()
    if annual is not None and annual.snapshot is not None and not live:
        published = timezone.localtime(annual.published_at).date() if annual.published_at else None
        return (nf.NationalReport.from_json_object(annual.snapshot),
                f"the report as published on {published}")
    report = compute_report(agency, year)
    if annual is not None:
        with_narrative(report, annual)
    return report, "computed from the records now"


def own_reports(wanted: Iterable[tuple[str, int]], agencies: QuerySet[Agency]
                ) -> dict[tuple[str, int], audit.OwnReport]:
    """xxgk's reports for the (``audit.agency_key`` of a name, year) pairs an audit asks for,
    among ``agencies`` (those the user may see): for each year in which xxgk holds a report
    of the agency (published, or a draft) or its entered figures. A year without either is
    left out rather than computed: before an agency used xxgk its records are empty, and
    zeros compared with its published report would be a false alarm."""
    wanted = set(wanted)
    names = {name for name, _year in wanted}
    by_key = {audit.agency_key(a.name): a for a in agencies
              if audit.agency_key(a.name) in names}
    if not by_key:
        return {}
    ids = [a.pk for a in by_key.values()]
    years = {year for _name, year in wanted}
    annuals = {(r.agency_id, r.year): r for r in
               AnnualReport.objects.filter(agency_id__in=ids, year__in=years)}
    entered = set(EnteredFigures.objects.filter(agency_id__in=ids, year__in=years)
                  .values_list("agency_id", "year"))
    found = {}
    for key, year in sorted(wanted):
        agency = by_key.get(key)
        if agency is None or ((agency.pk, year) not in annuals and (agency.pk, year) not in entered):
            continue
        report, source = report_for(agency, year, annual=annuals.get((agency.pk, year)))
        found[key, year] = audit.OwnReport(report, f"xxgk's {year} report, {source}")
    return found


def audit_reports(files: Iterable[tuple[str, audit.Source]], agencies: QuerySet[Agency],
                  progress: Callable[[int], None] | None = None) -> audit.Audit:
    """``audit.audit`` of the files, compared also with xxgk's own reports of ``agencies``.

    Without a database yet (a fresh clone, before ``xxgk migrate``) the files are still
    audited against one another, and the audit says that xxgk's reports were not compared.
    """
    reports = audit.read_reports(files, progress)
    cross_year = audit.cross_year_findings(reports)
    try:
        own = own_reports(audit.wanted_years(reports), agencies)
    except DatabaseError:
        return audit.Audit(reports, cross_year, notes=[
            "xxgk's own reports were not compared: its database is not set up (xxgk migrate)"])
    return audit.Audit(reports, cross_year, audit.records_findings(reports, own))


# ---- Checks ---------------------------------------------------------------------------


def previous_report(agency: Agency, year: int) -> tuple[nf.NationalReport | None, str]:
    """Last year's report of ``agency`` as published in xxgk or, failing that, as imported
    from its published document; with a phrase naming where it came from."""
    last = year - 1
    published = (AnnualReport.objects.filter(agency=agency, year=last, snapshot__isnull=False)
                 .values_list("snapshot", flat=True).first())
    if published is not None:
        return nf.NationalReport.from_json_object(published), f"the published {last} report"
    imported = ImportedReport.objects.filter(agency=agency, year=last).first()
    if imported is None:
        return None, f"no published or imported {last} report"
    cells = {k: v for k, v in imported.cells.items() if k in nf.CELL_KEYS}
    try:
        report = nf.NationalReport.from_flat({**cells, nf.YEAR: last})
    except ValueError as exc:
        return None, f"the imported {last} report ({imported.source_filename}) is unusable: {exc}"
    return report, f"the imported {last} report ({imported.source_filename})"


def carry_over_check(agency: Agency, year: int, computed: nf.NationalReport) -> nf.CheckReport:
    """This year's 上年结转 against last year's 结转下年度, published or imported.

    With neither, the check is skipped (listed, not passed), naming what is missing.
    """
    previous, source = previous_report(agency, year)
    if previous is None:
        return nf.CheckReport(skipped=(nf.Skipped(
            nf.Rule.CARRY_OVER, CARRIED_IN_KEYS,
            f"not checked: carried_over_from_last_year against last year; {source}"),))
    previous.year = year - 1
    result = nf.check_carry_over(previous, computed)
    return nf.CheckReport(
        failures=tuple(nf.Failure(f.rule, f.cells, f"{f.message} ({source})")
                       for f in result.failures),
        skipped=result.skipped,
    )


def prose_check(report: nf.NationalReport) -> nf.CheckReport:
    """Figures that section 一 repeats (applications received, closed, carried over,
    appeals) against the tables, as the parser reads them in any published report."""
    if not report.overview:
        return nf.CheckReport()
    figures = parse.extract_prose_figures({"一": report.overview.splitlines()})
    _comparisons, result = parse.compare_text_and_tables(figures, report)
    return result


def check_report(agency: Agency, year: int, report: nf.NationalReport) -> nf.CheckReport:
    """Every check a report must pass before publication: the arithmetic of the tables,
    the carry-over from last year, and the prose against the tables."""
    return nf.check(report) + carry_over_check(agency, year, report) + prose_check(report)


# ---- Deadlines ------------------------------------------------------------------------


def deadline(agency: Agency, year: int) -> dt.date:
    """The day the report for ``year`` must be published, in the following year."""
    configured = {**DEFAULT_DEADLINES, **getattr(settings, "XXGK_REPORT_DEADLINES", {})}
    month, day = (int(part) for part in configured[agency.kind].split("-"))
    return dt.date(year + 1, month, day)


# ---- The draft narrative --------------------------------------------------------------

# Marks what staff must still write; a report that contains it cannot be published. The
# report is a Chinese government document, so its wording is data here, not interface text.
PLACEHOLDER = "〔待填"
MISSING_FIGURE = f"{PLACEHOLDER}〕"


def _figure(value: int | Decimal | None) -> str:
    return MISSING_FIGURE if value is None else str(value)


def _prompt(what: str) -> str:
    return f"{PLACEHOLDER}：{what}〕"


def year_on_year(this: int | None, last: int | None) -> str:
    """``，同比增长60%`` (rounded to a whole percent), or nothing without last year's."""
    if this is None or not last:
        return ""
    percent = (Decimal(this - last) * 100 / last).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if percent > 0:
        return f"，同比增长{percent}%"
    if percent < 0:
        return f"，同比下降{-percent}%"
    return "，与上年持平"


def draft_texts(agency: Agency, year: int, report: nf.NationalReport,
                figures: dict[str, int | None]) -> dict[str, str]:
    """Sections 一, 五 and 六 pre-filled from the year's figures, under the sub-headings the
    seed report uses, so that what the prose repeats agrees with the tables. What the
    records cannot say is left as a 〔待填：…〕 prompt for staff."""
    government = agency.kind == Agency.Kind.DISTRICT
    whole = "全区" if government and agency.report_covers_subtree else "本机关"
    apps = report.applications
    p = report.proactive["normative_documents"]
    appeals = report.appeals
    litigation = sum(appeals[k][taxonomy.TOTAL] or 0 for k in taxonomy.APPEAL_KIND_KEYS[1:])
    f = {name: _figure(value) for name, value in figures.items()}
    meeting = "区政府常务会议" if government else "本机关办公会议"
    paragraphs = [
        f"{year}年，{agency.name}严格落实《中华人民共和国政府信息公开条例》，持续深化公开内容，"
        "提升公开质效。",
        "（一）组织领导",
        _prompt("组织领导和工作部署情况"),
        "（二）主动公开",
        f"全年主动公开政府信息{f['items_published']}条。围绕经济社会发展和人民群众关切，"
        f"公开重点领域信息{f['key_area_items']}条，"
        f"发布政策文件{f['policy_documents']}件，配套发布解读{f['interpretations']}篇，"
        f"面向社会公众广泛开展政策性文件意见征集{f['consultations']}次，"
        f"公开{meeting}信息{f['executive_meeting_items']}条。"
        f"年度重大行政决策事项{f['major_decisions']}项以目录形式印发并公开。"
        f"全年通过门户网站发布信息{f['portal_items']}条，官方微博发布信息{f['weibo_items']}条，"
        f"微信公众号发布信息{f['wechat_items']}条。",
        "（三）政民互动",
        _prompt("政民互动工作情况"),
        "（四）依申请公开",
        f"{whole}共受理政府信息公开申请{apps[taxonomy.RECEIVED][taxonomy.TOTAL]}件，"
        f"上年结转{apps[taxonomy.CARRIED_OVER_FROM_LAST_YEAR][taxonomy.TOTAL]}件；"
        f"办结{apps[taxonomy.TOTAL][taxonomy.TOTAL]}件，"
        f"结转下年度继续办理{apps[taxonomy.CARRIED_OVER_TO_NEXT_YEAR][taxonomy.TOTAL]}件。"
        f"全年发生政府信息公开行政复议案件{appeals['reconsideration'][taxonomy.TOTAL]}件，"
        f"行政诉讼案件{litigation}件。",
        "（五）政府信息管理",
        f"本年制发行政规范性文件{_figure(p['issued'])}件，废止{_figure(p['repealed'])}件，"
        f"现行有效{_figure(p['in_force'])}件。严格落实政府信息公开保密审查。",
        "（六）政府信息公开平台建设",
        f"全年优化升级网站栏目{f['columns_upgraded']}个，网站总点击量{f['site_visits']}次"
        f"{year_on_year(figures['site_visits'], figures['site_visits_last_year'])}，"
        f"网站访问人数{f['site_visitors']}人"
        f"{year_on_year(figures['site_visitors'], figures['site_visitors_last_year'])}。",
        "（七）监督培训",
        f"全年开展政府信息公开工作培训{figures['trainings']}次。" if figures["trainings"] is not None
        else _prompt("监督考核和培训情况"),
    ]
    return {
        nf.OVERVIEW: "\n\n".join(paragraphs),
        nf.PROBLEMS: _prompt("存在的主要问题及改进情况"),
        # The processing-fee statement is printed from the fee figures by the renderer
        # (render/outline.py); the text is for whatever else the agency must report.
        nf.OTHER_MATTERS: "本年度无其他需要报告的事项。",
    }


# ---- Where each report stands ---------------------------------------------------------


@dataclass
class ReportStatus:
    """One agency's report for a year as the dashboard shows it."""

    agency: Agency
    report: AnnualReport | None
    deadline: dt.date
    days_left: int
    missing: list[str] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        published = self.report is not None and self.report.locked
        return self.days_left < 0 and not published


def report_statuses(agencies: Iterable[Agency], year: int, today: dt.date) -> list[ReportStatus]:
    """For each agency: its report, deadline, days left and what still stands in the way
    of publication (figures not entered, draft not approved, checks failing, carry-over
    mismatch).

    Reports, figures and last year's reports are read in one query each. A report is
    computed only where a check can fail: where there is a draft (its prose against its
    tables) or last year's report (the carry-over). Tables computed from the records
    satisfy the arithmetic of the form by construction, so an agency with neither has
    nothing to check yet.
    """
    agencies = list(agencies)
    ids = [a.pk for a in agencies]
    reports = {r.agency_id: r for r in AnnualReport.objects.filter(agency_id__in=ids, year=year)}
    entered = set(EnteredFigures.objects.filter(agency_id__in=ids, year=year)
                  .values_list("agency_id", flat=True))
    with_previous = set(AnnualReport.objects.filter(
        agency_id__in=ids, year=year - 1, snapshot__isnull=False).values_list("agency_id",
                                                                              flat=True))
    with_previous |= set(ImportedReport.objects.filter(agency_id__in=ids, year=year - 1)
                         .values_list("agency_id", flat=True))
    statuses = []
    for agency in agencies:
        report = reports.get(agency.pk)
        due = deadline(agency, year)
        status = ReportStatus(agency, report, due, (due - today).days)
        if report is None or not report.locked:
            status.missing = _missing(agency, year, report, agency.pk in entered,
                                      checkable=report is not None or agency.pk in with_previous)
        statuses.append(status)
    return statuses


def _missing(agency: Agency, year: int, report: AnnualReport | None, has_figures: bool, *,
             checkable: bool) -> list[str]:
    missing = []
    if not has_figures:
        missing.append(_("no entered figures"))
    if report is None:
        missing.append(_("no draft"))
    elif report.state == ReportState.DRAFT:
        missing.append(_("draft not approved"))
    if not checkable:
        return missing
    national = compute_report(agency, year)
    if report is not None:
        with_narrative(national, report)
    checks = check_report(agency, year, national)
    carry_over = [f for f in checks.failures if f.rule == nf.Rule.CARRY_OVER]
    others = len(checks.failures) - len(carry_over)
    if others:
        missing.append(ngettext("%(n)d check failing", "%(n)d checks failing", others)
                       % {"n": others})
    if carry_over:
        missing.append(_("carry-over mismatch"))
    return missing


# ---- Cells read from a published report -------------------------------------------------

SECTION_NUMERALS: dict[str, str] = {
    nf.PROACTIVE: "二", nf.APPLICATIONS: "三", nf.APPEALS: "四", nf.PROCESSING_FEES: "六",
}


def cells_by_row(cells: dict[str, Any]) -> list[tuple[str, list[tuple[str, list[tuple[str, Any]]]]]]:
    """The cells found, in printed order: ``[(section, [(row, [(column, value)])])]``
    (section 六 has one row named ""); a not-applicable cell's value is None."""
    grouped: dict[str, dict[str, list[tuple[str, Any]]]] = {}
    for key in nf.CELL_KEYS:
        if key not in cells:
            continue
        section, _dot, rest = key.partition(".")
        row, _dot, column = rest.rpartition(".")
        grouped.setdefault(section, {}).setdefault(row, []).append((column, cells[key]))
    return [(section, list(rows.items())) for section, rows in grouped.items()]


def cells_text(cells: dict[str, Any]) -> str:
    """The cells found as lines of text, one line per row of the tables."""
    lines = ["Cells found:"]
    for section, rows in cells_by_row(cells):
        lines.append(f"  {SECTION_NUMERALS[section]} {section}")
        for row, values in rows:
            shown = ", ".join(f"{column} {'n/a' if value is None else value}"
                              for column, value in values)
            lines.append(f"    {row}: {shown}" if row else f"    {shown}")
    if len(lines) == 1:
        lines.append("  none")
    return "\n".join(lines) + "\n"
