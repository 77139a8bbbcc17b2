"""`xxgk clock`, `xxgk fee` and `xxgk report parse` answer without the system checks (which
import every view and ask for fonts), while writing a report still runs them.

Shown on a machine whose checks fail (no Chinese fonts): the quick commands still answer,
`report --year` stops at the checks, and `report --year --skip-checks` gets past them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.core.test_checks import INSTALL
from tests.documents.test_fonts import fonts_conf, no_chinese_fonts
from tests.reports.helpers import YEAR, build_year

FIXTURE = Path(__file__).parents[1] / "reports" / "fixtures" / "clean_2021.html"


@pytest.fixture(scope="module")
def machine(tmp_path_factory) -> dict[str, str]:
    """The environment of a migrated install on a machine without Chinese fonts."""
    root = tmp_path_factory.mktemp("no-fonts")
    env = {**no_chinese_fonts(root), "XXGK_VAR_DIR": str(root / "var")}
    migrated = run(env, "migrate", "--no-input", "--skip-checks")
    assert migrated.returncode == 0, migrated.stderr
    return env


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_clock_and_fee_answer_without_the_checks(machine):
    clock = run(machine, "clock", "--received", "2026-11-02", "--json")
    assert clock.returncode == 0, clock.stderr
    assert json.loads(clock.stdout)["due"] == "2026-11-30"
    fee = run(machine, "fee", "--nth", "35", "--json")
    assert fee.returncode == 0, fee.stderr
    assert "xxgk.E001" not in clock.stderr + fee.stderr


def test_report_parse_answers_without_the_checks_but_writing_a_report_runs_them(machine):
    parsed = run(machine, "report", "parse", str(FIXTURE), "--json")
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["cells"]
    written = run(machine, "report", "--year", "2025", "--format", "json")
    assert written.returncode != 0
    assert "xxgk.E001" in written.stderr and INSTALL in written.stderr
    skipped = run(machine, "report", "--year", "2025", "--format", "json", "--skip-checks")
    assert skipped.returncode != 0
    assert "xxgk.E001" not in skipped.stderr
    assert "no agency has been configured yet" in skipped.stderr  # past the checks


@pytest.mark.django_db
def test_a_report_pdf_without_fonts_is_refused_in_one_line(world, tmp_path, monkeypatch):
    # In this process: the font question loads and frees its own fontconfig configuration,
    # and the refusal comes before WeasyPrint is asked anything.
    build_year(world)
    empty = tmp_path / "fonts"
    empty.mkdir()
    monkeypatch.setenv("FONTCONFIG_FILE", str(fonts_conf(tmp_path, font_dir=empty)))
    target = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match="No installed font covers Chinese") as refused:
        call_command("report", "--year", str(YEAR), "--format", "pdf", "--output",
                     str(target), stdout=StringIO())
    assert INSTALL in str(refused.value)
    assert not target.exists()


def test_the_report_command_names_exactly_the_formats_there_are():
    from xxgk.reports.management.commands.report import FORMAT_NAMES
    from xxgk.reports.render import FORMATS

    assert tuple(FORMATS) == FORMAT_NAMES
