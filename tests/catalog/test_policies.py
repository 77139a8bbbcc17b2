"""Reading policy documents: history, links both ways, successors, interpretation deadlines
and the validity clean-up list."""

import datetime as dt

import pytest
from django.utils import translation

from tests.catalog.helpers import text
from xxgk.catalog import actions, policies
from xxgk.catalog.models import PolicyDocument
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2025, 6, 2)


@pytest.fixture(autouse=True)
def _today():
    with fixed_today(TODAY):
        yield


def _policy(agency, title: str, issued: dt.date, published: dt.date | None = None,
            kind: str = "normative_documents") -> PolicyDocument:
    document = actions.create_policy_document(
        agency, text(title, formed=issued, doc_no=f"京西{title}〔{issued.year}〕1号"),
        kind=kind, issued_on=issued)
    return actions.publish(document, published or issued)


def _change(document, validity: str, on: dt.date, by=None):
    return actions.record_validity_change(document, on=on, validity=validity, by_document=by)


def test_history_is_dated_oldest_first_with_the_document_that_made_each_change(world):
    old = _policy(world.education, "办法", D(2018, 3, 1))
    amending = _policy(world.education, "修改决定", D(2020, 5, 6))
    replacing = _policy(world.education, "新办法", D(2023, 9, 1))
    _change(old, "repealed", D(2023, 9, 1), by=replacing)
    _change(old, "amended", D(2020, 5, 6), by=amending)
    history = policies.validity_history(old)
    assert [(c.changed_on, c.validity, c.by_document) for c in history] == [
        (D(2020, 5, 6), "amended", amending), (D(2023, 9, 1), "repealed", replacing)]
    assert policies.validity_history(replacing) == []


def test_links_run_both_ways_from_the_validity_changes_and_skip_withdrawn_documents(world):
    old = _policy(world.education, "办法", D(2018, 3, 1))
    other = _policy(world.education, "细则", D(2018, 4, 1))
    amending = _policy(world.education, "修改决定", D(2020, 5, 6))
    replacing = _policy(world.education, "新办法", D(2023, 9, 1))
    _change(old, "amended", D(2020, 5, 6), by=amending)
    _change(old, "repealed", D(2023, 9, 1), by=replacing)
    _change(other, "expired", D(2023, 9, 1), by=replacing)
    _change(other, "in_force", D(2023, 10, 1))  # restored, by nobody: no link

    assert policies.links(old) == policies.PolicyLinks(amended_by=[amending],
                                                       repealed_by=[replacing])
    assert policies.links(replacing) == policies.PolicyLinks(repeals=[old, other])
    assert policies.links(amending) == policies.PolicyLinks(amends=[old])
    assert not policies.links(_policy(world.education, "无关", D(2024, 1, 2)))

    actions.withdraw(amending, "发布错误")
    assert policies.links(old).amended_by == []
    assert policies.links(amending).amends == [old]  # its own page is gone, not its record


def test_the_successor_is_the_newest_published_document_that_repealed_or_amended_it(world):
    old = _policy(world.education, "办法", D(2018, 3, 1))
    assert policies.successor(old) is None
    amending = _policy(world.education, "修改决定", D(2020, 5, 6))
    _change(old, "amended", D(2020, 5, 6), by=amending)
    assert policies.successor(old) == amending
    replacing = _policy(world.education, "新办法", D(2023, 9, 1))
    _change(old, "repealed", D(2023, 9, 1), by=replacing)
    assert policies.successor(old) == replacing
    actions.withdraw(replacing, "发布错误")
    assert policies.successor(old) == amending


def test_an_interpretation_is_late_after_three_working_days_on_the_holiday_calendar(world):
    # Friday 30 May 2025; 31 May – 2 June is the Dragon Boat holiday: 3, 4, 5 June count.
    policy = _policy(world.education, "办法", D(2025, 5, 30))
    assert policies.interpretation_deadline(policy) == D(2025, 6, 5)
    on_time = actions.create_interpretation(policy, text("解读", formed=D(2025, 5, 30)))
    assert not policies.is_late(on_time)  # not published yet: not judged
    with fixed_today(D(2025, 6, 6)):
        actions.publish(on_time, D(2025, 6, 5))
        late = actions.publish(actions.create_interpretation(
            policy, text("图解", formed=D(2025, 6, 6))), D(2025, 6, 6))
    on_time.refresh_from_db()
    assert not policies.is_late(on_time)
    assert policies.is_late(late)


def test_an_unpublished_policy_has_no_interpretation_deadline_yet(world):
    draft = actions.create_policy_document(world.education, text("草稿", formed=D(2025, 5, 6)),
                                           kind="other", issued_on=D(2025, 5, 6))
    assert policies.interpretation_deadline(draft) is None


