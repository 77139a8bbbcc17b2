"""The matches as read once (``backends.base.Matches``): the facets' counts and a page's
order, by date or by the engine's scores, as the engines' own ranked pages have it."""

from __future__ import annotations

from xxgk.search.backends.base import NOT_IN_FORCE_FACTOR, Matches

# item id, agency, category, kind, validity, in force, date
ROWS = [(1, 10, 5, "", "", 1, "2025-01-02"),
        (2, 10, 5, "rules", "in_force", 1, "2025-03-01"),
        (3, 11, None, "rules", "repealed", 0, "2025-03-01"),
        (4, 10, 5, "", "", 1, "2024-12-31")]


def test_the_facets_count_the_matches_by_agency_category_kind_and_validity():
    assert sorted(Matches(ROWS).facet_rows(), key=str) == sorted(
        [(10, 5, "", "", 2), (10, 5, "rules", "in_force", 1),
         (11, None, "rules", "repealed", 1)], key=str)


def test_newest_first_with_the_id_breaking_ties_and_pages_following_on():
    matches = Matches(ROWS)
    assert [pk for pk, _ in matches.newest(0, 10)] == [3, 2, 1, 4]
    assert [pk for pk, _ in matches.newest(1, 2)] == [2, 1]
    assert matches.newest(4, 10) == []


def test_ranked_by_score_an_expired_document_discounted_unscored_ones_last_by_date():
    scores = {1: 2.0, 3: 4.0, 2: 1.0}
    ranked = Matches(ROWS).ranked(scores, 0, 10)
    # 3 is repealed: 4.0 × 0.4 = 1.6 < 2.0.
    assert [pk for pk, _ in ranked] == [1, 3, 2, 4]
    assert dict(ranked)[3] == 4.0 * NOT_IN_FORCE_FACTOR and dict(ranked)[4] == 0.0
    assert [pk for pk, _ in Matches(ROWS).ranked(scores, 2, 1)] == [2]
