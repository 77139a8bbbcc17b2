"""``xxgk report``: a report in every format, the published snapshot or the live one, and
``report parse`` reading a published report."""

import io
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from openpyxl import load_workbook

from tests.reports.helpers import YEAR, build_year, closed, d, finish_narrative
from xxgk.reports import actions

SEED = Path(__file__).parent / "fixtures" / "seed_xicheng_2023.txt"


def report(*args: str, stdout=None) -> str:
    out = stdout or StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def district_year(world):
    world.district.report_covers_subtree = True
    world.district.save()
    build_year(world)
    return world


@pytest.mark.django_db
def test_json_of_the_top_of_the_tree_rolled_up(district_year):
    data = json.loads(report("--year", str(YEAR), "--format", "json"))
    assert data["agency"] == district_year.district.name and data["year"] == YEAR
    assert data["applications"]["received"]["total"] == 6
    assert data["appeals"]["reconsideration"]["upheld"] == 1
    assert data["processing_fees"]["billed_yuan"] == "100.00"


@pytest.mark.django_db
def test_one_agency_by_code(district_year):
    data = json.loads(report("--year", str(YEAR), "--format", "json",
                             "--agency", district_year.finance.code))
    assert data["applications"]["received"]["total"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["html", "docx", "pdf", "xlsx", "json"])
def test_every_format_writes_a_valid_file(district_year, tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    out = report("--year", str(YEAR), "--format", fmt, "--output", str(target))
    assert out.startswith(f"{target}: {district_year.district.name} {YEAR}, computed")
    data = target.read_bytes()
    if fmt == "docx":
        text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
        assert f"{YEAR}年政府信息公开工作年度报告" in text
    elif fmt == "pdf":
        assert data.startswith(b"%PDF")
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(data))
        assert book.sheetnames
    elif fmt == "json":
        assert json.loads(data)["year"] == YEAR
    else:
        assert "<table" in data.decode() and "收到和处理政府信息公开申请情况" in data.decode()


@pytest.mark.django_db
def test_a_published_report_is_written_as_published_unless_live(district_year):
    world = district_year
    draft = actions.start_draft(world.district, YEAR, actor=world.ogi)
    finish_narrative(draft)
    actions.approve(draft, actor=world.ogi)
    actions.publish(draft, actor=world.ogi)
    actions.reopen(draft, reason="补录漏登的申请", actor=world.ogi)
    closed(world.finance, d(11, 1), d(11, 2))  # recorded after publication, once reopened
    frozen = json.loads(report("--year", str(YEAR), "--format", "json"))
    live = json.loads(report("--year", str(YEAR), "--format", "json", "--live"))
    assert frozen["applications"]["received"]["total"] == 6
    assert live["applications"]["received"]["total"] == 7
    assert frozen["overview"] == live["overview"] == draft.overview


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.django_db
def test_binary_output_to_a_terminal_is_refused(district_year):
    with pytest.raises(CommandError, match="binary format: give --output FILE"):
        report("--year", str(YEAR), "--format", "pdf", stdout=Terminal())
    assert json.loads(report("--year", str(YEAR), "--format", "json", stdout=Terminal()))


@pytest.mark.django_db
@pytest.mark.parametrize(("args", "message"), [
    (["--format", "json"], "give --year"),
    (["--year", "x", "--format", "json"], "year must be a whole number, got 'x'"),
    (["--year", "1999", "--format", "json"], "year must be between 2000 and"),
    (["--year", "2023"], "give --format"),
    (["--year", "2023", "--format", "odt"], "unknown format 'odt'"),
    (["--year", "2023", "--format", "json", "--agency", "NOPE"], "no agency has the code 'NOPE'"),
    (["--year", "2023", "--format", "json"], "no agency has been configured yet"),
])
def test_bad_input_is_one_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        report(*args)


def test_parse_prints_section_four_of_the_seed():
    out = report("parse", str(SEED))
    assert "四 appeals                15 / 15   complete" in out
    assert "reconsideration: upheld 138, corrected 8, other 92, pending 8, total 246" in out
    assert "litigation_direct: upheld 15, corrected 0, other 1, pending 1, total 17" in out
    assert ("litigation_after_reconsideration: upheld 9, corrected 0, other 0, pending 1, "
            "total 10") in out


def test_parse_json_gives_the_cells():
    result = json.loads(report("parse", str(SEED), "--json"))
    assert result["cells"]["appeals.reconsideration.total"] == 246
    assert result["cells"]["applications.total.total"] == 1538


def test_parse_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        report("parse", str(tmp_path / "nothing.txt"))


@pytest.mark.parametrize(("args", "expected"), [
    (["report", "--year", "abc", "--format", "json"], "year must be a whole number"),
    (["report", "parse"], "the following arguments are required: file"),
    (["report", "--bogus"], "unrecognized arguments: --bogus"),
    (["report", "publish"], "invalid choice: 'publish'"),
])
def test_from_the_command_line_bad_input_is_one_line(tmp_path, args, expected):
    result = subprocess.run([sys.executable, "-m", "xxgk.cli", *args], capture_output=True,
                            text=True, check=False, timeout=120,
                            env={**os.environ, "XXGK_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
