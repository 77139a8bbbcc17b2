"""The pure core imports no Django: the law and the report format are plain Python, testable
and usable without a database or settings (design principle 1)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PURE_CORE = ("xxgk.workdays", "xxgk.taxonomy", "xxgk.applications.clock",
             "xxgk.applications.fees", "xxgk.reports.national_format", "xxgk.reports.parse",
             "xxgk.docnumbers", "xxgk.citations", "xxgk.archives", "xxgk.contents", "xxgk.search.text", "xxgk.search.segment", "xxgk.search.query",
             "xxgk.search.highlight", "xxgk.reports.audit")


@pytest.mark.parametrize("module", PURE_CORE)
def test_the_pure_core_imports_no_django(module):
    # A fresh interpreter: this test process has Django loaded already.
    probe = (f"import sys, {module}; "
             "print(sorted(n for n in sys.modules if n == 'django' or n.startswith('django.')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, env={"PATH": "/usr/bin:/bin"})
    assert result.stdout.strip() == "[]"


def test_the_list_is_the_one_mypy_checks():
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    checked = {f.removeprefix("src/").removesuffix(".py").replace("/", ".")
               for f in config["tool"]["mypy"]["files"]}
    assert checked == set(PURE_CORE)
