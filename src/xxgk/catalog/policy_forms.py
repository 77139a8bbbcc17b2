"""Forms of the staff policy-document pages: they parse and check input; the actions decide
and write (``actions.create_policy_document``, ``create_interpretation``,
``record_validity_change``, ``bulk_validity``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.core.labels import category_choices
from xxgk.core.templatetags.xxgk import localized
from xxgk.workbench.forms import DATE_INPUT, AgencyChoiceField, StaffForm

from . import actions
from .actions import ItemText
from .models import Category, ItemState, PolicyDocument

# How many of the agency's documents the "by document" field suggests as one types.
SUGGESTIONS = 200


class CategoryChoiceField(forms.ModelChoiceField):
    """A node of the catalogue tree, named in the page's language."""

    def label_from_instance(self, obj: Category) -> str:
        return localized(obj)


def _category_field() -> CategoryChoiceField:
    return CategoryChoiceField(
        queryset=Category.objects.filter(is_active=True).order_by("branch", "position", "pk"),
        label=_("Catalogue category"), required=False, empty_label=_("(none)"))


class _ItemTextForm(StaffForm):
    """The fields every item has, turned into ``actions.ItemText``."""

    title = forms.CharField(label=_("Title"), max_length=actions.MAX_TITLE)
    title_en = forms.CharField(label=_("English title"), max_length=actions.MAX_TITLE,
                               required=False)
    formed_on = forms.DateField(
        label=_("Formed or changed on"), widget=DATE_INPUT,
        help_text=_("It is to be published within 20 working days of this date (Art. 26)."))
    summary = forms.CharField(label=_("Summary"), required=False,
                              max_length=actions.MAX_SUMMARY,
                              widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(label=_("Text"), required=False, max_length=actions.MAX_BODY,
                           widget=forms.Textarea(attrs={"rows": 12}),
                           help_text=_("Scripts, frames and inline styles are removed."))
    topic_words = forms.CharField(label=_("Topic words"), required=False, max_length=200)
    category = _category_field()

    def item_text(self, **extra: Any) -> ItemText:
        data = self.cleaned_data
        return ItemText(
            title=data["title"], title_en=data.get("title_en", ""), formed_on=data["formed_on"],
            summary=data.get("summary", ""), body=data.get("body", ""),
            topic_words=data.get("topic_words", ""), category=data.get("category"),
            doc_no=data.get("doc_no", ""), **extra)


class PolicyDocumentForm(_ItemTextForm):
    """A new policy document (a draft, then reviewed and published like every item)."""

    agency = AgencyChoiceField(queryset=Agency.objects.none(), label=_("Issuing agency"),
                               empty_label=None)
    kind = forms.ChoiceField(label=_("Kind"),
                             choices=category_choices(taxonomy.POLICY_KINDS))
    doc_no = forms.CharField(label=_("Document number"), max_length=80, required=False,
                             help_text=_("文号, e.g. 西政发〔2024〕3号."))
    issued_on = forms.DateField(label=_("Written on"), widget=DATE_INPUT,
                                help_text=_("The date the document was signed (成文日期)."))
    field_order = ["agency", "kind", "title", "title_en", "doc_no", "issued_on", "formed_on",
                   "summary", "body", "category", "topic_words"]

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        policy_class = Category.objects.filter(code="gzhgfxwj", is_active=True).first()
        if policy_class is not None:
            self.fields["category"].initial = policy_class.pk


class InterpretationForm(_ItemTextForm):
    """A new interpretation of a policy document (a draft in its agency's catalogue)."""

    prefix = "interpretation"
    submit_label = _("Add the interpretation")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        interpretations = Category.objects.filter(code="zcjd", is_active=True).first()
        if interpretations is not None:
            self.fields["category"].initial = interpretations.pk


class ValidityForm(StaffForm):
    """A dated change of a document's validity, with the document that made it, which is
    found by its 文号 or title among the published documents of the agency and of the
    governments above it (the rule is ``actions.record_validity_change``'s)."""

    prefix = "validity"
    submit_label = _("Record the change")
    validity = forms.ChoiceField(label=_("Validity"), widget=forms.RadioSelect,
                                 choices=category_choices(taxonomy.VALIDITIES))
    changed_on = forms.DateField(label=_("Effective on"), widget=DATE_INPUT)
    by_document = forms.CharField(
        label=_("By document"), required=False, max_length=300,
        help_text=_("The document number (文号) or the full title of the agency's published "
                    "document that amended, repealed or replaced it, if any."))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, document: PolicyDocument, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.document = document
        self.fields["by_document"].widget.attrs["list"] = self.add_prefix("by-document-list")

    def candidates(self) -> QuerySet[PolicyDocument]:
        """The documents that may be named: the other published ones of the agency and
        of the agencies above it."""
        path = self.document.agency.path
        above = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
        return (PolicyDocument.objects
                .filter(agency__path__in=above, state=ItemState.PUBLISHED)
                .exclude(pk=self.document.pk))

    def suggestions(self) -> list[str]:
        """What the field's datalist offers: the newest documents' 文号 or titles."""
        rows = (self.candidates().order_by("-issued_on", "-pk")
                .values_list("doc_no", "title")[:SUGGESTIONS])
        return [doc_no or title for doc_no, title in rows]

    def clean_by_document(self) -> PolicyDocument | None:
        named = self.cleaned_data["by_document"].strip()
        if not named:
            return None
        found = list(self.candidates().filter(Q(doc_no=named) | Q(title=named))[:2])
        if not found:
            raise forms.ValidationError(
                _("No other published document of this agency or of a government above it "
                  "has that document number or title."))
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several documents match: give the document number."))
        return found[0]


class CleanupForm(StaffForm):
    """The clean-up page's bulk step over the documents ticked on the list."""

    prefix = "cleanup"
    submit_label = _("Apply to the documents ticked")
    documents = forms.ModelMultipleChoiceField(
        queryset=PolicyDocument.objects.none(), label=_("Documents"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one document."),
                        "invalid_choice": _("A document ticked is no longer on the list.")})
    action = forms.ChoiceField(
        label=_("Action"), widget=forms.RadioSelect,
        choices=[("expired", _("Mark expired")), ("repealed", _("Mark repealed")),
                 (actions.CONFIRM_IN_FORCE, _("Confirm still in force"))])
    on = forms.DateField(label=_("Effective on"), widget=DATE_INPUT,
                         help_text=_("For a confirmation, the day of the review."))
    reason = forms.CharField(label=_("Reason"), max_length=300,
                             help_text=_("Recorded on every document ticked."))

    def __init__(self, *args: Any, documents: QuerySet[PolicyDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents


class PolicyFilterForm(forms.Form):
    """The list's filters (GET); an invalid value is reported and that filter ignored."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    agency = AgencyChoiceField(queryset=Agency.objects.none(), label=_("Agency"),
                               required=False, empty_label=_("All agencies"))
    validity = forms.ChoiceField(label=_("Validity"), required=False)
    year = forms.TypedChoiceField(label=_("Year written"), required=False, coerce=int,
                                  empty_value=None)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], years: list[int],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")),
                                       *category_choices(taxonomy.POLICY_KINDS)]
        self.fields["validity"].choices = [("", _("Any validity")),
                                           *category_choices(taxonomy.VALIDITIES)]
        self.fields["agency"].queryset = agencies
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]
