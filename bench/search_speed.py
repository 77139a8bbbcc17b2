"""Search over a catalogue of 1,000,000 items: the index build, query latency beside the
raw engine's, and the search page under wrk, on SQLite and on PostgreSQL.

Targets (issue 10), on the embedded default (SQLite): p95 at most 50 ms, xxgk at most 2x
the raw engine's time for the same queries, and the search page at least 300 requests/s
under ``wrk -c32``.

For each engine, in its own process (Django binds one database per process):

1. **Build.** ``catalog_scale.build`` writes the catalogue (real titles and 文号 spread
   over agencies and years, bodies made of real titles' phrases), or ``--reuse-*`` names
   one ``catalog_scale.py --var DIR`` built. ``indexing.rebuild()`` is timed (items/s), then
   ``suggest.rebuild_terms()`` (what ``xxgk reindex`` does after it), and the index's size
   on disk is read (SQLite: the FTS5 shadow tables and the entries with their indexes, from
   ``dbstat``; PostgreSQL: the entries' table with its TOAST and GIN indexes). A reused
   database whose index is complete is not rebuilt unless ``--rebuild``.
2. **Queries.** The labelled set (``bench/data/search_queries.jsonl``) and 1,000 queries
   drawn from the real titles (seeded: 2–3 word fragments, as typed, and whole short
   titles). Each is run through ``service.search`` (exact lookups, facets, the page,
   snippets, corrections: what the page asks for) and, for the same query, through the
   raw engine alone: the MATCH expression ``query.to_fts5`` makes, ranked by ``bm25`` with
   the same weights, or ``vector_zh @@ to_tsquery(...)`` ranked by ``ts_rank``; ten rows,
   no count, no filter, through the driver's own cursor. One untimed pass first (every
   page in the cache, as on a site that has been up a while), then the timed pass, each
   query's two runs back to back, in alternating order.
3. **Where the time goes** (``--profile``): every query again with each stage of
   ``service.search`` timed (parse, exact lookups, the matches read once, the ranked
   page, the hits' rows and snippets, corrections), and cProfile's heaviest functions.
4. **The page.** gunicorn with 2 sync workers and ``bench_settings`` (as
   ``public_pages.py`` serves), ``wrk -t2 -c32`` on ``/search/?q=…`` beside the bare view
   and the catalogue's first list page, twice: 200 of the measured queries asked again and
   again (as popular searches are: after each was asked a few times, both workers serve it
   from their page cache), and 20,000 other queries each asked once (every request a
   search).

    .venv/bin/python bench/search_speed.py [--db sqlite,postgres] [--items 1000000]
        [--reuse-sqlite DIR] [--reuse-postgres DIR DATABASE_URL] [--rebuild]
        [--queries 1000] [--profile] [--duration 10] [--no-wrk] [--keep]

Fresh databases go to a temporary XXGK_VAR_DIR (SQLite) or a new PostgreSQL database on
127.0.0.1, both removed afterwards unless ``--keep``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import catalog_scale  # noqa: E402

LABELLED = BENCH / "data" / "search_queries.jsonl"
SEED = 10
P95_TARGET_MS = 50.0
RATIO_TARGET = 2.0
RATE_TARGET = 300.0
# A whole title is typed (or pasted) when short; longer ones are pasted, and found by key.
SHORT_TITLE = (6, 18)
TITLE_SHARE = 0.25
# Queries for the page when each is asked once: more than wrk asks in a run.
DISTINCT = 20_000
# The queries asked again and again (a site's popular searches), and how many times each
# is asked before the run so that both of gunicorn's workers hold its page.
POPULAR = 200
WARM_TIMES = 4
STAGES = ("parse", "filters", "exact", "matches", "facet labels", "ranked page",
          "hits", "corrections")


# ---- the queries ----------------------------------------------------------------------

# A query: its text and the language of the page it is typed on.
Asked = tuple[str, str]


def labelled_queries() -> list[Asked]:
    """The labelled set's queries (what another benchmark judges for quality)."""
    if not LABELLED.exists():
        return []
    queries: dict[Asked, None] = {}
    with LABELLED.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                text = str(row.get("q") or "").strip()
                if text:
                    queries.setdefault((text, row.get("language") or "zh-hans"), None)
    return list(queries)


