"""Forms of the search vocabulary's staff pages: they take the text as typed; the actions
check it and decide (``actions.py`` keeps every rule, and a refused step comes back as a
``StepError`` that the view puts on the field it names)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xxgk.workbench.forms import StaffForm

from .actions import MAX_WORD

# Room for a word typed with spaces or in full-width letters, which the action folds and
# judges: a longer entry is cut by the browser rather than refused without a reason.
_TYPED = MAX_WORD * 2


class WordForm(StaffForm):
    title = _("Add a word")
    submit_label = _("Add the word")
    word = forms.CharField(
        label=_("Word"), max_length=_TYPED,
        help_text=_("2 to 30 letters, digits or Chinese characters, kept whole when "
                    "documents and queries are cut into words (for example 疏整促)."))


class SynonymForm(StaffForm):
    title = _("Add a synonym group")
    submit_label = _("Add the group")
    terms = forms.CharField(
        label=_("Words"), max_length=600,
        help_text=_("At least two words that mean the same to a searcher, separated by "
                    "spaces, commas or 、 (for example 社保 社会保险): a search for one finds all."))


class EditSynonymForm(SynonymForm):
    title = _("Change the group")
    submit_label = _("Save the group")


class FindForm(StaffForm):
    """The lists' filter: the rows holding a word."""

    q = forms.CharField(label=_("Holding"), required=False, max_length=_TYPED)
