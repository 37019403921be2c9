"""Similarity search over case passages, with the evidence lines: the researcher's question → passages.

    build_index(workspace, backend="lexical")        cases → passages → BM25 (+ dense vectors) under index/
    search("경력단절 여성 재취업", top_k=10)          → DataFrame of passages with case, section, lines
    similar("경산시-a3eb27")                          → DataFrame of other cases, most alike first
    duplicates(threshold=0.8)                         → DataFrame of case pairs sharing near-copied passages

Passages follow the case's own sections (`case.sections`): each heading opens a passage, tiny ones are
merged into the next, long ones are cut at line boundaries, so every hit names a section and the original
line range a judge can open. Backends (chosen by measurement, docs/search.md):

    ngram         BM25 over Hangul character bigrams (fast: ~1M chars/s, no model)
    ngram+cong    the same with near-synonym query expansion from Kiwi's `cong` model (the default)
    lexical       BM25 over Kiwi content morphemes (slow to build: ~25k chars/s)
    lexical+cong  the same with query expansion (best figures on the seed, too slow for 10,000 cases)
    dense:<model> a sentence-transformers model (minilm, bge-m3, e5-small, ko-sroberta, a path …)
    hybrid[:<m>]  reciprocal rank fusion of lexical and dense:<m> (default model: minilm)

The index lives in `Workspace.index_dir`; dense vectors go through the on-disk embedding cache keyed by
(model id, text hash), so re-indexing unchanged cases costs nothing and changing the model rebuilds.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
import types
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from casekit.embed.lexical import BM25Index
from casekit.errors import EmbeddingError, WorkspaceError
from casekit.parse.model import Case
from casekit.store import Workspace, atomic_write_text

if TYPE_CHECKING:
    import pandas as pd

    from casekit.embed.base import Embedder

#: Chosen by measurement (docs/search.md): within 0.01 of the best MRR@10 / nDCG@10 on the labelled queries
#: (lexical+cong) while building a 10,000-case index in well under the 3-minute target, offline.
DEFAULT_BACKEND = "ngram+cong"
#: Reciprocal rank fusion constant (Cormack et al. 2009): damps the weight of the very top ranks.
RRF_K = 60
INDEX_VERSION = 1

PASSAGE_MAX_CHARS = 600
PASSAGE_MIN_CHARS = 120


# -- passages ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Passage:
    """A piece of one case that a hit points at: its section and the original lines it spans."""

    id: str  # "<case_id>#<ordinal>"
    case_id: str
    section: str  # the heading that opens the passage ("개요" for the form header)
    kind: str | None  # section kind (summary, background …) inherited from the enclosing section
    line_start: int  # 1-based lines of the original source file
    line_end: int
    text: str  # repaired text, one line per original line (what is indexed)
    original: str  # the same lines as they stand in the source file (what is shown)
    line_numbers: list[int]  # original line number of each text line


def _section_at(case: Case, start: int) -> tuple[str, str | None]:
    """Heading and kind for a passage opening at line `start`.

    Sections nest and overlap (사례요약 ⊃ □ 공약배경 ⊃ 1. …). The heading is the most specific section
    opening at `start`; the kind is that of the narrowest enclosing section that has one.
    """
    opening = [s for s in case.sections if s.line_start == start]
    heading = max(opening, key=lambda s: (s.level, -s.line_end)).heading if opening else "개요"
    enclosing = sorted(
        (s for s in case.sections if s.line_start <= start <= s.line_end),
        key=lambda s: s.line_end - s.line_start,
    )
    kind = next((s.kind for s in enclosing if s.kind), None)
    if not enclosing and not opening:
        kind = "header"
    return heading.strip(), kind


def split_passages(
    case: Case, max_chars: int = PASSAGE_MAX_CHARS, min_chars: int = PASSAGE_MIN_CHARS
) -> list[Passage]:
    """Cut a case into passages along its sections; every passage keeps its original line range."""
    lines = sorted(case.lines, key=lambda line: line.number)
    if not lines:
        return []
    starts = sorted({s.line_start for s in case.sections} | {lines[0].number})
    regions: list[tuple[int, list[Any]]] = []
    cursor = 0
    for line in lines:
        while cursor + 1 < len(starts) and line.number >= starts[cursor + 1]:
            cursor += 1
        if not regions or regions[-1][0] != starts[cursor]:
            regions.append((starts[cursor], []))
        regions[-1][1].append(line)

    # Merge regions too small to stand alone (a heading with one line) into the next one.
    merged: list[tuple[int, list[Any]]] = []
    for start, region_lines in regions:
        if merged and sum(len(x.text) for x in merged[-1][1]) < min_chars:
            merged[-1] = (merged[-1][0], merged[-1][1] + region_lines)
        else:
            merged.append((start, list(region_lines)))
    if len(merged) > 1 and sum(len(x.text) for x in merged[-1][1]) < min_chars // 2:
        tail = merged.pop()
        merged[-1] = (merged[-1][0], merged[-1][1] + tail[1])

    passages: list[Passage] = []
    for start, region_lines in merged:
        heading, kind = _section_at(case, start)
        # Cut long regions at line boundaries into pieces of about max_chars.
        pieces: list[list[Any]] = [[]]
        size = 0
        for line in region_lines:
            if pieces[-1] and size + len(line.text) > max_chars:
                pieces.append([])
                size = 0
            pieces[-1].append(line)
            size += len(line.text) + 1
        if len(pieces) > 1 and sum(len(x.text) for x in pieces[-1]) < min_chars // 2:
            last = pieces.pop()
            pieces[-1].extend(last)
        for piece in pieces:
            passages.append(
                Passage(
                    id=f"{case.id}#{len(passages):03d}",
                    case_id=case.id,
                    section=heading,
                    kind=kind,
                    line_start=piece[0].number,
                    line_end=piece[-1].number,
                    text="\n".join(x.text for x in piece),
                    original="\n".join(x.original_text for x in piece),
                    line_numbers=[x.number for x in piece],
                )
            )
    return passages


def _case_info(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.id,
        "municipality": case.municipality,
        "region": case.region,
        "group": case.group,
        "title": case.title,
        "field": case.field,
        "year": case.year,
        "source": case.source,
    }


def _case_fingerprint(case: Case) -> str:
    digest = hashlib.sha256(case.text.encode("utf-8"))
    digest.update(json.dumps([asdict(s) for s in case.sections], ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:16]


# -- backends ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackendSpec:
    """A parsed backend name: whether it uses BM25 (and how it analyses text), which dense model."""

    name: str
    lexical: bool
    dense_model: str | None
    expand: bool
    analyzer: str = "bigram"

    @classmethod
    def parse(cls, name: str | None) -> BackendSpec:
        name = (name or DEFAULT_BACKEND).strip()
        lexical_names = {
            "lexical": ("morph", False),
            "lexical+cong": ("morph", True),
            "ngram": ("bigram", False),
            "ngram+cong": ("bigram", True),
        }
        if name in lexical_names:
            analyzer, expand = lexical_names[name]
            return cls(name, True, None, expand, analyzer)
        if name == "hybrid" or name.startswith("hybrid:"):
            model = name.split(":", 1)[1] if ":" in name else "minilm"
            return cls(f"hybrid:{model}", True, model, True, "bigram")
        if name.startswith("dense:") or name.startswith("st:"):
            model = name.split(":", 1)[1]
            if not model:
                raise EmbeddingError(f"backend {name!r} names no model")
            return cls(f"dense:{model}", False, model, False)
        if name in ("dense", "minilm", "bge-m3", "ko-sroberta", "e5-small") or "/" in name:
            model = "minilm" if name == "dense" else name
            return cls(f"dense:{model}", False, model, False)
        raise EmbeddingError(
            f"unknown search backend {name!r}: use ngram, ngram+cong, lexical, lexical+cong, dense:<model>, "
            "hybrid or hybrid:<model>"
        )


def rrf_fuse(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion: score(d) = Σ 1 / (k + rank of d in each ranking), ranks from 1."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking, start=1):
            fused[doc] = fused.get(doc, 0.0) + 1.0 / (k + rank)
    return fused


# -- the index -----------------------------------------------------------------------------------


def _progress(iterable: Iterable[Any], total: int, desc: str, enabled: bool) -> Iterable[Any]:
    if not enabled:
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="case", file=sys.stderr, leave=False)


class SearchIndex:
    """Passages of a workspace plus their BM25 statistics and/or dense vectors, loaded into memory."""

    def __init__(
        self,
        spec: BackendSpec,
        passages: list[Passage],
        cases: dict[str, dict[str, Any]],
        lexical: BM25Index | None,
        dense: np.ndarray | None,
        meta: dict[str, Any],
        embedder: Embedder | None = None,
    ) -> None:
        self.spec = spec
        self.passages = passages
        self.cases = cases
        self.lexical = lexical
        self.dense = dense
        self.meta = meta
        self._embedder = embedder
        self._passage_case = np.array([p.case_id for p in passages], dtype=object)

    # -- build / save / load --------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        cases: Sequence[Case],
        backend: str | None = None,
        cache_dir: Path | None = None,
        embedder: Embedder | None = None,
        progress: bool = False,
        max_chars: int = PASSAGE_MAX_CHARS,
        min_chars: int = PASSAGE_MIN_CHARS,
    ) -> SearchIndex:
        spec = BackendSpec.parse(backend)
        started = time.perf_counter()
        passages: list[Passage] = []
        infos: dict[str, dict[str, Any]] = {}
        fingerprints: dict[str, str] = {}
        for case in _progress(cases, len(cases), "passages", progress):
            passages.extend(split_passages(case, max_chars, min_chars))
            infos[case.id] = _case_info(case)
            fingerprints[case.id] = _case_fingerprint(case)
        if not passages:
            raise WorkspaceError("no case text to index: ingest some case reports first")
        texts = [p.text for p in passages]
        lexical = None
        if spec.lexical:
            lexical = BM25Index(expand=spec.expand, analyzer=spec.analyzer).fit_texts(texts)
        dense = None
        cache_stats = {"hits": 0, "misses": 0}
        if spec.dense_model:
            dense, embedder, cache_stats = _encode_passages(
                spec.dense_model, texts, cache_dir, embedder, progress
            )
        meta = {
            "version": INDEX_VERSION,
            "backend": spec.name,
            "lexical_id": lexical.model_id if lexical else None,
            "dense_id": embedder.model_id if (embedder is not None and spec.dense_model) else None,
            "passages": len(passages),
            "cases": fingerprints,
            "max_chars": max_chars,
            "min_chars": min_chars,
            "cache": cache_stats,
            "build_seconds": round(time.perf_counter() - started, 3),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        return cls(spec, passages, infos, lexical, dense, meta, embedder)

    def save(self, directory: Path) -> None:
        """Write the index to `directory` (files replaced one by one; meta.json last marks it complete)."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "meta.json").unlink(missing_ok=True)
        rows = [json.dumps(asdict(p), ensure_ascii=False) for p in self.passages]
        atomic_write_text(directory / "passages.jsonl", "\n".join(rows) + "\n")
        atomic_write_text(directory / "cases.json", json.dumps(self.cases, ensure_ascii=False))
        for stale in ("bm25.npz", "bm25.json", "bm25_idf.npy", "dense.npy"):
            (directory / stale).unlink(missing_ok=True)
        if self.lexical is not None:
            self.lexical.save(directory)
        if self.dense is not None:
            np.save(directory / "dense.npy", self.dense)
        atomic_write_text(directory / "meta.json", json.dumps(self.meta, ensure_ascii=False, indent=1) + "\n")

    @classmethod
    def load(cls, directory: Path) -> SearchIndex:
        meta_path = directory / "meta.json"
        if not meta_path.is_file():
            raise EmbeddingError(f"no search index in {directory}: run `casekit index` first")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("version") != INDEX_VERSION:
                raise EmbeddingError(
                    f"{directory}: index format {meta.get('version')} is outdated; run `casekit index`"
                )
            passages = [
                Passage(**json.loads(row))
                for row in (directory / "passages.jsonl").read_text(encoding="utf-8").splitlines()
                if row.strip()
            ]
            cases = json.loads((directory / "cases.json").read_text(encoding="utf-8"))
            dense = np.load(directory / "dense.npy") if (directory / "dense.npy").is_file() else None
        except (OSError, ValueError, TypeError) as exc:
            raise EmbeddingError(
                f"{directory}: damaged search index ({exc}); run `casekit index` again"
            ) from exc
        spec = BackendSpec.parse(meta["backend"])
        lexical = BM25Index.load(directory) if spec.lexical else None
        return cls(spec, passages, cases, lexical, dense, meta)

    # -- querying -------------------------------------------------------------------------------

    def embedder(self) -> Embedder:
        if self._embedder is None:
            from casekit.embed import make_embedder

            if not self.spec.dense_model:
                raise EmbeddingError("this index has no dense vectors")
            self._embedder = make_embedder(self.spec.dense_model)
            if self.meta.get("dense_id") and self._embedder.model_id != self.meta["dense_id"]:
                raise EmbeddingError(
                    f"index was built with {self.meta['dense_id']!r} but {self._embedder.model_id!r} is loaded;"
                    " run `casekit index` again"
                )
        return self._embedder

    def _mask(self, field: str | None, region: str | None, group: str | None) -> np.ndarray | None:
        if not (field or region or group):
            return None
        wanted_region = _normalise_region(region) if region else None
        keep = set()
        for case_id, info in self.cases.items():
            if field and not _matches(info.get("field"), field):
                continue
            if wanted_region and info.get("region") != wanted_region and info.get("municipality") != region:
                continue
            if group and info.get("group") != group:
                continue
            keep.add(case_id)
        return np.array([cid in keep for cid in self._passage_case], dtype=bool)

    def rank(
        self,
        query: str,
        top_k: int = 10,
        field: str | None = None,
        region: str | None = None,
        group: str | None = None,
        per_case: int | None = None,
    ) -> list[tuple[int, float]]:
        """(passage index, score) pairs, best first. `per_case` caps passages from any one case."""
        if not query.strip():
            raise EmbeddingError("empty query")
        mask = self._mask(field, region, group)
        depth = max(100, top_k * 10)
        rankings: list[list[int]] = []
        scores_by: list[np.ndarray] = []
        if self.lexical is not None:
            scores = self.lexical.scores(query)
            if mask is not None:
                scores = np.where(mask, scores, -np.inf)
            order = _top(scores, depth)
            rankings.append([int(i) for i in order if scores[i] > 0])
            scores_by.append(scores)
        if self.dense is not None:
            vector = self.embedder().encode([query], role="query")[0]
            scores = self.dense @ vector
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
            for index, score in ranked:
                case_id = self.passages[index].case_id
                if counts.get(case_id, 0) < per_case:
                    counts[case_id] = counts.get(case_id, 0) + 1
                    capped.append((index, score))
            ranked = capped
        return ranked[:top_k]

    def hits(self, query: str, top_k: int = 10, **filters: Any) -> list[dict[str, Any]]:
        """Search results as plain records (what the CLI prints as JSON)."""
        from casekit.embed.lexical import bigrams

        terms = set(bigrams(query))
        rows = []
        for rank, (index, score) in enumerate(self.rank(query, top_k, **filters), start=1):
            passage = self.passages[index]
            info = self.cases.get(passage.case_id, {})
            snippet, match_line = _snippet(passage, terms)
            rows.append(
                {
                    "rank": rank,
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

    def stale_reason(self, ws: Workspace) -> str | None:
        """Why the index no longer matches the workspace's cases (None when it does)."""
        indexed = set(self.meta.get("cases", {})) | set(self.meta.get("skipped", {}))
        current = set(ws.case_ids())
        if indexed != current:
            added, removed = len(current - indexed), len(indexed - current)
            return f"the workspace changed since indexing ({added} new, {removed} removed cases)"
        expected = BM25Index(expand=self.spec.expand, analyzer=self.spec.analyzer)
        if self.lexical is not None and self.meta.get("lexical_id") != expected.model_id:
            return "the index was built with another Korean tokenizer"
        return None


def _top(scores: np.ndarray, depth: int) -> np.ndarray:
    depth = min(depth, scores.shape[0])
    if depth <= 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-scores, depth - 1)[:depth]
    return part[np.lexsort((part, -scores[part]))]


def _matches(value: str | None, wanted: str) -> bool:
    return value is not None and (value == wanted or wanted in value)


def _normalise_region(region: str) -> str:
    from casekit.parse.gazetteer import PROVINCES

    return PROVINCES.get(region, region)


def _snippet(passage: Passage, terms: set[str], width: int = 3, limit: int = 320) -> tuple[str, int]:
    """Original lines around the line sharing most query bigrams: what the researcher reads first."""
    from casekit.embed.lexical import bigrams

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


def _encode_passages(
    model: str, texts: list[str], cache_dir: Path | None, embedder: Embedder | None, progress: bool
) -> tuple[np.ndarray, Embedder, dict[str, int]]:
    from casekit.embed import EmbeddingCache, make_embedder

    use = embedder or make_embedder(model, show_progress=progress)
    if cache_dir is None:
        return use.encode(texts, role="passage"), use, {"hits": 0, "misses": len(texts)}
    cache = EmbeddingCache(cache_dir, use.model_id)
    vectors = cache.get_or_compute(texts, lambda batch: use.encode(batch, role="passage"))
    return vectors, use, {"hits": cache.hits, "misses": cache.misses}


# -- workspace-level API -------------------------------------------------------------------------

_LOADED: dict[tuple[str, float], SearchIndex] = {}


def build_index(
    workspace: str | Path | Workspace | None = None,
    backend: str | None = None,
    progress: bool = False,
    embedder: Embedder | None = None,
) -> SearchIndex:
    """Index every case of the workspace and save it under `index_dir` (dense vectors via the cache).

    A damaged case record is skipped and named in `meta["skipped"]`; the rest are indexed.
    """
    ws = Workspace.resolve(workspace)
    cases: list[Case] = []
    skipped: dict[str, str] = {}
    for case_id in ws.case_ids():
        try:
            cases.append(ws.load_case(case_id))
        except WorkspaceError as exc:
            skipped[case_id] = str(exc)
    if not cases:
        ws.load_cases()  # raises the workspace's own "no cases: run casekit ingest" error
    cases.sort(key=lambda c: (c.source, c.line_start))
    index = SearchIndex.build(
        cases, backend, cache_dir=ws.index_dir / "cache", embedder=embedder, progress=progress
    )
    index.meta["skipped"] = skipped
    index.save(ws.index_dir)
    _LOADED.clear()
    return index


def index_status(workspace: str | Path | Workspace | None = None) -> str | None:
    """Why `search` would (re)build the index first, or None when the saved index is current."""
    ws = Workspace.resolve(workspace)
    if not (ws.index_dir / "meta.json").is_file():
        return "no search index yet"
    try:
        return SearchIndex.load(ws.index_dir).stale_reason(ws)
    except EmbeddingError as exc:
        return str(exc)


def load_index(
    workspace: str | Path | Workspace | None = None, backend: str | None = None, rebuild_stale: bool = True
) -> SearchIndex:
    """The workspace's index, built on first use (default backend) and rebuilt when cases changed.

    Asking for a different backend than the saved one rebuilds with it.
    """
    ws = Workspace.resolve(workspace)
    meta_path = ws.index_dir / "meta.json"
    if not meta_path.is_file():
        return build_index(ws, backend)
    key = (str(meta_path.resolve()), meta_path.stat().st_mtime)
    index = _LOADED.get(key) or SearchIndex.load(ws.index_dir)
    if backend and BackendSpec.parse(backend).name != index.spec.name:
        return build_index(ws, backend)
    if rebuild_stale and index.stale_reason(ws):
        return build_index(ws, index.spec.name)
    _LOADED.clear()
    _LOADED[key] = index
    return index


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

    index = load_index(workspace, backend)
    rows = index.hits(query, top_k, field=field, region=region, group=group, per_case=per_case)
    columns = [
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
    return pd.DataFrame(rows, columns=columns)


def _case_matrix(index: SearchIndex) -> tuple[list[str], np.ndarray | sparse.csr_matrix]:
    """One row per case: normalised mean of dense passage vectors, else TF-IDF of the case's passages."""
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
    rows = _passage_tfidf(index)
    summed = sparse.csr_matrix(membership @ rows)
    norms = np.sqrt(np.asarray(summed.multiply(summed).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return case_ids, sparse.csr_matrix(sparse.diags(1.0 / norms) @ summed)


def _passage_tfidf(index: SearchIndex) -> sparse.csr_matrix:
    """L2-normalised TF-IDF rows of the passages, recomputed from their text with the index's idf."""
    cached = getattr(index, "_tfidf", None)
    if cached is not None:
        return cached
    analyzer = index.lexical.analyzer if index.lexical is not None else "bigram"
    rows = BM25Index(analyzer=analyzer).fit_texts(p.text for p in index.passages).tfidf_rows()
    index._tfidf = rows  # type: ignore[attr-defined]
    return rows


def similar(
    case_id: str, top_k: int = 10, workspace: str | Path | Workspace | None = None, backend: str | None = None
) -> pd.DataFrame:
    """Other cases ranked by likeness to `case_id` (cosine of case vectors), with the closest passage pair."""
    import pandas as pd

    index = load_index(workspace, backend)
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
    for rank, other in enumerate(order, start=1):
        info = index.cases[case_ids[other]]
        pair = _closest_pair(index, case_id, case_ids[other])
        rows.append({"rank": rank, **info, "score": round(float(scores[other]), 6), **pair})
    columns = [
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
    return pd.DataFrame(rows, columns=columns)


def _closest_pair(index: SearchIndex, a: str, b: str) -> dict[str, Any]:
    rows = _passage_tfidf(index)
    ia = [i for i, p in enumerate(index.passages) if p.case_id == a and p.kind != "header"]
    ib = [i for i, p in enumerate(index.passages) if p.case_id == b and p.kind != "header"]
    if not ia or not ib:
        return {}
    sims = np.asarray((rows[ia] @ rows[ib].T).todense())
    x, y = np.unravel_index(int(np.argmax(sims)), sims.shape)
    pa, pb = index.passages[ia[x]], index.passages[ib[y]]
    return {
        "passage": pa.section,
        "lines": f"{pa.line_start}-{pa.line_end}",
        "other_passage": pb.section,
        "other_lines": f"{pb.line_start}-{pb.line_end}",
        "passage_score": round(float(sims[x, y]), 6),
    }


def duplicates(
    threshold: float = 0.8,
    workspace: str | Path | Workspace | None = None,
    min_tokens: int = 12,
    max_df: float = 0.05,
    include_same_case: bool = False,
) -> pd.DataFrame:
    """Pairs of near-copied passages across cases (TF-IDF cosine ≥ threshold), most similar first.

    All-pairs cosine over 100,000 passages is too much, so candidates come from terms that are rare in
    the archive (document frequency ≤ `max_df`): cos(a, b) = a_rare·b_rare + a_common·b_common, and the
    common part is at most |a_common|·|b_common| (Cauchy-Schwarz), so a pair is scored exactly only when
    a_rare·b_rare plus that bound reaches the threshold. Pairs sharing no rare term at all are not
    examined: a near-copy of a real passage shares its rare words. Passages with fewer than `min_tokens`
    terms (titles, footers) and the form header (the same template in every case) are ignored.
    Returns one row per passage pair with both cases' ids, sections, lines and opening text.
    """
    import pandas as pd

    index = load_index(workspace)
    rows = _passage_tfidf(index)
    n = rows.shape[0]
    eligible = (np.diff(rows.indptr) >= min_tokens) & np.array([p.kind != "header" for p in index.passages])
    df = np.bincount(rows.indices, minlength=rows.shape[1])
    rare = (df <= max(2, int(max_df * n))).astype(np.float32)
    rare_part = sparse.csr_matrix(rows @ sparse.diags(rare))
    common_part = sparse.csr_matrix(rows @ sparse.diags(1.0 - rare))
    common_norm = np.sqrt(np.asarray(common_part.multiply(common_part).sum(axis=1)).ravel())
    rare_part = sparse.csr_matrix(sparse.diags(eligible.astype(np.float32)) @ rare_part)
    rare_part.eliminate_zeros()
    case_codes = {cid: k for k, cid in enumerate(index.cases)}
    case_of = np.array([case_codes.get(p.case_id, -1) for p in index.passages])
    found_i: list[np.ndarray] = []
    found_j: list[np.ndarray] = []
    found_s: list[np.ndarray] = []
    chunk = 2048
    for start in range(0, n, chunk):
        overlap = sparse.csr_matrix(rare_part[start : start + chunk] @ rare_part.T).tocoo()
        i = overlap.row.astype(np.int64) + start
        j = overlap.col.astype(np.int64)
        keep = (j > i) & (overlap.data + common_norm[i] * common_norm[j] >= threshold)
        if not include_same_case:
            keep &= case_of[i] != case_of[j]
        i, j = i[keep], j[keep]
        for offset in range(0, len(i), 50_000):
            left, right = i[offset : offset + 50_000], j[offset : offset + 50_000]
            exact = np.asarray(rows[left].multiply(rows[right]).sum(axis=1)).ravel()
            good = exact >= threshold
            found_i.append(left[good])
            found_j.append(right[good])
            found_s.append(exact[good])
    pairs_i = np.concatenate(found_i) if found_i else np.zeros(0, dtype=np.int64)
    pairs_j = np.concatenate(found_j) if found_j else np.zeros(0, dtype=np.int64)
    scores = np.concatenate(found_s) if found_s else np.zeros(0)
    out = []
    for k in np.argsort(-scores, kind="stable"):
        a, b = index.passages[int(pairs_i[k])], index.passages[int(pairs_j[k])]
        ia, ib = index.cases.get(a.case_id, {}), index.cases.get(b.case_id, {})
        out.append(
            {
                "case_a": a.case_id,
                "municipality_a": ia.get("municipality"),
                "section_a": a.section,
                "line_start_a": a.line_start,
                "line_end_a": a.line_end,
                "source_a": ia.get("source"),
                "case_b": b.case_id,
                "municipality_b": ib.get("municipality"),
                "section_b": b.section,
                "line_start_b": b.line_start,
                "line_end_b": b.line_end,
                "source_b": ib.get("source"),
                "score": round(float(scores[k]), 6),
                "snippet_a": a.original[:160],
                "snippet_b": b.original[:160],
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "case_a",
            "municipality_a",
            "section_a",
            "line_start_a",
            "line_end_a",
            "source_a",
            "case_b",
            "municipality_b",
            "section_b",
            "line_start_b",
            "line_end_b",
            "source_b",
            "score",
            "snippet_a",
            "snippet_b",
        ],
    )


def duplicate_cases(pairs: pd.DataFrame, workspace: str | Path | Workspace | None = None) -> pd.DataFrame:
    """Passage pairs from `duplicates` summed up per case pair: how much of each case is copied."""
    import pandas as pd

    if pairs.empty:
        return pd.DataFrame(columns=["case_a", "case_b", "passages", "share_a", "share_b", "max_score"])
    index = load_index(workspace)
    counts: dict[str, int] = {}
    for passage in index.passages:
        counts[passage.case_id] = counts.get(passage.case_id, 0) + 1
    grouped = (
        pairs.groupby(["case_a", "case_b"])
        .agg(
            passages=("score", "size"),
            max_score=("score", "max"),
            copied_a=("line_start_a", "nunique"),
            copied_b=("line_start_b", "nunique"),
        )
        .reset_index()
    )
    grouped["share_a"] = [round(c / counts.get(a, 1), 3) for a, c in zip(grouped.case_a, grouped.copied_a)]
    grouped["share_b"] = [round(c / counts.get(b, 1), 3) for b, c in zip(grouped.case_b, grouped.copied_b)]
    grouped = grouped.sort_values(["passages", "max_score"], ascending=False)
    return grouped[["case_a", "case_b", "passages", "share_a", "share_b", "max_score"]].reset_index(drop=True)


# `casekit.search` is both this module and, through the package's lazy exports, the `search` function.
# Once anything imports the module, Python binds the attribute `casekit.search` to the module itself, so
# the module is made callable: `casekit.search("…")` works either way.
class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return search(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
