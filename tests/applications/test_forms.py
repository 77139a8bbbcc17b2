"""The application form: what it accepts, what it refuses, and what it hands to actions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from tests.applications.helpers import ADDRESS, EMAIL, ID_NUMBER, PHONE
from tests.applications.test_uploads import EXE, PDF, PNG
from xxgk.applications import pii
from xxgk.applications.forms import (
    ApplicationForm,
    CorrectionForm,
    FollowForm,
    WithdrawForm,
    agency_choices,
)

pytestmark = pytest.mark.django_db

CREDIT_CODE = "91110000600037341L"
SCRIPT = "<script>alert(1)</script>"
# Every field a person types free text into; the others have a fixed format.
FREE_TEXT_FIELDS = ("name", "organisation_name", "contact_person", "address", "description",
                    "document_number")


def form_data(**overrides) -> dict:
    data = {
        "applicant_type": "natural_person",
        "name": "张三",
        "id_document_type": "resident_id",
        "id_number": ID_NUMBER,
        "organisation_name": "",
        "organisation_kind": "",
        "credit_code": "",
        "contact_person": "",
        "phone": PHONE,
        "email": EMAIL,
        "address": ADDRESS,
        "postcode": "100032",
        "description": "请公开2023年西城区老旧小区综合整治项目的立项批复文件。",
        "document_number": "",
        "agency": "",
        "provision_form": "electronic",
        "delivery": "email",
        "client_token": "test-token-0123456789",
    }
    data.update(overrides)
    return data


def organisation_data(**overrides) -> dict:
    return form_data(**{"applicant_type": "organisation", "name": "", "id_number": "",
                        "organisation_name": "北京某某科技有限公司",
                        "organisation_kind": "commercial_enterprise", "credit_code": CREDIT_CODE,
                        "contact_person": "李四", **overrides})


def bound(data: dict, **files) -> ApplicationForm:
    uploads = MultiValueDict({name: list(value) for name, value in files.items()})
    return ApplicationForm(data, uploads)


def test_a_natural_person_application_becomes_a_submission(world):
    form = bound(form_data(id_number=ID_NUMBER.lower(), agency=str(world.education.pk)))
    assert form.is_valid(), form.errors
    submission = form.submission()
    assert submission.applicant_column == "natural_person"
    assert submission.applicant_name == "张三"
    assert submission.id_document_type == "resident_id"
    assert submission.identity == pii.Identity(id_number=ID_NUMBER, phone=PHONE, email=EMAIL,
                                               address=ADDRESS, postcode="100032")
    assert submission.agency == world.education
    assert submission.attachments == ()


def test_an_organisation_gives_its_kind_credit_code_and_contact_person(world):
    form = bound(organisation_data(credit_code=" " + CREDIT_CODE.lower()))
    assert form.is_valid(), form.errors
    submission = form.submission()
    assert submission.applicant_column == "commercial_enterprise"
    assert submission.applicant_name == "北京某某科技有限公司"
    assert submission.identity.id_number == CREDIT_CODE
    assert submission.identity.contact_person == "李四"
    assert submission.id_document_type == ""


def test_there_is_no_purpose_field(world):
    assert not any("purpose" in name or "reason" in name for name in ApplicationForm().fields)


def test_a_wrong_resident_id_check_digit_is_a_field_error(world):
    wrong = ID_NUMBER[:-1] + "1"
    form = bound(form_data(id_number=wrong))
    assert not form.is_valid()
    assert list(form.errors) == ["id_number"]
    assert wrong not in form.errors["id_number"][0]  # never echo personal data


def test_a_wrong_credit_code_check_digit_is_a_field_error(world):
    form = bound(organisation_data(credit_code=CREDIT_CODE[:-1] + "A"))
    assert not form.is_valid()
    assert list(form.errors) == ["credit_code"]


def test_other_documents_need_a_plausible_number(world):
    assert bound(form_data(id_document_type="passport", id_number="e 1234 5678")).is_valid()
    for bad in ("E1", "E123456789012345678901234567890", "护照E12345678", "E12345678!"):
        form = bound(form_data(id_document_type="passport", id_number=bad))
        assert list(form.errors) == ["id_number"], bad


def test_missing_fields_are_named_one_by_one(world):
    form = bound({"client_token": "test-token-0123456789", "applicant_type": "natural_person"})
    assert not form.is_valid()
    assert set(form.errors) == {"name", "id_document_type", "id_number", "phone", "description",
                                "provision_form", "delivery"}
    organisation = bound({"client_token": "test-token-0123456789",
                          "applicant_type": "organisation"})
    assert not organisation.is_valid()
    assert {"organisation_name", "organisation_kind", "credit_code",
            "contact_person"} <= set(organisation.errors)
    assert "name" not in organisation.errors


def test_email_and_address_are_required_only_for_their_delivery(world):
    assert bound(form_data(delivery="online", email="", address="")).is_valid()
    assert list(bound(form_data(delivery="email", email="")).errors) == ["email"]
    assert list(bound(form_data(delivery="post", address="")).errors) == ["address"]


@pytest.mark.parametrize("phone", ["13812345678", "+86 138 1234 5678", "010-66123456",
                                   "01066123456", "66123456", "0755-86013388-123"])
def test_mainland_mobile_and_landline_numbers_are_accepted(world, phone):
    assert bound(form_data(phone=phone)).is_valid()


@pytest.mark.parametrize("phone", ["12345", "23812345678", "138123456789", "phone me", "110"])
def test_other_phone_numbers_are_refused(world, phone):
    assert list(bound(form_data(phone=phone)).errors) == ["phone"]


def test_a_postcode_has_six_digits(world):
    assert list(bound(form_data(postcode="10003")).errors) == ["postcode"]


def test_a_hundred_thousand_characters_are_a_field_error_in_every_field(world):
    huge = "长" * 100_000
    data = form_data(**dict.fromkeys((*FREE_TEXT_FIELDS, "phone", "email", "postcode", "id_number"), huge))
    form = bound(data)
    assert not form.is_valid()
    for name in (*FREE_TEXT_FIELDS, "phone", "email", "postcode", "id_number"):
        assert name in form.errors, name
    assert "2000" in form.errors["description"][0]


def test_a_description_of_2000_characters_is_accepted(world):
    assert bound(form_data(description="长" * 2000)).is_valid()
    assert "description" in bound(form_data(description="长" * 2001)).errors


def test_control_characters_are_refused_but_line_breaks_are_kept(world):
    form = bound(form_data(description="第一行\r\n第二行\t附注"))
    assert form.is_valid()
    assert form.cleaned_data["description"] == "第一行\n第二行\t附注"
    for value in ("张\x00三", "张\x1b[31m三", "张\u202e三"):
        assert "name" in bound(form_data(name=value)).errors
    assert "name" in bound(form_data(name="张\n三")).errors


def test_text_is_stripped(world):
    form = bound(form_data(name="  张三 ", description="  请公开。 \n"))
    assert form.is_valid()
    assert form.cleaned_data["name"] == "张三"
    assert form.cleaned_data["description"] == "请公开。"


def test_script_tags_in_every_free_text_field_are_kept_as_text(world):
    form = bound(organisation_data(**dict.fromkeys(FREE_TEXT_FIELDS, SCRIPT)))
    assert form.is_valid(), form.errors
    submission = form.submission()
    assert submission.applicant_name == SCRIPT
    assert submission.description == SCRIPT
    assert submission.document_number == SCRIPT
    assert submission.identity.address == SCRIPT
    assert submission.identity.contact_person == SCRIPT


def test_script_tags_in_formatted_fields_are_refused(world):
    for name in ("id_number", "phone", "email", "postcode"):
        assert name in bound(form_data(**{name: SCRIPT})).errors, name
    assert "credit_code" in bound(organisation_data(credit_code=SCRIPT)).errors
    for name in ("applicant_type", "agency", "provision_form", "delivery", "id_document_type"):
        assert name in bound(form_data(**{name: SCRIPT})).errors, name


def test_the_agency_list_is_grouped_by_kind_and_localised(world):
    world.finance.is_active = False
    world.finance.save()
    with translation.override("en"):
        choices = agency_choices()
        assert choices[0] == ("", "Not sure")
        groups = {str(label): [name for _pk, name in options] for label, options in choices[1:]}
    assert groups == {
        "District government": ["Xicheng District People's Government"],
        "Department": ["Xicheng District Education Commission"],
        "Sub-district office": ["Shichahai Sub-district Office"],
    }
    with translation.override("zh-hans"):
        chinese = str(agency_choices())
    assert "北京市西城区教育委员会" in chinese and "Xicheng" not in chinese
    assert "agency" in bound(form_data(agency=str(world.finance.pk))).errors


def test_not_sure_means_no_agency(world):
    form = bound(form_data(agency=""))
    assert form.is_valid()
    assert form.submission().agency is None


def test_attachments_are_sniffed_and_counted(world):
    pdf = SimpleUploadedFile("身份证.pdf", PDF, content_type="application/pdf")
    png = SimpleUploadedFile("委托书.png", PNG, content_type="image/png")
    form = bound(form_data(), identity_proof=[pdf], authorisation=[png])
    assert form.is_valid(), form.errors
    assert [(kind, name, mime) for kind, name, mime, _content in form.submission().attachments] == [
        ("identity_proof", "身份证.pdf", "application/pdf"),
        ("authorisation", "委托书.png", "image/png"),
    ]


def test_an_executable_renamed_pdf_is_a_field_error(world):
    exe = SimpleUploadedFile("身份证.pdf", EXE, content_type="application/pdf")
    form = bound(form_data(), identity_proof=[exe])
    assert list(form.errors) == ["identity_proof"]


def test_an_oversized_file_is_a_field_error(world):
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (5 * 1024 * 1024), "application/pdf")
    form = bound(form_data(), authorisation=[big])
    assert list(form.errors) == ["authorisation"]


def test_at_most_three_files_in_all(world):
    def pdfs(n):
        return [SimpleUploadedFile(f"{i}.pdf", PDF, "application/pdf") for i in range(n)]

    form = bound(form_data(), identity_proof=pdfs(2), authorisation=pdfs(2))
    assert list(form.errors) == ["authorisation"]


def test_the_client_token_is_new_on_every_rendering_and_must_look_like_one(world):
    assert ApplicationForm()["client_token"].value() != ApplicationForm()["client_token"].value()
    assert list(bound(form_data(client_token="x")).errors) == ["client_token"]
    assert list(bound(form_data(client_token="")).errors) == ["client_token"]


def test_the_follow_form_upper_cases_the_number():
    form = FollowForm({"number": " 110102-2026-000001 ", "query_code": "abc"})
    assert form.is_valid()
    assert form.cleaned_data["number"] == "110102-2026-000001"
    assert "number" in FollowForm({"number": "1" * 100_000, "query_code": "x"}).errors


def test_the_correction_form_needs_a_description_and_takes_files():
    pdf = SimpleUploadedFile("补正.pdf", PDF, "application/pdf")
    form = CorrectionForm({"description": "更正：2022年度"}, MultiValueDict({"attachments": [pdf]}))
    assert form.is_valid()
    assert form.attachment_tuples()[0][:3] == ("applicant_other", "补正.pdf", "application/pdf")
    assert "description" in CorrectionForm({"description": "  "}).errors


def test_withdrawing_needs_the_confirmation():
    assert "confirm" in WithdrawForm({"reason": "不需要了"}).errors
    assert WithdrawForm({"confirm": "on"}).is_valid()
