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
