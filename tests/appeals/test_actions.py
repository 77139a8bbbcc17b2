"""Recording cases and decisions: the only writers, checked, atomic and audited."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.appeals.helpers import PDF, case
from tests.applications.helpers import received
from tests.factories import published_report
from xxgk.agencies.models import AuditEntry
from xxgk.appeals import actions
from xxgk.appeals.models import AppealCase, AppealDocument
from xxgk.core.steps import StepError

pytestmark = pytest.mark.django_db


def test_a_recorded_case_is_pending_and_audited(world):
    recorded = case(world.education, actor=world.handler, notes="申请人不服答复")
    assert recorded.result == "pending" and recorded.decided_on is None
    entry = AuditEntry.objects.get(action="appeal.record_case")
    assert entry.actor == world.handler and entry.agency == world.education
    assert entry.detail["kind"] == "reconsideration"


def test_a_case_can_be_linked_to_an_application_of_the_agency(world):
    application = received(world.education, dt.date(2023, 2, 1))
    recorded = case(world.education, application=application)
    assert recorded.application == application
    assert AuditEntry.objects.get(action="appeal.record_case").detail["application"] == (
        application.number)


def test_an_application_of_another_agency_is_refused(world):
    application = received(world.finance, dt.date(2023, 2, 1))
    with pytest.raises(StepError) as error:
        case(world.education, application=application)
    assert error.value.field == "application"
    assert not AppealCase.objects.exists()


def test_a_government_may_be_respondent_for_an_application_of_its_department(world):
    application = received(world.education, dt.date(2023, 2, 1))
    assert case(world.district, application=application).agency == world.district


def test_a_case_cannot_be_filed_before_the_application_arrived(world):
    application = received(world.education, dt.date(2023, 2, 1))
    with pytest.raises(StepError) as error:
        case(world.education, application=application, filed_on=dt.date(2023, 1, 20))
    assert error.value.field == "filed_on"


@pytest.mark.parametrize(("field", "kwargs"), [
    ("kind", {"kind": "appeal"}),
    ("case_number", {"number": "  "}),
    ("body", {"body": ""}),
    ("filed_on", {"filed_on": timezone.localdate() + dt.timedelta(days=1)}),
])
def test_bad_input_names_its_field_and_writes_nothing(world, field, kwargs):
    with pytest.raises(StepError) as error:
        case(world.education, **kwargs)
    assert error.value.field == field
    assert not AppealCase.objects.exists() and not AuditEntry.objects.exists()


def test_a_case_number_is_unique_at_its_body(world):
    case(world.education)
    with pytest.raises(StepError) as error:
        case(world.finance)
    assert error.value.field == "case_number"
    case(world.finance, body="北京市西城区人民法院")
    assert AppealCase.objects.count() == 2


def test_auditors_and_other_agencies_may_not_record(world):
    with pytest.raises(StepError):
        case(world.education, actor=world.auditor)
    with pytest.raises(StepError):
        case(world.education, actor=world.finance_handler)
    for user in (world.handler, world.reviewer, world.ogi):
        case(world.education, actor=user, number=f"西政复字〔2023〕第{user.pk}号")
    assert AppealCase.objects.count() == 3


def test_documents_are_sniffed_by_content_and_stored(world):
    recorded = case(world.education, documents=[actions.Upload("../../复议申请书.pdf", PDF)])
    document = AppealDocument.objects.get(case=recorded)
    assert document.content_type == "application/pdf"
    assert document.filename == "复议申请书.pdf"
    assert bytes(document.content) == PDF and document.size == len(PDF)
    # Stored sealed with the field key: an application for reconsideration names its author.
    assert not bytes(document.sealed).startswith(b"%PDF")


@pytest.mark.parametrize("content", [b"", b"MZ\x90\x00 not a document", b"plain text",
                                     b"%PDF-1.4\n" + b"0" * 500])
def test_a_refused_document_leaves_no_case_behind(world, content):
    with pytest.raises(StepError) as error:
        case(world.education, documents=[actions.Upload("决定书.pdf", content)])
    assert error.value.field == "document"
    assert not AppealCase.objects.exists() and not AppealDocument.objects.exists()


def test_recording_the_decision(world):
    recorded = case(world.education)
    decided = actions.record_decision(recorded, result="upheld", decided_on=dt.date(2023, 4, 20),
                                      notes="维持原答复", actor=world.reviewer,
                                      documents=[actions.Upload("决定书.pdf", PDF)])
    assert decided.result == "upheld" and decided.decided_on == dt.date(2023, 4, 20)
    assert "维持原答复" in decided.notes
    assert decided.documents.count() == 1
    entry = AuditEntry.objects.get(action="appeal.record_decision")
    assert entry.detail["result"] == "upheld" and entry.detail["previous"] == "pending"


def test_a_decision_can_be_corrected_and_the_previous_result_is_kept_in_the_audit(world):
    recorded = case(world.education)
    actions.record_decision(recorded, result="upheld", decided_on=dt.date(2023, 4, 20))
    actions.record_decision(recorded, result="corrected", decided_on=dt.date(2023, 4, 21))
    recorded.refresh_from_db()
    assert recorded.result == "corrected"
    last = AuditEntry.objects.filter(action="appeal.record_decision").first()
    assert last.detail["previous"] == "upheld"


@pytest.mark.parametrize(("field", "result", "decided_on"), [
    ("result", "pending", dt.date(2023, 4, 1)),
    ("result", "won", dt.date(2023, 4, 1)),
    ("decided_on", "upheld", dt.date(2023, 2, 1)),
    ("decided_on", "upheld", dt.date(2999, 1, 1)),
])
def test_a_refused_decision_changes_nothing(world, field, result, decided_on):
    recorded = case(world.education)
    with pytest.raises(StepError) as error:
        actions.record_decision(recorded, result=result, decided_on=decided_on)
    assert error.value.field == field
    recorded.refresh_from_db()
    assert recorded.result == "pending" and recorded.decided_on is None


def test_an_auditor_may_not_record_a_decision(world):
    recorded = case(world.education)
    with pytest.raises(StepError):
        actions.record_decision(recorded, result="upheld", decided_on=dt.date(2023, 4, 1),
                                actor=world.auditor)


@pytest.mark.parametrize(("result", "decided_on"), [
    ("pending", dt.date(2023, 4, 1)),
    ("upheld", None),
    ("upheld", dt.date(2023, 2, 1)),
])
def test_the_database_refuses_a_result_without_its_date(world, result, decided_on):
    recorded = case(world.education)
    with pytest.raises(IntegrityError), transaction.atomic():
        AppealCase.objects.filter(pk=recorded.pk).update(result=result, decided_on=decided_on)


def test_a_published_year_refuses_new_cases_and_decisions_dated_in_it(world):

    recorded = actions.record_case(agency=world.education, kind="reconsideration",
                                   case_number="西政复〔2025〕1号", filed_on=dt.date(2025, 6, 2),
                                   body="北京市西城区人民政府")
    published_report(world.education, 2025)
    with pytest.raises(StepError, match="2025"):
        actions.record_case(agency=world.education, kind="reconsideration",
                                   case_number="西政复〔2025〕2号", filed_on=dt.date(2025, 7, 1),
                                   body="北京市西城区人民政府")
    with pytest.raises(StepError, match="2025"):
        actions.record_decision(recorded, result="upheld", decided_on=dt.date(2025, 8, 1))
    actions.record_decision(recorded, result="upheld", decided_on=dt.date(2026, 1, 6))
