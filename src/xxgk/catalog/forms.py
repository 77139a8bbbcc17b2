"""Forms of the catalogue's staff pages: they parse and check input; the actions decide
and write (``actions.py`` keeps every rule; a refused step comes back as ``StepError`` and
the view puts it on the field it names)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.core.labels import category_choices, in_page_language
from xxgk.core.steps import StepError
from xxgk.core.templatetags.xxgk import localized
from xxgk.core.today import today
from xxgk.workbench.forms import DATE_INPUT, AgencyChoiceField, StaffForm

from . import actions, files
from .models import Category, InfoItem, ItemState

STATE_CHOICES = [("", _("All states")), *ItemState.choices]
DEADLINE_CHOICES = [("", _("Any")), ("due", _("Due soon")), ("late", _("Late"))]


def grouped_categories(*, active_only: bool = True) -> list[tuple[Any, Any]]:
    """The tree's nodes grouped by branch, children indented under their parents, named in
    the page's language (built per form, so per request and language)."""
    nodes = Category.objects.order_by("position", "pk")
    if active_only:
        nodes = nodes.filter(is_active=True)
    children: dict[int | None, list[Category]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    groups = []
    for branch in taxonomy.CATALOGUE_BRANCHES:
        options: list[tuple[str, str]] = []

        def walk(parent: int | None, depth: int, key: str = branch.key,
                 options: list[tuple[str, str]] = options) -> None:
            for node in children.get(parent, []):
                if node.branch == key:
                    options.append((str(node.pk), "\u3000" * depth + localized(node)))
                    walk(node.pk, depth + 1)

        walk(None, 0)
        if options:
            groups.append((in_page_language(branch), options))
    return groups


class CategoryField(forms.ChoiceField):
    """A node of the catalogue tree, chosen from the grouped list; cleans to the Category."""

    def __init__(self, *, active_only: bool = True, empty_label: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.active_only = active_only
        self.empty_label = empty_label or _("No category")

    def load(self) -> None:
        self.choices = [("", self.empty_label), *grouped_categories(active_only=self.active_only)]

    def clean(self, value: Any) -> Category | None:
        value = super().clean(value)
        if not value:
            return None
        try:
            return Category.objects.get(pk=int(value))
        except (ValueError, Category.DoesNotExist) as exc:
            raise forms.ValidationError(_("Choose a category of the catalogue.")) from exc


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern); cleans to a list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data if d]
        return [one(data, initial)] if data else []


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_INPUT, **kwargs)


def _text(label: Any, max_length: int, *, rows: int | None = None, **kwargs: Any
          ) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, max_length=max_length, required=False, strip=True,
                           widget=widget, **kwargs)


def key_area_kept(item: InfoItem | None) -> bool:
    """Whether ``item`` is a key-area item other than by its category (marked by an import
    or the demo): kept when staff rewrite it. A key-area category marks it by itself."""
    if item is None or not item.key_area:
        return False
    return not (item.category is not None and item.category.is_key_area)


class ContentForm(StaffForm):
    """The content fields an item and a correction share."""

    title = forms.CharField(label=_("Title"), max_length=actions.MAX_TITLE)
    title_en = _text(_("English title"), actions.MAX_TITLE,
                     help_text=_("Shown on the English pages; without it they show the "
                                 "Chinese title, marked as Chinese."))
    doc_no = _text(_("Document number"), 80, help_text=_("文号, e.g. 京西政发〔2025〕3号."))
    summary = _text(_("Summary"), actions.MAX_SUMMARY, rows=3)
    topic_words = _text(_("Topic words"), 200,
                        help_text=_("主题词, separated by spaces or commas."))
    category = CategoryField(label=_("Catalogue category"), required=False,
                             help_text=_("A key-area category makes the item a key-area item."))
    body = _text(_("Text"), actions.MAX_BODY, rows=12,
                 help_text=_("Plain text, or HTML pasted from a document: scripts, frames, "
                             "styles and event attributes are removed when it is saved."))
    body_en = _text(_("English text"), actions.MAX_BODY, rows=6)

    def __init__(self, *args: Any, item: InfoItem | None = None, **kwargs: Any) -> None:
        self.item = item
        super().__init__(*args, **kwargs)
        self.fields["category"].load()

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("title", "title_en", "doc_no", "summary",
                                              "topic_words", "category", "body", "body_en")}


