"""Texts and small readers the metrics tests share: a work report with a flattened table, and the extractor over
lines made from a string (blank lines skipped, as ingest does)."""

from __future__ import annotations

from casekit.ingest.model import Line
from casekit.metrics import extract_from_lines
from casekit.metrics.model import Metric


def lines_of(text: str) -> list[Line]:
    return [Line(t, i + 1) for i, t in enumerate(text.split("\n")) if t.strip()]


def extract(text: str) -> list[Metric]:
    return extract_from_lines(lines_of(text), case_id="c", source="s.txt")


def one(text: str) -> Metric:
    found = extract(text)
    assert len(found) == 1, [m.text for m in found]
    return found[0]


WORK_REPORT = """\
2024년 주요업무계획
1. 청년 창업 지원
(단위 : 천원)
사업명 예산액 집행액 집행률
청년창업지원 30,000 25,000 83.3
소상공인 컨설팅 12,500 12,500 100.0
2. 일자리 현황
구분 2022 2023 증감
취업자 수(명) 1,200 1,350 150
"""
