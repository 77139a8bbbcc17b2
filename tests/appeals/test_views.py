"""The staff pages: scoped lists, recording for handlers and reviewers, reading for auditors."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.appeals.helpers import PDF, case
from tests.applications.helpers import received
from tests.factories import UserFactory
from xxgk.appeals import actions
from xxgk.appeals.models import AppealCase, AppealDocument

pytestmark = pytest.mark.django_db


def _form(agency, **overrides):
    data = {"agency": agency.pk, "kind": "reconsideration", "case_number": "西政复字〔2023〕第7号",
            "body": "北京市西城区人民政府", "filed_on": "2023-05-04", "application_number": "",
            "notes": ""}
    data.update(overrides)
    return data


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("appeals:list"))
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_accounts_without_a_role_are_refused(world, client):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("appeals:list")).status_code == 403


def test_the_list_shows_only_the_users_scope(world, client):
    case(world.education, number="教委案")
    case(world.finance, number="财政案")
    client.force_login(world.handler)
    html = client.get(reverse("appeals:list")).content.decode()
    assert "教委案" in html and "财政案" not in html
    client.force_login(world.ogi)
    html = client.get(reverse("appeals:list")).content.decode()
    assert "教委案" in html and "财政案" in html


def test_the_list_filters_and_sums_up_a_year(world, client):
    first = case(world.education, number="甲", filed_on=dt.date(2023, 3, 1))
    actions.record_decision(first, result="upheld", decided_on=dt.date(2023, 4, 1))
    case(world.education, number="乙", filed_on=dt.date(2022, 3, 1))
    client.force_login(world.ogi)
    response = client.get(reverse("appeals:list"), {"year": "2023"})
    html = response.content.decode()
    assert "甲" in html and ">乙<" not in html
    assert "结果维持" in html  # the section 四 summary of the year
    # A bad filter value is reported, not a crash, and that filter is ignored.
    response = client.get(reverse("appeals:list"), {"year": "1999", "kind": "nonsense"})
    assert response.status_code == 200 and "甲" in response.content.decode()


def test_the_list_pages(world, client):
    for i in range(55):
        case(world.education, number=f"案{i:02d}")
    client.force_login(world.handler)
    first = client.get(reverse("appeals:list")).content.decode()
    assert 'rel="next"' in first
    second = client.get(reverse("appeals:list"), {"page": "2"}).content.decode()
    assert 'rel="prev"' in second
    assert client.get(reverse("appeals:list"), {"page": "x"}).status_code == 200


def test_an_auditor_reads_but_cannot_record(world, client):
    recorded = case(world.education)
    client.force_login(world.auditor)
    assert reverse("appeals:create") not in client.get(reverse("appeals:list")).content.decode()
    assert client.get(reverse("appeals:create")).status_code == 403
    detail = client.get(reverse("appeals:detail", args=[recorded.pk]))
    assert detail.status_code == 200 and 'name="result"' not in detail.content.decode()
    response = client.post(reverse("appeals:detail", args=[recorded.pk]),
                           {"result": "upheld", "decided_on": "2023-04-01"})
    assert response.status_code == 403
    recorded.refresh_from_db()
    assert recorded.result == "pending"


def test_a_handler_records_a_case_with_its_application_and_document(world, client):
    application = received(world.education, dt.date(2023, 2, 1))
    client.force_login(world.handler)
    data = _form(world.education, application_number=application.number)
    data["document"] = SimpleUploadedFile("申请书.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("appeals:create"), data)
    recorded = AppealCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:detail", args=[recorded.pk])
    assert recorded.application == application and recorded.documents.count() == 1


def test_a_handler_may_choose_only_agencies_in_scope(world, client):
    client.force_login(world.handler)
    html = client.get(reverse("appeals:create")).content.decode()
    assert "北京市西城区教育委员会" in html and "北京市西城区财政局" not in html
    response = client.post(reverse("appeals:create"), _form(world.finance))
    assert response.status_code == 422 and not AppealCase.objects.exists()


def test_errors_are_shown_at_their_fields_and_linked(world, client):
    client.force_login(world.handler)
    response = client.post(reverse("appeals:create"),
                           _form(world.education, filed_on="not a date", case_number="",
                                 application_number="110102-2023-999999"))
    html = response.content.decode()
    assert response.status_code == 422
    assert 'class="error-summary"' in html
    for name in ("filed_on", "case_number", "application_number"):
        assert re.search(rf'id="id_{name}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*'
                         rf'id="id_{name}"', html), name
        assert f'id="id_{name}_error"' in html
        assert re.search(rf'aria-describedby="[^"]*id_{name}_error"', html)
    assert not AppealCase.objects.exists()


def test_an_action_error_lands_on_its_field(world, client):
    case(world.education, number="重号")
    client.force_login(world.handler)
    response = client.post(reverse("appeals:create"), _form(world.education, case_number="重号"))
    assert response.status_code == 422
    assert 'id="id_case_number_error"' in response.content.decode()


def test_a_file_that_is_not_a_document_is_refused_at_its_field(world, client):
    client.force_login(world.handler)
    data = _form(world.education)
    data["document"] = SimpleUploadedFile("决定书.pdf", b"#!/bin/sh\necho hi\n")
    response = client.post(reverse("appeals:create"), data)
    assert response.status_code == 422
    assert 'id="id_document_error"' in response.content.decode()
    assert not AppealCase.objects.exists()


def test_a_reviewer_records_the_decision(world, client):
    recorded = case(world.education)
    client.force_login(world.reviewer)
    response = client.post(reverse("appeals:detail", args=[recorded.pk]),
                           {"result": "corrected", "decided_on": "2023-04-10", "notes": "撤销"})
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.result == "corrected" and recorded.decided_on == dt.date(2023, 4, 10)


def test_a_bad_decision_is_refused_with_field_errors(world, client):
    recorded = case(world.education)
    client.force_login(world.reviewer)
    response = client.post(reverse("appeals:detail", args=[recorded.pk]),
                           {"result": "upheld", "decided_on": "2023-01-01"})
    assert response.status_code == 422
    assert 'id="id_decided_on_error"' in response.content.decode()
    response = client.post(reverse("appeals:detail", args=[recorded.pk]), {"result": "pending"})
    assert response.status_code == 422
    assert 'id="id_result_error"' in response.content.decode()


def test_cases_out_of_scope_do_not_exist_for_the_user(world, client):
    recorded = case(world.finance, documents=[actions.Upload("a.pdf", PDF)])
    document = AppealDocument.objects.get()
    client.force_login(world.handler)
    assert client.get(reverse("appeals:detail", args=[recorded.pk])).status_code == 404
    assert client.get(reverse("appeals:document", args=[recorded.pk, document.pk])
                      ).status_code == 404


def test_documents_download_as_attachments(world, client):
    recorded = case(world.education, documents=[actions.Upload("复议决定书.pdf", PDF)])
    document = AppealDocument.objects.get()
    client.force_login(world.auditor)
    response = client.get(reverse("appeals:document", args=[recorded.pk, document.pk]))
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_decided_case_offers_to_correct_its_decision(world, client):
    recorded = case(world.education)
    actions.record_decision(recorded, result="other", decided_on=dt.date(2023, 4, 2))
    client.force_login(world.handler)
    html = client.get(reverse("appeals:detail", args=[recorded.pk])).content.decode()
    assert 'id="decision-h"' in html
    assert re.search(r'value="other"[^>]*checked', html)
    assert 'value="2023-04-02"' in html


def test_kinds_and_results_are_in_the_page_language(world, client):
    decided = case(world.education, number="甲", kind="litigation_after_reconsideration",
                   filed_on=dt.date(2023, 3, 1))
    actions.record_decision(decided, result="upheld", decided_on=dt.date(2023, 4, 1))
    case(world.education, number="乙", filed_on=dt.date(2023, 5, 1))
    client.force_login(world.ogi)
    client.cookies["django_language"] = "en"
    pages = [client.get(reverse("appeals:list"), {"year": "2023"}).content.decode(),
             client.get(reverse("appeals:detail", args=[decided.pk])).content.decode()]
    for html in pages:
        for chinese in ("结果维持", "尚未审结", "复议后起诉", "行政复议</"):
            assert chinese not in html
    assert "Upheld" in pages[0] and "Pending" in pages[0]
    assert "Administrative litigation · Litigation after reconsideration" in pages[1]
    client.cookies["django_language"] = "zh-hans"
    html = client.get(reverse("appeals:list"), {"year": "2023"}).content.decode()
    assert "结果维持" in html and "行政诉讼·复议后起诉" in html and "Upheld" not in html
