"""The names of a report's files: the batch names them when it plans a run, the views write them.

One place for both, so the ranking report saves `<name>.xlsx` and `<name>.summary.json` under exactly the
stem the batch looks for (``ranking_report__사회적경제__시``), without a view importing the batch above it.
"""

from __future__ import annotations

import re
from typing import Any

#: Stands for "every value" of a key a report is not split by (a report over all 분야, say).
ALL_LABEL = "전체"


def slug(value: Any) -> str:
    """A file-name-safe piece that keeps Hangul readable: 사회적경제 stays, '/' and spaces become '-'."""
    text = ALL_LABEL if value is None else str(value)
    text = re.sub(r"[^\w가-힣.]+", "-", text, flags=re.UNICODE).strip("-.")
    return text or "x"


def report_name(notebook: str, values: dict[str, Any]) -> str:
    """Stem of a report's files, e.g. ``ranking_report__사회적경제__시``; the notebooks use it too."""
    return "__".join([notebook] + [slug(values.get(key)) for key in sorted(values)])
