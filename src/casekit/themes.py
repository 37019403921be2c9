"""Theme clustering: group cases (or their passages) into labelled Korean themes, draw them, place new cases.

An organizer opening a year's submissions wants to see what they are about ("청년 창업·일자리",
"전통시장·도시재생"), how big each theme is, which cases stand for it, and where a new case falls.
The pipeline is BERTopic-shaped, with every part swappable and small-N behaviour first:

    units (cases or passages) → Embedder → Clusterer → c-TF-IDF labels over Kiwi nouns → map

* `Clusterer` is a tiny protocol (`fit_predict(X) -> labels`, -1 = outlier); the k-means,
  agglomerative (Ward) and HDBSCAN backends live here. `k='auto'` picks k by the measured cosine
  silhouette and records every score it tried.
* Labels are class-based TF-IDF over Kiwi nouns and short noun compounds (사회적기업, 전통시장),
  never particles or numbers, with a stoplist of the 소개서 form's own words (추진, 사업, 운영 …)
  and of the corpus's place names, which would otherwise label a theme after one city.
* A fitted `ThemeModel` keeps normalised centroids, so `transform` places next year's cases on this
  year's themes without refitting; it saves to and loads from `Workspace.themes_dir`.

Any `Embedder` can be passed in; without one a `CorpusLexicalEmbedder` (TF-IDF over Kiwi content
morphemes, reduced by a seeded truncated SVD) is fitted on the corpus and saved with the model,
because the only offline sentence-transformers model is English-only.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from casekit.embed.base import Embedder, TextRole
from casekit.errors import CasekitError, EmbeddingError, WorkspaceError
from casekit.korean import CONTENT_TAGS, NOUN_TAGS, get_kiwi
from casekit.parse.model import Case
from casekit.store import Workspace, atomic_write_text

Level = Literal["case", "passage"]
METHODS = ("kmeans", "agglomerative", "hdbscan")
MODEL_FORMAT = 1

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

_NOUNISH_SUFFIXES = frozenset({"적", "화", "성", "형"})  # XSN that keep a noun a noun: 사회적, 활성화, 맞춤형
_HAS_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"[\d,.]*\d")
_LETTER = re.compile(r"[^\W\d_]")  # any letter (Hangul, Latin, hanja …)
#: The 소개서 header's 분야 checkbox line lists all five fields ("1분야-사회적경제 분야( ◌ ), 2분야-도시재생 …");
#: it is in every case and says nothing about this one, so it never enters a theme's text.
_FIELD_CHOICE = re.compile(r"\d\s*분야\s*[-–:]")


def _content_lines(lines: Iterable[Any]) -> list[Any]:
    """Lines minus the form's field-choice line (see `_FIELD_CHOICE`)."""
    return [line for line in lines if len(_FIELD_CHOICE.findall(line.text)) < 2]


