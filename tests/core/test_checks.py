"""The system checks that the machine can print Chinese documents (xxgk.core.checks).

A machine without Chinese fonts is a real fontconfig configuration with an empty font
directory, given to ``xxgk check`` / ``xxgk serve`` in a child process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from django.core import checks as django_checks

from tests.documents.test_fonts import NOTO_DIR, fonts_conf, no_chinese_fonts
from xxgk.core import checks
from xxgk.documents import fonts

INSTALL = "apt-get install fonts-noto-cjk libharfbuzz-subset0"


def xxgk(*args: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *args], capture_output=True,
                          text=True, env={**env, "XXGK_VAR_DIR": str(tmp_path / "var")},
                          timeout=120)


def test_this_machine_passes_and_cheaply():
    started = time.perf_counter()
    assert checks.check_document_fonts() == []
    assert checks.check_font_subsetting() == []
    # It runs at every `xxgk check`, `serve`, `worker` start: a few ms, not WeasyPrint's 1 s.
    assert time.perf_counter() - started < 0.5


def test_the_checks_are_registered_under_their_tag():
    registered = django_checks.registry.registry.get_checks()
    assert checks.check_document_fonts in registered
    assert checks.check_font_subsetting in registered
    assert django_checks.registry.registry.tag_exists(checks.TAG)


def test_xxgk_check_passes_with_the_real_fonts(tmp_path):
    result = xxgk("check", "--tag", checks.TAG, env=dict(os.environ), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_xxgk_check_fails_without_chinese_fonts_and_says_what_to_install(tmp_path):
    result = xxgk("check", env=no_chinese_fonts(tmp_path), tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "xxgk.E001" in result.stderr
    assert INSTALL in result.stderr


def test_xxgk_serve_does_not_start_without_chinese_fonts(tmp_path):
    """An Error stops `serve` (Django runs the checks before it starts anything)."""
    started = time.perf_counter()
    result = xxgk("serve", "--bind", "127.0.0.1:0", env=no_chinese_fonts(tmp_path),
                  tmp_path=tmp_path)
    assert result.returncode != 0
    assert "xxgk.E001" in result.stderr and INSTALL in result.stderr
    assert "Listening at" not in result.stderr  # gunicorn never started
    assert time.perf_counter() - started < 60


def test_other_chinese_faces_than_noto_sc_are_a_warning_not_an_error(tmp_path):
    conf = fonts_conf(tmp_path, font_dir=NOTO_DIR, reject=fonts.PREFERRED_FAMILIES)
    result = xxgk("check", "--tag", checks.TAG,
                  env={**os.environ, "FONTCONFIG_FILE": str(conf)}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "xxgk.W002" in output and "fonts-noto-cjk" in output  # in either language
    assert "xxgk.E001" not in output


def test_missing_subsetting_is_an_error_naming_the_package(monkeypatch):
    # The library cannot be uninstalled for a test; the check looks, by the same loader,
    # for a library name that exists nowhere.
    monkeypatch.setattr(fonts, "HARFBUZZ_SUBSET_NAMES", ("libxxgk-no-such-library.so.0",))
    (message,) = checks.check_font_subsetting()
    assert message.id == "xxgk.E003" and message.level == django_checks.ERROR
    assert INSTALL in message.hint


def test_a_missing_fontconfig_is_an_error_of_its_own(monkeypatch):
    monkeypatch.setattr(fonts, "FONTCONFIG_NAMES", ("libxxgk-no-such-fontconfig.so.1",))
    (message,) = checks.check_document_fonts()
    assert message.id == "xxgk.E004" and message.level == django_checks.ERROR
    assert "fontconfig" in message.hint and "fonts-noto-cjk" in message.hint
