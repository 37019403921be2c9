"""Questions to the index: filters, the package-level `casekit.search(...)` and similar cases."""

from __future__ import annotations

import pytest

import casekit.retrieval  # loading the engine leaves `casekit.search` the function, not a module
from casekit.errors import EmbeddingError, WorkspaceError
from casekit.retrieval.index import load_index
from casekit.retrieval.query import hits, similar


def test_filters(search_workspace):
    index = load_index(search_workspace)
    assert hits(index, "일자리 창출", 5, region="경상북도")[0]["municipality"] == "경산시"
    assert {h["region"] for h in hits(index, "일자리 창출", 20, region="경기")} == {"경기"}
    assert hits(index, "일자리 창출", 5, group="군") == []
    assert hits(index, "일자리 창출", 5, field="도시재생") == []
    assert len(hits(index, "일자리 창출", 5, field="사회적경제")) == 5
    per_case = hits(index, "일자리 창출", 9, per_case=1)
    assert len({h["case_id"] for h in per_case}) == len(per_case)
    with pytest.raises(EmbeddingError, match="empty query"):
        hits(index, "   ")


def test_casekit_search_is_callable_from_the_package(search_workspace):
    frame = casekit.search("청년 창업 푸드트럭", top_k=3, workspace=search_workspace)
    assert frame.iloc[0]["municipality"] == "수원시"
    assert callable(casekit.search) and casekit.search is casekit.retrieval.search


def test_similar_ranks_other_cases(search_workspace):
    frame = similar("이천시", top_k=8, workspace=search_workspace)  # a unique prefix is enough
    assert len(frame) == 8 and "이천시" not in set(frame["municipality"])
    assert frame["score"].is_monotonic_decreasing
    # 경산 is the other employment-policy case (jobs centres, job fairs): it is the closest
    assert frame.iloc[0]["municipality"] == "경산시"
    assert frame.iloc[0]["passage"] != "개요"  # the evidence pair is real content, not the form header
    with pytest.raises(WorkspaceError, match="no case"):
        similar("없는시", workspace=search_workspace)
