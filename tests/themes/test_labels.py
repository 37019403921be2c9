"""Theme labels on real text: Kiwi nouns and compounds, never particles or numbers; c-TF-IDF; readable labels."""

from __future__ import annotations

import re

import numpy as np

from casekit.themes import ctfidf_terms, extract_terms, make_label, readable_terms


def test_terms_are_nouns_and_compounds_without_particles_or_numbers(seed_cases):  # type: ignore[no-untyped-def]
    line = "사회적기업 아카데미 '꿈꾸는 사람들'운영 : 8회 230명 참여, 사회적경제기업 창업자금 5개팀 40,000천원 지원"
    terms = extract_terms([line])[0]
    assert "사회적기업" in terms and "아카데미" in terms and "창업자금" in terms
    assert not any(re.search(r"\d", t) for t in terms)
    assert not {"운영", "지원", "참여", "천원"} & set(terms)
    # particles and verb endings never survive, on the whole seed book
    all_terms = {t for doc in extract_terms([c.text for c in seed_cases]) for t in doc}
    assert len(all_terms) > 500
    assert not {"을", "를", "이", "가", "의", "에서", "하다", "통한", "위한"} & all_terms
    assert all(len(t) >= 2 for t in all_terms)


def test_place_stopwords_keep_city_names_out_of_terms() -> None:
    terms = extract_terms(["수원시 공유경제 활성화와 수원 사회적기업"], stopwords={"수원시", "수원"})[0]
    assert "수원" not in terms and "수원시" not in terms
    assert "공유경제" in terms


def test_ctfidf_prefers_terms_distinctive_of_a_class() -> None:
    docs = [
        ["청년", "창업", "지역"],
        ["청년", "취업", "지역"],
        ["문화", "축제", "지역"],
        ["문화", "공연", "지역"],
    ]
    table = ctfidf_terms(docs, np.array([0, 0, 1, 1]), top_n=4)
    assert table[0][0][0] == "청년" and table[1][0][0] == "문화"
    # 지역 is as frequent as 청년 in class 0 but is in every class: it ranks last
    assert [t for t, _ in table[0]] == ["청년", "창업", "취업", "지역"]


def test_make_label_uses_compounds_for_their_parts() -> None:
    assert (
        make_label(["사회", "경제", "기업", "사회적경제", "협동조합", "사회적기업"])
        == "사회적경제·사회적기업·협동조합"
    )
    assert make_label([]) == "(무표제)"
    assert readable_terms(["청년", "창업", "취업", "창업가", "일자리"], 4) == [
        "청년",
        "창업",
        "취업",
        "일자리",
    ]
