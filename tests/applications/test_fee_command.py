"""``xxgk fee``: the processing fee of one application, for people and for machines."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def fee(*args: str) -> str:
    out = StringIO()
    call_command("fee", *args, stdout=out)
    return out.getvalue()


def test_by_application_prints_the_amount_and_how_it_follows_from_the_measures():
    lines = fee("--nth", "45").splitlines()
    assert lines[0] == "按件计收：300元"
    assert lines[1].startswith("计算：本申请为同一申请人本自然月内累计第45件申请")
    assert lines[2] == "依据：《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第三条、第四条"
    assert lines[3].startswith("标准：按件计收")


def test_by_volume_prints_the_amount():
    assert fee("--pages", "150").splitlines()[0] == "按量计收：1700元"


def test_json_gives_yuan_as_a_number_with_method_and_breakdown():
    result = json.loads(fee("--pages", "150", "--json"))
    assert result["yuan"] == 1700
    assert result["method"] == "by_volume"
    assert result["method_zh"] == "按量计收"
    assert [(b["first"], b["last"], b["subtotal_yuan"]) for b in result["breakdown"]] == [
        (1, 30, 0), (31, 100, 700), (101, 150, 1000),
    ]


def test_json_by_application():
    result = json.loads(fee("--nth", "10", "--json"))
    assert (result["yuan"], result["method"]) == (0, "by_application")


def test_options_also_work_as_keywords():
    out = StringIO()
    call_command("fee", nth=31, json=True, stdout=out)
    assert json.loads(out.getvalue())["yuan"] == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--nth", "0"], "nth must be at least 1, got 0"),
        (["--nth", "x"], "nth must be a whole number, got 'x'"),
        (["--nth", "2.5"], "nth must be a whole number, got '2.5'"),
        (["--pages", "-1"], "pages must be at least 0, got -1"),
    ],
)
def test_a_bad_value_is_one_clear_line(args, message):
    with pytest.raises(CommandError) as error:
        fee(*args)
    assert str(error.value) == message


@pytest.mark.parametrize("args", [[], ["--nth", "3", "--pages", "40"]])
def test_exactly_one_of_nth_and_pages(args):
    with pytest.raises(CommandError, match="--nth"):
        fee(*args)


def test_from_the_command_line_a_bad_value_ends_in_one_line_and_a_non_zero_exit():
    result = subprocess.run(
        [sys.executable, "-m", "xxgk.cli", "fee", "--pages", "-1"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == ["CommandError: pages must be at least 0, got -1"]
