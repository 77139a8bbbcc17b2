"""Importing the 17,266 real documents (``../shared/data/real-documents``) into a fresh
database: items per second, beside a bare ``bulk_create`` of the same number of
``InfoItem`` rows without any check, in the same run and the same database.

    .venv/bin/python bench/catalog_import.py            # SQLite; and PostgreSQL too
                                                        # when DATABASE_URL is set

The import is the whole of ``xxgk catalog import`` for each of the five files, each into
its own agency: reading the file, the per-row report (``importing.plan_import``) and the
write (``importing.run_import`` → ``bulk.publish_history``). Target (issue 9): 2,000 items/s
or more. Each engine runs in its own process (Django reads its settings once).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "real-documents"
FILES = ("guangdong", "hainan", "henan", "sichuan", "yunnan")
TARGET = 2000


def measure(engine: str) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "bench"))
    from fresh_db import fresh_database

    with fresh_database(engine, "import"):
        from django.db import transaction

        from xxgk.agencies.models import Agency
        from xxgk.catalog import importing
        from xxgk.catalog.models import InfoItem, ItemState, Origin

        figures = {"read": 0.0, "plan": 0.0, "write": 0.0, "imported": 0, "rows": 0}
        for index, name in enumerate(FILES):
            agency = Agency.objects.create(code=f"7{index:05d}", name=f"{name}省人民政府",
                                           kind=Agency.Kind.DISTRICT)
            start = time.perf_counter()
            source = importing.read_path(DATA / f"{name}.jsonl")
            read = time.perf_counter()
            plan = importing.plan_import(agency, source)
            planned = time.perf_counter()
            result = importing.run_import(plan)
            figures["read"] += read - start
            figures["plan"] += planned - read
            figures["write"] += time.perf_counter() - planned
            figures["imported"] += result.imported
            figures["rows"] += plan.rows

        # The baseline: the same number of rows, bulk-created as they are, no checks.
        rows = [json.loads(line) for name in FILES
                for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()]
        agency = Agency.objects.create(code="799999", name="baseline", kind=Agency.Kind.DISTRICT)
        start = time.perf_counter()
        with transaction.atomic():
            day = dt.date.fromisoformat
            InfoItem.objects.bulk_create(
                (InfoItem(agency=agency, index_no=f"799999/{i:06d}", title=row["title"],
                          doc_no=row["doc_no"] or "", source_url=row["url"],
                          formed_on=day(row["published_on"]), publish_by=day(row["published_on"]),
                          published_on=day(row["published_on"]), state=ItemState.PUBLISHED,
                          origin=Origin.IMPORTED) for i, row in enumerate(rows)),
                batch_size=1000)
        figures["baseline"] = time.perf_counter() - start
        figures["baseline_rows"] = len(rows)
    return figures


def report(engine: str, f: dict[str, float]) -> None:
    total = f["read"] + f["plan"] + f["write"]
    rate = f["imported"] / total
    baseline = f["baseline_rows"] / f["baseline"]
    print(f"{engine}: {int(f['rows'])} rows, {int(f['imported'])} imported")
    print(f"  import (read {f['read']:.2f} s + report {f['plan']:.2f} s + write "
          f"{f['write']:.2f} s = {total:.2f} s)  {rate:8.0f} items/s   "
          f"{'meets' if rate >= TARGET else 'MISSES'} the target of {TARGET}")
    print(f"  bare bulk_create of InfoItem rows (baseline)          {baseline:8.0f} items/s"
          f"   import at {rate / baseline:.2f}× the baseline")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"),
                        help="(internal) measure one engine in this process")
    args = parser.parse_args()
    if args.engine:
        print(json.dumps(measure(args.engine)))
        return 0
    engines = ["sqlite"] + (["postgres"] if os.environ.get("DATABASE_URL") else [])
    for engine in engines:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        done = subprocess.run([sys.executable, __file__, "--engine", engine], env=env,
                              check=True, capture_output=True, text=True)
        report(engine, json.loads(done.stdout.strip().splitlines()[-1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
