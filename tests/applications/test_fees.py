"""The processing fee of 国办函〔2020〕109号, Arts. 3–5: two progressive standards."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxgk.applications.fees import (
    FeeMethod,
    application_band,
    fee_by_application,
    fee_by_volume,
    monthly_total_by_application,
    quote_by_application,
    quote_by_volume,
)

nths = st.integers(min_value=1, max_value=500)
page_counts = st.integers(min_value=0, max_value=5000)


# ---- By application: the applicant's nth application in a calendar month ------------------

@pytest.mark.parametrize(
    ("nth", "yuan"),
    [
        (1, 0), (10, 0),              # up to 10 a month: free
        (11, 100), (30, 100),         # 11th–30th: 100 元 each
        (31, 200), (40, 200),         # then bands of 10, each 100 元 dearer
        (41, 300), (50, 300),
        (51, 400), (60, 400),
        (61, 500),
    ],
)
def test_each_application_costs_the_price_of_its_band(nth, yuan):
    assert fee_by_application(nth) == Decimal(yuan)


@pytest.mark.parametrize(
    ("count", "yuan"),
    [
        (0, 0),
        (10, 0),
        (11, 100),
        (30, 20 * 100),
        (31, 20 * 100 + 200),
        (40, 20 * 100 + 10 * 200),
        (50, 20 * 100 + 10 * 200 + 10 * 300),
    ],
)
def test_a_month_of_applications_adds_up_progressively(count, yuan):
    assert monthly_total_by_application(count) == Decimal(yuan)


def test_the_band_of_an_application_is_named_for_the_notice():
    band = application_band(45)
    assert (band.first, band.last, band.unit_yuan) == (41, 50, Decimal(300))


def test_a_quote_by_application_states_basis_standard_and_calculation():
    quote = quote_by_application(45)
    assert quote.method is FeeMethod.BY_APPLICATION
    assert quote.amount == Decimal(300)
    assert quote.basis == "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第三条、第四条"
    assert quote.standard == (
        "按件计收，按照超额累进方式计算：同一申请人一个自然月内累计申请10件以下（含10件）的，"
        "不收费；11—30件（含30件）的部分：100元/件；31件以上的部分：以10件为一档，每增加一档，"
        "收费标准提高100元/件。"
    )
    assert quote.calculation == (
        "本申请为同一申请人本自然月内累计第45件申请，属41—50件的部分，300元/件，收费300元。"
    )


def test_a_free_application_says_so():
    assert quote_by_application(10).calculation == (
        "本申请为同一申请人本自然月内累计第10件申请，在10件以下（含10件），不收费。"
    )


@given(nths)
def test_by_application_is_monotone(nth):
    assert fee_by_application(nth + 1) >= fee_by_application(nth)


@given(st.integers(min_value=1, max_value=10))
def test_the_first_ten_applications_a_month_are_free(nth):
    assert fee_by_application(nth) == 0


@given(nths)
def test_by_application_prices_rise_by_100_yuan_every_10_from_the_31st(nth):
    steps = max(0, (nth - 31) // 10 + 1)
    expected = 0 if nth <= 10 else 100 + 100 * steps
    assert fee_by_application(nth) == expected


@given(st.integers(min_value=0, max_value=300))
def test_a_months_total_is_the_sum_of_its_applications(count):
    assert monthly_total_by_application(count) == sum(
        (fee_by_application(n) for n in range(1, count + 1)), Decimal(0)
    )


# ---- By volume: one application's A4 pages ---------------------------------------------------

@pytest.mark.parametrize(
    ("pages", "yuan"),
    [
        (0, 0), (30, 0),                           # up to 30 pages: free
        (31, 10), (100, 70 * 10),                  # pages 31–100: 10 元 each
        (101, 700 + 20), (200, 700 + 100 * 20),    # pages 101–200: 20 元 each
        (201, 2700 + 40),                          # from page 201: 40 元 each
        (150, 70 * 10 + 50 * 20),                  # 70×10 + 50×20 = 1700
    ],
)
def test_by_volume_is_progressive_like_income_tax(pages, yuan):
    assert fee_by_volume(pages) == Decimal(yuan)


def test_a_quote_by_volume_shows_every_band():
    quote = quote_by_volume(150)
    assert quote.method is FeeMethod.BY_VOLUME
    assert [(c.first, c.last, c.units, c.subtotal) for c in quote.breakdown] == [
        (1, 30, 30, 0), (31, 100, 70, 700), (101, 150, 50, 1000),
    ]
    assert quote.amount == Decimal(1700)
    assert quote.basis.endswith("第三条、第五条")
    assert quote.standard == (
        "按量计收，按照超额累进方式计算，以A4幅面计页：30页以下（含30页）的，不收费；"
        "31—100页（含100页）的部分：10元/页；101—200页（含200页）的部分：20元/页；"
        "201页以上的部分：40元/页。"
    )
    assert quote.calculation == (
        "本申请共150页：第1—30页不收费；第31—100页共70页，10元/页，计700元；"
        "第101—150页共50页，20元/页，计1000元。合计1700元。"
    )


def test_a_free_volume_says_so():
    assert quote_by_volume(12).calculation == "本申请共12页，在30页以下（含30页），不收费。"


def _marginal_page_price(page: int) -> Decimal:
    return fee_by_volume(page) - fee_by_volume(page - 1)


@given(page_counts)
def test_by_volume_is_monotone(pages):
    assert fee_by_volume(pages + 1) >= fee_by_volume(pages)


@given(st.integers(min_value=0, max_value=30))
def test_the_first_thirty_pages_are_free(pages):
    assert fee_by_volume(pages) == 0


def _price_of_page(page: int) -> int:
    """Art. 5 restated page by page, independently of the module's band table."""
    if page <= 30:
        return 0
    if page <= 100:
        return 10
    if page <= 200:
        return 20
    return 40


@given(st.integers(min_value=0, max_value=600))
def test_by_volume_is_the_sum_of_each_pages_price(pages):
    assert fee_by_volume(pages) == sum(_price_of_page(p) for p in range(1, pages + 1))


@given(st.integers(min_value=2, max_value=5000))
def test_the_price_of_the_next_page_never_falls(page):
    assert _marginal_page_price(page) >= _marginal_page_price(page - 1)


@given(nths)
def test_the_price_of_the_next_application_never_falls(nth):
    assert fee_by_application(nth + 1) - fee_by_application(nth) >= 0
    assert monthly_total_by_application(nth + 1) - monthly_total_by_application(nth) >= (
        monthly_total_by_application(nth) - monthly_total_by_application(nth - 1)
    )


@given(page_counts)
def test_the_breakdown_adds_up_to_the_amount(pages):
    quote = quote_by_volume(pages)
    assert sum(c.units for c in quote.breakdown) == pages
    assert sum(c.subtotal for c in quote.breakdown) == quote.amount


# ---- Input that the measures do not cover -------------------------------------------------------

@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: fee_by_application(0), "nth must be at least 1, got 0"),
        (lambda: fee_by_application(-3), "nth must be at least 1, got -3"),
        (lambda: fee_by_application(2.0), "nth must be a whole number, got 2.0"),
        (lambda: fee_by_application("11"), "nth must be a whole number, got '11'"),
        (lambda: fee_by_application(True), "nth must be a whole number, got True"),
        (lambda: fee_by_volume(-1), "pages must be at least 0, got -1"),
        (lambda: fee_by_volume(Decimal("31.5")), "pages must be a whole number"),
        (lambda: fee_by_volume(None), "pages must be a whole number, got None"),
        (lambda: monthly_total_by_application(-1), "count must be at least 0, got -1"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        call()
