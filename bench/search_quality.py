"""Search quality: nDCG@10, recall@10 and known-item success@3 of xxgk's search beside two
baselines, on one labelled set of queries, in the same run and the same database.

    .venv/bin/python bench/search_quality.py [--engine sqlite|postgres] [--details]

The catalogue is the 17,266 real documents (``../shared/data/real-documents/``: titles,
文号 and dates, no bodies), one agency per province, and the documents written for this
bench (``bench/data/search_corpus.jsonl``: a district's guides, notices and policy documents
with bodies, summaries, topic words, some English, some repealed or expired beside their
replacements), in the demo district's agencies. Everything is written with
``catalog.bulk.publish_history`` into a fresh database and indexed as ``xxgk reindex``
does (the index, then the suggestions that pinyin and typos are looked up in). Every document carries a ``source_url`` (the real one's page, or
``https://bench.xxgk.invalid/<key>``), which is how a hit is known to be a labelled key.

The queries (``bench/data/search_queries.jsonl``) were written as a citizen would type them,
before any system was run, in nine kinds: a pasted exact title, a 文号 in other brackets,
without brackets or with spaces, an abbreviation (the documents use the full form), pinyin
(full or initials), a typo (one wrong character, mostly a homophone), a colloquial question,
two concepts, English, and traditional characters. Grades: 3 the document asked for, 2
clearly relevant, 1 partly (an outdated version, another province's policy on the subject).
The set is the measure: the ranking is not tuned to single queries.

The systems:

* **xxgk** — ``search.service.search(SearchRequest(q, language, limit=10))``.
* **LIKE** — what a site without a search engine does: every public item whose title, 文号,
  summary, topic words or body (English title and body for English queries) contains the
  query as typed, newest first.
* **FTS5** — full-text search without segmentation: an FTS5 ``unicode61`` table (its own
  in-memory SQLite database, so it runs beside either engine) over the same raw texts, every
  token of the query required, ranked by ``bm25``. ``unicode61`` keeps a run of Chinese
  characters as one token, which is what "no segmentation" means for Chinese.

The figures, per system, overall and per kind:

* **nDCG@10** — gain 2^grade − 1, log2 discount, ideal ordering over every graded document.
* **R@10** — graded documents in the first 10, over the graded documents there are, at most
  10 (so a perfect first page scores 1 even when 60 documents are graded).
* **S@3** — over the queries with a document graded 3 (``known`` counts them): the share
  with one of those in the first 3.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import math
import random
import re
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_DOCUMENTS = ROOT.parent / "shared" / "data" / "real-documents"
CORPUS = ROOT / "bench" / "data" / "search_corpus.jsonl"
QUERIES = ROOT / "bench" / "data" / "search_queries.jsonl"
PROVINCES = {"guangdong": "广东省人民政府", "hainan": "海南省人民政府",
             "henan": "河南省人民政府", "sichuan": "四川省人民政府",
             "yunnan": "云南省人民政府"}
BENCH_URL = "https://bench.xxgk.invalid/"
PAGE = 10
KNOWN_ITEM_DEPTH = 3
SYSTEMS = ("xxgk", "LIKE", "FTS5")


@dataclass(frozen=True)
class LabelledQuery:
    id: str
    kind: str
    q: str
    language: str
    relevant: dict[str, int]


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_queries(path: Path = QUERIES) -> list[LabelledQuery]:
    return [LabelledQuery(row["id"], row["kind"], row["q"], row["language"], row["relevant"])
            for row in read_jsonl(path)]


# ---- the measures (pure) ----

def ndcg(ranked: Sequence[str], relevant: dict[str, int], k: int = PAGE) -> float:
    """Normalised discounted cumulative gain of the first ``k`` of ``ranked``."""
    def dcg(grades: Sequence[int]) -> float:
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))

    ideal = dcg(sorted(relevant.values(), reverse=True)[:k])
    return dcg([relevant.get(key, 0) for key in ranked[:k]]) / ideal if ideal else 0.0


def recall(ranked: Sequence[str], relevant: dict[str, int], k: int = PAGE) -> float:
    """Graded documents in the first ``k``, over those that could fit there."""
    if not relevant:
        return 0.0
    return len(set(ranked[:k]) & set(relevant)) / min(len(relevant), k)


def known_item_success(ranked: Sequence[str], relevant: dict[str, int],
                       k: int = KNOWN_ITEM_DEPTH) -> float | None:
    """1 when a document graded 3 is in the first ``k``; None when none is graded 3 (the
    query asks for a subject, not for an item)."""
    wanted = {key for key, grade in relevant.items() if grade == 3}
    if not wanted:
        return None
    return 1.0 if wanted & set(ranked[:k]) else 0.0


# ---- the catalogue ----

def _paragraphs(text: str) -> str:
    return "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())


def _real_record(row: dict):
    from xxgk.catalog.bulk import HistoryRecord

    published = dt.date.fromisoformat(row["published_on"])
    written = dt.date.fromisoformat(row["written_on"]) if row.get("written_on") else None
    # As ``xxgk catalog import`` reads these rows: whitespace in a title is one space, and
    # a 成文日期 after the publication is taken as the publication date.
    return HistoryRecord(title=re.sub(r"\s+", " ", row["title"]).strip(),
                         published_on=published,
                         formed_on=min(written, published) if written else None,
                         doc_no=row.get("doc_no") or "", url=row["url"])


def _corpus_record(row: dict):
    from xxgk.catalog.bulk import HistoryRecord

    return HistoryRecord(
        title=row["title"], published_on=dt.date.fromisoformat(row["published_on"]),
        doc_no=row.get("doc_no", ""), body=_paragraphs(row.get("body", "")),
        summary=row.get("summary", ""), url=BENCH_URL + row["key"],
        kind=row.get("kind", ""), validity=row.get("validity", "in_force"),
        title_en=row.get("title_en", ""), body_en=_paragraphs(row.get("body_en", "")),
        topic_words=row.get("topic_words", ""))


def populate() -> tuple[dict[int, str], int, int]:
    """Write the real documents and the corpus, index them; (pk → labelled key, real
    documents written, corpus documents written)."""
    from django.core.management import call_command
    from django.db import transaction

    from xxgk.agencies.models import Agency
    from xxgk.catalog.bulk import publish_history
    from xxgk.catalog.models import InfoItem
    from xxgk.demo import build as demo

    with transaction.atomic():
        demo.build_agencies(random.Random("search-quality"), lambda n: None)
    real = 0
    for index, (source, name) in enumerate(PROVINCES.items()):
        agency = Agency.objects.create(code=f"7{index:05d}", name=name,
                                       kind=Agency.Kind.DISTRICT)
        rows = read_jsonl(REAL_DOCUMENTS / f"{source}.jsonl")
        real += len(publish_history(agency, [_real_record(row) for row in rows]))
    corpus = read_jsonl(CORPUS)
    agencies = {a.code: a for a in Agency.objects.all()}
    by_agency: dict[str, list[dict]] = {}
    for row in corpus:
        by_agency.setdefault(row["agency"], []).append(row)
    written = 0
    for code, rows in by_agency.items():
        written += len(publish_history(agencies[code], [_corpus_record(r) for r in rows]))
    call_command("reindex", verbosity=0, stdout=io.StringIO())

    ids = {row["url"]: row["id"] for source in PROVINCES
           for row in read_jsonl(REAL_DOCUMENTS / f"{source}.jsonl")}
    keys = {}
    for pk, url in InfoItem.objects.values_list("pk", "source_url"):
        if url.startswith(BENCH_URL):
            keys[pk] = url.removeprefix(BENCH_URL)
        elif url in ids:
            keys[pk] = ids[url]
    return keys, real, written


# ---- the systems: each answers a query with the pks of its first page ----

def xxgk_system(query: LabelledQuery) -> list[int]:
    from xxgk.search.service import SearchRequest, search

    page = search(SearchRequest(q=query.q, language=query.language, limit=PAGE))
    return [hit.item_id for hit in page.hits]


def like_system(query: LabelledQuery) -> list[int]:
    from django.db.models import Q

    from xxgk.portal.queries import public_items

    fields = (("title_en", "body_en") if query.language == "en"
              else ("title", "doc_no", "summary", "topic_words", "body"))
    matches = Q()
    for name in fields:
        matches |= Q(**{f"{name}__icontains": query.q})
    return list(public_items().filter(matches).order_by("-published_on", "-pk")
                .values_list("pk", flat=True)[:PAGE])


class Fts5System:
    """An FTS5 ``unicode61`` table over the public items' raw texts."""

    ZH_COLUMNS = "{title doc_no summary topic_words body}"
    EN_COLUMNS = "{title_en body_en}"

    def __init__(self) -> None:
        from xxgk.catalog.sanitize import plain_text
        from xxgk.portal.queries import public_items

        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, doc_no, summary, "
                        "topic_words, body, title_en, body_en, tokenize='unicode61')")
        rows = public_items().values_list("pk", "title", "doc_no", "summary", "topic_words",
                                          "body", "title_en", "body_en")
        self.db.executemany(
            "INSERT INTO docs(rowid, title, doc_no, summary, topic_words, body, title_en, "
            "body_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ((pk, title, doc_no, summary, words, plain_text(body), title_en,
              plain_text(body_en))
             for pk, title, doc_no, summary, words, body, title_en, body_en in rows))

    def __call__(self, query: LabelledQuery) -> list[int]:
        # Every token quoted: what a person types is never FTS5 syntax.
        tokens = re.findall(r"\w+", query.q)
        if not tokens:
            return []
        columns = self.EN_COLUMNS if query.language == "en" else self.ZH_COLUMNS
        match = f"{columns} : ({' '.join(chr(34) + t + chr(34) for t in tokens)})"
        rows = self.db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs)"
                               " LIMIT ?", (match, PAGE)).fetchall()
        return [pk for (pk,) in rows]