class ItemForm(ContentForm):
    """A new item or a draft: the content, the dates, the disclosure attribute, where else
    it went out, and files to attach."""

    field_order = ["agency", "title", "title_en", "doc_no", "summary", "topic_words",
                   "category", "formed_on", "attribute", "withholding_ground", "body",
                   "body_en", "channels", "attachments"]

    agency = AgencyChoiceField(queryset=Agency.objects.none(), label=_("Agency"),
                               empty_label=None)
    formed_on = _date(_("Formed or changed on"),
                      help_text=_("Art. 26: proactive information is published within 20 "
                                  "working days of this date."))
    attribute = forms.ChoiceField(
        label=_("Disclosure attribute"), widget=forms.RadioSelect,
        choices=category_choices(taxonomy.DISCLOSURE_ATTRIBUTES), initial="proactive",
        help_text=_("Decided at the source: only proactive items are ever published."))
    withholding_ground = forms.ChoiceField(
        label=_("Ground for withholding"), required=False,
        choices=[("", _("Choose the legal ground")),
                 *category_choices(taxonomy.WITHHOLDING_GROUNDS)],
        help_text=_("Only for an item withheld."))
    channels = forms.MultipleChoiceField(
        label=_("Also published on"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=category_choices(taxonomy.CHANNELS))
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, agencies: QuerySet[Agency] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.item is None:
            self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        else:
            del self.fields["agency"]
        self.checked_files: list[files.CheckedFile] = []
        # Worded here, not at import: the request limit is a setting.
        self.fields["attachments"].help_text = gettext(
            "PDF, Word, Excel, OFD or images, judged by their content, not their name: at "
            "most %(mb)d MB each, %(total)d MB in one save, and %(n)d per item.") % {
            "mb": files.MAX_ATTACHMENT_BYTES // (1024 * 1024),
            "total": settings.XXGK_MAX_REQUEST_BYTES // (1024 * 1024),
            "n": files.MAX_ATTACHMENTS}

    def clean_attachments(self) -> list[Any]:
        """Every file judged by ``files.check_file``; all refusals are reported together,
        and none is attached unless all pass."""
        uploads = self.cleaned_data.get("attachments") or []
        held = self.item.attachments.count() if self.item is not None else 0
        if held + len(uploads) > files.MAX_ATTACHMENTS:
            raise forms.ValidationError(_("An item has at most %(n)d attachments.")
                                        % {"n": files.MAX_ATTACHMENTS})
        errors, checked = [], []
        for upload in uploads:
            if upload.size > files.MAX_ATTACHMENT_BYTES:
                # Refused by its size alone, without reading it into memory.
                content = b"\0" * (files.MAX_ATTACHMENT_BYTES + 1)
            else:
                content = upload.read()
            try:
                checked.append(files.check_file(upload.name, content))
            except StepError as error:
                errors.append(error.message)
        if errors:
            raise forms.ValidationError(errors)
        self.checked_files = checked
        return uploads

    def text(self) -> actions.ItemText:
        data = self.cleaned_data
        return actions.ItemText(
            **self.content(), formed_on=data["formed_on"], attribute=data["attribute"],
            withholding_ground=data["withholding_ground"], channels=tuple(data["channels"]),
            key_area=key_area_kept(self.item))

    @classmethod
    def initial_for(cls, item: InfoItem) -> dict[str, Any]:
        return {
            "title": item.title, "title_en": item.title_en, "doc_no": item.doc_no,
            "summary": item.summary, "topic_words": item.topic_words,
            "category": item.category_id or "", "formed_on": item.formed_on,
            "attribute": item.attribute, "withholding_ground": item.withholding_ground,
            "body": item.body, "body_en": item.body_en,
            "channels": list(item.channels.values_list("channel", flat=True)),
        }


class CorrectionForm(ContentForm):
    """A corrected version of a published item, with the reason; reviewed like a draft."""

    submit_label = _("Send the correction to review")
    reason = forms.CharField(label=_("What the correction changes and why"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def text(self) -> actions.ItemText:
        assert self.item is not None
        return actions.ItemText(**self.content(), formed_on=self.item.formed_on,
                                key_area=key_area_kept(self.item))

    @classmethod
    def initial_for(cls, item: InfoItem) -> dict[str, Any]:
        initial = ItemForm.initial_for(item)
        return {name: initial[name] for name in cls.base_fields if name in initial}


class SubmitForm(StaffForm):
    title = _("Send to confidentiality review")
    submit_label = _("Submit for review")


class PublishForm(StaffForm):
    title = _("Approve and publish")
    submit_label = _("Approve and publish")
    published_on = _date(_("Published on"), help_text=_("The day the item goes out; the "
                                                         "annual report counts it that year."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["published_on"].initial = today()


class ReturnForm(StaffForm):
    title = _("Return to the drafter")
    submit_label = _("Return with this comment")
    comment = forms.CharField(label=_("What has to change"), max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(StaffForm):
    title = _("Withdraw")
    submit_label = _("Withdraw the item")
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Kept with the item and shown to staff."))


class ChannelsForm(StaffForm):
    title = _("Also published on")
    submit_label = _("Save the channels")
    channels = forms.MultipleChoiceField(
        label=_("Channels"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=category_choices(taxonomy.CHANNELS))


class ReviewCorrectionForm(StaffForm):
    """Approve a correction or return it; the button pressed is the decision."""

    title = _("Review the correction")
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))],
                                 widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("Required when you return the correction."))


class FilterForm(forms.Form):
    """The list's filters (GET); an invalid value is reported and that filter ignored."""

    q = forms.CharField(label=_("Title, index number or document number"), required=False,
                        max_length=100)
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATE_CHOICES)
    agency = AgencyChoiceField(queryset=Agency.objects.none(), label=_("Agency"),
                               required=False, empty_label=_("All agencies"))
    category = CategoryField(label=_("Catalogue category"), required=False, active_only=False,
                             empty_label=_("All categories"))
    deadline = forms.ChoiceField(label=_("Deadline (Art. 26)"), required=False,
                                 choices=DEADLINE_CHOICES)
    within = forms.IntegerField(label=_("Due within (working days)"), required=False,
                                min_value=1, max_value=20)

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["category"].load()
        self.fields["within"].widget.attrs["placeholder"] = str(self.default_within())

    @staticmethod
    def default_within() -> int:
        return settings.XXGK_DUE_SOON_WORKING_DAYS

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid one is dropped (and shown as an error)."""
        if not self.is_bound:
            return {"within": self.default_within()}
        self.is_valid()
        data = {name: value for name, value in getattr(self, "cleaned_data", {}).items()
                if name not in self.errors}
        data["within"] = data.get("within") or self.default_within()
        return data


# ---- The catalogue tree --------------------------------------------------------------------

class NodeForm(StaffForm):
    """A node's names and place; the code and the branch are fixed once it exists."""

    submit_label = _("Save the node")
    name = forms.CharField(label=_("Name"), max_length=60)
    name_en = forms.CharField(label=_("English name"), max_length=80, required=False)
    article = forms.CharField(label=_("Article"), max_length=40, required=False,
                              help_text=_("The article of the regulation, e.g. 第二十条第五项."))
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=10_000,
                                  initial=0,
                                  help_text=_("Nodes are listed by this number, smallest first."))

    def category_text(self) -> actions.CategoryText:
        data = self.cleaned_data
        return actions.CategoryText(name=data["name"], name_en=data["name_en"],
                                    article=data["article"], position=data["position"] or 0)


class NewNodeForm(NodeForm):
    title = _("Add a node")
    submit_label = _("Add the node")
    field_order = ["branch", "parent", "code", "name", "name_en", "article", "position"]
    branch = forms.ChoiceField(label=_("Branch"),
                               choices=category_choices(taxonomy.CATALOGUE_BRANCHES))
    parent = CategoryField(label=_("Under"), required=False, active_only=True,
                           empty_label=_("At the top of the branch"))
    code = forms.CharField(label=_("Code"), max_length=40,
                           help_text=_("Letters, digits, - or _; part of the public address, "
                                       "never changed."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].load()


class EditNodeForm(NodeForm):
    title = _("Rename, reorder or retire")
    is_active = forms.BooleanField(label=_("In use"), required=False,
                                   help_text=_("A retired node keeps its items but takes no "
                                               "new ones."))
