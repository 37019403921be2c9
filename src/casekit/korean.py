"""Shared access to Kiwi, the Korean morphological analyzer, loaded once per process.

Kiwi is slow to start (5.5–7.5 s for `cong` with its typo and multi-word dictionaries, under a second
without them, with the same tokens on the case books), so every stage (lexical search, theme labels,
pre-score signals) asks here instead of building its own, and it is built without those two dictionaries. The `cong` model also knows which morphemes are
close in meaning (일자리 ≈ 고용, 취업, 구직자), a Korean semantic signal that ships offline.
The word lists every Korean stage leaves out (the 소개서 form's own words, the 광역 names) live here
too, below both the corpus embedder and the theme labels that share them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

#: Part-of-speech tags kept as content words: general/proper nouns, roots, foreign words, hanja.
NOUN_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "XR"})
#: Content morphemes for retrieval: nouns plus verb/adjective stems.
CONTENT_TAGS = NOUN_TAGS | {"VV", "VA", "NR"}

#: Words of the 소개서 form and of administrative prose that every case uses; as theme labels they
#: say nothing ("추진·사업·운영"). c-TF-IDF alone does not remove them when there are few themes.
FORM_STOPWORDS = frozenset(
    """
    추진 사업 운영 지원 실시 계획 성과 효과 기대 기대효과 향후 향후계획 사례 우수 우수사례 분야 내용 과정 실적
    배경 목적 전략 방향 개최 확대 강화 구축 활성 활성화 조성 시행 관련 공약 관련공약 사례요약 요약 소개서
    매니페스토 지자체 지자체명 사례명 현황 결과 기반 마련 필요 개선 도모 제고 대상 기간 예산 추진체계
    추진배경 추진내용 추진과정 추진실적 추진성과 주요 주요내용 단계 방안 체계 분석 평가 활용 참여 제공 연계
    협력 추진방향 정책 행정 업무 기관 사항 문제 해결 노력 부분 이후 당시 최초 전국 지역 개소 개월 천원
    만원 억원 백만원 명 회 건 년 월 일 가구 구분 합계 계 비고 기타 페이지 중점 시책 연도 일환 개요 사업개요
    추진개요 추진목표 목표 추진방법 방법 세부 세부사업 총괄 담당 부서 소관
    """.split()
)

#: 광역 지자체 names, full and short: place names label a city, not a theme.
REGION_WORDS = frozenset(
    """
    서울 부산 대구 인천 광주 대전 울산 세종 경기 강원 충북 충남 전북 전남 경북 경남 제주
    서울시 부산시 대구시 인천시 광주시 대전시 울산시 세종시 경기도 강원도 제주도 충청북도 충청남도
    전라북도 전라남도 경상북도 경상남도 서울특별시 부산광역시 대구광역시 인천광역시 광주광역시
    대전광역시 울산광역시 세종특별자치시 제주특별자치도 강원특별자치도 전북특별자치도
    """.split()
)

_lock = threading.Lock()


@lru_cache(maxsize=2)
def get_kiwi(model_type: str | None = None) -> Any:
    """The process-wide Kiwi instance (`model_type='cong'` for the similarity-aware model).

    Light: the typo-correction and multi-word dictionaries are not loaded (they triple the start-up and
    change no token of a 소개서). `num_workers=-1` lets a batched `tokenize(list)` use every core.
    """
    from kiwipiepy import Kiwi

    options: dict[str, Any] = {"num_workers": -1, "load_typo_dict": False, "load_multi_dict": False}
    with _lock:
        return Kiwi(model_type=model_type, **options) if model_type else Kiwi(**options)


def morphemes(text: str, tags: frozenset[str] = CONTENT_TAGS, min_len: int = 1) -> list[str]:
    """Content morphemes of `text` in order, e.g. '청년 일자리를 창출' → ['청년', '일자리', '창출']."""
    return [t.form for t in get_kiwi().tokenize(text) if t.tag in tags and len(t.form) >= min_len]


def nouns(text: str, min_len: int = 2) -> list[str]:
    """Nouns of `text` (no particles, no numbers), the vocabulary theme labels are made of."""
    return morphemes(text, NOUN_TAGS, min_len)


def morphemes_many(
    texts: Iterable[str], tags: frozenset[str] = CONTENT_TAGS, min_len: int = 1
) -> list[list[str]]:
    """`morphemes` over many texts using Kiwi's batched analysis (faster than one call per text)."""
    texts = list(texts)
    results = get_kiwi().tokenize(texts)
    return [[t.form for t in tokens if t.tag in tags and len(t.form) >= min_len] for tokens in results]
