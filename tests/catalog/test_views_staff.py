"""The catalogue's staff pages through the test client: drafting with attachments,
confidentiality review, publishing, returning, withdrawal, corrections, the Art. 26 list,
the review queue and the catalogue tree — and the bad input each refuses."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import files
from tests.catalog.helpers import text
from tests.factories import UserFactory
from xxgk.agencies.models import AuditEntry
from xxgk.catalog import actions
from xxgk.catalog.models import Attachment, Category, InfoItem, ItemState, ItemVersion
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2025, 6, 2)
PDF = files.PDF
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _today():
    with fixed_today(TODAY):
        yield


@pytest.fixture
def client(client):
    """Pages in English, so that the tests read the source wording."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(name, *args):
    return reverse(f"catalog_staff:{name}", args=args)


def _form(world, **overrides):
    data = {"agency": world.education.pk, "title": "关于开展2025年学生体质健康监测工作的通知",
            "title_en": "", "doc_no": "西教发〔2025〕3号", "summary": "", "topic_words": "教育 体质",
            "category": "", "formed_on": "2025-05-20", "attribute": "proactive",
            "withholding_ground": "", "body": "各中小学：现将有关事项通知如下。", "body_en": "",
            "channels": []}
    data.update(overrides)
    return data


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _draft(world, actor=None, **extra):
    return actions.create_item(world.education, text(formed=D(2025, 5, 20), **extra),
                               actor=actor or world.handler)


def _in_review(world, actor=None, **extra):
    actor = actor or world.handler
    return actions.submit(_draft(world, actor, **extra), actor=actor)


def _published(world, **extra):
    return actions.publish(_in_review(world, **extra), actor=world.reviewer)


# ---- Who sees what -----------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(_url("list"))
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_accounts_without_a_role_are_refused(world, client):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(_url("list")).status_code == 403


def test_the_nav_links_the_catalogue(world, client):
    client.force_login(world.handler)
    html = client.get(reverse("workbench:home")).content.decode()
    assert f'href="{_url("list")}"' in html and "Catalogue" in html


def test_an_item_of_another_agency_does_not_exist_for_an_outsider(world, client):
    item = _draft(world)
    actions.add_attachment(item, actions.CheckedFile("通知.pdf", "application/pdf", PDF),
                           actor=world.handler)
    attachment = item.attachments.get()
    client.force_login(world.finance_handler)
    for url in (_url("detail", item.pk), _url("edit", item.pk), _url("correct", item.pk),
                _url("attachment", item.pk, attachment.pk)):
        assert client.get(url).status_code == 404, url
    assert client.post(_url("step", item.pk, "submit")).status_code == 404
    assert client.post(_url("remove_attachment", item.pk, attachment.pk)).status_code == 404
    assert "关于开展" not in client.get(_url("list")).content.decode()
    assert InfoItem.objects.get(pk=item.pk).state == ItemState.DRAFT
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_an_outsider_cannot_draft_for_another_agency(world, client):
    client.force_login(world.finance_handler)
    response = client.post(_url("create"), _form(world))
    assert response.status_code == 422
    assert "agency" in response.context["form"].errors
    assert not InfoItem.objects.exists()


def test_auditors_read_but_do_not_draft(world, client):
    item = _draft(world)
    client.force_login(world.auditor)
    assert client.get(_url("create")).status_code == 403
    html = client.get(_url("detail", item.pk)).content.decode()
    assert item.title in html and _url("step", item.pk, "submit") not in html
    assert client.get(_url("edit", item.pk)).status_code == 403


# ---- The whole flow ---------------------------------------------------------------------

