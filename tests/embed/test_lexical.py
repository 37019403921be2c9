"""The lexical backend's text analysis: Kiwi tokens drop particles, the cong model finds near-synonyms."""

from __future__ import annotations

from casekit.embed.lexical import near_synonyms, tokenize, tokenize_many


def test_tokens_drop_particles_and_endings():
    tokens = tokenize("청년 일자리를 창출하였습니다")
    assert "일자리" in tokens and "청년" in tokens
    assert not any(t.endswith("를") for t in tokens)
    assert tokenize_many(["일자리를", "일자리가"]) == [["일자리"], ["일자리"]]


def test_cong_model_knows_employment_synonyms():
    similar = dict(near_synonyms("일자리"))
    assert {"고용", "취업"} & set(similar)
    assert all(score >= 0.6 for score in similar.values())
    assert near_synonyms("없는형태소xyz") == ()
