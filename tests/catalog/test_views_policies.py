"""The staff policy-document pages: the list, a new document, the detail with its validity
history, links, interpretations and changes, and the validity clean-up's bulk steps."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.catalog.helpers import text
from tests.factories import UserFactory
from xxgk.agencies.models import AuditEntry
from xxgk.catalog import actions, policies
from xxgk.catalog.models import (
    Interpretation,
    ItemState,
    PolicyDocument,
    ValidityChange,
    ValidityReview,
)
from xxgk.core.steps import StepError
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2025, 6, 2)


@pytest.fixture(autouse=True)
def _today():
    with fixed_today(TODAY):
        yield


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _policy(agency, title: str, issued: dt.date, doc_no: str = "",
            kind: str = "normative_documents") -> PolicyDocument:
    document = actions.create_policy_document(
        agency, text(title, formed=issued, doc_no=doc_no or f"{title}〔{issued.year}〕1号"),
        kind=kind, issued_on=issued)
    return actions.publish(document, issued)


def _url(name: str, *args) -> str:
    return reverse(f"catalog_policies:{name}", args=args)


# ---- access and scope -----------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_login_and_accounts_without_a_role_refused(world,
                                                                                 client):
    response = client.get(_url("list"))
    assert response.status_code == 302 and "/staff/login/" in response["Location"]
    client.force_login(UserFactory(username="nobody"))
    assert client.get(_url("list")).status_code == 403
    assert client.get(_url("cleanup")).status_code == 403


def test_the_list_shows_the_users_agencies_only_and_filters(world, en):
    _policy(world.education, "教委办法", D(2019, 3, 4), kind="normative_documents")
    repealed = _policy(world.education, "教委旧规", D(2016, 3, 4), kind="other")
    actions.record_validity_change(repealed, on=D(2020, 1, 6), validity="repealed")
    _policy(world.finance, "财政办法", D(2024, 3, 4))
    en.force_login(world.handler)
    html = en.get(_url("list")).content.decode()
    assert "教委办法" in html and "教委旧规" in html and "财政办法" not in html
    assert "Repealed" in html and "In force" in html  # validity marked on each
    html = en.get(_url("list"), {"validity": "repealed"}).content.decode()
    assert "教委旧规" in html and "教委办法" not in html
    html = en.get(_url("list"), {"kind": "normative_documents", "year": "2019"}).content.decode()
    assert "教委办法" in html and "教委旧规" not in html
    # Another agency is no choice; a bad value is reported and ignored, never a 500.
    response = en.get(_url("list"), {"agency": world.finance.pk, "year": "1900",
                                      "kind": "x"})
    assert response.status_code == 200 and "教委办法" in response.content.decode()
    assert response.context["filters"].errors.keys() == {"agency", "year", "kind"}
    en.force_login(world.ogi)
    html = en.get(_url("list"), {"agency": world.finance.pk}).content.decode()
    assert "财政办法" in html and "教委办法" not in html


def test_another_agencys_document_does_not_exist_for_the_user(world, client):
    theirs = _policy(world.finance, "财政办法", D(2024, 3, 4))
    mine = _policy(world.education, "教委办法", D(2024, 3, 4))
    client.force_login(world.handler)
    assert client.get(_url("detail", theirs.pk)).status_code == 404
    assert client.post(_url("validity", theirs.pk), {
        "validity-validity": "repealed", "validity-changed_on": "2025-01-02"}).status_code == 404
    assert client.post(_url("interpretation_create", theirs.pk), {
        "interpretation-title": "解读", "interpretation-formed_on": "2025-01-02"}
    ).status_code == 404
    assert client.get(_url("detail", 10**9)).status_code == 404
    assert client.get(_url("detail", mine.pk)).status_code == 200
    assert not ValidityChange.objects.exists() and not Interpretation.objects.exists()


def test_an_auditor_reads_but_changes_nothing(world, en):
    document = _policy(world.education, "教委办法", D(2015, 3, 4))
    en.force_login(world.auditor)
    html = en.get(_url("detail", document.pk)).content.decode()
    assert "Record a change of validity" not in html and "Add an interpretation" not in html
    assert en.get(_url("create")).status_code == 403
    assert en.post(_url("validity", document.pk), {
        "validity-validity": "repealed", "validity-changed_on": "2025-01-02"}).status_code == 403
    cleanup = en.get(_url("cleanup")).content.decode()
    assert "教委办法" in cleanup and 'type="checkbox"' not in cleanup
    response = en.post(_url("cleanup"), {"cleanup-documents": [document.pk],
                                         "cleanup-action": "repealed",
                                         "cleanup-on": "2025-06-02", "cleanup-reason": "过时"})
    assert response.status_code == 403
    assert not ValidityChange.objects.exists()


# ---- a new policy document ------------------------------------------------------------

def _new(issuer, **overrides) -> dict:
    data = {"agency": issuer.pk, "kind": "normative_documents",
            "title": "关于进一步规范校外培训机构管理的通知", "title_en": "", "doc_no": "西教发〔2025〕3号",
            "issued_on": "2025-05-06", "formed_on": "2025-05-08", "summary": "摘要",
            "body": "<p>正文</p><script>alert(1)</script>", "category": "",
            "topic_words": "教育 培训"}
    data.update(overrides)
    return data


def test_a_handler_drafts_a_policy_document(world, en):
    en.force_login(world.handler)
    form = en.get(_url("create")).context["form"]
    assert list(form.fields["agency"].queryset) == [world.education]
    # The class of rules and normative documents is offered first.
    category = form.fields["category"].initial
    response = en.post(_url("create"), _new(world.education, category=category))
    document = PolicyDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("detail", document.pk)
    assert (document.state, document.doc_no, document.issued_on, document.formed_on) == (
        ItemState.DRAFT, "西教发〔2025〕3号", D(2025, 5, 6), D(2025, 5, 8))
    assert "script" not in document.body and document.category.code == "gzhgfxwj"
    assert document.created_by == world.handler
    assert AuditEntry.objects.filter(action="catalog.create_policy").count() == 1


def test_bad_input_for_a_new_document_is_a_field_error_and_writes_nothing(world, en):
    en.force_login(world.handler)
    for overrides, field in ((
            {"issued_on": "2025-07-01"}, "issued_on"), ({"issued_on": "1900-01-01"}, "issued_on"),
            ({"title": "  "}, "title"), ({"title": "长" * 100_000}, "title"),
            ({"agency": world.finance.pk}, "agency"), ({"kind": "law"}, "kind"),
            ({"formed_on": "2025-13-01"}, "formed_on")):
        response = en.post(_url("create"), _new(world.education, **overrides))
        assert response.status_code == 422, overrides
        assert field in response.context["form"].errors, overrides
    assert not PolicyDocument.objects.exists()


# ---- the detail: history, links, interpretations -------------------------------------

def test_the_detail_shows_history_links_both_ways_and_the_successor(world, en):
    old = _policy(world.education, "旧办法", D(2018, 3, 1), doc_no="西教发〔2018〕1号")
    amending = _policy(world.education, "修改决定", D(2020, 5, 6), doc_no="西教发〔2020〕2号")
    new = _policy(world.education, "新办法", D(2023, 9, 1), doc_no="西教发〔2023〕3号")
    actions.record_validity_change(old, on=D(2020, 5, 6), validity="amended",
                                   by_document=amending, note="第五条修改")
    actions.record_validity_change(old, on=D(2023, 9, 1), validity="repealed", by_document=new)
    en.force_login(world.handler)
    page = en.get(_url("detail", old.pk))
    html = page.content.decode()
    assert [c.validity for c in page.context["history"]] == ["amended", "repealed"]
    assert "第五条修改" in html and "2020-05-06" in html and "2023-09-01" in html
    assert page.context["successor"] == new and "Its successor:" in html
    assert "Amended by" in html and "Repealed or replaced by" in html
    html = en.get(_url("detail", new.pk)).content.decode()
    assert "Repeals or replaces" in html and "旧办法" in html
    html = en.get(_url("detail", amending.pk)).content.decode()
    assert "Amends" in html and "旧办法" in html


def test_interpretations_are_flagged_late_with_their_deadline(world, en):
    # Published Friday 30 May 2025; the Dragon Boat holiday ends 2 June: deadline 5 June.
    policy = _policy(world.education, "办法", D(2025, 5, 30))
    with fixed_today(D(2025, 6, 9)):
        on_time = actions.create_interpretation(policy, text("解读一", formed=D(2025, 6, 3)))
        actions.publish(on_time, D(2025, 6, 5))
        late = actions.create_interpretation(policy, text("解读二", formed=D(2025, 6, 3)))
        actions.publish(late, D(2025, 6, 9))
        actions.create_interpretation(policy, text("解读三", formed=D(2025, 6, 3)))
        en.force_login(world.handler)
        page = en.get(_url("detail", policy.pk))
    rows = {r["item"].title: r["late"] for r in page.context["interpretations"]}
    assert rows == {"解读一": False, "解读二": True, "解读三": False}
    html = page.content.decode()
    assert "2025-06-05" in html and "Late" in html and "On time" in html
    assert "Past the deadline, not published" in html


def test_a_handler_adds_an_interpretation_which_goes_to_review_on_its_item_page(world, en):
    policy = _policy(world.education, "办法", D(2025, 5, 6))
    en.force_login(world.handler)
    response = en.post(_url("interpretation_create", policy.pk), {
        "interpretation-title": "《办法》政策解读", "interpretation-formed_on": "2025-05-07",
        "interpretation-body": "<p>解读</p>", "interpretation-category": ""})
    interpretation = Interpretation.objects.get()
    assert response.status_code == 302
    assert (interpretation.policy, interpretation.state, interpretation.agency) == (
        policy, ItemState.DRAFT, world.education)
    assert response["Location"] == (views_item_url(interpretation.pk)
                                    or _url("detail", policy.pk))
    for data, field in (({"interpretation-title": "", "interpretation-formed_on": "2025-05-07"},
                          "title"),
                         ({"interpretation-title": "解读", "interpretation-formed_on": "2030-01-01"},
                          "formed_on")):
        response = en.post(_url("interpretation_create", policy.pk), data)
        assert response.status_code == 422
        assert response.context["interpretation_form"].errors.keys() == {field}
    assert Interpretation.objects.count() == 1


def views_item_url(pk: int):
    from xxgk.catalog.views_policies import item_url

    return item_url(pk)


# ---- a change of validity -------------------------------------------------------------

def _change(**overrides) -> dict:
    data = {"validity-validity": "repealed", "validity-changed_on": "2024-09-02",
            "validity-by_document": "", "validity-note": ""}
    data.update({f"validity-{k}": v for k, v in overrides.items()})
    return data


def test_a_validity_change_names_its_document_by_number_or_title(world, en):
    old = _policy(world.education, "旧办法", D(2018, 3, 1), doc_no="西教发〔2018〕1号")
    new = _policy(world.education, "新办法", D(2024, 9, 2), doc_no="西教发〔2024〕9号")
    en.force_login(world.handler)
    page = en.get(_url("detail", old.pk))
    assert "西教发〔2024〕9号" in page.context["validity_form"].suggestions()
    response = en.post(_url("validity", old.pk), _change(by_document="西教发〔2024〕9号",
                                                         note="被新办法替代"))
    assert response.status_code == 302
    change = ValidityChange.objects.get()
    assert (change.validity, change.by_document, change.note, change.recorded_by) == (
        "repealed", new, "被新办法替代", world.handler)
    old.refresh_from_db()
    assert old.validity == "repealed"
    response = en.post(_url("validity", new.pk), _change(validity="amended",
                                                         by_document="旧办法",
                                                         changed_on="2025-01-02"))
    assert response.status_code == 302  # by title this time


def test_bad_validity_changes_are_field_errors_and_write_nothing(world, en):
    old = _policy(world.education, "旧办法", D(2018, 3, 1), doc_no="西教发〔2018〕1号")
    _policy(world.finance, "财政新办法", D(2024, 9, 2), doc_no="西财发〔2024〕9号")
    twin_a = _policy(world.education, "同名", D(2024, 1, 2), doc_no="")
    _policy(world.education, "同名", D(2024, 2, 2), doc_no="")
    later = _policy(world.education, "后来的", D(2025, 3, 3), doc_no="西教发〔2025〕1号")
    draft = actions.create_policy_document(world.education, text("草稿", formed=D(2025, 1, 2),
                                                                 doc_no="西教发〔2025〕草"),
                                           kind="other", issued_on=D(2025, 1, 2))
    en.force_login(world.handler)
    for overrides, field in (
            ({"by_document": "西财发〔2024〕9号"}, "by_document"),  # another agency's
            ({"by_document": "西教发〔2025〕草"}, "by_document"),  # not published
            ({"by_document": "西教发〔2018〕1号"}, "by_document"),  # itself
            ({"by_document": "同名"}, "by_document"),  # ambiguous
            ({"by_document": "西教发〔2025〕1号"}, "by_document"),  # issued after the date
            ({"changed_on": "2017-12-31"}, "changed_on"),  # before the issue date
            ({"changed_on": "2025-06-03"}, "changed_on"),  # in the future
            ({"validity": "in_force"}, "validity"),  # already so
            ({"validity": "vanished"}, "validity"),
            ({"note": "长" * 301}, "note")):
        response = en.post(_url("validity", old.pk), _change(**overrides))
        assert response.status_code == 422, overrides
        assert field in response.context["validity_form"].errors, overrides
    assert not ValidityChange.objects.exists()
    old.refresh_from_db()
    assert old.validity == "in_force" and twin_a and later and draft
    # An unpublished document has no validity form, and a change to it is refused.
    assert en.get(_url("detail", draft.pk)).context["validity_form"] is None
    response = en.post(_url("validity", draft.pk), _change(changed_on="2025-02-03"))
    assert response.status_code == 422 and not ValidityChange.objects.exists()


# ---- the validity clean-up ------------------------------------------------------------

def _candidates(world):
    return [
        _policy(world.education, "老办法甲", D(2015, 3, 4), doc_no="西教发〔2015〕1号"),
        _policy(world.education, "老办法乙", D(2019, 3, 4), doc_no="西教发〔2019〕2号"),
    ]


def _bulk(documents, action="repealed", on="2025-06-02", reason="已不适应当前工作") -> dict:
    return {"cleanup-documents": [d.pk for d in documents], "cleanup-action": action,
            "cleanup-on": on, "cleanup-reason": reason}


def test_the_cleanup_page_lists_candidates_with_their_reasons(world, en):
    first, second = _candidates(world)
    _policy(world.education, "新办法", D(2023, 3, 4))
    _policy(world.finance, "财政老办法", D(2012, 3, 4))
    en.force_login(world.handler)
    html = en.get(_url("cleanup")).content.decode()
    assert "老办法甲" in html and "老办法乙" in html and "新办法" not in html
    assert "财政老办法" not in html
    assert "In force for over 5 years since it was issued" in html
    assert html.count('type="checkbox"') == 2


def test_marking_repealed_records_the_reason_on_every_document_and_audits(world, en):
    documents = _candidates(world)
    en.force_login(world.handler)
    response = en.post(_url("cleanup"), _bulk(documents))
    assert response.status_code == 302
    changes = ValidityChange.objects.order_by("document_id")
    assert [(c.document_id, c.validity, c.note, c.changed_on) for c in changes] == [
        (d.pk, "repealed", "已不适应当前工作", TODAY) for d in documents]
    assert set(PolicyDocument.objects.values_list("validity", flat=True)) == {"repealed"}
    assert AuditEntry.objects.filter(action="catalog.validity").count() == 2
    bulk = AuditEntry.objects.get(action="catalog.validity_bulk")
    assert bulk.detail["reason"] == "已不适应当前工作" and len(bulk.detail["documents"]) == 2
    assert "老办法甲" not in en.get(_url("cleanup")).content.decode()


def test_confirming_in_force_keeps_the_validity_and_takes_them_off_the_list(world, en):
    documents = _candidates(world)
    en.force_login(world.handler)
    response = en.post(_url("cleanup"), _bulk(documents[:1], action="confirm",
                                              reason="仍然适用"))
    assert response.status_code == 302
    review = ValidityReview.objects.get()
    assert (review.document_id, review.reviewer, review.reason, review.reviewed_on) == (
        documents[0].pk, world.handler, "仍然适用", TODAY)
    assert not ValidityChange.objects.exists()
    assert PolicyDocument.objects.get(pk=documents[0].pk).validity == "in_force"
    assert AuditEntry.objects.filter(action="catalog.validity_review").count() == 1
    html = en.get(_url("cleanup")).content.decode()
    assert "老办法甲" not in html and "老办法乙" in html
    with fixed_today(D(2030, 6, 3)):
        assert "老办法甲" in en.get(_url("cleanup")).content.decode()


def test_a_bulk_step_without_a_reason_or_a_document_is_refused_whole(world, en):
    documents = _candidates(world)
    en.force_login(world.handler)
    for data, field in ((_bulk(documents, reason="  "), "reason"),
                        (_bulk([]), "documents"),
                        (_bulk(documents, action="delete"), "action"),
                        (_bulk(documents, on="2025-06-03"), "on"),
                        (_bulk(documents, on="x"), "on"),
                        ({**_bulk(documents), "cleanup-documents": [10**9]}, "documents")):
        response = en.post(_url("cleanup"), data)
        assert response.status_code == 422, data
        assert field in response.context["form"].errors, data
    assert not ValidityChange.objects.exists() and not ValidityReview.objects.exists()


def test_one_refused_document_refuses_the_whole_bulk_step(world, en):
    first, second = _candidates(world)  # issued 2015 and 2019
    en.force_login(world.handler)
    response = en.post(_url("cleanup"), _bulk([first, second], on="2017-01-03"))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "西教发〔2019〕2号" in str(errors["on"])  # the document refused is named
    assert not ValidityChange.objects.exists()
    assert set(PolicyDocument.objects.values_list("validity", flat=True)) == {"in_force"}
    assert not AuditEntry.objects.filter(action__startswith="catalog.validity").exists()
    # The ticks survive the refusal.
    html = response.content.decode()
    assert len(re.findall(r'type="checkbox"[^>]* checked', html)) == 2


def test_a_document_of_another_agency_cannot_be_ticked(world, en):
    (first, _second), theirs = _candidates(world), _policy(world.finance, "财政老办法",
                                                           D(2012, 3, 4))
    en.force_login(world.handler)
    response = en.post(_url("cleanup"), _bulk([first, theirs]))
    assert response.status_code == 422 and "documents" in response.context["form"].errors
    assert not ValidityChange.objects.exists()


def test_bulk_validity_is_all_or_nothing_in_the_actions_layer(world):
    first, second = _candidates(world)
    actions.record_validity_change(second, on=D(2024, 1, 2), validity="expired")
    with pytest.raises(StepError) as refused:
        actions.bulk_validity([first, second], "expired", on=TODAY, reason="清理",
                              actor=world.handler)
    assert "西教发〔2019〕2号" in refused.value.message
    assert ValidityChange.objects.count() == 1
    assert PolicyDocument.objects.get(pk=first.pk).validity == "in_force"
    with pytest.raises(StepError, match="Confirm|no longer|不再|失效|有效"):
        actions.bulk_validity([first, second], "confirm", on=TODAY, reason="清理",
                              actor=world.handler)
    assert not ValidityReview.objects.exists()
    with pytest.raises(StepError) as refused:
        actions.bulk_validity([first], "repealed", on=TODAY, reason="清理",
                              actor=world.finance_handler)
    assert not ValidityChange.objects.filter(document=first).exists()
    assert [c.document for c in policies.cleanup_candidates([world.education], TODAY)] == [
        first]


# ---- query discipline -----------------------------------------------------------------

def _page_queries(client, urls) -> list[int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_pages_read_as_many_queries_for_many_rows_as_for_few(world, client):
    base = _policy(world.education, "办法", D(2015, 3, 2))
    client.force_login(world.handler)
    urls = (_url("list"), _url("detail", base.pk), _url("cleanup"))
    counts = []
    for batch in (range(0, 2), range(2, 14)):
        for i in batch:
            other = _policy(world.education, f"修改{i}", D(2016, 3, 2 + i))
            actions.record_validity_change(
                base, on=D(2016, 3, 2 + i), validity="in_force" if i % 2 else "amended",
                by_document=None if i % 2 else other)
            actions.publish(actions.create_interpretation(
                base, text(f"解读{i}", formed=D(2015, 3, 2))), D(2015, 3, 3 + i))
        counts.append(_page_queries(client, urls))
    assert counts[0] == counts[1]
