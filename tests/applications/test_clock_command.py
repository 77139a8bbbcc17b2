"""``xxgk clock``: an application's due date and the reasons for it, on the command line."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xxgk.holidays.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("clock", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> dict:
    return json.loads(run(*args, "--json"))


def test_prints_the_due_date_then_the_explanation_one_step_a_line():
    lines = run("--received", "2026-11-02", "--today", "2026-11-02").splitlines()
    assert lines[0] == "答复期限: 2026-11-30"
    assert lines[1] == "答复期限 2026-11-30（剩余 20 个工作日）"
    assert lines[3] == "说明："
    [step] = lines[4:]
    assert step.startswith("  [— → 2026-11-30] 2026-11-02 收到申请")
    assert step.endswith("（第三十一条、第三十三条第二款）")


def test_every_event_becomes_a_line_that_shows_how_it_moved_the_due_date():
    lines = run(
        "--received", "2026-11-02",
        "--consultation", "2026-11-05:2026-11-12",
        "--extend", "10@2026-11-20",
        "--today", "2026-11-25",
    ).splitlines()
    assert lines[0] == "答复期限: 2026-12-21"
    assert lines[-2].startswith("  [2026-11-30 → 2026-12-07] 2026-11-05 征求第三方意见")
    assert lines[-1].startswith("  [2026-12-07 → 2026-12-21] 2026-11-20 经政府信息公开工作机构")


def test_english_explanations_on_request():
    lines = run("--received", "2026-11-02", "--today", "2026-11-02", "--lang", "en").splitlines()
    assert lines[0] == "Due: 2026-11-30"
    assert lines[-1].endswith("(Regulation Arts. 31 and 33(2))")


def test_json_gives_the_due_date_the_pause_and_every_step():
    result = run_json(
        "--received", "2026-11-02",
        "--consultation", "2026-11-05:2026-11-12",
        "--today", "2026-11-20",
    )
    assert result["due"] == "2026-12-07"
    assert result["paused_working_days"] == 5
    # 3–20 November is 14 working days, 5 of them paused: 9 used, 11 left.
    assert (result["state"], result["used"], result["left"]) == ("running", 9, 11)
    assert result["assumed_years"] == []
    assert [s["kind"] for s in result["explanation"]] == ["received", "consultation"]
    assert result["explanation"][1]["article_zh"] == "第三十二条、第三十三条第三款"


@pytest.mark.parametrize(
    ("args", "due"),
    [
        # Correction: 20 working days from the corrected application (Fri 6 Nov).
        (["--correction", "2026-11-04:2026-11-06"], "2026-12-04"),
        # Fee notice Thu 5 Nov, paid Tue 10 Nov: 3 working days not counted.
        (["--fee", "2026-11-05:2026-11-10"], "2026-12-03"),
        # Extension without a date: dated the day the period started.
        (["--extend", "10"], "2026-12-14"),
        # Two consultations overlapping: each day is removed once.
        (
            ["--consultation", "2026-11-05:2026-11-12", "--agency-consultation",
             "2026-11-09:2026-11-11"],
            "2026-12-07",
        ),
    ],
)
def test_events_move_the_due_date(args, due):
    assert run_json("--received", "2026-11-02", "--today", "2026-11-30", *args)["due"] == due


def test_a_correction_still_awaited_leaves_the_due_date_open():
    result = run_json("--received", "2026-11-02", "--correction", "2026-11-04",
                      "--today", "2026-11-05")
    assert (result["due"], result["state"]) == (None, "paused")
    assert run("--received", "2026-11-02", "--correction", "2026-11-04",
               "--today", "2026-11-05").splitlines()[0] == "答复期限: 待定"


def test_a_year_without_calendar_data_is_refused_with_exit_status_2():
    with pytest.raises(CommandError) as caught:
        run("--received", "2026-12-20", "--today", "2026-12-21")
    assert caught.value.returncode == 2
    assert "no data for 2027" in str(caught.value)


def test_the_weekends_only_fallback_is_used_only_on_request_and_says_so():
    result = run_json("--received", "2026-12-20", "--today", "2026-12-21", "--assume-weekends")
    assert result["due"] == "2027-01-15"
    assert result["assumed_years"] == [2027]
    text = run("--received", "2026-12-20", "--today", "2026-12-21", "--assume-weekends")
    assert "2027 年没有工作日历数据" in text
    assert "weekends-only fallback" in text


def test_a_year_entered_in_the_database_is_used():
    year = CalendarYear.objects.create(year=2027, notice_title="国务院办公厅关于2027年部分节假日安排的通知")
    # An invented notice: 4–8 January 2027 off.
    for day in range(4, 9):
        CalendarDay.objects.create(year=year, date=f"2027-01-{day:02d}", is_working_day=False)
    result = run_json("--received", "2026-12-20", "--today", "2026-12-21")
    assert result["due"] == "2027-01-22"
    assert result["assumed_years"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--received", "2026-13-01"], "--received: '2026-13-01' is not a date"),
        (["--received", "2026-11-02", "--fee", "2026-11-05:soon"], "--fee: 'soon' is not a date"),
        (["--received", "2026-11-02", "--extend", "21"], "extension of 21 working days"),
        (["--received", "2026-11-02", "--extend", "many"], "not a number of working days"),
        (["--received", "2026-11-02", "--fee", "2026-11-05:2026-11-04"], "without a fee notice"),
        (["--received", "2026-11-02", "--replied", "2026-11-01"], "before the receipt date"),
        (["--received", "2026-11-02", "--correction-deadline", "2026-11-09"], "needs --correction"),
    ],
)
def test_malformed_input_and_rejected_events_exit_with_status_2(args, message):
    with pytest.raises(CommandError, match=message) as caught:
        run(*args, "--today", "2026-11-30")
    assert caught.value.returncode == 2


def test_the_xxgk_command_exits_2_with_one_line_on_stderr_for_an_unknown_year(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "XXGK_VAR_DIR": str(tmp_path)
    }

    def xxgk(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "xxgk.cli", *args],
            capture_output=True, text=True, env=env, check=False,
        )

    assert xxgk("migrate", "-v", "0").returncode == 0
    result = xxgk("clock", "--received", "2026-12-20", "--today", "2026-12-21")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "CommandError: the working-day calendar has no data for 2027; enter the State "
        "Council's 2027 holiday notice or use the weekends-only fallback"
    ]
