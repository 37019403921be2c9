"""The `Metric` record: one quantity a case claims, normalized, with its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

MetricKind = Literal["money", "persons", "count", "percent", "area", "duration", "power", "ratio", "other"]

#: The Korean name of each kind, as judges and organizers read it (tables, axis labels, the review page).
KIND_NAMES: dict[str, str] = {
    "money": "금액",
    "persons": "인원",
    "count": "건수",
    "percent": "비율(%)",
    "area": "면적",
    "duration": "기간",
    "power": "전력",
    "ratio": "배율",
    "other": "기타",
}

#: Exactly the keys `casekit extract --format jsonl` prints, in order.
METRIC_KEYS = (
    "case_id",
    "source",
    "kind",
    "value",
    "unit",
    "multiplier",
    "norm",
    "currency",
    "temporal",
    "table",
    "label",
    "line",
    "col",
    "text",
)


@dataclass(slots=True)
class Metric:
    """A quantity found in a case.

    value × multiplier == norm; `unit` is the normalized unit (원, 명, 개소, %, ㎡ …), `currency` is set
    for money (KRW, USD). `line`/`col` point at the number's first character in the original file.
    """

    case_id: str
    source: str
    kind: str  # MetricKind
    value: float  # as written (sign kept: "-12.2%", "△2" → negative)
    unit: str
    multiplier: float
    norm: float
    currency: str | None
    temporal: str  # "actual" or "planned"
    table: bool
    label: str
    line: int  # 1-based line of the original source file
    col: int  # 0-based character offset in that original line
    text: str  # the matched span as it reads in the repaired text

    def to_dict(self) -> dict[str, Any]:
        # Spelled out rather than `dataclasses.asdict`, which deep-copies every field and took 9-16x as
        # long: ingest writes one of these per figure, tens of thousands per archive.
        return {
            "case_id": self.case_id,
            "source": self.source,
            "kind": self.kind,
            "value": self.value,
            "unit": self.unit,
            "multiplier": self.multiplier,
            "norm": self.norm,
            "currency": self.currency,
            "temporal": self.temporal,
            "table": self.table,
            "label": self.label,
            "line": self.line,
            "col": self.col,
            "text": self.text,
        }