# -- units: what gets clustered ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unit:
    """One thing to cluster: a whole case, or one passage (a top-level section) of a case."""

    id: str  # the case id, or "<case id>#p<n>" for a passage
    case_id: str
    text: str
    line_start: int  # original source lines the unit spans (1-based, inclusive)
    line_end: int
    heading: str = ""
    title: str = ""
    field: str | None = None
    region: str | None = None
    municipality: str | None = None

    def meta(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("text")
        return data


def case_units(cases: Iterable[Case]) -> list[Unit]:
    """One unit per case: title, pledges and the whole repaired text."""
    units = []
    for case in cases:
        text = "\n".join([case.title, *case.pledges, *(line.text for line in _content_lines(case.lines))])
        units.append(
            Unit(
                case.id,
                case.id,
                text,
                case.line_start,
                case.line_end,
                "",
                case.title,
                case.field,
                case.region,
                case.municipality,
            )
        )
    return units


def passage_units(cases: Iterable[Case], min_chars: int = 200, max_chars: int = 1500) -> list[Unit]:
    """Passages of each case, cut along its top-level sections.

    A passage is a level-1 section with its sub-sections; short ones are merged into the next so a
    bare heading does not become a theme of its own, and long ones are cut at line boundaries near
    `max_chars` so one section does not drown the rest. Cases without sections are cut by length.
    Every passage keeps its original line range, so a theme member points back into the source.
    """
    units: list[Unit] = []
    for case in cases:
        spans = _section_spans(case)
        pieces: list[tuple[str, list[Any]]] = []  # (heading, lines)
        for heading, start, end in spans:
            lines = _content_lines(case.lines_between(start, end))
            if not lines:
                continue
            chunk: list[Any] = []
            size = 0
            for line in lines:
                if chunk and size + len(line.text) > max_chars:
                    pieces.append((heading, chunk))
                    chunk, size = [], 0
                chunk.append(line)
                size += len(line.text) + 1
            if chunk:
                pieces.append((heading, chunk))
        merged: list[tuple[str, list[Any]]] = []
        pending: tuple[str, list[Any]] | None = None
        for heading, lines in pieces:
            if pending is not None:
                heading, lines = pending[0], pending[1] + lines
                pending = None
            if sum(len(line.text) for line in lines) < min_chars:
                pending = (heading, lines)
                continue
            merged.append((heading, lines))
        if pending is not None:
            if merged:
                merged[-1] = (merged[-1][0], merged[-1][1] + pending[1])
            else:
                merged.append(pending)
        for n, (heading, lines) in enumerate(merged, start=1):
            units.append(
                Unit(
                    f"{case.id}#p{n}",
                    case.id,
                    "\n".join(line.text for line in lines),
                    lines[0].number,
                    lines[-1].number,
                    heading,
                    case.title,
                    case.field,
                    case.region,
                    case.municipality,
                )
            )
    return units


def _section_spans(case: Case) -> list[tuple[str, int, int]]:
    """(heading, first line, last line) of each top-level section, covering the case end to end."""
    tops = sorted((s for s in case.sections if s.level <= 1), key=lambda s: s.line_start)
    if not tops:
        return [("", case.line_start, case.line_end)]
    spans = []
    if tops[0].line_start > case.line_start:
        spans.append(("", case.line_start, tops[0].line_start - 1))
    for i, section in enumerate(tops):
        end = tops[i + 1].line_start - 1 if i + 1 < len(tops) else case.line_end
        spans.append((section.heading, section.line_start, max(end, section.line_start)))
    return spans


def make_units(cases: Sequence[Case], level: Level) -> list[Unit]:
    if level == "case":
        return case_units(cases)
    if level == "passage":
        return passage_units(cases)
    raise CasekitError(f"unknown theme level {level!r} (choose case or passage)")


# -- Korean terms ------------------------------------------------------------------------------------


def place_stopwords(units: Iterable[Unit]) -> set[str]:
    """Municipality names of the corpus with and without their 시/군/구 suffix (수원시, 수원)."""
    words: set[str] = set()
    for unit in units:
        for name in (unit.municipality, unit.region):
            if not name:
                continue
            words.add(name)
            if len(name) > 2 and name[-1] in "시군구도":
                words.add(name[:-1])
    return words


def extract_terms(texts: Sequence[str], stopwords: Iterable[str] = ()) -> list[list[str]]:
    """Label vocabulary of each text: Kiwi nouns (2+ chars) and the noun compounds they form.

    Kiwi splits 사회적기업 into 사회/적/기업; a reader knows the compound, so contiguous nouns in
    one word (with the noun-keeping suffixes 적/화/성/형) are also emitted joined. Particles, verbs,
    numbers and anything holding a digit never become terms.
    """
    stop = FORM_STOPWORDS | REGION_WORDS | set(stopwords)
    results = get_kiwi().tokenize(list(texts))
    out: list[list[str]] = []
    for tokens in results:
        terms: list[str] = []
        run: list[Any] = []
        for token in tokens:
            nounish = token.tag in NOUN_TAGS or (
                token.tag == "XSN" and token.form in _NOUNISH_SUFFIXES and run
            )
            contiguous = bool(run) and token.start == run[-1].start + run[-1].len
            if nounish and (contiguous or not run):
                run.append(token)
            else:
                terms.extend(_run_terms(run, stop))
                run = [token] if token.tag in NOUN_TAGS else []
        terms.extend(_run_terms(run, stop))
        out.append(terms)
    return _merge_case_variants(out)


def _merge_case_variants(docs: list[list[str]]) -> list[list[str]]:
    """Latin-script terms that differ only in case (Water, water) become their most frequent spelling."""
    counts = Counter(t for doc in docs for t in doc if t.isascii())
    best: dict[str, str] = {}
    for term, _ in counts.most_common():
        best.setdefault(term.lower(), term)
    if all(best[t.lower()] == t for t in counts):
        return docs
    return [[best[t.lower()] if t.isascii() else t for t in doc] for doc in docs]


def _run_terms(run: list[Any], stop: frozenset[str] | set[str]) -> list[str]:
    """Terms of one run of contiguous noun tokens: each noun of 2+ chars, and the run joined."""
    run = list(run)
    while run and run[-1].tag == "XSN" and run[-1].form not in _NOUNISH_SUFFIXES:
        run.pop()
    terms: list[str] = []
    parts = [t for t in run if t.tag in NOUN_TAGS]
    for t in parts:
        if len(t.form) >= 2 and t.form not in stop and not _HAS_DIGIT.search(t.form):
            terms.append(t.form)
    if len(run) > 1 and 2 <= len(parts) <= 4:
        compound = "".join(t.form for t in run)
        if len(compound) <= 10 and compound not in stop and not _HAS_DIGIT.search(compound):
            terms.append(compound)
    elif len(parts) == 1 and len(run) == 2 and run[-1].tag == "XSN":  # 활성화, 사회적
        word = run[0].form + run[1].form
        if word not in stop and run[0].form not in stop:
            terms.append(word)
    return terms


def ctfidf_terms(
    doc_terms: Sequence[Sequence[str]], labels: np.ndarray, top_n: int = 10
) -> dict[int, list[tuple[str, float]]]:
    """Top terms of each theme by class-based TF-IDF (BERTopic's c-TF-IDF).

    All member documents of a theme form one class document; a term scores
    tf(term, class) · log(1 + A / f(term)), where A is the mean class length and f the term's
    frequency over all classes. A term must occur in at least two members of a theme with three or
    more members, so one case's programme name does not label a whole theme. Outliers (-1) get no terms.
    """
    classes = sorted(int(c) for c in set(labels.tolist()) if c >= 0)
    vocab: dict[str, int] = {}
    counts: list[Counter[str]] = []
    doc_freq: list[Counter[str]] = []
    for c in classes:
        tf: Counter[str] = Counter()
        df: Counter[str] = Counter()
        for terms, label in zip(doc_terms, labels):
            if label == c:
                tf.update(terms)
                df.update(set(terms))
        for term in tf:
            vocab.setdefault(term, len(vocab))
        counts.append(tf)
        doc_freq.append(df)
    if not vocab:
        return {c: [] for c in classes}
    matrix = np.zeros((len(classes), len(vocab)), dtype=np.float64)
    for row, tf in enumerate(counts):
        for term, n in tf.items():
            matrix[row, vocab[term]] = n
    totals = matrix.sum(axis=1, keepdims=True)
    mean_len = float(totals.mean())
    idf = np.log(1.0 + mean_len / matrix.sum(axis=0))
    scores = (matrix / np.maximum(totals, 1.0)) * idf
    terms_by_index = sorted(vocab, key=vocab.__getitem__)
    out: dict[int, list[tuple[str, float]]] = {}
    for row, c in enumerate(classes):
        size = int((labels == c).sum())
        need = 2 if size >= 3 else 1
        order = np.argsort(-scores[row], kind="stable")
        chosen: list[tuple[str, float]] = []
        for index in order:
            if scores[row, index] <= 0 or len(chosen) >= top_n:
                break
            term = terms_by_index[index]
            if doc_freq[row][term] < need:
                continue
            chosen.append((term, round(float(scores[row, index]), 5)))
        out[c] = chosen
    return out


def readable_terms(terms: Sequence[str], n: int = 8) -> list[str]:
    """The first `n` ranked terms as a reader wants them: compounds replace their parts, no repeats.

    c-TF-IDF ranks 사회, 경제, 기업 above 사회적경제 and 사회적기업 (parts are counted wherever the
    compound is); a reader knows the compounds, so a part gives way to a ranked compound holding it.
    """
    ranked = list(terms[: max(10, n + 4)])
    picked: list[str] = []
    for term in ranked:
        term = next((other for other in ranked if term in other and len(other) >= len(term) + 2), term)
        if any(term in p or p in term for p in picked):
            continue
        picked.append(term)
        if len(picked) == n:
            break
    return picked


def make_label(terms: Sequence[str], n: int = 3) -> str:
    """Short label from ranked terms, e.g. 사회적경제·사회적기업·협동조합."""
    return "·".join(readable_terms(terms, n)) or "(무표제)"


# -- the corpus embedder used when none is given ------------------------------------------------------


class CorpusLexicalEmbedder:
    """TF-IDF over the corpus, reduced by a seeded truncated SVD and L2-normalised.

    Fitted on the corpus being clustered (so it is saved with the model for `transform`), it groups
    Korean documents by vocabulary, runs offline and is deterministic under `seed`. Two analyzers:

    * `"char"` (default): character 2–3-grams within words, after deleting the corpus's place names
      and digits. No morphological analysis, so 10,000 cases embed in seconds; on the test corpora
      it recovers the known groups as well as `"morph"` does (see docs/themes.md).
    * `"morph"`: Kiwi content morphemes minus form words and place names; cleaner features, but
      Kiwi costs about as much as everything else together on a large archive.
    """

    def __init__(
        self, dim: int = 128, seed: int = 0, stopwords: Iterable[str] = (), analyzer: str = "char"
    ) -> None:
        if analyzer not in ("char", "morph"):
            raise CasekitError(f"unknown lexical analyzer {analyzer!r} (choose char or morph)")
        self.dim = dim
        self.seed = seed
        self.analyzer = analyzer
        self.stopwords = frozenset(FORM_STOPWORDS | REGION_WORDS | set(stopwords))
        places = sorted((w for w in set(stopwords) | REGION_WORDS if len(w) >= 2), key=len, reverse=True)
        self._places = re.compile("|".join(map(re.escape, places))) if places else None
        self._vectorizer: Any = None
        self._svd: Any = None
        self._fingerprint = ""

    @property
    def model_id(self) -> str:
        return (
            f"casekit-lexical-{self.analyzer}-svd:d{self.dim}:s{self.seed}:{self._fingerprint or 'unfitted'}"
        )

    def _docs(self, texts: Sequence[str]) -> list[Any]:
        if self.analyzer == "char":
            out = []
            for text in texts:
                if self._places is not None:
                    text = self._places.sub(" ", text)
                out.append(_DIGITS.sub(" ", text))
            return out
        results = get_kiwi().tokenize(list(texts))
        return [
            [
                t.form
                for t in tokens
                if t.tag in CONTENT_TAGS
                and len(t.form) >= 2
                and t.form not in self.stopwords
                and not _HAS_DIGIT.search(t.form)
            ]
            for tokens in results
        ]

    def fit_encode(self, texts: Sequence[str]) -> np.ndarray:
        """Fit on `texts` and return their embeddings (one analysis pass instead of two)."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        docs = self._docs(texts)
        many = len(docs) >= 20
        options: dict[str, Any] = {
            "sublinear_tf": True,
            "min_df": 2 if many else 1,
            "max_df": 0.9 if many else 1.0,
            "dtype": np.float32,
        }
        if self.analyzer == "char":
            options.update(analyzer="char_wb", ngram_range=(2, 3), max_features=200_000)
        else:
            options.update(analyzer=_identity)
        self._vectorizer = TfidfVectorizer(**options)
        try:
            sparse = self._vectorizer.fit_transform(docs)
        except ValueError as exc:  # sklearn: "empty vocabulary", every document empty after cleaning
            raise CasekitError(f"no unit has any text to cluster ({exc})") from exc
        dim = max(1, min(self.dim, sparse.shape[0] - 1, sparse.shape[1] - 1))
        self._svd = TruncatedSVD(n_components=dim, random_state=self.seed, algorithm="randomized", n_iter=7)
        dense = self._svd.fit_transform(sparse)
        vocab = "\n".join(sorted(self._vectorizer.vocabulary_))
        self._fingerprint = hashlib.sha256(vocab.encode("utf-8")).hexdigest()[:12]
        return _normalise(np.asarray(dense, dtype=np.float32))

    def fit(self, texts: Sequence[str]) -> CorpusLexicalEmbedder:
        self.fit_encode(texts)
        return self

    def encode(self, texts: Sequence[str], role: TextRole = "passage") -> np.ndarray:
        if self._vectorizer is None:
            raise EmbeddingError("CorpusLexicalEmbedder used before fit()")
        dense = self._svd.transform(self._vectorizer.transform(self._docs(texts)))
        return _normalise(np.asarray(dense, dtype=np.float32))


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1.0, norms)).astype(np.float32)


# -- clusterers ------------------------------------------------------------------------------------------


@runtime_checkable
class Clusterer(Protocol):
    """Groups unit-norm rows; returns one label per row, -1 for outliers it will not force into a theme."""

    name: str

    def fit_predict(self, X: np.ndarray) -> np.ndarray: ...

    def params(self) -> dict[str, Any]:
        """Settings and measured choices (e.g. silhouette per k), recorded in the model."""
        ...


def _silhouette(X: np.ndarray, labels: np.ndarray, seed: int) -> float:
    from sklearn.metrics import silhouette_score

    if len(set(labels.tolist())) < 2:
        return -1.0
    sample = 3000 if len(X) > 3000 else None
    return float(silhouette_score(X, labels, metric="cosine", sample_size=sample, random_state=seed))


def _k_range(n: int, k_min: int, k_max: int) -> range:
    """k values 'auto' tries: silhouette favours many tiny themes on small N, so a theme must average
    at least three members (9 cases → k ≤ 3)."""
    upper = min(k_max, n - 1, max(2, n // 3))
    return range(min(k_min, upper), upper + 1)


#: `k='auto'` takes the smallest k whose silhouette is within this share of the best one.
K_TOLERANCE = 0.95
_K_RULE = f"smallest k with silhouette >= {K_TOLERANCE} x best, no theme under max(2, 1% of units)"


def _pick_k(trials: list[tuple[int, float, np.ndarray]]) -> tuple[int, np.ndarray]:
    """Choose k from (k, silhouette, labels) trials, preferring few, non-trivial themes.

    On a few dozen noisy passages the silhouette keeps creeping up with k, into themes of one
    member. So a k whose smallest theme has fewer than max(2, 1 % of units) members is set aside
    (unless every k is), and of the rest the smallest k within `K_TOLERANCE` of the best score wins:
    the organizer gets the fewest themes the data supports about as well as the best number.
    """
    n = len(trials[0][2])
    min_size = max(2, round(0.01 * n))
    valid = [t for t in trials if np.bincount(t[2][t[2] >= 0]).min() >= min_size] or trials
    best = max(score for _, score, _ in valid)
    bar = best * K_TOLERANCE if best > 0 else best
    k, _, labels = min((t for t in valid if t[1] >= bar - 1e-12), key=lambda t: t[0])
    return k, labels


@dataclass
class KMeansClusterer:
    """k-means on unit vectors (spherical in effect); `k=None` picks k in [k_min, k_max] by silhouette.

    On more than `select_sample` units the k sweep runs on a seeded sample of that size and only the
    chosen k is fitted on everything: eleven full k-means runs on 10,000 cases would dominate the cost,
    and a 2,000-unit sample ranks k the same way for theme-sized groups.
    """

    k: int | None = None
    seed: int = 0
    k_min: int = 2
    k_max: int = 20
    n_init: int | None = None  # None: 10 restarts up to 2,000 units, 3 beyond (each restart costs a full run)
    select_sample: int = 2000
    name: str = "kmeans"
    silhouettes: dict[int, float] = field(default_factory=dict)
    chosen_k: int | None = None
    used_n_init: int | None = None
    selected_on: int | None = None  # units the k sweep ran on

    def fit_predict(self, X: np.ndarray) -> np.ndarray:
        from sklearn.cluster import KMeans

        n = len(X)
        if n < 3:
            self.chosen_k = 1
            return np.zeros(n, dtype=int)
        self.used_n_init = self.n_init or (10 if n <= 2000 else 3)

        def run(data: np.ndarray, k: int, n_init: int) -> np.ndarray:
            model = KMeans(n_clusters=k, random_state=self.seed, n_init=n_init)
            return np.asarray(model.fit_predict(data), dtype=int)

        if self.k is not None:
            self.chosen_k = max(1, min(self.k, n))
            return run(X, self.chosen_k, self.used_n_init)
        sample = X
        if n > self.select_sample:
            rng = np.random.default_rng(self.seed)
            sample = X[np.sort(rng.choice(n, size=self.select_sample, replace=False))]
        self.selected_on = len(sample)
        trials = []
        for k in _k_range(n, self.k_min, self.k_max):
            labels = run(sample, k, self.n_init or (10 if len(sample) <= 500 else 3))
            score = _silhouette(sample, labels, self.seed)
            self.silhouettes[k] = round(score, 4)
            trials.append((k, score, labels))
        self.chosen_k, chosen = _pick_k(trials)
        return chosen if sample is X else run(X, self.chosen_k, self.used_n_init)

    def params(self) -> dict[str, Any]:
        return {
            "k": self.k if self.k is not None else "auto",
            "chosen_k": self.chosen_k,
            "seed": self.seed,
            "n_init": self.used_n_init,
            "k_range": [self.k_min, self.k_max],
            "k_rule": _K_RULE,
            "k_selected_on": self.selected_on,
            "silhouette": {str(k): v for k, v in self.silhouettes.items()},
        }


@dataclass
class AgglomerativeClusterer:
    """Ward hierarchical clustering; the tree is built once, so trying every k for silhouette is cheap.

    Deterministic without a seed (the seed is still recorded). Memory is O(n²) for the distance
    matrix, fine for a competition year (hundreds of cases) and for 10,000 (~400 MB).
    """

    k: int | None = None
    seed: int = 0
    k_min: int = 2
    k_max: int = 20
    linkage: str = "ward"
    name: str = "agglomerative"
    silhouettes: dict[int, float] = field(default_factory=dict)
    chosen_k: int | None = None

    def fit_predict(self, X: np.ndarray) -> np.ndarray:
        from scipy.cluster.hierarchy import fcluster, linkage

        n = len(X)
        if n < 3:
            self.chosen_k = 1
            return np.zeros(n, dtype=int)
        tree = linkage(X.astype(np.float64), method=self.linkage, metric="euclidean")

        def cut(k: int) -> np.ndarray:
            return np.asarray(fcluster(tree, t=k, criterion="maxclust"), dtype=int) - 1

        if self.k is not None:
            self.chosen_k = max(1, min(self.k, n))
            return cut(self.chosen_k)
        trials = []
        for k in _k_range(n, self.k_min, self.k_max):
            labels = cut(k)
            score = _silhouette(X, labels, self.seed)
            self.silhouettes[k] = round(score, 4)
            trials.append((k, score, labels))
        self.chosen_k, chosen = _pick_k(trials)
        return chosen

    def params(self) -> dict[str, Any]:
        return {
            "k": self.k if self.k is not None else "auto",
            "chosen_k": self.chosen_k,
            "seed": self.seed,
            "linkage": self.linkage,
            "k_range": [self.k_min, self.k_max],
            "k_rule": _K_RULE,
            "silhouette": {str(k): v for k, v in self.silhouettes.items()},
        }


@dataclass
class HDBSCANClusterer:
    """sklearn's HDBSCAN after a seeded PCA to a few dimensions (density is meaningless in 128-d).

    It finds the number of themes itself and leaves points in no dense region as outliers (-1),
    reported rather than forced. On a hundred documents it calls many of them outliers; that is
    its honest answer, which is why k-means is the default. `min_cluster_size=None` uses
    max(3, n // 25).
    """

    min_cluster_size: int | None = None
    min_samples: int | None = None
    reduce_dims: int = 10
    seed: int = 0
    name: str = "hdbscan"
    used_min_cluster_size: int | None = None

    def fit_predict(self, X: np.ndarray) -> np.ndarray:
        from sklearn.cluster import HDBSCAN
        from sklearn.decomposition import PCA

        n = len(X)
        if n < 4:
            return np.zeros(n, dtype=int)
        reduced = X
        dims = min(self.reduce_dims, X.shape[1], n - 1)
        if X.shape[1] > dims:
            reduced = PCA(n_components=dims, random_state=self.seed).fit_transform(X)
        self.used_min_cluster_size = self.min_cluster_size or max(3, n // 25)
        model = HDBSCAN(
            min_cluster_size=min(self.used_min_cluster_size, n), min_samples=self.min_samples, copy=True
        )
        return np.asarray(model.fit_predict(reduced), dtype=int)

    def params(self) -> dict[str, Any]:
        return {
            "min_cluster_size": self.used_min_cluster_size,
            "min_samples": self.min_samples,
            "reduce_dims": self.reduce_dims,
            "seed": self.seed,
        }


def make_clusterer(method: str = "kmeans", k: int | str | None = "auto", seed: int = 0) -> Clusterer:
    """A clusterer by name; `k` is 'auto'/None (choose by silhouette) or a number (ignored by hdbscan)."""
    if isinstance(k, str):
        if k != "auto":
            try:
                k = int(k)
            except ValueError:
                raise CasekitError(f"--k must be 'auto' or a whole number, not {k!r}") from None
        else:
            k = None
    if k is not None and k < 1:
        raise CasekitError(f"k must be at least 1, not {k}")
    if method == "kmeans":
        return KMeansClusterer(k=k, seed=seed)
    if method == "agglomerative":
        return AgglomerativeClusterer(k=k, seed=seed)
    if method == "hdbscan":
        return HDBSCANClusterer(seed=seed)
    raise CasekitError(f"unknown clustering method {method!r} (choose one of {', '.join(METHODS)})")


# -- the fitted model -------------------------------------------------------------------------------------


@dataclass
class Theme:
    """One theme: its label, top c-TF-IDF terms, members and the members closest to its centre."""

    theme_id: int
    label: str
    terms: list[str]
    term_scores: list[float]
    size: int
    members: list[str]
    representatives: list[str]


@dataclass
class ThemeModel:
    """A fitted set of themes over one corpus: what `casekit themes` prints, plots, saves and places on."""

    level: str
    method: str
    seed: int
    embedder_id: str
    params: dict[str, Any]
    themes: list[Theme]
    units: list[Unit]
    labels: np.ndarray  # theme id per unit, -1 = outlier
    similarities: np.ndarray  # cosine of each unit to its theme centroid (to the nearest for outliers)
    centroids: np.ndarray  # (n_themes, dim) unit rows, row i = theme i
    thresholds: np.ndarray  # per theme: a new unit less similar than this is called an outlier
    projection: dict[str, Any]  # 2-D map: {"kind": "pca", "mean": [...], "components": [[...], [...]]}
    coords: np.ndarray  # (n_units, 2) map coordinates
    embedder: Embedder | None = None
    stopwords: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # wall seconds per fit stage

    # ---- tables for notebooks ----

    def themes_frame(self) -> pd.DataFrame:
        """One row per theme (outliers as theme -1 when there are any)."""
        rows = [
            {
                "theme_id": t.theme_id,
                "label": t.label,
                "size": t.size,
                "terms": ", ".join(readable_terms(t.terms)),
                "representatives": ", ".join(t.representatives),
            }
            for t in self.themes
        ]
        return pd.DataFrame(rows, columns=["theme_id", "label", "size", "terms", "representatives"])

    def assignments_frame(self) -> pd.DataFrame:
        """One row per unit: its theme, label, similarity to the theme centre, map position and case fields."""
        labels_by_id = {t.theme_id: t.label for t in self.themes}
        rows = []
        for i, unit in enumerate(self.units):
            theme = int(self.labels[i])
            rows.append(
                {
                    "unit_id": unit.id,
                    "case_id": unit.case_id,
                    "theme_id": theme,
                    "theme_label": labels_by_id.get(theme, OUTLIER_LABEL),
                    "similarity": float(self.similarities[i]),
                    "x": float(self.coords[i, 0]),
                    "y": float(self.coords[i, 1]),
                    "line_start": unit.line_start,
                    "line_end": unit.line_end,
                    "heading": unit.heading,
                    "title": unit.title,
                    "field": unit.field,
                    "region": unit.region,
                    "municipality": unit.municipality,
                }
            )
        return pd.DataFrame(rows)

    def crosstab(self, by: str = "field") -> pd.DataFrame:
        """Themes × 분야 (`by='field'`), × region or × municipality: how many units fall in each cell."""
        if by not in ("field", "region", "municipality", "group"):
            raise CasekitError(f"cannot cross themes with {by!r} (choose field, region or municipality)")
        frame = self.assignments_frame()
        if by == "group":
            raise CasekitError("group is not kept on units; use field, region or municipality")
        frame[by] = frame[by].fillna("(없음)")
        frame["theme"] = frame["theme_id"].astype(str) + " " + frame["theme_label"]
        return pd.crosstab(frame["theme"], frame[by])

    def to_records(self) -> list[dict[str, Any]]:
        """The JSON the CLI prints: themes with id, label, terms, size and members (passages with lines)."""
        by_id = {u.id: u for u in self.units}
        records = []
        for theme in self.themes:
            if self.level == "passage":
                members: list[Any] = [
                    {
                        "passage_id": m,
                        "case_id": by_id[m].case_id,
                        "line_start": by_id[m].line_start,
                        "line_end": by_id[m].line_end,
                        "heading": by_id[m].heading,
                    }
                    for m in theme.members
                ]
            else:
                members = list(theme.members)
            records.append(
                {
                    "theme_id": theme.theme_id,
                    "label": theme.label,
                    "terms": readable_terms(theme.terms),
                    "size": theme.size,
                    "members": members,
                    "representatives": theme.representatives,
                    "ctfidf": [[t, sc] for t, sc in zip(theme.terms, theme.term_scores)],
                }
            )
        return records

    # ---- new cases ----

    def transform(
        self, items: Sequence[Case] | Sequence[str] | np.ndarray, embedder: Embedder | None = None
    ) -> pd.DataFrame:
        """Place new cases (or texts, or precomputed embeddings) on the fitted themes without refitting.

        Each unit goes to the theme with the most similar centroid; if it is less similar than that
        theme's own members usually are (below the theme's threshold), it is reported as an outlier
        (theme -1) with its nearest theme kept in `nearest_theme`. Returns one row per unit with its
        map position, so next year's cases can be drawn on this year's map.
        """
        units: list[Unit] | None = None
        if isinstance(items, np.ndarray):
            vectors = _normalise(np.asarray(items, dtype=np.float32))
        else:
            seq = list(items)
            if seq and isinstance(seq[0], Case):
                units = make_units(seq, self.level)  # type: ignore[arg-type]
                texts = [u.text for u in units]
            else:
                texts = [str(t) for t in seq]
            use = embedder or self.embedder
            if use is None:
                raise EmbeddingError(
                    f"themes were fitted with embedder {self.embedder_id!r}; pass it to transform (CLI: --embedder NAME)"
                )
            if use.model_id != self.embedder_id:
                raise EmbeddingError(
                    f"embedder {use.model_id!r} differs from the one the themes were fitted with ({self.embedder_id!r})"
                )
            vectors = use.encode(texts, role="passage") if texts else np.zeros((0, self.centroids.shape[1]))
        if vectors.shape[0] and vectors.shape[1] != self.centroids.shape[1]:
            raise EmbeddingError(
                f"embeddings have {vectors.shape[1]} dimensions, themes {self.centroids.shape[1]}"
            )
        sims = vectors @ self.centroids.T if len(self.centroids) else np.zeros((len(vectors), 0))
        coords = self.project(vectors)
        labels_by_id = {t.theme_id: t.label for t in self.themes}
        rows = []
        for i in range(len(vectors)):
            nearest = int(np.argmax(sims[i])) if sims.shape[1] else -1
            sim = float(sims[i, nearest]) if nearest >= 0 else 0.0
            theme = nearest if nearest >= 0 and sim >= self.thresholds[nearest] else -1
            row: dict[str, Any] = {
                "unit_id": units[i].id if units else str(i),
                "case_id": units[i].case_id if units else None,
                "theme_id": theme,
                "theme_label": labels_by_id.get(theme, OUTLIER_LABEL),
                "nearest_theme": nearest,
                "similarity": round(sim, 4),
                "x": float(coords[i, 0]),
                "y": float(coords[i, 1]),
            }
            if units:
                row.update(line_start=units[i].line_start, line_end=units[i].line_end, title=units[i].title)
            rows.append(row)
        return pd.DataFrame(rows)

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """Map coordinates of embedding rows under the fitted projection."""
        if len(vectors) == 0:
            return np.zeros((0, 2))
        mean = np.asarray(self.projection["mean"], dtype=np.float64)
        components = np.asarray(self.projection["components"], dtype=np.float64)
        return np.asarray((vectors - mean) @ components.T)

    # ---- the map ----

    def plot(self, path: str | Path, new: pd.DataFrame | None = None, title: str | None = None) -> Path:
        """Draw the 2-D theme map as a PNG: one colour per theme, Hangul labels at theme centres.

        `new` is a `transform` result to draw on top (stars, labelled by case). Outliers are grey.
        """
        from casekit.report.fonts import use_korean_font

        use_korean_font()
        import matplotlib.pyplot as plt

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        cmap = plt.get_cmap("tab20" if len(self.themes) > 10 else "tab10")
        fig, ax = plt.subplots(figsize=(10, 7.5), dpi=130)
        try:
            outliers = self.labels < 0
            if outliers.any():
                ax.scatter(
                    self.coords[outliers, 0],
                    self.coords[outliers, 1],
                    c="#b0b0b0",
                    marker="x",
                    s=22,
                    label=f"{OUTLIER_LABEL} ({int(outliers.sum())})",
                )
            real = [t for t in self.themes if t.theme_id >= 0]
            centres = []
            for theme in real:
                mask = self.labels == theme.theme_id
                color = cmap(theme.theme_id % cmap.N)
                ax.scatter(
                    self.coords[mask, 0],
                    self.coords[mask, 1],
                    color=color,
                    s=34,
                    alpha=0.8,
                    edgecolors="white",
                    linewidths=0.4,
                    label=f"{theme.theme_id}. {theme.label} ({theme.size})",
                )
                centres.append(self.coords[mask].mean(axis=0))
            # On the map a tag (id and first label term) at each theme centre, nudged apart so crowded
            # centres stay readable; the full labels are in the legend.
            for theme, (cx, cy) in zip(real, _spread(centres, ax)):
                color = cmap(theme.theme_id % cmap.N)
                ax.annotate(
                    f"{theme.theme_id}. {'·'.join(theme.label.split('·')[:2])}",
                    (cx, cy),
                    fontsize=9,
                    ha="center",
                    va="center",
                    weight="bold",
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": color, "alpha": 0.85},
                )
            if new is not None and len(new):
                ax.scatter(new["x"], new["y"], marker="*", s=180, c="black", label="새 사례", zorder=5)
                for _, row in new.iterrows():
                    name = row.get("title") or row.get("case_id") or row["unit_id"]
                    ax.annotate(
                        str(name)[:20],
                        (row["x"], row["y"]),
                        fontsize=8,
                        xytext=(5, 5),
                        textcoords="offset points",
                    )
            kind = str(self.projection.get("kind", "pca")).upper()
            ax.set_xlabel(f"{kind} 1")
            ax.set_ylabel(f"{kind} 2")
            unit_word = "사례" if self.level == "case" else "문단"
            ax.set_title(
                title or f"주제 지도: {len(real)}개 주제, {len(self.units)}개 {unit_word} ({self.method})"
            )
            ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
            fig.tight_layout()
            fig.savefig(path, bbox_inches="tight")
        finally:
            plt.close(fig)
        return path

    # ---- persistence ----

    def save(self, workspace: Workspace | str | Path, name: str | None = None) -> Path:
        """Write the model under `<workspace>/themes/<name>/` (default name: the level)."""
        ws = Workspace.resolve(workspace if isinstance(workspace, Workspace) else str(workspace))
        directory = ws.themes_dir / (name or self.level)
        directory.mkdir(parents=True, exist_ok=True)
        meta = {
            "format": MODEL_FORMAT,
            "level": self.level,
            "method": self.method,
            "seed": self.seed,
            "embedder_id": self.embedder_id,
            "params": self.params,
            "stopwords": self.stopwords,
            "projection": self.projection,
            "themes": [asdict(t) for t in self.themes],
            "units": [u.meta() for u in self.units],
        }
        tmp = directory / ".arrays.tmp.npz"
        np.savez(
            tmp,
            labels=self.labels,
            similarities=self.similarities,
            centroids=self.centroids,
            thresholds=self.thresholds,
            coords=self.coords,
        )
        tmp.replace(directory / "arrays.npz")
        if isinstance(self.embedder, CorpusLexicalEmbedder):
            import joblib

            joblib.dump(self.embedder, directory / ".embedder.tmp")
            (directory / ".embedder.tmp").replace(directory / "embedder.joblib")
        atomic_write_text(directory / "model.json", json.dumps(meta, ensure_ascii=False, indent=1) + "\n")
        return directory

    @classmethod
    def load(cls, workspace: Workspace | str | Path, name: str = "case") -> ThemeModel:
        """Read a model saved by `save`; a saved corpus embedder comes back with it."""
        ws = Workspace.resolve(workspace if isinstance(workspace, Workspace) else str(workspace))
        directory = ws.themes_dir / name
        meta_path = directory / "model.json"
        if not meta_path.is_file():
            raise WorkspaceError(f"no fitted themes {name!r} in {ws.themes_dir}: run `casekit themes` first")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            arrays = np.load(directory / "arrays.npz")
        except (OSError, ValueError) as exc:
            raise WorkspaceError(f"{directory}: damaged theme model ({exc})") from exc
        if meta.get("format") != MODEL_FORMAT:
            raise WorkspaceError(
                f"{meta_path}: theme model format {meta.get('format')} is not {MODEL_FORMAT}"
            )
        embedder = None
        if (directory / "embedder.joblib").is_file():
            import joblib

            embedder = joblib.load(directory / "embedder.joblib")
        return cls(
            level=meta["level"],
            method=meta["method"],
            seed=int(meta["seed"]),
            embedder_id=meta["embedder_id"],
            params=meta["params"],
            themes=[Theme(**t) for t in meta["themes"]],
            units=[Unit(text="", **u) for u in meta["units"]],
            labels=arrays["labels"],
            similarities=arrays["similarities"],
            centroids=arrays["centroids"],
            thresholds=arrays["thresholds"],
            projection=meta["projection"],
            coords=arrays["coords"],
            embedder=embedder,
            stopwords=list(meta.get("stopwords", [])),
        )


OUTLIER_LABEL = "미분류(outlier)"


def _spread(points: Sequence[np.ndarray], ax: Any, min_gap: float = 0.05) -> list[tuple[float, float]]:
    """Label positions near `points`, moved vertically until no two are closer than `min_gap` (axes units)."""
    if not points:
        return []
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    w, h = (x1 - x0) or 1.0, (y1 - y0) or 1.0
    placed: list[tuple[float, float]] = []
    for px, py in points:
        fx, fy = (float(px) - x0) / w, (float(py) - y0) / h
        for _ in range(40):
            clash = [q for q in placed if abs(q[0] - fx) < min_gap * 3 and abs(q[1] - fy) < min_gap]
            if not clash:
                break
            fy = max(q[1] for q in clash) + min_gap
        placed.append((fx, fy))
    return [(x0 + fx * w, y0 + fy * h) for fx, fy in placed]


# -- fitting ---------------------------------------------------------------------------------------------------


def fit_themes(
    cases: Sequence[Case] | None = None,
    *,
    level: Level = "case",
    method: str = "kmeans",
    k: int | str | None = "auto",
    seed: int = 0,
    embedder: Embedder | None = None,
    units: Sequence[Unit] | None = None,
    embeddings: np.ndarray | None = None,
    clusterer: Clusterer | None = None,
    top_terms: int = 10,
    n_representatives: int = 3,
    label_sample: int = 100,
    cache_dir: Path | None = None,
) -> ThemeModel:
    """Cluster cases (or their passages) into labelled themes.

    Give `cases` (units are made at `level`) or ready `units`; give an `embedder`, precomputed
    `embeddings` (one unit-norm row per unit), or neither (a `CorpusLexicalEmbedder` is fitted).
    `clusterer` overrides `method`/`k`. Everything random takes `seed`, recorded in the model.
    With an `embedder` and a `cache_dir` (the CLI uses `<workspace>/index/cache`, shared with search),
    vectors are read from and added to the on-disk embedding cache.
    """
    if units is None:
        if not cases:
            raise CasekitError("no cases to cluster")
        units = make_units(cases, level)
    units = list(units)
    if not units:
        raise CasekitError("no text to cluster (the cases have no passages)")
    # A unit without a single letter (empty, or only numbers and punctuation) is reported and left
    # out, not dropped silently into whichever theme its meaningless vector falls in.
    skipped = [u.id for u in units if not _LETTER.search(u.text)]
    if skipped and embeddings is None:
        units = [u for u in units if _LETTER.search(u.text)]
        if not units:
            raise CasekitError("no unit has any text to cluster (only numbers or nothing)")
    places = sorted(place_stopwords(units))
    fitted_embedder: Embedder | None = embedder
    clock = _Stopwatch()
    if embeddings is not None:
        X = _normalise(np.asarray(embeddings, dtype=np.float32))
        if len(X) != len(units):
            raise CasekitError(f"{len(X)} embeddings for {len(units)} units")
        embedder_id = embedder.model_id if embedder is not None else "precomputed"
    else:
        texts = [u.text for u in units]
        if fitted_embedder is None:
            corpus_embedder = CorpusLexicalEmbedder(seed=seed, stopwords=places)
            X = corpus_embedder.fit_encode(texts)
            fitted_embedder = corpus_embedder
        elif cache_dir is not None:  # the search index's cache: re-fitting unchanged cases costs no encoding
            from casekit.embed.cache import EmbeddingCache

            use = fitted_embedder
            cache = EmbeddingCache(cache_dir, use.model_id)
            X = _normalise(
                np.asarray(
                    cache.get_or_compute(texts, lambda batch: use.encode(batch, role="passage")),
                    dtype=np.float32,
                )
            )
        else:
            X = _normalise(np.asarray(fitted_embedder.encode(texts, role="passage"), dtype=np.float32))
        embedder_id = fitted_embedder.model_id
    clock.lap("embed")
    # Likewise a unit the embedder made nothing of (a zero vector).
    if embeddings is not None:
        skipped = []
    empty = np.flatnonzero(~np.isfinite(X).all(axis=1) | (np.abs(X).sum(axis=1) == 0))
    skipped += [units[i].id for i in empty]
    if len(empty):
        keep = np.setdiff1d(np.arange(len(units)), empty)
        if not len(keep):
            raise CasekitError("no unit has any text to cluster (all embeddings are empty)")
        units = [units[i] for i in keep]
        X = X[keep]
    chosen = clusterer or make_clusterer(method, k, seed)
    raw = np.asarray(chosen.fit_predict(X), dtype=int)
    labels = _relabel_by_size(raw)
    clock.lap("cluster")

    theme_ids = sorted(int(t) for t in set(labels.tolist()) if t >= 0)
    dim = X.shape[1]
    centroids = np.zeros((len(theme_ids), dim), dtype=np.float32)
    for t in theme_ids:
        centroids[t] = _normalise(X[labels == t].mean(axis=0, keepdims=True))[0]
    all_sims = X @ centroids.T if theme_ids else np.zeros((len(X), 0), dtype=np.float32)
    similarities = np.array(
        [
            all_sims[i, labels[i]] if labels[i] >= 0 else (all_sims[i].max() if all_sims.shape[1] else 0.0)
            for i in range(len(X))
        ],
        dtype=np.float32,
    )
    thresholds = np.array(
        [float(np.quantile(similarities[labels == t], 0.05)) - 0.05 for t in theme_ids], dtype=np.float32
    )

    # Labels read Kiwi nouns of at most `label_sample` members per theme (a seeded sample): Kiwi is
    # the slow step on a large archive, and a few hundred documents pin a theme's vocabulary down.
    sampled = _label_sample(labels, label_sample, seed)
    doc_terms = extract_terms([units[i].text for i in sampled], stopwords=places)
    term_table = ctfidf_terms(doc_terms, labels[sampled], top_n=top_terms)
    themes: list[Theme] = []
    for t in theme_ids:
        index = np.flatnonzero(labels == t)
        order = index[np.argsort(-similarities[index], kind="stable")]
        terms = [term for term, _ in term_table.get(t, [])]
        themes.append(
            Theme(
                theme_id=t,
                label=make_label(terms),
                terms=terms,
                term_scores=[s for _, s in term_table.get(t, [])],
                size=len(index),
                members=[units[i].id for i in index],
                representatives=[units[i].id for i in order[:n_representatives]],
            )
        )
    clock.lap("label")
    outlier_index = np.flatnonzero(labels < 0)
    if len(outlier_index):
        themes.append(
            Theme(
                theme_id=-1,
                label=OUTLIER_LABEL,
                terms=[],
                term_scores=[],
                size=len(outlier_index),
                members=[units[i].id for i in outlier_index],
                representatives=[],
            )
        )

    projection, coords = _fit_projection(X, seed)
    params = {
        "clusterer": chosen.name,
        **chosen.params(),
        "n_units": len(units),
        "n_outliers": int(len(outlier_index)),
        "label_sample": label_sample,
        "skipped": skipped,
    }
    if len(theme_ids) >= 2 and len(X) > len(theme_ids):
        params["silhouette_final"] = round(_silhouette(X[labels >= 0], labels[labels >= 0], seed), 4)
    clock.lap("map")
    return ThemeModel(
        level=level,
        method=chosen.name,
        seed=seed,
        embedder_id=embedder_id,
        params=params,
        themes=themes,
        units=units,
        labels=labels,
        similarities=similarities,
        centroids=centroids,
        thresholds=thresholds,
        projection=projection,
        coords=coords,
        embedder=fitted_embedder,
        stopwords=places,
        timings=clock.laps,
    )


class _Stopwatch:
    """Wall seconds per stage of a fit (kept on the model, not in `params`: they vary run to run)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


def _label_sample(labels: np.ndarray, per_theme: int, seed: int) -> np.ndarray:
    """Indices of the units whose text labels are read from: all, or `per_theme` per theme (seeded)."""
    rng = np.random.default_rng(seed)
    chosen = []
    for theme in sorted(set(labels.tolist())):
        if theme < 0:
            continue
        index = np.flatnonzero(labels == theme)
        if len(index) > per_theme:
            index = np.sort(rng.choice(index, size=per_theme, replace=False))
        chosen.append(index)
    return np.sort(np.concatenate(chosen)) if chosen else np.zeros(0, dtype=int)


def _relabel_by_size(raw: np.ndarray) -> np.ndarray:
    """Theme 0 is the largest; ties broken by first appearance, so ids are stable for a given input."""
    first_seen: dict[int, int] = {}
    for i, label in enumerate(raw.tolist()):
        if label >= 0:
            first_seen.setdefault(label, i)
    sizes = Counter(label for label in raw.tolist() if label >= 0)
    order = sorted(sizes, key=lambda c: (-sizes[c], first_seen[c]))
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping.get(int(label), -1) for label in raw.tolist()], dtype=int)


