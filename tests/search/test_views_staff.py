"""The OGI office's search pages through the test client: the queries that found nothing
(each a link to the public search) and the hot searches, the dictionary (the shipped words
read-only, the office's words added and removed), the synonym groups (added, changed,
deleted; the shipped ones marked), the line on the rebuild of the index — and that no
other staff account sees or changes any of it."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.search import records
from xxgk.agencies.models import AuditEntry
from xxgk.core import jobs
from xxgk.core.models import Job, JobState
from xxgk.core.today import fixed_today
from xxgk.search import actions, querylog, suggest, tasks, vocabulary
from xxgk.search.models import DictionaryWord, HiddenQuery, SuggestionTerm, SynonymGroup

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 2)
WORD = "疏整促"


@pytest.fixture(autouse=True)
def _today():
    vocabulary.forget()
    with fixed_today(TODAY):
        yield
    vocabulary.forget()


@pytest.fixture
def client(client):
    """Pages in English, so that the tests read the source wording."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def office(world, client):
    client.force_login(world.ogi)
    return client


def _url(name, *args):
    return reverse(f"search_staff:{name}", args=args)


def _reindex_jobs():
    return Job.objects.filter(task=jobs.task_path(tasks.reindex))


# ---- Who may ----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["handler", "reviewer", "auditor"])
def test_only_the_ogi_office_sees_or_changes_the_search_pages(world, client, role):
    word = actions.add_word("背街小巷", actor=world.ogi)
    group = SynonymGroup.objects.first()
    client.force_login(getattr(world, role))
    for page in (_url("queries"), _url("dictionary"), _url("synonyms"),
                 _url("synonym", group.pk)):
        assert client.get(page).status_code == 403
    for page, data in ((_url("dictionary"), {"word": WORD}),
                       (_url("word_remove", word.pk), {}),
                       (_url("synonyms"), {"terms": "疏整促 疏解整治促提升"}),
                       (_url("synonym", group.pk), {"terms": "社保 社会保障"}),
                       (_url("synonym_delete", group.pk), {}),
                       (_url("query_hide"), {"query": "社保"})):
        assert client.post(page, data).status_code == 403
    assert not HiddenQuery.objects.exists()
    assert list(DictionaryWord.objects.values_list("word", flat=True)) == ["背街小巷"]
    assert SynonymGroup.objects.get(pk=group.pk).terms == group.terms
    assert AuditEntry.objects.filter(action="search.word_add").count() == 1
    assert not AuditEntry.objects.filter(action__startswith="search.").exclude(
        action="search.word_add").exists()


def test_visitors_are_sent_to_log_in(client):
    response = client.get(_url("dictionary"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workbench:login"))


# ---- What people search for ----------------------------------------------------------------

def _searched(query, results, times, day=TODAY, language="zh-hans"):
    with fixed_today(day):
        for client in records.askers(query, times):
            querylog.record(query, results, language=language, client=client)


def test_the_queries_that_found_nothing_link_to_the_public_search(office):
    _searched(WORD, 0, 4)
    _searched("街乡吹哨", 0, 1, day=TODAY - dt.timedelta(days=3))
    _searched("老旧小区", 0, 9, day=TODAY - dt.timedelta(days=30))  # before the 30 days
    _searched("社保", 12, 3)
    _searched("pension", 2, 3, language="en")
    page = office.get(_url("queries"))
    assert page.status_code == 200
    assert [(row["query"], row["count"], row["last_day"]) for row in page.context["missing"]] == [
        (WORD, 4, TODAY), ("街乡吹哨", 1, TODAY - dt.timedelta(days=3))]
    html = page.content.decode()
    assert f'href="/search/?q={quote(WORD)}"' in html
    assert f'href="{_url("dictionary")}?word={quote(WORD)}"' in html
    assert f'href="{_url("synonyms")}?terms={quote(WORD)}"' in html
    assert "老旧小区" not in html
    hot = {language: [query for query, _url in rows] for language, _l, rows in page.context["hot"]}
    assert hot == {"zh-hans": ["社保"], "en": ["pension"]}


def test_the_office_hides_a_hot_search_and_offers_it_again(world, office):
    _searched("社保", 12, 3)
    _searched("某某下台", 4, 5)
    suggest.rebuild_terms()
    assert SuggestionTerm.objects.filter(text="某某下台").exists()
    response = office.post(_url("query_hide"), {"query": "某某下台"}, follow=True)
    assert "is no longer offered" in response.content.decode()
    hot = {language: [query for query, _url in rows] for language, _l, rows in
           response.context["hot"]}
    assert hot["zh-hans"] == ["社保"]
    assert suggest.hot_searches(language="zh-hans") == ["社保"]
    # Gone from the suggestions at once, and after the next rebuild too.
    assert not SuggestionTerm.objects.filter(text="某某下台").exists()
    suggest.rebuild_terms()
    assert not SuggestionTerm.objects.filter(text="某某下台").exists()
    [hidden] = response.context["hidden"]
    assert (hidden.query, hidden.hidden_by) == ("某某下台", world.ogi)
    assert AuditEntry.objects.filter(action="search.query_hide").count() == 1
    office.post(_url("query_show", hidden.pk))
    assert suggest.hot_searches(language="zh-hans") == ["某某下台", "社保"]
    assert AuditEntry.objects.filter(action="search.query_show").count() == 1


def test_a_hidden_query_is_still_searched_and_counted(world, office):
    actions.hide_query("某某下台", actor=world.ogi)
    _searched("某某下台", 0, 2)
    assert [row["query"] for row in office.get(_url("queries")).context["missing"]] == [
        "某某下台"]


def test_hiding_nothing_is_refused_and_hiding_twice_is_one_hidden_query(world, office):
    response = office.post(_url("query_hide"), {"query": "  "}, follow=True)
    assert "Name the query to hide." in response.content.decode()
    actions.hide_query("社保", actor=world.ogi)
    actions.hide_query("社保 ", actor=world.ogi)
    assert HiddenQuery.objects.count() == 1


def test_a_query_from_the_list_prefills_the_forms(office):
    assert office.get(_url("dictionary"), {"word": WORD}).context["form"]["word"].value() == WORD
    assert office.get(_url("synonyms"), {"terms": WORD}).context["form"]["terms"].value() == WORD


# ---- The dictionary -------------------------------------------------------------------------

def test_the_office_adds_and_removes_a_word_and_the_index_is_rebuilt(world, office):
    page = office.get(_url("dictionary"))
    html = page.content.decode()
    # The shipped words are shown, and only the office's can be removed.
    assert "政府信息公开" in html and "Remove 政府信息公开" not in html
    assert page.context["reindex"] is None

    response = office.post(_url("dictionary"), {"word": WORD})
    assert response.status_code == 302
    word = DictionaryWord.objects.get(word=WORD)
    assert word.added_by == world.ogi
    page = office.get(_url("dictionary"))
    html = page.content.decode()
    assert f"Remove {WORD}" in html
    assert "A rebuild of the search index is queued" in html

    office.post(_url("word_remove", word.pk))
    assert not DictionaryWord.objects.exists()
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="search.")
            .order_by("pk")] == ["search.word_add", "search.word_remove"]
    (job,) = _reindex_jobs()
    jobs.run_pending()
    page = office.get(_url("queries")).content.decode()
    assert "The search index was last rebuilt" in page
    job.refresh_from_db()
    assert job.state == JobState.DONE


