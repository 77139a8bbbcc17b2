"""The read-only catalogue and annual-report API: public records only, filters, cursor
paging, and a reason (never a 500) for a bad parameter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.catalog.helpers import published_policy
from tests.factories import published_report
from tests.portal.public_records import SECRET_TITLES, TODAY, build
from xxgk.api import catalog as catalog_api
from xxgk.catalog import actions, bulk, policies
from xxgk.catalog.models import PolicyDocument
from xxgk.core.today import fixed_today
from xxgk.reports.models import AnnualReport

pytestmark = pytest.mark.django_db
ITEMS = "/api/catalog/items"
POLICIES = "/api/catalog/policies"


@pytest.fixture
def records(world):
    return build(world)


def _get(url: str, **params):
    return Client().get(url, params)


def _all_pages(url: str, **params) -> list[dict]:
    found, cursor = [], None
    for _ in range(100):
        response = _get(url, **params, **({"cursor": cursor} if cursor else {}))
        assert response.status_code == 200, response.content
        body = response.json()
        assert len(body["items"]) <= params.get("limit", 20)
        found += body["items"]
        cursor = body["next"]
        if cursor is None:
            return found
    raise AssertionError("the pages never ended")


def _newest_first(items) -> list[int]:
    return [i.pk for i in sorted(items, key=lambda i: (i.published_on, i.pk), reverse=True)]


def test_items_lists_public_items_newest_first_and_nothing_else(records):
    response = _get(ITEMS)
    assert response.status_code == 200
    body = response.json()
    assert [entry["id"] for entry in body["items"]] == _newest_first(records.public)
    assert body["next"] is None
    text = response.content.decode()
    for secret in SECRET_TITLES.values():
        assert secret not in text
    for item in records.secrets.values():
        assert _get(f"{ITEMS}/{item.pk}").status_code == 404


def test_an_item_entry_says_what_it_is_and_where_its_page_is(records, world):
    entries = {entry["id"]: entry for entry in _get(ITEMS).json()["items"]}
    reviewed = entries[records.reviewed.pk]
    assert reviewed["type"] == "item" and reviewed["policy"] is None
    assert reviewed["agency"] == {"code": world.education.code, "name": world.education.name,
                                  "name_en": world.education.name_en}
    assert reviewed["category"]["code"] == "ywjy"
    assert reviewed["published_on"] == "2025-05-20"
    assert reviewed["index_no"] == records.reviewed.index_no
    assert reviewed["url"] == f"http://testserver/xxgk/item/{records.reviewed.pk}/"
    assert "body" not in reviewed  # lists never carry texts
    policy = entries[records.policy.pk]
    assert policy["type"] == "policy_document"
    assert policy["policy"] == {"kind": "normative_documents", "issued_on": "2020-02-03",
                                "validity": "repealed"}
    assert entries[records.interpretation.pk]["type"] == "interpretation"


def test_cursor_pages_walk_the_whole_list_once(records):
    walked = _all_pages(ITEMS, limit=2)
    assert [entry["id"] for entry in walked] == _newest_first(records.public)


def test_filters_narrow_the_list(records, world):
    def ids(**params):
        return {entry["id"] for entry in _all_pages(ITEMS, **params)}

    assert ids(agency=world.education.code) == {records.reviewed.pk, records.english.pk}
    assert ids(category="ywjy") == {records.reviewed.pk, records.english.pk}
    assert ids(year=2023) == {records.imported.pk}
    assert ids(kind="normative_documents") == {records.policy.pk, records.repealing.pk}
    assert ids(validity="repealed") == {records.policy.pk}
    assert ids(validity="in_force", agency=world.district.code) == {records.repealing.pk}
    assert ids(kind="rules") == set()


@pytest.mark.parametrize(("params", "field"), [
    ({"agency": "999999"}, "agency"),            # well formed, names no agency
    ({"agency": "abc"}, "agency"),
    ({"agency": "110102\x00"}, "agency"),
    ({"category": "nosuch"}, "category"),
    ({"category": "中文"}, "category"),
    ({"kind": "law"}, "kind"),
    ({"validity": "maybe"}, "validity"),
    ({"year": "1900"}, "year"),
    ({"year": "twenty"}, "year"),
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "9" * 30}, "limit"),
    ({"cursor": "nonsense"}, "cursor"),
    ({"cursor": "2025-13-01_5"}, "cursor"),
    ({"cursor": "2025-01-01_" + "9" * 20}, "cursor"),
    ({"cursor": "x" * 65}, "cursor"),
])
def test_a_bad_parameter_is_a_422_naming_it(records, params, field):
    for url in (ITEMS, POLICIES):
        response = _get(url, **params)
        assert response.status_code == 422, (url, params, response.content)
        detail = response.json()["detail"]
        assert any(error["loc"][-1] == field and error["msg"] for error in detail), detail


def test_an_item_in_full(records):
    response = _get(f"{ITEMS}/{records.english.pk}")
    assert response.status_code == 200
    item = response.json()
    assert item["title_en"] == "Compulsory education enrolment, 2025"
    assert item["body_en"] == "<p>How children are enrolled in 2025.</p>"
    assert item["channels"] == ["weibo"]
    [attachment] = item["attachments"]
    assert attachment["name"] == "入学意见.pdf" and attachment["content_type"] == "application/pdf"
    assert attachment["url"].startswith(f"http://testserver/xxgk/item/{records.english.pk}/")
    assert Client().get(attachment["url"]).status_code == 200
    assert item["policy_detail"] is None and item["interprets"] is None


def test_a_policy_document_in_full_has_its_history_links_and_successor(records):
    policy = _get(f"{ITEMS}/{records.policy.pk}").json()
    detail = policy["policy_detail"]
    assert detail["successor"]["id"] == records.repealing.pk
    assert [d["id"] for d in detail["links"]["repealed_by"]] == [records.repealing.pk]
    assert detail["links"]["amends"] == detail["links"]["amended_by"] == []
    [change] = detail["history"]
    assert change["validity"] == "repealed" and change["changed_on"] == "2025-02-05"
    assert change["by_document"]["id"] == records.repealing.pk
    repealing = _get(f"{ITEMS}/{records.repealing.pk}").json()["policy_detail"]
    assert [d["id"] for d in repealing["links"]["repeals"]] == [records.policy.pk]
    assert [d["id"] for d in repealing["interpretations"]] == [records.interpretation.pk]
    interpretation = _get(f"{ITEMS}/{records.interpretation.pk}").json()
    assert interpretation["interprets"]["id"] == records.repealing.pk


@pytest.mark.parametrize("item_id", ["0", "-1", "abc", str(2**63), "9" * 30])
def test_an_impossible_item_number_is_a_422(records, item_id):
    assert _get(f"{ITEMS}/{item_id}").status_code == 422


def test_an_unknown_item_is_a_404_with_a_reason(records):
    response = _get(f"{ITEMS}/{2**63 - 1}")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_policies_lists_documents_newest_issued_first_with_links(records):
    body = _get(POLICIES).json()
    assert [entry["id"] for entry in body["items"]] == [records.repealing.pk, records.policy.pk]
    repealed = body["items"][1]
    assert repealed["policy"]["validity"] == "repealed"
    assert repealed["successor"]["id"] == records.repealing.pk
    assert repealed["interpretations"] == 0
    assert body["items"][0]["interpretations"] == 1
    assert [d["id"] for d in body["items"][0]["links"]["repeals"]] == [records.policy.pk]
    assert {entry["id"] for entry in _get(POLICIES, year=2020).json()["items"]} == {
        records.policy.pk}


def test_the_list_s_links_and_successors_are_those_of_catalog_policies(records, world):
    """The policy list reads links and successors for a whole page at once; each must be
    what ``policies.links`` and ``policies.successor`` say for that document."""
    with fixed_today(TODAY):
        amending = published_policy(world.district, "rules", dt.date(2024, 4, 1))
        actions.record_validity_change(records.repealing, on=dt.date(2025, 3, 1),
                                       validity="amended", by_document=amending)
        actions.record_validity_change(amending, on=dt.date(2025, 4, 1),
                                       validity="expired")
    documents = list(PolicyDocument.objects.all())
    links, successors = catalog_api._links_of(documents)
    for document in documents:
        expected = policies.links(document)
        got = links[document.pk]
        for side in ("amends", "repeals", "amended_by", "repealed_by"):
            assert [d.pk for d in getattr(got, side)] == [d.pk for d in getattr(expected, side)]
        expected_successor, got_successor = policies.successor(document), successors.get(
            document.pk)
        assert (got_successor and got_successor.pk) == (expected_successor
                                                        and expected_successor.pk)


def test_categories_is_the_tree_with_counts_of_public_items(records):
    response = _get("/api/catalog/categories")
    assert response.status_code == 200
    nodes = {node["code"]: node for node in response.json()}
    assert nodes["ywjy"]["count"] == 2  # the withheld, draft, reviewed, withdrawn: not counted
    assert nodes["ywjy"]["branch"] == "key_area" and nodes["ywjy"]["name_en"]
    assert nodes["tjxx"]["count"] == 1
    assert nodes["sthj"]["count"] == 0


def test_reports_lists_published_reports_with_their_downloads(world):
    report = published_report(world.education, 2024)
    AnnualReport.objects.filter(pk=report.pk).update(
        published_at=dt.datetime(2025, 1, 20, 17, 0, tzinfo=dt.UTC))
    AnnualReport.objects.create(agency=world.finance, year=2024)  # a draft
    response = _get("/api/reports")
    assert response.status_code == 200
    [entry] = response.json()
    assert entry["agency"]["code"] == world.education.code and entry["year"] == 2024
    assert entry["published_on"] == "2025-01-21"  # 01:00 on the 21st in Beijing
    assert entry["url"] == f"http://testserver/reports/{world.education.code}/2024/"
    assert {d["format"] for d in entry["downloads"]} == {"docx", "pdf", "xlsx", "json"}
    assert all(d["url"].startswith(entry["url"]) for d in entry["downloads"])
    assert _get("/api/reports", year=2023).json() == []
    assert _get("/api/reports", agency=world.finance.code).json() == []
    assert _get("/api/reports", agency="bad code").status_code == 422


def test_the_catalogue_api_is_read_only(records):
    client = Client()
    for url in (ITEMS, f"{ITEMS}/{records.english.pk}", POLICIES, "/api/catalog/categories",
                "/api/reports"):
        assert client.post(url, {}, content_type="application/json").status_code == 405
        assert client.delete(url).status_code == 405


def test_a_page_costs_the_same_number_of_queries_however_many_items(
        world, django_assert_max_num_queries):
    with fixed_today(TODAY):
        bulk.publish_history(world.education, [
            bulk.HistoryRecord(title=f"第{n}号通知", published_on=dt.date(2024, 1, 1)
                               + dt.timedelta(days=n % 300)) for n in range(400)])
        bulk.publish_history(world.district, [
            bulk.HistoryRecord(title=f"第{n}号规范性文件", published_on=dt.date(2024, 1, 1),
                               kind="normative_documents", doc_no=f"京西政发〔2024〕{n}号")
            for n in range(150)])
    with django_assert_max_num_queries(2):
        assert len(_get(ITEMS, limit=100).json()["items"]) == 100
    with django_assert_max_num_queries(6):
        assert len(_get(POLICIES, limit=100).json()["items"]) == 100


def test_the_openapi_document_has_the_catalogue_beside_the_applications(records):
    schema = Client().get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/catalog/items", "/api/catalog/items/{item_id}", "/api/catalog/policies",
                 "/api/catalog/categories", "/api/reports"):
        assert set(paths[path]) == {"get"}, path
        assert "security" not in paths[path]["get"]
    assert "/api/applications" in paths
    parameters = {p["name"] for p in paths["/api/catalog/items"]["get"]["parameters"]}
    assert parameters == {"agency", "category", "kind", "validity", "year", "cursor", "limit"}
    assert "ItemPage" in schema["components"]["schemas"]
