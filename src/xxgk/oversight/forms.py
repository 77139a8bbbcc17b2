"""Forms of the oversight pages: they parse and check input; the actions decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from xxgk.agencies.models import Agency
from xxgk.workbench.forms import (
    DATE_INPUT,
    AgencyChoiceField,
    AgencyMultipleChoiceField,
    StaffForm,
)

from .actions import MAX_ATTENDEES


class YearForm(StaffForm):
    """The year of a scorecard (GET); a year outside the choices is reported, not served."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]


class TrainingForm(StaffForm):
    agency = AgencyChoiceField(queryset=Agency.objects.none(), label=_("Organiser"),
                               empty_label=None)
    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("As the notice names it, e.g. 政府信息与政务公开工作专题培训."))
    attendees = forms.IntegerField(label=_("People attending"), min_value=1,
                                   max_value=MAX_ATTENDEES,
                                   help_text=_("As the sign-in sheet counts them."))
    everyone = forms.BooleanField(
        label=_("All agencies below the organiser attended"), required=False,
        help_text=_("For a session for every department and sub-district office; the list "
                    "below may then stay empty."))
    agencies = AgencyMultipleChoiceField(
        queryset=Agency.objects.none(), label=_("Agencies attending"), required=False,
        widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agencies"].queryset = agencies

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = set(data.get("agencies") or ())
        organiser = data.get("agency")
        if data.get("everyone") and organiser is not None:
            chosen |= set(self.fields["agencies"].queryset.filter(
                path__startswith=organiser.path).exclude(pk=organiser.pk))
        data["attending"] = chosen
        if not chosen and "agencies" not in self.errors:
            self.add_error("agencies", _("Choose the agencies whose staff attended."))
        return data
