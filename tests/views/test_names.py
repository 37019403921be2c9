"""The stems of a report's files: Hangul kept, file-safe."""

from __future__ import annotations

from casekit.views.names import report_name, slug


def test_report_names_keep_hangul_and_are_file_safe() -> None:
    assert (
        report_name("ranking_report", {"field": "사회적경제", "group": "시"})
        == "ranking_report__사회적경제__시"
    )
    assert report_name("ranking_report", {"field": None, "group": "구"}) == "ranking_report__전체__구"
    assert slug("도시/재생 분야") == "도시-재생-분야" and slug("../..") == "x"
