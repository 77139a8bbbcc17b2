"""A catalogue of 1,000,000 items for the public pages' benchmarks, built in about a minute.

The demo district's agencies (``xxgk demo``'s first step) and the shipped catalogue tree,
then N items written straight into the tables (bulk inserts: ``executemany`` on SQLite,
``COPY`` on PostgreSQL), titled and numbered after the 17,266 real documents in
``../shared/data/real-documents/`` and mixed as a district's catalogue is: about 1% policy
documents (rules, normative documents, others, a fifth of them no longer in force, each with
its dated validity change), 0.8% interpretations linked to a policy, key-area items,
channels, a few drafts, withdrawn and withheld items, dates spread over twelve years. Index
numbers and their counters are kept consistent, so the actions layer can go on writing.
This is a benchmark's fixture, not the import path: ``catalog.bulk`` measures that.

Prints the rows written, the time and the rate, beside the same database's ``xxgk migrate``
(the fixed cost every build pays).

    .venv/bin/python bench/catalog_scale.py [--items 1000000] [--db sqlite|postgres] [--keep]

SQLite goes to a file in a new temporary XXGK_VAR_DIR; ``--db postgres`` makes a new
database on 127.0.0.1 (dropped afterwards unless ``--keep``); with DATABASE_URL set, that
(empty) database is used and kept. ``bench/public_pages.py`` builds its database with
:func:`build`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ROOT.parent / "shared" / "data" / "real-documents"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
BATCH = 20_000
FIRST_DAY = dt.date(2014, 1, 1)
# Shares of the rows (the seed district: 49 policy documents and 41 interpretations among
# 25,284 items a year is 0.2%; a library of every year's documents holds more).
POLICY_SHARE, INTERPRETATION_SHARE, KEY_AREA_SHARE = 0.010, 0.008, 0.06
VALIDITY_MIX = (("in_force", 80), ("amended", 8), ("expired", 7), ("repealed", 5))
KIND_MIX = (("rules", 5), ("normative_documents", 70), ("other", 25))


@dataclass
class Built:
    """Where the database is and what went in (for ``public_pages.py``)."""

    env: dict[str, str]
    items: int
    policies: int
    interpretations: int
    seconds: float
    migrate_seconds: float
    sample: dict[str, object]


def real_documents() -> list[dict]:
    rows = []
    for path in sorted(DOCUMENTS.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            rows += [json.loads(line) for line in f if line.strip()]
    if not rows:
        sys.exit(f"no real documents under {DOCUMENTS}")
    return rows


def prepare_environment(engine: str, var: str) -> tuple[dict[str, str], str | None]:
    """The environment of the database to build; the name of a database we created."""
    env = {"XXGK_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "xxgk.settings"}
    created = None
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    elif engine == "postgres":
        created = f"xxgk_bench_scale_{os.getpid()}"
        subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {created}"], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{created}"
    os.environ.update(env)
    return env, created


def drop_database(name: str) -> None:
    from django.db import connections

    connections.close_all()
    subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)


def _weighted(rng: random.Random, mix: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _w in mix], weights=[w for _k, w in mix])[0]


def _bodies(rng: random.Random, titles: list[str], count: int = 2000) -> list[str]:
    # About 1.5 KB each, the size of a short notice: the page renders a body of that
    # order. A pool, drawn from for each item: making a million would take longer than
    # writing them.
    bodies = []
    for _n in range(count):
        title, *others = rng.sample(titles, 5)
        bodies.append(
            "<p>各有关单位：</p>"
            f"<p>现将《{title}》印发给你们，请结合实际认真贯彻执行。</p>"
            + "".join(f"<p>{n}、参照《{t}》的有关规定，做好相关工作的组织实施、"
                      "督促检查和信息报送。</p>" for n, t in zip("一二三四", others, strict=True))
            + "<p>特此通知。</p>")
    return bodies


def _secondary_indexes(connection, tables: list[str]) -> list[str]:
    """The statements that create the tables' secondary indexes (not the primary keys,
    nor the unique constraints' own indexes)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = "
                "i.indexname JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename = ANY(%s)"
                " AND NOT x.indisprimary AND NOT x.indisunique", [tables])
        else:
            marks = ", ".join("%s" for _ in tables)
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT "
                           f"NULL AND tbl_name IN ({marks}) AND sql NOT LIKE 'CREATE UNIQUE%%'",
                           tables)
        return [row[0] for row in cursor.fetchall()]


def _index_name(statement: str) -> str:
    return re.search(r'INDEX\s+(?:IF NOT EXISTS\s+)?"?([\w.]+)"?\s+ON', statement, re.I)[1]


