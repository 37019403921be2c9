"""Theme labels: class-based TF-IDF (BERTopic's c-TF-IDF) over Kiwi nouns and short noun compounds.

A label must read as Korean a reader recognises (사회적경제·사회적기업·협동조합): never particles or
numbers, compounds in place of the parts Kiwi splits them into, and none of the 소개서 form's own
words (추진, 사업, 운영 …) or place names, which c-TF-IDF alone does not remove when themes are few.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from casekit.korean import FORM_STOPWORDS, NOUN_TAGS, REGION_WORDS, get_kiwi

_NOUNISH_SUFFIXES = frozenset({"적", "화", "성", "형"})  # XSN that keep a noun a noun: 사회적, 활성화, 맞춤형
_HAS_DIGIT = re.compile(r"\d")


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
