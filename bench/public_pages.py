"""The public pages over a catalogue of 1,000,000 items under wrk, beside a bare Django view
in the same run: requests/s and p99 of each, and its rate as a share of the bare view's.

Targets (issue 9): item pages at least 0.8x the bare view's rate with p99 under 50 ms;
listing pages (first and deep) and the policy library at least 0.5x. The site is served as
``xxgk serve`` serves it (gunicorn, 2 sync workers) with ``bench_settings``: xxgk's
settings plus ``/bench/bare/`` (``bench_urls.py``), a view that reads and renders nothing,
through the same middleware in the same processes. Every URL is requested once first
(what a first visitor pays: the render), then loaded with ``wrk -t2 -c32 -d10s``. The
"cold items" line asks for a different item each request, so that nothing is served from
the page cache: the render's own rate.

    .venv/bin/python bench/public_pages.py [--items 1000000] [--db sqlite|postgres]
        [--reuse VAR_DIR] [--duration 10] [--rounds 1]

The database is built by ``catalog_scale.build`` (a minute or two for a million items) in
a temporary XXGK_VAR_DIR, or on PostgreSQL with ``--db postgres`` (a new database, dropped
afterwards); ``--reuse DIR`` serves a database ``catalog_scale.py --var DIR`` built (with
DATABASE_URL set for a PostgreSQL one). With ``--rounds N`` each URL is loaded N times,
interleaved with the bare view, and the medians are printed: the machine's other load then
weighs on the page and its baseline alike. A page's share ("x bare") is the median of its
rate over the bare view's rate in the run just before it.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import catalog_scale  # noqa: E402

GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    goal: float            # the least share of the bare view's rate
    p99_ms: float | None   # the greatest p99, where the issue sets one
    script: str = ""       # a wrk Lua script (cold items)


@dataclass(frozen=True)
class Load:
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _targets(var: str) -> list[Target]:
    """The URLs, picked from the database (Django is set up)."""
    from django.db.models import Count

    from xxgk.agencies.models import Agency
    from xxgk.catalog.models import Category
    from xxgk.portal.queries import public_items, public_policies

    rng = random.Random(9)
    items = public_items()
    total = items.count()
    newest = items.order_by("-published_on", "-pk")
    plain = items.filter(policydocument__isnull=True, interpretation__isnull=True)
    item = plain.order_by("-published_on", "-pk").values_list("pk", flat=True)[total // 3]
    policy = (public_policies().annotate(n=Count("interpretations")).filter(n__gt=0)
              .order_by("-issued_on").values_list("pk", flat=True).first())
    # Far back: the page that starts nine tenths of the way down the newest-first listing.
    day, pk = newest.values_list("published_on", "pk")[int(total * 0.9)]
    category = (Category.objects.filter(branch="statutory", children__isnull=True)
                .annotate(n=Count("items")).order_by("-n").values_list("code", flat=True)
                .first())
    top = Agency.objects.filter(parent__isnull=True).values_list("code", flat=True).first()
    years = sorted({d.year for d in public_policies().dates("issued_on", "year")})
    year = years[len(years) // 2]
    sample = rng.sample(list(items.values_list("pk", flat=True)[: min(total, 400_000)]),
                        min(total, 50_000))
    script = Path(var) / "cold_items.lua"
    script.write_text(
        "local pks = {" + ",".join(map(str, sample)) + "}\n"
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        "  return wrk.format('GET', '/xxgk/item/' .. pks[(n % #pks) + 1] .. '/')\n"
        "end\n")
    return [
        Target("item page", f"/xxgk/item/{item}/", 0.8, 50),
        Target("policy page (interpretations)", f"/xxgk/item/{policy}/", 0.8, 50),
        Target("listing, first page", "/xxgk/list/", 0.5, None),
        Target("listing, deep (keyset)", f"/xxgk/list/?before={day.isoformat()}_{pk}", 0.5,
               None),
        Target("category listing", f"/xxgk/fdzdgknr/{category}/", 0.5, None),
        Target("policy library, filtered",
               f"/xxgk/policies/?kind=normative_documents&validity=in_force&year={year}"
               f"&agency={top}", 0.5, None),
        Target("cold items (no cache hit)", "/xxgk/item/", 0.0, None, str(script)),
    ]


def _serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [str(GUNICORN), "xxgk.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", "2", "--pythonpath", str(BENCH), "--access-logfile", "-"]
    # Every request comes from this one address: the search budget per address is lifted,
    # as bench/submissions.py lifts the submissions limit (bench/search_speed.py serves here).
    server = subprocess.Popen(command, env={**os.environ, **env,
                                            "DJANGO_SETTINGS_MODULE": "bench_settings",
                                            "XXGK_SEARCHES_PER_MINUTE": "0"},
                              stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2)
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if server.poll() is not None:
                sys.exit(f"gunicorn exited ({server.returncode}); see {log}")
            time.sleep(0.3)
    server.terminate()
    sys.exit(f"gunicorn did not answer within 60 s; see {log}")


def _first(base: str, target: Target) -> float:
    """Request the page once (as a first visitor does); its time in ms."""
    started = time.perf_counter()
    try:
        # base is the local server this script started (http://127.0.0.1:port).
        with urllib.request.urlopen(base + target.path, timeout=120) as response:  # noqa: S310
            response.read()
    except urllib.error.HTTPError as error:
        sys.exit(f"{target.path} answered {error.code}: is the portal's page there?")
    return 1000 * (time.perf_counter() - started)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def _wrk(base: str, target: Target, duration: int, connections: int) -> Load:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    if target.script:
        command += ["-s", target.script]
    output = subprocess.run([*command, base + target.path], capture_output=True, text=True,
                            check=True, timeout=duration + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M)[1])
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M)[1])
    requests = int(re.search(r"(\d+) requests in", output)[1])
    errors = int(m[1]) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                      output):
        errors += int(m[1]) + int(m[4])
    return Load(rate, p50, p99, errors, requests)


def _median(loads: list[Load]) -> Load:
    return Load(statistics.median(x.rate for x in loads),
                statistics.median(x.p50_ms for x in loads),
                statistics.median(x.p99_ms for x in loads),
                sum(x.errors for x in loads), sum(x.requests for x in loads))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--reuse", default="", help="a var dir catalog_scale.py --var built")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    created = None
    if args.reuse:
        var = args.reuse
        env = {"XXGK_VAR_DIR": var}
        if os.environ.get("DATABASE_URL"):
            env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        os.environ.update(env, DJANGO_SETTINGS_MODULE="xxgk.settings")
        import django
        from django.core.management import call_command

        django.setup()
        # A database built before the latest migrations would be measured without their
        # indexes (the catalogue tree's count took 4 s instead of 0.1 s on one).
        call_command("migrate", verbosity=0)
        built_note = f"reused {var}"
    else:
        var = tempfile.mkdtemp(prefix="xxgk-pages-")
        built, created = catalog_scale.build(args.db, args.items, var)
        env = built.env
        built_note = (f"built {built.items:,} items in {built.seconds:.0f} s "
                      f"({built.items / built.seconds:,.0f} rows/s)")
    from django.db import connection, connections

    from xxgk.portal.queries import public_items

    public = public_items().count()
    targets = _targets(var)
    vendor = connection.vendor
    connections.close_all()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(var) / "gunicorn.log"
    server = _serve(env, port, log)
    bare = Target("bare Django view", "/bench/bare/", 1.0, None)
    try:
        firsts = {t.label: _first(base, t) for t in targets if not t.script}
        loads: dict[str, list[Load]] = {t.label: [] for t in [bare, *targets]}
        # Each page's share is taken against the bare view loaded just before it, so
        # that the machine's other load (which varies) weighs on both.
        ratios: dict[str, list[float]] = {t.label: [] for t in targets}
        for _round in range(args.rounds):
            for target in targets:
                floor = _wrk(base, bare, args.duration, args.connections)
                load = _wrk(base, target, args.duration, args.connections)
                loads[bare.label].append(floor)
                loads[target.label].append(load)
                ratios[target.label].append(load.rate / floor.rate)
    finally:
        server.terminate()
        server.wait(timeout=30)
    baseline = _median(loads[bare.label])
    print(f"\n{'page':32} {'first ms':>9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'x bare':>7} {'goal':>12} {'':4}")
    print(f"{bare.label:32} {'':>9} {baseline.rate:9.0f} {baseline.p50_ms:8.1f} "
          f"{baseline.p99_ms:8.1f} {1:7.2f}")
    for target in targets:
        load = _median(loads[target.label])
        ratio = statistics.median(ratios[target.label])
        goal = f">= {target.goal:.1f}x" if target.goal else "(render)"
        if target.p99_ms:
            goal += f", <{target.p99_ms:.0f}"
        met = ratio >= target.goal and (target.p99_ms is None or load.p99_ms < target.p99_ms)
        verdict = "" if not target.goal else "ok" if met else "MISS"
        errors = f"  {load.errors} errors" if load.errors else ""
        first = f"{firsts[target.label]:9.0f}" if target.label in firsts else f"{'':>9}"
        print(f"{target.label:32} {first} {load.rate:9.0f} {load.p50_ms:8.1f} "
              f"{load.p99_ms:8.1f} {ratio:7.2f} {goal:>12} {verdict:4}{errors}")
    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n({vendor}; {public:,} public items; {built_note}; wrk -t2 -c{args.connections} "
          f"-d{args.duration}s x {args.rounds}; gunicorn 2 sync workers; "
          f"load average {load_average} on {os.cpu_count()} cores)")
    for target in targets:
        print(f"  {target.label}: {target.path}")
    if created:
        catalog_scale.drop_database(created)
    if not args.reuse:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
