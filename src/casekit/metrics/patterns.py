"""The patterns the metrics readers share: what a figure, a table row, a plan word and markup look like.

Both readers of `casekit.metrics` — the prose reader (`extract`) and the flattened-table reader
(`tables`) — decide what a quantity is and whether it is a plan or a result by the same rules, so the
rules live here, below both, and neither reader borrows the other's privates. `Found` is the quantity
as located in one line, before it becomes a `Metric`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casekit.metrics.units import MAGNITUDE_PATTERN, UNIT_PATTERN, UNITS, UnitInfo

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SP = r"[^\S\n]"  # whitespace within a line: the patterns also run over whole texts
_MAGS = rf"(?:{_SP}?(?:{MAGNITUDE_PATTERN})(?:{_SP}?{_NUM}{_SP}?(?:{MAGNITUDE_PATTERN}))*)"
SIGNS = "-−△▲▽"
#: The number of a figure: from its first digit only (not inside "12,345" or "A1"), digits grouped by
#: thousands or not, a decimal part.
_FIGURE_NUM = r"\d(?<![\d.,A-Za-z_]\d)(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?"

#: One quantity: [sign] number [magnitude words] [여 (approximately)] [unit]. Whitespace before the
#: unit is allowed only after a magnitude word ("3,287백만 원"), where the split is unambiguous. A bare
#: number does not match: the closing conditional fails unless a unit or a magnitude word was read.
#: It starts with a bare digit so the regex engine can skip ahead to digits (a lookbehind or an optional
#: sign first would make it try every position: 5× slower); a sign before it is read in Python.
QUANTITY = re.compile(
    rf"(?P<num>{_FIGURE_NUM})(?![\d.]\d)"
    rf"(?P<mags>{_MAGS})?(?P<approx>여)?"
    rf"(?:(?P<unit>(?<=[십백천만억조]){_SP}(?:원|달러)|(?:{UNIT_PATTERN}))|(?(mags)|(?!)))"
)
#: A figure PDF extraction broke over two lines, "생산유발효과 57,087백" / "만원, 소득 …": the next line
#: opens with the magnitude or unit (found by one scan for such line starts, which are rare), and the
#: line before ends with the number.
BROKEN_TAIL = re.compile(r"\n[^\S\n]*+(?P<more>[십백천만억조]+)?(?P<unit>원|명|개소|%|㎡)(?P<after>.?)")
BROKEN_HEAD = re.compile(rf"(?P<num>{_FIGURE_NUM})(?P<mags>[십백천만억조]+)?[^\S\n]*$")
DOLLAR_PREFIX = re.compile(rf"(?<![\w$])(?:US)?\$\s?(?P<num>{_NUM})(?P<mags>{_MAGS})?")
#: A number right before a shared-unit connector: "15~", "4 →", "3～".
RANGE_HEAD = re.compile(
    rf"(?<![\d.,A-Za-z])(?P<num>{_NUM})(?P<mags>{_MAGS})?\s*(?P<conn>[~～∼〜\-–]|→|➡|⇒|->|▶)\s*$"
)
#: After a digit, what can start a unit or magnitude word: lines with it are worth reading as prose.
#: 년 after three digits is a year ("2016년"), never a duration (those are under 100 years). The
#: lookahead of first letters lets most digits fail at one test.
_UNIT_OPENERS = (
    "십백천만억조명개원%％㎡㎢평배주회건곳팀대부권실호가세종편그마인톤달불퍼점두본담과박포㎥P상장켤면"
)
CANDIDATE_TAIL = (
    rf"[^\S\n]?여?(?=[{_UNIT_OPENERS}년mkKMhUtT시일])(?:[{_UNIT_OPENERS}]|(?<![\d,.]\d\d)년|m|km"
    r"|kg|kW|kw|KW|MW|ha|USD|toe|TOE|시간|시장|일간)"
)
#: After the first digit of a number, what makes a line a possible table row: a number next to a bare
#: number, or three numbers in a row. Possessive runs: the scan never backtracks through the digits.
#: A token that ends in a digit and a full stop is a date part ("2016. 5. 28."), never a cell.
ROW_TAIL = (
    # one number after a blank cell at the end of a labelled line: "치매조기검진 - 3,870" (not "- 33 -")
    r"(?:(?<=\S[^\S\n][-–—－·][^\S\n]\d)[\d,.]*+%?[^\S\n]*$"
    # one number before blank cells at the end of a line: "집행률 96.4 -"
    r"|(?<![\d,.]\d)(?<![-–—－·][^\S\n]\d)[\d,.]*+%?[^\S\n]+[-–—－·](?:[^\S\n]+[-–—－·])*[^\S\n]*$"
    r"|(?<!\d\d)[\d,.]*+[^\s\d]{0,4}+(?<!\d\.)[^\S\n]++(?:[-–—－·][^\S\n]+)?[-−△▲▽]?\d"
    r"(?:[\d,.]*%?(?<!\d\.)(?:[^\S\n]|$)|\S{0,8}(?<!\d\.)[^\S\n]+[-−△▲▽]?\d))"
)
#: Both in one scan: the first digit in a line where either starts; lookaheads then tell whether the
#: line has the other kind too, a prose figure anywhere from there on (`cand`) or a row after it
#: (`row_after`), and the rest of the line is consumed, so there is one match per line worth reading.
#: (A pattern that starts with a bare digit lets the engine skip ahead to digits.)
WORTH_READING = re.compile(
    rf"\d(?:(?P<row>(?={ROW_TAIL}))(?P<cand>(?={CANDIDATE_TAIL}|[^\n]*?\d{CANDIDATE_TAIL}))?"
    rf"|(?={CANDIDATE_TAIL})(?P<row_after>(?=[^\n]*?\d{ROW_TAIL}))?)[^\n]*",
    re.M,
)
IDENTITY = ((0, 0),)
#: Where `str.splitlines` breaks lines besides "\n" and "\r".
RARE_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
PLUS_ONE = (1).__add__
OTHER = UnitInfo("other", "")  # a figure with no unit ("1,000만") or a table cell with none resolved
#: Two-letter counters that start with 개: before a glued noun they fall back to 개 ("49개사업").
GAE_UNITS = {unit for unit in UNITS if len(unit) == 2 and unit[0] == "개" and UNITS[unit].kind == "count"}
#: (개월, 개년 are durations: "6개월간" is six months, never six things.)
#: Characters before a number that may make it an ordinal or a year ('16, 제5회, 민선 6기).
PREFIX_SUSPECTS = set("'‘’`´제선")
#: Units whose validity does not depend only on the next character.
CHECKED_UNITS = {"년", "년간", "대", "호", "P", "과", "m"}
#: Words near "12과" that make it organization units (과 is also a conjunction).
ORG_CONTEXT = re.compile(r"본부|담당|[0-9]\s?국|[0-9]\s?팀|[0-9]\s?실|직제|조직|기구")
#: What makes "5P" percentage points: a rise or fall said right after it or just before the number.
POINT_CONTEXT = re.compile(r"상승|하락|증가|감소|개선|향상|↑|↓|올|내려|떨어")
#: A trip's length: "2박3일", "1박 2일" (the 일 alone is a date far more often than a duration).
TRIP = re.compile(r"(?<![\d.,])(\d{1,2})박\s?(\d{1,2})일")
AGE_CONTEXT = re.compile(r"연령|나이|세대|\d0대")
CONNECTOR_ENDS = set("~～∼〜-–→➡⇒>▶")
CONNECTOR = re.compile("[~～∼〜\\-–→➡⇒>▶]")
BREAKDOWN_PART = re.compile(rf"(?<=[가-힣A-Za-z])\s?(?P<num>{_NUM})(?=\s*[,)）/·→➡]|\s+[가-힣])")
WORD_BEFORE = re.compile(r"[가-힣A-Za-z]+(?=\s?$)")
YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
#: A tag starts with a Latin letter, "/" or "!": "<통계청 2016년 기준>", "<사업비 30억원>" are Korean
#: notes in angle brackets, and their figures count.
HTML_TAG = re.compile(r"</?[A-Za-z!][^<>\n]{0,200}>|&(?:nbsp|amp|lt|gt|quot|#\d{1,5});")
YEAR_APOSTROPHES = "'‘’`´"
#: Words that make a figure a target, a plan or a forecast rather than a result.
PLANNED = re.compile(r"목표|예정|계획(?!법|서)|예상|전망|추정|기대효과|향후|까지\s*(?:확대|달성|조성)")
#: "목표 대비 150%", "목표 1만개 대비 150%": an achievement measured against a target is a result.
ACTUAL = re.compile(r"실적|결과|현황|달성|완료|성과")
NOT_PLANNED = re.compile(r"(?:목표|계획)\s*(?:\S+\s*)?대비")
CLAUSE_BREAK = re.compile(r"[▸‣•∙;]|\s[-–]\s|\s/\s")
LONG_WORDS = {
    "대": re.compile(
        r"\s?(?:부문|핵심|전략|과제|분야|공약|중점|도시|권역|명품|성과|광역|지표|초반|중반|후반|청년|여성|남성|이상)"
    )
}


@dataclass(slots=True)
class Found:
    """A quantity located in one line's text, before it becomes a `Metric`."""

    start: int  # offset of the first character of `text` in the line
    end: int
    text: str
    value: float
    multiplier: float
    info: UnitInfo | None
    table: bool = False
    label: str = ""
    planned: bool = False
    actual: bool = False  # its table row or column calls it a result (실적, 결과 …)
