"""The staff import page's form: a file and the agency whose catalogue receives it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xxgk.agencies.models import Agency
from xxgk.workbench.forms import AgencyChoiceField, StaffForm

from . import importing

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".jsonl", ".ndjson", ".json")


class ImportForm(StaffForm):
    file = forms.FileField(label=gettext_lazy("File"))
    agency = AgencyChoiceField(queryset=Agency.objects.none(), label=gettext_lazy("Agency"),
                               help_text=gettext_lazy("The items go into its catalogue."))
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Import the valid rows even if others are invalid"), required=False)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()
        # Worded here, not at import, so that it is in the page's language.
        self.fields["file"].help_text = _(
            "CSV (UTF-8 or GBK), XLSX or JSON Lines, at most %(mb)d MB; the first row names "
            "the columns, as in the template.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}

    def clean_file(self) -> importing.SourceFile:
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.")
                                        % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)})
        name = Path(file.name or "").name
        if Path(name).suffix.lower() == ".xls":
            raise forms.ValidationError(
                _("Not an XLSX file (an old .xls is saved again as .xlsx or CSV)."))
        if Path(name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("Upload a CSV, XLSX or JSON Lines file."))
        try:
            return importing.read_bytes(file.read(), name)
        except importing.ReadError as error:
            raise forms.ValidationError(error.message) from None
