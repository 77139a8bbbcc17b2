"""The only writers of what the OGI office edits in search: its dictionary words, the
synonym groups, and the queries hidden from the hot searches.

Each function checks that the actor is the OGI office (``agencies.access.is_ogi_office``,
the rule the catalogue's tree and the background-work page use; ``actor=None`` is the
system), checks the input, writes, audits and tells this process's vocabulary cache to
rebuild (``vocabulary.forget``, on commit, so that no rebuild reads the rows before they
are there; other processes see the change within ``vocabulary.RECHECK_SECONDS``), in one
transaction: a refused step (``core.steps.StepError`` naming its form field) leaves nothing
written.

Words are stored folded (``text.fold``: simplified characters, lower case), as the
segmenter and the synonym table compare them, so 社會保險 and 社会保险 are one word.

A dictionary change also queues a rebuild of the index on the worker (``tasks.reindex``)
in the same transaction: documents were cut with the old dictionary, and only a new cut
keeps the word whole in them. A synonym change needs none: synonyms are looked up when a
query is parsed, and a word the dictionary did not know at indexing time is matched by its
parts (``query.py``).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xxgk.agencies import access, audit
from xxgk.core import jobs
from xxgk.core.models import Job, JobState
from xxgk.core.steps import StepError, user_or_none

from . import tasks, vocabulary
from .models import DictionaryWord, HiddenQuery, SuggestionTerm, SynonymGroup
from .querylog import normalized
from .text import fold

MIN_WORD, MAX_WORD = 2, 30
MAX_TERMS_LENGTH = SynonymGroup._meta.get_field("terms").max_length
REINDEX_SUBJECT = "search:dictionary"
_HOT_SEARCHES_REFUSAL = gettext_lazy("Only the OGI office chooses what the hot searches show.")


def _require_ogi(actor: Any, refusal: str = "") -> None:
    if actor is not None and not access.is_ogi_office(actor):
        raise StepError(refusal or _("Only the OGI office edits the search vocabulary."))


def _word_problem(word: str) -> str | None:
    """Why ``word`` (folded) cannot be a word of the vocabulary, or None."""
    if not MIN_WORD <= len(word) <= MAX_WORD:
        return _("A word is %(min)d to %(max)d characters long.") % {"min": MIN_WORD,
                                                                       "max": MAX_WORD}
    # str.isalnum holds for letters of every script (Chinese characters included) and
    # digits, and for no space or punctuation mark.
    if not word.isalnum():
        return _("A word has letters, digits or Chinese characters only: no spaces or "
                 "punctuation.")
    return None


def check_word(text: str) -> str:
    """``text`` as a dictionary word (folded), or refused on the field ``word``."""
    word = fold(text.strip())
    if problem := _word_problem(word):
        raise StepError(problem, "word")
    return word


def check_terms(text: str) -> list[str]:
    """The distinct words of a synonym group as typed (folded, in order), or refused on
    the field ``terms``."""
    terms = list(dict.fromkeys(fold(term) for term in vocabulary.split_terms(text)))
    for term in terms:
        if problem := _word_problem(term):
            raise StepError(_("%(term)s: %(problem)s") % {"term": term, "problem": problem},
                            "terms")
    if len(terms) < 2:
        raise StepError(_("A group has at least two different words."), "terms")
    if len(" ".join(terms)) > MAX_TERMS_LENGTH:
        raise StepError(_("The group is longer than %(max)d characters: split it into "
                          "smaller groups.") % {"max": MAX_TERMS_LENGTH}, "terms")
    return terms


# ---- The reindex job --------------------------------------------------------------------------

def queue_reindex() -> Job:
    """The one reindex job waiting on the worker, queued now if none waits.

    A queued job reads the dictionary when it starts, so it serves every change made
    before then; a running one may have read the dictionary already, so a change made
    while it runs queues the next. Locking the waiting job keeps a worker from starting it
    before this transaction commits (claims skip locked rows). Two transactions that both
    find none use the same key, "the rebuild after the last one started", so only one
    insert succeeds and the other returns its job.
    """
    path = jobs.task_path(tasks.reindex)
    waiting = (Job.objects.select_for_update().filter(task=path, state=JobState.QUEUED)
               .order_by("pk").first())
    if waiting is not None:
        return waiting
    started = (Job.objects.filter(task=path).exclude(state=JobState.QUEUED)
               .aggregate(last=Max("pk"))["last"] or 0)
    return jobs.enqueue(tasks.reindex, subject=REINDEX_SUBJECT,
                        dedupe_key=f"search.reindex:after:{started}")


def reindex_job() -> Job | None:
    """The latest reindex job, for the staff pages' line on its progress."""
    return (Job.objects.filter(task=jobs.task_path(tasks.reindex)).order_by("-pk").first())


# ---- Dictionary words -------------------------------------------------------------------------

def add_word(text: str, *, actor: Any, request: HttpRequest | None = None) -> DictionaryWord:
    """Add a word the segmenter keeps whole, and queue the rebuild of the index."""
    _require_ogi(actor)
    word = check_word(text)
    if word in {fold(shipped) for shipped in vocabulary.shipped_words()}:
        raise StepError(_("%(word)s is in the shipped dictionary already.") % {"word": word},
                        "word")
    with transaction.atomic():
        try:
            # A savepoint: a concurrent insert of the same word refuses this one cleanly.
            with transaction.atomic():
                row = DictionaryWord.objects.create(word=word, added_by=user_or_none(actor))
        except IntegrityError:
            raise StepError(_("%(word)s is in the dictionary already.") % {"word": word},
                            "word") from None
        audit.record("search.word_add", actor=actor, obj=row, request=request,
                     detail={"word": word})
        queue_reindex()
        transaction.on_commit(vocabulary.forget)
    return row