def title_queries(titles: list[str], cut: Any, count: int, seed: int = SEED) -> list[Asked]:
    """``count`` distinct queries as people type them about these documents: a run of two
    or three of a title's words (mostly run together, sometimes spaced), or a whole short
    title."""
    rng = random.Random(seed)
    short = [t for t in titles if SHORT_TITLE[0] <= len(t) <= SHORT_TITLE[1]]
    found: dict[str, None] = {}
    while len(found) < count:
        if rng.random() < TITLE_SHARE:
            found.setdefault(rng.choice(short), None)
            continue
        words = cut.query_words(rng.choice(titles))
        if len(words) < 2:
            continue
        size = min(rng.choice((2, 3)), len(words))
        start = rng.randrange(len(words) - size + 1)
        joiner = " " if rng.random() < 0.2 else ""
        found.setdefault(joiner.join(words[start:start + size]), None)
    return [(text, "zh-hans") for text in found]


# ---- measuring ------------------------------------------------------------------------

def percentiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        value = values[0] if values else float("nan")
        return {"p50": value, "p95": value, "p99": value}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


def _raw_runner(vendor: str) -> Callable[[Any, str], tuple[str, str] | None]:
    """For a parsed query and its language: the raw SQL that ranks ten matches and the
    engine's expression it is given (None: nothing to match)."""
    from xxgk.search.query import FTS5_WEIGHTS, to_fts5, to_tsquery

    if vendor == "postgresql":
        def postgres(query: Any, language: str) -> tuple[str, str] | None:
            vector, config = (("vector_en", "english") if language == "en"
                              else ("vector_zh", "simple"))
            match = f"to_tsquery('{config}', %(q)s)"
            sql = (f"SELECT item_id, ts_rank('{{0.1, 0.3, 0.6, 1.0}}', {vector}, {match}, 1)"
                   f" AS score FROM search_searchentry WHERE {vector} @@ {match} "  # noqa: S608
                   "ORDER BY score DESC LIMIT 10")
            return (sql, to_tsquery(query)) if query.terms else None

        return postgres
    weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
    sql = (f"SELECT rowid, bm25(search_fts, {weights}) AS score FROM search_fts "
           "WHERE search_fts MATCH ? ORDER BY score LIMIT 10")

    def sqlite(query: Any, language: str) -> tuple[str, str] | None:
        return (sql, to_fts5(query, "en" if language == "en" else "zh")) if query.terms else None

    return sqlite


def measure(queries: list[Asked]) -> list[dict[str, Any]]:
    """Each query through ``service.search`` and through the raw engine: ms, results."""
    from django.db import connection

    from xxgk.search.query import parse
    from xxgk.search.service import SearchRequest, search
    from xxgk.search.vocabulary import segmenter, synonyms

    statement = _raw_runner(connection.vendor)
    connection.ensure_connection()
    raw = connection.connection

    def run_raw(text: str, language: str) -> tuple[float | None, int]:
        found = statement(parse(text, segmenter(), synonyms()), language)
        if found is None:
            return None, 0
        sql, expression = found
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            with raw.cursor() as cursor:
                cursor.execute(sql, {"q": expression})
                rows = cursor.fetchall()
        else:
            rows = raw.execute(sql, (expression,)).fetchall()
        return 1000 * (time.perf_counter() - started), len(rows)

    def run_xxgk(text: str, language: str) -> tuple[float, Any]:
        started = time.perf_counter()
        page = search(SearchRequest(q=text, language=language))
        return 1000 * (time.perf_counter() - started), page

    results = []
    for timed in (False, True):
        for n, (text, language) in enumerate(queries):
            if n % 2:
                raw_ms, raw_rows = run_raw(text, language)
                xxgk_ms, page = run_xxgk(text, language)
            else:
                xxgk_ms, page = run_xxgk(text, language)
                raw_ms, raw_rows = run_raw(text, language)
            if timed:
                results.append({"q": text, "language": language, "xxgk_ms": xxgk_ms,
                                "raw_ms": raw_ms,
                                "raw_rows": raw_rows, "total": page.total,
                                "relaxed": page.relaxed, "corrected": page.corrected,
                                "exact": sum(hit.exact for hit in page.hits)})
        print(f"  {'timed' if timed else 'warm-up'} pass done ({len(queries)} queries)",
              file=sys.stderr, flush=True)
    return results


