"""The OGI office's admin pages for applications: letter wordings, and a read-only view.

Applications change only through ``actions.py``, so their admin pages are view-only: no
adding, changing or deleting an application, an event or a document here. Personal
information stays out: the encrypted identity is not registered and file contents are
not shown.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from xxgk.agencies.admin import AuditedModelAdmin

from . import letter_texts, letters
from .models import Application, ApplicationEvent, Document, LetterTemplate

TEMPLATE_KEYS: tuple[str, ...] = (*letter_texts.KEYS, *letter_texts.GROUP_KEYS)


def _shipped(key: str) -> letter_texts.Wording:
    return letter_texts.DEFAULTS.get(key) or letter_texts.GROUP_REPLY


class LetterTemplateForm(forms.ModelForm):
    key = forms.ChoiceField(
        label=_("letter"),
        # Sorted by key, so that a group's wording is listed just before its outcomes.
        choices=[(k, letter_texts.label_of(k)) for k in sorted(TEMPLATE_KEYS)],
        help_text=_("A wording for a whole group of outcomes (for example every kind of "
                    "“withheld”) is used for each outcome of the group that has no wording "
                    "of its own."),
    )

    class Meta:
        model = LetterTemplate
        fields = ["key", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "cols": 100})}

    def _check(self, field: str) -> str:
        text = self.cleaned_data[field]
        if error := letters.template_error(text):
            raise forms.ValidationError(
                _("This is not valid template text: %(error)s"), params={"error": error},
                code="template")
        return text

    def clean_title(self) -> str:
        return self._check("title")

    def clean_body(self) -> str:
        return self._check("body")


@admin.register(LetterTemplate)
class LetterTemplateAdmin(AuditedModelAdmin):
    """The office's own wording of a letter; without a row, the shipped wording is used."""

    form = LetterTemplateForm
    list_display = ["key", "letter", "title", "updated_at"]
    search_fields = ["key", "title", "body"]
    readonly_fields = ["placeholders", "shipped_wording"]
    fieldsets = [
        (None, {"fields": ["key", "title", "body"],
                "description": _("One paragraph per line. Placeholders such as "
                                 "{{ received_date }} are filled in from the application.")}),
        (_("Placeholders"), {"fields": ["placeholders"]}),
        (_("Shipped wording"), {"fields": ["shipped_wording"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("letter"))
    def letter(self, obj: LetterTemplate) -> str:
        return letter_texts.label_of(obj.key) if obj.key in TEMPLATE_KEYS else ""

    @admin.display(description=_("placeholders"))
    def placeholders(self, obj: LetterTemplate | None) -> str:
        return format_html(
            "<dl>{}</dl>",
            format_html_join("", "<dt><code>{{{{ {} }}}}</code></dt><dd>{}</dd>",
                             letter_texts.PLACEHOLDERS),
        )

    @admin.display(description=_("shipped wording"))
    def shipped_wording(self, obj: LetterTemplate | None) -> str:
        if obj is None or obj.key not in TEMPLATE_KEYS:
            return ""
        wording = _shipped(obj.key)
        return format_html("<p><strong>{}</strong></p><pre>{}</pre>", wording.title, wording.body)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        """Adding with ``?key=…`` starts from the shipped wording of that key."""
        initial = super().get_changeform_initial_data(request)
        if initial.get("key") in TEMPLATE_KEYS:
            wording = _shipped(initial["key"])
            initial.setdefault("title", wording.title)
            initial.setdefault("body", wording.body)
        return initial


class _ReadOnly:
    """View-only: the actions layer is the only writer of applications."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ApplicationEventInline(_ReadOnly, admin.TabularInline):
    model = ApplicationEvent
    fields = ["occurred_on", "kind", "actor", "data", "note", "public", "recorded_at"]
    readonly_fields = fields
    extra = 0


class DocumentInline(_ReadOnly, admin.TabularInline):
    model = Document
    fields = ["kind", "filename", "content_type", "size", "visible_to_applicant", "event",
              "created_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Application)
class ApplicationAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["number", "agency", "applicant_column", "status", "due_on", "outcome",
                    "closed_on"]
    list_filter = ["status", "outcome", "applicant_column", "channel"]
    list_select_related = ["agency"]
    search_fields = ["number"]
    date_hierarchy = "arrived_at"
    inlines = [ApplicationEventInline, DocumentInline]


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["application", "kind", "occurred_on", "actor", "public"]
    list_filter = ["kind", "public"]
    list_select_related = ["application", "actor"]
    search_fields = ["application__number"]
    date_hierarchy = "occurred_on"
