"""The `Indicator` record: one metric placed in an outcome category, with its evidence and its role."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: The keys `casekit outcomes --format json` prints first, in this order (more follow).
INDICATOR_KEYS = (
    "case_id",
    "municipality",
    "category",
    "category_name",
    "label",
    "value",
    "unit",
    "norm",
    "temporal",
    "line",
    "col",
    "headline",
)
#: Every key of `Indicator.to_dict`, the columns of `casekit.outcomes(workspace)`.
ALL_KEYS = (
    *INDICATOR_KEYS,
    "before",
    "mentions",
    "total",
    "summary",
    "kind",
    "text",
    "score",
    "cues",
    "source",
)
#: Korean names of the temporal values, for tables a judge reads.
TEMPORAL_NAMES = {"actual": "실적", "planned": "계획", "forecast": "추정"}


@dataclass(slots=True)
class Indicator:
    """A metric of a case read as an outcome: 70명 of 일자리 (jobs), 381,717천원 of 예산·사업비 (budget) …

    `temporal` is "actual" (실적), "planned" (계획·목표) or "forecast" (추정·전망: "786명의 일자리 창출로 …
    추정됨"); `line`/`col` are the source metric's evidence in the original file. `before` holds the earlier
    figure when the text gives a change ("400명 → 301명" makes 301 an indicator with before 400). `headline`
    marks the one figure per case and category a judge would quote; `mentions` counts the lines that give that
    same figure (a summary and the body repeating it count once).
    """

    case_id: str
    municipality: str
    category: str
    category_name: str
    label: str
    value: float
    unit: str
    norm: float
    temporal: str
    line: int
    col: int
    headline: bool = False
    before: float | None = None
    mentions: int = 1
    total: bool = False  # the text calls it a total (총 12회, 합계, 누계, 계 9,975명)
    summary: bool = False  # it stands in the 사례요약, before the first section of the body
    kind: str = ""
    text: str = ""
    score: float = 0.0  # the classifier's evidence for the category (sum of weighted cues)
    cues: list[str] = field(default_factory=list)  # the words that decided it
    source: str = ""
    role: str = ""  # "before" for the first figure of a change; not a headline candidate

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {key: data[key] for key in ALL_KEYS}
