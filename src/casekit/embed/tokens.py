"""Retrieval tokens of each line, computed once: Kiwi morphemes per word, cached by content on disk.

Kiwi analyses ~55k characters a second on one core, so an archive of 10,000 cases takes minutes to
tokenise. Three things keep that cost paid once:

* every line is analysed once and the result is kept under the index's cache, keyed by a hash of the
  line's text (a re-index only analyses lines it has not seen);
* the lines still to analyse go to Kiwi in one batched call, which uses every core;
* the analysis is kept per whitespace word (`청년들에게` → 청년), so the same table turns a query into
  morphemes without starting Kiwi at all when every word of the query occurs in the archive.

The morphemes kept are the ones that carry meaning for search: nouns (NN*), verb and adjective stems
(VV, VA), roots (XR) and Latin words (SL), each with its tag so that query expansion can pick the nouns.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from casekit.errors import EmbeddingError

#: Part-of-speech tags kept as retrieval morphemes (Sejong tag set, irregular-stem suffixes removed).
RETRIEVAL_TAGS = frozenset({"NNG", "NNP", "NNB", "VV", "VA", "SL", "XR"})
#: Tags whose morphemes get near-synonyms from the `cong` model (general and proper nouns).
EXPANDABLE_TAGS = frozenset({"NNG", "NNP"})

#: One analysed word: the word as written (punctuation stripped) and its (form, tag) morphemes.
WordAnalysis = tuple[str, tuple[tuple[str, str], ...]]

_SPACE = re.compile(r"\S+")
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")
#: Separators of the cache file: between words, between a word and its morphemes, between morphemes.
_WORD_SEP, _PART_SEP, _MORPH_SEP = " ", "\x1f", "|"


def clean_word(word: str) -> str:
    """A word without the punctuation around it ("(청년)" → "청년"), the key of the word table."""
    return _EDGE.sub("", word)


def line_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


def analyse_tokens(text: str, tokens: Iterable[Any]) -> list[WordAnalysis]:
    """Group Kiwi tokens of `text` by the whitespace word they start in, keeping retrieval morphemes."""
    spans = list(_SPACE.finditer(text))
    starts = [m.start() for m in spans]
    morphs: list[list[tuple[str, str]]] = [[] for _ in spans]
    for token in tokens:
        tag = token.tag.split("-")[0]
        if tag in RETRIEVAL_TAGS and spans:
            morphs[max(bisect_right(starts, token.start) - 1, 0)].append((token.form.lower(), tag))
    return [(clean_word(m.group()), tuple(parts)) for m, parts in zip(spans, morphs)]


def _encode(words: Sequence[WordAnalysis]) -> str:
    return _WORD_SEP.join(
        word + _PART_SEP + _MORPH_SEP.join(f"{form}:{tag}" for form, tag in parts) for word, parts in words
    )


def _decode(row: str) -> list[WordAnalysis]:
    out: list[WordAnalysis] = []
    for item in row.split(_WORD_SEP) if row else ():
        word, _, parts = item.partition(_PART_SEP)
        morphs = tuple(tuple(p.rsplit(":", 1)) for p in parts.split(_MORPH_SEP) if p)
        out.append((word, morphs))  # type: ignore[arg-type]
    return out


def kiwi_analyse(texts: Sequence[str]) -> list[list[WordAnalysis]]:
    """Analyse `texts` with the retrieval Kiwi in one batched (multi-threaded) call."""
    from casekit.embed.lexical import tokenizer_kiwi

    if not texts:
        return []
    results = tokenizer_kiwi().tokenize(list(texts))
    return [analyse_tokens(text, tokens) for text, tokens in zip(texts, results)]


class MorphemeCache:
    """Per-word analyses of lines, kept in one append-only file keyed by the hash of each line's text.

    With no `path` it only memoises in memory (tests, one-off indexes).
    """

    def __init__(self, path: Path | None, model: str) -> None:
        self.path = path
        self.model = model
        self._rows: dict[str, str] = {}
        self.hits = 0
        self.misses = 0
        self._fresh = True  # the file must be (re)started with a header before the first append
        if path is not None and path.is_file():
            try:
                with path.open(encoding="utf-8") as handle:
                    if handle.readline().rstrip("\n") == self._header:
                        self._fresh = False
                        for raw in handle:
                            key, tab, row = raw.rstrip("\n").partition("\t")
                            if tab:
                                self._rows[key] = row
            except (OSError, UnicodeDecodeError):
                self._rows = {}  # a damaged cache only costs re-analysing
                self._fresh = True

    @property
    def _header(self) -> str:
        return f"#casekit-morphemes {self.model}"

    def analyse(self, texts: Sequence[str], batch: int = 4096) -> list[list[WordAnalysis]]:
        """Per-word analyses of every text, analysing (and caching) only texts not seen before."""
        keys = [line_key(text) for text in texts]
        todo: dict[str, str] = {}
        for key, text in zip(keys, texts):
            if key not in self._rows and key not in todo:
                todo[key] = text
        self.misses += len(todo)
        self.hits += len(texts) - len(todo)
        items = list(todo.items())
        new_rows: list[str] = []
        for start in range(0, len(items), batch):
            chunk = items[start : start + batch]
            for (key, _), words in zip(chunk, kiwi_analyse([text for _, text in chunk])):
                row = _encode(words)
                self._rows[key] = row
                new_rows.append(f"{key}\t{row}\n")
        if new_rows and self.path is not None:
            self._append(new_rows)
        decoded: dict[str, list[WordAnalysis]] = {}  # a repeated line is decoded once (shared, read-only)
        out = []
        for key in keys:
            if key not in decoded:
                decoded[key] = _decode(self._rows[key])
            out.append(decoded[key])
        return out

    def _append(self, rows: list[str]) -> None:
        assert self.path is not None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("w" if self._fresh else "a", encoding="utf-8") as handle:
                if self._fresh:
                    handle.write(self._header + "\n")
                    handle.writelines(f"{key}\t{row}\n" for key, row in self._rows.items())
                    self._fresh = False
                else:
                    handle.writelines(rows)
        except OSError as exc:
            raise EmbeddingError(f"{self.path}: cannot write the morpheme cache ({exc})") from exc


def morphemes_of(words: Sequence[WordAnalysis]) -> list[str]:
    """The retrieval tokens of one analysed text: its morpheme forms in order."""
    return [form for _, parts in words for form, _ in parts]
