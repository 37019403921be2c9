"""The judge's page section by section, as HTML: who is judging, the case, its metrics, similar cases, the sheet.

Why a module of its own: these renderers are pure (a JudgeReview's data in, markup out) and make up most of
the page's length; kept apart from `casekit.views.review`, that module stays about state — which judge,
which case, the store, the live widgets — and this one about what a judge reads. Each function takes the
JudgeReview whose `<section>_html` method delegates to it; `folded_table` is shared with the pre-scores
section (`casekit.views.review_prescores`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from casekit.errors import CasekitError
from casekit.report import html as H
from casekit.views import labels as L
from casekit.views.outcomes import case_outcomes_html

if TYPE_CHECKING:  # pragma: no cover
    from casekit.views.review import JudgeReview

#: Lines of the case summary shown before the rest folds away.
SUMMARY_LINES = 14
#: Rows of a long table shown at once; the rest are one click away (<details>), never dropped.
SHOWN_ROWS = 15


def judge_html(review: JudgeReview) -> str:
    if review.problem is not None:
        return H.notice(review.problem)
    if review.judge_problem is not None:
        return H.notice(review.judge_problem)
    # The queue reorders as scores land (fewest reviews first), so the place shown is the order in which
    # this session opened the cases, not a queue position that would jump after every save.
    ids = [str(c) for c in review.queue()["case_id"]]
    place = (
        review._visited.index(review.case_id) + 1
        if review.case_id in review._visited
        else len(review._visited)
    )
    position = f" · 이번에 연 {place}번째 사례 (내 대기열 {len(ids)}개)"
    name = review.judge_name()
    who = f"{review.judge_id} ({name})" if name and name != review.judge_id else str(review.judge_id)
    return H.paragraph(f"심사위원 {who}{position} · 작업공간 {review.workspace.root}", "ck-note")


def case_html(review: JudgeReview) -> str:
    case = review.case
    facts = [
        ("지자체", f"{case.region or ''} {case.municipality or ''}".strip()),
        ("구분", case.group),
        ("분야", case.field),
        ("사례명", case.title),
        ("관련공약", " / ".join(case.pledges)),
        ("출처", f"{case.source} (줄 {case.line_start}–{case.line_end})"),
        ("사례 ID", case.id),
    ]
    rows = "".join(f"<tr><th>{H.esc(k)}</th><td>{H.esc(v)}</td></tr>" for k, v in facts)
    parts = [
        H.heading(f"{case.municipality or ''} — {case.title}", 2),
        f'<table class="ck-table">{rows}</table>',
    ]
    if case.summary:
        lines = case.summary.splitlines()
        shown = "<br>".join(H.esc(line) for line in lines[:SUMMARY_LINES])
        rest = "<br>".join(H.esc(line) for line in lines[SUMMARY_LINES:])
        more = (
            f"<details><summary>나머지 {len(lines) - SUMMARY_LINES}줄 보기</summary><p>{rest}</p></details>"
            if rest
            else ""
        )
        parts.append(H.heading("사례요약", 3) + f"<p>{shown}</p>" + more)
    if case.sections:
        sections = [
            {"heading": s.heading, "lines": f"{s.line_start}–{s.line_end}"}
            for s in case.sections
            if s.level == 1
        ]
        parts.append(
            H.heading("구성", 3) + H.table_html(sections, headers={"heading": "제목", "lines": "원문 줄"})
        )
    for warning in case.warnings:
        parts.append(H.notice(warning))
    return "".join(parts)


def metrics_html(review: JudgeReview) -> str:
    """The case's headline outcome indicators (casekit.views.outcomes), then every metric with its line."""
    headlines = case_outcomes_html(review.workspace, review.case)
    frame = review.metrics()
    if frame.empty:
        return headlines + H.notice("이 사례에서 찾은 성과지표가 없습니다.")
    headers = {
        "kind": "종류",
        "text": "표현",
        "norm": "정규화 값",
        "unit": "단위",
        "temporal": "실적/계획",
        "label": "항목",
        "line": "줄",
        "col": "열",
        "source_line": "원문 줄",
    }
    counts = frame.groupby("temporal").size().to_dict()
    said = ", ".join(f"{k} {v}개" for k, v in counts.items())
    return (
        headlines
        + H.paragraph(f"성과지표 {len(frame)}개 ({said}) — 줄 번호는 원문 파일의 줄입니다.", "ck-note")
        + folded_table(frame, headers, float_format=",.0f")
    )


def similar_html(review: JudgeReview, top_k: int = 5, duplicate_threshold: float = 0.9) -> str:
    try:
        found = review.similar_cases(top_k, duplicate_threshold)
    except CasekitError as exc:
        return H.notice(f"비슷한 사례를 찾을 수 없습니다: {exc}")
    if found.empty:
        return H.paragraph("비슷한 다른 사례가 없습니다.")
    parts = [
        H.paragraph(
            "유사도(0–1)가 높은 순서입니다: 두 사례의 본문 낱말이 겹치는 정도(코사인). "
            f"{duplicate_threshold:g} 이상이면 중복 제출을 의심해 볼 만합니다. "
            "가장 비슷한 구절은 두 사례에서 서로 가장 가까운 한 쌍입니다.",
            "ck-note",
        )
    ]
    dups = found[found["near_duplicate"]] if "near_duplicate" in found.columns else found.iloc[0:0]
    if not dups.empty:
        names = ", ".join(str(m) for m in dups["municipality"])
        parts.append(H.notice(f"중복 의심 {len(dups)}건 (유사도 ≥ {duplicate_threshold:g}): {names}"))
    table = found.assign(
        near_duplicate=found["near_duplicate"].map(L.yes_no),
        pair=[
            f"{p} (줄 {lines}) ↔ {o} (줄 {olines})"
            for p, lines, o, olines in zip(
                found["passage"], found["lines"], found["other_passage"], found["other_lines"]
            )
        ],
    )
    parts.append(
        H.table_html(
            table,
            ["rank", "municipality", "title", "score", "near_duplicate", "pair", "case_id"],
            headers={
                "rank": "순위",
                "municipality": "지자체",
                "title": "사례명",
                "score": "유사도",
                "near_duplicate": "중복 의심",
                "pair": "가장 비슷한 구절 (이 사례 ↔ 그 사례)",
                "case_id": "사례 ID",
            },
            float_format=".3f",
        )
    )
    return "".join(parts)


def sheet_html(review: JudgeReview) -> str:
    return H.table_html(
        review.sheet(),
        headers={
            "stage": "단계",
            "criterion": "ID",
            "name": "평가항목",
            "max_points": "만점",
            "description": "설명",
            "levels": "등급 기준",
            "suggested": "사전점수",
            "my_points": "내 점수",
            "my_comment": "의견",
        },
        float_format=".1f",
    )


def folded_table(rows: Any, headers: dict[str, str], float_format: str = ".2f") -> str:
    """A table whose first SHOWN_ROWS rows show and the rest open with one click (nothing is dropped)."""
    records = rows.to_dict(orient="records") if hasattr(rows, "to_dict") else list(rows)
    first = H.table_html(records[:SHOWN_ROWS], list(headers), headers=headers, float_format=float_format)
    if len(records) <= SHOWN_ROWS:
        return first
    rest = H.table_html(records[SHOWN_ROWS:], list(headers), headers=headers, float_format=float_format)
    return first + f"<details><summary>나머지 {len(records) - SHOWN_ROWS}개 보기</summary>{rest}</details>"
