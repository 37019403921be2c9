"""Korean numerals and declared units, as the extractor reads them."""

from __future__ import annotations

import pytest

from casekit.metrics.units import parse_korean_number, parse_unit_phrase


@pytest.mark.parametrize(
    ("text", "norm"),
    [
        ("1억 5천만", 150_000_000),
        ("40,000천", 40_000_000),
        ("2억 8천", 280_000_000),  # 만 elided after 억
        ("8천8백억", 880_000_000_000),
        ("3천만", 30_000_000),
        ("35천", 35_000),
        ("3,287백만", 3_287_000_000),
        ("0.4억", 40_000_000),
        ("12", 12),
    ],
)
def test_korean_number_norm(text: str, norm: float) -> None:
    value, multiplier = parse_korean_number(text)
    assert value * multiplier == pytest.approx(norm)


def test_single_number_keeps_value_as_written() -> None:
    assert parse_korean_number("3,287백만") == (3287.0, 1e6)
    assert parse_korean_number("1억 5천만") == (1.5, 1e8)


@pytest.mark.parametrize(
    ("phrase", "kind", "unit", "multiplier"),
    [
        ("백만원", "money", "원", 1e6),
        ("10억원", "money", "원", 1e9),
        ("천불", "money", "달러", 1e3),
        ("명", "persons", "명", 1.0),
        ("개소", "count", "개소", 1.0),
        ("%", "percent", "%", 1.0),
        ("ha", "area", "㎡", 1e4),
    ],
)
def test_declared_units(phrase: str, kind: str, unit: str, multiplier: float) -> None:
    parsed = parse_unit_phrase(phrase)
    assert parsed is not None
    info, mult = parsed
    assert (info.kind, info.unit, mult) == (kind, unit, multiplier)


def test_unknown_or_mixed_declaration_is_refused() -> None:
    assert parse_unit_phrase("천원, 명") is None
    assert parse_unit_phrase("기준") is None


def test_every_unit_word_is_read_after_a_number() -> None:
    """Each unit of the table reaches the extractor (the line pre-filter must not drop any)."""
    from casekit.ingest.model import Line
    from casekit.metrics import extract_from_lines
    from casekit.metrics.units import UNITS

    # Units read only in their context: points beside a rise or fall, 과 among organization units.
    contexts = {"P": "합계 5P 상승", "과": "조직 5과 개편"}
    for word, info in UNITS.items():
        if word == "$":
            continue  # a prefix: "$5"
        found = extract_from_lines([Line(contexts.get(word, f"합계 5{word} 달성"), 1)])
        assert [(m.kind, m.unit) for m in found] == [(info.kind, info.unit)], word


# -- units and kinds the case book never used (one test per class, on text written for it) --------------


def _read(text: str) -> list[tuple[str, str, float, str]]:
    from casekit.metrics import extract_from_text

    return [(m.text, m.kind, m.norm, m.unit) for m in extract_from_text(text)]


def test_livestock_heads() -> None:
    assert _read("한우 1,250두 사육, 돼지 300두") == [
        ("1,250두", "count", 1250, "두"),
        ("300두", "count", 300, "두"),
    ]


def test_organization_units() -> None:
    assert _read("조직 개편: 2본부 12과 45담당 3팀") == [
        ("2본부", "count", 2, "본부"),
        ("12과", "count", 12, "과"),
        ("45담당", "count", 45, "담당"),
        ("3팀", "count", 3, "팀"),
    ]
    assert _read("1과 2를 비교") == []  # 과 is also "and"


def test_markets() -> None:
    assert _read("전통시장 5시장 지원") == [("5시장", "count", 5, "시장")]


def test_durations_in_years_and_months_are_not_counts_of_gae() -> None:
    assert _read("제3차 5개년 계획, 3개년도 사업, 6개월 과정") == [
        ("5개년", "duration", 5, "년"),
        ("3개년도", "duration", 3, "년"),
        ("6개월", "duration", 6, "개월"),
    ]


def test_trips_in_nights_and_days() -> None:
    assert _read("2박3일 연수, 1박 2일 캠프") == [
        ("2박", "duration", 2, "박"),
        ("3일", "duration", 3, "일"),
        ("1박", "duration", 1, "박"),
        ("2일", "duration", 2, "일"),
    ]
    assert _read("5월 3일 개최") == []  # a date, not a duration


def test_weights_areas_volumes_energy_and_power() -> None:
    assert _read("연 120kg, 23천톤, 1.9ha, 3,500㎥, 1,200toe, 400MW") == [
        ("120kg", "other", 120, "kg"),
        ("23천톤", "other", 23_000, "톤"),
        ("1.9ha", "area", 19_000, "㎡"),
        ("3,500㎥", "other", 3500, "㎥"),
        ("1,200toe", "other", 1200, "toe"),
        ("400MW", "power", 400_000, "kW"),
    ]


def test_dollars_with_magnitudes() -> None:
    assert _read("수출 5천 달러, 1억달러, $2.5만") == [
        ("5천 달러", "money", 5000, "달러"),
        ("1억달러", "money", 1e8, "달러"),
        ("$2.5만", "money", 25_000, "달러"),
    ]


def test_thousands_and_tens_of_thousands_of_persons() -> None:
    assert _read("관광객 35천명, 참여 1만명") == [
        ("35천명", "persons", 35_000, "명"),
        ("1만명", "persons", 10_000, "명"),
    ]


def test_spaced_units_after_a_magnitude() -> None:
    assert _read("사업비 20억 원→2,000억 원, 120,000백만 원") == [
        ("20억 원", "money", 2e9, "원"),
        ("2,000억 원", "money", 2e11, "원"),
        ("120,000백만 원", "money", 1.2e11, "원"),
    ]


def test_points_beside_a_rise_or_fall() -> None:
    assert _read("만족도 3.5P 상승, 2.1포인트 하락, 실업률 0.4%p 감소") == [
        ("3.5P", "percent", 3.5, "%p"),
        ("2.1포인트", "percent", 2.1, "%p"),
        ("0.4%p", "percent", 0.4, "%p"),
    ]
    assert _read("보고서 12P 분량") == []  # pages, not points


def test_per_one_is_a_denominator() -> None:
    assert _read("1인당 50만원, 1가구당 2회") == [
        ("50만원", "money", 500_000, "원"),
        ("2회", "count", 2, "회"),
    ]
