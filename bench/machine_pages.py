"""The machine-readable pages over a catalogue of 1,000,000 items: the sitemap index, one
sitemap section of 50,000 addresses (first and last), the feeds and the catalogue API's
first and deep pages — time per request and, for a sitemap section, the peak of Python
memory while it is written.

Requests go through Django's whole stack in this process (``django.test.Client``: every
middleware, the URLconf, the view), with the page cache out of the way (each request is
the render itself). Memory is traced (``tracemalloc``) in a separate run of the section,
since tracing slows it down.

    .venv/bin/python bench/machine_pages.py [--items 1000000] [--db sqlite|postgres]
        [--reuse VAR_DIR] [--repeat 3]

The database is built by ``catalog_scale.build`` in a temporary XXGK_VAR_DIR (or on
PostgreSQL with ``--db postgres``, dropped afterwards); ``--reuse DIR`` reads one that
``catalog_scale.py --var DIR`` built (with DATABASE_URL set for PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import catalog_scale  # noqa: E402


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _timed(client, path: str, repeat: int) -> tuple[float, int, int]:
    """The median seconds of ``repeat`` requests, the status and the size of the answer."""
    times, size, status = [], 0, 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        body = _body(response)
        times.append(time.perf_counter() - started)
        size, status = len(body), response.status_code
    return statistics.median(times), status, size


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from xxgk.agencies.models import Agency
    from xxgk.catalog.models import Category, InfoItem
    from xxgk.portal import cache, sitemaps

    # Each request renders: the figures are the work, not a cache hit.
    cache.default_cache().max_bytes = 0
    client = Client(HTTP_HOST="localhost")
    items = InfoItem.objects.count()
    public = InfoItem.objects.filter(state="published", attribute="proactive").count()
    pages = sitemaps.ItemSitemap().num_pages()
    agency = (Agency.objects.filter(info_items__isnull=False).values_list("code", flat=True)
              .first())
    category = Category.objects.filter(items__isnull=False).values_list("code", flat=True).first()
    first = client.get("/api/catalog/items?limit=100").json()
    # A cursor half-way down the list (found once with an OFFSET: the bench's cost, not
    # the API's, which starts its scan at the key).
    middle = (InfoItem.objects.filter(state="published", attribute="proactive")
              .order_by("-published_on", "-pk").values_list("published_on", "pk")[public // 2])
    deep = f"{middle[0].isoformat()}_{middle[1]}"
    print(f"{items:,} items, {public:,} public; {pages} sitemap pages of items "
          f"(≤ {sitemaps.LIMIT:,} addresses each)")
    print(f"{connection.vendor}; median of {repeat} requests through the full Django stack")
    print(f"{'page':58} {'ms':>8} {'status':>6} {'bytes':>11} {'queries':>7}")
    for path in (
        "/robots.txt",
        "/sitemap.xml",
        "/sitemap-items.xml",
        f"/sitemap-items.xml?p={pages // 2}",
        f"/sitemap-items.xml?p={pages}",
        "/sitemap-categories.xml",
        "/sitemap-agencies.xml",
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/agency/{agency}/rss/",
        f"/feeds/category/{category}/rss/",
        "/api/catalog/items?limit=100",
        f"/api/catalog/items?limit=100&cursor={first['next']}",
        f"/api/catalog/items?limit=100&cursor={deep}",
        f"/api/catalog/items?limit=100&agency={agency}&year=2020",
        "/api/catalog/policies?limit=100",
        "/api/catalog/policies?limit=100&validity=repealed",
        "/api/catalog/categories",
        "/api/reports",
    ):
        seconds, status, size = _timed(client, path, repeat)
        with CaptureQueriesContext(connection) as queries:
            _body(client.get(path))
        print(f"{path[:58]:58} {seconds * 1000:8.1f} {status:6} {size:11,} "
              f"{len(queries):7}")

    for path in ("/sitemap-items.xml", f"/sitemap-items.xml?p={pages}"):
        tracemalloc.start()
        response = client.get(path)
        written = 0
        for chunk in response.streaming_content:
            written += len(chunk)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak Python memory writing {path}: {peak / 2**20:.1f} MiB "
              f"for {written / 2**20:.1f} MiB of XML")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--reuse", default="", help="an XXGK_VAR_DIR catalog_scale.py built")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    created = None
    if args.reuse:
        os.environ["XXGK_VAR_DIR"] = args.reuse
        os.environ["DJANGO_SETTINGS_MODULE"] = "xxgk.settings"
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)  # measure with the latest indexes
        measure(args.repeat)
        return
    with tempfile.TemporaryDirectory() as var:
        try:
            built, created = catalog_scale.build(args.db, args.items, var)
            print(f"built {built.items:,} items in {built.seconds:.0f} s")
            measure(args.repeat)
        finally:
            if created:
                from django.db import connections

                connections.close_all()
                catalog_scale.drop_database(created)


if __name__ == "__main__":
    main()
