"""The demo's catalogue: every agency keeps it in xxgk, 2023 counts as the seed reports,
and it is deterministic and idempotent. Built here at a small scale (``catalog.SCALE``);
the full-scale build and its 2023 report are tested in test_demo_applications.py."""

import datetime as dt
import random
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.catalog import counting
from xxgk.catalog import reminders as catalogue_reminders
from xxgk.catalog.models import (
    InfoItem,
    Interpretation,
    ItemChannel,
    ItemState,
    Origin,
    PolicyDocument,
    ValidityChange,
)
from xxgk.demo import build, titles
from xxgk.demo import catalog as demo
from xxgk.demo import reports as demo_reports
from xxgk.reports import compute, proactive

pytestmark = pytest.mark.django_db
SCALE = 0.01
SOURCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "real-documents"
PROVINCES = ("广东", "海南", "河南", "四川", "云南", "粤", "琼", "豫", "滇")


@pytest.fixture(autouse=True)
def _small_catalogue(monkeypatch):
    monkeypatch.setattr(demo, "SCALE", SCALE)
    steps = [s for s in build.STEPS if s.run in (
        build.build_agencies, build.build_staff, demo.build_catalogue_2023,
        demo.build_catalogue)]
    monkeypatch.setattr(build, "STEPS", steps)


def _district() -> list[int]:
    return compute.scope(Agency.objects.get(code="110102"))


def test_2023_s_targets_are_the_seed_s_figures_and_the_report_s_section_two():
    seed, figures = demo.SEED_2023, demo_reports.PUBLISHING_2023
    assert (seed.items, seed.key_area, seed.policy_documents, seed.interpretations,
            seed.weibo, seed.wechat) == (
        figures["portal_items"], figures["key_area_items"], figures["policy_documents"],
        figures["interpretations"], figures["weibo_items"], figures["wechat_items"])
    assert (
        seed.items, seed.key_area, seed.policy_documents, seed.interpretations, seed.weibo,
        seed.wechat) == (25_284, 1506, 49, 41, 2512, 2613)
    section_two = demo_reports.PROACTIVE_2023
    in_force_2022 = demo.OLDER_DOCUMENTS - demo.OLDER_REPEALED - demo.OLDER_EXPIRED
    assert seed.normative == section_two["proactive.normative_documents.issued"]
    assert seed.repeals == section_two["proactive.normative_documents.repealed"]
    assert in_force_2022 - seed.repeals + seed.normative == section_two[
        "proactive.normative_documents.in_force"]


def test_later_years_are_near_2023_and_this_year_runs_to_today():
    today = timezone.localdate()
    for year in range(2024, today.year):
        goal = demo.targets(year, today)
        assert 0.9 * 25_284 < goal.items < 1.1 * 25_284, year
        assert goal.interpretations <= goal.policy_documents
    this_year = demo.targets(today.year, today)
    part = (today - dt.date(today.year, 1, 1)).days / 364
    assert this_year.items <= demo.targets(today.year, dt.date(today.year, 12, 31)).items
    assert this_year.items == pytest.approx(
        demo.targets(today.year, dt.date(today.year, 12, 31)).items * part, rel=0.01)


def test_the_2023_report_s_figures_are_counted_from_the_catalogue():
    call_command("demo", verbosity=0)
    goal = demo.bulk_targets(2023)
    publishing = proactive.publishing_figures(_district(), 2023)
    assert (publishing["items_published"], publishing["portal_items"],
            publishing["key_area_items"], publishing["policy_documents"],
            publishing["interpretations"], publishing["weibo_items"],
            publishing["wechat_items"]) == (
        goal.items, goal.items, goal.key_area, 49, 41, goal.weibo, goal.wechat)
    figures = proactive.proactive_figures(_district(), 2023)
    assert (figures["proactive.normative_documents.issued"],
            figures["proactive.normative_documents.repealed"],
            figures["proactive.normative_documents.in_force"]) == (12, 5, 86)
    assert figures["proactive.rules.issued"] == 0
    # Every agency of the district keeps its catalogue here.
    assert counting.in_use(_district(), 2023) == set(_district())


def test_items_are_shared_by_agency_kind_in_categories_of_the_tree():
    call_command("demo", verbosity=0)
    items = InfoItem.objects.filter(published_on__year=2023, policydocument__isnull=True,
                                    interpretation__isnull=True)
    assert not items.filter(category__isnull=True).exists()
    assert not items.filter(key_area=True).exclude(category__branch="key_area").exists()
    assert items.filter(key_area=True).count() == demo.bulk_targets(2023).key_area
    market = items.filter(agency__code="110102124").count()
    office = items.filter(agency__code="110102105").count()
    subdistrict = items.filter(agency__code="110102012").count()
    assert market > subdistrict > office > 0
    assert set(items.values_list("origin", flat=True)) == {Origin.XXGK}


