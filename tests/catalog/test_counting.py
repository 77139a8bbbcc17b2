"""What the catalogue counts for the annual report and the scorecards."""

import datetime as dt

import pytest

from tests.catalog.helpers import (
    published_interpretation,
    published_item,
    published_policy,
    text,
)
from xxgk.catalog import actions, counting
from xxgk.core.today import fixed_today
from xxgk.reports import proactive
from xxgk.reports.actions import enter_figures

pytestmark = pytest.mark.django_db

D = dt.date


def test_only_agencies_that_have_published_here_by_the_year_end_are_counted(world):
    published_item(world.education, D(2024, 3, 4), D(2024, 3, 5))
    published_item(world.finance, D(2025, 3, 4), D(2025, 3, 5))
    actions.create_item(world.subdistrict, text())  # a draft is not use
    ids = [world.education.pk, world.finance.pk, world.subdistrict.pk]
    assert counting.in_use(ids, 2024) == {world.education.pk}
    assert counting.in_use(ids, 2025) == {world.education.pk, world.finance.pk}
    # In use but nothing published this year: zeros, not "not recorded".
    assert counting.item_counts(ids, 2025)[world.education.pk]["items_published"] == 0
    assert world.subdistrict.pk not in counting.item_counts(ids, 2025)


def test_items_of_the_year_key_areas_and_those_published_within_20_working_days(world):
    published_item(world.education, D(2025, 3, 3), D(2025, 3, 31), key_area=True)  # on time
    published_item(world.education, D(2025, 3, 3), D(2025, 4, 1))  # one day late
    published_item(world.education, D(2024, 12, 20), D(2025, 1, 6), key_area=True)
    published_item(world.education, D(2025, 12, 30), D(2026, 1, 5))  # next year's
    counts = counting.item_counts([world.education.pk], 2025)[world.education.pk]
    assert (counts["items_published"], counts["key_area_items"], counts["on_time"]) == (3, 2, 2)


def test_policy_documents_interpretations_and_which_policies_are_interpreted(world):
    explained = published_policy(world.education, "normative_documents", D(2025, 2, 3))
    published_policy(world.education, "other", D(2025, 4, 7))
    published_interpretation(explained, D(2025, 2, 10))
    published_interpretation(explained, D(2025, 3, 10))
    counts = counting.item_counts([world.education.pk], 2025)[world.education.pk]
    assert counts["policy_documents"] == 2
    assert counts["interpretations"] == 2
    assert counts["policies_interpreted"] == 1
    # Policies and interpretations are items: all four count as published.
    assert counts["items_published"] == 4


def test_section_two_issued_repealed_and_in_force_at_the_year_end(world):
    old_rule = published_policy(world.education, "rules", D(2022, 6, 1))
    published_policy(world.education, "rules", D(2025, 5, 6))
    amended = published_policy(world.education, "normative_documents", D(2023, 1, 9))
    repealed = published_policy(world.education, "normative_documents", D(2024, 1, 9))
    published_policy(world.education, "other", D(2025, 1, 9))  # not in section 二
    actions.record_validity_change(amended, on=D(2025, 3, 1), validity="amended")
    actions.record_validity_change(repealed, on=D(2025, 9, 1), validity="repealed")
    actions.record_validity_change(old_rule, on=D(2026, 2, 1), validity="expired")
    counts = counting.section_two([world.education.pk], 2025)[world.education.pk]
    assert counts == {
        "proactive.rules.issued": 1, "proactive.rules.repealed": 0,
        # The old rule expired only in 2026: at the end of 2025 it was in force.
        "proactive.rules.in_force": 2,
        "proactive.normative_documents.issued": 0,
        "proactive.normative_documents.repealed": 1,
        "proactive.normative_documents.in_force": 1,
    }
    in_2024 = counting.section_two([world.education.pk], 2024)[world.education.pk]
    assert in_2024["proactive.normative_documents.in_force"] == 2
    assert in_2024["proactive.rules.in_force"] == 1