def _fit_projection(X: np.ndarray, seed: int) -> tuple[dict[str, Any], np.ndarray]:
    """PCA to two dimensions, stored as mean and components so new points project identically."""
    mean = X.mean(axis=0)
    centred = X - mean
    if len(X) < 2:
        components = np.zeros((2, X.shape[1]))
    else:
        from sklearn.decomposition import PCA

        n_comp = min(2, len(X), X.shape[1])
        pca = PCA(
            n_components=n_comp, random_state=seed, svd_solver="full" if len(X) < 5000 else "randomized"
        )
        pca.fit(centred)
        components = np.zeros((2, X.shape[1]))
        components[:n_comp] = pca.components_
        # a sign convention so the same data always draws the same way round
        for row in range(n_comp):
            pivot = int(np.argmax(np.abs(components[row])))
            if components[row, pivot] < 0:
                components[row] *= -1
    coords = centred @ components.T
    projection = {"kind": "pca", "mean": mean.astype(float).tolist(), "components": components.tolist()}
    return projection, np.asarray(coords)


# -- quality -------------------------------------------------------------------------------------------------


def purity(labels: Sequence[int], truth: Sequence[Any]) -> float:
    """Share of units whose theme's majority true group is their own (outliers count as wrong)."""
    labels = list(labels)
    truth = list(truth)
    if not labels:
        return math.nan
    correct = 0
    for theme in set(labels):
        if theme < 0:
            continue
        groups = Counter(t for lab, t in zip(labels, truth) if lab == theme)
        correct += groups.most_common(1)[0][1]
    return correct / len(labels)


def evaluate(model: ThemeModel, truth: Sequence[Any]) -> dict[str, float]:
    """Purity, NMI and ARI of the model's themes against known groups (one per unit, in unit order)."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    labels = model.labels.tolist()
    return {
        "purity": round(purity(labels, truth), 4),
        "nmi": round(float(normalized_mutual_info_score(truth, labels)), 4),
        "ari": round(float(adjusted_rand_score(truth, labels)), 4),
        "themes": sum(1 for t in model.themes if t.theme_id >= 0),
        "outliers": int((model.labels < 0).sum()),
    }
