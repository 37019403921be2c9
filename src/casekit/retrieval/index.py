"""The search index of a workspace: passages plus BM25 statistics and/or dense vectors, saved under index/.

    build_index(workspace, backend="lexical")        cases → passages → BM25 (+ dense vectors) under index/
    load_index(workspace)                            the saved index, (re)built first when it is missing,
                                                     stale (cases changed) or of another backend
    index_status(workspace)                          why a search would rebuild it, or None

Backends (chosen by measurement, docs/search.md):

    ngram         BM25 over Hangul character bigrams (fast: ~1M chars/s, no model)
    ngram+cong    the same with near-synonym query expansion from Kiwi's `cong` model (the default)
    lexical       BM25 over Kiwi content morphemes (slow to build: ~25k chars/s)
    lexical+cong  the same with query expansion (best figures on the seed, too slow for 10,000 cases)
    dense:<model> a sentence-transformers model (minilm, bge-m3, e5-small, ko-sroberta, a path …)
    hybrid[:<m>]  reciprocal rank fusion of lexical and dense:<m> (default model: minilm)

The index lives in `Workspace.index_dir`; dense vectors go through the on-disk embedding cache keyed by
(model id, text hash), so re-indexing unchanged cases costs nothing and changing the model rebuilds.
Each case's content fingerprint is kept in meta.json, so a changed workspace is noticed.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from tqdm import tqdm

from casekit.embed import EmbeddingCache, make_embedder
from casekit.embed.base import Embedder
from casekit.errors import EmbeddingError, WorkspaceError
from casekit.parse.model import Case
from casekit.retrieval.bm25 import BM25Index
from casekit.retrieval.passages import PASSAGE_MAX_CHARS, PASSAGE_MIN_CHARS, Passage, split_passages
from casekit.store import Workspace, atomic_write_text

#: Chosen by measurement (docs/search.md): within 0.01 of the best MRR@10 / nDCG@10 on the labelled queries
#: (lexical+cong) while building a 10,000-case index in well under the 3-minute target, offline.
DEFAULT_BACKEND = "ngram+cong"
#: Reciprocal rank fusion constant (Cormack et al. 2009): damps the weight of the very top ranks.
RRF_K = 60
INDEX_VERSION = 1


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
        self._tfidf: sparse.csr_matrix | None = None
        self.passage_case = np.array([p.case_id for p in passages], dtype=object)

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

    # -- what queries and comparisons read ------------------------------------------------------

    def embedder(self) -> Embedder:
        if self._embedder is None:
            if not self.spec.dense_model:
                raise EmbeddingError("this index has no dense vectors")
            self._embedder = make_embedder(self.spec.dense_model)
            if self.meta.get("dense_id") and self._embedder.model_id != self.meta["dense_id"]:
                raise EmbeddingError(
                    f"index was built with {self.meta['dense_id']!r} but {self._embedder.model_id!r} is loaded;"
                    " run `casekit index` again"
                )
        return self._embedder

    def passage_tfidf(self) -> sparse.csr_matrix:
        """L2-normalised TF-IDF rows of the passages, recomputed from their text with the index's idf."""
        if self._tfidf is None:
            analyzer = self.lexical.analyzer if self.lexical is not None else "bigram"
            self._tfidf = BM25Index(analyzer=analyzer).fit_texts(p.text for p in self.passages).tfidf_rows()
        return self._tfidf

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


def _encode_passages(
    model: str, texts: list[str], cache_dir: Path | None, embedder: Embedder | None, progress: bool
) -> tuple[np.ndarray, Embedder, dict[str, int]]:
    use = embedder or make_embedder(model, show_progress=progress)
    if cache_dir is None:
        return use.encode(texts, role="passage"), use, {"hits": 0, "misses": len(texts)}
    cache = EmbeddingCache(cache_dir, use.model_id)
    vectors = cache.get_or_compute(texts, lambda batch: use.encode(batch, role="passage"))
    return vectors, use, {"hits": cache.hits, "misses": cache.misses}


# -- a workspace's index -------------------------------------------------------------------------

_LOADED: dict[tuple[str, float], SearchIndex] = {}


def _build(
    ws: Workspace, backend: str | None, progress: bool = False, embedder: Embedder | None = None
) -> SearchIndex:
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


def current_index(ws: Workspace, backend: str | None = None, rebuild_stale: bool = True) -> SearchIndex:
    """The workspace's index, built on first use (default backend) and rebuilt when cases changed.

    Asking for a different backend than the saved one rebuilds with it. The index read last stays in
    memory until its meta.json changes, so a notebook's searches read it once.
    """
    meta_path = ws.index_dir / "meta.json"
    if not meta_path.is_file():
        return _build(ws, backend)
    key = (str(meta_path.resolve()), meta_path.stat().st_mtime)
    index = _LOADED.get(key) or SearchIndex.load(ws.index_dir)
    if backend and BackendSpec.parse(backend).name != index.spec.name:
        return _build(ws, backend)
    if rebuild_stale and index.stale_reason(ws):
        return _build(ws, index.spec.name)
    _LOADED.clear()
    _LOADED[key] = index
    return index


def build_index(
    workspace: str | Path | Workspace | None = None,
    backend: str | None = None,
    progress: bool = False,
    embedder: Embedder | None = None,
) -> SearchIndex:
    """Index every case of the workspace and save it under `index_dir` (dense vectors via the cache).

    A damaged case record is skipped and named in `meta["skipped"]`; the rest are indexed.
    """
    return _build(Workspace.resolve(workspace), backend, progress, embedder)


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
    return current_index(Workspace.resolve(workspace), backend, rebuild_stale)
