"""Form shapes other than the seed book's: other check marks, box-first lists, tab tables, colons."""

from __future__ import annotations

import pytest

from casekit.ingest import read_source
from casekit.ingest.model import Line
from casekit.parse import parse_document
from casekit.parse.form import parse_field, split_pledges


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("1분야-사회적경제 분야( ◌ ), 2분야-도시재생 분야( )", "사회적경제"),
        ("1분야-사회적경제 분야( ), 2분야-도시재생 분야( √ )", "도시재생"),
        (
            "1분야-청렴 분야( ), 2분야-일자리 분야( ), 3분야-사회적경제 분야(○ ), 4분야-도시재생 분야( )",
            "사회적경제",
        ),
        ("3분야-사회적경제 분야", "사회적경제"),
        ("1분야 - 사회적경제 분야", "사회적경제"),
        ("■ 사회적경제  □ 도시재생  □ 청년문제해소", "사회적경제"),
        ("☐ 청렴 분야 ☑ 일자리 분야", "일자리"),
        ("[ ] 주민참여 [V] 일자리", "일자리"),
        ("사회적경제( ) 도시재생(○) 청년문제해소( )", "도시재생"),
        ("( ) 참여예산제 (❍) 지역문화활성화", "지역문화활성화"),
        ("1. 청렴 ( )  2. 일자리 (O)", "일자리"),
    ],
)
def test_checked_field_whatever_the_mark(text, field):
    assert parse_field(text) == (field, [])


def test_no_checked_box_is_unknown_with_a_warning():
    name, warnings = parse_field("1분야-사회적경제 분야( ), 2분야-도시재생 분야( )")
    assert name is None
    assert warnings == ["분야: no box is checked"]


@pytest.mark.parametrize(
    ("lines", "pledges"),
    [
        (["(해당되는 경우 관련 공약명 기재)"], []),
        (
            ["① 경산 지식산업지구 건설        ② 경산4일반산업단지 조기 추진", "③ 부품소재 기업유치"],
            ["경산 지식산업지구 건설", "경산4일반산업단지 조기 추진", "부품소재 기업유치"],
        ),
        (
            ["- 사회적 경제 활성화(사회적 기업, 협동조합 확대)", "- 공유경제 활성화 추진"],
            ["사회적 경제 활성화(사회적 기업, 협동조합 확대)", "공유경제 활성화 추진"],
        ),
        (
            ["일자리센터 운영 활성화 1만명 취업달성, 소규모산업단지 20개소 조성"],
            ["일자리센터 운영 활성화 1만명 취업달성", "소규모산업단지 20개소 조성"],
        ),
    ],
)
def test_pledge_lists(lines, pledges):
    assert split_pledges([Line(text, i + 1) for i, text in enumerate(lines)]) == pledges


TAB_FORM = (
    "우수사례 소개서\n"
    "지자체명\t서울특별시 금천구\n"
    "사례명\t청년이 머무는 금천 : 청년창업 공간 조성\n"
    "분야\t■ 청년문제해소 □ 도시재생\n"
    "관련공약\t청년 창업 지원 확대\n"
    "사례요약\n"
    "□ 추진배경\n"
    "○ 청년 유출 심화\n"
    "우수사례 소개서\n"
    "지자체명 : 강원도 고성군\n"
    "사 례 명 : 평화지역 주민참여예산\n"
    "분    야 : 참여예산제(○), 도시재생( )\n"
    "관련공약 : 주민참여예산 확대\n"
    "사례요약\n"
    "○ 주민 제안 사업 42건 반영\n"
)


def test_tab_table_and_colon_forms_in_one_book(tmp_path):
    path = tmp_path / "book.txt"
    path.write_text(TAB_FORM, encoding="utf-8")
    first, second = parse_document(read_source(path))
    assert (first.region, first.municipality, first.group) == ("서울", "금천구", "구")
    assert first.title == "청년이 머무는 금천 : 청년창업 공간 조성"
    assert first.field == "청년문제해소"
    assert first.pledges == ["청년 창업 지원 확대"]
    assert (first.line_start, first.line_end) == (1, 8)
    # 고성군 exists in 강원 and 경남: the form's province decides.
    assert (second.region, second.municipality, second.group) == ("강원", "고성군", "군")
    assert second.field == "참여예산제"
    assert second.summary == "○ 주민 제안 사업 42건 반영"
    assert second.line_start == 9


def test_html_list_export_from_a_converter(tmp_path):
    path = tmp_path / "export.html"
    path.write_text(
        "<p>매니페스토 우수사례 소개서</p>\n<p>지자체명 경상남도 김해시</p>\n<p>사 례 명 사회적 일자리 확대</p>\n"
        "<p>분    야 1분야-사회적경제 분야(○)</p>\n<p>관련공약 사회적 일자리 확대</p>\n<p>사례요약</p>\n"
        "<ul><li>○ 지원금액 : 30,000천원</li><li>○ 참여기업 : 12개사</li></ul>\n",
        encoding="utf-8",
    )
    (case,) = parse_document(read_source(path))
    assert case.municipality == "김해시" and case.field == "사회적경제"
    assert case.summary.splitlines() == ["○ 지원금액 : 30,000천원", "○ 참여기업 : 12개사"]
    assert all(line.number == 7 for line in case.lines_between(7, 7))
