"""Sections of the real 2017 cases: where each summary ends, the headings, their levels, line ranges and kinds."""

from __future__ import annotations

SUMMARY_RANGES = {
    "수원시": (45, 97),
    "남양주시": (489, 551),
    "이천시": (823, 857),
    "여주시": (1133, 1175),
    "원주시": (1525, 1575),
    "청주시": (1756, 1804),
    "정읍시": (2141, 2188),
    "경산시": (2554, 2606),
    "김해시": (2946, 3006),
}


def test_summary_ends_where_the_full_report_restarts(seed_cases):
    for case in seed_cases:
        summary = next(s for s in case.sections if s.kind == "summary")
        assert (summary.line_start, summary.line_end) == SUMMARY_RANGES[case.municipality], case.municipality
        assert (
            case.summary.splitlines()[0]
            == case.lines_between(summary.line_start + 1, summary.line_end)[0].text
        )


def test_gimhae_section_ranges(seed_cases):
    gimhae = next(c for c in seed_cases if c.municipality == "김해시")
    ranges = {(s.heading, s.line_start, s.line_end, s.kind) for s in gimhae.sections}
    assert ("Ⅰ  추진개요", 3007, 3025, "background") in ranges
    assert ("▣ 추진목표", 3009, 3016, "background") in ranges
    assert ("Ⅲ  추진실적", 3116, 3174, "process") in ranges
    assert ("Ⅳ  향후계획", 3175, 3207, "plan") in ranges
    top = [s for s in gimhae.sections if s.level == 1 and s.line_start > 3006]
    assert [s.heading[0] for s in top] == ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ"]


def test_namyangju_section_ranges(seed_cases):
    nyj = next(c for c in seed_cases if c.municipality == "남양주시")
    by_heading = {s.heading: s for s in nyj.sections}
    # The summary's own headings were printed three times over; repaired they appear once.
    assert {"□ 추진목적", "□ 추진배경", "□ 추진전략", "□ 주요성과"} <= set(by_heading)
    assert by_heading["□ 추진목적"].kind == "background"
    assert by_heading["□ 추진전략"].kind == "strategy"
    assert by_heading["□ 주요성과"].kind == "outcome"
    assert (by_heading["□ 추진목적"].line_start, by_heading["□ 추진목적"].line_end) == (491, 498)
    body_purpose = by_heading["1 추진목적"]
    assert body_purpose.line_start == 556 and body_purpose.kind == "background"
