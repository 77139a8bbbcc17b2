"""The policy library's filters: a GET form that works without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.core.labels import category_choices


class PolicyFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    agency = forms.ChoiceField(label=_("Issuing agency"), required=False)
    year = forms.TypedChoiceField(label=_("Year issued"), required=False, coerce=int,
                                  empty_value=None)
    validity = forms.ChoiceField(label=_("Validity"), required=False)

    def __init__(self, *args: Any, agencies: list[Agency], years: list[int],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        english = get_language() == "en"
        self.fields["kind"].choices = [("", _("All kinds")),
                                       *category_choices(taxonomy.POLICY_KINDS)]
        self.fields["agency"].choices = [("", _("All agencies"))] + [
            (a.code, a.name_en if english and a.name_en else a.name) for a in agencies]
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]
        self.fields["validity"].choices = [("", _("Any validity")),
                                           *category_choices(taxonomy.VALIDITIES)]

    def filters(self) -> dict[str, Any]:
        """The valid filters as queryset lookups (an invalid field filters nothing and
        shows its error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        lookups: dict[str, Any] = {}
        if data.get("kind"):
            lookups["kind"] = data["kind"]
        if data.get("agency"):
            lookups["agency__code"] = data["agency"]
        if data.get("year"):
            year = data["year"]
            lookups["issued_on__gte"] = f"{year}-01-01"
            lookups["issued_on__lte"] = f"{year}-12-31"
        if data.get("validity"):
            lookups["validity"] = data["validity"]
        return lookups
