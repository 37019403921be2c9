"""Passages follow sections, cover every line once, stay a sensible size and keep original line numbers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casekit.ingest.model import Line
from casekit.parse.model import Case, Section
from casekit.retrieval.passages import PASSAGE_MAX_CHARS, split_passages

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from benchmarks.synth import generate_case_book, synth_cases  # noqa: E402


def _check_cover(case: Case) -> None:
    passages = split_passages(case)
    assert passages, case.id
    numbers = [n for p in passages for n in p.line_numbers]
    assert numbers == sorted(line.number for line in case.lines)  # every line once, in order
    for p in passages:
        assert p.case_id == case.id
        assert case.line_start <= p.line_start <= p.line_end <= case.line_end
        assert p.text.count("\n") == len(p.line_numbers) - 1
        assert p.original.count("\n") == p.text.count("\n")
        longest_line = max(len(t) for t in p.text.split("\n"))
        assert len(p.text) <= max(PASSAGE_MAX_CHARS * 1.6, longest_line + PASSAGE_MAX_CHARS)


def test_seed_cases_are_covered(seed_cases):
    for case in seed_cases:
        _check_cover(case)
    total = sum(len(split_passages(c)) for c in seed_cases)
    assert 9 * 8 <= total <= 9 * 40  # neither one blob per case nor one line per passage


def test_passages_name_their_section(seed_cases):
    gyeongsan = next(c for c in seed_cases if c.municipality == "경산시")
    passages = split_passages(gyeongsan)
    assert passages[0].section == "개요" and passages[0].kind == "header"
    trade = next(p for p in passages if "무역사절단" in p.text)
    assert trade.section.startswith("2. 산업단지 확충")
    assert trade.kind == "process"  # inherited from the enclosing □ 우수사례 section
    assert trade.line_start <= 2588 <= trade.line_end


def test_original_text_is_what_the_file_holds(seed_cases, seed_path):
    raw = seed_path.read_text(encoding="utf-8").splitlines()
    cheongju = next(c for c in seed_cases if c.municipality == "청주시")
    for p in split_passages(cheongju)[:10]:
        for number, original in zip(p.line_numbers, p.original.split("\n")):
            assert raw[number - 1] == original


def _case(lines: list[str], sections: list[Section]) -> Case:
    return Case(
        id="t-1",
        source="t.txt",
        line_start=1,
        line_end=len(lines),
        region=None,
        municipality="수원시",
        group="시",
        title="t",
        field=None,
        pledges=[],
        summary="",
        sections=sections,
        lines=[Line(text, i + 1) for i, text in enumerate(lines) if text],
    )


def test_small_sections_merge_and_long_ones_split():
    lines = ["□ 추진배경", "짧음", "□ 추진내용"] + [
        f"○ 사회적기업 육성 사업 {i}번 추진 내용 설명 " * 3 for i in range(40)
    ]
    sections = [
        Section("□ 추진배경", "background", 1, 2, 2),
        Section("□ 추진내용", "process", 3, len(lines), 2),
    ]
    passages = split_passages(_case(lines, sections))
    _check_cover(_case(lines, sections))
    assert passages[0].line_start == 1 and passages[0].section == "□ 추진배경"
    assert len(passages) >= 4  # 40 long lines do not fit one passage
    assert all(p.kind in ("background", "process") for p in passages)


def test_case_without_sections_still_splits():
    lines = [f"문장 {i} 사회적경제 활성화 추진 내용입니다" for i in range(100)]
    passages = split_passages(_case(lines, []))
    assert len(passages) > 3 and {p.section for p in passages} == {"개요"}


@pytest.mark.parametrize("seed", [0, 7])
def test_synthetic_books_parse_and_split(tmp_path, seed):
    from casekit.parse import parse_file

    path = tmp_path / "book.txt"
    path.write_text(generate_case_book(12, seed=seed), encoding="utf-8")
    cases = parse_file(path)
    truth = synth_cases(12, seed=seed)
    assert [c.municipality for c in cases] == [t.municipality for t in truth]
    assert [c.field for c in cases] == [t.field for t in truth]
    for case in cases:
        _check_cover(case)


@settings(max_examples=60, deadline=None)
@given(
    lengths=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=60),
    heading_at=st.sets(st.integers(min_value=0, max_value=59), max_size=15),
)
def test_any_shape_is_covered_exactly_once(lengths, heading_at):
    """Whatever the line lengths (blank lines dropped) and headings, each text line is in one passage."""
    lines = [("가나다 " * (n // 4 + 1))[:n] for n in lengths]
    if not any(lines):
        lines[0] = "내용"
    starts = sorted(i for i in heading_at if i < len(lines))
    sections = [
        Section(f"□ 제목{i}", None, i + 1, (starts[k + 1] if k + 1 < len(starts) else len(lines)), 2)
        for k, i in enumerate(starts)
    ]
    _check_cover(_case(lines, sections))