@pytest.mark.parametrize(("typed", "message"), [
    ("疏", "2 to 30 characters"),
    ("疏 整促", "no spaces or punctuation"),
    ("接诉即办", "in the shipped dictionary already"),
])
def test_a_bad_word_is_refused_on_its_field_and_nothing_is_written(office, typed, message):
    response = office.post(_url("dictionary"), {"word": typed})
    assert response.status_code == 422
    (error,) = response.context["form"].errors["word"]
    assert message in error
    assert not DictionaryWord.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="search.").exists()
    assert not _reindex_jobs().exists()


def test_the_office_words_are_found_and_paged(world, office):
    for n in range(3):
        actions.add_word(f"测试词{n}", actor=world.ogi)
    actions.add_word("背街小巷", actor=world.ogi)
    page = office.get(_url("dictionary"), {"q": "测试"})
    assert [w.word for w in page.context["page"].object_list] == ["测试词0", "测试词1",
                                                                   "测试词2"]


# ---- Synonyms --------------------------------------------------------------------------------

def test_the_office_adds_changes_and_deletes_synonym_groups(world, office):
    page = office.get(_url("synonyms"))
    assert "shipped with xxgk" in page.content.decode()
    assert page.context["page"].paginator.count == SynonymGroup.objects.count()

    assert office.post(_url("synonyms"), {"terms": "疏整促 疏解整治促提升"}).status_code == 302
    group = SynonymGroup.objects.get(terms="疏整促 疏解整治促提升")
    assert not group.shipped
    listed = office.get(_url("synonyms"), {"q": "疏整"}).context["page"].object_list
    assert list(listed) == [group]

    edit = office.get(_url("synonym", group.pk))
    assert edit.context["form"]["terms"].value() == group.terms
    response = office.post(_url("synonym", group.pk), {"terms": "疏整促 疏解整治促提升 疏解整治"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.terms == "疏整促 疏解整治促提升 疏解整治"

    assert office.post(_url("synonym_delete", group.pk)).status_code == 302
    assert not SynonymGroup.objects.filter(pk=group.pk).exists()
    assert [e.action for e in AuditEntry.objects.filter(action__startswith="search.")
            .order_by("pk")] == ["search.synonyms_add", "search.synonyms_change",
                                 "search.synonyms_delete"]
    # Synonyms apply when a query is parsed: nothing to rebuild.
    assert not _reindex_jobs().exists()


@pytest.mark.parametrize("typed", ["社保", "社保 社会保险", "疏整促 疏/整/促"])
def test_a_bad_group_is_refused_on_its_field_and_nothing_is_written(office, typed):
    groups = list(SynonymGroup.objects.values_list("pk", "terms"))
    response = office.post(_url("synonyms"), {"terms": typed})
    assert response.status_code == 422
    assert response.context["form"].errors["terms"]
    group = SynonymGroup.objects.get(terms="医保 医疗保险 基本医疗保险")
    edited = office.post(_url("synonym", group.pk), {"terms": typed})
    assert edited.status_code == 422 and edited.context["form"].errors["terms"]
    assert list(SynonymGroup.objects.values_list("pk", "terms")) == groups
    assert not AuditEntry.objects.filter(action__startswith="search.").exists()


# ---- The rebuild's line ------------------------------------------------------------------------

def test_every_page_says_how_the_rebuild_is_doing(world, office):
    actions.add_word(WORD, actor=world.ogi)
    job = _reindex_jobs().get()
    job.state = JobState.RUNNING
    job.save()
    assert "is being rebuilt" in office.get(_url("synonyms")).content.decode()
    job.state, job.last_error, job.finished_at = (JobState.FAILED, "OperationalError: disk full",
                                                  timezone.now())
    job.save()
    html = office.get(_url("queries")).content.decode()
    assert "The rebuild of the search index failed (OperationalError: disk full)" in html
    assert reverse("jobs") in html
