"""Real document titles, adapted to a district: the demo catalogue's titles and 文号.

``../shared/data/real-documents/`` holds 17,266 documents of five provincial governments
(title, 文号, written and published dates; public facts). :func:`derive` turns each into a
template a district agency could have issued: the issuing government becomes ``{issuer}``
(the demo agency's name), the province ``西城区``, provincial levels district ones (省级 →
区级, 全省 → 全区), and the years in the title ``{y}`` plus an offset from the year it was
published, so that a template is reused for any year. What cannot be a district's —
appointments and commendations of named people, approvals for cities and counties,
matters of a coast, a border or farmland, anything still naming a province — is left out.

The templates ship with the package (``data/real_titles.json.gz``: about 6,000 of them), so
that a fresh clone builds the demo without the shared folder; a test derives them again
from the source where it exists and compares.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SHIPPED = Path(__file__).with_name("data") / "real_titles.json.gz"
PROVINCES = {"guangdong": "广东", "hainan": "海南", "henan": "河南", "sichuan": "四川",
             "yunnan": "云南"}
# Whatever a district's agency would not issue, or what would still read as a province's.
_OUT_OF_PLACE = re.compile(
    "同志|任免|任职|任命|聘任|免去|免职|表彰|表扬|嘉奖|批复|答复|代表建议|提案|函$|的函|废止|失效|"
    "全国|国务院|中央|海关|铁路|军|港|澳|台|侨|民族自治|自治|黄河|长江|珠江|南海|海洋|海岛|渔|农村|"
    "乡|农业|农民|林|矿|油气|煤|边境|口岸|机场|航空|高速公路|自贸|博鳌|旅游岛|兵团|扶贫|粮|茶|"
    "南水北调|丹江口|七彩|粤|川菜|豫|琼|滇|蜀|绵阳|济南|文件$|三峡|移民|成渝|西部|芦山|地震|耕地|"
    "水库|工商行政|国发|国办发|灾区")
_PLACE = re.compile(r"(?<!北京)(?<!城)(?<!超)(?<!都)(?<!门)(?<!股)市(?!场|民|容|政|级|值|内)|[县州]")
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?=年|—|－|-|～)")
_RANGE = re.compile(r"\d{4}\s*[-—－–～~至]\s*\d{4}")
_FIVE_YEAR = re.compile("(十一五|十二五|十三五|十四五)")


@dataclass(frozen=True)
class Template:
    """One adapted title: ``{issuer}`` and ``{y±n}`` placeholders (see :meth:`title`)."""

    text: str
    # The source had a 文号 (so a demo item from it gets one of its agency's).
    numbered: bool
    # Calendar days from written to published in the source, or -1 when unknown.
    gap: int

    def title(self, issuer: str, year: int) -> str:
        def year_of(match: re.Match[str]) -> str:
            return str(year + int(match.group(1) or 0))

        text = re.sub(r"\{y([+-]\d+)?\}", year_of, self.text)
        five_year = "十四五" if year <= 2025 else "十五五"
        return text.replace("{issuer}", issuer).replace("{plan}", five_year)


def adapt(province: str, title: str, published_year: int) -> str | None:
    """The template of one real title, or None when it cannot be a district's."""
    t = " ".join(title.split())
    p = province
    for old, new in (
        (f"中共{p}省委办公厅 {p}省人民政府办公厅", "{issuer}"),
        (f"中共{p}省委 {p}省人民政府", "{issuer}"),
        (f"{p}省人民政府办公厅", "{issuer}"), (f"{p}省人民政府", "{issuer}"),
        (f"{p}省政府", "{issuer}"), (f"{p}省", "西城区"), ("省人民政府", "区人民政府"),
        ("省政府", "区政府"), ("省委", "区委"), ("省级", "区级"), ("全省", "全区"),
        ("省直", "区属"), ("省属", "区属"), ("本省", "本区"), ("省内", "区内"), ("我省", "我区"),
    ):
        t = t.replace(old, new)
    if (_OUT_OF_PLACE.search(t) or "省" in t or "厅" in t or _PLACE.search(t)
            or _RANGE.search(t) or any(name in t for name in PROVINCES.values())
            or not 10 <= len(t) <= 70):
        return None
    if not t.startswith(("{issuer}", "关于", "印发", "转发", "西城区")):
        return None
    t = _FIVE_YEAR.sub("{plan}", t)
    return _YEAR.sub(lambda m: _offset(int(m.group(1)) - published_year), t)


def _offset(n: int) -> str:
    return "{y}" if n == 0 else f"{{y{n:+d}}}"


def derive(source: Path) -> list[Template]:
    """The templates of every real document in ``source`` (the JSON Lines files), in file
    order, without repeats."""
    seen: set[str] = set()
    templates: list[Template] = []
    for name, province in PROVINCES.items():
        with (source / f"{name}.jsonl").open(encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                published = record["published_on"]
                text = adapt(province, record["title"], int(published[:4]))
                if text is None or text in seen:
                    continue
                seen.add(text)
                gap = -1
                if record.get("written_on") and record["written_on"] <= published:
                    gap = _days(record["written_on"], published)
                templates.append(Template(text, bool(record.get("doc_no")), gap))
    return templates


def _days(first: str, last: str) -> int:
    import datetime as dt

    return (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days


def write(templates: Iterable[Template], path: Path = SHIPPED) -> None:
    rows = [[t.text, int(t.numbered), t.gap] for t in templates]
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same templates give the same bytes (a clean tree after regenerating).
    with gzip.GzipFile(path, "wb", mtime=0) as out:
        out.write(json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode())


@lru_cache(maxsize=1)
def shipped() -> tuple[Template, ...]:
    with gzip.open(SHIPPED, "rb") as data:
        return tuple(Template(text, bool(numbered), gap)
                     for text, numbered, gap in json.loads(data.read()))


if __name__ == "__main__":  # python -m xxgk.demo.titles ../shared/data/real-documents
    import sys

    made = derive(Path(sys.argv[1]))
    write(made)
    print(f"{len(made)} templates written to {SHIPPED}")
