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
    with django_assert_num_queries(4):
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
