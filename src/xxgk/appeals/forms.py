"""Forms of the appeals pages: they parse and check input; the actions decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from xxgk.agencies.models import Agency
from xxgk.applications.models import Application
from xxgk.workbench.forms import DATE_INPUT, AgencyChoiceField, StaffForm

from .actions import DECIDED_RESULTS, MAX_DOCUMENT_BYTES, Upload
from .models import KIND_CHOICES, RESULT_CHOICES


class UploadForm(StaffForm):
    """The workbench's form, with the appeal documents' upload helper."""

    def upload(self, name: str = "document") -> list[Upload]:
        """The uploaded file of ``name`` as the actions take it (none if not given)."""
        file = self.cleaned_data.get(name)
        return [Upload(file.name, file.read())] if file else []


class _DocumentField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Document"), required=False,
            help_text=format_lazy(_("The application, decision or judgment as PDF, JPEG, PNG "
                                    "or Word, at most {mb} MB."),
                                  mb=MAX_DOCUMENT_BYTES // (1024 * 1024)),
            **kwargs,
        )

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if file and file.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)d MB.")
                                        % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)})
        return file


class CaseForm(UploadForm):
    agency = AgencyChoiceField(queryset=Agency.objects.none(), label=_("Respondent agency"),
                               empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES)
    case_number = forms.CharField(label=_("Case number"), max_length=100,
                                  help_text=_("As the body or court gives it, e.g. "
                                              "西政复字〔2023〕第12号."))
    body = forms.CharField(label=_("Reconsideration body or court"), max_length=200)
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE_INPUT)
    application_number = forms.CharField(
        label=_("Application number"), max_length=30, required=False,
        help_text=_("The disclosure application the case is about, if it was made on this platform."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 4}))
    document = _DocumentField()

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        number, agency = data.get("application_number", "").strip(), data.get("agency")
        data["application"] = None
        if number and agency is not None:
            data["application"] = Application.objects.filter(
                number=number, agency__path__startswith=agency.path).select_related(
                "agency").first()
            if data["application"] is None:
                self.add_error("application_number",
                               _("No application with this number was handled by this agency."))
        return data


class DecisionForm(UploadForm):
    result = forms.ChoiceField(
        label=_("Result"), widget=forms.RadioSelect,
        choices=[(key, label) for key, label in RESULT_CHOICES if key in DECIDED_RESULTS],
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE_INPUT)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 3}))
    document = _DocumentField()


class FilterForm(forms.Form):
    """The list's filters (GET); an invalid value is reported and that filter ignored."""

    year = forms.TypedChoiceField(label=_("Year filed"), required=False, coerce=int,
                                  empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *KIND_CHOICES])
    result = forms.ChoiceField(label=_("Result"), required=False,
                               choices=[("", _("All results")), *RESULT_CHOICES])

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]

