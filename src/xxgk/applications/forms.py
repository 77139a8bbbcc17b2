"""The applicant's forms: applying, following an application, correcting, withdrawing.

Forms only check and normalise what was typed; they never write to the database. The
views hand the cleaned values to ``actions``, which is the only layer that changes an
application. Every text field is stripped, bounded and free of control characters, so
that bad input becomes a field error, never a server error or a half-stored record.
There is deliberately no "purpose" field: the Regulation (2019) no longer asks applicants
why they want information.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.core.labels import group_in_page_language, in_page_language
from xxgk.core.templatetags.xxgk import localized

from . import actions, pii
from .models import Delivery, Document, IdDocument, ProvisionForm
from .uploads import MAX_FILES, AttachmentsField

ORGANISATION = "organisation"
APPLICANT_COLUMNS_BY_KEY: dict[str, taxonomy.Category] = {
    c.key: c for c in taxonomy.APPLICANT_COLUMNS
}
ORGANISATION_COLUMNS: tuple[taxonomy.Category, ...] = tuple(
    c for c in taxonomy.APPLICANT_COLUMNS if c.key != taxonomy.NATURAL_PERSON
)
DESCRIPTION_MAX = 2000

# Bidirectional embedding, override and isolate characters can make text display in an
# order other than the one stored; together with C0/C1 controls they are refused.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_MOBILE = re.compile(r"^(?:\+?86-?)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(?:\(?0\d{2,3}\)?-?)?[2-9]\d{6,7}(?:-\d{1,6})?$")
_OTHER_DOCUMENT = re.compile(r"^[A-Z0-9][A-Z0-9()-]{3,28}[A-Z0-9)]$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")



def new_client_token() -> str:
    """The idempotency key of one rendering of the application form."""
    return secrets.token_urlsafe(24)


def has_control_characters(value: str, *, multiline: bool) -> bool:
    allowed = {"\n", "\t"} if multiline else set()
    return any(
        (unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in _BIDI_CONTROLS
        for ch in value
    )


class LineField(forms.CharField):
    """One line of text: stripped, bounded, without control characters."""

    multiline = False

    def to_python(self, value):
        value = super().to_python(value)
        if self.multiline:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value

    def validate(self, value) -> None:
        super().validate(value)
        if has_control_characters(value, multiline=self.multiline):
            raise forms.ValidationError(
                _("Remove the control characters from this field."), code="control_characters"
            )


class TextField(LineField):
    """Several lines of text, typed in a textarea."""

    multiline = True
    widget = forms.Textarea


def _phone(value: str) -> str:
    number = re.sub(r"\s+", "", value)
    if not (_MOBILE.match(number) or _LANDLINE.match(number)):
        raise forms.ValidationError(
            _("Enter a mobile number (11 digits) or a landline number with its area code."),
            code="phone",
        )
    return number


def _radio() -> forms.RadioSelect:
    return forms.RadioSelect(attrs={"class": "choices"})


class ApplicationForm(forms.Form):
    """The disclosure application (政府信息公开申请表), for a natural person or an
    organisation. ``submission()`` turns the cleaned form into ``actions.Submission``."""

    applicant_type = forms.ChoiceField(label=_("Applicant"), widget=_radio(),
                                       initial=taxonomy.NATURAL_PERSON)

    # A natural person
    name = LineField(label=_("Full name"), max_length=100, required=False)
    id_document_type = forms.ChoiceField(label=_("Identity document"),
                                         choices=IdDocument.choices, required=False,
                                         initial=IdDocument.RESIDENT_ID)
    id_number = LineField(label=_("Identity document number"), max_length=30, required=False)

    # A legal person or other organisation
    organisation_name = LineField(label=_("Name of the organisation"), max_length=100,
                                  required=False)
    organisation_kind = forms.ChoiceField(label=_("Kind of organisation"), required=False)
    credit_code = LineField(label=_("Unified social credit code"), max_length=30,
                            required=False, help_text=_("18 characters."))
    contact_person = LineField(label=_("Contact person"), max_length=50, required=False)

    # Contact
    phone = LineField(label=_("Phone"), max_length=30,
                      help_text=_("A mobile number, or a landline number with its area code."))
    email = forms.EmailField(label=_("Email"), max_length=254, required=False,
                             help_text=_("Required if the information is to be sent by email."))
    address = LineField(label=_("Postal address"), max_length=200, required=False,
                        help_text=_("Required if the information is to be sent by post."))
    postcode = LineField(label=_("Postcode"), max_length=6, required=False,
                         validators=[RegexValidator(r"^\d{6}$", _("A postcode has 6 digits."))])

    # The information sought
    description = TextField(
        label=_("Description of the information sought"), max_length=DESCRIPTION_MAX,
        help_text=_("Describe the information as precisely as you can: its subject, the "
                    "period it covers, the agency that made it."),
    )
    document_number = LineField(label=_("Document title or number (if known)"),
                                max_length=100, required=False)
    agency = forms.ChoiceField(
        label=_("Agency"), required=False,
        help_text=_("Choose the agency that holds the information, or “not sure”: the "
                    "OGI office will then pass your application to the right agency."),
    )
    provision_form = forms.ChoiceField(label=_("Form in which to provide the information"),
                                       choices=ProvisionForm.choices, widget=_radio(),
                                       initial=ProvisionForm.ELECTRONIC)
    delivery = forms.ChoiceField(label=_("How to receive it"), choices=Delivery.choices,
                                 widget=_radio(), initial=Delivery.ONLINE)

    identity_proof = AttachmentsField(
        label=_("Proof of identity"),
        help_text=_("For example both sides of the identity card, or the organisation's "
                    "business licence. PDF, JPEG or PNG, at most 5 MB each."),
    )
    authorisation = AttachmentsField(
        label=_("Letter of authorisation"),
        help_text=_("If someone applies on the applicant's behalf. PDF, JPEG or PNG, at "
                    "most 5 MB each."),
    )

    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_token", new_client_token())
        super().__init__(*args, **kwargs)
        self.natural_person_label = in_page_language(APPLICANT_COLUMNS_BY_KEY[taxonomy.NATURAL_PERSON])
        self.organisation_label = group_in_page_language(ORGANISATION_COLUMNS[0])
        self.fields["applicant_type"].choices = [
            (taxonomy.NATURAL_PERSON, self.natural_person_label),
            (ORGANISATION, self.organisation_label),
        ]
        self.fields["organisation_kind"].choices = [
            ("", "—"), *((c.key, in_page_language(c)) for c in ORGANISATION_COLUMNS)
        ]
        self.fields["agency"].choices = agency_choices()

    @property
    def is_organisation(self) -> bool:
        return self.cleaned_data.get("applicant_type") == ORGANISATION

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"])

    def clean_agency(self) -> Agency | None:
        value = self.cleaned_data["agency"]
        return Agency.objects.filter(pk=value, is_active=True).first() if value else None

    def clean_client_token(self) -> str:
        token = self.cleaned_data["client_token"]
        if not _TOKEN.match(token):
            raise forms.ValidationError(_("Open the application form again and resubmit it."),
                                        code="token")
        return token

    def clean(self) -> dict:
        data = super().clean()
        if "applicant_type" in data:
            if self.is_organisation:
                self._clean_organisation(data)
            else:
                self._clean_natural_person(data)
        delivery = data.get("delivery")
        if delivery == Delivery.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Give an email address to receive the information by "
                                      "email."))
        if delivery == Delivery.POST and not data.get("address") and "address" not in self.errors:
            self.add_error("address", _("Give a postal address to receive the information by "
                                        "post."))
        attachments = len(data.get("identity_proof") or ()) + len(data.get("authorisation") or ())
        if attachments > MAX_FILES:
            self.add_error("authorisation", forms.ValidationError(
                _("Attach at most %(max)d files in all."), code="too_many",
                params={"max": MAX_FILES}))
        return data

    def _require(self, data: dict, *names: str) -> None:
        for name in names:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, forms.ValidationError(
                    self.fields[name].error_messages["required"], code="required"))

    def _clean_natural_person(self, data: dict) -> None:
        self._require(data, "name", "id_document_type", "id_number")
        number, kind = data.get("id_number"), data.get("id_document_type")
        if not number or not kind:
            return
        if kind == IdDocument.RESIDENT_ID:
            valid = pii.valid_resident_id(number)
            if valid is None:
                self.add_error("id_number", _("This is not a valid resident identity card "
                                              "number: check every digit and the last "
                                              "character."))
            else:
                data["id_number"] = valid
        else:
            normalised = re.sub(r"\s+", "", number).upper()
            if not _OTHER_DOCUMENT.match(normalised):
                self.add_error("id_number", _("Enter the document number as printed: 5 to 30 "
                                              "letters and digits."))
            else:
                data["id_number"] = normalised

    def _clean_organisation(self, data: dict) -> None:
        self._require(data, "organisation_name", "organisation_kind", "credit_code",
                      "contact_person")
        code = data.get("credit_code")
        if code:
            valid = pii.valid_credit_code(code)
            if valid is None:
                self.add_error("credit_code", _("This is not a valid unified social credit "
                                                "code: check every character."))
            else:
                data["credit_code"] = valid

    def submission(self) -> actions.Submission:
        """The cleaned form as the actions layer takes it (call after ``is_valid()``)."""
        data = self.cleaned_data
        contact = {"phone": data["phone"], "email": data["email"], "address": data["address"],
                   "postcode": data["postcode"]}
        if self.is_organisation:
            column, name, document = data["organisation_kind"], data["organisation_name"], ""
            identity = pii.Identity(id_number=data["credit_code"],
                                    contact_person=data["contact_person"], **contact)
        else:
            column, name = taxonomy.NATURAL_PERSON, data["name"]
            document = data["id_document_type"]
            identity = pii.Identity(id_number=data["id_number"], **contact)
        attachments = tuple(
            (kind, a.name, a.content_type, a.content)
            for kind, field in ((Document.Kind.IDENTITY_PROOF, "identity_proof"),
                                (Document.Kind.AUTHORISATION, "authorisation"))
            for a in data[field]
        )
        return actions.Submission(
            applicant_column=column, applicant_name=name, id_document_type=document,
            identity=identity, description=data["description"],
            document_number=data["document_number"], provision_form=data["provision_form"],
            delivery=data["delivery"], agency=data["agency"], attachments=attachments,
        )


def agency_choices() -> list:
    """The active agencies grouped by kind (one optgroup each), named in the page's
    language, after the "not sure" choice."""
    agencies = list(Agency.objects.filter(is_active=True).order_by("path"))
    groups = [
        (label, [(str(a.pk), localized(a)) for a in agencies if a.kind == kind])
        for kind, label in Agency.Kind.choices
    ]
    return [("", _("Not sure")), *((label, options) for label, options in groups if options)]


class FollowForm(forms.Form):
    """The application number and private query code that open an application."""

    number = LineField(label=_("Application number"), max_length=30)
    query_code = LineField(label=_("Query code"), max_length=30,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def clean_number(self) -> str:
        return self.cleaned_data["number"].upper()


class CorrectionForm(forms.Form):
    """The applicant's corrected application, in answer to a correction request."""

    description = TextField(label=_("Corrected description of the information sought"),
                            max_length=DESCRIPTION_MAX)
    attachments = AttachmentsField(
        label=_("Attachments"),
        help_text=_("Up to 3 files; PDF, JPEG or PNG, at most 5 MB each."),
    )

    def attachment_tuples(self) -> tuple[tuple[str, str, str, bytes], ...]:
        return tuple((Document.Kind.APPLICANT_OTHER, a.name, a.content_type, a.content)
                     for a in self.cleaned_data["attachments"])


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(label=_("I withdraw this application."))
    reason = TextField(label=_("Reason (optional)"), max_length=500, required=False,
                       widget=forms.Textarea(attrs={"rows": 3}))