# ---- the run ----

@dataclass
class Run:
    ranked: dict[str, dict[str, list[str]]]     # system → query id → keys of its first page
    seconds: dict[str, float]


def run(queries: list[LabelledQuery], systems: dict[str, Callable[[LabelledQuery], list[int]]],
        keys: dict[int, str]) -> Run:
    ranked: dict[str, dict[str, list[str]]] = {name: {} for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    for name, system in systems.items():
        system(queries[0])  # warm caches (the segmenter's dictionary, the query plans)
        for query in queries:
            start = time.perf_counter()
            pks = system(query)
            seconds[name] += time.perf_counter() - start
            ranked[name][query.id] = [keys.get(pk, f"#{pk}") for pk in pks]
    return Run(ranked, seconds)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def scores(queries: list[LabelledQuery], ranked: dict[str, list[str]]) -> tuple[float, float,
                                                                                 float]:
    """(nDCG@10, R@10, S@3) of one system over ``queries``."""
    successes = [s for q in queries
                 if (s := known_item_success(ranked[q.id], q.relevant)) is not None]
    return (_mean([ndcg(ranked[q.id], q.relevant) for q in queries]),
            _mean([recall(ranked[q.id], q.relevant) for q in queries]), _mean(successes))


def report(queries: list[LabelledQuery], result: Run) -> None:
    kinds = list(dict.fromkeys(q.kind for q in queries))
    head = f"{'kind':<14}{'n':>4}{'known':>6}"
    print(head + "".join(f"  │ {name:<5} nDCG  R@10   S@3" for name in result.ranked))
    groups = [(kind, [q for q in queries if q.kind == kind]) for kind in kinds]
    for label, group in [*groups, ("all", queries)]:
        if label == "all":
            print("─" * (len(head) + 28 * len(result.ranked)))
        known = sum(1 for q in group if 3 in q.relevant.values())
        cells = []
        for name in result.ranked:
            n, r, s = scores(group, result.ranked[name])
            success = f"{s:5.2f}" if known else "    –"
            cells.append(f"  │       {n:4.2f}  {r:4.2f} {success}")
        print(f"{label:<14}{len(group):>4}{known:>6}" + "".join(cells))
    print(f"{'ms per query':<24}" + "".join(
        f"  │ {1000 * result.seconds[name] / len(queries):20.1f}  " for name in result.ranked))


def details(queries: list[LabelledQuery], result: Run) -> None:
    """One line a query: each system's nDCG@10, and xxgk's first three results."""
    for q in queries:
        figures = " ".join(f"{name}={ndcg(result.ranked[name][q.id], q.relevant):.2f}"
                           for name in result.ranked)
        first = ", ".join(f"{key}({q.relevant.get(key, 0)})"
                          for key in result.ranked["xxgk"][q.id][:3])
        print(f"{q.id} {q.kind:<13} {figures}  {q.q!r}  → {first or '(nothing)'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite",
                        help="the database xxgk searches in (the FTS5 baseline is SQLite "
                             "in memory either way)")
    parser.add_argument("--details", action="store_true",
                        help="one line a query: nDCG@10 per system and xxgk's first three")
    args = parser.parse_args()
    queries = load_queries()
    sys.path.insert(0, str(ROOT / "bench"))
    from fresh_db import fresh_database

    with fresh_database(args.engine, "quality"):
        start = time.perf_counter()
        keys, real, written = populate()
        fts5 = Fts5System()
        built = time.perf_counter() - start
        result = run(queries, {"xxgk": xxgk_system, "LIKE": like_system, "FTS5": fts5},
                     keys)
    missing = {key for q in queries for key in q.relevant} - set(keys.values())
    if missing:
        sys.exit(f"labelled documents not in the catalogue: {sorted(missing)[:10]}")
    print(f"search quality, {args.engine}: {len(queries)} queries over {real:,} real and "
          f"{written} written documents (written and indexed in {built:.0f} s)\n")
    report(queries, result)
    if args.details:
        print()
        details(queries, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
