"""Attachments are judged by their content: PDF, JPEG and PNG up to 5 MB, nothing else."""

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tests import files
from xxgk.applications.uploads import (
    MAX_FILE_BYTES,
    AttachmentsField,
    check_upload,
    safe_filename,
)

PDF = files.PDF
PNG = files.PNG
JPEG = files.JPEG
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(("content", "mime"), [(PDF, "application/pdf"), (PNG, "image/png"),
                                                (JPEG, "image/jpeg")])
def test_pdf_jpeg_and_png_are_accepted_with_the_sniffed_type(content, mime):
    # The browser's claimed type is ignored: only the bytes count.
    attachment = check_upload(upload("scan", content, content_type="text/plain"))
    assert attachment.content_type == mime
    assert attachment.content == content


def test_an_executable_renamed_pdf_is_refused():
    with pytest.raises(forms.ValidationError) as caught:
        check_upload(upload("身份证.pdf", EXE))
    assert caught.value.code == "file_type"
    assert "身份证.pdf" in caught.value.messages[0]


def test_text_and_unknown_content_are_refused():
    for content in (b"just some text", b"<script>alert(1)</script>"):
        with pytest.raises(forms.ValidationError):
            check_upload(upload("note.pdf", content))


def test_five_megabytes_is_the_limit():
    exactly = PDF + b"0" * (MAX_FILE_BYTES - len(PDF))
    assert len(check_upload(upload("big.pdf", exactly)).content) == MAX_FILE_BYTES
    with pytest.raises(forms.ValidationError) as caught:
        check_upload(upload("too-big.pdf", exactly + b"0"))
    assert caught.value.code == "too_large"


def test_names_lose_directories_quotes_and_control_characters():
    assert safe_filename('..\\..\\a"b\x07c.pdf', "application/pdf") == "abc.pdf"
    assert safe_filename("C:/Users/me/photo.JPEG", "image/jpeg") == "photo.JPEG"


def test_a_name_that_lies_about_the_type_gets_the_right_suffix():
    assert safe_filename("photo.png", "application/pdf") == "photo.png.pdf"
    assert safe_filename("", "image/png") == "attachment.png"
    assert check_upload(upload("scan.png", PDF)).name == "scan.png.pdf"


def test_long_names_are_cut_but_keep_their_suffix():
    name = safe_filename("长" * 500 + ".pdf", "application/pdf")
    assert len(name) == 200 and name.endswith(".pdf")


def test_the_field_takes_up_to_three_files_and_reports_every_refusal():
    field = AttachmentsField()
    assert field.clean([]) == []
    accepted = field.clean([upload("a.pdf", PDF), upload("b.png", PNG), upload("c.jpg", JPEG)])
    assert [a.content_type for a in accepted] == ["application/pdf", "image/png", "image/jpeg"]

    with pytest.raises(forms.ValidationError) as too_many:
        field.clean([upload(f"{i}.pdf", PDF) for i in range(4)])
    assert too_many.value.error_list[0].code == "too_many"

    with pytest.raises(forms.ValidationError) as refused:
        field.clean([upload("virus.pdf", EXE), upload("ok.pdf", PDF), upload("x.png", b"")])
    messages = refused.value.messages
    assert len(messages) == 2
    assert "virus.pdf" in messages[0]


def test_the_input_accepts_several_files_and_announces_the_types():
    rendered = AttachmentsField().widget.render("files", None, {"id": "id_files"})
    assert "multiple" in rendered
    assert 'accept=".pdf,.jpg,.jpeg,.png' in rendered


@pytest.mark.parametrize(("name", "content"), [
    ("身份证.pdf", b"%PDF-1.4\n" + b"0" * 500),
    ("身份证.png", PNG[:60]),
    ("身份证.jpg", files.image("JPEG", (800, 600))[:400]),
    ("身份证.png", files.png_declaring(20_000, 20_000)),
])
def test_a_file_that_only_starts_like_its_kind_is_refused_naming_it(name, content):
    with translation.override("en"):
        with pytest.raises(forms.ValidationError) as caught:
            check_upload(upload(name, content))
        message = caught.value.messages[0]
    assert caught.value.code == "file_content"
    assert message.startswith(f"{name}: The ")
