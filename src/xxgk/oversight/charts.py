"""The scorecard's charts: SVG rendered on the server, readable without JavaScript.

pygal draws them; :func:`finish` then makes each one fit to be inlined in a page that works
offline: it removes pygal's comments (which carry its web addresses) and its script (the
tooltips need JavaScript, which the page does not rely on), names the chart for assistive
technology (``role="img"`` labelled by a ``<title>``, described by a ``<desc>``), and
refuses any reference to an external resource. Every chart is shown next to a table with
the same figures, so nothing is only in the picture.
"""

from __future__ import annotations

import unicodedata
import xml.etree.ElementTree as ET  # noqa: N817  (the usual name)
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pygal
from django.utils.dates import MONTHS_3
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pygal.style import Style

from xxgk import taxonomy

from .scores import Rate

FONT_FAMILY = '"Noto Sans CJK SC", sans-serif'
WIDTH = 720  # about the width the page gives a chart, so text is drawn near 1:1
BAR_HEIGHT = 28  # pixels per bar of a horizontal chart
# The site's palette (site.css); the first colour is the district red.
COLOURS = ("#a8171a", "#0a4fa8", "#1a7f37", "#9a6700", "#57606a", "#8250df")
# Appeal results in the order the national table prints them, each with a colour.
APPEAL_COLOURS = {"upheld": "#1a7f37", "corrected": "#a8171a", "other": "#0a4fa8",
                  "pending": "#8c959f"}

STYLE = Style(
    font_family=FONT_FAMILY,
    background="transparent",
    plot_background="#ffffff",
    foreground="#1f2328",
    foreground_strong="#1f2328",
    foreground_subtle="#57606a",
    colors=COLOURS,
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=12,
    legend_font_size=14,
    tooltip_font_size=13,
    no_data_font_size=20,
)
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# Attributes through which an SVG could load something from elsewhere.
_REFERENCE_ATTRIBUTES = ("href", "{http://www.w3.org/1999/xlink}href", "src")


class ExternalReferenceError(ValueError):
    """A chart that would load something from outside the page."""


@dataclass(frozen=True)
class Chart:
    """A chart and the table of its figures. ``rows`` are (row header, cells)."""

    key: str
    title: str
    description: str
    svg: SafeString
    columns: Sequence[str]
    rows: Sequence[tuple[str, Sequence[Any]]]


def _config(**options: Any) -> dict[str, Any]:
    """pygal's options for every chart: no XML declaration (the SVG is inlined), no script
    (pygal links its tooltip script from a CDN by default), the CJK font."""
    return {
        "disable_xml_declaration": True,
        "js": [],
        "style": STYLE,
        "width": WIDTH,
        "show_legend": False,
        "truncate_label": -1,
        "truncate_legend": -1,
        "no_data_text": _("No data for this year"),
        **options,
    }


def finish(svg: str, key: str, title: str, description: str) -> SafeString:
    """pygal's output made self-contained and accessible (see the module text)."""
    # pygal's own output, never a user's file; the default parser drops the comments.
    root = ET.fromstring(svg)  # noqa: S314
    for parent in list(root.iter()):
        for script in parent.findall(f"{{{SVG_NAMESPACE}}}script"):
            parent.remove(script)
    for element in root.iter():
        for name in _REFERENCE_ATTRIBUTES:
            if element.get(name, "").strip() and not element.get(name).startswith("#"):
                raise ExternalReferenceError(f"{element.tag} refers to {element.get(name)}")
    for style in root.iter(f"{{{SVG_NAMESPACE}}}style"):
        if "url(" in (style.text or "") or "@import" in (style.text or ""):
            raise ExternalReferenceError("a style sheet of the chart loads a resource")
    title_node = root.find(f"{{{SVG_NAMESPACE}}}title")
    if title_node is None:
        title_node = ET.SubElement(root, f"{{{SVG_NAMESPACE}}}title")
    root.remove(title_node)
    title_node.text = title
    title_node.set("id", f"{key}-title")
    desc_node = ET.Element(f"{{{SVG_NAMESPACE}}}desc", id=f"{key}-desc")
    desc_node.text = description
    # Assistive technology names an SVG by its first <title> child.
    root.insert(0, desc_node)
    root.insert(0, title_node)
    root.set("role", "img")
    root.set("aria-labelledby", f"{key}-title")
    root.set("aria-describedby", f"{key}-desc")
    root.set("class", f"{root.get('class', '')} oversight-chart".strip())
    # Our own SVG, with every text escaped by the serialiser.
    # Unprefixed names, as pygal and browsers write SVG: each tag loses its namespace and
    # the root declares it once.
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG_NAMESPACE}}}")
    root.set("xmlns", SVG_NAMESPACE)
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308


def label_margin(labels: Sequence[str], font_size: int = STYLE.label_font_size) -> int:
    """The room pygal's label estimate lacks: it takes every character to be 0.6 em wide,
    which cuts Chinese labels short (a CJK character is a full em)."""
    def lacking(label: str) -> float:
        return sum(0.4 for char in label if unicodedata.east_asian_width(char) in "WF")
    return round(max((lacking(label) for label in labels), default=0) * font_size)


