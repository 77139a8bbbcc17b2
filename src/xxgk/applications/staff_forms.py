"""The forms of the staff workbench for applications.

Forms only validate and convert input; each action form feeds exactly one function of
``actions.py`` (the view makes the call), and what the law forbids is left to the action,
whose ``StepError`` the view shows as a form error. Every text field has a length limit,
so that no input can store more than the models hold.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from pathlib import PurePath
from typing import Any

import filetype
from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from xxgk import taxonomy
from xxgk.agencies import access
from xxgk.agencies.models import Agency
from xxgk.core import file_checks
from xxgk.core.labels import article_in_page_language, group_in_page_language, in_page_language
from xxgk.core.templatetags.xxgk import localized
from xxgk.workbench.forms import DATE_INPUT, AgencyChoiceField, StaffForm

from . import actions, clock, deadlines, inbox
from .fees import FeeMethod
from .forms import ApplicationForm
from .models import Application, Channel, Status

# Lengths of free text. The event note holds at most 5,000 characters (see models).
NOTE_MAX = 5_000
SHORT_MAX = 200
LEGAL_BASIS_MAX = 500
SEARCH_MAX = 100
MAX_DUE_WITHIN = 100
MAX_PAGES = 1_000_000
# The code of a form error that is the action's own refusal of the step (the API answers it
# with 409, as it answers the action's StepError), not an invalid field.
STEP_REFUSED = "step_refused"

# Released documents: what may be attached to a reply, recognised by content, not by name.
RELEASED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}
MAX_RELEASED_FILES = 20
MAX_RELEASED_BYTES = 20 * 1024 * 1024
FILENAME_MAX = 200



def outcome_label(key: str) -> str:
    category = taxonomy.OUTCOMES_BY_KEY.get(key)
    if category is None:
        return key
    group = group_in_page_language(category)
    return f"{group} · {in_page_language(category)}" if group else in_page_language(category)


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE_INPUT,
                           initial=timezone.localdate, help_text=help_text)


def _text(label: Any, *, max_length: int = NOTE_MAX, required: bool = True, rows: int = 3,
          help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required,
                           help_text=help_text, widget=forms.Textarea(attrs={"rows": rows}))


# ---- The inbox ------------------------------------------------------------------------------

class InboxFilterForm(StaffForm):
    """The inbox's GET parameters. Invalid ones are reported and otherwise ignored."""

    q = forms.CharField(label=_("Application number or applicant name"), required=False,
                        max_length=SEARCH_MAX)
    show = forms.ChoiceField(label=_("Show"), required=False, initial=inbox.Show.OPEN, choices=[
        (inbox.Show.OPEN, _("Open applications")),
        (inbox.Show.CLOSED, _("Closed applications")),
        (inbox.Show.ALL, _("All applications")),
    ])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *Status.choices],
                               help_text=_("A chosen status overrides “Show”."))
    clock_state = forms.ChoiceField(
        label=_("Clock"), required=False,
        choices=[("", _("Any")), *((k.value, v) for k, v in inbox.CLOCK_STATE_LABELS.items()
                                   if k is not clock.ClockState.CLOSED)])
    due_within = forms.IntegerField(
        label=_("Due within (working days)"), required=False, min_value=0,
        max_value=MAX_DUE_WITHIN)
    handler = forms.ChoiceField(label=_("Handler"), required=False)
    applicant_column = forms.ChoiceField(label=_("Applicant type"), required=False)
    agency = AgencyChoiceField(label=_("Agency"), required=False, queryset=Agency.objects.none(),
                               empty_label=_("All agencies in your scope"))
    sort = forms.ChoiceField(label=_("Sort by"), required=False, initial=inbox.Sort.DUE, choices=[
        (inbox.Sort.DUE, _("Due date")),
        (inbox.Sort.ARRIVED, _("Arrival (oldest first)")),
        (inbox.Sort.NUMBER, _("Number")),
    ])

    def __init__(self, data: Any, *, user: Any) -> None:
        super().__init__(data)
        self.fields["handler"].choices = [
            ("", _("Anyone")), (inbox.UNASSIGNED, _("Unassigned")),
            *((str(pk), name) for pk, name in inbox.handler_choices(user)),
        ]
        self.fields["applicant_column"].choices = [
            ("", _("Any")), *((c.key, in_page_language(c)) for c in taxonomy.APPLICANT_COLUMNS)]
        self.fields["agency"].queryset = access.visible_agencies(user).order_by("path")

    def filters(self) -> inbox.InboxFilters:
        """The valid parameters as inbox filters; an invalid one is left at its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return inbox.InboxFilters(
            status=data.get("status") or "",
            clock_state=data.get("clock_state") or "",
            handler=data.get("handler") or "",
            applicant_column=data.get("applicant_column") or "",
            agency=data.get("agency"),
            due_within=data.get("due_within"),
            show=data.get("show") or inbox.Show.OPEN,
            sort=data.get("sort") or inbox.Sort.DUE,
            q=data.get("q") or "",
        )


# ---- Action forms ---------------------------------------------------------------------------


class ActionForm(StaffForm):
    """A form for one action on one application, by one member of staff."""

    def __init__(self, *args: Any, application: Application, user: Any, **kwargs: Any) -> None:
        self.application = application
        self.user = user
        super().__init__(*args, **kwargs)


class ConfirmReceiptForm(ActionForm):
    title = _("Confirm receipt")
    submit_label = _("Confirm receipt")

    received_on = _date_field(
        _("Confirmed receipt date"),
        help_text=_("Art. 31: online, the day both sides confirm; in person, the day "
                    "submitted; registered post, the day signed for. The clock runs from it."))


class AssignForm(ActionForm):
    title = _("Assign to a handler")
    submit_label = _("Assign")

    handler = forms.ModelChoiceField(label=_("Handler"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        handlers = inbox.handlers_of(self.application.agency)
        field = self.fields["handler"]
        field.queryset = get_user_model().objects.filter(pk__in=[u.pk for u in handlers]) \
            .order_by("username")
        field.label_from_instance = lambda u: u.get_full_name() or u.get_username()


class TransferForm(ActionForm):
    title = _("Transfer to another agency")
    submit_label = _("Transfer")

    to_agency = AgencyChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    reason = _text(_("Reason for the transfer"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = inbox.transfer_targets(self.application)


class CorrectionForm(ActionForm):
    title = _("Request correction")
    submit_label = _("Request correction")

    what = _text(_("What the applicant must correct"),
                 help_text=_("Art. 30: say everything at once; only one request is allowed."))
    deadline = forms.DateField(label=_("Correct by"), widget=DATE_INPUT)
    on = _date_field(_("Date of the request"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The last day the law allows, shown before the handler tries (Art. 30).
        last = deadlines.correction_deadline(self.application)
        if last is None:
            return
        if last.known:
            text = _("Art. 30: the applicant may be asked to correct the application only "
                     "within %(days)d working days of receipt, that is by %(day)s at the latest.")
        else:
            text = _("Art. 30: within %(days)d working days of receipt, that is by %(day)s "
                     "counting weekends only; the holiday notice of a year in the period has "
                     "not been entered, so the last day may be later.")
        self.fields["on"].help_text = text % {"days": last.working_days,
                                              "day": last.last_day.isoformat()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        on = data.get("on")
        if on is not None:
            late = deadlines.late_correction_message(self.application, on)
            if late is not None:
                # The action would refuse it the same way; the code tells the API that this
                # is a refused step (409), not an invalid field.
                self.add_error("on", forms.ValidationError(late, code=STEP_REFUSED))
        return data


class ConsultationForm(ActionForm):
    title = _("Send a consultation")
    submit_label = _("Send consultation")

    party = forms.CharField(label=_("Party consulted"), max_length=SHORT_MAX)
    party_kind = forms.ChoiceField(label=_("Kind"), choices=[
        (clock.ConsultationKind.THIRD_PARTY.value, _("Third party (Art. 32)")),
        (clock.ConsultationKind.AGENCY.value, _("Another agency (Art. 34)")),
    ], help_text=_("The time until the answer, at most 15 working days, is not counted."))
    on = _date_field(_("Date sent"))


class ConsultationAnswerForm(ActionForm):
    title = _("Record a consultation answer")
    submit_label = _("Record answer")

    party = forms.ChoiceField(label=_("Party"))
    summary = _text(_("Summary of the answer"), required=False)
    on = _date_field(_("Date received"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        waiting = actions.open_consultations(self.application)
        self.fields["party"].choices = [(p, p) for p in dict.fromkeys(waiting)]


class ExtensionRequestForm(ActionForm):
    title = _("Request an extension")
    submit_label = _("Request extension")

    days = forms.IntegerField(
        label=_("Working days"), min_value=1,
        max_value=clock.DEFAULT_RULES.max_extension_working_days,
        help_text=_("Art. 33: one extension of at most 20 working days, approved by the head "
                    "of the OGI office."))
    reason = _text(_("Reason"))


class ExtensionApprovalForm(ActionForm):
    title = _("Approve the extension")
    submit_label = _("Approve extension")

    on = _date_field(_("Date of approval"))


class FeeNoticeForm(ActionForm):
    title = _("Fee notice")
    submit_label = _("Send fee notice")

    method = forms.ChoiceField(label=_("Method"), choices=[
        (FeeMethod.BY_APPLICATION.value, _("By application (the applicant's count this month)")),
        (FeeMethod.BY_VOLUME.value, _("By volume (A4 pages)")),
    ])
    pages = forms.IntegerField(label=_("Pages"), required=False, min_value=0,
                               max_value=MAX_PAGES, help_text=_("Needed for “by volume”."))
    on = _date_field(_("Date of the notice"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("method") == FeeMethod.BY_VOLUME and data.get("pages") is None \
                and "pages" not in self.errors:
            self.add_error("pages", _("Enter the number of pages."))
        return data


class FeePaymentForm(ActionForm):
    title = _("Record the fee payment")
    submit_label = _("Record payment")

    amount = forms.DecimalField(label=_("Amount paid (yuan)"), min_value=0, max_digits=12,
                                decimal_places=2)
    on = _date_field(_("Date paid"))


class FeeWaiverForm(ActionForm):
    title = _("Waive the fee")
    submit_label = _("Waive fee")

    reason = _text(_("Reason for the waiver"))
    on = _date_field(_("Date of the decision"))


class OutcomeSelect(forms.Select):
    """Options carry their article, so a script can pre-fill the legal basis."""

    def create_option(self, name: str, value: Any, label: Any, selected: Any, index: int,
                      subindex: int | None = None, attrs: dict | None = None) -> dict:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        category = taxonomy.OUTCOMES_BY_KEY.get(str(value))
        if category is not None and category.article:
            option["attrs"]["data-article"] = category.article
        return option


def outcome_choices(keys: list[str] | None = None) -> list[tuple[Any, Any]]:
    """Section 三's rows as <select> choices, grouped under their printed headings."""
    choices: list[tuple[Any, Any]] = [("", _("Choose the outcome"))]
    groups: dict[str, list[tuple[str, str]]] = {}
    for category in taxonomy.OUTCOMES:
        if keys is not None and category.key not in keys:
            continue
        label = in_page_language(category)
        if category.article:
            article = article_in_page_language(category.article)
            label = f"{label} ({article})" if get_language() == "en" else f"{label}（{article}）"
        if category.group_zh:
            if category.group_zh not in groups:
                groups[category.group_zh] = []
                choices.append((group_in_page_language(category), groups[category.group_zh]))
            groups[category.group_zh].append((category.key, label))
        else:
            choices.append((category.key, label))
    return choices


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class ReleasedFilesField(forms.FileField):
    """Any number of files, each recognised by its content as one of :data:`RELEASED_TYPES`.

    Cleans to a list of ``(name, content type, content)``, the shape ``actions.reply`` takes.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[tuple[str, str, bytes]]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_RELEASED_FILES:
            raise forms.ValidationError(
                _("Attach at most %(n)d files.") % {"n": MAX_RELEASED_FILES})
        return [self._one(super(ReleasedFilesField, self).clean(f, initial)) for f in files]

    @staticmethod
    def _one(upload: UploadedFile) -> tuple[str, str, bytes]:
        if upload.size > MAX_RELEASED_BYTES:
            raise forms.ValidationError(
                _("%(name)s is larger than %(mb)d MB.")
                % {"name": upload.name, "mb": MAX_RELEASED_BYTES // (1024 * 1024)})
        content = upload.read()
        kind = filetype.guess(content)
        if kind is None or kind.mime not in RELEASED_TYPES:
            raise forms.ValidationError(
                _("%(name)s is not a PDF, DOCX, XLSX, JPEG or PNG file.") % {"name": upload.name})
        if refused := file_checks.content_refusal(kind.mime, content):
            raise forms.ValidationError(_("%(name)s: %(reason)s")
                                        % {"name": upload.name, "reason": refused})
        # The name without directories, quotes or control characters, and with the suffix
        # of what the file really is, so that it opens as that when downloaded.
        base = PurePath(PurePath((upload.name or "").replace("\\", "/")).name).stem
        stem = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C" and ch != '"')
        stem = stem.strip(" .") or "document"
        name = f"{stem[: FILENAME_MAX - 10]}.{kind.extension}"
        return name, kind.mime, content


class ReplyForm(ActionForm):
    title = _("Reply")
    submit_label = _("Send the reply and close")

    outcome = forms.ChoiceField(label=_("Outcome"), widget=OutcomeSelect,
                                help_text=_("Exactly one row of section 三 of the annual report."))
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=LEGAL_BASIS_MAX, required=False,
        help_text=_("Left empty, the article of the chosen outcome is cited."))
    body = _text(_("Reply text"), required=False, rows=8)
    responsible_agency = forms.CharField(
        label=_("Responsible agency"), max_length=SHORT_MAX, required=False,
        help_text=_("For “information not held by this agency”: name the responsible agency "
                    "where known (Art. 36(5))."))
    released = ReleasedFilesField(
        label=_("Released documents"), required=False,
        help_text=_("PDF, DOCX, XLSX, JPEG or PNG; at most 20 files of 20 MB each."))
    on = _date_field(_("Date of the reply"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keys = None
        if self.application.status == Status.AWAITING_CORRECTION:
            # While a correction is awaited the only possible answer is the lapse.
            keys = ["other.correction_overdue"]
        self.fields["outcome"].choices = outcome_choices(keys)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        category = taxonomy.OUTCOMES_BY_KEY.get(data.get("outcome") or "")
        if category is not None and not (data.get("legal_basis") or "").strip():
            if category.article:
                data["legal_basis"] = f"《政府信息公开条例》{category.article}" \
                    if category.article.startswith("第") else category.article
            else:
                self.add_error("legal_basis",
                               _("This outcome has no article of its own: state the legal basis."))
        return data


class CorrectOutcomeForm(ActionForm):
    title = _("Correct the outcome")
    submit_label = _("Correct the outcome")

    outcome = forms.ChoiceField(label=_("New outcome"), widget=OutcomeSelect)
    reason = _text(_("Reason for the correction"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = outcome_choices(
            [k for k in taxonomy.OUTCOME_KEYS if k != self.application.outcome])


# ---- Registering an application that did not arrive online --------------------------------


def _now_to_the_minute() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


class RegisterForm(ApplicationForm):
    """An application that came by post, in person, by fax or orally (Art. 29: the office
    fills in the form for an oral one), or one still open from before xxgk, as the office
    registers it: the applicant's form with its fields and checks, plus how and when it
    arrived, for one of the agencies the user may register for.

    The idempotency token of the applicant's form is kept, so a double submit registers
    once. ``submission()`` carries the channel; the view passes ``arrived_at`` and
    ``received_on`` to ``actions.submit_application`` beside it.
    """

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(value, label) for value, label in Channel.choices if value != Channel.ONLINE])
    arrived_at = forms.DateTimeField(
        label=_("Arrived"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("The day and time the letter was signed for, the form handed in, the fax "
                    "received or the oral application made. For an application still open "
                    "from before xxgk, its real arrival."))
    received_on = forms.DateField(
        label=_("Confirmed receipt date"), required=False, widget=DATE_INPUT,
        help_text=_("In person, orally and by registered post it is the day of arrival "
                    "(Art. 31); left empty, that day is filled in. By ordinary letter or fax "
                    "it is the day the office confirmed the application with the applicant; "
                    "leave it empty if that has not happened yet."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("arrived_at", _now_to_the_minute())
        super().__init__(*args, **kwargs)
        self.use_required_attribute = False
        self.user = user
        self.agencies = list(access.writable_agencies(user).order_by("path"))
        field = self.fields["agency"]
        field.required = True
        field.choices = [("", "—"), *((str(a.pk), localized(a)) for a in self.agencies)]
        field.help_text = _("The agency the application was made to; only the agencies you "
                            "may register applications for are listed.")
        if len(self.agencies) == 1:
            field.initial = str(self.agencies[0].pk)

    def agency_outside_scope(self) -> bool:
        """Whether the form names an existing agency the user may not register for: a
        forged form, answered as a refusal rather than a field error."""
        value = str(self.data.get(self.add_prefix("agency"), "")).strip()
        if (not re.fullmatch(r"[0-9]{1,18}", value)
                or any(str(a.pk) == value for a in self.agencies)):
            return False
        return Agency.objects.filter(pk=int(value)).exists()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        arrived = data.get("arrived_at")
        if arrived is None:
            return data
        if arrived.date() < actions.EARLIEST_ARRIVAL:
            self.add_error("arrived_at", actions.too_early_message())
            return data
        if arrived > timezone.now():
            self.add_error("arrived_at", _("The arrival cannot be in the future."))
            return data
        arrived_on = timezone.localtime(arrived).date()
        received = data.get("received_on")
        if data.get("channel") in actions.RECEIPT_ON_ARRIVAL:
            if received is None:
                data["received_on"] = arrived_on
            elif received != arrived_on:
                self.add_error("received_on", _("In person, orally and by registered post, the "
                                                "receipt date is the day the application "
                                                "arrived (Art. 31)."))
        elif received is not None and received < arrived_on:
            self.add_error("received_on", _("The receipt date cannot be before the "
                                            "application arrived."))
        elif received is not None and received > timezone.localdate():
            self.add_error("received_on", _("The date is in the future."))
        return data

    def submission(self) -> actions.Submission:
        return dataclasses.replace(super().submission(), channel=self.cleaned_data["channel"])