class _Writer:
    """Rows into one table: ``executemany`` on SQLite, ``COPY`` on PostgreSQL."""

    def __init__(self, connection, table: str, columns: list[str]) -> None:
        self.connection, self.table, self.columns = connection, table, columns
        self.rows: list[tuple] = []

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        names = ", ".join(self.columns)
        if self.connection.vendor == "postgresql":
            with self.connection.connection.cursor() as cursor, cursor.copy(
                    f"COPY {self.table} ({names}) FROM STDIN") as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in self.columns)
            self.connection.connection.executemany(
                f"INSERT INTO {self.table} ({names}) VALUES ({marks})", self.rows)
        self.rows = []


def fill(count: int, seed: int = 2023) -> dict[str, object]:
    """Write ``count`` catalogue rows (Django is set up); returns sample keys for pages."""
    from django.db import connection, transaction
    from django.utils import timezone

    from xxgk.agencies.models import Agency
    from xxgk.catalog.actions import publication_deadline
    from xxgk.catalog.models import (
        Category,
        IndexSequence,
        InfoItem,
        Interpretation,
        ItemChannel,
        PolicyDocument,
        ValidityChange,
    )
    from xxgk.demo import build as demo
    from xxgk.holidays.calendar import calendar_pinned

    with transaction.atomic():  # idempotent, as the demo's steps are
        demo.build_agencies(random.Random(f"{seed}:agencies"), lambda n: None)
    rng = random.Random(seed)
    documents = real_documents()
    titles = [d["title"] for d in documents]
    bodies = _bodies(rng, titles)
    agencies = list(Agency.objects.order_by("sort_order", "pk"))
    # The district government and the big departments publish most.
    weights = [8 if a.parent_id is None else 4 if i < 12 else 1 for i, a in enumerate(agencies)]
    cumulative = list(itertools.accumulate(weights))
    leaves = list(Category.objects.filter(is_active=True, children__isnull=True))
    key_areas = [c for c in leaves if c.branch == "key_area"] or leaves
    others = [c for c in leaves if c.branch != "key_area"] or leaves
    grounds = ["withheld.state_secret", "withheld.third_party_rights"]
    today = timezone.localdate()
    span = (today - FIRST_DAY).days
    now = timezone.now()

    def columns(model) -> list[str]:
        return [f.column for f in model._meta.local_concrete_fields]

    item_columns = columns(InfoItem)
    defaults = {f.column: f.get_default() for f in InfoItem._meta.local_concrete_fields}
    defaults.update(created_at=now, changed_at=now)
    start = (InfoItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    with connection.cursor():
        pass  # open the connection the writers use
    if connection.vendor == "postgresql":
        # Rows written with COPY need no per-row triggers; the generation is bumped below.
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
    else:
        # A fixture: no fsync, and a page cache large enough that the indexes stay in it.
        connection.connection.execute("PRAGMA synchronous = OFF")
        connection.connection.execute("PRAGMA cache_size = -500000")
    items = _Writer(connection, InfoItem._meta.db_table, item_columns)
    policy_columns = columns(PolicyDocument)
    policies = _Writer(connection, PolicyDocument._meta.db_table, policy_columns)
    interpretation_writer = _Writer(connection, Interpretation._meta.db_table,
                                    columns(Interpretation))
    validity = _Writer(connection, ValidityChange._meta.db_table,
                       ["document_id", "changed_on", "validity", "by_document_id", "note",
                        "recorded_at", "recorded_by_id"])
    channels = _Writer(connection, ItemChannel._meta.db_table, ["item_id", "channel"])
    serials = {(a, y): last for a, y, last in
               IndexSequence.objects.values_list("agency_id", "year", "last")}
    deadlines: dict[dt.date, dt.date] = {}
    published_policies: list[tuple[int, dt.date]] = []
    sample: dict[str, object] = {}
    counts = {"policies": 0, "interpretations": 0}
    # Indexes built once over all the rows are far quicker than a million random inserts
    # into each: dropped here, made again below, inside the same transaction.
    indexes = _secondary_indexes(connection, [InfoItem._meta.db_table,
                                              PolicyDocument._meta.db_table])
    with calendar_pinned(), transaction.atomic():
        with connection.cursor() as cursor:
            for statement in indexes:
                cursor.execute(f'DROP INDEX "{_index_name(statement)}"')
        for n in range(count):
            pk = start + n
            document = documents[n % len(documents)]
            agency = rng.choices(agencies, cum_weights=cumulative)[0]
            published = FIRST_DAY + dt.timedelta(days=rng.randint(0, span))
            formed = published - dt.timedelta(days=rng.choice((0, 1, 2, 3, 5, 8, 12, 20, 35)))
            if formed not in deadlines:
                deadlines[formed] = publication_deadline(formed)
            key = (agency.pk, formed.year)
            serials[key] = serials.get(key, 0) + 1
            roll = rng.random()
            kind = ("policy" if roll < POLICY_SHARE else
                    "interpretation" if roll < POLICY_SHARE + INTERPRETATION_SHARE
                    and published_policies else "item")
            state, attribute, ground = "published", "proactive", ""
            fate = rng.random()
            if kind == "item" and fate < 0.02:
                state = "draft"
            elif kind == "item" and fate < 0.03:
                state = "withdrawn"
            elif kind == "item" and fate < 0.04:
                state, attribute, ground = "draft", "withheld", rng.choice(grounds)
            key_area = kind == "item" and rng.random() < KEY_AREA_SHARE
            category = rng.choice(key_areas if key_area else others)
            title = document["title"]
            if kind == "interpretation":
                title = f"《{title}》政策解读"
            values = dict(defaults)
            values.update(
                id=pk, agency_id=agency.pk, index_no=f"{agency.code}/{formed.year}-"
                f"{serials[key]:05d}", category_id=category.pk, title=title[:300],
                doc_no=(document.get("doc_no") or "")[:80] if kind != "interpretation" else "",
                body=rng.choice(bodies), attribute=attribute,
                withholding_ground=ground, key_area=key_area, state=state,
                origin="imported" if published.year < 2023 else "xxgk",
                source_url=document["url"][:500] if published.year < 2023 else "",
                formed_on=formed, publish_by=deadlines[formed],
                published_on=published if state != "draft" else None,
                withdrawn_on=published if state == "withdrawn" else None,
                withdrawal_reason="内容已过时" if state == "withdrawn" else "")
            items.add(tuple(values[c] for c in item_columns))
            if kind == "policy":
                status = _weighted(rng, VALIDITY_MIX)
                policy_values = {"infoitem_ptr_id": pk, "kind": _weighted(rng, KIND_MIX),
                                 "issued_on": formed, "validity": status}
                policies.add(tuple(policy_values.get(c, "") for c in policy_columns))
                if status != "in_force":
                    changed = min(published + dt.timedelta(days=rng.randint(200, 2000)), today)
                    validity.add((pk, changed, status, None, "清理规范性文件", now, None))
                published_policies.append((pk, published))
                counts["policies"] += 1
                sample.setdefault("policy", pk)
            elif kind == "interpretation":
                policy_pk, _day = published_policies[rng.randrange(len(published_policies))]
                interpretation_writer.add((pk, policy_pk))
                counts["interpretations"] += 1
            elif state == "published" and attribute == "proactive":
                sample.setdefault("item", pk)
            if state == "published" and rng.random() < 0.1:
                channels.add((pk, rng.choice(("weibo", "wechat"))))
        # Children after parents: the foreign keys point at rows already written.
        for writer in (items, policies, interpretation_writer, validity, channels):
            writer.flush()
        with connection.cursor() as cursor:
            for statement in indexes:
                cursor.execute(statement)
        IndexSequence.objects.bulk_create(
            [IndexSequence(agency_id=a, year=y, last=last) for (a, y), last in serials.items()],
            update_conflicts=True, unique_fields=["agency", "year"], update_fields=["last"])
        with connection.cursor() as cursor:
            cursor.execute("UPDATE portal_generation SET number = number + 1 WHERE id = 1")
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = DEFAULT")
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{InfoItem._meta.db_table}'"
                               f", 'id'), {start + count})")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    sample.update(counts)
    return sample