def _percent(value: float) -> str:
    return f"{number_format(value, 1)}%"


def on_time_chart(entries: Sequence[tuple[str, Rate]]) -> Chart:
    """A horizontal bar per agency: its share of applications replied on time, out of those
    that fell due (``Figures.on_time``), highest first. Agencies with nothing due have no
    bar."""
    measured = sorted(((label, rate) for label, rate in entries if rate.percent is not None),
                      key=lambda item: -item[1].percent)
    title = _("Applications replied on time, by agency")
    if measured:
        low, high = measured[-1], measured[0]
        description = _("Horizontal bar chart of %(n)d agencies, from %(high)s (%(high_name)s) "
                        "to %(low)s (%(low_name)s). The table after the chart gives the same "
                        "figures.") % {
            "n": len(measured), "high": _percent(high[1].percent), "high_name": high[0],
            "low": _percent(low[1].percent), "low_name": low[0]}
    else:
        description = _("No application fell due this year: none was closed with a running "
                        "period and none is open past its due date.")
    # pygal draws the first label at the bottom: reversed, the highest is on top.
    drawn = list(reversed(measured))
    chart = pygal.HorizontalBar(**_config(
        height=max(180, 90 + BAR_HEIGHT * len(drawn)), range=(0, 100), print_values=True,
        margin_left=label_margin([label for label, _rate in drawn]),
        value_formatter=_percent, x_title=_("Replied on time (%)")))
    chart.x_labels = [label for label, _rate in drawn]
    chart.add(_("Replied on time"), [rate.percent for _label, rate in drawn])
    return Chart(
        "on-time", title, description, finish(chart.render(is_unicode=True), "on-time", title,
                                              description),
        columns=[_("Agency"), _("Replied on time"), _("On time"),
                 _("Fell due (closed with a due date, or open past it)")],
        rows=[(label, [_percent(rate.percent), rate.part, rate.whole])
              for label, rate in measured],
    )


def monthly_chart(months: Sequence[tuple[int, int, int]]) -> Chart:
    """Two lines over the twelve months: applications received and applications closed."""
    title = _("Applications per month")
    received = [r for _m, r, _c in months]
    closed = [c for _m, _r, c in months]
    description = _("Line chart of the applications received (%(received)d in the year) and "
                    "closed (%(closed)d) in each month. The table after the chart gives the "
                    "same figures.") % {"received": sum(received), "closed": sum(closed)}
    chart = pygal.Line(**_config(height=360, show_legend=True, legend_at_bottom=True,
                                 print_values=False, dots_size=3, include_x_axis=True,
                                 y_title=_("Applications")))
    chart.x_labels = [str(MONTHS_3[month]) for month, _r, _c in months]
    chart.add(_("Received"), received)
    chart.add(_("Closed"), closed)
    return Chart(
        "monthly", title, description, finish(chart.render(is_unicode=True), "monthly", title,
                                              description),
        columns=[_("Month"), _("Received"), _("Closed")],
        rows=[(str(MONTHS_3[month]), [r, c]) for month, r, c in months],
    )


def _result_label(category: taxonomy.Category) -> str:
    return category.label_en if get_language() == "en" else category.label_zh


def appeals_chart(entries: Sequence[tuple[str, Mapping[str, int]]]) -> Chart:
    """A stacked horizontal bar per agency with cases filed in the year: its cases by
    result as of 31 December."""
    with_cases = [(label, counts) for label, counts in entries if sum(counts.values())]
    results = taxonomy.APPEAL_RESULTS
    title = _("Appeal results, by agency")
    total = sum(sum(counts.values()) for _label, counts in with_cases)
    if with_cases:
        description = _("Stacked bar chart of the %(n)d reconsideration and litigation cases "
                        "filed in the year against %(agencies)d agencies, by result as of "
                        "31 December. The table after the chart gives the same figures.") % {
            "n": total, "agencies": len(with_cases)}
    else:
        description = _("No reconsideration or litigation case was filed this year.")
    drawn = list(reversed(with_cases))
    style = Style(**{**STYLE.to_dict(),
                     "colors": tuple(APPEAL_COLOURS[c.key] for c in results)})
    chart = pygal.HorizontalStackedBar(**_config(
        style=style, height=max(200, 130 + BAR_HEIGHT * len(drawn)), show_legend=True,
        legend_at_bottom=True, print_values=True, print_zeroes=False,
        margin_left=label_margin([label for label, _counts in drawn]),
        x_title=_("Cases")))
    chart.x_labels = [label for label, _counts in drawn]
    for category in results:
        chart.add(_result_label(category), [counts.get(category.key, 0) or None
                                            for _label, counts in drawn])
    return Chart(
        "appeals", title, description, finish(chart.render(is_unicode=True), "appeals", title,
                                              description),
        columns=[_("Agency"), *(_result_label(c) for c in results)],
        rows=[(label, [counts.get(c.key, 0) for c in results]) for label, counts in with_cases],
    )
