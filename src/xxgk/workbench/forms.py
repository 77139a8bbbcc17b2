"""The parts every staff page's forms share, whichever app the page belongs to: the form
base, the date input and the agency choice fields. Templates print the fields with
``workbench/field.html``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xxgk.agencies.models import Agency
from xxgk.core.templatetags.xxgk import localized

# A browser date picker that sends ISO dates. Each form gets its own copy of the widget
# (Django deep-copies a field's widget per form), so one instance serves every field.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StaffForm(forms.Form):
    """A staff page's form: a heading, a button label, and the server's errors only.

    The browser's own "required" bubbles are switched off because they are neither
    translated nor linked to the field; the server's errors are. Django 5.2 marks an
    invalid field ``aria-invalid`` and links its help and error texts with
    ``aria-describedby`` (ids ``<id>_helptext`` and ``<id>_error``, which
    ``workbench/field.html`` prints).
    """

    use_required_attribute = False
    title: Any = ""
    submit_label: Any = _("Save")


class AgencyChoiceField(forms.ModelChoiceField):
    """One agency, named in the page's language."""

    def label_from_instance(self, obj: Agency) -> str:
        return localized(obj)


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several agencies, named in the page's language."""

    def label_from_instance(self, obj: Agency) -> str:
        return localized(obj)


class CodeForm(StaffForm):
    """The second step of signing in, and the confirmation of a new authenticator app."""

    code = forms.CharField(label=_("Code"), max_length=20, strip=True, widget=forms.TextInput(
        attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}))