def _reasons(world, today=TODAY) -> dict[str, tuple[str, ...]]:
    return {c.document.title: c.reasons
            for c in policies.cleanup_candidates([world.education, world.finance], today)}


def test_cleanup_lists_documents_in_force_or_amended_for_over_five_years(world):
    _policy(world.education, "老办法", D(2020, 6, 1))
    _policy(world.education, "刚满五年", D(2020, 6, 2))
    _policy(world.education, "新办法", D(2023, 1, 5))
    amended_long_ago = _policy(world.education, "早已修改", D(2015, 1, 5))
    _change(amended_long_ago, "amended", D(2019, 3, 1))
    amended_lately = _policy(world.education, "近来修改", D(2015, 2, 5))
    _change(amended_lately, "amended", D(2024, 3, 1))
    repealed = _policy(world.education, "已废止", D(2010, 1, 5))
    _change(repealed, "repealed", D(2019, 3, 1))
    _policy(world.subdistrict, "街道老办法", D(2010, 1, 5))  # not an agency asked about
    actions.create_policy_document(world.education, text("老草稿", formed=D(2010, 1, 5)),
                                   kind="other", issued_on=D(2010, 1, 5))
    assert _reasons(world) == {
        "早已修改": (policies.REASON_AMENDED_LONG,),
        "老办法": (policies.REASON_IN_FORCE_LONG,),
    }


def test_cleanup_lists_a_document_that_amends_one_since_repealed(world):
    base = _policy(world.education, "办法", D(2018, 3, 1))
    amending = _policy(world.education, "修改决定", D(2022, 5, 6))
    _change(base, "amended", D(2022, 5, 6), by=amending)
    assert "修改决定" not in _reasons(world)
    replacing = _policy(world.education, "新办法", D(2024, 9, 2))
    _change(base, "repealed", D(2024, 9, 2), by=replacing)
    [candidate] = [c for c in policies.cleanup_candidates([world.education], TODAY)
                   if c.document == amending]
    assert candidate.reasons == (policies.REASON_AMENDS_ENDED,)
    assert candidate.ended_documents == (base,)
    with translation.override("en"):
        assert candidate.reason_labels == [
            "Amends a document that has since been repealed or has expired"]


def test_a_review_keeps_a_document_off_the_list_for_five_years_unless_news_came_after(world):
    reviewed = _policy(world.education, "已确认", D(2012, 3, 1))
    actions.bulk_validity([reviewed], "confirm", on=D(2021, 4, 1), reason="仍适用")
    stale = _policy(world.education, "确认已久", D(2012, 3, 1))
    actions.bulk_validity([stale], "confirm", on=D(2020, 4, 1), reason="仍适用")
    base = _policy(world.education, "办法", D(2012, 3, 1))
    amending = _policy(world.education, "修改决定", D(2013, 5, 6))
    _change(base, "amended", D(2013, 5, 6), by=amending)
    actions.bulk_validity([amending], "confirm", on=D(2023, 1, 4), reason="仍适用")
    actions.bulk_validity([base], "confirm", on=D(2023, 1, 4), reason="仍适用")
    assert set(_reasons(world)) == {"确认已久"}
    _change(base, "repealed", D(2024, 2, 1))
    assert _reasons(world)["修改决定"] == (policies.REASON_AMENDS_ENDED,)
    # Five years after the review, the age counts again.
    assert _reasons(world, D(2028, 1, 5))["修改决定"] == (
        policies.REASON_IN_FORCE_LONG, policies.REASON_AMENDS_ENDED)


def test_cleanup_reads_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for n in range(12):
        base = _policy(world.education, f"办法{n}", D(2012, 3, 1 + n))
        amending = _policy(world.district, f"修改决定{n}", D(2013, 5, 1 + n))
        _change(base, "amended", D(2013, 6, 3), by=amending)
        _change(base, "repealed", D(2016, 2, 1 + n))
        actions.bulk_validity([amending], "confirm", on=D(2015, 1, 4), reason="-")
    with django_assert_max_num_queries(2):
        candidates = policies.cleanup_candidates([world.education, world.district], TODAY)
        assert len(candidates) == 12
        assert all(len(c.ended_documents) == 1 and c.document.agency.code for c in candidates)
        assert [c.document.issued_on for c in candidates] == sorted(
            c.document.issued_on for c in candidates)
    assert len(policies.cleanup_candidates([world.district], TODAY, limit=5)) == 5


def test_five_years_before_a_leap_day():
    assert policies.years_before(D(2024, 2, 29), 5) == D(2019, 2, 28)
