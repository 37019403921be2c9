"""What a figure is called: the label read from the words around it in its line.

Judges read a metric by its label ("창업업체 수", "참여 인원"), so the label must be the nearest words
that name something, not list marks, numbering, a qualifier such as 총/약/월평균 or a neighbouring
figure's unit word. The prose reader hands over each line with its figures masked by "|".
"""

from __future__ import annotations

import re
from functools import lru_cache

#: What a label does not start with: list marks, bullets, numbering and leading dates ("○ ", "2016년 ").
_LABEL_LEAD = re.compile(r"(?:m\s)?(?:[\s\-–·∙•○◯❍□■▸▶‣▣◆◇※*¦ㆍ①-⑳ⅠⅡⅢⅣⅤ.'‘’`]|\d+(?:년도|년|월|일)?)+")
#: What a label does not end with: dashes and colons, or a qualifier word after a space ("총", "월평균").
_LABEL_TAIL_MARKS = "-–·∙:"
_LABEL_TAIL_WORDS = (
    "총",
    "약",
    "연",
    "각",
    "월",
    "매년",
    "매월",
    "누계",
    "연간",
    "최대",
    "최소",
    "월평균",
    "연평균",
    "평균",
)
_WORDY = re.compile(r"[가-힣A-Za-z].*[가-힣A-Za-z]")
_LABEL_SEPARATORS = r":：|,，(/)\[\]【】<>=⇒→➡~～∼\t"  # a tab ends a table cell
#: From a position: the separators there, then the piece of text up to the next separator (group 1).
_PIECE_AT = re.compile(rf"[{_LABEL_SEPARATORS}]*([^{_LABEL_SEPARATORS}]*)")


def _clean_label(piece: str) -> str:
    """A piece of a line with its marks trimmed from both ends, over and over until nothing changes:
    the leading list marks, then the trailing dashes or qualifier word ("참여 인원 총 -" → "참여 인원")."""
    piece = piece.strip()
    while True:
        previous = piece
        lead = _LABEL_LEAD.match(piece)
        if lead is not None:
            piece = piece[lead.end() :]
        tail_cut = False
        if piece and (piece[-1] in _LABEL_TAIL_MARKS or piece[-1].isspace()):
            trimmed = piece.rstrip()
            while trimmed and trimmed[-1] in _LABEL_TAIL_MARKS:
                trimmed = trimmed.rstrip(_LABEL_TAIL_MARKS).rstrip()
            piece, tail_cut = trimmed, True
        elif piece.endswith(_LABEL_TAIL_WORDS):
            for word in _LABEL_TAIL_WORDS:
                cut = len(piece) - len(word)
                if piece.endswith(word) and (cut == 0 or piece[cut - 1].isspace()):
                    piece, tail_cut = piece[: max(cut - 1, 0)], True
                    break
        piece = piece.strip()
        # Another round can change something only where this one cut the tail (a word or marks may end
        # the piece now) or left "m " at the start (the lead pattern's optional opening).
        if piece == previous or not (tail_cut or piece.startswith("m")):
            return piece


@lru_cache(maxsize=16384)
def _piece_label(piece: str, reversed_: bool = False) -> str:
    """The label a piece of a line gives, or "" when it names nothing (marks, numbers, one letter).
    The label reader walks lines backwards, so it hands most pieces over reversed (`reversed_`): one
    cache serves both, and a piece met again costs one lookup."""
    if reversed_:
        piece = piece[::-1]
    if not piece or piece.isspace():
        return ""
    text = _clean_label(piece)
    return text if text and _WORDY.search(text) else ""


class LineLabels:
    """Labels for the figures of one line whose figures are masked with "|". A piece is a run of text
    between separators (masked figures are separators too); each figure takes the nearest wordy piece
    before it, else the first after it, and a short word glued to an earlier figure ("19개 기업 70명":
    "기업" belongs to 19개) is passed over. Pieces are read outward from the figure, backwards through
    the reversed line, so a line is never cut up whole."""

    __slots__ = ("masked", "reverse")

    def __init__(self, masked: str) -> None:
        self.masked = masked
        self.reverse = masked[::-1]

    def label(self, start: int, end: int) -> str:
        masked, reverse = self.masked, self.reverse
        size = len(masked)
        fallback = ""
        pos = size - start  # where the text before `start` begins in the reversed line
        match = _PIECE_AT.match
        while pos < size:
            piece = match(reverse, pos)
            assert piece is not None  # the pattern matches the empty string
            words = piece.group(1)
            if not words:
                break  # only separators left before the figure
            pos = piece.end()
            text = _piece_label(words, True)
            if not text:
                continue
            piece_start = size - pos
            if piece_start > 0 and masked[piece_start - 1] == "|" and len(text) <= 4:
                fallback = fallback or text
                continue
            return text[-30:]
        if fallback:
            return fallback
        pos = end
        while pos < size:
            piece = match(masked, pos)
            assert piece is not None
            words = piece.group(1)
            if not words:
                break
            text = _piece_label(words)
            if text:
                return text[:30]
            pos = piece.end()
        return ""
