"""The catalogue's writers: index numbers, the Art. 26 deadline, publication, validity."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import translation

from tests.catalog.helpers import published_policy, text
from tests.factories import published_report
from xxgk.agencies.models import AuditEntry
from xxgk.catalog import actions
from xxgk.catalog.models import InfoItem, ItemState, PolicyDocument, ValidityChange
from xxgk.core.steps import StepError

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_items_are_numbered_per_agency_and_year_of_formation(world):
    first = actions.create_item(world.education, text(formed=dt.date(2025, 3, 3)))
    second = actions.create_item(world.education, text(formed=dt.date(2025, 5, 6)))
    other = actions.create_item(world.finance, text(formed=dt.date(2025, 5, 6)))
    next_year = actions.create_item(world.education, text(formed=dt.date(2026, 1, 5)))
    assert (first.index_no, second.index_no) == ("110102103/2025-00001", "110102103/2025-00002")
    assert other.index_no == "110102109/2025-00001"
    assert next_year.index_no == "110102103/2026-00001"


def test_the_publication_deadline_is_twenty_working_days_after_formation(world):
    # 2025-09-26 (Fri): National Day and the Mid-Autumn Festival (1–8 October) are not
    # working days; Sunday 28 September and Saturday 11 October are.
    item = actions.create_item(world.education, text(formed=dt.date(2025, 9, 26)))
    assert item.publish_by == dt.date(2025, 10, 30)
    assert item.state == ItemState.DRAFT and item.published_on is None


def test_publishing_dates_the_item_and_audits_whether_it_was_on_time(world):
    item = actions.create_item(world.education, text(formed=dt.date(2025, 3, 3)),
                               actor=world.handler)
    actions.submit(item, actor=world.handler)
    actions.publish(item, dt.date(2025, 4, 30), actor=world.reviewer)
    item.refresh_from_db()
    assert (item.state, item.published_on) == (ItemState.PUBLISHED, dt.date(2025, 4, 30))
    entry = AuditEntry.objects.get(action="catalog.publish")
    assert entry.actor == world.reviewer and entry.detail["on_time"] is False


@pytest.mark.parametrize(("published", "message"), [
    (dt.date(2025, 3, 1), "before it was formed"),
    (dt.date(2099, 1, 1), "in the future"),
])
def test_a_publication_date_must_be_possible(world, published, message):
    item = actions.create_item(world.education, text(formed=dt.date(2025, 3, 3)))
    with pytest.raises(StepError, match=message):
        actions.publish(item, published)
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT


def test_an_item_is_published_once_and_only_if_proactive(world):
    item = actions.create_item(world.education, text())
    actions.publish(item, dt.date(2025, 3, 4))
    with pytest.raises(StepError, match="already published"):
        actions.publish(item, dt.date(2025, 3, 5))
    on_request = actions.create_item(world.education, text(attribute="on_request"))
    with pytest.raises(StepError, match="proactively"):
        actions.publish(on_request, dt.date(2025, 3, 4))


@pytest.mark.parametrize(("changes", "field"), [
    ({"title": "  "}, "title"),
    ({"title": "长" * 301}, "title"),
    ({"attribute": "secret"}, "attribute"),
    ({"formed_on": dt.date(2099, 1, 1)}, "formed_on"),
])
def test_bad_items_name_the_field_and_write_nothing(world, changes, field):
    values = {"title": "通知", "formed_on": dt.date(2025, 3, 3), **changes}
    with pytest.raises(StepError) as refused:
        actions.create_item(world.education, actions.ItemText(**values))
    assert refused.value.field == field
    assert not InfoItem.objects.exists()


def test_only_the_agency_s_handlers_and_the_ogi_office_edit_its_catalogue(world):
    actions.create_item(world.education, text(), actor=world.handler)
    actions.create_item(world.education, text(), actor=world.ogi)
    for outsider in (world.finance_handler, world.reviewer, world.auditor):
        with pytest.raises(StepError, match="may not edit"):
            actions.create_item(world.education, text(), actor=outsider)
    assert InfoItem.objects.count() == 2


def test_policy_documents_are_proactive_and_of_a_known_kind(world):
    with pytest.raises(StepError) as refused:
        actions.create_policy_document(world.education, text(), kind="decree",
                                       issued_on=dt.date(2025, 3, 3))
    assert refused.value.field == "kind"
    with pytest.raises(StepError) as refused:
        actions.create_policy_document(world.education, text(attribute="withheld"),
                                       kind="rules", issued_on=dt.date(2025, 3, 3))
    assert refused.value.field == "attribute"
    assert not PolicyDocument.objects.exists()


def test_a_validity_change_updates_the_current_validity_from_the_newest_change(world):
    policy = published_policy(world.education, "normative_documents", dt.date(2024, 5, 6))
    actions.record_validity_change(policy, on=dt.date(2025, 6, 1), validity="repealed")
    # A change recorded later but effective earlier does not override the newer one.
    actions.record_validity_change(policy, on=dt.date(2025, 1, 1), validity="amended")
    policy.refresh_from_db()
    assert policy.validity == "repealed"
    assert [c.validity for c in policy.validity_changes.all()] == ["amended", "repealed"]


def test_a_validity_change_must_follow_the_issue_and_name_another_published_document(world):
    policy = published_policy(world.education, "rules", dt.date(2024, 5, 6))
    with pytest.raises(StepError, match="earlier than"):
        actions.record_validity_change(policy, on=dt.date(2024, 5, 1), validity="repealed")
    with pytest.raises(StepError, match="another published"):
        actions.record_validity_change(policy, on=dt.date(2025, 5, 1), validity="repealed",
                                       by_document=policy)
    draft = actions.create_policy_document(world.education, text(), kind="rules",
                                           issued_on=dt.date(2024, 5, 6))
    with pytest.raises(StepError, match="Publish the document"):
        actions.record_validity_change(draft, on=dt.date(2025, 5, 1), validity="repealed")
    assert not ValidityChange.objects.exists()


def test_a_change_must_change_something_and_follow_its_cause(world):
    policy = published_policy(world.education, "rules", D(2024, 5, 6))
    successor = published_policy(world.education, "rules", D(2025, 3, 3))
    with pytest.raises(StepError, match="already has that validity") as refused:
        actions.record_validity_change(policy, on=D(2024, 8, 1), validity="in_force")
    assert refused.value.field == "validity"
    actions.record_validity_change(policy, on=D(2025, 3, 3), validity="repealed",
                                   by_document=successor)
    with pytest.raises(StepError, match="already has that validity"):
        actions.record_validity_change(policy, on=D(2025, 9, 1), validity="repealed")
    with pytest.raises(StepError, match="issued after") as refused:
        actions.record_validity_change(policy, on=D(2025, 1, 2), validity="amended",
                                       by_document=successor)
    assert refused.value.field == "by_document"
    assert ValidityChange.objects.count() == 1


def test_a_published_report_locks_its_year_against_back_dated_steps(world):
    policy = published_policy(world.education, "rules", dt.date(2024, 5, 6))
    item = actions.create_item(world.education, text(formed=dt.date(2025, 12, 1)))
    published_report(world.education, 2025)
    with pytest.raises(StepError, match="2025 has been published"):
        actions.publish(item, dt.date(2025, 12, 5))
    with pytest.raises(StepError, match="2025 has been published"):
        actions.record_validity_change(policy, on=dt.date(2025, 6, 1), validity="repealed")
    actions.publish(item, dt.date(2026, 1, 5))
    assert not ValidityChange.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_simultaneous_creations_get_distinct_index_numbers(world):
    numbers, errors = [], []

    def create() -> None:
        try:
            numbers.append(actions.create_item(world.education, text()).index_no)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(set(numbers)) == 8


def test_a_document_is_amended_or_repealed_by_its_agency_or_a_government_above_it(world):
    old = published_policy(world.education, "normative_documents", D(2020, 3, 2))
    sibling = published_policy(world.finance, "normative_documents", D(2024, 3, 4))
    with pytest.raises(StepError) as refused:
        actions.record_validity_change(old, on=D(2024, 3, 4), validity="repealed",
                                       by_document=sibling)
    assert refused.value.field == "by_document" and not ValidityChange.objects.exists()
    government = published_policy(world.district, "normative_documents", D(2024, 3, 4))
    actions.record_validity_change(old, on=D(2024, 3, 4), validity="repealed",
                                   by_document=government)
    assert PolicyDocument.objects.get(pk=old.pk).validity == "repealed"
