"""Near-duplicate detection: a resubmitted, lightly edited case is found; the nine originals are distinct."""

from __future__ import annotations

from casekit.pipeline import ingest
from casekit.retrieval.near_duplicates import duplicate_cases, duplicates
from casekit.retrieval.query import similar


def _near_copy(seed_path, tmp_path):
    """청주시's report resubmitted by another city with a few words changed, as a separate file."""
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    body = lines[1745:2126]  # lines 1746-2126: the 청주시 case
    edited = [
        line.replace("청주", "충주").replace("충청북도 충주시", "충청북도 충주시").replace("2016", "2017")
        for line in body
    ]
    path = tmp_path / "copy.txt"
    path.write_text("\n".join(edited) + "\n", encoding="utf-8")
    return path


def test_originals_have_no_near_copies(search_workspace):
    assert duplicates(0.8, search_workspace).empty


def test_resubmitted_case_is_found(writable_seed_workspace, seed_path, tmp_path):
    ws = writable_seed_workspace
    report = ingest([_near_copy(seed_path, tmp_path)], ws)
    assert len(report.case_ids) == 1
    pairs = duplicates(0.8, ws)
    assert not pairs.empty
    municipalities = set(pairs["municipality_a"]) | set(pairs["municipality_b"])
    assert municipalities == {"청주시", "충주시"}
    assert (pairs["score"] >= 0.8).all()
    top = pairs.iloc[0]
    assert top["line_start_a"] <= top["line_end_a"] and top["snippet_a"]
    by_case = duplicate_cases(pairs, ws)
    assert len(by_case) == 1
    row = by_case.iloc[0]
    assert row["share_a"] > 0.5 and row["share_b"] > 0.5  # most of the report is copied
    # case-level likeness agrees: the copy is the nearest case, far above any genuine neighbour
    # (the judge-review notebook flags similar() scores >= 0.9 as near-duplicates)
    neighbours = similar("청주시", top_k=3, workspace=ws)
    assert neighbours.iloc[0]["municipality"] == "충주시" and neighbours.iloc[0]["score"] > 0.9
    assert (neighbours.iloc[1:]["score"] < 0.5).all()