def test_drafts_count_nowhere(world):
    published_item(world.education, D(2025, 3, 3), D(2025, 3, 4))
    actions.create_policy_document(world.education, text(), kind="rules",
                                   issued_on=D(2025, 3, 3))
    counts = counting.section_two([world.education.pk], 2025)[world.education.pk]
    assert counts["proactive.rules.issued"] == 0 and counts["proactive.rules.in_force"] == 0
    assert counting.item_counts([world.education.pk], 2025)[world.education.pk][
        "items_published"] == 1


def test_counts_are_per_agency_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    for agency in (world.education, world.finance, world.subdistrict):
        published_item(agency, D(2025, 3, 3), D(2025, 3, 4))
    ids = [world.education.pk, world.finance.pk, world.subdistrict.pk]
    with django_assert_num_queries(5):
        counts = counting.item_counts(ids, 2025)
    assert {agency_id: c["items_published"] for agency_id, c in counts.items()} == dict.fromkeys(
        ids, 1)
    with django_assert_num_queries(4):
        counting.section_two(ids, 2025)


def test_a_document_added_to_the_catalogue_later_counts_from_its_publication_year(world):
    """An old document entered now must not change a past year's published figures."""
    published_item(world.education, D(2024, 3, 4), D(2024, 3, 5))
    before = counting.section_two([world.education.pk], 2024)
    old = published_policy(world.education, "normative_documents", D(2019, 6, 3),
                           published=D(2025, 2, 3))
    late = published_policy(world.education, "rules", D(2024, 11, 4), published=D(2025, 1, 6))
    assert counting.section_two([world.education.pk], 2024) == before
    in_2025 = counting.section_two([world.education.pk], 2025)[world.education.pk]
    assert in_2025["proactive.normative_documents.in_force"] == 1
    assert in_2025["proactive.rules.in_force"] == 1
    assert in_2025["proactive.rules.issued"] == 0  # issued in 2024, published too late
    assert (old.issued_on.year, late.issued_on.year) == (2019, 2024)


def test_expiry_is_not_repeal(world):
    expired = published_policy(world.education, "rules", D(2022, 6, 1))
    actions.record_validity_change(expired, on=D(2025, 3, 1), validity="expired")
    counts = counting.section_two([world.education.pk], 2025)[world.education.pk]
    assert counts["proactive.rules.repealed"] == 0 and counts["proactive.rules.in_force"] == 0


def test_withdrawn_items_still_count_in_the_year_they_were_published(world):
    """They were published: taking one down later must not change that year's figures."""
    item = published_item(world.education, D(2025, 3, 3), D(2025, 3, 4), key_area=True,
                          channels=("weibo",))
    before = counting.item_counts([world.education.pk], 2025)
    with fixed_today(D(2026, 2, 2)):
        actions.withdraw(item, "发布有误")
    assert counting.item_counts([world.education.pk], 2025) == before
    assert before[world.education.pk]["items_published"] == 1
    assert counting.in_use([world.education.pk], 2025) == {world.education.pk}


def test_a_withdrawn_document_counts_as_issued_but_not_in_force_after_it_is_withdrawn(world):
    document = published_policy(world.education, "normative_documents", D(2025, 3, 3))
    with fixed_today(D(2025, 6, 2)):
        actions.withdraw(document, "发布有误")
    counts = counting.section_two([world.education.pk], 2025)[world.education.pk]
    assert counts["proactive.normative_documents.issued"] == 1
    assert counts["proactive.normative_documents.in_force"] == 0


def test_the_portal_weibo_and_wechat_are_counted_from_the_items_and_their_channels(world):
    published_item(world.education, D(2025, 3, 3), D(2025, 3, 4), channels=("weibo", "wechat"))
    published_item(world.education, D(2025, 3, 3), D(2025, 3, 5), channels=("wechat",))
    published_item(world.education, D(2025, 3, 3), D(2025, 3, 6), channels=("newspaper",))
    later = published_item(world.education, D(2025, 3, 3), D(2025, 3, 7))
    actions.set_channels(later, ("weibo",))  # recorded after publication: counts too
    published_item(world.education, D(2024, 3, 3), D(2024, 3, 4), channels=("weibo",))
    draft = actions.create_item(world.education, text(channels=("weibo", "wechat")))
    withheld = actions.create_item(world.education, text(attribute="withheld",
                                                         withholding_ground="withheld.state_secret",
                                                         channels=("weibo",)))
    assert draft.pk and withheld.pk
    counts = counting.item_counts([world.education.pk], 2025)[world.education.pk]
    assert (counts["portal_items"], counts["weibo_items"], counts["wechat_items"]) == (4, 2, 2)


