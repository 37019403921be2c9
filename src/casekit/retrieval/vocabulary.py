"""Query terms without starting Kiwi: the archive's word table and its near-synonym table.

Kiwi's `cong` model takes about a second to load (several without light dictionaries), far more than a
search. Both things a query needs from it are prepared when the index is built:

* the **word table**: every whitespace word of the archive (`청년들에게`) with the morphemes Kiwi found
  in it (청년). A query whose words all occur in the archive becomes morphemes by lookup; only a query
  with an unseen word starts Kiwi, and the words it analyses are remembered next to the index;
* the **expansion table**: for every noun of the archive, the nouns `cong` places closest to it
  (일자리 → 고용, 취업 …, similarity ≥ 0.6) that also occur in the archive. A query noun adds its
  near-synonyms as whole morphemes (not bigram fragments such as 직자, 업자), weighted by
  `weight × similarity`, at most `per_term` for a noun and `total` for a query.

Both are sorted string tables searched by bisection (`SortedTable`), read in a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from casekit.embed.lexical import bigrams, near_synonyms
from casekit.embed.tokens import EXPANDABLE_TAGS, WordAnalysis, clean_word, kiwi_analyse
from casekit.retrieval.lines import SortedTable
from casekit.store import atomic_write_text

#: Query expansion: weight of a near-synonym relative to the query's own term, per similarity point.
EXPAND_WEIGHT = 0.3
EXPAND_PER_TERM = 3
EXPAND_TOTAL = 12
#: Near-synonyms asked of `cong` per noun, and the similarity floor.
EXPAND_TOP_N = 6
EXPAND_MIN_SCORE = 0.6


def _encode_morphs(parts: Sequence[tuple[str, str]]) -> str:
    return "|".join(f"{form}:{tag}" for form, tag in parts)


def _decode_morphs(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(tuple(p.rsplit(":", 1)) for p in text.split("|") if p)  # type: ignore[misc]


def _write_table(path: Path, table: dict[str, str]) -> None:
    keys = sorted(table)
    atomic_write_text(path, "".join(f"{key}\t{table[key]}\n" for key in keys))


def _read_table(path: Path) -> tuple[SortedTable, list[str]]:
    if not path.is_file():
        return SortedTable([]), []
    keys, values = [], []
    for row in path.read_text(encoding="utf-8").splitlines():
        key, _, value = row.partition("\t")
        keys.append(key)
        values.append(value)
    return SortedTable(keys), values


def word_table(analysed: Iterable[Sequence[WordAnalysis]]) -> dict[str, str]:
    """Each word of the archive → its morphemes as Kiwi analysed it where it first occurred."""
    table: dict[str, str] = {}
    for words in analysed:
        for word, parts in words:
            if word and word not in table:
                table[word] = _encode_morphs(parts)
    return table


def expansion_table(
    nouns: Iterable[str], vocabulary: SortedTable, previous: dict[str, str] | None = None
) -> dict[str, str]:
    """Each noun (two characters or more) → its `cong` near-synonyms found in `vocabulary`, with scores.

    `previous` (the table of the last build) spares asking `cong` again for nouns it already answered.
    """
    previous = previous or {}
    table: dict[str, str] = {}
    for noun in sorted(set(nouns)):
        if len(noun) < 2:
            continue
        if noun in previous:
            if previous[noun]:
                table[noun] = previous[noun]
            continue
        close = [
            (form, score)
            for form, score in near_synonyms(noun, EXPAND_TOP_N, EXPAND_MIN_SCORE)
            if form != noun and form in vocabulary
        ]
        table[noun] = "|".join(f"{form}:{score:.3f}" for form, score in close)
    return table  # nouns without near-synonyms stay (empty), so the next build need not ask again


@dataclass
class QueryTerms:
    """What a query asks each analyzer for: {term: weight}, plus the words Kiwi had to analyse."""

    terms: dict[str, dict[str, float]]
    morphemes: list[str]
    unseen: list[str] = field(default_factory=list)


class Vocabulary:
    """The word table and the expansion table of an index, and the query words analysed since."""

    def __init__(
        self,
        words: SortedTable,
        analyses: list[str],
        nouns: SortedTable,
        synonyms: list[str],
        learned_path: Path | None = None,
    ) -> None:
        self.words = words
        self.analyses = analyses
        self.nouns = nouns
        self.synonyms = synonyms
        self.learned_path = learned_path
        self._learned: dict[str, str] | None = None

    # -- build / save / load --------------------------------------------------------------------

    @classmethod
    def from_tables(cls, words: dict[str, str], expansion: dict[str, str]) -> Vocabulary:
        keys = sorted(words)
        nouns = sorted(expansion)
        return cls(
            SortedTable(keys), [words[k] for k in keys], SortedTable(nouns), [expansion[k] for k in nouns]
        )

    def save(self, directory: Path) -> None:
        _write_table(directory / "words.tsv", dict(zip(self.words.keys, self.analyses)))
        _write_table(directory / "expansion.tsv", dict(zip(self.nouns.keys, self.synonyms)))

    @classmethod
    def load(cls, directory: Path, learned_path: Path | None = None) -> Vocabulary:
        words, analyses = _read_table(directory / "words.tsv")
        nouns, synonyms = _read_table(directory / "expansion.tsv")
        return cls(words, analyses, nouns, synonyms, learned_path)

    def expansion(self) -> dict[str, str]:
        return dict(zip(self.nouns.keys, self.synonyms))

    # -- queries --------------------------------------------------------------------------------

    def _learned_words(self) -> dict[str, str]:
        if self._learned is None:
            self._learned = {}
            if self.learned_path is not None and self.learned_path.is_file():
                for row in self.learned_path.read_text(encoding="utf-8").splitlines():
                    word, _, value = row.partition("\t")
                    self._learned[word] = value
        return self._learned

    def _lookup(self, word: str) -> str | None:
        i = self.words.find(word)
        if i >= 0:
            return self.analyses[i]
        return self._learned_words().get(word)

    def analyse(self, query: str) -> tuple[list[tuple[str, str]], list[str]]:
        """(form, tag) morphemes of `query`, and the words that were not in the tables (Kiwi ran)."""
        words = [w for w in (clean_word(raw) for raw in query.split()) if w]
        found = [self._lookup(w) for w in words]
        unseen = [w for w, value in zip(words, found) if value is None]
        if not unseen:
            return [m for value in found if value for m in _decode_morphs(value)], []
        analysed = kiwi_analyse([query])[0]
        learned = {word: _encode_morphs(parts) for word, parts in analysed if word in unseen}
        self._remember(learned)
        return [m for _, parts in analysed for m in parts], unseen

    def _remember(self, learned: dict[str, str]) -> None:
        self._learned_words().update(learned)
        if self.learned_path is None or not learned:
            return
        try:
            self.learned_path.parent.mkdir(parents=True, exist_ok=True)
            with self.learned_path.open("a", encoding="utf-8") as handle:
                handle.writelines(f"{w}\t{v}\n" for w, v in learned.items())
        except OSError:
            pass  # remembering only saves time next query

    def near(self, noun: str) -> list[tuple[str, float]]:
        i = self.nouns.find(noun)
        if i < 0:
            return []
        out = []
        for item in filter(None, self.synonyms[i].split("|")):
            form, _, score = item.rpartition(":")
            if form:
                out.append((form, float(score)))
        return out

    def query_terms(
        self,
        query: str,
        analyzers: Sequence[str],
        expand: bool = True,
        weight: float = EXPAND_WEIGHT,
        per_term: int = EXPAND_PER_TERM,
        total: int = EXPAND_TOTAL,
    ) -> QueryTerms:
        """Weighted terms of `query` for each analyzer: own morphemes (1), near-synonyms (weight × sim)."""
        terms: dict[str, dict[str, float]] = {}
        morphs: list[tuple[str, str]] = []
        unseen: list[str] = []
        if "morph" in analyzers:
            morphs, unseen = self.analyse(query)
            own = {form: 1.0 for form, _ in morphs}
            if expand:
                added: dict[str, float] = {}
                for form, tag in morphs:
                    if tag not in EXPANDABLE_TAGS or len(form) < 2:
                        continue
                    for synonym, score in self.near(form)[:per_term]:
                        if synonym not in own:
                            added[synonym] = max(added.get(synonym, 0.0), weight * score)
                for synonym, value in sorted(added.items(), key=lambda item: -item[1])[:total]:
                    own[synonym] = value
            terms["morph"] = own
        if "bigram" in analyzers:
            terms["bigram"] = {term: 1.0 for term in bigrams(query)}
        return QueryTerms(terms, [form for form, _ in morphs], unseen)
