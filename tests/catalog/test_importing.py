"""Importing published history from files (catalog.importing): every layout, every fault
reported by row and field, the real documents, and the ``xxgk catalog import`` command."""

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from itertools import count
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.catalog.helpers import published_item
from tests.factories import AgencyFactory
from xxgk.catalog import importing
from xxgk.catalog.importing import DUPLICATE, INVALID, WARNING, parse_date
from xxgk.catalog.models import InfoItem, ItemState, Origin, PolicyDocument, ValidityChange
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2025, 6, 2)
REAL = Path("/work/shared/data/real-documents")
if not REAL.exists():
    REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real-documents"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"), fixed_today(TODAY):
        yield


# ---- One table, in every layout --------------------------------------------------------

KEYS = ("title", "doc_no", "written_on", "published_on", "body", "url", "category", "kind",
        "validity")
CHINESE = dict(zip(KEYS, ("标题", "文号", "成文日期", "发布日期", "正文", "链接", "分类",
                          "文件类型", "有效性"), strict=True))
TABLE = [
    {"title": "广东省人民政府关于调整一批省级行政职权事项的决定", "doc_no": "粤府〔2023〕68号",
     "written_on": "2023-09-13", "published_on": "2023-09-25", "body": "第一段\n\n第二段",
     "url": "http://www.gd.gov.cn/zwgk/wjk/qbwj/yf/content/post_4258480.html",
     "category": "gzhgfxwj", "kind": "normative_documents", "validity": "in_force"},
    {"title": "四川省水资源调度管理办法", "doc_no": "", "written_on": "",
     "published_on": "2023/1/16", "body": "", "url": "", "category": "规章和规范性文件",
     "kind": "规章", "validity": "废止"},
    {"title": "关于做好2023年春节期间安全生产工作的通知", "doc_no": "西政办发[2023]2号",
     "written_on": "2023年1月5日", "published_on": "20230106", "body": "", "url": "",
     "category": "", "kind": "", "validity": ""},
]


def _header(key: str, chinese: bool) -> str:
    return CHINESE[key] if chinese else key