def test_titles_and_document_numbers_follow_real_ones_adapted_to_the_district():
    call_command("demo", verbosity=0)
    rows = list(InfoItem.objects.values_list("title", "doc_no", "agency__code", "body"))
    for title, doc_no, code, body in rows:
        assert "{" not in title and "lorem" not in (title + body).lower(), title
        assert not any(province in title for province in PROVINCES), title
        assert body.startswith("<p>") and len(body) < 600, title
        if doc_no:
            # The agency's series: policy documents …发, notices and letters …函.
            stem = demo.PREFIXES.get(code, "西").removesuffix("发")
            assert re.fullmatch(rf"{stem}\S*[发函]〔\d{{4}}〕\d+号", doc_no), (code, doc_no)
    names = list(Agency.objects.values_list("name", flat=True))
    real = {t.title(name, 2023) for t in titles.shipped() for name in names}
    assert sum(title in real for title, *_rest in rows) > 40
    # 文号 are unique within an agency.
    numbered = [(code, doc_no) for _t, doc_no, code, _b in rows if doc_no]
    assert len(numbered) == len(set(numbered))


def test_policy_documents_interpretations_and_validity_history():
    call_command("demo", verbosity=0)
    documents = PolicyDocument.objects.filter(published_on__year=2023)
    assert documents.count() == 49
    assert documents.filter(kind="normative_documents").count() == 12
    interpretations = Interpretation.objects.filter(published_on__year=2023)
    assert interpretations.count() == 41
    assert all(i.policy.published_on <= i.published_on for i in interpretations)
    older = PolicyDocument.objects.filter(issued_on__lt=dt.date(2023, 1, 1))
    assert older.count() == demo.OLDER_DOCUMENTS
    repealed = ValidityChange.objects.filter(validity="repealed", by_document__isnull=False)
    assert repealed.filter(changed_on__year=2023).count() == 5
    assert repealed.filter(changed_on__lt=dt.date(2023, 1, 1)).exists()
    assert ValidityChange.objects.filter(validity="amended", by_document__isnull=False).exists()
    assert ValidityChange.objects.filter(validity="expired").exists()
    for change in repealed.select_related("document__agency", "by_document__agency"):
        assert change.by_document.issued_on <= change.changed_on
        assert change.document.agency.path.startswith(change.by_document.agency.path)
    # Some older ones are still in force after more than five years: the clean-up's work.
    assert older.filter(validity="in_force", issued_on__lt=dt.date(2018, 1, 1)).exists()


def test_a_few_items_are_published_late_and_this_year_has_drafts_falling_due():
    call_command("demo", verbosity=0)
    from django.db.models import F

    late = InfoItem.objects.filter(published_on__year=2023, published_on__gt=F("publish_by"))
    assert 0 < late.count() < InfoItem.objects.filter(published_on__year=2023).count() / 50
    today = timezone.localdate()
    waiting = InfoItem.objects.filter(state__in=(ItemState.DRAFT, ItemState.REVIEW))
    assert waiting.filter(state=ItemState.REVIEW).exists()
    assert waiting.filter(state=ItemState.DRAFT).exists()
    assert waiting.filter(formed_on__year=today.year).count() >= 10
    assert catalogue_reminders.due_items(today, 5).exists()
    # Every one was drafted by its agency's handler.
    assert all(item.created_by.username == f"h{item.agency.code}" for item in waiting)


def test_channels_are_recorded_on_items_and_counted():
    call_command("demo", verbosity=0)
    goal = demo.bulk_targets(2023)
    in_2023 = ItemChannel.objects.filter(item__published_on__year=2023)
    assert in_2023.filter(channel="weibo").count() == goal.weibo
    assert in_2023.filter(channel="wechat").count() == goal.wechat
    assert set(ItemChannel.objects.values_list("channel", flat=True)) <= {
        c.key for c in taxonomy.CHANNELS}


def test_running_twice_adds_nothing():
    call_command("demo", verbosity=0)

    def snapshot():
        return (list(InfoItem.objects.order_by("index_no").values_list(
                    "index_no", "title", "doc_no", "published_on", "state")),
                ValidityChange.objects.count(), ItemChannel.objects.count())

    first = snapshot()
    call_command("demo", verbosity=0)
    assert snapshot() == first


def test_the_same_seed_draws_the_same_records():
    call_command("demo", verbosity=0)
    agencies = demo.district_agencies()
    goal = demo.bulk_targets(2023)
    days = demo._working_days(2023, timezone.localdate())

    def draw(seed):
        return demo.year_records(2023, random.Random(seed), agencies, goal, days)

    assert draw(1) == draw(1)
    assert draw(1) != draw(2)


@pytest.mark.skipif(not SOURCE.exists(), reason="the shared real documents are not here")
def test_the_shipped_titles_are_derived_from_the_real_documents():
    assert tuple(titles.derive(SOURCE)) == titles.shipped()
