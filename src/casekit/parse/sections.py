"""Headings of a case body and the line ranges they span.

Korean administrative documents number their outline with a small set of markers — Ⅰ. / 1 / □ ■ ▣ /
(추진배경) / 【참고】 — but each author nests them differently (Ⅰ > ▣ in one case, □ > Ⅰ in another).
So levels are not fixed per marker: the first marker style a case uses is level 1, the next new style
level 2, and so on. ○/❍/- items are bullets, not headings.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from casekit.ingest.model import Line
from casekit.parse.model import Section

_STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("roman", re.compile(r"^(?:[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]|(?:IX|IV|V?I{1,3}|X)\.)\s*[.．]?\s*(?P<text>[^\s.].{0,50})$")),
    ("box", re.compile(r"^[□■▣◈◆◇]\s*(?P<text>\S.{0,60})$")),
    ("arabic", re.compile(r"^(?:\d{1,2}[.)]?|[1-9]\s)\s+(?P<text>[가-힣『「“\"(][^:：]{1,45})$")),
    ("bracket", re.compile(r"^(?:[(（](?P<text>[가-힣 ·]{2,14})[)）]|【(?P<text2>[^】]{2,20})】.*)$")),
)

_ROMAN_ONE = re.compile(r"^(?:Ⅰ|I\.)")

#: (kind, keywords) — checked in this order, first hit wins ("기대효과" is a plan, not an outcome).
_KIND_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("plan", ("향후", "기대효과", "발전방안", "앞으로", "계획", "확산방안")),
    ("outcome", ("성과", "효과", "결과", "변화")),
    (
        "process",
        (
            "실적",
            "내용",
            "과정",
            "추진현황",
            "추진사항",
            "노력",
            "주요",
            "사례",
            "활동",
            "사업개요",
            "추진상황",
        ),
    ),
    ("strategy", ("전략", "방향", "방침", "체계", "조직", "재원", "방법")),
    ("background", ("배경", "목적", "필요", "개요", "목표", "현황", "환경", "문제")),
)


# Both are asked about the same line several times (the summary's end, the sections, the title), and
# the same headings recur across a year's cases: cached, bounded.
@lru_cache(maxsize=16384)
def heading_style(text: str) -> tuple[str, str] | None:
    """(style, heading text) when a repaired line is a heading."""
    if len(text) > 70 or text.endswith(("다.", "음.", "함.", "임.")):
        return None
    for style, pattern in _STYLES:
        match = pattern.match(text)
        if match:
            heading = match.group("text") or (match.groupdict().get("text2") or "")
            if style == "arabic" and re.search(r"\d[\d,.]*\s*(?:명|개|원|%|건)", heading):
                return None  # a numbered table row, not a heading
            return style, heading.strip()
    return None


@lru_cache(maxsize=4096)
def section_kind(heading: str) -> str | None:
    """Map a heading to a canonical kind (background, strategy, process, outcome, plan) or None."""
    compact = re.sub(r"\s+", "", heading)
    for kind, words in _KIND_KEYWORDS:
        if any(word in compact for word in words):
            return kind
    return None


def find_sections(lines: list[Line], case_end: int) -> list[Section]:
    """Sections of a case body: each heading with the original lines up to the next heading at its level or above."""
    found: list[tuple[int, int, str]] = []  # (index, level, heading)
    levels: dict[str, int] = {}
    for index, line in enumerate(lines):
        hit = heading_style(line.text)
        if hit is None:
            continue
        style, text = hit
        if style not in levels:
            levels[style] = min(len(levels) + 1, 3)
        found.append((index, levels[style], f"{line.text}"))
    sections: list[Section] = []
    for position, (index, level, heading) in enumerate(found):
        end_line = case_end
        for next_index, next_level, _ in found[position + 1 :]:
            if next_level <= level:
                end_line = lines[next_index].number - 1
                break
        styled = heading_style(heading)
        kind = section_kind(styled[1] if styled else heading)
        sections.append(
            Section(
                heading=heading, kind=kind, line_start=lines[index].number, line_end=end_line, level=level
            )
        )
    return sections


def _compact(text: str) -> str:
    return re.sub(r"[\s·․‧ㆍ.,!?“”\"'『』「」()]", "", text)


def _similar(a: str, b: str, threshold: float) -> bool:
    """Whether a and b are at least `threshold` alike (SequenceMatcher's ratio).

    The cheap upper bounds come first: `real_quick_ratio` (lengths) and `quick_ratio` (shared characters)
    are never below `ratio`, so a line they rule out could never pass; the full ratio, quadratic in the
    line's length, runs only for lines that might. Same decisions, a fraction of the time.
    """
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return (
        matcher.real_quick_ratio() >= threshold
        and matcher.quick_ratio() >= threshold
        and matcher.ratio() >= threshold
    )


def find_summary_end(lines: list[Line], start: int, title: str) -> int:
    """Index of the first line of the body after a 사례요약 that begins at `start` (len(lines) if none).

    The summary is a one-page digest; the full report that follows restarts the story. It restarts by
    repeating the title, by repeating a heading the summary already used ("□ 추진목적" → "1 추진목적"),
    or by opening a Roman-numbered outline (Ⅰ) — a second one if the summary itself used Roman numerals.
    """
    compact_title = _compact(title)
    first_heading: str | None = None  # the summary's opening heading, which the full report restates
    roman_summary = False  # the summary itself is outlined with Ⅰ, Ⅱ …
    first_roman: int | None = None
    for index in range(start + 1, len(lines)):
        text = lines[index].text
        compact = _compact(text)
        if index - start > 2 and len(compact) >= 6:
            is_bullet = text[0] in "○◯❍●◦-·•▸▶※*"
            if compact_title and not is_bullet:
                if (
                    compact in compact_title
                    or compact_title in compact
                    or _similar(compact, compact_title, 0.85)
                ):
                    return _with_lead_in(lines, index, start)
            if first_heading and _similar(_compact(_strip_marker(text)), first_heading, 0.8):
                return index
        hit = heading_style(text)
        if hit is None:
            continue
        if _ROMAN_ONE.match(text):
            if first_heading is None:
                roman_summary = True
            elif roman_summary:
                return index
            elif first_roman is None:
                first_roman = index
        if first_heading is None:
            first_heading = _compact(hit[1])
    return first_roman if first_roman is not None else len(lines)


def _with_lead_in(lines: list[Line], index: int, start: int) -> int:
    """Step back over a short line that introduces a restated title ("저소득 취약계층의 자립지원을 위한")."""
    previous = lines[index - 1].text if index - 1 > start + 1 else ""
    if (
        previous
        and len(previous) <= 30
        and previous[0] not in "○◯❍●◦-·•▸▶※*("
        and heading_style(previous) is None
        and not re.search(r"\d", previous)
        and previous.endswith(("위한", "통한", "의", "에서", "으로", "로"))
    ):
        return index - 1
    return index


def _strip_marker(text: str) -> str:
    hit = heading_style(text)
    return hit[1] if hit else text
