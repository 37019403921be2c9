"""Real municipal pages (../shared/realdocs/) as cases, for the search query set.

casekit has no HTML ingest yet, so this test helper turns each page into text lines itself: block tags
(p, div, li, tr, headings …) end a line, table cells are joined with " | ", scripts, styles and JSP
directives are dropped. Each page becomes one case (the municipality from the folder, the first line
as title); the SQL dump of 귀농 notices becomes one case per 시·군, three lines per notice
(title, 대상, 지원). Line numbers are those of this conversion, so the labelled queries point at
their answers by text anchors (`answers:`), not by line numbers. The documents stay where they are.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

from casekit.ingest.model import Line
from casekit.parse.model import Case, Section

REPO = Path(__file__).resolve().parents[2]

#: 광역 names of the notices → the abbreviation casekit's cases carry.
PROVINCE_SHORT = {
    "경상북도": "경북",
    "경상남도": "경남",
    "전라남도": "전남",
    "충청남도": "충남",
    "전북특별자치도": "전북",
}
#: Folder of realdocs → municipality and region.
PLACES = {"dangjin": ("당진시", "충남", "시"), "boryeong": ("보령시", "충남", "시")}
_BLOCKS = frozenset(
    "p div br li tr h1 h2 h3 h4 h5 h6 table caption dt dd section ul ol thead tbody article header".split()
)


def realdocs_dir() -> Path | None:
    """../shared/realdocs beside the repo (or beside the seed book, or $CASEKIT_REALDOCS)."""
    candidates = [
        Path(os.environ["CASEKIT_REALDOCS"]) if os.environ.get("CASEKIT_REALDOCS") else None,
        REPO.parent / "shared" / "realdocs",
        Path(os.environ["CASEKIT_SEED"]).parent.parent / "realdocs"
        if os.environ.get("CASEKIT_SEED")
        else None,
    ]
    return next((c for c in candidates if c is not None and c.is_dir()), None)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(re.sub(r"\s+", " ", data))  # the page's own line breaks are layout


def html_lines(path: Path) -> list[str]:
    """The text lines of an HTML page (JSP directives dropped, whitespace collapsed, empty lines out)."""
    raw = re.sub(r"<%.*?%>", "", path.read_text(encoding="utf-8", errors="replace"), flags=re.S)
    parser = _Text()
    parser.feed(raw)
    lines = (" ".join(line.split()).strip(" |") for line in "".join(parser.parts).split("\n"))
    return [line for line in lines if line]


def _case(
    case_id: str, source: str, place: tuple[str, str, str], texts: list[str], headings: list[int]
) -> Case:
    lines = [Line(text, number) for number, text in enumerate(texts, start=1)]
    bounds = headings + [len(texts) + 1]
    sections = [
        Section(texts[start - 1][:60], None, start, bounds[i + 1] - 1, 1) for i, start in enumerate(headings)
    ]
    municipality, region, group = place
    return Case(
        id=case_id,
        source=source,
        line_start=1,
        line_end=len(texts),
        region=region,
        municipality=municipality,
        group=group,
        title=texts[0][:80],
        field=None,
        pledges=[],
        summary="",
        sections=sections,
        lines=lines,
        form="none",
    )


def _is_heading(text: str) -> bool:
    return len(text) <= 24 and "|" not in text and not re.search(r"[.:：,]\s*$|\d{3}", text)


def _sql_cases(path: Path) -> list[Case]:
    value = r"'((?:[^']|'')*)'"
    pattern = re.compile(rf"VALUES \((\d+), {value}, {value}, {value}, {value}, {value}, {value}\);")
    by_region: dict[str, list[tuple[str, ...]]] = {}
    for row in pattern.findall(path.read_text(encoding="utf-8")):
        by_region.setdefault(row[1], []).append(row)
    cases = []
    for region_name, rows in sorted(by_region.items()):
        province, _, municipality = region_name.partition(" ")
        texts: list[str] = [f"{municipality} 귀농·귀촌 지원 사업 안내"]
        headings: list[int] = []
        for _, _, _, title, description, target, support in rows:
            headings.append(len(texts) + 1)
            texts.append(" ".join(title.split()))
            if description.strip() and description.strip() != title.strip():
                texts.append(" ".join(description.split()))
            if target.strip():
                texts.append("대상: " + " ".join(target.split()))
            if support.strip():
                texts.append("지원: " + " ".join(support.split()))
        group = municipality[-1] if municipality[-1] in "시군구" else None
        place = (municipality, PROVINCE_SHORT.get(province, province), group or "군")
        cases.append(
            _case(f"{municipality}-realdocs", str(path) + f"#{municipality}", place, texts, headings)
        )
    return cases


def realdoc_cases() -> list[Case]:
    """Every realdocs page and notice as a case (empty when the folder is not there)."""
    root = realdocs_dir()
    if root is None:
        return []
    cases = []
    for path in sorted(root.rglob("*.html")):
        texts = html_lines(path)
        if not texts:
            continue
        place = PLACES.get(path.parent.name, (path.parent.name, None, None))
        headings = [1] + [i for i, t in enumerate(texts, start=1) if i > 1 and _is_heading(t)]
        case_id = f"{place[0]}-{path.stem.replace('.', '-')}"
        cases.append(_case(case_id, str(path), place, texts, headings))  # type: ignore[arg-type]
    sql = root / "wheretofarm" / "dump_policy.sql"
    if sql.is_file():
        cases.extend(_sql_cases(sql))
    return cases
