"""Forms of the report pages: they parse and check input; the actions decide and write.
The form base and the agency field are the workbench's (``xxgk.workbench.forms``)."""

from __future__ import annotations

from typing import Any

import filetype
from django import forms
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from xxgk.agencies.models import Agency
from xxgk.catalog.forms import MultipleFileField
from xxgk.core import file_checks
from xxgk.reports import audit, presentation
from xxgk.reports import national_format as nf
from xxgk.reports.render.tables import HEADINGS
from xxgk.workbench.forms import AgencyChoiceField, StaffForm

from .actions import MAX_NARRATIVE_CHARS
from .models import EnteredFigures
from .proactive import (
    MAX_WORKBOOK_BYTES,
    MONEY_PLACES,
    PROACTIVE_KEYS,
    PUBLISHING_FIELDS,
)

MAX_REPORT_BYTES = 10 * 1024 * 1024
# Reports audited in one upload: an upper-level office audits some fifty agencies, and the
# page reads them all in the request (a PDF takes about half a second).
MAX_AUDIT_FILES = 60
FIRST_YEAR = 2008  # the first year of the Regulation (2007) reported in 2008


def year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(y, y) for y in range(this_year, FIRST_YEAR - 1, -1)]


class YearForm(StaffForm):
    """The year the dashboard shows (GET); the last full year when none is chosen."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)

    def chosen_year(self) -> int:
        if self.is_valid():
            return self.cleaned_data["year"]
        return default_year()


def figure_field_name(key: str) -> str:
    """A form field name for a figure key (section 二's keys contain dots)."""
    return key.replace(".", "__")


class FiguresForm(StaffForm):
    """Every entered figure of one agency and year; a blank field is "not entered"."""

    def __init__(self, *args: Any, entered: EnteredFigures | None = None,
                 counted: dict[str, int] | None = None,
                 counted_below: dict[str, int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in PROACTIVE_KEYS:
            if nf.is_money(key):
                field: forms.Field = forms.DecimalField(
                    min_value=0, max_digits=14, decimal_places=MONEY_PLACES,
                    help_text=_("In units of 10,000 yuan."))
            else:
                field = forms.IntegerField(min_value=0)
            field.label = presentation.cell_label(key, numbered=False)
            field.required = False
            self.fields[figure_field_name(key)] = field
        for name in PUBLISHING_FIELDS:
            model_field = EnteredFigures._meta.get_field(name)
            self.fields[name] = forms.IntegerField(label=capfirst(model_field.verbose_name),
                                                   min_value=0,
                                                   required=False)
        for key, count in (counted or {}).items():
            self.fields[figure_field_name(key)].help_text = _(
                "The records count %(count)s. Leave blank to use this count; a figure "
                "entered here replaces it.") % {"count": intcomma(count)}
        for key, count in (counted_below or {}).items():
            field = self.fields[figure_field_name(key)]
            below = _("The agencies below count %(count)s from their records; the report "
                      "adds this agency's own figure to theirs.") % {"count": intcomma(count)}
            field.help_text = f"{field.help_text} {below}".strip()
        if entered is not None and not self.is_bound:
            for key, value in entered.proactive.items():
                self.initial[figure_field_name(key)] = value
            for name in PUBLISHING_FIELDS:
                self.initial[name] = getattr(entered, name)

    def proactive_fields(self) -> list[forms.BoundField]:
        return [self[figure_field_name(key)] for key in PROACTIVE_KEYS]

    def publishing_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in PUBLISHING_FIELDS]

    def figures(self) -> dict[str, Any]:
        """The figures by their keys, as ``actions.enter_figures`` takes them."""
        values = {key: self.cleaned_data[figure_field_name(key)] for key in PROACTIVE_KEYS}
        values.update({name: self.cleaned_data[name] for name in PUBLISHING_FIELDS})
        return values


class WorkbookForm(StaffForm):
    workbook = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("One figure per row: agency code, year, key, value. Download the "
                    "template below for the keys."))

    def clean_workbook(self) -> bytes:
        file = self.cleaned_data["workbook"]
        if file.size > MAX_WORKBOOK_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.")
                                        % {"mb": MAX_WORKBOOK_BYTES // (1024 * 1024)})
        data = file.read()
        kind = filetype.guess(data)
        # An .xlsx is a zip archive; filetype names it by its content types.
        if kind is None or kind.extension not in {"xlsx", "zip"}:
            raise forms.ValidationError(_("The file is not an Excel workbook (.xlsx)."))
        return data


class TemplateForm(StaffForm):
    """Which template to download: one agency's figures, or every agency's in scope."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)
    agency = AgencyChoiceField(queryset=Agency.objects.none(), label=_("Agency"),
                               required=False, empty_label=_("Every agency I may enter"))

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["year"].initial = default_year()


class NarrativeForm(StaffForm):
    overview = forms.CharField(
        label=HEADINGS["一"], required=False, max_length=MAX_NARRATIVE_CHARS,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_("Replace every 〔待填〕 with the facts before the report is approved. "
                    "Figures repeated from the tables are checked against them."))
    problems = forms.CharField(
        label=HEADINGS["五"], required=False,
        max_length=MAX_NARRATIVE_CHARS, widget=forms.Textarea(attrs={"rows": 8}))
    other_matters = forms.CharField(
        label=HEADINGS["六"], required=False,
        max_length=MAX_NARRATIVE_CHARS, widget=forms.Textarea(attrs={"rows": 5}))


class ReopenForm(StaffForm):
    reason = forms.CharField(
        label=_("Reason for reopening"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the report; the published version stays public until "
                    "the report is published again."))


class ParseForm(StaffForm):
    """Another agency's published report to read, and where to keep what was read."""

    document = forms.FileField(
        label=_("Published report"),
        # Its help text is worded in __init__: formatted here, it would be translated once,
        # at import, into whatever language was active then.
    )
    store = forms.BooleanField(
        label=_("Keep the figures read (for next year's carry-over check)"), required=False)
    agency_name = forms.CharField(
        label=_("Agency name"), max_length=200, required=False,
        help_text=_("Read from the title when left empty."))
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, required=False,
                              help_text=_("Read from the title when left empty."))
    agency = AgencyChoiceField(queryset=Agency.objects.none(), label=_("Agency on this platform"),
                               required=False, empty_label=_("None (an agency elsewhere)"))

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["year"].max_value = timezone.localdate().year
        self.fields["document"].help_text = _(
            "The report as text, a saved web page (HTML), PDF or Word (DOCX), at most %(mb)d MB."
        ) % {"mb": MAX_REPORT_BYTES // (1024 * 1024)}

    def clean_document(self) -> bytes:
        file = self.cleaned_data["document"]
        if file.size > MAX_REPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.")
                                        % {"mb": MAX_REPORT_BYTES // (1024 * 1024)})
        data = file.read()
        if not data.strip():
            raise forms.ValidationError(_("The file is empty."))
        try:
            audit.readable_source(file.name, data)
        except audit.UnreadableReportError:
            raise forms.ValidationError(
                _("Upload the report as text, HTML, PDF or Word (DOCX).")) from None
        return data

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year is in the future."))
        return year


class AuditForm(StaffForm):
    """Published reports to audit together: a ZIP of them, or the files themselves."""

    documents = MultipleFileField(label=_("Reports"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Worded here, not at import: the request limit is a setting.
        self.fields["documents"].help_text = _(
            "A ZIP of published annual reports, or the reports themselves (text, HTML, PDF "
            "or Word): at most %(n)d reports and %(mb)d MB in one upload."
        ) % {"n": MAX_AUDIT_FILES, "mb": settings.XXGK_MAX_REQUEST_BYTES // (1024 * 1024)}

    def clean_documents(self) -> list[tuple[str, bytes]]:
        """Every report as (name, bytes), a ZIP opened only once its declared sizes pass
        ``archives.check_zip``; a bomb or too many reports refuses the whole upload."""
        uploads = self.cleaned_data["documents"]
        if not uploads:  # a field of several files is not refused empty by Django
            raise forms.ValidationError(_("Choose a ZIP of reports, or the report files."))
        files: list[tuple[str, bytes]] = []
        for upload in uploads:
            data = upload.read()
            if not upload.name.lower().endswith(".zip"):
                files.append((upload.name, data))
                continue
            refusal = file_checks.archive_refusal(data)
            if refusal is not None:
                raise forms.ValidationError(refusal)
            try:
                files += audit.archive_members(data)
            except audit.UnreadableReportError:
                raise forms.ValidationError(
                    _("%(name)s cannot be opened as a ZIP.") % {"name": upload.name}) from None
        if not files:
            raise forms.ValidationError(_("The upload holds no report."))
        if len(files) > MAX_AUDIT_FILES:
            raise forms.ValidationError(
                _("The upload holds %(found)d files; at most %(n)d are audited at once.")
                % {"found": len(files), "n": MAX_AUDIT_FILES})
        return files


def default_year() -> int:
    """Reports are written for the year that has just ended."""
    return timezone.localdate().year - 1


def guess_title(name: str, data: bytes) -> tuple[str | None, int | None]:
    """The agency and year a report's title names (「…人民政府 2023 年政府信息公开工作年度报告」),
    as the audit of many reports reads them."""
    title = audit.report_title(name, data)
    return title.agency, title.year
