"""The taxonomy file: the bundled one is complete, an organizer's copy is validated with clear messages."""

from __future__ import annotations

import pytest

from casekit.outcomes.taxonomy import DEFAULT_TAXONOMY, TaxonomyError, load_taxonomy

REQUIRED = {
    "jobs": "일자리",
    "budget": "예산·사업비",
    "beneficiaries": "참여·수혜 인원",
    "organizations": "기업·조직 육성",
    "programs": "교육·행사",
    "facilities": "시설·공간",
    "revenue": "매출·소득",
    "rates": "비율 지표",
}


def test_the_bundled_taxonomy_has_every_category_with_kinds_and_cues() -> None:
    taxonomy = load_taxonomy()
    assert {k: v for k, v in taxonomy.names.items() if k in REQUIRED} == REQUIRED
    for category in taxonomy.categories:
        assert category.kinds and len(category.cues) >= 5, category.id
    assert taxonomy.category("jobs").accepts("persons", "명")
    assert not taxonomy.category("jobs").accepts("money", "원")
    assert taxonomy.category("beneficiaries").accepts("count", "가구")
    assert not taxonomy.category("beneficiaries").accepts("count", "개")


def test_the_taxonomy_ships_as_package_data() -> None:
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["casekit"]
    assert DEFAULT_TAXONOMY.suffix == ".yaml" and "**/*.yaml" in patterns


def test_an_organizer_can_add_a_category(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = DEFAULT_TAXONOMY.read_text(encoding="utf-8") + (
        "  - id: carbon\n    name: 탄소 감축\n    kinds: [other, percent]\n    headline: {kind: other}\n"
        "    cues: [탄소, 온실가스, 감축]\n"
    )
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_taxonomy(path).names["carbon"] == "탄소 감축"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "categories: [{id: jobs, name: 일자리, kinds: [people], headline: {kind: people}}]",
            "unknown metric kind",
        ),
        (
            "categories: [{id: jobs, name: 일자리, kinds: [persons], headline: {kind: money}}]",
            "headline kind",
        ),
        ("- just a list", "expected a mapping"),
        (
            "categories: [{id: a, name: x, kinds: [count], headline: {kind: count}}, "
            "{id: a, name: y, kinds: [count], headline: {kind: count}}]",
            "unique",
        ),
    ],
)
def test_a_malformed_taxonomy_names_the_file_and_the_problem(tmp_path, body, message) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message) as caught:
        load_taxonomy(path)
    assert "bad.yaml" in str(caught.value)
