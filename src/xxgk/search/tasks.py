"""The search index's work on the worker: rebuilding it after the dictionary changed.

Documents are cut into words with the dictionary of the day they were indexed, so a word
the OGI office adds is kept whole only in what is indexed after it; the rebuild cuts every
public item again. ``actions`` queues it in the transaction that changed the dictionary.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from xxgk.core import jobs

from . import indexing, suggest, vocabulary


@jobs.task(label=gettext_lazy("Rebuilding the search index with the changed dictionary"))
def reindex() -> None:
    """Every public item's entry again, then the suggestions (the dictionary's words are
    offered as people type). Idempotent, as every job must be: a retried or repeated
    rebuild writes the same entries."""
    # The worker's segmenter may be one built moments before the change committed (the
    # per-process cache rechecks only every few seconds): build it from the rows now.
    vocabulary.forget()
    indexing.rebuild()
    suggest.rebuild_terms()
