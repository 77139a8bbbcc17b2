"""Section 二 and the publishing figures: counted from the records (catalogue, consultations)
or entered; entered wins."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.catalog.helpers import published_interpretation, published_item, published_policy
from tests.factories import UserFactory
from xxgk.catalog import actions
from xxgk.consultations.actions import open_consultation
from xxgk.reports import compute, proactive
from xxgk.reports.models import EnteredFigures

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def catalogue(world):
    """Education keeps its catalogue in xxgk; finance enters its figures."""
    rule = published_policy(world.education, "rules", D(2025, 4, 1))
    published_interpretation(rule, D(2025, 4, 8))
    repealed = published_policy(world.education, "normative_documents", D(2023, 6, 1))
    actions.record_validity_change(repealed, on=D(2025, 7, 1), validity="repealed")
    published_item(world.education, D(2025, 5, 6), D(2025, 5, 7), key_area=True)
    open_consultation(world.education, title="征求意见", opened_on=D(2025, 3, 3),
                      closes_on=D(2025, 4, 2))
    EnteredFigures.objects.create(agency=world.finance, year=2025, items_published=40,
                                  consultations=2,
                                  proactive={"proactive.rules.issued": 2,
                                             "proactive.licensing.decisions": 9})
    return world


def test_the_catalogue_s_counts_and_the_entered_figures_add_up(catalogue):
    ids = [catalogue.education.pk, catalogue.finance.pk]
    figures = proactive.proactive_figures(ids, 2025)
    assert figures["proactive.rules.issued"] == 1 + 2
    assert figures["proactive.rules.in_force"] == 1
    assert figures["proactive.normative_documents.repealed"] == 1
    assert figures["proactive.normative_documents.in_force"] == 0
    assert figures["proactive.licensing.decisions"] == 9  # entered only
    assert figures["proactive.penalties.decisions"] is None  # nobody has it
    publishing = proactive.publishing_figures(ids, 2025)
    # 1 rule + 1 interpretation + the repealed document's year (2023) is not 2025 + 1 item.
    assert publishing["items_published"] == 3 + 40
    assert publishing["key_area_items"] == 1
    assert publishing["policy_documents"] == 1 and publishing["interpretations"] == 1
    assert publishing["consultations"] == 1 + 2
    # The catalogue is the portal: education's three items are on it; nobody posted any
    # to Weibo or WeChat (a count of 0, not "not entered").
    assert publishing["portal_items"] == 3
    assert publishing["weibo_items"] == publishing["wechat_items"] == 0
    assert publishing["site_visits"] is None  # nobody has it


def test_an_entered_figure_wins_over_the_count_cell_by_cell(catalogue):
    EnteredFigures.objects.create(agency=catalogue.education, year=2025, items_published=500,
                                  proactive={"proactive.rules.issued": 7})
    ids = [catalogue.education.pk]
    figures = proactive.proactive_figures(ids, 2025)
    assert figures["proactive.rules.issued"] == 7
    assert figures["proactive.rules.in_force"] == 1  # still counted
    publishing = proactive.publishing_figures(ids, 2025)
    assert publishing["items_published"] == 500 and publishing["key_area_items"] == 1


def test_the_report_rolls_up_the_catalogue_of_the_subtree(catalogue):
    catalogue.district.report_covers_subtree = True
    catalogue.district.save()
    report = compute.compute_report(catalogue.district, 2025)
    assert report.proactive["rules"]["issued"] == 3
    assert report.proactive["normative_documents"]["repealed"] == 1
    own = compute.compute_report(catalogue.education, 2025)
    assert own.proactive["rules"]["issued"] == 1


def test_the_figures_form_shows_the_catalogue_s_count_beside_its_fields(catalogue, client):
    client.force_login(catalogue.handler)
    url = reverse("reports:figures", kwargs={"code": catalogue.education.code, "year": 2025})
    page = client.get(url).content.decode()
    # Six section 二 cells, seven catalogue figures and the consultations.
    assert page.count("业务记录统计为") == 14
    assert "业务记录统计为 3。" in page  # items published


def test_the_catalogue_s_items_are_read_only_in_the_configuration_pages(catalogue, client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:catalog_infoitem_changelist"))
    assert listing.status_code == 200 and "110102103/2025-00001" in listing.content.decode()
    assert client.get(reverse("admin:catalog_infoitem_add")).status_code == 403


def test_a_government_s_form_shows_what_the_agencies_below_count(catalogue, client):
    """Its report adds their counts to what it enters: the form says so, so that a district
    total is not entered on top of them."""
    catalogue.district.report_covers_subtree = True
    catalogue.district.save()
    client.force_login(catalogue.ogi)
    url = reverse("reports:figures", kwargs={"code": catalogue.district.code, "year": 2025})
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The agencies below count 3 from their records" in page  # items published
    assert "The records count" not in page  # the district itself keeps no catalogue
