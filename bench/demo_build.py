"""How long `xxgk demo` takes on a fresh SQLite database: seconds per step and in total,
beside `xxgk migrate` as the baseline (the part of `make run`'s first start that is not
the demo).

    .venv/bin/python bench/demo_build.py [--seed N] [--profile out.prof]

Both run in subprocesses on a new var dir, as `make run` does, so nothing is cached
between them; with ``--profile`` the demo runs under cProfile and the file can be read
with ``python -m pstats``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
XXGK = ROOT / ".venv" / "bin" / "xxgk"
PYTHON = ROOT / ".venv" / "bin" / "python"

# Runs in the subprocess: the demo's own build, timing each step through its callback.
CHILD = """
import cProfile, json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xxgk.settings")
import django
django.setup()
from xxgk.demo import build

times, current = {}, {}
def on_step(step):
    now = time.perf_counter()
    if current:
        times[current["label"]] = now - current["start"]
    current.update(label=step.label, start=now)
    return lambda n: None

def run():
    build.build(int(sys.argv[1]), on_step)
    times[current["label"]] = time.perf_counter() - current["start"]

if sys.argv[2]:
    cProfile.run("run()", sys.argv[2])
else:
    run()
print(json.dumps(times))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--profile", default="", help="write a cProfile file of the demo")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xxgk-demo-bench-") as var:
        env = {**os.environ, "XXGK_VAR_DIR": var}
        env.pop("DATABASE_URL", None)  # the embedded database, as `make run` uses
        start = time.perf_counter()
        subprocess.run([str(XXGK), "migrate", "-v", "0"], env=env, check=True)
        migrate = time.perf_counter() - start
        start = time.perf_counter()
        done = subprocess.run([str(PYTHON), "-c", CHILD, str(args.seed), args.profile],
                              env=env, check=True, capture_output=True, text=True)
        total = time.perf_counter() - start
    steps = json.loads(done.stdout.strip().splitlines()[-1])
    width = max(len(label) for label in steps)
    print(f"{'xxgk migrate (baseline)':<{width}}  {migrate:7.1f} s")
    for label, seconds in steps.items():
        print(f"{label:<{width}}  {seconds:7.1f} s")
    print(f"{'demo total (process, with start-up)':<{width}}  {total:7.1f} s")
    print(f"{'migrate + demo':<{width}}  {migrate + total:7.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
