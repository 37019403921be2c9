"""Repair the damage PDF/HWP converters leave in Korean text, keeping a map back to the original.

What converters do to a case report, and what we undo here, line by line:

- bold text printed two or three times over itself ("청주청주청주", "□ 추진목적□ 추진목적□ 추진목적");
  a punctuation run next to it was printed as often ("!!!!!!" for "!!");
- `�` and private-use glyphs (the PDF's own bullet and box symbols) with no Unicode meaning;
- page footers ("- 33 -", "12 / 80") between the lines of a paragraph;
- middle-dot variants (․ ‧ ∙ ・) standing for the interpunct "·";
- decomposed Hangul (NFD from some Mac tools) — everything is NFC afterwards;
- HTML list markup some converters leave (`<ul><li>○ 지원금액 : 30,000천원</li>`): tags go, each block
  element becomes a line of its own, entities are decoded.

Each step returns new text plus, for every character, the offset it came from; composing the steps
gives `Line.segments`, so a figure found at offset i of a repaired line points at the exact column of
the original line.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

from casekit.ingest.model import Line

Offsets = list[int]

#: Whole lines that are page furniture, not content.
_FOOTER = re.compile(
    r"^\s*(?:[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}|p\.\s*\d{1,4})\s*$", re.I
)
_MIDDLE_DOTS = str.maketrans(
    {"\u2024": "·", "\u2027": "·", "\u2219": "·", "\u30fb": "·", "\uff65": "·", "\u22c5": "·"}
)
_BLOCK_TAG = re.compile(r"</?(?:ul|ol|li|p|div|br|tr|table|tbody|thead|h[1-6])\b[^>]*>", re.I)
_INLINE_TAG = re.compile(r"</?(?:span|b|strong|i|em|u|font|a|sup|sub)\b[^>]*>|<t[dh]\b[^>]*>", re.I)
_CELL_END = re.compile(r"</t[dh]\s*>", re.I)  # a table cell ends: a tab keeps cells (and their numbers) apart
_ENTITY = re.compile(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,5}|[a-zA-Z]{2,8});")

# A run printed k >= 2 times in a row. The unit starts with a non-space character and is at least
# three characters long; the copies may be separated by spaces. Bold print repeats whole words, so the
# unit must start where a word starts ("신규인증(3년) 재 인증(3년) 재 인증 연장" is real text: its repeat
# "(3년) 재 인증" starts inside a word). Checked further in `_is_bold_repeat`.
_WORD_START = r"(?:^|(?<=[\s□■▣○◯❍●◦·\-–—「『“\"'(\[<:]))"
_REPEAT = re.compile(_WORD_START + r"(\S.{2,80}?)(?:[ \t]*\1)+")
# Two Hangul syllables printed three or more times ("청주청주청주"); doubled two-syllable words are
# ordinary Korean (차곡차곡, 구석구석), so two copies are left alone.
#: Whether a line holds a repeat at all: the same matches as `_REPEAT` exist exactly when this matches, and
#: it fails faster (no trailing `+` to try at every start).
_HAS_REPEAT = re.compile(_WORD_START + r"(\S.{2,80}?)[ \t]*\1")
_REPEAT_SHORT = re.compile(_WORD_START + r"([가-힣]{2})\1{2,}")
_PUNCT_RUN = re.compile(r"([!?~.])\1{3,}")


def _is_junk(ch: str) -> bool:
    code = ord(ch)
    return ch == "\ufffd" or 0xE000 <= code <= 0xF8FF or ch in "\u200b\u200c\u200d\ufeff\x00"


_JUNK = re.compile("[\ufffd\ue000-\uf8ff\u200b\u200c\u200d\ufeff\x00]")


def _drop_junk(text: str, offsets: Offsets) -> tuple[str, Offsets]:
    if not _JUNK.search(text):
        return text, offsets
    kept = [(ch, off) for ch, off in zip(text, offsets) if not _is_junk(ch)]
    return "".join(ch for ch, _ in kept), [off for _, off in kept]


def _nfc(text: str, offsets: Offsets) -> tuple[str, Offsets]:
    """NFC with offsets: each composed character keeps the offset of its first source character."""
    if unicodedata.is_normalized("NFC", text):
        return text, offsets
    out_chars: list[str] = []
    out_offsets: Offsets = []
    start = 0
    # Normalize chunk by chunk, a chunk ending before each character that starts a new syllable.
    for i in range(1, len(text) + 1):
        if i < len(text) and not _starts_syllable(text[i]):
            continue
        chunk = unicodedata.normalize("NFC", text[start:i])
        out_chars.append(chunk)
        out_offsets.extend([offsets[start]] * len(chunk))
        start = i
    return "".join(out_chars), out_offsets


def _starts_syllable(ch: str) -> bool:
    code = ord(ch)
    is_medial_or_final = 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF
    return not is_medial_or_final and unicodedata.combining(ch) == 0


def _is_bold_repeat(unit: str, copies: int) -> bool:
    """Whether `unit` printed `copies` times is extraction damage rather than real text."""
    letters = sum(ch.isalpha() for ch in unit)
    if letters < 2:  # "0.0 0.0 0.0" or "- - -" is a table or a rule, not bold print
        return False
    if copies == 2 and len(unit.strip()) < 3:
        return False
    return True


def _collapse_repeats(text: str, offsets: Offsets) -> tuple[str, Offsets]:
    """Keep one copy of every repeated bold run, and shorten the punctuation printed with it."""
    for pattern in (_REPEAT, _REPEAT_SHORT):
        out: list[str] = []
        out_offsets: Offsets = []
        pos = 0
        marks: list[tuple[int, int]] = []  # (end of the kept copy in the new text, copies)
        for match in pattern.finditer(text):
            unit = match.group(1)
            whole = match.group(0)
            copies = whole.count(unit) if whole.replace(unit, "").strip() == "" else 0
            if copies < 2 or not _is_bold_repeat(unit, copies):
                continue
            out.append(text[pos : match.start()])
            out_offsets.extend(offsets[pos : match.start()])
            kept = unit.rstrip()
            out.append(kept)
            out_offsets.extend(offsets[match.start() : match.start() + len(kept)])
            marks.append((sum(map(len, out)), copies))
            pos = match.end()
        if not marks:
            continue
        out.append(text[pos:])
        out_offsets.extend(offsets[pos:])
        text, offsets = _collapse_punct("".join(out), out_offsets, marks)
    return text, offsets


def _collapse_punct(text: str, offsets: Offsets, marks: list[tuple[int, int]]) -> tuple[str, Offsets]:
    """A punctuation run right after a collapsed bold run was printed as often: "청주청주청주 !!!!!!" → "청주!!"."""
    if not marks:
        return text, offsets
    for match in reversed(list(_PUNCT_RUN.finditer(text))):
        before = [copies for end, copies in marks if end <= match.start() and match.start() - end <= 2]
        if not before:
            continue
        copies = before[-1]
        run = len(match.group(0))
        if run % copies:
            continue
        keep = run // copies
        start = match.start()
        # The space the converter put between the repeated word and its repeated punctuation.
        gap_start = start - 1 if start > 0 and text[start - 1] == " " else start
        text = text[:gap_start] + match.group(1) * keep + text[match.end() :]
        offsets = offsets[:gap_start] + offsets[start : start + keep] + offsets[match.end() :]
    return text, offsets


def _strip(text: str, offsets: Offsets) -> tuple[str, Offsets]:
    stripped = text.strip()
    if not stripped:
        return "", []
    start = len(text) - len(text.lstrip())
    return stripped, offsets[start : start + len(stripped)]


def _split_html(text: str, offsets: Offsets) -> list[tuple[str, Offsets]]:
    """Drop inline tags, decode entities, and split at block tags: one piece per list item/paragraph."""
    if "<" not in text and "&" not in text:
        return [(text, offsets)]
    pieces: list[tuple[str, Offsets]] = []
    chars: list[str] = []
    offs: Offsets = []
    pos = 0
    token = re.compile(
        f"{_BLOCK_TAG.pattern}|{_CELL_END.pattern}|{_INLINE_TAG.pattern}|{_ENTITY.pattern}", re.I
    )
    for match in token.finditer(text):
        chars.extend(text[pos : match.start()])
        offs.extend(offsets[pos : match.start()])
        piece = match.group(0)
        if piece.startswith("&"):
            decoded = html.unescape(piece)
            chars.extend(decoded)
            offs.extend([offsets[match.start()]] * len(decoded))
        elif _BLOCK_TAG.fullmatch(piece):
            pieces.append(("".join(chars), offs))
            chars, offs = [], []
        elif _CELL_END.fullmatch(piece):
            chars.append("\t")
            offs.append(offsets[match.start()])
        pos = match.end()
    chars.extend(text[pos:])
    offs.extend(offsets[pos:])
    pieces.append(("".join(chars), offs))
    return pieces


def _segments(offsets: Offsets) -> tuple[tuple[int, int], ...]:
    """Compress per-character offsets into (repaired_start, original_start) runs."""
    segments: list[tuple[int, int]] = []
    for i, off in enumerate(offsets):
        if segments and off == segments[-1][1] + (i - segments[-1][0]):
            continue
        segments.append((i, off))
    return tuple(segments) or ((0, 0),)


def is_page_furniture(raw: str) -> bool:
    """Whether a whole line is a page footer/number rather than content."""
    return bool(_FOOTER.match(raw))


#: Characters only the full repair handles: middle-dot variants, junk glyphs, markup and entities.
_NEEDS_FULL_REPAIR = re.compile("[<&\u2024\u2027\u2219\u30fb\uff65\u22c5" + _JUNK.pattern[1:])


def repair_line(raw: str, number: int) -> list[Line]:
    """Repair one original line; returns zero (blank/footer), one, or several (HTML blocks) lines."""
    stripped = raw.strip()
    if not stripped or is_page_furniture(raw):
        return []
    if (
        not _NEEDS_FULL_REPAIR.search(raw)
        and unicodedata.is_normalized("NFC", raw)
        and not _HAS_REPEAT.search(stripped)
        and not _REPEAT_SHORT.search(stripped)
    ):
        # Most lines need no repair at all: only the surrounding blanks go, and the map is one shift. This
        # path skips the per-character offset lists, and gives exactly what the full path below gives.
        lead = len(raw) - len(raw.lstrip())
        return [Line(stripped, number, ((0, lead),), None if stripped == raw else raw)]
    text = raw.translate(_MIDDLE_DOTS)
    offsets: Offsets = list(range(len(raw)))
    text, offsets = _drop_junk(text, offsets)
    text, offsets = _nfc(text, offsets)
    lines: list[Line] = []
    for piece, piece_offsets in _split_html(text, offsets):
        piece, piece_offsets = _strip(piece, piece_offsets)
        if not piece:
            continue
        piece, piece_offsets = _collapse_repeats(piece, piece_offsets)
        if not piece.strip() or is_page_furniture(piece):
            continue
        changed = piece != raw
        lines.append(Line(piece, number, _segments(piece_offsets), raw if changed else None))
    return lines


def repair_lines(raw_lines: Iterable[str]) -> list[Line]:
    """Repair every line of a text; numbering is 1-based over the original lines."""
    repaired: list[Line] = []
    for number, raw in enumerate(raw_lines, start=1):
        repaired.extend(repair_line(raw, number))
    return repaired


def repair_text(text: str) -> str:
    """Convenience: the repaired text of a whole string (no map), e.g. for titles and tests."""
    return "\n".join(line.text for line in repair_lines(text.splitlines()))
