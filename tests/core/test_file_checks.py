"""Every refusal of an uploaded file is worded once, in the page's language."""

import pytest
from django.utils import translation

from tests import files
from xxgk.core import file_checks


@pytest.mark.parametrize(("content_type", "data", "start"), [
    ("application/pdf", b"%PDF-1.4\n" + b"0" * 100, "The file starts like a PDF"),
    ("application/pdf", files.pdf(extra_catalog="/OpenAction << /S /Launch /F (x) >> "),
     "The PDF holds a script"),
    ("image/png", files.PNG[:40], "The image is damaged"),
    ("image/png", files.png_declaring(10_000, 10_000), "The image has more than 80,000,000"),
])
def test_each_refusal_has_its_own_sentence(content_type, data, start):
    with translation.override("en"):
        assert file_checks.content_refusal(content_type, data).startswith(start)


def test_an_accepted_file_has_no_refusal():
    assert file_checks.content_refusal("application/pdf", files.PDF) is None
    assert file_checks.archive_refusal(b"not a zip at all") is None
