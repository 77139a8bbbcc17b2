"""The information-processing fee (信息处理费) of 国办函〔2020〕109号, as pure arithmetic.

The measures (《政府信息公开信息处理费管理办法》) let an agency charge an applicant whose
volume or frequency of applications clearly exceeds a reasonable range, by one of two
methods per application and never both (Art. 3), each computed progressively (超额累进):

- by application (按件计收, Art. 4), counted per applicant per calendar month: the 1st–10th
  application is free, the 11th–30th cost 100 元 each, and from the 31st each further band
  of 10 applications costs 100 元 more each (31–40: 200 元, 41–50: 300 元, …);
- by volume (按量计收, Art. 5), per application in A4 pages: pages 1–30 are free, pages
  31–100 cost 10 元 each, 101–200 cost 20 元 each, and every page from the 201st 40 元.

A fee notice must state the basis, the standard and the amount, so a :class:`FeeQuote`
carries all three, in Chinese, together with the bands that make up the amount. Which method
applies, and whether to charge at all, is the agency's decision; so is a reduction or waiver,
which is recorded with its reason on the application, not here: this module only says what
the measures charge.

Every unit price is a whole number of yuan, so every amount is too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


class FeeMethod(StrEnum):
    """The two ways of charging (Art. 3); one application is charged by one of them."""

    BY_APPLICATION = "by_application"
    BY_VOLUME = "by_volume"

    @property
    def label_zh(self) -> str:
        return _METHOD_LABELS[self]

    @property
    def article_zh(self) -> str:
        """The articles of the measures to cite: Art. 3 (progressive) and the standard."""
        return _METHOD_ARTICLES[self]


_METHOD_LABELS = {FeeMethod.BY_APPLICATION: "按件计收", FeeMethod.BY_VOLUME: "按量计收"}
_METHOD_ARTICLES = {FeeMethod.BY_APPLICATION: "第三条、第四条", FeeMethod.BY_VOLUME: "第三条、第五条"}


@dataclass(frozen=True)
class Band:
    """One band of a progressive standard: units ``first``–``last`` at ``unit_yuan`` each.

    ``last`` is None for the open-ended top band.
    """

    first: int
    last: int | None
    unit_yuan: Decimal


@dataclass(frozen=True)
class BandCharge:
    """The units ``first``–``last`` of one application that fall in ``band``."""

    band: Band
    first: int
    last: int

    @property
    def units(self) -> int:
        return self.last - self.first + 1

    @property
    def subtotal(self) -> Decimal:
        return self.units * self.band.unit_yuan


# ---- By application (Art. 4) ------------------------------------------------------------

FREE_APPLICATIONS = 10
FIRST_PAID_LAST = 30
FREE_APPLICATION_BAND = Band(1, FREE_APPLICATIONS, Decimal(0))
FIRST_PAID_BAND = Band(FREE_APPLICATIONS + 1, FIRST_PAID_LAST, Decimal(100))
# From the 31st application on: bands of 10, each 100 元 dearer than the one before.
BAND_SIZE = 10
BAND_STEP_YUAN = Decimal(100)


def application_band(nth: int) -> Band:
    """The band of Art. 4 that an applicant's ``nth`` application in a month falls in."""
    _require_whole("nth", nth, minimum=1)
    if nth <= FREE_APPLICATIONS:
        return FREE_APPLICATION_BAND
    if nth <= FIRST_PAID_LAST:
        return FIRST_PAID_BAND
    step = (nth - FIRST_PAID_LAST - 1) // BAND_SIZE
    first = FIRST_PAID_LAST + 1 + step * BAND_SIZE
    unit = FIRST_PAID_BAND.unit_yuan + (step + 1) * BAND_STEP_YUAN
    return Band(first, first + BAND_SIZE - 1, unit)


def quote_by_application(nth: int) -> FeeQuote:
    """The fee for an applicant's ``nth`` application (1-based) in one calendar month."""
    band = application_band(nth)
    return FeeQuote(FeeMethod.BY_APPLICATION, nth, (BandCharge(band, nth, nth),))


def fee_by_application(nth: int) -> Decimal:
    """The fee in yuan for an applicant's ``nth`` application in one calendar month."""
    return quote_by_application(nth).amount


def monthly_total_by_application(count: int) -> Decimal:
    """What ``count`` applications by one applicant in one calendar month cost in all.

    For telling an applicant what a month's applications add up to; each application is
    still billed on its own with :func:`quote_by_application`.
    """
    _require_whole("count", count, minimum=0)
    return sum((fee_by_application(n) for n in range(1, count + 1)), Decimal(0))


# ---- By volume (Art. 5) -----------------------------------------------------------------

FREE_PAGES = 30
VOLUME_BANDS: tuple[Band, ...] = (
    Band(1, FREE_PAGES, Decimal(0)),
    Band(31, 100, Decimal(10)),
    Band(101, 200, Decimal(20)),
    Band(201, None, Decimal(40)),
)


