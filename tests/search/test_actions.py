"""The search vocabulary's actions: only the OGI office adds and removes dictionary words and
edits synonym groups; bad words are refused on their field with nothing written; every
change is audited and reaches the segmenter or the synonym table once it commits; and a
dictionary change queues one rebuild of the index, which cuts the documents again."""

import datetime as dt

import pytest
from django.utils import translation

from tests.catalog.helpers import published_item
from xxgk.agencies.models import AuditEntry
from xxgk.core import jobs
from xxgk.core.models import Job, JobState
from xxgk.core.steps import StepError
from xxgk.core.today import fixed_today
from xxgk.search import actions, tasks, vocabulary
from xxgk.search.models import DictionaryWord, SearchEntry, SynonymGroup


@pytest.fixture(autouse=True)
def _english_messages():
    """The refusals are matched in their English source wording."""
    with translation.override("en"):
        yield

pytestmark = pytest.mark.django_db
D = dt.date
# A Beijing campaign (疏解整治促提升) jieba cuts in two without the office's word.
WORD = "疏整促"


@pytest.fixture(autouse=True)
def _fresh_vocabulary():
    """Each test builds the segmenter from its own rows, not from an earlier test's."""
    vocabulary.forget()
    yield
    vocabulary.forget()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what an action does once its transaction commits (the test's own transaction
    never does)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _reindex_jobs():
    return Job.objects.filter(task=jobs.task_path(tasks.reindex))


def _audit(action):
    return list(AuditEntry.objects.filter(action=action).order_by("pk"))


# ---- Who may ----------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["handler", "reviewer", "auditor", "finance_handler"])
def test_only_the_ogi_office_edits_the_vocabulary(world, role):
    someone = getattr(world, role)
    word = actions.add_word("背街小巷", actor=world.ogi)
    group = SynonymGroup.objects.first()
    before = (DictionaryWord.objects.count(), SynonymGroup.objects.count(),
              AuditEntry.objects.count(), _reindex_jobs().count())
    for attempt in (lambda: actions.add_word(WORD, actor=someone),
                    lambda: actions.remove_word(word, actor=someone),
                    lambda: actions.add_synonyms("疏整促 疏解整治促提升", actor=someone),
                    lambda: actions.change_synonyms(group, "社保 社会保障", actor=someone),
                    lambda: actions.delete_synonyms(group, actor=someone)):
        with pytest.raises(StepError, match="Only the OGI office"):
            attempt()
    assert (DictionaryWord.objects.count(), SynonymGroup.objects.count(),
            AuditEntry.objects.count(), _reindex_jobs().count()) == before


# ---- Dictionary words -------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "message"), [
    ("疏", "2 to 30 characters"),
    ("字" * 31, "2 to 30 characters"),
    ("   ", "2 to 30 characters"),
    ("疏 整促", "no spaces or punctuation"),
    ("疏整促！", "no spaces or punctuation"),
    ("a-b", "no spaces or punctuation"),
])
def test_a_word_is_2_to_30_letters_digits_or_chinese_characters(world, typed, message):
    with pytest.raises(StepError, match=message) as refused:
        actions.add_word(typed, actor=world.ogi)
    assert refused.value.field == "word"
    assert not DictionaryWord.objects.exists()
    assert not _audit("search.word_add") and not _reindex_jobs().exists()


def test_a_word_is_stored_as_search_compares_it(world):
    assert actions.add_word(" ＡＢＣ園區 ", actor=world.ogi).word == "abc园区"
    assert actions.add_word("5g基站", actor=world.ogi).word == "5g基站"


def test_a_word_already_in_the_dictionary_is_refused(world):
    # 接诉即办 ships with xxgk; its traditional spelling is the same word.
    with pytest.raises(StepError, match="shipped dictionary") as shipped:
        actions.add_word("接訴即辦", actor=world.ogi)
    assert shipped.value.field == "word"
    actions.add_word(WORD, actor=world.ogi)
    with pytest.raises(StepError, match="in the dictionary already") as added:
        actions.add_word(WORD, actor=world.ogi)
    assert added.value.field == "word"
    assert list(DictionaryWord.objects.values_list("word", flat=True)) == [WORD]
    assert len(_audit("search.word_add")) == 1


def test_a_word_changes_how_queries_are_cut_once_it_is_committed(world, committed):
    assert vocabulary.segmenter().query_words("疏整促工作") == ["疏", "整促", "工作"]
    with committed():
        actions.add_word(WORD, actor=world.ogi)
    assert vocabulary.segmenter().query_words("疏整促工作") == [WORD, "工作"]
    with committed():
        actions.remove_word(DictionaryWord.objects.get(word=WORD), actor=world.ogi)
    assert vocabulary.segmenter().query_words("疏整促工作") == ["疏", "整促", "工作"]


def test_adding_and_removing_words_is_audited(world):
    word = actions.add_word(WORD, actor=world.ogi)
    actions.remove_word(word, actor=world.ogi)
    (added,), (removed,) = _audit("search.word_add"), _audit("search.word_remove")
    for entry in (added, removed):
        assert (entry.actor, entry.detail) == (world.ogi, {"word": WORD})
    assert added.object_type == "search.dictionaryword"
    assert word.added_by == world.ogi
    assert not DictionaryWord.objects.exists()


def test_a_word_removed_meanwhile_is_refused(world):
    word = actions.add_word(WORD, actor=world.ogi)
    actions.remove_word(word, actor=world.ogi)
    with pytest.raises(StepError, match="no longer in the dictionary"):
        actions.remove_word(word, actor=world.ogi)
    assert len(_audit("search.word_remove")) == 1


# ---- The rebuild after a dictionary change ---------------------------------------------------

