"""The four notebooks, defined in code and written with nbformat (`notebooks/_build.py` calls `write_notebooks`).

Why generated: notebooks are JSON that diffs badly; keeping their cells here makes them reviewable, keeps
the four consistent (same first cells, same parameter conventions), and lets an installed casekit (no
`notebooks/` folder) still run its batches. Each notebook is short on purpose: a title, a cell tagged
`parameters` holding only literals (papermill injects overrides after it, so nothing may be derived there),
then one call per section into the package, where the logic and its tests live. Default paths are relative
to `notebooks/` because JupyterLab runs a notebook in its own folder; batches always inject absolute paths.
The judge notebook's defaults are None instead, resolved by `casekit.views.review` ($CASEKIT_WORKSPACE
first, as the README documents, so a literal path here cannot silently beat it; $CASEKIT_JUDGE; never a
default judge).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from casekit.store import atomic_write_text

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

# Each notebook: list of (kind, source[, tags]). kind is "md", "code" or "params".
NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "ranking_report": [
        (
            "md",
            "# 순위 보고서 (ranking report)\n\n"
            "한 분야 × 구분(시/군/구) 그룹의 순위, 수상, 점수 분포, 심사위원 간 일치도, 순위 구간, 성과지표와 "
            "주제 지도. `casekit batch`가 그룹마다 이 노트북을 실행해 HTML과 Excel로 저장합니다.\n\n"
            "*Ranking, awards, score distributions, judge agreement, rank intervals, outcome metrics and a "
            "theme map for one 분야 × group; `casekit batch` runs it per group.*",
        ),
        (
            "params",
            'rubric = "../rubrics/manifesto_2017.yaml"  # rubric YAML\n'
            "field = None  # 분야 such as 사회적경제; None for every field\n"
            "group = None  # 구분: 시, 군 or 구; None for every group\n"
            'workspace = "../data"  # casekit workspace directory\n'
            'output_dir = "../reports"  # where the .xlsx and figures go',
        ),
        (
            "code",
            "from casekit.views import RankingReport\n\n"
            "report = RankingReport.build(rubric, workspace, field=field, group=group)\n"
            "report.show_header()",
        ),
        (
            "md",
            "## 수상과 순위 (awards and ranking)\n\n총점은 단계별 점수를 평가기준의 가중치로 합한 값입니다. "
            "동점은 평가기준의 동점 처리 순서로 가립니다.",
        ),
        ("code", "report.show_ranking()"),
        (
            "md",
            "## 점수 분포 (score distributions)\n\n평가항목별로 심사위원이 준 점수(점선은 만점), "
            "사례별 심사위원 합계, 상위 사례의 항목별 득점률.",
        ),
        ("code", "report.show_scores()"),
        ("md", "## 심사위원 간 일치도 (judge agreement)"),
        ("code", "report.show_agreement()"),
        (
            "md",
            "## 순위 구간 (rank intervals)\n\n심사위원을 재표집(bootstrap)했을 때 순위가 움직이는 범위. "
            "구간이 넓을수록 순위가 불안정합니다.",
        ),
        ("code", "report.show_rank_intervals()"),
        ("md", "## 성과지표 (outcome metrics)\n\n사례가 제시한 정량 성과의 수 (실적과 계획 구분)."),
        ("code", "report.show_metrics()"),
        ("md", "## 주제 지도 (theme map)"),
        ("code", "report.show_themes()"),
        ("md", "## 저장된 파일 (saved files)"),
        ("code", "saved = report.save(output_dir)\nfor kind, path in saved.items():\n    print(kind, path)"),
    ],
    "judge_review": [
        (
            "md",
            "# 심사 노트북 (judge review)\n\n사례 한눈에 보기, 성과지표와 근거 줄, 사전점수와 근거, 유사·중복 "
            "사례, 그리고 점수 입력 양식. JupyterLab에서 **모두 실행**(Run All)한 뒤, 심사위원을 고르고(또는 "
            "`judge_id`나 환경변수 `CASEKIT_JUDGE`로 정하고) 점수를 입력하세요. **다음 사례**를 누르면 이 "
            "페이지의 모든 부분이 다음 사례로 바뀝니다. `case_id = None`이면 내 심사 대기열(심사 수가 적은 "
            "사례부터)의 첫 사례를 엽니다.\n\n"
            "*The case at a glance, its metrics with source lines, pre-scores with evidence, similar cases "
            "and the score form. Run headless (papermill) it renders the review sheet and saves nothing.*",
        ),
        (
            "params",
            "case_id = None  # None for the next case in this judge's queue\n"
            "judge_id = None  # your judge id; None: $CASEKIT_JUDGE, else choose among the registered judges\n"
            "rubric = None  # rubric YAML; None for the default rubric (manifesto_2017)\n"
            "workspace = None  # None: $CASEKIT_WORKSPACE, else ./data, else ../data",
        ),
        (
            "code",
            "from casekit.views import JudgeReview\n\n"
            "review = JudgeReview(workspace, rubric, judge_id, case_id)\n"
            "review.show_judge()",
        ),
        ("md", "## 사례 (the case)"),
        ("code", "review.show_case()"),
        ("md", "## 성과지표와 근거 (metrics and their lines)"),
        ("code", "review.show_metrics()"),
        ("md", "## 사전점수 (pre-score suggestions — not final)"),
        ("code", "review.show_prescores()"),
        ("md", "## 유사 사례와 중복 의심 (similar and near-duplicate cases)"),
        ("code", "review.show_similar()"),
        ("md", "## 심사표 (review sheet)\n\n평가항목, 등급 기준, 사전점수, 지금까지 저장된 내 점수."),
        ("code", "review.show_sheet()"),
        (
            "md",
            "## 점수 입력 (score form)\n\n점수(0–만점, 0.5점 단위)를 입력하고 **저장**을 누르면 점수 "
            "저장소에 기록되고, 저장된 값이 아래에 다시 표시됩니다. 받을 수 없는 값은 되돌리고 이유를 "
            "보여 줍니다. **지우기**는 저장된 점수를 지웁니다. **기권**은 이 사례를 내 평균에서 뺍니다. "
            "**다음 사례**는 대기열의 다음 사례로 넘어갑니다.",
        ),
        ("code", "form = review.form()"),
    ],
    "search_similar": [
        (
            "md",
            "# 사례 검색 (search and similar cases)\n\n질문을 쓰거나(`query`) 사례를 고르면(`case_id`) 가장 "
            "가까운 구절과 사례를 보여 줍니다. 분야·지역으로 거를 수 있습니다.\n\n"
            "*Type a question or pick a case: the closest passages (with their source lines) and cases.*",
        ),
        (
            "params",
            'query = "경력단절 여성 재취업 교육"  # a question in Korean; None skips\n'
            "case_id = None  # a case to find neighbours of; None skips\n"
            "top_k = 10\n"
            "field = None  # 분야 filter\n"
            "region = None  # 광역 filter such as 경기\n"
            'workspace = "../data"',
        ),
        (
            "code",
            "from casekit.views import SearchView\n\nview = SearchView(workspace)\nview.show_overview()",
        ),
        ("md", "## 질문과 가장 가까운 구절 (passages closest to the question)"),
        ("code", "hits = view.show_search(query, top_k=top_k, field=field, region=region)"),
        ("md", "## 비슷한 사례 (similar cases)"),
        ("code", "neighbours = view.show_similar(case_id, top_k=top_k)"),
        (
            "md",
            "## 직접 검색 (interactive search)\n\n아래 검색창은 JupyterLab에서 노트북을 열었을 때만 동작합니다 "
            "(the search box works in JupyterLab; a saved HTML copy shows nothing here).",
        ),
        ("code", "search_box = view.widget(top_k=top_k)"),
    ],
    "themes": [
        (
            "md",
            "# 주제 지도 (themes)\n\n사례(또는 구절)를 주제로 묶고, 주제마다 대표 낱말과 대표 사례, 2차원 "
            "지도, 주제 × 분야/지역 표를 보여 줍니다. 맞춘 모델은 작업공간에 저장되어 순위 보고서의 "
            "주제 지도에 쓰입니다.\n\n*Cluster cases into labelled themes, draw the map, save the model.*",
        ),
        (
            "params",
            "k = None  # number of themes; None to choose by silhouette\n"
            'method = "kmeans"  # kmeans, agglomerative or hdbscan\n'
            'level = "case"  # case or passage\n'
            'workspace = "../data"\n'
            'output_dir = "../reports"',
        ),
        (
            "code",
            "from casekit.views import ThemesView\n\n"
            "view = ThemesView.build(workspace, k=k, method=method, level=level)\n"
            "view.show_summary()",
        ),
        ("md", "## 지도 (map)"),
        ("code", "view.show_map()"),
        ("md", "## 주제 × 분야 · 지역 (themes by field and region)"),
        ("code", "view.show_crosstabs()"),
        ("md", "## 저장 (saved)"),
        ("code", "saved = view.save(output_dir)\nfor kind, path in saved.items():\n    print(kind, path)"),
    ],
}


def build_notebook(name: str) -> Any:
    """The nbformat NotebookNode of one notebook (nbformat is imported here: it takes a second to load, and
    the batch imports this module only to find the notebooks)."""
    import nbformat
    from nbformat import v4

    cells = []
    for kind, source in NOTEBOOKS[name]:
        if kind == "md":
            cells.append(v4.new_markdown_cell(source))
        elif kind == "params":
            cells.append(v4.new_code_cell(source, metadata={"tags": ["parameters"]}))
        else:
            cells.append(v4.new_code_cell(source))
    nb = v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": KERNELSPEC,
            "language_info": {"name": "python"},
        },
    )
    # Stable cell ids so regenerating an unchanged notebook gives identical bytes.
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{name[:20]}-{i:02d}"
    nbformat.validate(nb)
    return nb


def notebook_text(name: str) -> str:
    import nbformat

    return str(nbformat.writes(build_notebook(name))) + "\n"


def write_notebooks(directory: str | Path) -> list[Path]:
    """Write every notebook into `directory` (only files whose text changed are rewritten)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in NOTEBOOKS:
        path = out / f"{name}.ipynb"
        text = notebook_text(name)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            atomic_write_text(path, text)
        written.append(path)
    return written
