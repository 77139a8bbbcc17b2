"""``xxgk search QUERY``: the public search, from the command line.

The same function as the search page and ``GET /api/search`` (``search.service.search``):
what this prints is what the public finds. ``--json`` prints the API's object.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xxgk.search.query import FIELDS
from xxgk.search.service import SORTS, SearchRequest, search


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Search the public catalogue and policy library."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="+", help="what to search for")
        parser.add_argument("--agency", default="", metavar="CODE",
                            help="only this agency's items (and those of agencies below it)")
        parser.add_argument("--category", default="", metavar="CODE",
                            help="only items in this catalogue category")
        parser.add_argument("--kind", default="", help="only policy documents of this kind")
        parser.add_argument("--validity", default="",
                            help="only policy documents of this validity (in_force, …)")
        parser.add_argument("--field", default="all", choices=FIELDS,
                            help="where the words must stand (default all)")
        parser.add_argument("--since", type=_date, metavar="DATE",
                            help="published on or after DATE")
        parser.add_argument("--until", type=_date, metavar="DATE",
                            help="published on or before DATE")
        parser.add_argument("--sort", default="relevance", choices=SORTS)
        parser.add_argument("--limit", type=int, default=10, metavar="N",
                            help="results to print (1–100, default 10)")
        parser.add_argument("--page", type=int, default=1, metavar="N")
        parser.add_argument("--english", action="store_true",
                            help="search the English titles and texts")
        parser.add_argument("--json", action="store_true", dest="as_json",
                            help="print the result as the JSON API does")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["limit"] <= 100:
            raise CommandError("--limit must be between 1 and 100")
        if options["page"] < 1:
            raise CommandError("--page must be 1 or more")
        page = search(SearchRequest(
            q=" ".join(options["query"]), agency=options["agency"],
            category=options["category"], kind=options["kind"],
            validity=options["validity"], field=options["field"], since=options["since"],
            until=options["until"], sort=options["sort"], limit=options["limit"],
            page=options["page"], language="en" if options["english"] else "zh-hans"))
        if options["as_json"]:
            self.stdout.write(json.dumps(page.as_json(), ensure_ascii=False, indent=1))
            return
        if page.corrected:
            self.stdout.write(f"(searched for {page.corrected})")
        if page.suggestion:
            self.stdout.write(f"(did you mean: {page.suggestion})")
        self.stdout.write(f"{page.total} result(s)" + (" holding some of the words"
                                                       if page.relaxed else ""))
        for number, hit in enumerate(page.hits, start=(page.request.page - 1)
                                     * page.request.limit + 1):
            self.stdout.write(f"{number:>4}. {hit.title}")
            self.stdout.write(f"      {hit.index_no}  {hit.doc_no or '-'}  "
                              f"{hit.published_on.isoformat()}  {hit.agency_name}  "
                              f"score {hit.score:.3f}"
                              + (f"  [{hit.validity_label}]" if hit.validity else ""))
