"""An item's public page, its attachments, and what a policy document's page shows: its
validity, its successor, its interpretations and its links. Only public items: anything
else is a 404 (not a 403), its files too."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.portal.conftest import PDF
from xxgk.catalog import actions
from xxgk.core.today import fixed_today
from xxgk.search import vocabulary

pytestmark = pytest.mark.django_db
D = dt.date


def test_an_item_page_has_the_metadata_table_body_files_and_channels(catalogue, english,
                                                                    django_assert_max_num_queries,
                                                                    monkeypatch):
    item = catalogue.enrolment
    # The related documents' vocabulary is checked once per RECHECK_SECONDS, not per page:
    # read now and held, so that a slow run does not count a recheck as the page's.
    monkeypatch.setattr(vocabulary, "RECHECK_SECONDS", 3600.0)
    vocabulary.segmenter(), vocabulary.synonyms()
    with django_assert_max_num_queries(10):
        response = english.get(item.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Index number", item.index_no, "Subject category", "Compulsory education",
                 "Issuing agency", "Xicheng District Education Commission",
                 "Date written", "2025-03-03", "Date published", "2025-03-10",
                 "<h1>Compulsory education enrolment, 2025</h1>", "<p>Enrolment rules.</p>",
                 "Also published on: Government Weibo, WeChat official account"):
        assert text in html, text
    attachment = item.attachments.get()
    assert f'href="{reverse("portal:attachment", args=[item.pk, attachment.pk])}"' in html
    assert "Validity" not in html  # not a policy document
    assert "Available in Chinese only" not in html


def test_an_item_in_chinese_only_says_so_in_english(catalogue, english):
    html = english.get(catalogue.budget.get_absolute_url()).content.decode()
    assert '<h1 lang="zh-Hans">西城区2025年部门预算公开</h1>' in html
    assert "Available in Chinese only." in html
    assert '<div class="item-body" lang="zh-Hans"><p>预算正文</p></div>' in html


def test_the_chinese_page_shows_the_chinese_text(catalogue, client):
    html = client.get(catalogue.enrolment.get_absolute_url()).content.decode()
    assert "<h1>2025年西城区义务教育阶段入学工作实施意见</h1>" in html
    assert "<p>入学办法正文</p>" in html and "Enrolment rules." not in html


def test_an_attachment_downloads_under_its_name(catalogue, client):
    item = catalogue.enrolment
    attachment = item.attachments.get()
    response = client.get(reverse("portal:attachment", args=[item.pk, attachment.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E5%85%A5%E5%AD%A6%E6%84%8F%E8%A7%81.pdf" in response[
        "Content-Disposition"]


def test_nothing_that_is_not_public_has_a_page_or_a_file(catalogue, client):
    for item in (catalogue.withheld, catalogue.draft, catalogue.in_review, catalogue.withdrawn):
        assert client.get(reverse("portal:item", args=[item.pk])).status_code == 404
        for attachment in item.attachments.all():
            url = reverse("portal:attachment", args=[item.pk, attachment.pk])
            assert client.get(url).status_code == 404
    # A public item's number with another item's file is no address either.
    hidden = catalogue.withdrawn.attachments.get()
    url = reverse("portal:attachment", args=[catalogue.enrolment.pk, hidden.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("portal:item", args=[10**12])).status_code == 404


def test_a_repealed_policy_says_so_at_the_top_and_links_its_successor(catalogue, english,
                                                                     django_assert_max_num_queries):
    old, new = catalogue.old_policy, catalogue.new_policy
    with django_assert_max_num_queries(14):
        html = english.get(old.get_absolute_url()).content.decode()
    notice = html[html.index('class="validity-notice'):html.index("<h1")]
    assert "This document has been repealed." in notice
    assert f'href="{new.get_absolute_url()}"' in notice
    assert '<span class="validity validity-repealed">Repealed</span>' in html
    assert "京西政发〔2019〕1号" in html and "Normative document" in html
    assert "Validity history" in html and "2025-02-03" in html
    assert "Repealed or replaced by" in html


def test_a_policy_lists_its_interpretations_and_an_interpretation_its_policy(catalogue,
                                                                            english):
    new = catalogue.new_policy
    html = english.get(new.get_absolute_url()).content.decode()
    assert "Interpretations" in html
    assert f'href="{catalogue.interpretation.get_absolute_url()}"' in html
    assert '<span class="validity validity-in_force">In force</span>' in html
    assert "validity-notice" not in html
    assert "Repeals or replaces" in html and f'href="{catalogue.old_policy.get_absolute_url()}"' in html
    interpretation = english.get(catalogue.interpretation.get_absolute_url()).content.decode()
    assert "Interpretation of:" in interpretation
    assert f'href="{new.get_absolute_url()}"' in interpretation


def test_an_amended_policy_links_the_amending_document(catalogue, world, english):
    with fixed_today(D(2025, 6, 2)):
        from tests.catalog.helpers import published_policy

        amending = published_policy(world.district, "rules", D(2025, 5, 6))
        actions.record_validity_change(catalogue.new_policy, on=D(2025, 5, 6),
                                       validity="amended", by_document=amending)
    html = english.get(catalogue.new_policy.get_absolute_url()).content.decode()
    notice = html[html.index('class="validity-notice'):html.index("<h1")]
    assert "amended" in notice and f'href="{amending.get_absolute_url()}"' in notice


def test_a_withdrawn_interpretation_is_not_listed_on_its_policy(catalogue, client):
    with fixed_today(D(2025, 6, 2)):
        actions.withdraw(catalogue.interpretation, "解读有误")
    html = client.get(catalogue.new_policy.get_absolute_url()).content.decode()
    assert catalogue.interpretation.get_absolute_url() not in html
