"""Building a window backend's line index: every line tokenised once, its vocabulary tables beside it.

Kiwi is the cost of an index (~55k characters a second a core), so lines go through the morpheme cache
(`casekit.embed.tokens.MorphemeCache`, keyed by each line's text) in one batched call that uses every
core; bigrams cost nothing by comparison. The same analyses give the word table and the nouns whose
near-synonyms make the expansion table (`casekit.retrieval.vocabulary`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casekit.embed.lexical import bigrams
from casekit.embed.tokens import EXPANDABLE_TAGS, MorphemeCache, morphemes_of
from casekit.retrieval.lines import LineIndex
from casekit.retrieval.vocabulary import Vocabulary, expansion_table, word_table

if TYPE_CHECKING:
    from casekit.parse.model import Case  # annotations only: the parser costs ~0.1 s to import


def _installed_version(package: str) -> str:
    """A package's version from its dist-info folder name, without importing it or importlib.metadata
    (each costs tens of milliseconds, on every `casekit search`)."""
    spec = find_spec(package)
    if spec is None or not spec.origin:
        return "missing"
    site = Path(spec.origin).resolve().parent.parent
    found = sorted(site.glob(f"{package}-*.dist-info"))
    if len(found) == 1:
        return found[0].name[len(package) + 1 : -len(".dist-info")]
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - a broken install
        return "unknown"


@lru_cache(maxsize=1)
def tokenizer_id() -> str:
    """Names the Kiwi that tokenises without loading it (the staleness check must stay cheap)."""
    return f"kiwi-{_installed_version('kiwipiepy')}-{_installed_version('kiwipiepy_model')}-cong-light"


def case_line_texts(cases: Sequence[Case]) -> list[str]:
    """Repaired text of every line of `cases`, in the order `LineIndex.build` lays them out."""
    return [line.text for case in cases for line in sorted(case.lines, key=lambda line: line.number)]


def build_lines(
    cases: Sequence[Case],
    analyzers: Sequence[str],
    expand: bool,
    cache_dir: Path | None = None,
    previous: Vocabulary | None = None,
) -> tuple[LineIndex, Vocabulary, dict[str, Any]]:
    """The line index of `cases` for `analyzers` ("morph", "bigram"), its vocabulary and timings."""
    texts = case_line_texts(cases)
    tokens: dict[str, list[list[str]]] = {}
    stats: dict[str, Any] = {"lines": len(texts), "chars": sum(len(t) for t in texts)}
    words: dict[str, str] = {}
    nouns: set[str] = set()
    if "morph" in analyzers:
        started = time.perf_counter()
        path = cache_dir / f"morphemes-{tokenizer_id()}.tsv" if cache_dir is not None else None
        cache = MorphemeCache(path, tokenizer_id())
        analysed = cache.analyse(texts)
        tokens["morph"] = [morphemes_of(words_) for words_ in analysed]
        words = word_table(analysed)
        nouns = {
            form for line in analysed for _, parts in line for form, tag in parts if tag in EXPANDABLE_TAGS
        }
        stats["morph_s"] = round(time.perf_counter() - started, 3)
        stats["morph_cache"] = {"hits": cache.hits, "misses": cache.misses}
    if "bigram" in analyzers:
        started = time.perf_counter()
        tokens["bigram"] = [bigrams(text) for text in texts]
        stats["bigram_s"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    lines = LineIndex.build(cases, tokens)
    stats["postings_s"] = round(time.perf_counter() - started, 3)
    expansion: dict[str, str] = {}
    if expand and "morph" in lines.postings:
        started = time.perf_counter()
        expansion = expansion_table(
            nouns, lines.postings["morph"].vocab, previous.expansion() if previous else None
        )
        stats["expansion_s"] = round(time.perf_counter() - started, 3)
    return lines, Vocabulary.from_tables(words, expansion), stats
