"""A 文号 written with any brackets and spaces is one number."""

from hypothesis import given
from hypothesis import strategies as st

from xxgk.docnumbers import doc_no_key, looks_like_doc_no

WRITINGS = ["京西政发〔2023〕5号", "京西政发[2023]5号", "京西政发（2023）5号", "京西政发(2023)5号",
            "京西政发【2023】5号", "京西政发〖2023〗5号", "京西政发2023 5号", "京西政发 〔2023〕 5 号",
            "京西政发［２０２３］５号", "京西政发2023年5号", "京西政发〔2023〕第5号"]


def test_every_writing_of_a_number_has_one_key():
    assert {doc_no_key(written) for written in WRITINGS} == {"京西政发20235号"}


def test_every_writing_of_a_number_looks_like_one():
    assert all(looks_like_doc_no(written) for written in WRITINGS)


def test_titles_and_words_do_not_look_like_numbers():
    for text in ["关于社保的通知", "社保", "2023", "京西政发", "第5号文件的解读说明和有关情况"]:
        assert not looks_like_doc_no(text)


issuers = st.text(alphabet="京西政发办函教委财字粤府豫", min_size=2, max_size=8)
brackets = st.sampled_from(["〔〕", "[]", "()", "（）", "【】", "  ", "〖〗"])


@given(issuers, st.integers(1980, 2030), st.integers(1, 9999), brackets, brackets,
       st.booleans())
def test_a_number_keeps_its_key_in_any_brackets(issuer, year, serial, one, other, spaced):
    gap = " " if spaced else ""
    first = f"{issuer}{one[0]}{year}{one[1]}{serial}号"
    second = f"{issuer}{gap}{other[0]}{year}{other[1]}{gap}{serial}{gap}号"
    assert doc_no_key(first) == doc_no_key(second)
    assert looks_like_doc_no(second)
