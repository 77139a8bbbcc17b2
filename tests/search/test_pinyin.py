"""Pinyin keys: the letters people type for Chinese text (``xxgk.search.pinyin``, pure)."""

from __future__ import annotations

import subprocess
import sys
from string import ascii_lowercase

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin import Style, lazy_pinyin

from xxgk.search.pinyin import (
    initials_key,
    looks_like_pinyin,
    mixed_initials,
    pinyin_key,
    reads_as,
    syllables,
    typed_words,
)
from xxgk.search.vocabulary import shipped_words

# The common block of CJK ideographs, where every character of a government text lies.
hanzi = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
chinese = st.text(hanzi, min_size=1, max_size=12)
# Letters that are not pinyin: i, u and v begin no syllable.
not_initials = st.text(st.sampled_from("iuv"), min_size=1, max_size=4)


@pytest.mark.parametrize(("text", "full", "initials"), [
    ("社保", "shebao", "sb"),
    ("公租房", "gongzufang", "gzf"),
    ("社會保險", "shehuibaoxian", "shbx"),        # traditional characters read the same
    ("银行", "yinhang", "yh"),                     # a heteronym takes its reading in context
    ("绿色", "lvse", "ls"),                        # ü is written v, as input methods take it
    ("12345热线", "rexian", "rx"),                 # digits are not letters
    ("PM2.5浓度", "pmnongdu", "pmnd"),             # Latin letters are kept as they are
    ("《关于…的通知》", "guanyudetongzhi", "gydtz"),  # punctuation is dropped
    ("", "", ""),
])
def test_keys_of_known_words(text, full, initials):
    assert pinyin_key(text) == full
    assert initials_key(text) == initials


@given(chinese)
def test_the_full_key_is_the_readings_joined_and_the_initials_their_first_letters(text):
    def letters(readings: list[str]) -> str:
        return "".join(c for c in "".join(readings) if c in ascii_lowercase)

    assert pinyin_key(text) == letters(lazy_pinyin(text, style=Style.NORMAL))
    assert initials_key(text) == letters(lazy_pinyin(text, style=Style.FIRST_LETTER))


@given(st.text(max_size=30))
def test_keys_hold_lower_case_ascii_letters_only(text):
    for key in (pinyin_key(text), initials_key(text)):
        assert key == "" or (key.isascii() and key.isalpha() and key.islower())


@given(chinese)
def test_the_letters_of_any_chinese_text_read_as_pinyin(text):
    full = pinyin_key(text)
    if full:  # a character pypinyin cannot read has no letters
        assert looks_like_pinyin(full)
        assert looks_like_pinyin(initials_key(text))


@given(chinese, st.data())
def test_every_prefix_of_the_letters_reads_as_pinyin_being_typed(text, data):
    full = pinyin_key(text)
    if full:
        end = data.draw(st.integers(min_value=1, max_value=len(full)))
        assert looks_like_pinyin(full[:end], partial=True)


def test_every_character_reads_as_a_syllable_that_is_pinyin():
    # Exhaustive over the common block: no character gives letters that would not be
    # recognised as pinyin when typed.
    for code in range(0x4E00, 0xA000):
        full = pinyin_key(chr(code))
        assert not full or looks_like_pinyin(full), chr(code)


@pytest.mark.parametrize("query", ["shebao", "gong zu fang", "gongzufang", "xi'an",
                                   "SheBao", "ｓｈｅｂａｏ", "sb", "gzf", " shebao "])
def test_pinyin_and_initials_read_as_pinyin(query):
    assert looks_like_pinyin(query)


def test_an_unfinished_last_syllable_reads_as_pinyin_only_while_typing():
    assert looks_like_pinyin("gongzuf", partial=True)
    assert looks_like_pinyin("shebaoxi", partial=True)
    # Finished, an unfinished syllable reads as pinyin only when it is an initial (f of
    # fang) or a syllable; fi is neither.
    assert looks_like_pinyin("gongzuf") and not looks_like_pinyin("gongzufi")
    assert looks_like_pinyin("gongzufi", partial=True)
    # An unfinished syllable before others is not one being typed (but an initial is).
    assert not looks_like_pinyin("gongzufibao", partial=True)
    assert looks_like_pinyin("gzufang") and looks_like_pinyin("zuidishbz")


