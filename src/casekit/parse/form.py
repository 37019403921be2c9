"""The 소개서 form's fields: 지자체명, 사례명, 분야, 관련공약, 사례요약.

The form is a table the converter flattened: a label, then its value on the same line or on the lines
that follow, until the next label. Labels are spaced out for alignment ("사 례 명", "분    야") and
differ a little by year and organizer, so each field accepts a few spellings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casekit.ingest.model import Line

#: Field key → label pattern (spaces allowed between syllables: "사 례 명").
_LABELS: dict[str, tuple[str, ...]] = {
    "municipality": ("지자체명", "자치단체명", "기관명", "지자체"),
    "title": ("우수사례명", "사례명", "사업명", "과제명"),
    "field": ("참가분야", "응모분야", "분야"),
    "pledges": ("관련공약", "관련공약사항", "공약명"),
    "summary": ("사례요약", "사업요약", "요약"),
}


def _spaced(word: str) -> str:
    return r"\s*".join(map(re.escape, word))


_LABEL_RE = {
    key: re.compile(
        rf"^(?:{'|'.join(_spaced(w) for w in sorted(words, key=len, reverse=True))})(?=\s|$|[:：])\s*[:：]?\s*"
    )
    for key, words in _LABELS.items()
}

#: Lines that open a case report in a case book.
CASE_HEADER = re.compile(r"^(?:\d{4}\s*(?:년)?\s*)?(?:매니페스토\s*)?(?:우수\s*)?사례\s*소개서\s*$")

#: One option of the 분야 checklist with its mark after the name, as the 2017 form prints it:
#: "1분야-사회적경제 분야( ◌ )", "3분야-사회적경제 분야" (no box), "사회적경제( ) 도시재생(○)", "1. 청렴 ( )".
_FIELD_OPTION = re.compile(
    r"(?:(?P<num>\d{1,2})\s*(?:분야|[.)])?\s*[-–—:]?\s*)?"
    r"(?P<name>[가-힣A-Za-z][가-힣A-Za-z·]*(?:\s[가-힣A-Za-z·]+){0,2}?)\s*(?:분야)?\s*"
    r"(?:[(（\[]\s*(?P<mark>[^)）\]]{0,4}?)\s*[)）\]]\s*(?=\S|$)|\s*(?=[,，/]|\d{1,2}\s*(?:분야|[.)])|$))"
)
#: Options whose box comes first: "■ 사회적경제 □ 도시재생", "☑ 일자리 ☐ 청렴", "[V] 주민참여 [ ] 일자리".
_FIELD_BOX_FIRST = re.compile(
    r"(?P<box>[□■☐☑✓✔√▣●○◯❍◌]|\[\s*[^\]\s]?\s*\]|[(（]\s*[^)）\s]?\s*[)）])\s*"
    r"(?P<name>[가-힣A-Za-z][가-힣A-Za-z·]*)(?:\s*분야)?"
)
_CHECK_MARKS = set("○◌❍◯●◎√✓✔VvOo■▣◆◉☑✅0Ｏｏ●")
_CHECKED_BOXES = set("■☑✓✔√▣●◉")
_PLEDGE_HINT = re.compile(r"해당\s*되는\s*경우|공약명\s*기재")
_CIRCLED = re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮]")


def canonical_field(name: str) -> str:
    """'사회적 경제 분야' → '사회적경제': the name without spaces or the word 분야."""
    name = re.sub(r"\s+", "", name)
    name = re.sub(r"^\d{1,2}(?:분야|[.)])?[-–—:]?", "", name)
    name = re.sub(r"분야$", "", name)
    return name.strip("-–—:·")


@dataclass
class FormFields:
    """What the form's header says, with the lines each value came from."""

    values: dict[str, list[Line]] = field(default_factory=dict)
    label_lines: dict[str, int] = field(
        default_factory=dict
    )  # key → index (in the case's lines) of its label
    end: int = 0  # index of the first line after the header fields (the summary's label line, when found)

    def text(self, key: str, sep: str = " ") -> str:
        return sep.join(line.text for line in self.values.get(key, [])).strip()


def match_label(text: str) -> tuple[str, str] | None:
    """(field key, rest of the line) when `text` starts with a form label."""
    for key, pattern in _LABEL_RE.items():
        found = pattern.match(text)
        if found:
            return key, text[found.end() :]
    return None


