"""Judges' affiliations and conflicts of interest: when a judge may not score a case.

A judge carries an affiliation (municipality, region); the rubric's `conflict_of_interest` names which
of them bar scoring a case of the same municipality/region. The rule lives here once, in two forms: one
judge against one case (saves and the review queue refuse), and a whole scores table at once (scores that
slipped in before an affiliation was recorded are marked `excluded="conflict"`).

Municipality names repeat across the country (중구, 고성군), so a municipality match counts only when the
regions do not contradict each other. Affiliations are spelled the way parsed cases spell them, so a judge
typed as '경기도 수원시' meets the case of 수원시 in 경기.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import pandas as pd

from casekit.parse.gazetteer import region_of, resolve_local_government


class Affiliated(Protocol):
    """Whatever carries an affiliation: a `Judge`."""

    @property
    def municipality(self) -> str | None: ...

    @property
    def region(self) -> str | None: ...


def normalize_affiliation(municipality: str | None, region: str | None) -> tuple[str | None, str | None]:
    """Spell an affiliation the way parsed cases do: '경기도 수원시' → ('수원시', '경기'), '경상남도' → '경남'.

    A municipality whose name is unique in the country also gets its region, so a region-level
    conflict rule still applies when the organizer typed only the city.
    """
    municipality = (municipality or "").strip() or None
    region = (region or "").strip() or None
    if region:
        region = region_of(region) or region
    if municipality:
        found_region, found_municipality = resolve_local_government(municipality)
        if found_municipality and found_municipality != "세종특별자치시":
            municipality = found_municipality
        region = region or found_region
    return municipality, region


def conflict(judge: Affiliated, case_row: Any, keys: Iterable[str]) -> str | None:
    """The affiliation key on which `judge` conflicts with the case, or None.

    `case_row` is a Case or a row of the store's cases table (attributes or keys municipality, region).
    """

    def value(key: str) -> str | None:
        raw = getattr(case_row, key) if hasattr(case_row, key) else case_row[key]
        return str(raw).strip() or None if raw else None

    case_region = value("region")
    for key in keys:
        mine, theirs = getattr(judge, key), value(key)
        if not mine or not theirs or mine != theirs:
            continue
        if key == "municipality" and judge.region and case_region and judge.region != case_region:
            continue
        return key
    return None


def conflicting_rows(frame: pd.DataFrame, keys: Iterable[str]) -> list[bool]:
    """Per row of a scores table (columns judge_<key> and case_<key>): does the judge conflict with the case."""
    regions_agree = (
        frame["judge_region"].isna()
        | frame["case_region"].isna()
        | (frame["judge_region"] == frame["case_region"])
    )
    clashes = [False] * len(frame)
    for key in keys:
        mine, theirs = frame[f"judge_{key}"], frame[f"case_{key}"]
        same = mine.notna() & theirs.notna() & (mine == theirs)
        clash = (same & regions_agree if key == "municipality" else same).tolist()
        clashes = [a or bool(b) for a, b in zip(clashes, clash)]
    return clashes
