"""Form helpers every app's pages share."""

from __future__ import annotations

from typing import Any

from django import forms

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AccessibleForm(forms.Form):
    """Marks invalid fields for assistive technology: ``aria-invalid`` and
    ``aria-describedby`` pointing at the field's error (and help) text."""

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name not in self.fields:
                continue
            widget, auto_id = self.fields[name].widget, self[name].auto_id
            described = [f"{auto_id}_helptext"] if self.fields[name].help_text else []
            widget.attrs["aria-describedby"] = " ".join([*described, f"{auto_id}_error"])
            widget.attrs["aria-invalid"] = "true"
