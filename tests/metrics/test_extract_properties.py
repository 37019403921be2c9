"""Properties over arbitrary text: never raise, evidence points at the text, norm == value × multiplier."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from casekit.ingest.model import Line
from casekit.metrics import extract_from_lines, extract_from_text

# Text that looks like case reports: Hangul, digits, separators, units and magnitude words, markup.
PIECES = st.sampled_from(
    [
        "명",
        "개소",
        "천원",
        "백만원",
        "억",
        "억원",
        "만",
        "천",
        "%",
        "%p",
        "㎡",
        "m2",
        "평",
        "개월",
        "년",
        "배",
        "kW",
        "$",
        "달러",
        "천불",
        "△",
        "-",
        "~",
        "～",
        "→",
        "➡",
        "(",
        ")",
        ",",
        ".",
        ":",
        " ",
        "\t",
        "(단위 : 천원)",
        "구분 2014 2015",
        "<li>",
        "</li>",
        "&nbsp;",
        "제",
        "호점",
        "‘",
        "사업비",
        "참여",
        "목표",
        "계획",
        "지원",
        "1",
        "12",
        "3,287",
        "40,000",
        "0.5",
        "2016.",
        "10",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=4)), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=6))
def test_never_raises_and_evidence_points_at_the_text(texts: list[str]) -> None:
    lines = [Line(t.replace("\n", " ").replace("\r", " "), i + 1) for i, t in enumerate(texts)]
    by_number = {line.number: line for line in lines}
    for metric in extract_from_lines(lines, case_id="c", source="s"):
        original = by_number[metric.line].original_text
        assert original[metric.col : metric.col + len(metric.text)] == metric.text
        assert metric.text and any(ch.isdigit() for ch in metric.text)
        assert metric.norm == metric.value * metric.multiplier
        assert math.isfinite(metric.norm)
        assert metric.kind in {
            "money",
            "persons",
            "count",
            "percent",
            "area",
            "duration",
            "power",
            "ratio",
            "other",
        }
        assert metric.temporal in {"actual", "planned"}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_any_unicode(text: str) -> None:
    line = Line(text.replace("\n", " ").replace("\r", " "), 1)
    for metric in extract_from_lines([line]):
        assert line.text[metric.col : metric.col + len(metric.text)] == metric.text
        assert metric.norm == metric.value * metric.multiplier


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=1, max_value=10**9),
    st.sampled_from(["명", "개소", "천원", "억원", "%", "㎡"]),
    st.text(alphabet="가나다라마바사 ", max_size=10),
)
def test_a_written_quantity_is_found_once(number: int, unit: str, prefix: str) -> None:
    text = f"{prefix} {number:,}{unit} 지원"
    found = extract_from_lines([Line(text, 1)])
    assert len(found) == 1
    assert found[0].value == number


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(PIECES, st.sampled_from(["\n", "\r\n", "\n\n", " \n", "\u2028"]), st.text(max_size=4)),
        max_size=40,
    ).map("".join)
)
def test_text_evidence_points_into_the_text(text: str) -> None:
    lines = text.splitlines()
    for metric in extract_from_text(text):
        assert lines[metric.line - 1][metric.col : metric.col + len(metric.text)] == metric.text
        assert metric.norm == metric.value * metric.multiplier