def test_a_handler_drafts_with_a_file_and_submits_and_a_reviewer_publishes(world, client):
    client.force_login(world.handler)
    form_page = client.get(_url("create")).content.decode()
    assert 'type="file"' in form_page and "multiple" in form_page
    upload = SimpleUploadedFile("监测方案.pdf", PDF, content_type="application/pdf")
    response = client.post(_url("create"), _form(world, attachments=[upload],
                                                 channels=["weibo"]))
    item = InfoItem.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("detail", item.pk)
    assert item.state == ItemState.DRAFT and item.created_by == world.handler
    assert item.publish_by == actions.publication_deadline(D(2025, 5, 20))
    attachment = item.attachments.get()
    assert (attachment.name, attachment.content_type) == ("监测方案.pdf", "application/pdf")
    download = client.get(_url("attachment", item.pk, attachment.pk))
    assert download.content == PDF and "attachment" in download["Content-Disposition"]

    detail = client.get(_url("detail", item.pk)).content.decode()
    assert item.index_no in detail and "监测方案.pdf" in detail
    assert _url("step", item.pk, "publish") not in detail  # handlers do not review
    response = client.post(_url("step", item.pk, "submit"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.REVIEW and item.submitted_by == world.handler

    client.force_login(world.reviewer)
    queue = client.get(_url("review")).content.decode()
    assert item.title in queue
    detail = client.get(_url("detail", item.pk)).content.decode()
    assert _url("step", item.pk, "publish") in detail and _url("step", item.pk, "return") in detail
    response = client.post(_url("step", item.pk, "publish"),
                           {"publish-published_on": "2025-06-02"})
    assert response.status_code == 302
    assert any("published" in m for m in _messages(response))
    item.refresh_from_db()
    assert (item.state, item.published_on) == (ItemState.PUBLISHED, TODAY)
    assert item.is_public
    assert item.title not in client.get(_url("review")).content.decode()

    history = client.get(_url("detail", item.pk)).content.decode()
    for step in ("Drafted", "File attached", "Submitted for confidentiality review",
                 "Approved and published"):
        assert step in history, step
    assert "reviewer" in history and "handler" in history
    assert list(AuditEntry.objects.filter(object_id=str(item.pk)).order_by("at", "id")
                .values_list("action", flat=True)) == [
        "catalog.create", "catalog.attach", "catalog.submit", "catalog.publish"]


def test_nobody_approves_their_own_draft(world, client):
    item = _in_review(world, actor=world.ogi)
    client.force_login(world.ogi)
    detail = client.get(_url("detail", item.pk)).content.decode()
    assert _url("step", item.pk, "publish") not in detail
    assert "another reviewer of the agency must review it" in detail
    assert item.title not in client.get(_url("review")).content.decode()
    response = client.post(_url("step", item.pk, "publish"),
                           {"publish-published_on": "2025-06-02"})
    assert response.status_code == 302
    assert any("not open to you" in m for m in _messages(response))
    assert InfoItem.objects.get(pk=item.pk).state == ItemState.REVIEW
    # Another reviewer of the agency may.
    client.force_login(world.reviewer)
    assert item.title in client.get(_url("review")).content.decode()


def test_a_returned_draft_shows_the_comment_and_goes_back_to_review(world, client):
    item = _in_review(world)
    client.force_login(world.reviewer)
    refused = client.post(_url("step", item.pk, "return"), {"return-comment": "  "})
    assert refused.status_code == 422
    assert "comment" in refused.context["forms"]["return"].errors
    client.post(_url("step", item.pk, "return"), {"return-comment": "删去第三段的个人电话"})
    item.refresh_from_db()
    assert item.state == ItemState.DRAFT

    client.force_login(world.handler)
    assert "删去第三段的个人电话" in client.get(_url("detail", item.pk)).content.decode()
    edit = client.get(_url("edit", item.pk))
    assert "删去第三段的个人电话" in edit.content.decode()
    assert edit.context["form"]["title"].value() == item.title
    response = client.post(_url("edit", item.pk),
                           _form(world, title="关于开展学生体质健康监测工作的通知（修改）"))
    assert response.status_code == 302
    client.post(_url("step", item.pk, "submit"))
    item.refresh_from_db()
    assert item.state == ItemState.REVIEW and item.title.endswith("（修改）")
    assert item.review_comment == ""


def test_a_published_item_is_withdrawn_with_a_reason(world, client):
    item = _published(world)
    client.force_login(world.handler)
    refused = client.post(_url("step", item.pk, "withdraw"), {"withdraw-reason": ""})
    assert refused.status_code == 422
    client.post(_url("step", item.pk, "withdraw"), {"withdraw-reason": "信息有误，已另行发布"})
    item.refresh_from_db()
    assert item.state == ItemState.WITHDRAWN and item.withdrawal_reason == "信息有误，已另行发布"
    html = client.get(_url("detail", item.pk)).content.decode()
    assert "信息有误，已另行发布" in html and "Withdrawn" in html


def test_a_correction_is_prefilled_reviewed_and_kept_in_the_history(world, client):
    item = _published(world, summary="原摘要")
    client.force_login(world.handler)
    page = client.get(_url("correct", item.pk))
    assert page.context["form"]["title"].value() == item.title
    assert page.context["form"]["summary"].value() == "原摘要"
    nothing = client.post(_url("correct", item.pk), {
        "title": item.title, "summary": "原摘要", "body": item.body, "reason": "无"})
    assert nothing.status_code == 422 and "changes nothing" in nothing.content.decode()
    response = client.post(_url("correct", item.pk), {
        "title": item.title + "（更正）", "summary": "更正了监测日期", "body": item.body,
        "reason": "监测日期有误"})
    assert response.status_code == 302
    version = ItemVersion.objects.get()
    assert version.state == ItemVersion.State.REVIEW and version.made_by == world.handler
    assert client.get(_url("correct", item.pk)).status_code == 302  # one at a time

    client.force_login(world.reviewer)
    detail = client.get(_url("detail", item.pk)).content.decode()
    assert "Correction in review (version 2)" in detail and "监测日期有误" in detail
    assert item.title in client.get(_url("review")).content.decode()
    returned = client.post(_url("step", item.pk, "review_correction"),
                           {"review_correction-decision": "return",
                            "review_correction-comment": ""})
    assert returned.status_code == 422  # returning needs a comment
    client.post(_url("step", item.pk, "review_correction"),
                {"review_correction-decision": "approve", "review_correction-comment": ""})
    item.refresh_from_db()
    assert item.title.endswith("（更正）") and item.version == 2
    history = client.get(_url("detail", item.pk)).content.decode()
    assert "Content replaced by version 2" in history and "原摘要" in history
    assert "Correction approved" in history


def test_a_correction_is_not_reviewed_by_its_author(world, client):
    item = _published(world)
    actions.propose_correction(item, text("改正后的标题", formed=D(2025, 5, 20)), "标题有误",
                               actor=world.ogi)
    client.force_login(world.ogi)
    detail = client.get(_url("detail", item.pk)).content.decode()
    assert _url("step", item.pk, "review_correction") not in detail
    assert "改正后的标题" not in client.get(_url("review")).content.decode()


def test_channels_are_edited_at_any_time(world, client):
    item = _published(world)
    client.force_login(world.handler)
    client.post(_url("step", item.pk, "channels"),
                {"channels-channels": ["weibo", "wechat"]})
    assert set(item.channels.values_list("channel", flat=True)) == {"weibo", "wechat"}
    refused = client.post(_url("step", item.pk, "channels"), {"channels-channels": ["tiktok"]})
    assert refused.status_code == 422
    assert set(item.channels.values_list("channel", flat=True)) == {"weibo", "wechat"}


def test_a_withheld_item_needs_its_ground_and_is_kept_off_review(world, client):
    client.force_login(world.handler)
    refused = client.post(_url("create"), _form(world, attribute="withheld"))
    assert refused.status_code == 422
    assert "withholding_ground" in refused.context["form"].errors
    assert not InfoItem.objects.exists()
    client.post(_url("create"), _form(world, attribute="withheld",
                                      withholding_ground="withheld.state_secret"))
    item = InfoItem.objects.get()
    assert item.withholding_ground == "withheld.state_secret"
    html = client.get(_url("detail", item.pk)).content.decode()
    assert _url("step", item.pk, "submit") not in html and "never published" in html


def test_a_draft_loses_and_gains_files(world, client):
    item = _draft(world)
    client.force_login(world.handler)
    client.post(_url("edit", item.pk), _form(world, attachments=[
        SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]))
    assert item.attachments.count() == 2
    first = item.attachments.first()
    response = client.post(_url("remove_attachment", item.pk, first.pk))
    assert response.status_code == 302 and item.attachments.count() == 1


# ---- Bad input ------------------------------------------------------------------------------

def test_script_in_the_bodies_is_stored_sanitised(world, client):
    client.force_login(world.handler)
    client.post(_url("create"), _form(
        world, body='<p onclick="steal()" style="color:red">通知<script>alert(1)</script>'
                    '<a href="javascript:alert(1)">链接</a><iframe src="//evil"></iframe></p>',
        body_en='<img src=x onerror="alert(1)"><p>Notice</p>'))
    item = InfoItem.objects.get()
    for html in (item.body, item.body_en):
        for bad in ("<script", "onclick", "onerror", "style=", "javascript:", "<iframe"):
            assert bad not in html
    assert "通知" in item.body and "Notice" in item.body_en
    assert "<script>alert(1)</script>" not in client.get(_url("detail", item.pk)).content.decode()


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_written(world, client):
    client.force_login(world.handler)
    response = client.post(_url("create"), _form(world, attachments=[
        SimpleUploadedFile("good.pdf", PDF), SimpleUploadedFile("setup.pdf", EXE),
        SimpleUploadedFile("notes.docx", b"plain text")]))
    assert response.status_code == 422
    errors = response.context["form"].errors["attachments"]
    assert len(errors) == 2  # every refused file is reported
    assert "setup.pdf" in errors[0] and "notes.docx" in errors[1]
    assert "choose them again" in response.content.decode()
    assert not InfoItem.objects.exists() and not Attachment.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="catalog.").exists()


def test_a_refused_field_writes_no_file(world, client):
    client.force_login(world.handler)
    response = client.post(_url("create"), _form(world, formed_on="2030-01-01",
                                                 attachments=[SimpleUploadedFile("a.pdf", PDF)]))
    assert response.status_code == 422 and "formed_on" in response.context["form"].errors
    assert not InfoItem.objects.exists() and not Attachment.objects.exists()


def test_too_many_files_are_refused(world, client):
    client.force_login(world.handler)
    uploads = [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(11)]
    response = client.post(_url("create"), _form(world, attachments=uploads))
    assert response.status_code == 422 and "attachments" in response.context["form"].errors
    assert not InfoItem.objects.exists()


def test_a_title_of_100000_characters_is_a_field_error(world, client):
    client.force_login(world.handler)
    response = client.post(_url("create"), _form(world, title="长" * 100_000))
    assert response.status_code == 422
    assert "title" in response.context["form"].errors
    assert not InfoItem.objects.exists()


@pytest.mark.parametrize("day", ["2030-01-01", "1948-12-31", "2025-13-01", "x"])
def test_dates_in_the_future_before_1949_or_malformed_are_field_errors(world, client, day):
    client.force_login(world.handler)
    response = client.post(_url("create"), _form(world, formed_on=day))
    assert response.status_code == 422
    assert "formed_on" in response.context["form"].errors
    assert not InfoItem.objects.exists()


def test_a_publication_date_in_the_future_or_before_formation_is_refused(world, client):
    item = _in_review(world)
    client.force_login(world.reviewer)
    for day in ("2030-01-01", "2025-05-01"):
        response = client.post(_url("step", item.pk, "publish"), {"publish-published_on": day})
        assert response.status_code == 422
        assert "published_on" in response.context["forms"]["publish"].errors
    assert InfoItem.objects.get(pk=item.pk).state == ItemState.REVIEW


@pytest.mark.parametrize("page", [str(10**9), "-1", "x", "1e9"])
def test_absurd_page_numbers_are_not_errors(world, client, page):
    _draft(world)
    client.force_login(world.handler)
    response = client.get(_url("list"), {"page": page})
    assert response.status_code == 200 and "关于开展" in response.content.decode()


def test_unknown_steps_and_items_are_404(world, client):
    item = _draft(world)
    client.force_login(world.handler)
    assert client.post(_url("step", item.pk, "explode")).status_code == 404
    assert client.get(_url("detail", 10**9)).status_code == 404
    assert client.get(_url("step", item.pk, "submit")).status_code == 405


# ---- The list and its Art. 26 view -----------------------------------------------------------

def test_the_list_shows_the_scope_and_filters_by_state_agency_and_category(world, client):
    area = Category.objects.get(code="ywjy")
    _draft(world, title="教委草稿")
    _published(world, title="教委已发布", category=area)
    actions.create_item(world.finance, text("财政局草稿"), actor=world.finance_handler)
    client.force_login(world.handler)
    html = client.get(_url("list")).content.decode()
    assert "教委草稿" in html and "教委已发布" in html and "财政局草稿" not in html
    html = client.get(_url("list"), {"state": "published"}).content.decode()
    assert "教委已发布" in html and "教委草稿" not in html
    html = client.get(_url("list"), {"category": area.pk}).content.decode()
    assert "教委已发布" in html and "教委草稿" not in html
    # An agency outside the scope is a reported, ignored filter, not a way in.
    response = client.get(_url("list"), {"agency": world.finance.pk})
    assert response.status_code == 200 and "财政局草稿" not in response.content.decode()
    assert "agency" in response.context["filters"].errors
    for bad in ({"category": "999999"}, {"category": "x"}, {"agency": "x"},
                {"state": "deleted"}, {"deadline": "yesterday"}):
        response = client.get(_url("list"), bad)
        assert response.status_code == 200 and "教委草稿" in response.content.decode()
        assert set(bad) <= set(response.context["filters"].errors)
    client.force_login(world.ogi)
    html = client.get(_url("list"), {"agency": world.finance.pk}).content.decode()
    assert "财政局草稿" in html and "教委草稿" not in html


def test_the_list_counts_and_lists_what_is_due_and_late(world, client):
    # Deadlines: 20 working days after formation.
    actions.create_item(world.education, text("快到期", formed=D(2025, 5, 6)),
                        actor=world.handler)   # due 2025-06-04
    actions.create_item(world.education, text("已逾期", formed=D(2025, 4, 1)),
                        actor=world.handler)   # due in early May
    actions.create_item(world.education, text("不急", formed=D(2025, 6, 1)),
                        actor=world.handler)
    late_published = _in_review(world, title="发布晚了")
    InfoItem.objects.filter(pk=late_published.pk).update(formed_on=D(2025, 3, 3),
                                                         publish_by=D(2025, 3, 31))
    actions.publish(InfoItem.objects.get(pk=late_published.pk), actor=world.reviewer)
    actions.create_item(world.education, text("不予公开", formed=D(2025, 4, 1),
                                              attribute="withheld",
                                              withholding_ground="withheld.state_secret"),
                        actor=world.handler)  # no Art. 26 deadline
    client.force_login(world.handler)
    response = client.get(_url("list"))
    assert response.context["counts"] == {"due": 1, "late": 2}
    due = client.get(_url("list"), {"deadline": "due"}).content.decode()
    assert "快到期" in due and "已逾期" not in due and "不急" not in due
    late = client.get(_url("list"), {"deadline": "late"}).content.decode()
    assert "已逾期" in late and "发布晚了" in late and "快到期" not in late
    assert "不予公开" not in late
    wide = client.get(_url("list"), {"deadline": "due", "within": "20"}).content.decode()
    assert "快到期" in wide and "不急" in wide
    bad = client.get(_url("list"), {"within": "999"})
    assert bad.status_code == 200 and "within" in bad.context["filters"].errors


def test_policy_documents_and_interpretations_are_listed_and_shown(world, client):
    policy = actions.create_policy_document(
        world.education, text("关于印发某办法的通知", formed=D(2025, 5, 6), doc_no="西教发〔2025〕9号"),
        kind="normative_documents", issued_on=D(2025, 5, 6), actor=world.handler)
    actions.submit(policy, actor=world.handler)
    actions.publish(policy, actor=world.reviewer)
    reading = actions.create_interpretation(policy, text("《某办法》政策解读", formed=D(2025, 5, 7)),
                                            actor=world.handler)
    client.force_login(world.handler)
    html = client.get(_url("list")).content.decode()
    assert "关于印发某办法的通知" in html and "《某办法》政策解读" in html
    detail = client.get(_url("detail", policy.pk)).content.decode()
    assert "Normative document" in detail and "2025-05-06" in detail and "In force" in detail
    assert "《某办法》政策解读" in detail and "Drafted as a policy document" in detail
    detail = client.get(_url("detail", reading.pk)).content.decode()
    assert _url("detail", policy.pk) in detail
    # Editing a policy document's draft keeps its kind.
    draft = actions.create_policy_document(
        world.education, text("另一办法", formed=D(2025, 5, 6)), kind="rules",
        issued_on=D(2025, 5, 6), actor=world.handler)
    response = client.post(_url("edit", draft.pk), _form(world, title="另一办法（修改）"))
    assert response.status_code == 302
    assert InfoItem.objects.get(pk=draft.pk).title == "另一办法（修改）"


# ---- The catalogue tree ------------------------------------------------------------------------

def test_the_tree_is_for_the_ogi_office(world, client):
    client.force_login(world.handler)
    assert client.get(_url("tree")).status_code == 403
    node = Category.objects.get(code="ywjy")
    assert client.get(_url("node", node.pk)).status_code == 403
    assert client.post(_url("tree"), {"branch": "key_area", "code": "x", "name": "x",
                                      "position": "0"}).status_code == 403
    assert _url("tree") not in client.get(_url("list")).content.decode()


def test_the_ogi_office_adds_renames_reorders_and_retires_nodes(world, client):
    _published(world, category=Category.objects.get(code="ywjy"))
    client.force_login(world.ogi)
    page = client.get(_url("tree"))
    html = page.content.decode()
    assert "义务教育" in html and "Statutory proactive content" in html
    rows = {row.category.code: row for _b, rows in page.context["branches"] for row in rows}
    assert (rows["ywjy"].items, rows["ywjy"].published) == (1, 1)

    refused = client.post(_url("tree"), {"branch": "key_area", "code": "坏 代码", "name": "x",
                                         "position": "0"})
    assert refused.status_code == 422 and "code" in refused.context["form"].errors
    parent = Category.objects.get(code="ywjy")
    response = client.post(_url("tree"), {"branch": "key_area", "parent": parent.pk,
                                          "code": "xqhj", "name": "学区划分",
                                          "name_en": "School districts", "article": "",
                                          "position": "3"})
    assert response.status_code == 302
    child = Category.objects.get(code="xqhj")
    assert child.parent == parent and child.position == 3
    wrong_branch = client.post(_url("tree"), {"branch": "statutory", "parent": parent.pk,
                                              "code": "other", "name": "x", "position": "0"})
    assert wrong_branch.status_code == 422 and "parent" in wrong_branch.context["form"].errors

    client.post(_url("node", child.pk), {"name": "学区划分与招生", "name_en": "", "article": "",
                                         "position": "1", "is_active": ""})
    child.refresh_from_db()
    assert (child.name, child.position, child.is_active) == ("学区划分与招生", 1, False)
    # A retired node is offered for filtering but no longer for new items.
    client.force_login(world.handler)
    form = client.get(_url("create")).context["form"]
    offered = {value for _group, options in form.fields["category"].choices[1:]
               for value, _name in options}
    assert str(child.pk) not in offered and str(parent.pk) in offered
    refused = client.post(_url("create"), _form(world, category=child.pk))
    assert refused.status_code == 422 and "category" in refused.context["form"].errors


def test_the_tree_page_moves_a_node_up_and_down_with_buttons(world, client):
    client.force_login(world.ogi)
    first, second = [row.category for _b, rows in client.get(_url("tree")).context["branches"]
                     if _b.key == "key_area" for row in rows if row.depth == 0][:2]
    html = client.get(_url("tree")).content.decode()
    assert _url("node_move", second.pk, "up") in html
    assert _url("node_move", first.pk, "up") not in html  # the first cannot go further up
    response = client.post(_url("node_move", second.pk, "up"))
    assert response.status_code == 302 and response["Location"].endswith(f"#node-{second.pk}")
    order = [row.category.pk for _b, rows in client.get(_url("tree")).context["branches"]
             if _b.key == "key_area" for row in rows if row.depth == 0]
    assert order[:2] == [second.pk, first.pk]
    refused = client.post(_url("node_move", second.pk, "up"), follow=True)
    assert "already the first" in refused.content.decode()
    assert client.get(_url("node_move", first.pk, "down")).status_code == 405
    client.force_login(world.handler)
    assert client.post(_url("node_move", first.pk, "down")).status_code == 403


def test_pages_read_in_chinese_by_default(world, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    item = _draft(world)
    client.force_login(world.handler)
    for url in (_url("list"), _url("create"), _url("detail", item.pk), _url("review")):
        response = client.get(url)
        assert response.status_code == 200 and 'lang="zh-Hans"' in response.content.decode()


def test_the_list_and_the_item_page_make_a_fixed_number_of_queries(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.force_login(world.handler)
    item = _published(world)
    actions.set_channels(item, ("weibo",), actor=world.handler)
    few_list, few_detail = queries(_url("list")), queries(_url("detail", item.pk))
    area = Category.objects.get(code="ywjy")
    for i in range(30):
        _draft(world, title=f"草稿{i}", category=area)
    for i in range(3):
        version = actions.propose_correction(item, text(f"更正{i}", formed=D(2025, 5, 20)),
                                             "更正", actor=world.handler)
        actions.review_correction(version, approve=True, actor=world.reviewer)
    assert queries(_url("list")) == few_list
    assert queries(_url("detail", item.pk)) <= few_detail + 1  # the versions' categories