@pytest.mark.parametrize(("query", "words"), [
    ("yanglao butie", ["yanglao", "butie"]),
    ("  YangLao   ｂｕｔｉｅ ", ["yanglao", "butie"]),
    ("xi'an", ["xi", "an"]),
    ("yanglaobutie", ["yanglaobutie"]),
    ("", []),
])
def test_typed_words_are_the_letters_between_spaces_and_apostrophes(query, words):
    assert typed_words(query) == words


@pytest.mark.parametrize("query", ["社保", "shebao社保", "sheb1", "12345", "", "   ", "'",
                                   "a.b", "sb@x", "vvv", "iu"])
def test_other_text_does_not_read_as_pinyin(query):
    assert not looks_like_pinyin(query)
    assert not looks_like_pinyin(query, partial=True)


@given(st.text(st.sampled_from("bcdfghjklmnpqrstwxyzaeo"), min_size=1, max_size=10))
def test_letters_a_syllable_can_begin_with_read_as_initials(letters):
    assert looks_like_pinyin(letters)


@given(chinese, not_initials)
def test_letters_no_syllable_begins_with_make_it_not_pinyin(text, tail):
    # i, u and v after a finished key: neither a syllable nor initials.
    assert not looks_like_pinyin(pinyin_key(text) + " " + tail)


@pytest.mark.parametrize("typed", ["shebaok", "shebk", "sbka", "sbk", "shebaoka", "s b ka",
                                   "SheBk", "shbaok"])
def test_syllables_typed_some_whole_and_some_as_initials_read_as_the_term(typed):
    assert syllables("社保卡") == ("she", "bao", "ka")
    assert reads_as(typed, syllables("社保卡"))
    assert initials_key("社保卡") in mixed_initials(typed)


@pytest.mark.parametrize("typed", ["shebaokx", "sbkk", "sbaoka k", "shebao", "bk", "shek"])
def test_letters_that_are_not_the_syllables_in_order_do_not_read_as_the_term(typed):
    assert not reads_as(typed, syllables("社保卡"))


def test_while_typing_the_letters_may_stop_inside_or_before_a_syllable():
    readings = syllables("社保卡申领")
    for typed in ("shebk", "sbkash", "shebaokashenli", "s", "sheba"):
        assert reads_as(typed, readings, partial=True), typed
        assert not reads_as(typed, readings)
    assert not reads_as("sbx", readings, partial=True)
    assert "sbk" in mixed_initials("shebk", partial=True)
    assert "sbks" in mixed_initials("shebkashe", partial=True)


def test_no_letters_read_as_no_term():
    assert mixed_initials("") == mixed_initials("12 ,") == ()


def test_long_letters_keep_at_most_the_readings_of_the_fewest_syllables():
    readings = mixed_initials("zuidishenghuobaozhang" * 3)
    assert len(readings) <= 64 and readings[0] == "zdshbz" * 3


# No deadline: the first example reads pypinyin's dictionaries, which takes longer than one.
@settings(deadline=None)
@given(st.sampled_from(shipped_words()), st.lists(st.booleans(), min_size=20, max_size=20))
def test_any_mix_of_whole_syllables_and_initials_of_a_dictionary_word_finds_it(word, whole):
    readings = syllables(word)
    typed = "".join(reading if keep else reading[0]
                    for reading, keep in zip(readings, whole, strict=False))
    assert reads_as(typed, readings)
    assert initials_key(word) in mixed_initials(typed)
    assert reads_as(typed[:len(typed) // 2 + 1], readings, partial=True)


def test_the_module_imports_no_django():
    probe = ("import sys, xxgk.search.pinyin; "
             "print(sorted(n for n in sys.modules if n == 'django' or n.startswith('django.')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True, env={"PATH": "/usr/bin:/bin"})
    assert result.stdout.strip() == "[]"
