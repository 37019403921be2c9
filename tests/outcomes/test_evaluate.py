"""Measured quality on hand-labelled metrics (tests/outcomes/gold, rule in its README): a floor per category.

`outcome_gold.jsonl` (376 metrics: 수원시, 여주시, 청주시, 정읍시 of the seed book and four realdocs pages) is
the development set; `outcome_heldout.jsonl` (96 metrics: 김해시, 남양주시) was labelled with the classifier
frozen. `outcome_retired.jsonl` holds the 14 labels of figures a browser does not show (an HTML comment,
an `<img alt>`), which the HTML reader no longer reads. Figures in docs/metrics.md, "Outcome indicators".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casekit.outcomes import workspace_indicators
from casekit.outcomes.evaluate import load_gold, score

GOLD = Path(__file__).parent / "gold"
REALDOCS = [
    "realdocs/boryeong/sub03_05_pledge_changes.excerpt.html",
    "realdocs/dangjin/sub02_sub02_09_02.jsp.html",
    "realdocs/dangjin/sub06_sub06_11_06_01.jsp.html",
    "realdocs/dangjin/sub05_sub05_04_01.jsp.html",
]


@pytest.fixture(scope="module")
def real_workspace(tmp_path_factory, seed_path):  # type: ignore[no-untyped-def]
    from casekit.pipeline import ingest
    from casekit.store import Workspace

    shared = seed_path.resolve().parents[1]  # ../shared, found as the seed book is
    paths = [shared / p for p in REALDOCS]
    if not all(p.is_file() for p in paths):
        pytest.skip("../shared/realdocs not beside the repo")
    ws = Workspace(tmp_path_factory.mktemp("real") / "data")
    ingest(paths, ws)
    return ws


@pytest.fixture(scope="module")
def real_indicators(real_workspace):  # type: ignore[no-untyped-def]
    return workspace_indicators(real_workspace)


def test_the_gold_sets_are_large_enough_and_cover_every_category() -> None:
    dev, held = load_gold(GOLD / "outcome_gold.jsonl"), load_gold(GOLD / "outcome_heldout.jsonl")
    assert len(dev) + len(held) >= 300 and len([g for g in dev + held if g["category"] != "unknown"]) >= 300
    assert {g["category"] for g in dev} >= {
        "jobs",
        "budget",
        "beneficiaries",
        "organizations",
        "programs",
        "facilities",
        "revenue",
        "rates",
        "unknown",
    }
    assert any(g["source"].startswith("realdocs/") for g in dev)


def test_development_set_precision_and_recall_floors(seed_indicators, real_indicators) -> None:  # type: ignore[no-untyped-def]
    result = score(seed_indicators + real_indicators, load_gold(GOLD / "outcome_gold.jsonl"))
    assert result.labelled == 376 and result.accuracy >= 0.90, result.table()
    for category in result.categories:
        floor = (
            0.5 if category.category == "revenue" else 0.8
        )  # revenue: 7 labelled, 3 in unit-less table cells
        assert category.precision >= 0.85 and category.recall >= floor, result.table()


def test_held_out_cases_floor(seed_indicators) -> None:  # type: ignore[no-untyped-def]
    result = score(seed_indicators, load_gold(GOLD / "outcome_heldout.jsonl"))
    assert result.labelled == 96 and result.accuracy >= 0.85, result.table()
    by = result.by_category()
    assert by["jobs"].precision >= 0.8 and by["jobs"].recall >= 0.8, result.table()
    assert by["budget"].f1 >= 0.9 and by["organizations"].f1 >= 0.85, result.table()


def test_retired_labels_are_figures_the_html_reader_does_not_show(real_workspace) -> None:  # type: ignore[no-untyped-def]
    """Each retired label stands where no metric is (hidden text); were one read again, it belongs in the set."""
    retired = load_gold(GOLD / "outcome_retired.jsonl")
    assert len(retired) == 14 and all(g["retired"] for g in retired)
    cases = {c.id: [] for c in real_workspace.load_cases()}
    metrics = {
        (Path(str(r["source"])).name, int(r["line"]), int(r["col"]))
        for r in real_workspace.metric_rows(cases)
    }
    assert metrics, "the realdocs pages gave no metrics"
    assert not [g for g in retired if (Path(g["source"]).name, g["line"], g["col"]) in metrics]
    assert not [
        g
        for g in load_gold(GOLD / "outcome_gold.jsonl")
        if g["source"].startswith("realdocs/")
        and (Path(g["source"]).name, g["line"], g["col"]) not in metrics
    ]


def test_held_out_html_tables_floor(tmp_path_factory, seed_path) -> None:  # type: ignore[no-untyped-def]
    """108 metrics of three realdocs pages no other set uses (tab rows, labelled before the classifier ran on
    them: 0.722 then); the floor holds today's in-sample figure (0.926) with a margin, see docs/metrics.md."""
    from casekit.pipeline import ingest
    from casekit.store import Workspace

    gold = load_gold(GOLD / "outcome_tables_heldout.jsonl")
    shared = seed_path.resolve().parents[1]
    paths = sorted({shared / g["source"] for g in gold})
    if not all(p.is_file() for p in paths):
        pytest.skip("../shared/realdocs not beside the repo")
    ws = Workspace(tmp_path_factory.mktemp("tables") / "data")
    ingest(paths, ws)
    result = score(workspace_indicators(ws), gold)
    assert result.labelled == 108 and result.accuracy >= 0.90, result.table()
    by = result.by_category()
    for category in ("beneficiaries", "organizations", "programs", "rates"):
        assert by[category].f1 >= 0.85, result.table()
    assert by["budget"].recall >= 0.9, result.table()
