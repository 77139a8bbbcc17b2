"""The charts are self-contained, valid, accessible SVG."""

import re

import pytest
from django.utils import translation
from lxml import etree

from xxgk.oversight import charts
from xxgk.oversight.scores import Rate

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def _all_charts():
    return [
        charts.on_time_chart([("教育委员会", Rate(9, 10)), ("什刹海街道办事处", Rate(1, 1)),
                              ("财政局", Rate(0, 0))]),
        charts.monthly_chart([(m, m, m // 2) for m in range(1, 13)]),
        charts.appeals_chart([("教育委员会", {"upheld": 3, "corrected": 1, "other": 0,
                                              "pending": 2}),
                              ("财政局", {"upheld": 0, "corrected": 0, "other": 0,
                                          "pending": 0})]),
        charts.on_time_chart([]),
        charts.appeals_chart([]),
    ]


def _parse(svg: str):
    return etree.fromstring(svg.encode(), etree.XMLParser(resolve_entities=False,
                                                            no_network=True))


@pytest.mark.parametrize("index", range(5))
def test_every_chart_is_valid_xml_with_no_external_reference_and_no_script(index):
    chart = _all_charts()[index]
    root = _parse(chart.svg)
    assert root.tag == f"{SVG}svg"
    # The only web address is the SVG namespace's name, which is never fetched.
    assert re.findall(r"https?:[^\"' )]*", chart.svg) == ["http://www.w3.org/2000/svg"]
    assert "xmlns:xlink" not in chart.svg and "<!--" not in chart.svg
    assert not list(root.iter(f"{SVG}script")) and "<script" not in chart.svg
    for element in root.iter():
        assert not any(name.endswith("href") or name == "src" for name in element.attrib)
    assert "url(" not in chart.svg and "@import" not in chart.svg


@pytest.mark.parametrize("index", range(5))
def test_every_chart_is_named_for_assistive_technology(index):
    chart = _all_charts()[index]
    root = _parse(chart.svg)
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and title.text == chart.title
    assert desc.tag == f"{SVG}desc" and desc.text == chart.description
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert 'font-family:"Noto Sans CJK SC",sans-serif' in chart.svg


def test_the_on_time_chart_draws_a_bar_per_measured_agency_and_tabulates_the_same():
    chart = _all_charts()[0]
    assert [row[0] for row in chart.rows] == ["什刹海街道办事处", "教育委员会"]  # highest first
    assert chart.rows[1][1] == ["90.0%", 9, 10]
    assert "财政局" not in chart.svg  # nothing closed, no bar
    assert "什刹海街道办事处" in chart.svg and "90.0%" in chart.svg
    assert "90.0%" in chart.description and "100.0%" in chart.description


def test_the_appeals_chart_leaves_out_agencies_without_cases():
    chart = _all_charts()[2]
    assert [row[0] for row in chart.rows] == ["教育委员会"]
    assert chart.rows[0][1] == [3, 1, 0, 2]
    assert chart.columns[1:] == ["结果维持", "结果纠正", "其他结果", "尚未审结"]


def test_an_external_reference_is_refused():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><image href="http://example.com/x.png"/>'
           '</svg>')
    with pytest.raises(charts.ExternalReferenceError):
        charts.finish(svg, "x", "t", "d")
    with pytest.raises(charts.ExternalReferenceError):
        charts.finish('<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(//x/y.css);'
                      '</style></svg>', "x", "t", "d")


def test_chinese_labels_get_the_room_pygal_does_not_give_them():
    assert charts.label_margin(["Finance"]) == 0
    assert charts.label_margin(["什刹海街道办事处", "财政局"]) == round(8 * 0.4 * 14)