def remove_word(word: DictionaryWord, *, actor: Any,
                request: HttpRequest | None = None) -> None:
    """Remove one of the office's words (the shipped ones cannot be), and queue the
    rebuild of the index."""
    _require_ogi(actor)
    with transaction.atomic():
        if not DictionaryWord.objects.select_for_update().filter(pk=word.pk).exists():
            raise StepError(_("%(word)s is no longer in the dictionary.") % {"word": word.word})
        audit.record("search.word_remove", actor=actor, obj=word, request=request,
                     detail={"word": word.word})
        DictionaryWord.objects.filter(pk=word.pk).delete()
        queue_reindex()
        transaction.on_commit(vocabulary.forget)


# ---- Synonym groups ---------------------------------------------------------------------------

def _require_new_group(terms: list[str], *, other_than: int | None = None) -> None:
    wanted = frozenset(terms)
    groups = SynonymGroup.objects.exclude(pk=other_than).values_list("terms", flat=True)
    for existing in groups:
        if frozenset(fold(term) for term in vocabulary.split_terms(existing)) == wanted:
            raise StepError(_("A group with these words exists already."), "terms")


def add_synonyms(text: str, *, actor: Any,
                 request: HttpRequest | None = None) -> SynonymGroup:
    """A new group of words that find each other."""
    _require_ogi(actor)
    terms = check_terms(text)
    with transaction.atomic():
        _require_new_group(terms)
        group = SynonymGroup.objects.create(terms=" ".join(terms),
                                            changed_by=user_or_none(actor))
        audit.record("search.synonyms_add", actor=actor, obj=group, request=request,
                     detail={"terms": terms})
        transaction.on_commit(vocabulary.forget)
    return group


def change_synonyms(group: SynonymGroup, text: str, *, actor: Any,
                    request: HttpRequest | None = None) -> SynonymGroup:
    """Rewrite a group's words (a shipped group too: from installation on they are the
    office's; it stays marked as shipped)."""
    _require_ogi(actor)
    terms = check_terms(text)
    with transaction.atomic():
        locked = SynonymGroup.objects.select_for_update().filter(pk=group.pk).first()
        if locked is None:
            raise StepError(_("The group has been deleted meanwhile."))
        _require_new_group(terms, other_than=group.pk)
        before = locked.terms
        locked.terms, locked.changed_by = " ".join(terms), user_or_none(actor)
        locked.save(update_fields=["terms", "changed_by", "changed_at"])
        audit.record("search.synonyms_change", actor=actor, obj=locked, request=request,
                     detail={"before": vocabulary.split_terms(before), "after": terms})
        transaction.on_commit(vocabulary.forget)
    return locked


def delete_synonyms(group: SynonymGroup, *, actor: Any,
                    request: HttpRequest | None = None) -> None:
    """Delete a group: its words no longer find each other (shipped groups too; a migrate
    never brings a deleted one back)."""
    _require_ogi(actor)
    with transaction.atomic():
        if not SynonymGroup.objects.select_for_update().filter(pk=group.pk).exists():
            raise StepError(_("The group has been deleted meanwhile."))
        audit.record("search.synonyms_delete", actor=actor, obj=group, request=request,
                     detail={"terms": vocabulary.split_terms(group.terms),
                             "shipped": group.shipped})
        SynonymGroup.objects.filter(pk=group.pk).delete()
        transaction.on_commit(vocabulary.forget)


# ---- Hot searches ----------------------------------------------------------------------------

def hide_query(query: str, *, actor: Any, request: HttpRequest | None = None) -> HiddenQuery:
    """Keep ``query`` out of the hot searches and the suggestions from now on (its
    suggestion goes at once, not at the next daily rebuild). It is still searched."""
    _require_ogi(actor, str(_HOT_SEARCHES_REFUSAL))
    text = normalized(query)[:HiddenQuery._meta.get_field("query").max_length]
    if not text:
        raise StepError(_("Name the query to hide."), field="query")
    with transaction.atomic():
        hidden, created = HiddenQuery.objects.get_or_create(
            query=text, defaults={"hidden_by": user_or_none(actor)})
        if created:
            SuggestionTerm.objects.filter(text=text).delete()
            audit.record("search.query_hide", actor=actor, obj=hidden, request=request,
                         detail={"query": text})
    return hidden


def show_query(hidden: HiddenQuery, *, actor: Any, request: HttpRequest | None = None) -> None:
    """Let a hidden query be a hot search again (and a suggestion from the next rebuild)."""
    _require_ogi(actor, str(_HOT_SEARCHES_REFUSAL))
    with transaction.atomic():
        if not HiddenQuery.objects.select_for_update().filter(pk=hidden.pk).exists():
            return
        audit.record("search.query_show", actor=actor, obj=hidden, request=request,
                     detail={"query": hidden.query})
        HiddenQuery.objects.filter(pk=hidden.pk).delete()
