"""Fonts: what fontconfig finds for Chinese, and a PDF refused rather than printed in boxes.

The machine without Chinese fonts is a real fontconfig configuration (``FONTCONFIG_FILE``
naming an empty font directory), used in a child process so that nothing of it stays in
this one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from xxgk.documents import MissingFontError, fonts

NOTO_DIR = "/usr/share/fonts/opentype/noto"


def fonts_conf(directory: Path, *, font_dir: Path | str, reject: tuple[str, ...] = ()) -> Path:
    """A fontconfig configuration that knows only ``font_dir`` (minus ``reject``ed families)."""
    rejected = "".join(
        f'<pattern><patelt name="family"><string>{family}</string></patelt></pattern>'
        for family in reject)
    selection = f"<selectfont><rejectfont>{rejected}</rejectfont></selectfont>" if reject else ""
    path = directory / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{font_dir}</dir><cachedir>{directory / 'cache'}</cachedir>"
        f"{selection}</fontconfig>\n", encoding="utf-8")
    return path


def no_chinese_fonts(tmp_path: Path) -> dict[str, str]:
    """The environment of a machine whose fontconfig finds no font at all."""
    empty = tmp_path / "fonts"
    empty.mkdir()
    return {**os.environ, "FONTCONFIG_FILE": str(fonts_conf(tmp_path, font_dir=empty))}


def python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, env=env, timeout=120)


def test_this_machine_has_the_noto_cjk_faces_the_documents_name():
    families = fonts.chinese_families()
    assert families is not None
    assert set(fonts.PREFERRED_FAMILIES) <= set(families)
    assert fonts.missing_font_message(families) is None
    fonts.require_cjk_font()  # does not raise


def test_harfbuzz_subsetting_is_found_as_weasyprint_finds_it():
    assert fonts.harfbuzz_subset_available()
    assert not fonts.harfbuzz_subset_available(subset_names=("libxxgk-no-such-library.so.0",))


def test_a_missing_fontconfig_library_is_reported_as_such():
    assert fonts.chinese_families(names=("libxxgk-no-such-fontconfig.so.1",)) is None
    message = fonts.missing_font_message(None)
    assert message is not None and "fontconfig" in message


def test_an_empty_font_directory_has_no_chinese_and_says_what_to_install(tmp_path):
    result = python("""
        from xxgk.documents import fonts
        print(repr(fonts.chinese_families()))
        print(fonts.missing_font_message(fonts.chinese_families()))
    """, no_chinese_fonts(tmp_path))
    assert result.returncode == 0, result.stderr
    found, message = result.stdout.splitlines()
    assert found == "()"
    assert "apt-get install fonts-noto-cjk libharfbuzz-subset0" in message


def test_the_families_are_those_of_the_configuration(tmp_path):
    """Only the configuration's own fonts count: SC rejected leaves the other Noto CJK."""
    conf = fonts_conf(tmp_path, font_dir=NOTO_DIR, reject=fonts.PREFERRED_FAMILIES)
    result = python("""
        from xxgk.documents import fonts
        print("\\n".join(fonts.chinese_families()))
    """, {**os.environ, "FONTCONFIG_FILE": str(conf)})
    assert result.returncode == 0, result.stderr
    families = set(result.stdout.splitlines())
    assert "Noto Serif CJK TC" in families
    assert not families & set(fonts.PREFERRED_FAMILIES)


def test_a_letter_pdf_is_refused_before_weasyprint_is_even_loaded(tmp_path):
    result = python("""
        import datetime as dt, sys
        from xxgk.documents import Letter, MissingFontError
        from xxgk.documents.pdf import letter_pdf
        letter = Letter(title="答复书", paragraphs=("正文。",), agency="某机关",
                        date=dt.date(2026, 11, 2))
        try:
            letter_pdf(letter)
        except MissingFontError as exc:
            print("refused:", exc)
        print("weasyprint loaded:", "weasyprint" in sys.modules)
    """, no_chinese_fonts(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "refused: No installed font covers Chinese" in result.stdout
    assert "apt-get install fonts-noto-cjk libharfbuzz-subset0" in result.stdout
    assert "weasyprint loaded: False" in result.stdout


def test_a_report_pdf_is_refused_too(tmp_path):
    result = python("""
        from xxgk.documents import MissingFontError
        from xxgk.reports.render.pdf import html_to_pdf
        try:
            html_to_pdf("<html lang='zh-CN'><body><p>年度报告</p></body></html>")
        except MissingFontError as exc:
            print("refused:", exc)
    """, no_chinese_fonts(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "refused: No installed font covers Chinese" in result.stdout


def test_a_refusal_is_not_remembered_once_fonts_are_there(tmp_path):
    """The negative answer is asked again; the positive one is kept per configuration."""
    env = no_chinese_fonts(tmp_path)
    result = python(f"""
        import os
        from xxgk.documents import MissingFontError, fonts
        for attempt in ("without", "again without"):
            try:
                fonts.require_cjk_font()
            except MissingFontError:
                print(attempt, "refused")
        del os.environ["FONTCONFIG_FILE"]
        fonts.require_cjk_font()
        print("with the system's fonts: allowed")
        os.environ["FONTCONFIG_FILE"] = {env["FONTCONFIG_FILE"]!r}
        try:
            fonts.require_cjk_font()
        except MissingFontError:
            print("the empty configuration again: refused")
    """, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "without refused", "again without refused", "with the system's fonts: allowed",
        "the empty configuration again: refused"]


def test_the_error_is_importable_from_the_package_and_says_why():
    assert issubclass(MissingFontError, RuntimeError)
    assert fonts.MissingFontError is MissingFontError
