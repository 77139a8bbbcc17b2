"""The applications' admin pages: the office edits letter wordings (checked and audited);
applications, their events and documents can be looked at but never changed there."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from xxgk import taxonomy
from xxgk.agencies.models import AuditEntry
from xxgk.applications import actions, letter_texts, pii
from xxgk.applications.models import Application, ApplicationEvent, LetterTemplate

ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"


@pytest.fixture
def application(world):
    submission = actions.Submission(
        applicant_column=taxonomy.NATURAL_PERSON, applicant_name="张三",
        id_document_type="resident_id", identity=pii.Identity(id_number=ID_NUMBER, phone=PHONE),
        description="招生计划", provision_form="paper", delivery="post", agency=world.education,
    )
    application, _code = actions.submit_application(submission)
    actions.confirm_receipt(application, received_on=timezone.localdate(), actor=world.handler)
    return application


def test_adding_a_wording_starts_from_the_shipped_one(admin_client):
    response = admin_client.get(reverse("admin:applications_lettertemplate_add"),
                                {"key": "reply.withheld.state_secret"})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["title"] == "政府信息公开申请答复书"
    assert form.initial["body"] == letter_texts.DEFAULTS["reply.withheld.state_secret"].body
    assert "{{ received_date }}" in response.content.decode()  # the placeholder list


def test_a_group_wording_starts_from_the_generic_text(admin_client):
    response = admin_client.get(reverse("admin:applications_lettertemplate_add"),
                                {"key": "reply.withheld"})
    assert response.context["adminform"].form.initial["body"] == letter_texts.GROUP_REPLY.body


def test_a_wording_that_is_not_template_text_is_refused_on_its_field(admin_client):
    response = admin_client.post(reverse("admin:applications_lettertemplate_add"),
                                 {"key": "notice.fee", "title": "收费通知书",
                                  "body": "{% if %}"})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["body"]
    assert not LetterTemplate.objects.exists()


def test_saving_a_wording_is_audited(admin_client):
    response = admin_client.post(reverse("admin:applications_lettertemplate_add"),
                                 {"key": "notice.fee", "title": "收费通知书",
                                  "body": "请缴纳{{ fee_amount }}元。"})
    assert response.status_code == 302
    template = LetterTemplate.objects.get(key="notice.fee")
    assert AuditEntry.objects.filter(action="admin.add", object_id=str(template.pk)).exists()


def test_unknown_keys_are_not_offered(admin_client):
    response = admin_client.post(reverse("admin:applications_lettertemplate_add"),
                                 {"key": "reply.granted", "title": "答复书", "body": "正文"})
    assert list(response.context["adminform"].form.errors) == ["key"]


def test_applications_are_shown_read_only_without_personal_details(admin_client, application):
    url = reverse("admin:applications_application_change", args=[application.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert application.number in content and "招生计划" in content
    assert ID_NUMBER not in content and PHONE not in content
    assert admin_client.post(url, {"description": "改了"}).status_code == 403
    assert admin_client.get(reverse("admin:applications_application_add")).status_code == 403
    delete = reverse("admin:applications_application_delete", args=[application.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Application.objects.get(pk=application.pk).description == "招生计划"


def test_events_cannot_be_edited_in_the_admin(admin_client, application):
    event = application.events.first()
    assert admin_client.get(reverse("admin:applications_applicationevent_changelist")
                            ).status_code == 200
    url = reverse("admin:applications_applicationevent_change", args=[event.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"note": "改了"}).status_code == 403
    assert ApplicationEvent.objects.get(pk=event.pk).note == ""