def profile(queries: list[Asked]) -> dict[str, Any]:
    """Every query again with each stage of ``service.search`` timed, and cProfile's
    heaviest functions (the stages' figures are taken without the profiler on)."""
    from xxgk.search import service, suggest
    from xxgk.search.backends import backend
    from xxgk.search.backends.base import SearchBackend
    from xxgk.search.service import SearchRequest, search

    spent = dict.fromkeys(STAGES, 0.0)
    patched: list[tuple[Any, str, Any]] = []

    def timed(owner: Any, name: str, stage: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - started

        patched.append((owner, name, original))
        setattr(owner, name, wrapper)

    for owner, name, stage in ((service, "parse", "parse"), (service, "_filters", "filters"),
                               (service, "_exact", "exact"),
                               (SearchBackend, "matches", "matches"),
                               (service, "_facets", "facet labels"),
                               # The engine's own class: SQLite ranks in its own page().
                               (type(backend()), "page", "ranked page"),
                               (service, "_hits", "hits"),
                               (suggest, "did_you_mean", "corrections")):
        timed(owner, name, stage)
    started = time.perf_counter()
    try:
        for text, language in queries:
            search(SearchRequest(q=text, language=language))
    finally:
        for owner, name, original in reversed(patched):
            setattr(owner, name, original)
    whole = time.perf_counter() - started
    profiler = cProfile.Profile()
    profiler.enable()
    for text, language in queries:
        search(SearchRequest(q=text, language=language))
    profiler.disable()
    stats = pstats.Stats(profiler)
    heaviest = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:20]
    top = [{"function": f"{Path(file).name}:{line}({name})", "calls": calls,
            "own_ms": 1000 * own / len(queries), "cumulative_ms": 1000 * cumulative /
            len(queries)}
           for (file, line, name), (_cc, calls, own, cumulative, _callers) in heaviest]
    return {"per_query_ms": 1000 * whole / len(queries),
            "stages_ms": {stage: 1000 * seconds / len(queries)
                          for stage, seconds in spent.items()},
            "top": top}


# ---- the index ------------------------------------------------------------------------

