"""The parts every app's staff pages share (``xxgk.workbench``): the staff check, the form
base, the agency fields and the one field template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from tests.factories import UserFactory
from xxgk.agencies.models import Agency
from xxgk.workbench.access import require_staff
from xxgk.workbench.forms import (
    DATE_INPUT,
    AgencyChoiceField,
    AgencyMultipleChoiceField,
    StaffForm,
)

pytestmark = pytest.mark.django_db
SRC = Path(__file__).parents[2] / "src" / "xxgk"


class _Sample(StaffForm):
    agency = AgencyChoiceField(queryset=Agency.objects.all(), label="Agency")
    agencies = AgencyMultipleChoiceField(queryset=Agency.objects.all(), label="Attending",
                                         required=False, widget=forms.CheckboxSelectMultiple)
    result = forms.ChoiceField(label="Result", widget=forms.RadioSelect,
                               choices=[("a", "A"), ("b", "B")], help_text="Pick one.")
    on = forms.DateField(label="Date", widget=DATE_INPUT)
    confirm = forms.BooleanField(label="Confirm", required=False)


def _field(form: forms.Form, name: str) -> str:
    return render_to_string("workbench/field.html", {"field": form[name]})


def test_the_staff_check_refuses_an_account_without_a_role(world):
    request = RequestFactory().get("/")
    request.user = UserFactory(username="nobody")
    with pytest.raises(PermissionDenied):
        require_staff(request)
    request.user = world.handler
    require_staff(request)  # a staff member passes


def test_agencies_are_named_in_the_page_language(world):
    form = _Sample()
    with translation.override("en"):
        english = dict(form.fields["agency"].choices)
        english_multiple = dict(form.fields["agencies"].choices)
    assert world.education.name_en and world.education.name_en in english.values()
    assert world.education.name_en in english_multiple.values()
    with translation.override("zh-hans"):
        assert world.education.name in dict(_Sample().fields["agency"].choices).values()


def test_no_browser_required_bubbles_and_iso_dates(world):
    form = _Sample()
    html = _field(form, "on")
    assert 'type="date"' in html and " required" not in html
    assert _Sample(initial={"on": "2026-11-02"})["on"].value() == "2026-11-02"


def test_a_group_of_choices_is_a_fieldset_with_its_errors_linked(world):
    form = _Sample({"on": "not a date"})
    assert not form.is_valid()
    radios = _field(form, "result")
    assert re.search(r'<fieldset aria-describedby="id_result_helptext id_result_error">', radios)
    assert "<legend>Result" in radios and 'id="id_result_error"' in radios
    assert radios.count('class="choice"') == 2 and 'id="id_result"' in radios
    boxes = _field(form, "agencies")
    assert 'class="choices checkbox-list"' in boxes
    date = _field(form, "on")
    assert re.search(r'<label for="id_on">Date', date)
    assert re.search(r'aria-invalid="true"', date) and 'aria-describedby="id_on_error"' in date
    checkbox = _field(form, "confirm")
    assert re.search(r'<input type="checkbox"[^>]*> <label for="id_confirm">Confirm</label>',
                     checkbox)


def test_no_app_keeps_a_copy_of_the_field_template():
    copies = [p for p in SRC.rglob("*field*.html") if p.parent.name != "workbench"]
    assert copies == []
    includes = {m for p in SRC.rglob("*.html")
                for m in re.findall(r'{% include "([^"]*field[^"]*)"', p.read_text())}
    assert includes == {"workbench/field.html"}
