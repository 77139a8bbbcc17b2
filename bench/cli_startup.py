"""How long the quick commands take, whole process from start to exit: `xxgk clock`,
`xxgk fee` and `xxgk report parse`, beside `python -c "import django"` (the interpreter
and Django's package alone) and a bare `django.setup()` of xxgk (every app and model
loaded, nothing run) as the floor. Target: each command under 1 s.

    .venv/bin/python bench/cli_startup.py [--runs 9] [--fixture FILE]

Each command runs RUNS times in a subprocess, in turns (clock, fee, parse, baselines, then
again), so a machine whose speed drifts slows them all alike; the figure is the median
wall time. The commands run on a new var dir, migrated first (not timed). Bytecode caches
are allowed to be written (``PYTHONDONTWRITEBYTECODE`` is removed for the children, and one
warm-up run of each is not counted), as on an installed machine: without them every run
compiles the modules that have no cache, which measures the environment, not xxgk.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
XXGK = ROOT / ".venv" / "bin" / "xxgk"
PYTHON = ROOT / ".venv" / "bin" / "python"
FIXTURE = ROOT / "tests" / "reports" / "fixtures" / "clean_2021.html"
TARGET_SECONDS = 1.0

SETUP_ONLY = ("import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'xxgk.settings'); "
              "import django; django.setup()")


def commands(fixture: Path) -> list[tuple[str, list[str], bool]]:
    """(label, argv, is a target) in the order they take turns."""
    return [
        ("xxgk clock --received 2026-11-02 --json",
         [str(XXGK), "clock", "--received", "2026-11-02", "--json"], True),
        ("xxgk fee --nth 35 --json", [str(XXGK), "fee", "--nth", "35", "--json"], True),
        (f"xxgk report parse {fixture.name}", [str(XXGK), "report", "parse", str(fixture)], True),
        ("baseline: python -c 'import django'", [str(PYTHON), "-c", "import django"], False),
        ("floor: django.setup() of xxgk", [str(PYTHON), "-c", SETUP_ONLY], False),
    ]


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            timeout=120, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each (default 9)")
    parser.add_argument("--fixture", type=Path, default=FIXTURE,
                        help="the report file `report parse` reads")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="xxgk-cli-bench-") as var:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["XXGK_VAR_DIR"] = var
        subprocess.run([str(XXGK), "migrate", "--no-input"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        runs = commands(args.fixture)
        for _label, argv, _target in runs:  # warm-up: bytecode caches, the page cache
            timed(argv, env)
        times: dict[str, list[float]] = {label: [] for label, _argv, _target in runs}
        for _ in range(args.runs):
            for label, argv, _target in runs:
                times[label].append(timed(argv, env))

    baseline = statistics.median(times[runs[3][0]])
    width = max(len(label) for label, _argv, _target in runs)
    print(f"\nwhole-process wall time, median of {args.runs} (min-max), "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    for label, _argv, target in runs:
        values = times[label]
        median = statistics.median(values)
        verdict = ("  ok" if median < TARGET_SECONDS else "  over") if target else ""
        print(f"  {label.ljust(width)}  {median:6.3f} s  ({min(values):.3f}-{max(values):.3f})"
              f"  {median / baseline:5.1f}x baseline{verdict}")
    print(f"  (target: each xxgk command under {TARGET_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