def test_the_channel_counts_feed_the_report_and_an_entered_figure_wins(world):
    published_item(world.education, D(2025, 3, 3), D(2025, 3, 4), channels=("weibo",))
    published_item(world.finance, D(2025, 3, 3), D(2025, 3, 4), channels=("weibo", "wechat"))
    ids = [world.education.pk, world.finance.pk]
    figures = proactive.publishing_figures(ids, 2025)
    assert (figures["portal_items"], figures["weibo_items"], figures["wechat_items"]) == (2, 2, 1)
    # Finance states its own Weibo figure (it posts more than its catalogue records): its
    # statement wins for it, the education commission's count still adds.
    enter_figures(world.finance, 2025, {"weibo_items": 40})
    figures = proactive.publishing_figures(ids, 2025)
    assert (figures["portal_items"], figures["weibo_items"], figures["wechat_items"]) == (2, 41, 1)
    assert proactive.counted_figures(ids, 2025)["weibo_items"] == 2


def test_items_late_and_still_unpublished_count_up_to_today_and_the_year_end(world):
    with fixed_today(D(2025, 12, 1)):
        late = actions.create_item(world.education, text(formed=D(2025, 3, 3)))  # due 31 March
        in_review = actions.create_item(world.education, text(formed=D(2025, 11, 3)))
        actions.submit(in_review, actor=world.handler)  # due 1 December: not yet late
        actions.create_item(world.education, text(attribute="on_request", formed=D(2025, 3, 3)))
        published_item(world.education, D(2025, 1, 6), D(2025, 1, 7))
    assert late.publish_by == D(2025, 3, 31)
    assert counting.unpublished_late([world.education.pk], 2025, D(2025, 12, 1)) == {
        world.education.pk: 1}
    assert counting.unpublished_late([world.education.pk], 2025, D(2025, 12, 2)) == {
        world.education.pk: 2}
    # Due in 2025, still unpublished in 2026: late in both years, as an open application.
    assert counting.unpublished_late([world.education.pk], 2026, D(2026, 3, 2)) == {
        world.education.pk: 2}
    assert counting.unpublished_late([world.education.pk], 2024, D(2026, 3, 2)) == {}


def test_imported_history_counts_nowhere(world):
    """Published elsewhere and counted in those years' reports there: never counted again,
    and an agency holding only imported history is not in use."""
    from xxgk.catalog.bulk import HistoryRecord, publish_history
    from xxgk.catalog.models import Origin

    publish_history(world.finance, [
        HistoryRecord("西城区财政局2025年部门预算", D(2025, 3, 4), channels=("weibo",)),
    ], origin=Origin.IMPORTED)
    assert counting.in_use([world.finance.pk], 2025) == set()
    published_item(world.education, D(2025, 3, 3), D(2025, 3, 4))
    publish_history(world.education, [
        HistoryRecord("西城区教育委员会2025年部门预算", D(2025, 3, 4), key_area=True,
                      channels=("weibo", "wechat")),
        HistoryRecord("关于印发某办法的通知", D(2025, 2, 3), kind="normative_documents",
                      doc_no="京西教发〔2025〕3号"),
    ], origin=Origin.IMPORTED)
    counts = counting.item_counts([world.education.pk, world.finance.pk], 2025)
    assert counts == {world.education.pk: {
        "items_published": 1, "key_area_items": 0, "on_time": 1, "policy_documents": 0,
        "interpretations": 0, "policies_interpreted": 0, "portal_items": 1,
        "weibo_items": 0, "wechat_items": 0}}
    section = counting.section_two([world.education.pk], 2025)[world.education.pk]
    assert set(section.values()) == {0}