def read_form(lines: list[Line], search_limit: int = 40) -> FormFields:
    """Collect the header fields from the first lines of a case.

    Labels must come in the form's order; the header ends at 사례요약 (its value is the summary
    body, handled by the caller) or after `search_limit` lines without a label.
    """
    form = FormFields()
    order = list(_LABELS)
    current: str | None = None
    last_label = -1
    for index, line in enumerate(lines[:search_limit]):
        found = match_label(line.text)
        if (
            found
            and found[0] not in form.label_lines
            and order.index(found[0]) > (order.index(current) if current else -1)
        ):
            key, rest = found
            current = key
            last_label = index
            form.label_lines[key] = index
            form.values[key] = []
            if key == "summary":
                form.end = index
                return form
            if rest.strip():
                form.values[key].append(_tail(line, len(line.text) - len(rest)))
            continue
        if current is not None:
            form.values[current].append(line)
        elif index - last_label > 8 and index > 10:
            break
    form.end = (last_label + 1) if last_label >= 0 else 0
    return form


def _tail(line: Line, offset: int) -> Line:
    """The part of `line` from `offset` on, still mapped to the original columns."""
    segments = tuple(
        (max(s - offset, 0), line.original_col(max(s, offset))) for s, _ in line.segments if s >= offset
    )
    if not segments or segments[0][0] != 0:
        segments = ((0, line.original_col(offset)),) + segments
    return Line(line.text[offset:], line.number, segments, line.original_text)


def _marked(mark: str | None) -> bool:
    return mark is not None and any(ch in _CHECK_MARKS for ch in mark)


def _options(text: str) -> list[tuple[str, str | None, bool]]:
    """(canonical name, mark or None when there is no box, checked?) for each option of a 분야 checklist."""
    box_first = [
        (
            canonical_field(m.group("name")),
            m.group("box"),
            m.group("box") in _CHECKED_BOXES or _marked(m.group("box")[1:-1]),
        )
        for m in _FIELD_BOX_FIRST.finditer(text)
        if len(m.group("box")) == 1 or m.group("box")[0] in "[(（"
    ]
    mark_after = [
        (canonical_field(m.group("name")), m.group("mark"), _marked(m.group("mark")))
        for m in _FIELD_OPTION.finditer(text)
        if canonical_field(m.group("name"))
    ]
    # "( ) 도시재생 (○) 참여예산제" and "도시재생( ) 참여예산제(○)" differ only in where the list starts.
    if len(box_first) >= 2 and _FIELD_BOX_FIRST.match(text.strip()):
        return box_first
    return mark_after


def parse_field(text: str) -> tuple[str | None, list[str]]:
    """The checked 분야 and any warnings, whatever the check mark.

    Several options with boxes: the one whose box holds a mark (○ ◌ ❍ √ V …, or a filled box ■ ☑).
    One option and no boxes at all ("3분야-사회적경제 분야"): that one. Boxes but no mark: unknown,
    with a warning, rather than a guess.
    """
    options = [option for option in _options(text) if option[0]]
    if not options:
        name = canonical_field(text) if text.strip() and len(text) < 30 else ""
        return (name or None), ([] if name else ["분야: no option found"])
    checked = [name for name, _, is_checked in options if is_checked]
    if len(checked) == 1:
        return checked[0], []
    if len(checked) > 1:
        return checked[0], [f"분야: several boxes checked ({', '.join(checked)}); took the first"]
    if len(options) == 1:
        return options[0][0], []
    if any(mark is not None for _, mark, _ in options):
        return None, ["분야: no box is checked"]
    return options[0][0], [f"분야: several options without boxes; took {options[0][0]}"]


def split_pledges(lines: list[Line]) -> list[str]:
    """관련공약 as a list: ①② lists, one per bullet line, or comma lists (commas in brackets stay)."""
    text = "\n".join(line.text for line in lines).strip()
    if not text or _PLEDGE_HINT.search(text):
        return []
    if _CIRCLED.search(text):
        items = _CIRCLED.split(text)
    elif len(lines) > 1 and all(re.match(r"^[-·•▸○❍◦*]", line.text) for line in lines):
        items = [line.text for line in lines]
    else:
        items = _split_outside_brackets(" ".join(text.split("\n")))
    cleaned = [re.sub(r"\s+", " ", re.sub(r"^[-·•▸○❍◦*\s]+", "", item)).strip(" ,") for item in items]
    return [item for item in cleaned if item]


def _split_outside_brackets(text: str) -> list[str]:
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "([{（「『【<":
            depth += 1
        elif ch in ")]}）」』】>" and depth:
            depth -= 1
        if ch in ",，、" and depth == 0:
            items.append("".join(current))
            current = []
            continue
        current.append(ch)
    items.append("".join(current))
    return items
