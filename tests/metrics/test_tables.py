"""Flattened tables: units from captions, column and row headers, header rows that are not figures."""

from __future__ import annotations

from casekit.metrics import extract_metrics
from casekit.parse import parse_file
from tests.metrics.texts import WORK_REPORT, extract


def test_work_report_table_units_and_labels() -> None:
    found = extract(WORK_REPORT)
    rows = [(m.line, m.text, m.kind, m.norm, m.table, m.label) for m in found]
    assert (5, "30,000", "money", 30_000_000, True, "청년창업지원 예산액") in rows
    assert (5, "25,000", "money", 25_000_000, True, "청년창업지원 집행액") in rows
    assert (5, "83.3", "percent", 83.3, True, "청년창업지원 집행률") in rows
    assert (6, "100.0", "percent", 100.0, True, "소상공인 컨설팅 집행률") in rows
    assert (9, "1,350", "persons", 1350, True, "취업자 수 2023") in rows
    years = [m for m in found if m.line == 8]
    assert years == []  # the header of years is not a row of figures
    assert all(m.line != 1 for m in found)  # "2024년" in a title is a date


def test_unit_declared_after_the_table() -> None:
    text = "취업 유지 현황\n계 수급자 차상위\n59 28 14\n(단위 : 명)\n"
    found = extract(text)
    assert [(m.text, m.kind, m.table) for m in found] == [
        ("59", "persons", True),
        ("28", "persons", True),
        ("14", "persons", True),
    ]


def test_tab_separated_table_with_column_units() -> None:
    text = "구분\t예산(백만원)\t인원(명)\t비율(%)\n본청\t1,200\t35\t12.5\n사업소\t300\t8\t3.1\n"
    found = extract(text)
    assert [(m.line, m.kind, m.norm) for m in found] == [
        (2, "money", 1_200_000_000),
        (2, "persons", 35),
        (2, "percent", 12.5),
        (3, "money", 300_000_000),
        (3, "persons", 8),
        (3, "percent", 3.1),
    ]


def test_html_table_cells_glued_by_repair_are_split_again(tmp_path) -> None:  # type: ignore[no-untyped-def]

    path = tmp_path / "report.txt"
    row = "<table><tr><td>일자리(개)</td><td>1,000</td><td>1,150</td></tr></table>"
    path.write_text("주요업무보고\n" + row + "\n", encoding="utf-8")
    (case,) = parse_file(path)
    found = extract_metrics(case)
    assert [(m.line, m.text, m.kind, m.norm) for m in found] == [
        (2, "1,000", "count", 1000),
        (2, "1,150", "count", 1150),
    ]
    for metric in found:
        assert row[metric.col : metric.col + len(metric.text)] == metric.text


def test_flattened_table_frame_above_wins_over_the_next_tables_and_rows_name_their_kind() -> None:
    text = (
        "1. 관광객 현황\n(단위 : 천명, %)\n구분 2022년 2023년 증감률\n계 4,180 5,020 20.1\n"
        "2. 부서 예산 및 인력\n(단위 : 백만원)\n구분 2023 2024\n예산 8,450 9,120\n정원 18 20\n집행률 96.4 -\n"
    )
    found = {(m.line, m.text): (m.kind, m.norm) for m in extract(text)}
    assert found[(4, "4,180")] == ("persons", 4_180_000)  # its own frame, not the next table's
    assert found[(4, "20.1")] == ("percent", 20.1)
    assert found[(8, "8,450")] == ("money", 8_450_000_000)
    assert found[(9, "18")] == ("persons", 18)  # 정원 is staff under a money frame
    assert found[(10, "96.4")] == ("percent", 96.4)  # one number beside a blank cell is still a row


def test_flattened_row_with_a_blank_first_cell_keeps_its_column() -> None:
    text = (
        "건강증진사업 (단위 : 명, 회)\n사업명 교육횟수 참여인원\n금연클리닉 48 1,260\n치매조기검진 - 3,870\n"
    )
    found = {m.text: (m.kind, m.unit) for m in extract(text)}
    assert found == {"48": ("count", "회"), "1,260": ("persons", "명"), "3,870": ("persons", "명")}


def test_the_head_noun_decides_a_label_kind() -> None:
    from casekit.metrics.grid import kind_of_words

    assert kind_of_words("주민참여예산위원회") == "money"  # a committee's budget, not persons
    assert kind_of_words("예산 집행률") == "percent"
    assert kind_of_words("참여자수") == "persons"
    assert kind_of_words("사업건수") == "count"
