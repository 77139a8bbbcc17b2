"""What is offered beside a public item (its policy family, then the same topic, then
similar text) and to a handler answering an application (the items it names, then matches
in the handling agency's subtree, then anywhere): public items only, never the item
itself, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import pytest
from django.utils import translation

from tests.applications.helpers import ID_NUMBER, PHONE, apply
from tests.catalog.helpers import text
from tests.search import records
from xxgk.catalog import actions
from xxgk.catalog.models import InfoItem, PolicyDocument
from xxgk.core.today import fixed_today
from xxgk.search import related
from xxgk.search.models import SearchEntry
from xxgk.search.related import FAMILY, NAMED, SIMILAR, TOPIC, for_application, related_items

D = dt.date
TODAY = D(2025, 6, 2)


@dataclass
class Catalogue:
    old_rule: PolicyDocument      # repealed by new_rule
    new_rule: PolicyDocument
    reading: InfoItem             # the interpretation of new_rule
    renovation: InfoItem          # about old neighbourhoods, no link to the rules
    housing: InfoItem             # topic words 公租房 住房保障
    allocation: InfoItem          # topic word 住房保障, a title with no word in common
    checklist: InfoItem           # a title like housing's, no topic words
    teachers: InfoItem            # the education commission's, like housing's
    insurance: InfoItem           # about nothing above
    draft_reading: InfoItem       # an interpretation of new_rule still in draft


def _publish(agency, title: str, published: dt.date, **extra) -> InfoItem:
    return actions.publish(actions.create_item(agency, text(title, formed=published, **extra)),
                           published)


@pytest.fixture
def catalogue(world) -> Catalogue:
    with fixed_today(TODAY):
        old_rule, new_rule = records.repealed_rule_and_revision(world)
        reading = actions.publish(actions.create_interpretation(new_rule, text(
            "图解：老旧小区综合整治管理办法修订要点", formed=D(2024, 5, 8))), D(2024, 5, 8))
        draft_reading = actions.create_interpretation(new_rule, text(
            "老旧小区综合整治管理办法解读（草稿）", formed=D(2024, 5, 9)))
        renovation = _publish(world.district, "2025年老旧小区综合整治项目计划", D(2025, 2, 3))
        housing = _publish(world.district, "西城区公共租赁住房申请指南", D(2025, 3, 10),
                           topic_words="公租房 住房保障",
                           body="<p>申请公共租赁住房的家庭应当在本区连续居住满三年。</p>")
        allocation = _publish(world.district, "2025年第一批配租结果公示", D(2025, 4, 1),
                              topic_words="住房保障")
        checklist = _publish(world.district, "西城区公共租赁住房申请材料清单", D(2025, 4, 2))
        teachers = _publish(world.education, "西城区教师公共租赁住房申请指南", D(2025, 1, 6))
        insurance = _publish(world.finance, "关于做好2025年城乡居民社会保险缴费工作的通知",
                             D(2025, 1, 10))
    return Catalogue(old_rule, new_rule, reading, renovation, housing, allocation, checklist,
                     teachers, insurance, draft_reading)


def offered(related) -> list[tuple[int, str]]:
    return [(r.item_id, r.reason) for r in related]


def ids(related) -> list[int]:
    return [r.item_id for r in related]


# ---- Beside an item ---------------------------------------------------------------------

def test_a_repealed_rule_offers_what_repealed_it_first(catalogue):
    found = offered(related_items(catalogue.old_rule))
    assert found[0] == (catalogue.new_rule.pk, FAMILY)
    assert (catalogue.renovation.pk, SIMILAR) in found[1:]


def test_a_rule_offers_its_interpretations_then_what_it_repealed(catalogue):
    found = offered(related_items(catalogue.new_rule))
    assert found[:2] == [(catalogue.reading.pk, FAMILY), (catalogue.old_rule.pk, FAMILY)]


def test_an_interpretation_offers_the_policy_it_interprets_first(catalogue):
    found = offered(related_items(catalogue.reading))
    assert found[0] == (catalogue.new_rule.pk, FAMILY)
    assert all(reason != FAMILY for _pk, reason in found[1:])


def test_the_family_is_found_from_an_item_fetched_as_a_plain_catalogue_item(catalogue):
    plain = InfoItem.objects.get(pk=catalogue.new_rule.pk)
    assert ids(related_items(plain))[:2] == [catalogue.reading.pk, catalogue.old_rule.pk]


def test_items_sharing_a_topic_word_come_before_items_with_similar_titles(catalogue):
    found = offered(related_items(catalogue.housing))
    assert found[0] == (catalogue.allocation.pk, TOPIC)
    assert {(catalogue.checklist.pk, SIMILAR), (catalogue.teachers.pk, SIMILAR)} <= set(found)
    assert catalogue.insurance.pk not in [pk for pk, _reason in found]


def test_similar_titles_are_found_through_the_synonyms(catalogue):
    # 公租房 (a topic word of housing) is 公共租赁住房 in the synonyms.
    assert catalogue.housing.pk in ids(related_items(catalogue.checklist))


def test_items_of_the_same_title_are_offered_once_and_never_the_pages_own(catalogue, world):
    with fixed_today(TODAY):
        again = [_publish(world.district, catalogue.housing.title, D(2025, 5, day))
                 for day in (6, 7)]
        for day in (8, 9):
            _publish(world.district, catalogue.checklist.title, D(2025, 5, day))
    found = ids(related_items(catalogue.housing, limit=10))
    assert not set(found) & {pk.pk for pk in again}
    titles = [InfoItem.objects.get(pk=pk).title for pk in found]
    assert titles.count(catalogue.checklist.title) == 1


def test_a_revision_keeping_its_predecessors_title_is_still_offered(catalogue, world):
    with fixed_today(TODAY):
        revision = records.policy(world.district, catalogue.new_rule.title,
                                  "京西政发〔2025〕2号", D(2025, 5, 6))
        actions.record_validity_change(catalogue.new_rule, on=D(2025, 5, 6),
                                       validity="repealed", by_document=revision)
    assert offered(related_items(catalogue.new_rule))[0] == (revision.pk, FAMILY)


def test_a_word_most_items_hold_finds_no_similar_items(catalogue, monkeypatch):
    # 公共租赁住房 stands in three titles: with COMMON at 2 it says too little to go by.
    monkeypatch.setattr(related, "COMMON", 2)
    found = offered(related_items(catalogue.checklist))
    assert (catalogue.teachers.pk, SIMILAR) not in found
    monkeypatch.setattr(related, "COMMON", 1_000)
    assert (catalogue.teachers.pk, SIMILAR) in offered(related_items(catalogue.checklist))


def test_an_item_is_never_offered_beside_itself(catalogue):
    for item in (catalogue.old_rule, catalogue.new_rule, catalogue.reading, catalogue.housing,
                 catalogue.checklist):
        assert item.pk not in ids(related_items(item))


def test_an_item_that_is_not_public_is_never_offered(catalogue):
    withdrawn = actions.withdraw(catalogue.checklist, "内容有误")
    assert catalogue.draft_reading.pk not in ids(related_items(catalogue.new_rule))
    assert withdrawn.pk not in ids(related_items(catalogue.housing))


def test_an_item_no_longer_public_is_not_offered_while_its_entry_waits_to_be_removed(catalogue):
    # A write outside the actions (the admin, SQL) leaves the entry until the worker runs.
    InfoItem.objects.filter(pk=catalogue.teachers.pk).update(attribute="withheld")
    assert SearchEntry.objects.filter(item_id=catalogue.teachers.pk).exists()
    assert catalogue.teachers.pk not in ids(related_items(catalogue.housing))


def test_a_family_member_not_public_is_not_offered(catalogue):
    InfoItem.objects.filter(pk=catalogue.new_rule.pk).update(attribute="withheld")
    assert catalogue.new_rule.pk not in ids(related_items(catalogue.old_rule))


def test_at_most_limit_items_are_offered(catalogue):
    assert len(related_items(catalogue.housing, limit=2)) == 2
    assert related_items(catalogue.housing, limit=0) == []


def test_an_item_with_nothing_in_common_is_offered_nothing(catalogue):
    assert related_items(catalogue.insurance) == []


def test_each_offer_is_a_link_with_its_date_and_why(catalogue):
    [first, *_rest] = related_items(catalogue.old_rule)
    assert first.title == catalogue.new_rule.title
    assert first.url == f"/xxgk/item/{catalogue.new_rule.pk}/"
    assert first.published_on == D(2024, 5, 6)
    with translation.override("en"):
        assert first.reason_label == "policy family"


def test_english_pages_show_english_titles_where_there_are_any(catalogue):
    InfoItem.objects.filter(pk=catalogue.new_rule.pk).update(
        title_en="Measures on old neighbourhoods (revised)")
    english = {r.item_id: r for r in related_items(catalogue.old_rule, language="en")}
    assert english[catalogue.new_rule.pk].title == "Measures on old neighbourhoods (revised)"
    assert not english[catalogue.new_rule.pk].chinese_only
    assert english[catalogue.renovation.pk].chinese_only
    chinese = {r.item_id: r for r in related_items(catalogue.old_rule)}
    assert chinese[catalogue.new_rule.pk].title == catalogue.new_rule.title


def test_the_offers_are_read_in_a_few_queries_whatever_the_catalogue(
        catalogue, django_assert_max_num_queries):
    # As the item page fetches an item: with both of its possible children.
    def fetched(item):
        return InfoItem.objects.select_related("policydocument", "interpretation").get(
            pk=item.pk)

    policy, housing = fetched(catalogue.new_rule), fetched(catalogue.housing)
    # The links both ways, the interpretations, a count of each of the title's four
    # words (老旧小区 综合整治 管理办法 修订), the ranked query, the rows.
    with django_assert_max_num_queries(9):
        related_items(policy)
    # A count of each of six words (two topic words, four of the title), the ranked
    # queries of the topic words and of the title, the rows.
    with django_assert_max_num_queries(9):
        related_items(housing)


# ---- For an application -----------------------------------------------------------------

def test_matches_in_the_handling_agencys_subtree_come_first(catalogue, world):
    application, _code = apply(world.education, description="请公开公共租赁住房的申请条件。")
    found = offered(for_application(application))
    assert found[0] == (catalogue.teachers.pk, SIMILAR)
    assert {catalogue.housing.pk, catalogue.checklist.pk} <= {pk for pk, _r in found[1:]}


def test_an_application_to_the_government_searches_everything_in_one_ranking(catalogue, world):
    application, _code = apply(world.district, description="请公开公共租赁住房的申请条件。")
    found = ids(for_application(application))
    assert {catalogue.housing.pk, catalogue.checklist.pk, catalogue.teachers.pk} <= set(found)


def test_the_documents_an_application_names_come_first(catalogue, world):
    application, _code = apply(
        world.finance, document_number="京西政发[2024]5号",
        description="请公开《西城区老旧小区综合整治管理办法》及其修订的说明。")
    found = offered(for_application(application))
    assert found[:2] == [(catalogue.new_rule.pk, NAMED), (catalogue.old_rule.pk, NAMED)]


def test_a_doc_no_written_in_the_description_names_its_document(catalogue, world):
    application, _code = apply(world.finance, description="请提供京西政发〔2019〕3号文件的全文。")
    assert offered(for_application(application))[0] == (catalogue.old_rule.pk, NAMED)


def test_an_application_is_offered_public_items_only_and_at_most_limit(catalogue, world):
    application, _code = apply(world.district,
                               description="请公开老旧小区综合整治管理办法的解读。")
    found = ids(for_application(application, limit=3))
    assert len(found) == 3
    assert catalogue.draft_reading.pk not in ids(for_application(application, limit=10))


def test_an_applicants_numbers_are_not_searched_for_nor_logged(catalogue, world, caplog):
    with fixed_today(TODAY):
        _publish(world.district, "联系电话公告", D(2025, 5, 6), body=f"<p>电话{PHONE}</p>")
    application, _code = apply(world.district, description=f"{PHONE} {ID_NUMBER}")
    with caplog.at_level(logging.DEBUG):
        assert for_application(application) == []
    assert PHONE not in caplog.text and ID_NUMBER not in caplog.text


def test_an_application_asking_for_something_unpublished_is_offered_nothing(catalogue, world):
    application, _code = apply(world.education, description="请公开本校食堂的承包合同。")
    assert for_application(application) == []