def build(engine: str, items: int, var: str) -> tuple[Built, str | None]:
    """Migrate a new database and fill it; returns what was built and the name of a
    PostgreSQL database made for it (to drop), if any."""
    env, created = prepare_environment(engine, var)
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter() - started
    started = time.perf_counter()
    sample = fill(items)
    seconds = time.perf_counter() - started
    from django.db import connections

    connections.close_all()
    return Built(env=env, items=items, policies=int(sample.pop("policies")),
                 interpretations=int(sample.pop("interpretations")), seconds=seconds,
                 migrate_seconds=migrated, sample=sample), created


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--var", default="", help="the XXGK_VAR_DIR to build in (kept)")
    args = parser.parse_args()
    if args.var:
        args.keep = True
        Path(args.var).mkdir(parents=True, exist_ok=True)
    var = args.var or tempfile.mkdtemp(prefix="xxgk-scale-")
    built, created = build(args.db, args.items, var)
    from django.db import connection

    print(f"\n{'step':28} {'seconds':>9} {'rows/s':>10}")
    print(f"{'xxgk migrate (baseline)':28} {built.migrate_seconds:9.1f} {'':>10}")
    print(f"{'catalogue rows':28} {built.seconds:9.1f} {built.items / built.seconds:10,.0f}")
    print(f"\n{built.items:,} items: {built.policies:,} policy documents, "
          f"{built.interpretations:,} interpretations (database: {connection.vendor})")
    if args.keep:
        print("kept: " + " ".join(f"{k}={v}" for k, v in built.env.items()))
    else:
        if created:
            drop_database(created)
        import shutil

        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