def index_size() -> dict[str, int]:
    """Bytes on disk of the search index: the engine's part and the entries' table."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('search_searchentry'), "
                           "pg_relation_size('search_entry_vector_zh') + "
                           "pg_relation_size('search_entry_vector_en'), "
                           "pg_database_size(current_database())")
            total, gin, database = cursor.fetchone()
            return {"engine": gin, "entries": total - gin, "database": database}
        cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'search_searchentry' "
                       "AND type = 'index'")
        entry_parts = ["search_searchentry", *(row[0] for row in cursor.fetchall())]
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'search_fts_%' "
                       "AND type = 'table'")
        fts_parts = [row[0] for row in cursor.fetchall()]

        def size(names: list[str]) -> int:
            total = 0
            for name in names:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = %s "
                               "AND aggregate = TRUE", [name])
                total += cursor.fetchone()[0] or 0
            return total

        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        database = pages * cursor.fetchone()[0]
        return {"engine": size(fts_parts), "entries": size(entry_parts), "database": database}


def build_index(force: bool) -> dict[str, Any]:
    """Rebuild the index (and the suggestions) unless it is complete and not ``force``."""
    from django.db import connection

    from xxgk.portal.queries import public_items
    from xxgk.search import indexing, suggest
    from xxgk.search.models import PendingEntry, SearchEntry

    public = public_items().count()
    entries = SearchEntry.objects.count()
    result: dict[str, Any] = {"public": public}
    if force or entries != public:
        def progress(done: int, total: int) -> None:
            if done // 50_000 != (done - indexing.BATCH) // 50_000:
                elapsed = time.perf_counter() - started
                print(f"  indexed {done:,}/{total:,} ({done / elapsed:,.0f}/s)",
                      file=sys.stderr, flush=True)

        started = time.perf_counter()
        written = indexing.rebuild(progress)
        result.update(rebuilt=written, rebuild_s=time.perf_counter() - started)
        started = time.perf_counter()
        result.update(terms=suggest.rebuild_terms(), terms_s=time.perf_counter() - started)
        # The fill's triggers queued every item; the rebuild has just written them all,
        # and the page's server must not find a million queued ids.
        PendingEntry.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        result["reused_entries"] = entries
    result["size"] = index_size()
    return result


# ---- the page under wrk -----------------------------------------------------------------

def _rotating_script(path: Path, queries: list[Asked], *, wrap: bool = True) -> None:
    """A wrk script asking for the search page with each query in turn; each of wrk's
    threads starts at a different place in the list. Without ``wrap`` each thread takes
    its own half of the list and never asks a query twice (the list must outlast the
    run: a request past its end asks the catalogue's first list page instead)."""
    urls = ",".join(json.dumps("/search/?q=" + urllib.parse.quote(q))
                    for q, language in queries if language == "zh-hans")
    if wrap:
        pick = "urls[((offset + n) % #urls) + 1]"
        start = "threads * 997"
    else:
        pick = "urls[offset + n] or '/xxgk/list/'"
        start = "(threads - 1) * math.floor(#urls / 2)"
    path.write_text(
        "local urls = {" + urls + "}\n"
        "local threads = 0\n"
        "function setup(thread)\n"
        "  threads = threads + 1\n"
        f"  thread:set('offset', {start})\n"
        "end\n"
        "local n = 0\n"
        "function request()\n"
        "  n = n + 1\n"
        f"  return wrk.format('GET', {pick})\n"
        "end\n", encoding="utf-8")


def load_pages(env: dict[str, str], var: str, queries: list[Asked], distinct: list[Asked],
               duration: int, connections: int, rounds: int) -> dict[str, Any]:
    """The search page under wrk beside the bare view and a cached list page: with the
    queries asked again and again (popular searches: after a first pass, each served from
    the page cache of the worker that answers it) and with ``distinct`` queries each asked
    once (every request a search)."""
    import urllib.error
    import urllib.request

    import public_pages

    repeated, once = Path(var) / "search_repeated.lua", Path(var) / "search_once.lua"
    popular = queries[:POPULAR]
    _rotating_script(repeated, popular)
    _rotating_script(once, distinct, wrap=False)
    port = public_pages._free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(var) / "gunicorn-search.log"
    server = public_pages._serve(env, port, log)
    targets = [public_pages.Target("bare Django view", "/bench/bare/", 0, None),
               public_pages.Target("catalogue list, first page", "/xxgk/list/", 0, None),
               public_pages.Target("search page, repeated queries", "/search/", 0, None,
                                   str(repeated)),
               public_pages.Target("search page, each query once", "/search/", 0, None,
                                   str(once))]
    loads: dict[str, list[Any]] = {t.label: [] for t in targets}
    try:
        try:
            probe = base + "/search/?q=" + urllib.parse.quote(queries[0][0])
            # base is the local server this process started.
            with urllib.request.urlopen(probe, timeout=60) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            return {"absent": f"/search/ answered {error.code}"}
        # Every popular query through both workers, as on a site that has been up a
        # while: each asked a few times, so that each worker has answered it once.
        for text, _language in popular:
            for _time in range(WARM_TIMES):
                with urllib.request.urlopen(  # noqa: S310 (the local server started here)
                        base + "/search/?q=" + urllib.parse.quote(text), timeout=60) as page:
                    page.read()
        for _round in range(rounds):
            for target in targets:
                loads[target.label].append(
                    public_pages._wrk(base, target, duration, connections))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {label: {"rate": statistics.median(x.rate for x in runs),
                    "p50_ms": statistics.median(x.p50_ms for x in runs),
                    "p99_ms": statistics.median(x.p99_ms for x in runs),
                    "errors": sum(x.errors for x in runs),
                    "requests": sum(x.requests for x in runs)}
            for label, runs in loads.items()}


# ---- one engine (a child process) -------------------------------------------------------

def engine_run(args: argparse.Namespace) -> None:
    """Build or open one engine's database, measure it, write the figures to ``--out``."""
    created = None
    if args.var:
        env = {"XXGK_VAR_DIR": args.var, "DJANGO_SETTINGS_MODULE": "xxgk.settings"}
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        os.environ.update(env)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        var, built = args.var, {"reused": args.var}
    else:
        var = tempfile.mkdtemp(prefix="xxgk-search-")
        made, created = catalog_scale.build(args.engine, args.items, var)
        env = made.env
        built = {"items": made.items, "seconds": made.seconds}
    from django.db import connection, connections
    from django.utils import translation

    from xxgk.search.vocabulary import segmenter

    translation.activate("zh-hans")
    figures: dict[str, Any] = {"vendor": connection.vendor, "built": built}
    try:
        figures["index"] = build_index(args.rebuild or not args.var)
        titles = [d["title"] for d in catalog_scale.real_documents()]
        labelled = labelled_queries()
        drawn = title_queries(titles, segmenter(), args.queries)
        # Never asked before (another seed, none of the measured ones): for the page
        # when every request is a search.
        measured = set(labelled) | set(drawn)
        distinct = [q for q in title_queries(titles, segmenter(), DISTINCT, seed=SEED + 1)
                    if q not in measured]
        figures["labelled_count"] = len(labelled)
        figures["results"] = {"labelled": measure(labelled) if labelled else [],
                              "titles": measure(drawn)}
        if args.profile:
            figures["profile"] = profile(labelled + drawn)
        connections.close_all()
        if not args.no_wrk:
            figures["wrk"] = load_pages(env, var, labelled + drawn, distinct, args.duration,
                                        args.connections, args.rounds)
    finally:
        if created and not args.keep:
            catalog_scale.drop_database(created)
        if not args.var and not args.keep:
            shutil.rmtree(var, ignore_errors=True)
        elif not args.var:
            figures["kept"] = env
    Path(args.out).write_text(json.dumps(figures, default=str), encoding="utf-8")


# ---- the report -------------------------------------------------------------------------

def _row(results: list[dict[str, Any]]) -> dict[str, Any]:
    both = [r for r in results if r["raw_ms"] is not None]
    xxgk = percentiles([r["xxgk_ms"] for r in results])
    same = percentiles([r["xxgk_ms"] for r in both])
    raw = percentiles([r["raw_ms"] for r in both])
    ratios = [r["xxgk_ms"] / r["raw_ms"] for r in both if r["raw_ms"] > 0]
    return {"n": len(results), "raw_n": len(both), "xxgk": xxgk, "raw": raw,
            "ratio_p50": same["p50"] / raw["p50"], "ratio_p95": same["p95"] / raw["p95"],
            "ratio_median": statistics.median(ratios) if ratios else float("nan")}


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISS"


def report(runs: dict[str, dict[str, Any]]) -> None:
    print("\nIndex build")
    print(f"{'engine':10} {'public':>10} {'rebuild s':>10} {'items/s':>9} {'terms s':>8} "
          f"{'engine MB':>10} {'entries MB':>11} {'db MB':>8}")
    for engine, figures in runs.items():
        index = figures["index"]
        size = {k: v / 2**20 for k, v in index["size"].items()}
        if "rebuild_s" in index:
            timing = (f"{index['rebuild_s']:10.0f} {index['rebuilt'] / index['rebuild_s']:9,.0f}"
                      f" {index['terms_s']:8.0f}")
        else:
            timing = f"{'(reused)':>10} {'':>9} {'':>8}"
        print(f"{engine:10} {index['public']:10,} {timing} {size['engine']:10,.0f} "
              f"{size['entries']:11,.0f} {size['database']:8,.0f}")

    print("\nQuery latency, ms (xxgk: service.search end to end; raw: the engine's ranked "
          "ten for the same MATCH)")
    print(f"{'engine':10} {'queries':14} {'n':>5} {'xxgk p50':>9} {'p95':>7} {'p99':>7} "
          f"{'raw p50':>8} {'p95':>7} {'p99':>7} {'x p50':>6} {'x p95':>6} {'x med':>6}")
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for engine, figures in runs.items():
        sets = figures["results"]
        for name, results in (("labelled", sets["labelled"]), ("from titles", sets["titles"]),
                              ("all", sets["labelled"] + sets["titles"])):
            if not results:
                continue
            row = rows[engine, name] = _row(results)
            x, r = row["xxgk"], row["raw"]
            print(f"{engine:10} {name:14} {row['n']:5} {x['p50']:9.1f} {x['p95']:7.1f} "
                  f"{x['p99']:7.1f} {r['p50']:8.1f} {r['p95']:7.1f} {r['p99']:7.1f} "
                  f"{row['ratio_p50']:6.2f} {row['ratio_p95']:6.2f} {row['ratio_median']:6.2f}")
    print("  x p50, x p95: xxgk's percentile over raw's (queries the raw engine can run); "
          "x med: the median of each query's own ratio")
    for engine, figures in runs.items():
        results = figures["results"]["labelled"] + figures["results"]["titles"]
        totals = sorted(r["total"] for r in results)
        many = sum(t >= 10_000 for t in totals)
        print(f"  {engine}: matches per query median {statistics.median(totals):,.0f}, "
              f"max {totals[-1]:,}; {many} of {len(totals)} match 10,000 or more; "
              f"{sum(r['relaxed'] for r in results)} relaxed, "
              f"{sum(bool(r['corrected']) for r in results)} corrected, "
              f"{sum(r['exact'] > 0 for r in results)} with an exact hit")
        slowest = sorted(results, key=lambda r: r["xxgk_ms"], reverse=True)[:5]
        print(f"  {engine}: slowest: " + "; ".join(
            f"{r['q']} {r['xxgk_ms']:.0f} ms (raw {r['raw_ms'] or 0:.0f}, "
            f"{r['total']:,} matches)" for r in slowest))
    if not runs[next(iter(runs))]["labelled_count"]:
        print(f"  (no labelled set at {LABELLED.relative_to(ROOT)}: title-drawn queries only)")

    for engine, figures in runs.items():
        if "profile" not in figures:
            continue
        prof = figures["profile"]
        print(f"\nWhere the time goes ({engine}, mean ms per query over "
              f"{len(figures['results']['labelled']) + len(figures['results']['titles'])}"
              f" queries; whole search {prof['per_query_ms']:.1f} ms)")
        for stage, ms in prof["stages_ms"].items():
            print(f"  {stage:14} {ms:7.2f}")
        print("  heaviest functions (own time; cumulative), under cProfile:")
        for entry in prof["top"][:15]:
            print(f"    {entry['own_ms']:7.2f} {entry['cumulative_ms']:7.2f}  "
                  f"{entry['calls']:>8}  {entry['function']}")

    print("\nThe page under wrk")
    print(f"{'engine':10} {'page':32} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>7}")
    for engine, figures in runs.items():
        pages = figures.get("wrk")
        if pages is None:
            continue
        if "absent" in pages:
            print(f"{engine:10} search page not measured: {pages['absent']}")
            continue
        for label, load in pages.items():
            print(f"{engine:10} {label:32} {load['rate']:8.0f} {load['p50_ms']:7.1f} "
                  f"{load['p99_ms']:7.1f} {load['errors']:7}")

    print("\nTargets (SQLite, the embedded default)")
    if "sqlite" in runs:
        row = rows.get(("sqlite", "all"))
        print(f"  p95 <= {P95_TARGET_MS:.0f} ms: {row['xxgk']['p95']:.1f} ms "
              f"{_verdict(row['xxgk']['p95'] <= P95_TARGET_MS)}")
        print(f"  overhead <= {RATIO_TARGET:.0f}x: p50 {row['ratio_p50']:.2f}x, "
              f"p95 {row['ratio_p95']:.2f}x "
              f"{_verdict(max(row['ratio_p50'], row['ratio_p95']) <= RATIO_TARGET)}")
        pages = runs["sqlite"].get("wrk") or {}
        for label in ("search page, repeated queries", "search page, each query once"):
            if label in pages:
                rate = pages[label]["rate"]
                print(f"  {label} >= {RATE_TARGET:.0f} req/s: {rate:.0f} "
                      f"{_verdict(rate >= RATE_TARGET)}")
    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n(load average {load_average} on {os.cpu_count()} cores)")
    for engine, figures in runs.items():
        if "kept" in figures:
            print(f"kept {engine}: " + " ".join(f"{k}={v}" for k, v in figures["kept"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgres",
                        help="the engines, comma-separated (sqlite, postgres)")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--reuse-sqlite", default="", metavar="DIR",
                        help="a var dir catalog_scale.py --var built on SQLite")
    parser.add_argument("--reuse-postgres", nargs=2, default=None, metavar=("DIR", "URL"),
                        help="a var dir and the PostgreSQL database built with it")
    parser.add_argument("--rebuild", action="store_true",
                        help="rebuild a reused database's index even when complete")
    parser.add_argument("--queries", type=int, default=1000,
                        help="how many queries to draw from the titles")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-wrk", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep fresh databases")
    # One engine's run, in a process of its own (how the parent calls itself).
    parser.add_argument("--engine", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    parser.add_argument("--var", default="", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--out", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine:
        engine_run(args)
        return
    if not args.no_wrk and shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk (or --no-wrk)")
    engines = [e.strip() for e in args.db.split(",") if e.strip()]
    runs: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="xxgk-search-speed-") as scratch:
        for engine in engines:
            out = Path(scratch) / f"{engine}.json"
            command = [sys.executable, __file__, "--engine", engine, "--out", str(out),
                       "--items", str(args.items), "--queries", str(args.queries),
                       "--duration", str(args.duration), "--connections",
                       str(args.connections), "--rounds", str(args.rounds)]
            command += [flag for flag, on in (("--rebuild", args.rebuild),
                                              ("--profile", args.profile),
                                              ("--no-wrk", args.no_wrk),
                                              ("--keep", args.keep)) if on]
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
            if engine == "sqlite" and args.reuse_sqlite:
                command += ["--var", args.reuse_sqlite]
            elif engine == "postgres" and args.reuse_postgres:
                command += ["--var", args.reuse_postgres[0], "--database-url",
                            args.reuse_postgres[1]]
            print(f"{engine}: ...", file=sys.stderr, flush=True)
            subprocess.run(command, env=env, check=True, cwd=ROOT)
            runs[engine] = json.loads(out.read_text(encoding="utf-8"))
    report(runs)


if __name__ == "__main__":
    main()