def test_dictionary_changes_queue_one_rebuild_that_cuts_the_documents_again(world):
    with fixed_today(D(2025, 6, 2)):
        item = published_item(world.district, D(2025, 5, 6), D(2025, 5, 8),
                              title="西城区疏整促专项行动实施方案")
    assert WORD not in SearchEntry.objects.get(item=item).title_words.split()

    word = actions.add_word(WORD, actor=world.ogi)
    actions.add_word("专项行动", actor=world.ogi)
    actions.remove_word(word, actor=world.ogi)
    actions.add_word(WORD, actor=world.ogi)
    (job,) = _reindex_jobs()
    assert job.state == JobState.QUEUED
    assert SynonymGroup.objects.exists()  # untouched by dictionary changes

    jobs.run_pending()
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert {WORD, "专项行动"} <= set(SearchEntry.objects.get(item=item).title_words.split())


def test_a_change_while_the_rebuild_runs_queues_the_next_one(world):
    actions.add_word(WORD, actor=world.ogi)
    running = jobs.claim()
    assert running.task == jobs.task_path(tasks.reindex)
    # The running rebuild may have read the dictionary before this word.
    actions.add_word("专项行动", actor=world.ogi)
    actions.add_word("背街小巷", actor=world.ogi)
    assert _reindex_jobs().filter(state=JobState.QUEUED).count() == 1
    jobs.run(running)
    actions.add_word("街乡吹哨", actor=world.ogi)
    assert _reindex_jobs().count() == 2
    assert jobs.run_pending() == 1
    assert set(_reindex_jobs().values_list("state", flat=True)) == {JobState.DONE}
    # Once every rebuild has run, the next change queues a new one.
    actions.add_word("回天计划", actor=world.ogi)
    assert _reindex_jobs().filter(state=JobState.QUEUED).count() == 1


def test_a_refused_word_queues_no_rebuild(world):
    with pytest.raises(StepError):
        actions.add_word("疏", actor=world.ogi)
    assert not _reindex_jobs().exists()


# ---- Synonym groups ---------------------------------------------------------------------------

def test_a_synonym_group_applies_to_the_next_search_without_a_rebuild(world, committed):
    assert vocabulary.synonyms().alternatives(WORD) == (WORD,)
    with committed():
        group = actions.add_synonyms("疏整促，疏解整治促提升", actor=world.ogi)
    assert (group.terms, group.shipped, group.changed_by) == (
        "疏整促 疏解整治促提升", False, world.ogi)
    assert vocabulary.synonyms().alternatives(WORD) == (WORD, "疏解整治促提升")
    assert not _reindex_jobs().exists()
    (entry,) = _audit("search.synonyms_add")
    assert (entry.actor, entry.detail) == (world.ogi, {"terms": ["疏整促", "疏解整治促提升"]})


@pytest.mark.parametrize(("typed", "message"), [
    ("社保", "at least two different words"),
    ("社保 社保", "at least two different words"),
    ("社保 社會保險 社会保险", "exists already"),  # the shipped group, one word repeated
    ("社会保险、社保", "exists already"),  # the shipped group in another order
    ("疏整促 疏/整/促", "疏/整/促: A word has letters"),
    ("疏整促 疏", "疏: A word is 2 to 30"),
    (" ".join(f"词语{n:03d}" for n in range(60)), "longer than 300 characters"),
])
def test_a_group_needs_two_different_valid_words_and_must_be_new(world, typed, message):
    groups = list(SynonymGroup.objects.values_list("pk", "terms"))
    with pytest.raises(StepError, match=message) as refused:
        actions.add_synonyms(typed, actor=world.ogi)
    assert refused.value.field == "terms"
    assert list(SynonymGroup.objects.values_list("pk", "terms")) == groups
    assert not _audit("search.synonyms_add")


def test_a_shipped_group_is_changed_and_stays_marked_shipped(world, committed):
    group = SynonymGroup.objects.get(terms="社保 社会保险")
    assert group.shipped
    with committed():
        changed = actions.change_synonyms(group, "社保 社会保险 社会保障", actor=world.ogi)
    assert (changed.terms, changed.shipped, changed.changed_by) == (
        "社保 社会保险 社会保障", True, world.ogi)
    assert "社会保障" in vocabulary.synonyms().alternatives("社保")
    (entry,) = _audit("search.synonyms_change")
    assert entry.detail == {"before": ["社保", "社会保险"],
                            "after": ["社保", "社会保险", "社会保障"]}
    # Saving a group as it is is not refused as a duplicate of itself.
    actions.change_synonyms(changed, "社会保障 社保 社会保险", actor=world.ogi)
    with pytest.raises(StepError, match="exists already") as duplicate:
        actions.change_synonyms(changed, "医保 医疗保险 基本医疗保险", actor=world.ogi)
    assert duplicate.value.field == "terms"
    assert not _reindex_jobs().exists()


def test_a_deleted_group_no_longer_finds_its_words(world, committed):
    group = SynonymGroup.objects.get(terms="社保 社会保险")
    with committed():
        actions.delete_synonyms(group, actor=world.ogi)
    assert vocabulary.synonyms().alternatives("社保") == ("社保",)
    assert not SynonymGroup.objects.filter(pk=group.pk).exists()
    (entry,) = _audit("search.synonyms_delete")
    assert entry.detail == {"terms": ["社保", "社会保险"], "shipped": True}
    with pytest.raises(StepError, match="deleted meanwhile"):
        actions.delete_synonyms(group, actor=world.ogi)
    with pytest.raises(StepError, match="deleted meanwhile"):
        actions.change_synonyms(group, "社保 社会保障", actor=world.ogi)
    assert not _reindex_jobs().exists()