def quote_by_volume(pages: int) -> FeeQuote:
    """The fee for one application of ``pages`` A4 pages, band by band."""
    _require_whole("pages", pages, minimum=0)
    charges = []
    for band in VOLUME_BANDS:
        if pages < band.first:
            break
        last = pages if band.last is None else min(pages, band.last)
        charges.append(BandCharge(band, band.first, last))
    return FeeQuote(FeeMethod.BY_VOLUME, pages, tuple(charges))


def fee_by_volume(pages: int) -> Decimal:
    """The fee in yuan for one application of ``pages`` A4 pages."""
    return quote_by_volume(pages).amount


# ---- The quote ----------------------------------------------------------------------------

@dataclass(frozen=True)
class FeeQuote:
    """What the measures charge for one application, with what a fee notice must state.

    ``quantity`` is the application's rank in the applicant's month (by application) or its
    number of pages (by volume); ``breakdown`` lists the bands that make up ``amount``.
    """

    method: FeeMethod
    quantity: int
    breakdown: tuple[BandCharge, ...]

    @property
    def amount(self) -> Decimal:
        """The fee in yuan."""
        return sum((c.subtotal for c in self.breakdown), Decimal(0))

    @property
    def basis(self) -> str:
        """The legal basis (收费依据) as cited in the fee notice."""
        return f"{MEASURES}{self.method.article_zh}"

    @property
    def standard(self) -> str:
        """The standard (收费标准) in the words of the measures."""
        if self.method is FeeMethod.BY_APPLICATION:
            return _APPLICATION_STANDARD
        return _VOLUME_STANDARD

    @property
    def notice_text(self) -> str:
        """What a fee notice must state: the calculation, the basis and the standard."""
        return "\n".join([self.calculation, f"收费依据：{self.basis}", f"收费标准：{self.standard}"])

    @property
    def calculation(self) -> str:
        """How the amount follows from the standard, for the notice and the applicant."""
        if self.method is FeeMethod.BY_APPLICATION:
            (charge,) = self.breakdown
            head = f"本申请为同一申请人本自然月内累计第{self.quantity}件申请，"
            if not charge.subtotal:
                return f"{head}在{FREE_APPLICATIONS}件以下（含{FREE_APPLICATIONS}件），不收费。"
            return (f"{head}属{_range(charge.band, '件')}的部分，"
                    f"{charge.band.unit_yuan}元/件，收费{self.amount}元。")
        if not self.amount:
            return f"本申请共{self.quantity}页，在{FREE_PAGES}页以下（含{FREE_PAGES}页），不收费。"
        parts = [
            f"第{c.first}—{c.last}页不收费" if not c.subtotal
            else f"第{c.first}—{c.last}页共{c.units}页，{c.band.unit_yuan}元/页，计{c.subtotal}元"
            for c in self.breakdown
        ]
        return f"本申请共{self.quantity}页：{'；'.join(parts)}。合计{self.amount}元。"

    def as_json_object(self) -> dict[str, Any]:
        """A JSON-ready description; amounts are whole yuan, so they are JSON integers."""
        return {
            "method": self.method.value,
            "method_zh": self.method.label_zh,
            "quantity": self.quantity,
            "yuan": int(self.amount),
            "basis": self.basis,
            "standard": self.standard,
            "calculation": self.calculation,
            "breakdown": [
                {
                    "band_first": c.band.first,
                    "band_last": c.band.last,
                    "first": c.first,
                    "last": c.last,
                    "units": c.units,
                    "unit_yuan": int(c.band.unit_yuan),
                    "subtotal_yuan": int(c.subtotal),
                }
                for c in self.breakdown
            ],
        }


def _range(band: Band, unit: str) -> str:
    return f"{band.first}{unit}以上" if band.last is None else f"{band.first}—{band.last}{unit}"


def _standard_text(free_last: int, paid: list[str], unit: str) -> str:
    """A standard in the measures' own phrasing, built from the bands so it cannot drift."""
    return f"{free_last}{unit}以下（含{free_last}{unit}）的，不收费；" + "；".join(paid) + "。"


_APPLICATION_STANDARD = "按件计收，按照超额累进方式计算：同一申请人一个自然月内累计申请" + _standard_text(
    FREE_APPLICATIONS,
    [
        f"{_range(FIRST_PAID_BAND, '件')}（含{FIRST_PAID_LAST}件）的部分："
        f"{FIRST_PAID_BAND.unit_yuan}元/件",
        f"{FIRST_PAID_LAST + 1}件以上的部分：以{BAND_SIZE}件为一档，"
        f"每增加一档，收费标准提高{BAND_STEP_YUAN}元/件",
    ],
    "件",
)
_VOLUME_STANDARD = "按量计收，按照超额累进方式计算，以A4幅面计页：" + _standard_text(
    FREE_PAGES,
    [
        f"{_range(b, '页')}" + ("" if b.last is None else f"（含{b.last}页）")
        + f"的部分：{b.unit_yuan}元/页"
        for b in VOLUME_BANDS[1:]
    ],
    "页",
)


def _require_whole(name: str, value: object, *, minimum: int) -> None:
    """Reject what is not a whole number at least ``minimum`` (bool included, though an int)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
