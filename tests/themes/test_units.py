"""Units on the seed book: passages keep their source line ranges and never carry the 분야 checklist."""

from __future__ import annotations

from casekit.themes import passage_units


def test_seed_passages_keep_line_ranges_and_drop_the_field_checklist(seed_cases) -> None:  # type: ignore[no-untyped-def]
    units = passage_units(seed_cases)
    assert len({u.id for u in units}) == len(units)
    by_case = {c.id: c for c in seed_cases}
    for unit in units:
        case = by_case[unit.case_id]
        assert case.line_start <= unit.line_start <= unit.line_end <= case.line_end
        assert "2분야-도시재생" not in unit.text
    for case in seed_cases:  # every case yields several passages, in line order
        own = [u for u in units if u.case_id == case.id]
        assert len(own) >= 3
        assert [u.line_start for u in own] == sorted(u.line_start for u in own)
