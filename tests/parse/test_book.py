"""The nine real 2017 cases: every header field, checked against the book's own table of contents."""

from __future__ import annotations

import pytest

EXPECTED = [
    # (municipality, region, title as the table of contents prints it, pledges)
    (
        "수원시",
        "경기",
        "사람중심의 가치 실현! 따뜻한 사회적 공유 공동체로 완성되는 더 큰 수원",
        ["사회적 경제 활성화(사회적 기업, 협동조합 확대)", "작지만 큰 힘되는 공유경제 활성화 추진"],
    ),
    ("남양주시", "경기", "민관협력을 통한 기술기반형 사회적기업 육성", []),
    (
        "이천시",
        "경기",
        "“양질의 일자리가 최고의 복지정책”",
        ["일자리센터 운영 활성화 1만명 취업달성", "소규모산업단지 20개소 조성"],
    ),
    ("여주시", "경기", "지역 협동조합 활성화 기반마련", ["강천섬 명소화 사업(맘스아일랜드)"]),
    (
        "원주시",
        "강원",
        "美味未 문화, 맛, 희망, 「원주미로예술시장」에 빠지다.",
        ["문화를 통한 원도심 활성화"],
    ),
    ("청주시", "충북", "경력단절 여성에게 내일(JOB)이 있는 청주!!", ["여성일자리창출 기반확대 및 강화"]),
    (
        "정읍시",
        "전북",
        "『공동체 시스템』을 활용한 실패없는 정읍형 사회적경제기업 육성",
        ["사회적 경제 육성", "장애인 사회적기업 육성"],
    ),
    (
        "경산시",
        "경북",
        "청년희망도시 경산의 일자리 늘리기",
        [
            "경산 지식산업지구 건설",
            "경산4일반산업단지 조기 추진",
            "부품소재 기업유치",
            "첨단 메디컬 융합 섬유소재 산업 조기 조성",
            "매년 일자리 1만개 창출",
            "노인사회 적합형 일자리 창출 및 맞춤형 고용지원",
        ],
    ),
    (
        "김해시",
        "경남",
        "사회적 일자리를 위해서는 사회적경제 인프라 구축이 필요하다!",
        ["사회적 약자를 위한 사회적 일자리 확대"],
    ),
]


def test_book_splits_into_nine_cases_in_order(seed_cases):
    assert [c.municipality for c in seed_cases] == [e[0] for e in EXPECTED]
    starts = [c.line_start for c in seed_cases]
    assert starts == sorted(starts)
    assert starts[0] == 26  # " 매니페스토 우수사례 소개서" of 수원시
    for case, following in zip(seed_cases, seed_cases[1:]):
        assert case.line_end < following.line_start


@pytest.mark.parametrize("index", range(9))
def test_header_fields(seed_cases, index):
    municipality, region, title, pledges = EXPECTED[index]
    case = seed_cases[index]
    assert case.municipality == municipality
    assert case.region == region
    assert case.group == "시"
    assert case.title == title
    assert case.field == "사회적경제"
    assert case.pledges == pledges
    assert case.form == "manifesto"
    assert case.warnings == []


def test_repeated_bold_title_is_clean_even_without_a_toc(seed_path):
    """청주's form prints "내일(JOB)내일(JOB)이 있는 청주청주청주 !!!!!!"; repair alone must fix it."""
    from casekit.ingest import read_source
    from casekit.parse import parse_document

    doc = read_source(seed_path)
    doc.lines = [line for line in doc.lines if line.number >= 1746]  # drop the table of contents
    case = parse_document(doc)[0]
    assert case.municipality == "청주시"
    assert case.title == "경력단절 여성에게 내일(JOB)이 있는 청주!!"


def test_field_found_in_older_seven_field_form_and_without_box(seed_cases):
    """정읍 uses the older seven-field form (사회적경제 is 3분야); 여주 writes "3분야-사회적경제 분야", no box."""
    by_name = {c.municipality: c for c in seed_cases}
    assert by_name["정읍시"].field == "사회적경제"
    assert by_name["여주시"].field == "사회적경제"


def test_subtitle_kept_when_the_toc_title_is_shorter(seed_cases):
    wonju = next(c for c in seed_cases if c.municipality == "원주시")
    assert wonju.subtitle == "(철거 위기에서 소통과 문화가 있는 문화관광시장으로 재생되다.)"


def test_case_ids_are_stable_across_parses(seed_path, seed_cases):
    from casekit.parse import parse_file

    again = parse_file(seed_path)
    assert [c.id for c in again] == [c.id for c in seed_cases]
    assert len({c.id for c in seed_cases}) == 9


def test_case_lines_point_into_the_original_file(seed_path, seed_cases):
    original = seed_path.read_text(encoding="utf-8").splitlines()
    for case in seed_cases:
        for line in case.lines[:50]:
            raw = original[line.number - 1]
            for offset, ch in enumerate(line.text):
                if ch.isdigit() or "가" <= ch <= "힣":
                    assert raw[line.original_col(offset)] == ch, (line.number, line.text)
