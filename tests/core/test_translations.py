"""Every user-facing string has its Chinese translation, and the compiled file is current.

Chinese is the default language, and source strings are English (Django's convention), so
a missing translation would show English on the Chinese portal.
"""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

import xxgk

PACKAGE = Path(xxgk.__file__).parent
PO = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_to_chinese():
    untranslated = [e.msgid for e in polib.pofile(str(PO)) if not e.translated() or e.obsolete]
    assert untranslated == []


def test_the_compiled_catalogue_matches_the_po_file():
    catalogue = gettext.GNUTranslations(PO.with_suffix(".mo").open("rb"))
    for entry in polib.pofile(str(PO)):
        if entry.msgid_plural:
            assert catalogue.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:  # the same English word in another sense (pgettext)
            assert catalogue.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert catalogue.gettext(entry.msgid) == entry.msgstr, entry.msgid


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs GNU gettext (make test installs it)")
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    copy = tmp_path / "xxgk"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete",
         "--settings=xxgk.settings"],
        cwd=copy, check=True, capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in fresh.untranslated_entries()] == []
