"""Korean words for the values a judge reads: metric kinds, 실적/계획, 예/아니오, signal names, local times.

The engine keeps its values in English identifiers (``money``, ``actual``, ``pledge_link``) because files,
the CLI's JSON and the tests rely on them; a judge reading a case should not have to. The views turn them
into Korean here, in one place, instead of each table carrying its own translation. Nothing here imports
pandas or matplotlib (the metric-kind names of `casekit.report.plots` are the same words, for the plots).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from casekit.metrics.model import KIND_NAMES

METRIC_KINDS = KIND_NAMES  # one table of Korean kind names, in casekit.metrics.model

#: Whether a figure reports what was done or what is planned (Metric.temporal, SignalSpec.temporal).
TEMPORAL = {"actual": "실적", "planned": "계획", "any": "실적·계획"}

#: Pre-score signal kinds (casekit.rubric.SignalKind), for signals whose rubric entry has no description.
SIGNAL_KINDS = {
    "keywords": "핵심어",
    "pattern": "표현",
    "metrics": "성과지표",
    "pledge_link": "공약 연결",
    "novelty": "독창성(다른 사례와의 거리)",
}

#: Why a stored score is left out of the case's mean (scores_frame's `excluded`).
EXCLUDED = {"abstain": "기권", "recuse": "제외(주최측)", "conflict": "이해충돌"}


def metric_kind(kind: Any) -> str:
    return METRIC_KINDS.get(str(kind), str(kind))


def temporal(value: Any) -> str:
    return TEMPORAL.get(str(value), str(value))


def yes_no(value: Any) -> str:
    """예 / 아니오 for a truth value; empty for a missing one (None, NaN)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return "예" if bool(value) else "아니오"


def signal_name(spec: Any) -> str:
    """A signal in the judge's words: its rubric description when it has one, else what kind it is.

    Generic on purpose: the signal ids (``plan_sections``, ``first_claims``) are the rubric author's,
    so the name is built from the rubric entry, not from a table of one year's ids.
    """
    if spec is None:
        return ""
    description = str(getattr(spec, "description", "") or "").strip()
    kind = str(getattr(spec, "kind", ""))
    if description:
        return description
    if kind == "keywords":
        terms = list(getattr(spec, "terms", []) or [])
        shown = ", ".join(terms[:4]) + (" …" if len(terms) > 4 else "")
        return f"핵심어 ({shown})" if shown else SIGNAL_KINDS[kind]
    if kind == "metrics":
        kinds = "·".join(metric_kind(k) for k in getattr(spec, "metric_kinds", []) or [])
        return f"{temporal(getattr(spec, 'temporal', 'actual'))} {kinds} 수치".strip()
    return SIGNAL_KINDS.get(kind, str(getattr(spec, "id", kind)))


def signal_value(kind: str, value: float) -> str:
    """The raw value of a signal as a judge would say it (a count of words, lines or figures, or a share)."""
    if kind == "keywords":
        return f"{value:g}개"
    if kind == "pattern":
        return f"{value:g}곳"
    if kind == "metrics":
        return f"수치 {value:g}개"
    if kind == "pledge_link":
        return f"연결 {value:.0%}"
    if kind == "novelty":
        return f"백분위 {value * 100:.0f}"
    return f"{value:g}"


def local_time(value: Any) -> str:
    """A stored timestamp (ISO text or datetime, UTC) in the machine's local time, e.g. '2026-12-01 23:50:04 KST'."""
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return ""
    if isinstance(value, datetime):
        moment = value
    else:
        to_py = getattr(value, "to_pydatetime", None)
        moment = to_py() if to_py is not None else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:  # the store writes UTC; a naive value is taken as UTC, never as local
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone()
    return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname() or ''}".strip()
