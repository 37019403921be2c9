"""From a metric to an outcome category: the words around the figure decide, unknown stays unknown.

A metric of the right kind (persons, money, count …) goes to the category whose cue words stand nearest to
its figure. What is read, for each metric:

    the line        every cue word found in the figure's line, weighted by its distance to the figure (a
                    word across a comma or past another figure counts less: in "교육23명, 취업 17명" the 17
                    belongs to 취업, the 23 to 교육); curated cues are matched in the text with spaces
                    ignored, so compounds (일자리창출, 창업업체) and particles (일자리를) need no list;
    near-synonyms   Kiwi morphemes of the line that the `cong` model places near a category's seed words
                    (일자리 ≈ 고용, 취업자), at a reduced weight; matched as whole morphemes, never as
                    substrings, because the model's neighbours are noisy as text;
    the label       the metric's own label (for a table cell: its row and column headers) once more;
    the table       for a table cell, the header lines above its rows, and the column header of its cell
                    when the header has one word per cell;
    the unit        a unit that itself says the category ("12회" is a session, "3개소" a facility).
    an HTML row     (one tab-separated line per <tr>) its own cell instead of the line, its column's header
                    cells, its row header and the noun that header counts ("협동조합 수(누적)"), so the
                    row's other columns are not taken for the figure's words (`_cell_site`).

Below the taxonomy's `min_score` a figure is left unknown rather than guessed. The temporal reading refines the
metric's own: a figure whose sentence estimates (예상, 추정, 전망, 유발효과, "것으로 분석") is a forecast even
when the sentence continues on the next line, which the metric extractor does not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from casekit.ingest.html import line_position
from casekit.ingest.model import Line
from casekit.outcomes.model import Indicator
from casekit.outcomes.taxonomy import Category, Taxonomy, load_taxonomy
from casekit.parse.model import Case

#: Estimating words: a figure in such a sentence is a forecast, not an achievement.
FORECAST = re.compile(
    r"예상|추정|전망|추계|예측|시산|것으로\s*(?:분석|보임|판단|보여)|유발\s*효과|파급\s*효과|발생될|될\s*것|할\s*것"
)
#: What separates clauses within a line: a cue across one of these belongs to another figure, mostly.
_SEPARATOR = re.compile(r"[,，;/|∙•▸‣·]|\s[-–]\s|및")
_FIGURE = re.compile(r"\d")
#: A change written "A → B" / "A에서 B로" between two figures of one line.
_CHANGE = re.compile(r"^\s*(?:→|⇒|➡|⟶|->|=>|▶|에서|부터)\s*(?:\S{0,3}\s*)?$")
#: A sentence goes on to the next line unless this line ends like a sentence or the next starts a new item.
_SENTENCE_END = re.compile(r"(?:[다음함됨임.!?)]|\d)\s*$")
_NEW_ITEM = re.compile(r"^\s*(?:[❍○◯□■▸▶‣▣◆◇※*•∙·\-–①-⑳ⅠⅡⅢⅣⅤ]|\d+[.)])")
_TABLE_ROW = re.compile(r"\d[\d,.]*\s+[-−△▲▽]?\d")
_CONTEXT_LINES = 6
_PLEDGE = re.compile(r"공\s?약")
_RESULT = re.compile(r"실적|이행률|달성률|완료")
#: Just before a figure, these make it a total: "총 12회", "계 9,975명", "합계 184,400", "누적 1만명".
_TOTAL_BEFORE = re.compile(
    r"(?:총|합\s?계|총\s?계|누\s?계|누적|연인원|전체|(?<![가-힣])계)\s*[:：]?\s*(?:\d[\d,.]*\s?[가-힣]{0,2}\s+)?$"
)
_TOTAL_LABEL = re.compile(r"^(?:총|합계|총계|누계|누적|연인원|전체|계(?![가-힣]))")


@dataclass(frozen=True, slots=True)
class _Cue:
    category: str
    word: str
    weight: float


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """The taxonomy compiled for matching: one pattern over every curated cue, and the synonym table."""

    pattern: re.Pattern[str]
    cues: Mapping[str, tuple[_Cue, ...]]  # squashed cue → the categories it names
    synonyms: Mapping[str, tuple[_Cue, ...]]  # morpheme → (category, seed word, weight)
    excludes: Mapping[str, frozenset[str]]  # category → squashed words that rule it out
    follows: Mapping[str, re.Pattern[str]]  # category → "a count of these words just before the figure"


def _spaced(word: str) -> str:
    """A regex matching `word` with optional spaces between its characters ("일자리 창출" = "일자리창출")."""
    return r"\s?".join(re.escape(ch) for ch in word.replace(" ", ""))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def compile_lexicon(taxonomy: Taxonomy, synonyms: bool = True) -> _Lexicon:
    """Compile `taxonomy` (cached per taxonomy): curated cues as one pattern, cong neighbours as a table."""
    key = (id(taxonomy), synonyms)
    cached = _COMPILED.get(key)
    if cached is None or cached[0] is not taxonomy:
        cached = _COMPILED[key] = (taxonomy, _compile(taxonomy, synonyms))
    return cached[1]


#: Compiled lexicons by (taxonomy object, synonyms): the taxonomy is kept so its id stays its own.
_COMPILED: dict[tuple[int, bool], tuple[Taxonomy, _Lexicon]] = {}


def _compile(taxonomy: Taxonomy, synonyms: bool) -> _Lexicon:
    cues: dict[str, list[_Cue]] = {}
    for category in taxonomy.categories:
        for word in category.cues:
            key = _squash(word)
            if key and all(c.category != category.id for c in cues.get(key, [])):
                cues.setdefault(key, []).append(_Cue(category.id, key, 1.0))
    words = sorted(cues, key=len, reverse=True)
    pattern = re.compile("|".join(f"(?:{_spaced(w)})" for w in words)) if words else re.compile(r"(?!x)x")
    table: dict[str, list[_Cue]] = {}
    if synonyms:
        table = _synonym_table(taxonomy, set(cues))
    return _Lexicon(
        pattern=pattern,
        cues={k: tuple(v) for k, v in cues.items()},
        synonyms={k: tuple(v) for k, v in table.items()},
        excludes={c.id: frozenset(_squash(w) for w in c.exclude) for c in taxonomy.categories},
        follows={
            c.id: re.compile(
                r"\d[\d,.]*\s?(?:개\s?)?(?:" + "|".join(_spaced(w) for w in c.follows) + r")\s*[,，]?\s*$"
            )
            for c in taxonomy.categories
            if c.follows
        },
    )


def _synonym_table(taxonomy: Taxonomy, curated: set[str]) -> dict[str, list[_Cue]]:
    """Morphemes Kiwi's `cong` model places near each category's `expand` words, weighted by similarity."""
    from casekit.embed.lexical import near_synonyms

    table: dict[str, list[_Cue]] = {}
    for category in taxonomy.categories:
        ruled_out = {_squash(w) for w in category.exclude}
        for seed in category.expand:
            for form, similarity in near_synonyms(seed, top_n=10, min_score=taxonomy.synonym_min_score):
                if len(form) < 2 or form in curated or form in ruled_out or not re.search(r"[가-힣]", form):
                    continue
                weight = taxonomy.synonym_weight * similarity
                entries = table.setdefault(form, [])
                if all(c.category != category.id for c in entries):
                    entries.append(_Cue(category.id, f"{form}≈{seed}", weight))
    return table


# -- the evidence of one metric --------------------------------------------------------------------


@dataclass(slots=True)
class _Site:
    """Where a metric's figure sits: its repaired line, the figure's span in it, and the lines around."""

    text: str
    start: int
    end: int
    following: str  # the rest of its sentence on the next lines (for the temporal reading)
    headers: list[str]  # table header lines above (table cells only)
    column: str  # the cell's column header, when the header has one word per cell
    heading: str  # the nearest line above without figures: the item the figure's line belongs to
    cell: bool = False  # the text is one cell of an HTML table row
    head: str = ""  # a table row's counted noun: "프로그램" of "양성 프로그램수(연간)" (HTML rows only)


def _locate(text: str, figure: str, col: int) -> tuple[int, int]:
    """The span of `figure` in the repaired line nearest to `col` (the original column); else col onward."""
    spans = [m.start() for m in re.finditer(re.escape(figure), text)] if figure else []
    if not spans:
        start = min(max(col, 0), len(text))
        return start, min(len(text), start + max(len(figure), 1))
    start = min(spans, key=lambda s: abs(s - col))
    return start, start + len(figure)


class _Anchors:
    """Where a metric's evidence (original line and column) stands among a case's repaired lines.

    A metric keeps the line and column of its figure in the original file. Most repaired lines are one
    original line, but a table row read from HTML is one repaired line built from several original lines
    (its cells' `<td>`s), numbered by the line of its first character, and with a spanning cell (rowspan)
    several rows start on the same original line. So a figure is looked for in every repaired line that
    covers its original line, and the occurrence that maps back to exactly its line and column wins.
    """

    def __init__(self, lines: Sequence[Line]) -> None:
        self.lines = lines
        self.covering: dict[int, list[int]] = {}
        for index, line in enumerate(lines):
            extra = line.original.count("\n") if line.original else 0
            for number in range(line.number, line.number + extra + 1):
                self.covering.setdefault(number, []).append(index)

    def find(self, line_number: int, col: int, figure: str) -> tuple[int, int, int] | None:
        """(index of the repaired line, start, end of the figure in it), or None when no line covers it."""
        candidates = self.covering.get(line_number)
        if not candidates:
            return None
        if figure:
            for index in candidates:
                line = self.lines[index]
                for match in re.finditer(re.escape(figure), line.text):
                    if line_position(line, match.start()) == (line_number, col):
                        return index, match.start(), match.end()
        # Not found exactly (the extractor read a rewritten text): the line numbered so, nearest to the column.
        index = next((i for i in candidates if self.lines[i].number == line_number), candidates[0])
        start, end = _locate(self.lines[index].text, figure, col)
        return index, start, end


def _site(row: Mapping[str, Any], lines: Sequence[str], index: int, start: int, end: int) -> _Site:
    if "\t" in lines[index]:
        return _cell_site(lines, index, start, end)
    text = lines[index]
    if index > 0 and not text[:start].strip() and not _SENTENCE_END.search(lines[index - 1]):
        # The figure opens its line and the sentence began on the line before ("… 일자리 창출은 786명으로
        # 연간 약" / "40명이 발생될 것으로 추정됨"): read the two lines as one.
        prefix = lines[index - 1].rstrip() + " "
        text, start, end = prefix + text, start + len(prefix), end + len(prefix)
    heading = ""
    for back in range(index - 1, max(-1, index - 1 - _CONTEXT_LINES), -1):
        candidate = lines[back].strip()
        if candidate and not _FIGURE.search(candidate) and len(candidate) <= 40:
            heading = candidate
            break
    following = []
    last = text
    for nxt in lines[index + 1 : index + 3]:
        if _SENTENCE_END.search(last) or _NEW_ITEM.match(nxt):
            break
        following.append(nxt)
        last = nxt
    headers: list[str] = []
    column = ""
    if row.get("table"):
        above = []
        for back in range(index - 1, max(-1, index - 1 - _CONTEXT_LINES * 2), -1):
            if _TABLE_ROW.search(lines[back]):
                continue
            above.append(lines[back])
            if len(above) >= _CONTEXT_LINES:
                break
        headers = above
        column = _column_header(text, start, above)
    return _Site(text, start, end, " ".join(following), headers, column, heading)


def _cell_site(lines: Sequence[str], index: int, start: int, end: int) -> _Site:
    """A figure in a table row read from HTML (cells joined by tabs, in grid order: spans resolved).

    Such a row holds every column, so its other cells speak of other things ("사업명 … 노래교실 | 노인
    500명 | 사업내용 …"): the figure's own cell is read as its line, by distance; the column header is the
    cell at the same place in the header rows above (rows without figures, nearest first: a two-level header
    gives both) and the row's header, the nearest cell before it without a figure, counts as much; cells
    further left count as the table's headers do, with the table's title lines.
    """
    row = lines[index]
    cell_start = row.rfind("\t", 0, start) + 1
    cell_end = row.find("\t", end)
    cell_end = len(row) if cell_end < 0 else cell_end
    cells = row.split("\t")
    position = row.count("\t", 0, start)
    columns: list[str] = []
    titles: list[str] = []
    back = index - 1
    while back >= 0 and "\t" in lines[back] and len(columns) < 3:
        above = lines[back].split("\t")
        if not _FIGURE.search(lines[back]) and len(above) == len(cells):
            columns.append(above[position].strip())
        back -= 1
    # The table's title: the lines just above its first row (its caption, the heading before it).
    for above_line in lines[max(0, back - 1) : back + 1]:
        if "\t" not in above_line:
            titles.append(above_line)
    # The row's header: the nearest cell before the figure's that holds no figure (the item the row counts:
    # "에너지자립마을 수(누적) | 2 | 20 | 50"), read as the column header is; cells further left (a group,
    # a number) count as the table's headers.
    row_headers = [c.strip() for c in reversed(cells[:position]) if c.strip() and not _FIGURE.search(c)][:3]
    heading = next(
        (t.strip() for t in reversed(titles) if not _FIGURE.search(t) and len(t.strip()) <= 40), ""
    )
    return _Site(
        text=row[cell_start:cell_end],
        start=start - cell_start,
        end=end - cell_start,
        following="",
        headers=[*row_headers[1:], *titles],
        column=" ".join(c for c in [*row_headers[:1], *columns] if c),
        heading=heading,
        cell=True,
        head=_head_noun(row_headers[0]) if row_headers else "",
    )


#: "… 프로그램수(연간)", "협동조합 수(누적)", "사업건수": a header naming a number of things ends so.
_COUNT_OF = re.compile(r"\s*(?:\([^()]*\)|\[[^\[\]]*\])\s*$")
_COUNT_SUFFIX = re.compile(r"\s*(?:건수|개수|횟수|수)$")


def _head_noun(header: str) -> str:
    """The noun a row header counts, when it is written "… N수": its last word before 수/건수/개수.

    "에너지전환 전문인력 양성 프로그램수(연간)" counts programmes, not 전문인력; "사업건수" counts 사업.
    A header not ending in 수 names no counted noun here (its words are read as the label's)."""
    text = header.strip()
    while _COUNT_OF.search(text):
        text = _COUNT_OF.sub("", text)
    stripped = _COUNT_SUFFIX.sub("", text)
    if stripped == text or not stripped:
        return ""
    words = re.findall(r"[가-힣A-Za-z]+", stripped)
    return words[-1] if words else ""


_CELL = re.compile(r"(?<!\S)[-−△▲▽]?\d[\d,.]*(?!\S)|(?<!\S)[-–—]+(?!\S)")


def _column_header(row_text: str, start: int, headers: Sequence[str]) -> str:
    """The header word over the cell at `start`, when a header line has exactly one word per cell."""
    cells = [m.start() for m in _CELL.finditer(row_text)]
    if not cells:
        return ""
    position = sum(1 for c in cells if c <= start) - 1
    if position < 0:
        return ""
    for header in headers:
        words = header.split()
        if len(words) == len(cells) + 1:
            words = words[1:]  # the first word names the row labels (구분, 항목 …)
        if len(words) == len(cells) and not _FIGURE.search(header):
            return words[position]
    return ""


# -- scoring ----------------------------------------------------------------------------------------


def _distance_weight(text: str, c_start: int, c_end: int, f_start: int, f_end: int) -> float:
    """How strongly a cue word at [c_start, c_end) speaks for the figure at [f_start, f_end) in `text`."""
    if c_end <= f_start:
        between, base = text[c_end:f_start], 1.0
    elif c_start >= f_end:
        between, base = text[f_end:c_start], 0.9
        if len(between.strip()) == 0 and len(between) <= 1:
            return 1.8  # the noun the figure counts: "46개 기업", "52개 기관", "2개교"
    else:
        return 1.0
    weight = base / (1.0 + len(between.strip()) / 10.0)
    separators = len(_SEPARATOR.findall(between))
    if separators:
        weight *= 0.45**separators
    if _FIGURE.search(between):
        weight *= 0.6  # another figure stands between: the word is more likely that figure's
    return weight


def _score(
    row: Mapping[str, Any],
    site: _Site,
    morphemes: Sequence[tuple[str, int, int]],
    categories: Sequence[Category],
    lexicon: _Lexicon,
    min_score: float,
) -> tuple[str | None, float, list[str]]:
    allowed = {c.id for c in categories}
    scores = {c.id: 0.0 for c in categories}
    why: dict[str, list[str]] = {c.id: [] for c in categories}
    near: dict[str, set[str]] = {c.id: set() for c in categories}  # squashed words right beside the figure

    def credit(category: str, word: str, weight: float) -> None:
        if category in allowed and weight > 0:
            scores[category] += weight
            if word not in why[category]:
                why[category].append(word)

    text = site.text
    for match in lexicon.pattern.finditer(text):
        key = _squash(match.group(0))
        weight = _distance_weight(text, match.start(), match.end(), site.start, site.end)
        for cue in lexicon.cues.get(key, ()):
            credit(cue.category, cue.word, weight)
            if weight >= 0.5 and cue.category in near:
                near[cue.category].add(key)
    for form, m_start, m_end in morphemes:
        for cue in lexicon.synonyms.get(form, ()):
            credit(
                cue.category,
                cue.word,
                cue.weight * _distance_weight(text, m_start, m_end, site.start, site.end),
            )
    label = str(row.get("label") or "")
    if label and _squash(label) in _squash(text):
        label = ""  # a prose label is words of this very line, already read by distance
    extra = " ".join(p for p in (label, site.column) if p)
    for match in lexicon.pattern.finditer(extra):
        for cue in lexicon.cues.get(_squash(match.group(0)), ()):
            credit(cue.category, cue.word, 0.6 if match.group(0) in label else 1.0)
    if site.head:
        # The noun the row counts decides as the noun right after a figure does ("46개 기업").
        for match in lexicon.pattern.finditer(site.head):
            if match.end() == len(site.head):
                for cue in lexicon.cues.get(_squash(match.group(0)), ()):
                    credit(cue.category, f"{cue.word}(수)", 1.8)
    if site.heading:
        for match in lexicon.pattern.finditer(site.heading):
            for cue in lexicon.cues.get(_squash(match.group(0)), ()):
                credit(cue.category, cue.word, 0.35)
    for header in site.headers:
        for match in lexicon.pattern.finditer(header):
            for cue in lexicon.cues.get(_squash(match.group(0)), ()):
                credit(cue.category, cue.word, 0.25)
    unit = str(row.get("unit") or "")
    figure = str(row.get("text") or "")
    if row.get("kind") == "persons":
        before = text[max(0, site.start - 16) : site.start]
        for category_id, pattern in lexicon.follows.items():
            if pattern.search(before):
                credit(category_id, "[N개 기업 M명]", 1.2)
    for category in categories:
        prior = category.units.get(unit) or max(
            (w for u, w in category.units.items() if u and figure.endswith(u)), default=0.0
        )
        credit(category.id, f"[{unit or figure}]", prior)
    # A word that rules a category out, right beside the figure, vetoes it ("실업자 30명" is not a job).
    # A table cell is all about its figure: its whole text is beside it ("3.4%(기업부담, 고정금리)").
    near_text = text if site.cell else text[max(0, site.start - 8) : site.end + 8]
    beside = _squash(near_text) + "|" + _squash(str(row.get("label") or ""))
    vetoed = []
    for category in categories:
        if any(word and word in beside for word in lexicon.excludes.get(category.id, ())):
            scores[category.id] = 0.0
            vetoed.append(category)
    best = max(categories, key=lambda c: scores[c.id], default=None)
    if best is None:
        return None, 0.0, []
    if scores[best.id] >= min_score:
        return best.id, scores[best.id], why[best.id]
    # Too little evidence. A kind with a fallback category (persons: 참여·수혜 인원) goes to the best category
    # when some evidence points there, else to its fallback, unless the fallback was vetoed; others stay unknown.
    kind = str(row.get("kind"))
    fallback = next((c for c in categories if kind in c.fallback), None)
    if fallback is None:
        return None, scores[best.id], why[best.id]
    if scores[best.id] >= 0.4:
        return best.id, scores[best.id], [*why[best.id], f"[{kind}]"]
    if fallback in vetoed:
        return None, scores[best.id], why[best.id]
    return fallback.id, scores[fallback.id], [*why[fallback.id], f"[{kind}]"]


def temporal_of(row: Mapping[str, Any], line: str, following: str, before: str = "") -> str:
    """Forecast when the figure's sentence estimates; planned when the metric is a plan or the figure is a
    pledge's promise ("관련공약 … 1만명 취업달성": a target, not a result); else actual."""
    if FORECAST.search(line) or FORECAST.search(following):
        return "forecast"
    if row.get("temporal") == "planned" or (_PLEDGE.search(before) and not _RESULT.search(line)):
        return "planned"
    return "actual"


def _after_pattern(words: Sequence[str]) -> re.Pattern[str]:
    """A pattern matching one of `words` right after a figure (one space at most before it)."""
    if not words:
        return re.compile(r"(?!x)x")
    return re.compile(r"\s?(?:" + "|".join(_spaced(w) for w in sorted(words, key=len, reverse=True)) + ")")


def _morphemes_by_line(texts: Sequence[str]) -> list[list[tuple[str, int, int]]]:
    """Content morphemes of each line with their spans, by Kiwi's batched analysis (the cong model)."""
    if not texts:
        return []
    from casekit.embed.lexical import tokenizer_kiwi
    from casekit.korean import CONTENT_TAGS

    analysed = tokenizer_kiwi().tokenize(list(texts))
    return [
        [(t.form, t.start, t.start + t.len) for t in tokens if t.tag in CONTENT_TAGS] for tokens in analysed
    ]


def classify_case(
    case: Case,
    rows: Iterable[Mapping[str, Any]],
    taxonomy: Taxonomy | None = None,
    synonyms: bool = True,
) -> list[Indicator]:
    """The indicators of one case: each of its metric `rows` (`Workspace.metric_rows`) that falls in a category.

    `synonyms=False` leaves out the cong near-synonyms (no Kiwi at all; for tests of the curated words).
    """
    tax = taxonomy or load_taxonomy()
    lexicon = compile_lexicon(tax, synonyms)
    body_start = min((s.line_start for s in case.sections if s.level == 1), default=case.line_end + 1)
    texts = [ln.text for ln in case.lines]
    anchors = _Anchors(case.lines)
    wanted: list[tuple[dict[str, Any], tuple[int, int, int]]] = []
    for r in rows:
        spot = anchors.find(int(r.get("line") or 0), int(r.get("col") or 0), str(r.get("text") or ""))
        if spot is not None:
            wanted.append((dict(r), spot))
    used_lines = sorted({spot[0] for _, spot in wanted})
    analysed = _morphemes_by_line([texts[i] for i in used_lines]) if synonyms and lexicon.synonyms else []
    morphemes = dict(zip(used_lines, analysed))
    not_outcome = _after_pattern(tax.not_outcomes)
    threshold = _after_pattern(tax.thresholds)
    found: list[tuple[Indicator, _Site]] = []
    for row, (index, f_start, f_end) in wanted:
        kind, unit = str(row.get("kind")), str(row.get("unit") or "")
        candidates = [c for c in tax.categories if c.accepts(kind, unit)]
        if not candidates or unit in tax.not_units:
            continue
        site = _site(row, texts, index, f_start, f_end)
        after = site.text[site.end : site.end + 6]
        if kind == "count" and site.head and not_outcome.fullmatch(site.head):
            continue  # the row counts 사업, 분야 … ("사업건수(연간)"), as "3개 사업" does
        if (kind == "count" and not_outcome.match(after)) or (kind != "money" and threshold.match(after)):
            continue
        category, score, why = _score(row, site, morphemes.get(index, []), candidates, lexicon, tax.min_score)
        if category is None:
            continue
        found.append(
            (
                Indicator(
                    case_id=case.id,
                    municipality=case.municipality or "",
                    category=category,
                    category_name=tax.category(category).name,
                    label=str(row.get("label") or ""),
                    value=float(row.get("value") or 0.0),
                    unit=str(row.get("unit") or ""),
                    norm=float(row.get("norm") or 0.0),
                    temporal=temporal_of(row, site.text, site.following, site.text[: site.start]),
                    line=int(row["line"]),
                    col=int(row.get("col") or 0),
                    kind=str(row.get("kind") or ""),
                    text=str(row.get("text") or ""),
                    score=round(score, 3),
                    cues=why[:6],
                    source=str(row.get("source") or ""),
                    total=bool(
                        _TOTAL_BEFORE.search(site.text[max(0, site.start - 14) : site.start])
                        or _TOTAL_LABEL.match(_squash(str(row.get("label") or "")))
                    ),
                    summary=int(row["line"]) < body_start,
                ),
                site,
            )
        )
    _link_changes(found)
    _inherit_parts(found, tax.min_score)
    return [indicator for indicator, _ in found]


def _inherit_parts(found: Sequence[tuple[Indicator, _Site]], min_score: float) -> None:
    """A figure with little evidence of its own, close after a figure of the same unit, is a part or a
    sibling of it and takes its category: "직원 29명(취약계층 28명)", "자활사업 43명, 희망케어 12명, 기타 4명"."""
    by_line: dict[int, list[tuple[Indicator, _Site]]] = {}
    for pair in found:
        by_line.setdefault(pair[0].line, []).append(pair)
    for pairs in by_line.values():
        pairs = sorted(pairs, key=lambda p: p[1].start)
        for (first, s1), (second, s2) in zip(pairs, pairs[1:]):
            if second.score >= min_score or first.score < min_score or first.unit != second.unit:
                continue
            if len(s1.text[s1.end : s2.start]) <= 14 and first.category != second.category:
                second.category, second.category_name = first.category, first.category_name
                second.cues = [*second.cues, f"[{first.text}의 일부]"]


def _link_changes(found: Sequence[tuple[Indicator, _Site]]) -> None:
    """ "A → B" in one line: B keeps A as `before`, and A is marked as the before-figure of a change."""
    by_line: dict[int, list[tuple[Indicator, _Site]]] = {}
    for pair in found:
        by_line.setdefault(pair[0].line, []).append(pair)
    for pairs in by_line.values():
        pairs = sorted(pairs, key=lambda p: p[1].start)
        for (first, s1), (second, s2) in zip(pairs, pairs[1:]):
            if first.unit != second.unit or first.kind != second.kind:
                continue
            if _CHANGE.match(s1.text[s1.end : s2.start]):
                # One item, two moments: the words before the first figure name both ("일자리 창출 400명 → 301명").
                if first.score > second.score:
                    second.category, second.category_name = first.category, first.category_name
                first.category, first.category_name = second.category, second.category_name
                second.before = first.norm
                first.role = "before"
