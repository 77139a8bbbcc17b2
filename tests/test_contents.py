"""An upload is read through as the kind its first bytes name: a file that only starts like a
PDF or an image is refused, and no input makes the check fail in any other way."""

import contextlib
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from tests import files
from xxgk import contents

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def refusal(content_type: str, data: bytes) -> str | None:
    try:
        contents.check_content(content_type, data)
    except contents.ContentError as error:
        return error.reason
    return None


@pytest.mark.parametrize(("content_type", "data"), [
    ("application/pdf", files.PDF),
    ("image/png", files.PNG),
    ("image/jpeg", files.JPEG),
    ("image/gif", files.image("GIF")),
    ("image/png", files.image("PNG", (4000, 3000))),
])
def test_real_files_are_accepted(content_type, data):
    assert refusal(content_type, data) is None


def test_a_pdf_whose_cross_reference_table_is_wrong_is_repaired_as_viewers_do():
    broken = files.PDF.replace(b"startxref\n", b"startxref\n9")
    assert refusal("application/pdf", broken) is None


@pytest.mark.parametrize("data", [
    b"%PDF-1.4\n",
    b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",  # no catalogue
    b"%PDF-1.4\n" + b"\x00" * 4096,
    files.PDF.replace(b"/Type /Page ", b"/Type /Nothing "),  # no page
])
def test_a_file_that_only_starts_like_a_pdf_is_refused(data):
    assert refusal("application/pdf", data) == "pdf"


@pytest.mark.parametrize("extra", [
    "/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ",
    "/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (x) >>] >> >> ",
    "/OpenAction << /S /Launch /F (cmd.exe) >> ",
])
def test_a_pdf_that_runs_something_when_opened_is_refused(extra):
    assert refusal("application/pdf", files.pdf(extra_catalog=extra)) == "pdf_script"


def test_an_ordinary_open_action_is_accepted():
    assert refusal("application/pdf", files.pdf(extra_catalog="/OpenAction [3 0 R /Fit] ")) is None


@pytest.mark.parametrize(("content_type", "data"), [
    ("image/png", files.PNG[:60]),
    ("image/jpeg", files.image("JPEG", (800, 600))[:400]),
    ("image/png", files.PNG[:-20] + b"\x00" * 20),  # checksum of the last chunk broken
])
def test_a_truncated_or_damaged_image_is_refused(content_type, data):
    assert refusal(content_type, data) == "image"


def test_an_image_declaring_more_pixels_than_any_scan_is_refused_before_it_is_decoded():
    with pytest.raises(contents.ContentError) as refused:
        contents.check_content("image/png", files.png_declaring(10_000, 10_000))
    assert refused.value.reason == "pixels"
    assert refused.value.found == 100_000_000 and refused.value.limit == contents.MAX_PIXELS
    assert refusal("image/png", files.png_declaring(50_000, 50_000)) == "pixels"


def test_an_office_file_is_bounded_by_its_declared_sizes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\x00" * (300 * 1024 * 1024))
    assert refusal(DOCX, buffer.getvalue()) == "unpacked"


def test_a_type_the_module_does_not_know_is_left_to_its_reader():
    assert refusal("text/plain", b"anything") is None


def _truncations(data: bytes):
    return st.integers(min_value=0, max_value=len(data)).map(lambda cut: data[:cut])


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(
    st.tuples(st.just("application/pdf"), _truncations(files.PDF)),
    st.tuples(st.just("application/pdf"),
              st.binary(max_size=2000).map(lambda tail: b"%PDF-1.4\n" + tail)),
    st.tuples(st.just("image/png"), _truncations(files.PNG)),
    st.tuples(st.just("image/jpeg"), _truncations(files.JPEG)),
    st.tuples(st.sampled_from(["image/png", "image/jpeg", "image/gif"]),
              st.binary(max_size=2000)),
), st.booleans())
def test_no_input_fails_the_check_in_any_other_way_than_a_refusal(case, truncated_loading):
    """Whether or not Pillow loads truncated images in this process (see below), and the check
    leaves that setting as it found it."""
    content_type, data = case
    with _pillow_loading_truncated(truncated_loading):
        refusal(content_type, data)
        assert ImageFile.LOAD_TRUNCATED_IMAGES is truncated_loading


@contextlib.contextmanager
def _pillow_loading_truncated(flag: bool):
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = flag
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved


@pytest.mark.parametrize("cut", [1, 20, 200, 28])
def test_a_cut_off_jpeg_is_refused_even_where_weasyprint_has_made_pillow_lenient(cut):
    """WeasyPrint turns on Pillow's loading of truncated images for the whole process when it is
    imported (to render documents); the check decodes strictly all the same."""
    import weasyprint  # noqa: F401 (imported for its side effect on Pillow)

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    assert refusal("image/jpeg", files.JPEG[:-cut]) == "image"
    assert refusal("image/jpeg", files.JPEG) is None
    assert ImageFile.LOAD_TRUNCATED_IMAGES


def test_a_png_cut_inside_a_chunk_header_is_refused_under_lenient_loading():
    """Pillow's PNG reader fails with an IndexError, not its own error, on this cut when
    truncated loading is on (found by the fuzzing below)."""
    with _pillow_loading_truncated(True):
        assert all(refusal("image/png", files.PNG[:cut]) == "image"
                   for cut in range(8, 95))


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=64), st.integers(min_value=0, max_value=4000))
def test_a_pdf_damaged_anywhere_is_accepted_or_refused_never_crashed(junk, at):
    at = min(at, len(files.PDF))
    refusal("application/pdf", files.PDF[:at] + junk + files.PDF[at + len(junk):])


def test_the_pixel_bound_is_above_a_large_phone_camera():
    assert contents.MAX_PIXELS > 8192 * 6144
    assert Image.MAX_IMAGE_PIXELS > contents.MAX_PIXELS
