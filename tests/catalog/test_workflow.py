"""Drafting, confidentiality review, publishing, withdrawal and corrections (保密审查)."""

import datetime as dt

import pytest
from django.utils import translation

from tests import files as sample_files
from tests.catalog.helpers import text
from tests.files import PDF
from xxgk.agencies.models import AuditEntry
from xxgk.catalog import actions, files
from xxgk.catalog.models import Category, InfoItem, ItemState, ItemVersion
from xxgk.core.steps import StepError
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"), fixed_today(D(2025, 6, 2)):
        yield


def _in_review(world, **extra) -> InfoItem:
    item = actions.create_item(world.education, text(**extra), actor=world.handler)
    return actions.submit(item, actor=world.handler)


def test_a_reviewer_of_the_agency_publishes_a_submitted_draft(world):
    item = _in_review(world)
    assert item.state == ItemState.REVIEW and item.submitted_by == world.handler
    actions.publish(item, actor=world.reviewer)
    item.refresh_from_db()
    assert (item.state, item.published_on) == (ItemState.PUBLISHED, D(2025, 6, 2))
    assert item.is_public


def test_nobody_reviews_their_own_draft(world):
    item = actions.create_item(world.education, text(), actor=world.ogi)
    actions.submit(item, actor=world.ogi)
    with pytest.raises(StepError, match="own draft"):
        actions.publish(item, actor=world.ogi)
    with pytest.raises(StepError, match="own draft"):
        actions.return_to_drafter(item, "改一下", actor=world.ogi)
    assert InfoItem.objects.get(pk=item.pk).state == ItemState.REVIEW


def test_handlers_do_not_review_and_a_draft_is_not_published_unreviewed(world):
    item = _in_review(world)
    with pytest.raises(StepError, match="Only a reviewer"):
        actions.publish(item, actor=world.finance_handler)
    draft = actions.create_item(world.education, text(), actor=world.handler)
    with pytest.raises(StepError, match="Submit the item for review first"):
        actions.publish(draft, actor=world.reviewer)


def test_a_returned_draft_carries_the_comment_until_it_is_submitted_again(world):
    item = _in_review(world)
    with pytest.raises(StepError, match="Say what has to change"):
        actions.return_to_drafter(item, "  ", actor=world.reviewer)
    actions.return_to_drafter(item, "删去第三段的个人电话", actor=world.reviewer)
    item.refresh_from_db()
    assert (item.state, item.review_comment) == (ItemState.DRAFT, "删去第三段的个人电话")
    actions.update_draft(item, text("关于开展学生体质健康监测工作的通知（修改）"),
                         actor=world.handler)
    actions.submit(item, actor=world.handler)
    item.refresh_from_db()
    assert (item.state, item.review_comment) == (ItemState.REVIEW, "")
    assert AuditEntry.objects.get(action="catalog.return").detail["comment"] == "删去第三段的个人电话"


def test_withheld_items_keep_their_ground_and_never_go_to_review(world):
    with pytest.raises(StepError) as refused:
        actions.create_item(world.education, text(attribute="withheld"), actor=world.handler)
    assert refused.value.field == "withholding_ground"
    item = actions.create_item(world.education, text(
        attribute="withheld", withholding_ground="withheld.state_secret"), actor=world.handler)
    assert item.withholding_ground == "withheld.state_secret" and not item.is_public
    with pytest.raises(StepError, match="proactively"):
        actions.submit(item, actor=world.handler)


def test_withdrawal_needs_a_reason_and_takes_the_item_off_the_public_pages(world):
    item = actions.publish(_in_review(world), actor=world.reviewer)
    with pytest.raises(StepError, match="reason"):
        actions.withdraw(item, "", actor=world.handler)
    actions.withdraw(item, "信息有误，已另行发布", actor=world.handler)
    item.refresh_from_db()
    assert item.state == ItemState.WITHDRAWN and item.withdrawn_on == D(2025, 6, 2)
    assert not item.is_public
    with pytest.raises(StepError):
        actions.withdraw(item, "again", actor=world.handler)


def test_a_correction_is_reviewed_then_replaces_the_content_and_keeps_the_old_one(world):
    item = actions.publish(_in_review(world), actor=world.reviewer)
    version = actions.propose_correction(
        item, text("关于开展2025年学生体质健康监测工作的通知（更正）", summary="更正了日期"),
        "监测日期有误", actor=world.ogi)
    assert (version.number, version.state) == (2, ItemVersion.State.REVIEW)
    item.refresh_from_db()
    assert item.title == "关于开展2025年学生体质健康监测工作的通知"  # still the published one
    with pytest.raises(StepError, match="already in review"):
        actions.propose_correction(item, text("再改"), "又错了", actor=world.handler)
    with pytest.raises(StepError, match="own draft"):
        actions.review_correction(version, approve=True, actor=world.ogi)
    actions.review_correction(version, approve=True, actor=world.reviewer)
    item.refresh_from_db()
    version.refresh_from_db()
    assert item.title.endswith("（更正）") and item.summary == "更正了日期" and item.version == 2
    assert version.previous["title"] == "关于开展2025年学生体质健康监测工作的通知"
    assert AuditEntry.objects.filter(action="catalog.correct").count() == 1


