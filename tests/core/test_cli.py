"""The `xxgk` command: its own help, and one clear line for every kind of bad input."""

import os
import subprocess
import sys

import pytest

from xxgk import cli


def run_xxgk(*args: str, env: dict | None = None, tmp_path=None) -> subprocess.CompletedProcess:
    environment = {**os.environ, **(env or {})}
    if tmp_path is not None:
        environment["XXGK_VAR_DIR"] = str(tmp_path)
    return subprocess.run([sys.executable, "-m", "xxgk.cli", *args], capture_output=True,
                          text=True, env=environment, timeout=120)


def test_help_lists_the_subcommands(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for name in ("serve", "migrate", "demo", "clock", "createsuperuser", "changepassword"):
        assert f"  {name}" in out


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["frobnicate"], {}, "unknown subcommand 'frobnicate'"),
        (["migrate"], {"DATABASE_URL": "not a url"}, "DATABASE_URL is not a database URL"),
        (["migrate"], {"DATABASE_URL": "mysql://root@127.0.0.1/x"}, "does not support"),
        (["migrate"], {"DATABASE_URL": "postgres://postgres:secret@127.0.0.1:1/nowhere"},
         "cannot use the PostgreSQL database 'nowhere' on 127.0.0.1:1"),
        (["migrate"], {"DATABASE_URL": "sqlite:////nonexistent-dir/sub/x.sqlite3"},
         "cannot use the SQLite file"),
    ],
)
def test_bad_input_ends_in_one_clear_line_and_a_nonzero_exit(tmp_path, args, env, expected):
    result = run_xxgk(*args, env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "secret" not in result.stderr


def test_a_malformed_option_value_is_one_line(tmp_path):
    result = run_xxgk("demo", "--seed", "abc", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "invalid int value" in result.stderr