def _csv(rows, chinese, encoding="utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([_header(k, chinese) for k in KEYS] + ["备注"])
    for row in rows:
        writer.writerow([row.get(k, "") for k in KEYS] + ["不导入"])
    return out.getvalue().encode(encoding)


def _xlsx(rows, chinese) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([_header(k, chinese) for k in KEYS])
    for row in rows:
        values = [row.get(k, "") or None for k in KEYS]
        # A spreadsheet's date cell, as Excel stores a typed date.
        if row["published_on"] == "2023-09-25":
            values[KEYS.index("published_on")] = dt.datetime(2023, 9, 25)
        sheet.append(values)
    book.create_sheet("说明").append(["the second sheet is not read"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _jsonl(rows, chinese) -> bytes:
    return "\n".join(json.dumps({_header(k, chinese): v or None for k, v in row.items()},
                                ensure_ascii=False) for row in rows).encode()


LAYOUTS = {
    "csv-utf8": (lambda rows, ch: _csv(rows, ch), "data.csv", "UTF-8"),
    "csv-utf8-bom": (lambda rows, ch: _csv(rows, ch, "utf-8-sig"), "data.csv", "UTF-8 (BOM)"),
    "csv-gbk": (lambda rows, ch: _csv(rows, ch, "gbk"), "data.csv", "GB18030"),
    "xlsx": (_xlsx, "data.xlsx", ""),
    "jsonl": (_jsonl, "data.jsonl", "UTF-8"),
}


@pytest.mark.parametrize("chinese", [True, False], ids=["chinese-headers", "english-keys"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_layout_reads_the_same_records(world, layout, chinese):
    write, name, encoding = LAYOUTS[layout]
    source = importing.read_bytes(write(TABLE, chinese), name)
    assert (source.format, source.encoding) == (name.rsplit(".", 1)[1], encoding)
    plan = importing.plan_import(world.education, source)
    assert plan.problems == [], plan.problems
    assert plan.counts() | {"file": "", "format": "", "encoding": ""} == {
        "file": "", "format": "", "encoding": "", "agency": "110102103", "rows": 3,
        "valid": 3, "invalid": 0, "duplicates": 0, "warnings": 0}
    first, second, third = (record for _row, record in plan.records)
    # a spreadsheet's rows count its header; a JSON Lines file's are its lines
    assert [row for row, _record in plan.records] == ([1, 2, 3] if layout == "jsonl"
                                                      else [2, 3, 4])
    assert (first.title, first.doc_no, first.formed_on, first.published_on) == (
        TABLE[0]["title"], "粤府〔2023〕68号", D(2023, 9, 13), D(2023, 9, 25))
    assert (first.kind, first.validity, first.category.code) == (
        "normative_documents", "in_force", "gzhgfxwj")
    assert first.url == TABLE[0]["url"] and "第二段" in first.body
    assert (second.kind, second.validity, second.category.code, second.formed_on) == (
        "rules", "repealed", "gzhgfxwj", None)
    assert (third.published_on, third.formed_on, third.kind, third.category) == (
        D(2023, 1, 6), D(2023, 1, 5), "", None)
    if layout.startswith("csv"):
        assert source.notes == ["Columns not imported (not known): 备注."]

    result = importing.run_import(plan)
    assert result.imported == 3
    items = {item.title: item for item in InfoItem.objects.filter(pk__in=result.pks)}
    policy = PolicyDocument.objects.get(pk=items[TABLE[1]["title"]].pk)
    assert (policy.validity, policy.issued_on, policy.origin) == (
        "repealed", D(2023, 1, 16), Origin.IMPORTED)
    assert ValidityChange.objects.get(document=policy).validity == "repealed"
    plain = items[TABLE[2]["title"]]
    assert not PolicyDocument.objects.filter(pk=plain.pk).exists()
    assert plain.state == ItemState.PUBLISHED and plain.index_no.startswith("110102103/2023-")


def test_the_template_headers_are_read_and_two_columns_for_one_field_are_refused():
    for header in ("标题 (title)", "标题（title）", "*标题", " Title "):
        source = importing.read_bytes(f"{header},published_on\nx,2023-01-05\n".encode(), "a.csv")
        assert source.rows == [(2, {"title": "x", "published_on": "2023-01-05"})]
    with pytest.raises(importing.ReadError, match="Two columns give title"):
        importing.read_bytes("标题,title\nx,y\n".encode(), "a.csv")
    with pytest.raises(importing.ReadError, match="No title column"):
        importing.read_bytes(b"name,date\nx,2023-01-05\n", "a.csv")


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "a.csv", "empty"),
    (b"\n\n", "a.csv", "empty"),
    (b"\xff\xfe\xff\xfe\x00\x81", "a.csv", "neither UTF-8 nor GBK"),
    (b"PK\x03\x04 this is no workbook", "a.xlsx", "Not a readable XLSX file"),
    (b"title\nx\n", "a.xlsx", "Not an XLSX file"),
    (b"\xd0\xcf\x11\xe0 old excel", "a.xls", "old .xls"),
    (b"title,published_on\n\"x,2023-01-05\n\x00", "a.csv", "Not a readable CSV file"),
    ("\n".join(["{}"] * 3).encode("utf-16"), "a.jsonl", "UTF-8"),
])
def test_a_file_that_cannot_be_read_is_one_message(data, name, message):
    with pytest.raises(importing.ReadError, match=message):
        importing.read_bytes(data, name)


def test_a_damaged_workbook_is_one_message():
    good = _xlsx(TABLE, True)
    damaged = good[: len(good) // 2]
    with pytest.raises(importing.ReadError, match="Not a readable XLSX file"):
        importing.read_bytes(damaged, "a.xlsx")


def test_a_jsonl_line_that_is_not_an_object_is_an_invalid_row(world):
    data = '{"title": "甲", "published_on": "2023-01-05"}\n[1, 2]\nnot json\n\n{"标题": "乙", ' \
           '"发布日期": "2023-01-06", "id": 7}\n'
    source = importing.read_bytes(data.encode(), "a.jsonl")
    plan = importing.plan_import(world.education, source)
    assert [(p.row, p.kind) for p in plan.problems] == [(2, INVALID), (3, INVALID)]
    assert [row for row, _ in plan.records] == [1, 5]
    assert plan.counts()["rows"] == 4 and plan.invalid == 2
    assert source.notes == ["Columns not imported (not known): id."]


# ---- Dates -----------------------------------------------------------------------------

@pytest.mark.parametrize("written", [
    "2023-01-05", "2023/1/5", "2023.1.5", "2023年1月5日", "2023年01月05日", "2023年1月5号",
    "20230105", 20230105, "２０２３－０１－０５", "二〇二三年一月五日", "2023-01-05 09:30",
    "2023-01-05T09:30:00", D(2023, 1, 5), dt.datetime(2023, 1, 5, 10, 0), " 2023-1-5 ",
])
def test_dates_in_the_forms_files_write_them(written):
    assert parse_date(written) == D(2023, 1, 5)


def test_chinese_numerals_with_tens():
    assert parse_date("二〇二三年十二月三十一日") == D(2023, 12, 31)
    assert parse_date("二〇二三年十月十日") == D(2023, 10, 10)


@pytest.mark.parametrize(("written", "reason"), [
    ("2023年13月", "is not a date"), ("2023-02-30", "no such day"), ("2023-13-01", "no such day"),
    ("20231301", "no such day"), ("2023", "is not a date"), ("yesterday", "is not a date"),
    ("2023-01", "is not a date"), (True, "is not a date"), (3.5, "is not a date"),
    ([2023, 1, 5], "is not a date"),
])
def test_what_is_not_a_date_says_why(written, reason):
    with pytest.raises(importing.BadValueError, match=reason):
        parse_date(written)


# ---- The per-row report ----------------------------------------------------------------

def _plan(agency, rows):
    source = importing.SourceFile("test", "jsonl", "UTF-8", list(enumerate(rows, start=2)))
    return importing.plan_import(agency, source)


def _fields(plan, kind=INVALID):
    return sorted((p.row, p.field) for p in plan.problems if p.kind == kind)


def test_every_fault_is_reported_with_its_row_and_field(world):
    ok = {"published_on": "2023-01-05"}
    rows = [
        {"title": "日期不对", "published_on": "2023年13月"},
        {"title": "没有这天", "published_on": "2023-02-30"},
        {"title": "未来", "published_on": "2025-06-03"},
        {"title": "成文在未来", "written_on": "2025-07-01", **ok},
        {"title": "一九四九年以前", "published_on": "1948-05-01"},
        {"title": "成文在一九四九年以前", "written_on": "1930-01-01", **ok},
        {"title": "分类不明", "category": "nothing-like-it", **ok},
        {"title": "类型不明", "kind": "命令", **ok},
        {"title": "有效性不明", "kind": "规章", "validity": "大概有效", **ok},
        {"title": "", **ok},
        {"title": "长" * 301, **ok},
        {"title": "没有发布日期"},
        {"title": "文号太长", "doc_no": "号" * 81, **ok},
        {"title": "链接不对", "url": "javascript:alert(1)", **ok},
        {"published_on": "1900-01-01", "kind": "x", "title": "   "},
    ]
    plan = _plan(world.education, rows)
    assert _fields(plan) == [
        (2, "published_on"), (3, "published_on"), (4, "published_on"), (5, "written_on"),
        (6, "published_on"), (7, "written_on"), (8, "category"), (9, "kind"), (10, "validity"),
        (11, "title"), (12, "title"), (13, "published_on"), (14, "doc_no"), (15, "url"),
        # one row, every fault: the title, the kind and the date are all reported
        (16, "kind"), (16, "published_on"), (16, "title")]
    assert plan.invalid == len(rows) and plan.records == []
    reasons = {(p.row, p.field): p.reason for p in plan.problems}
    assert "2023年13月 is not a date" in reasons[2, "published_on"]
    assert "no such day as 2023-02-30" in reasons[3, "published_on"]
    assert reasons[4, "published_on"] == "The date is in the future."
    assert reasons[6, "published_on"] == "The date is before 1 October 1949."
    assert "Unknown category nothing-like-it" in reasons[8, "category"]
    assert "规章、行政规范性文件、其他政策文件" in reasons[9, "kind"]
    assert reasons[13, "published_on"] == "Give the date of publication."


def test_invalid_rows_block_the_import_unless_skipped(world):
    rows = [{"title": "好的", "published_on": "2023-01-05"},
            {"title": "坏的", "published_on": "2023-02-30"}]
    plan = _plan(world.education, rows)
    assert plan.blocked
    with pytest.raises(importing.ImportBlockedError, match="1 rows are invalid"):
        importing.run_import(plan)
    assert not InfoItem.objects.exists()
    result = importing.run_import(plan, skip_invalid=True)
    assert result.imported == 1
    assert InfoItem.objects.get().title == "好的"


def test_written_after_published_is_accepted_as_formed_on_publication_with_a_warning(world):
    plan = _plan(world.education, [{"title": "转发国务院关于进一步做好打击侵犯知识产权工作意见的通知",
                                    "written_on": "2012-02-24", "published_on": "2012-02-10"}])
    assert [(p.row, p.field, p.kind) for p in plan.problems] == [(2, "written_on", WARNING)]
    assert "2012-02-24 > 2012-02-10" in plan.problems[0].reason
    assert not plan.blocked
    [(_, record)] = plan.records
    assert record.formed_on == record.published_on == D(2012, 2, 10)


def test_a_validity_without_a_kind_is_a_warning_not_silently_dropped(world):
    plan = _plan(world.education, [{"title": "通知", "published_on": "2023-01-05",
                                    "validity": "废止"}])
    assert [(p.field, p.kind) for p in plan.problems] == [("validity", WARNING)]
    assert plan.records[0][1].kind == ""


def test_duplicates_of_held_items_and_within_the_file_are_skipped_and_counted(world):
    published_item(world.education, D(2023, 3, 1), D(2023, 3, 2), doc_no="西教发〔2023〕1号")
    held = published_item(world.education, D(2023, 3, 1), D(2023, 3, 3))
    # another agency's item is no duplicate of the education commission's
    published_item(world.finance, D(2023, 3, 1), D(2023, 3, 4), doc_no="西教发〔2023〕9号")
    rows = [
        {"title": "同一文号，括号不同", "doc_no": "西教发[2023]1号", "published_on": "2023-04-01"},
        {"title": held.title, "published_on": "2023-03-03"},
        {"title": held.title, "published_on": "2023-03-04"},  # repeated in another day: new
        {"title": "新的", "doc_no": "西教发〔2023〕9号", "published_on": "2023-05-01"},
        {"title": "新的", "doc_no": "西教发（2023）9号", "published_on": "2023-05-01"},
        {"title": "另一个标题", "doc_no": "西教发 〔2023〕9号", "published_on": "2023-05-02"},
        {"title": "新的", "published_on": "2023-05-01"},
    ]
    plan = _plan(world.education, rows)
    assert _fields(plan, DUPLICATE) == [(2, "doc_no"), (3, "title"), (6, "doc_no"),
                                        (7, "doc_no"), (8, "title")]
    reasons = {p.row: p.reason for p in plan.problems}
    assert reasons[2].startswith("The agency already holds this 文号: 110102103/2023-00001")
    assert "row 5" in reasons[6] and "title differs" in reasons[7] and "row 5" in reasons[8]
    assert (plan.duplicates, plan.invalid, len(plan.records)) == (5, 0, 2)
    result = importing.run_import(plan)
    assert result.counts()["imported"] == 2 and result.counts()["duplicates"] == 5


def test_an_item_imported_after_the_plan_was_made_is_a_duplicate_then(world):
    rows = [{"title": "同时导入", "published_on": "2023-05-01"}]
    first, second = _plan(world.education, rows), _plan(world.education, rows)
    assert importing.run_import(first).imported == 1
    result = importing.run_import(second)
    assert (result.imported, result.late_duplicates, result.counts()["duplicates"]) == (0, 1, 1)
    assert InfoItem.objects.count() == 1


# ---- Generated rows --------------------------------------------------------------------

_CHARS = st.sampled_from("关于印发通知办法的《》（）〔〕【】—“”、，2023年省市区政府教育委员会 ")
_FORMS = [
    lambda d: d.isoformat(), lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}", lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: d.strftime("%Y%m%d"), lambda d: int(d.strftime("%Y%m%d")),
    lambda d: f"{d.isoformat()} 08:00:00", lambda d: d,
    lambda d: "".join("〇一二三四五六七八九"[int(c)] for c in str(d.year)) + f"年{d.month}月{d.day}日",
]
_BRACKETS = [("〔", "〕"), ("[", "]"), ("【", "】"), ("（", "）"), ("(", ")"), ("［", "］")]
_DEFECTS = {
    "title": [" ", "", "标" * 301],
    "published_on": [None, "2023年13月", "2023-02-30", "2025-12-01", "1948-01-01", "someday"],
    "written_on": ["2023-13-01", "2025-12-01", "1930-05-01"],
    "category": ["nowhere"],
    "kind": ["命令"],
    "validity": ["半有效"],
}


@st.composite
def _rows(draw):
    rows, defects = [], []
    for i in range(draw(st.integers(1, 12))):
        published = draw(st.dates(D(1950, 1, 1), TODAY))
        row = {"title": draw(st.text(_CHARS, min_size=0, max_size=40)) + f"第{i}号",
               "published_on": draw(st.sampled_from(_FORMS))(published)}
        if draw(st.booleans()):
            written = draw(st.dates(D(1950, 1, 1), published))
            row["written_on"] = draw(st.sampled_from(_FORMS))(written)
        if draw(st.booleans()):
            opening, closing = draw(st.sampled_from(_BRACKETS))
            row["doc_no"] = f"西政{draw(st.sampled_from(['', '办', ' ']))}发{opening}" \
                            f"{published.year}{closing}{i + 1}号"
        if draw(st.booleans()):
            row["kind"] = draw(st.sampled_from(["规章", "rules", "行政规范性文件", "other"]))
            row["validity"] = draw(st.sampled_from(["有效", "废止", "expired", "已修改", None]))
        if draw(st.booleans()):
            row["category"] = draw(st.sampled_from(["jgzn", "规划计划", "Statistics", ""]))
        for name in draw(st.sets(st.sampled_from(["body", "url"]))):
            row[name] = {"body": "<p>正文</p><script>x</script>", "url": "https://a.gov.cn/1"}[name]
        defect = None
        if draw(st.integers(0, 3)) == 0:
            defect = draw(st.sampled_from(sorted(_DEFECTS)))
            value = draw(st.sampled_from(_DEFECTS[defect]))
            if defect == "validity":
                row["kind"] = "规章"
            if defect == "published_on" and value in ("1948-01-01",):
                row.pop("written_on", None)
            if value is None:
                row.pop(defect, None)
            else:
                row[defect] = value
        # a random field the file leaves out altogether
        for name in draw(st.sets(st.sampled_from(["doc_no", "body", "url", "category"]))):
            if name != defect:
                row.pop(name, None)
        rows.append(row)
        defects.append(defect)
    return rows, defects


_agency_codes = count(1)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(generated=_rows(), through_file=st.booleans())
def test_generated_rows_import_when_valid_and_are_reported_by_field_when_not(
        world, generated, through_file):
    rows, defects = generated
    agency = AgencyFactory(code=f"8{next(_agency_codes):05d}", parent=world.district)
    if through_file:
        data = "\n".join(json.dumps(row, ensure_ascii=False, default=str) for row in rows)
        source = importing.read_bytes(data.encode(), "generated.jsonl")
        source.rows = [(n - 1 + 2, raw) for n, raw in source.rows]
    else:
        source = importing.SourceFile("generated", "jsonl", "UTF-8",
                                      list(enumerate(rows, start=2)))
    plan = importing.plan_import(agency, source)
    invalid = {(p.row, p.field) for p in plan.problems if p.kind == INVALID}
    planned = {row for row, _record in plan.records}
    for number, defect in enumerate(defects, start=2):
        if defect is None:
            assert number in planned, (rows[number - 2], plan.problems)
        else:
            assert (number, defect) in invalid, (rows[number - 2], plan.problems)
            assert number not in planned
    assert not any(p.kind == DUPLICATE for p in plan.problems)
    result = importing.run_import(plan, skip_invalid=True)
    assert result.imported == defects.count(None)
    held = InfoItem.objects.filter(agency=agency)
    assert held.count() == result.imported
    assert not any("script" in body for body in held.values_list("body", flat=True))


# ---- The real documents ----------------------------------------------------------------

# file: (rows, imported, duplicates, warnings): every row imported or explained.
REAL_COUNTS = {
    "guangdong": (4678, 4676, 2, 7),
    "hainan": (2303, 2279, 24, 7),
    "henan": (3543, 3530, 13, 3),
    "sichuan": (3271, 3263, 8, 5),
    "yunnan": (3471, 3463, 8, 0),
}


@pytest.mark.skipif(not REAL.exists(), reason="the real documents are beside the checkout")
def test_the_17266_real_documents_import_with_a_clean_report(world):
    found = {}
    for index, name in enumerate(REAL_COUNTS):
        agency = AgencyFactory(code=f"7{index:05d}", name=f"{name}省人民政府")
        plan = importing.plan_import(agency, importing.read_path(REAL / f"{name}.jsonl"))
        assert plan.invalid == 0, [p for p in plan.problems if p.kind == INVALID][:5]
        assert {p.kind for p in plan.problems} <= {DUPLICATE, WARNING}
        assert all(p.field == "written_on" for p in plan.problems if p.kind == WARNING)
        result = importing.run_import(plan)
        counts = result.counts()
        found[name] = (counts["rows"], counts["imported"], counts["duplicates"],
                       counts["warnings"])
        assert counts["imported"] + counts["duplicates"] == counts["rows"]
    assert found == REAL_COUNTS
    assert sum(rows for rows, *_ in found.values()) == 17266
    assert InfoItem.objects.filter(origin=Origin.IMPORTED).count() == 17211
    first = InfoItem.objects.get(source_url="http://www.gd.gov.cn/zwgk/wjk/qbwj/yf/content/"
                                            "post_4258480.html")
    assert (first.doc_no, first.formed_on, first.published_on) == (
        "粤府〔2023〕68号", D(2023, 9, 13), D(2023, 9, 25))
    late = InfoItem.objects.get(doc_no="粤府〔2012〕16号")
    assert late.formed_on == late.published_on == D(2012, 2, 10)


# ---- The command -----------------------------------------------------------------------

def _write(tmp_path, rows, name="rows.jsonl") -> str:
    path = tmp_path / name
    path.write_bytes(_jsonl(rows, chinese=False))
    return str(path)


def _command(*args) -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("catalog", "import", *args, stdout=out, verbosity=0)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def test_the_command_imports_and_prints_counts_as_json(world, tmp_path):
    path = _write(tmp_path, TABLE + [TABLE[0]])
    out, error = _command(path, "--agency", "110102103", "--json")
    assert error is None
    result = json.loads(out)
    assert {k: result[k] for k in ("rows", "imported", "invalid", "duplicates", "dry_run")} == {
        "rows": 4, "imported": 3, "invalid": 0, "duplicates": 1, "dry_run": False}
    assert result["problems"][0]["row"] == 4 and result["problems"][0]["kind"] == "duplicate"
    assert InfoItem.objects.filter(agency=world.education).count() == 3


def test_the_command_dry_run_writes_nothing(world, tmp_path):
    out, error = _command(_write(tmp_path, TABLE), "--agency", "110102103", "--dry-run")
    assert error is None
    assert "3 rows: 0 imported (dry run: 3 would be), 0 invalid, 0 duplicates" in out
    assert not InfoItem.objects.exists()


def test_invalid_rows_block_the_command_after_the_report(world, tmp_path):
    path = _write(tmp_path, TABLE + [{"title": "坏日期", "published_on": "2023-02-30"}])
    out, error = _command(path, "--agency", "110102103", "--json")
    assert error is not None and "1 rows are invalid: nothing was imported" in str(error)
    result = json.loads(out)
    assert (result["imported"], result["invalid"]) == (0, 1)
    assert result["problems"] == [{"row": 4, "field": "published_on", "kind": "invalid",
                                   "reason": result["problems"][0]["reason"]}]
    assert not InfoItem.objects.exists()
    out, error = _command(path, "--agency", "110102103", "--skip-invalid")
    assert error is None and "4 rows: 3 imported, 1 invalid" in out
    assert "row      4  invalid    published_on" in out


@pytest.mark.parametrize(("args", "message"), [
    (["--agency", "999"], "no agency has the code '999'"),
    (["--agency", "110102103", "--bogus"], "unrecognized arguments"),
])
def test_the_command_refuses_bad_arguments(world, tmp_path, args, message):
    out, error = _command(_write(tmp_path, TABLE), *args)
    assert error is not None and message in str(error)


def test_the_command_names_an_unreadable_file(world, tmp_path):
    path = tmp_path / "rows.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    out, error = _command(str(path), "--agency", "110102103")
    assert error is not None and "Not a readable XLSX file" in str(error)
    out, error = _command(str(tmp_path / "missing.csv"), "--agency", "110102103")
    assert error is not None and "Cannot read the file" in str(error)


def test_from_the_command_line_exit_codes_and_one_line_errors(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["XXGK_VAR_DIR"] = str(tmp_path / "var")

    def xxgk(*args):
        return subprocess.run([sys.executable, "-m", "xxgk.cli", *args], capture_output=True,
                              text=True, env=env, timeout=300, check=False)

    assert xxgk("migrate", "-v0").returncode == 0
    made = xxgk("shell", "-c", "from xxgk.agencies.models import Agency; "
                "Agency.objects.create(code='440000', name='广东省人民政府', kind='district')")
    assert made.returncode == 0, made.stderr
    bad = _write(tmp_path, TABLE + [{"title": "坏日期", "published_on": "2023年13月"}], "bad.jsonl")
    result = xxgk("catalog", "import", bad, "--agency", "440000", "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["invalid"] == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "invalid" in result.stderr
    good = _write(tmp_path, TABLE, "good.jsonl")
    result = xxgk("catalog", "import", good, "--agency", "440000", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["imported"] == 3
    result = xxgk("catalog", "import", good, "--agency", "440000")
    assert result.returncode == 0 and "3 rows: 0 imported, 0 invalid, 3 duplicates" in result.stdout
    result = xxgk("catalog", "import")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