def test_a_correction_that_changes_nothing_is_refused(world):
    item = actions.publish(_in_review(world), actor=world.reviewer)
    with pytest.raises(StepError, match="changes nothing"):
        actions.propose_correction(item, text(), "无", actor=world.handler)


def test_bodies_are_sanitised_when_written(world):
    item = actions.create_item(world.education, text(
        body='<p onclick="steal()" style="color:red">通知<script>alert(1)</script>'
             '<a href="javascript:alert(1)">链接</a><iframe src="//evil"></iframe></p>',
        body_en='<img src=x onerror="alert(1)">'), actor=world.handler)
    for html in (item.body, item.body_en):
        for bad in ("script", "onclick", "onerror", "style=", "javascript:", "iframe"):
            assert bad not in html
    assert "通知" in item.body


def test_a_key_area_category_makes_a_key_area_item(world):
    area = Category.objects.get(code="ywjy")
    item = actions.create_item(world.education, text(category=area), actor=world.handler)
    assert item.key_area and item.category == area


def test_channels_are_recorded_and_unknown_ones_refused(world):
    item = actions.create_item(world.education, text(channels=("weibo",)), actor=world.handler)
    actions.set_channels(item, ("weibo", "wechat"), actor=world.handler)
    assert set(item.channels.values_list("channel", flat=True)) == {"weibo", "wechat"}
    with pytest.raises(StepError, match="Unknown channel"):
        actions.set_channels(item, ("tiktok",), actor=world.handler)


@pytest.mark.parametrize(("content", "accepted"), [
    (PDF, True),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", False),  # an .exe
    (b"plain text pretending", False),
])
def test_attachments_are_judged_by_content(world, content, accepted):
    item = actions.create_item(world.education, text(), actor=world.handler)
    if accepted:
        checked = files.check_file("通知.pdf", content)
        attachment = actions.add_attachment(item, checked, actor=world.handler)
        assert attachment.content_type == "application/pdf" and attachment.name == "通知.pdf"
    else:
        with pytest.raises(StepError, match="not a PDF"):
            files.check_file("setup.pdf", content)


def test_an_attachment_that_runs_a_script_when_opened_is_refused():
    scripted = sample_files.pdf(extra_catalog="/OpenAction << /S /JavaScript /JS (x) >> ")
    with translation.override("en"), pytest.raises(StepError, match="通知.pdf: The PDF holds"):
        files.check_file("通知.pdf", scripted)


def test_an_oversized_attachment_is_refused():
    with pytest.raises(StepError, match="larger than"):
        files.check_file("big.pdf", b"%PDF-" + b"0" * files.MAX_ATTACHMENT_BYTES)


@pytest.mark.parametrize("day", [D(1948, 12, 31), D(2030, 1, 1)])
def test_formation_dates_before_1949_or_in_the_future_are_refused(world, day):
    with pytest.raises(StepError) as refused:
        actions.create_item(world.education, text(formed=day), actor=world.handler)
    assert refused.value.field == "formed_on"
    assert not InfoItem.objects.exists()


def _level(parent):
    return list(Category.objects.filter(branch="key_area", parent=parent)
                .order_by("position", "pk").values_list("code", flat=True))


def test_a_node_moves_one_place_among_its_siblings_and_the_level_is_renumbered(world):
    parent = actions.create_category("key_area", "p", actions.CategoryText("上级"), actor=world.ogi)
    for code in ("a", "b", "c"):
        # Typed positions that tie: the order falls back to creation.
        actions.create_category("key_area", code, actions.CategoryText(code), parent=parent,
                                actor=world.ogi)
    c = Category.objects.get(code="c")
    actions.move_category(c, "up", actor=world.ogi)
    assert _level(parent) == ["a", "c", "b"]
    assert list(Category.objects.filter(parent=parent).order_by("position")
                .values_list("position", flat=True)) == [1, 2, 3]
    actions.move_category(Category.objects.get(code="a"), "down", actor=world.ogi)
    assert _level(parent) == ["c", "a", "b"]
    with pytest.raises(StepError, match="already the first"):
        actions.move_category(Category.objects.get(code="c"), "up", actor=world.ogi)
    with pytest.raises(StepError, match="already the last"):
        actions.move_category(Category.objects.get(code="b"), "down", actor=world.ogi)
    with pytest.raises(StepError, match="OGI office"):
        actions.move_category(Category.objects.get(code="b"), "up", actor=world.handler)
    assert _level(parent) == ["c", "a", "b"]
    assert AuditEntry.objects.filter(action="catalog.category_move").count() == 2


def test_only_the_ogi_office_edits_the_catalogue_tree(world):
    with pytest.raises(StepError, match="OGI office"):
        actions.create_category("key_area", "lhjy", actions.CategoryText("灵活就业"),
                                actor=world.handler)
    node = actions.create_category("key_area", "lhjy", actions.CategoryText("灵活就业"),
                                   actor=world.ogi)
    with pytest.raises(StepError, match="exists"):
        actions.create_category("key_area", "lhjy", actions.CategoryText("x"), actor=world.ogi)
    actions.update_category(node, actions.CategoryText("灵活就业服务"), is_active=False,
                            actor=world.ogi)
    with pytest.raises(StepError, match="no longer in use"):
        actions.create_item(world.education, text(category=node), actor=world.handler)
