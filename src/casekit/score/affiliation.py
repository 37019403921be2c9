"""Judges' affiliations and conflicts of interest: when a judge may not score a case.

A judge carries an affiliation (municipality, region); the rubric's `conflict_of_interest` names which
of them bar scoring a case of the same municipality/region. The rule lives here once, in two forms: one
judge against one case (saves and the review queue refuse), and a whole scores table at once (scores that
slipped in before an affiliation was recorded are marked `excluded="conflict"`).

Why affiliations go through the gazetteer: a conflict is a string match, so '수원', '수원 시', '경기 수원시'
and '수원시' must all become the 수원시 that parsed cases carry, or a judge typed one way scores their own
city. `resolve_affiliation` makes that one canonical spelling, corrects a region that contradicts the
gazetteer (수원시 with region 강원 → 경기, with a note saying so) and refuses what it cannot place
(AffiliationError), so an unrecognised affiliation never silently disables the check.

Municipality names repeat across the country (중구, 고성군), so a municipality match counts only when the
regions do not contradict each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import pandas as pd

from casekit.errors import ScoreError
from casekit.parse.gazetteer import PROVINCES, region_of, regions_of_municipality

#: 세종 is a province-level city with no municipalities: every spelling is kept as this one.
SEJONG = "세종특별자치시"
_SEJONG_SPELLINGS = {"세종", "세종시", "세종특별자치시"}
_SUFFIXES = "시군구"


class AffiliationError(ScoreError):
    """A judge's affiliation the gazetteer cannot place (unknown name, ambiguous, contradicting region)."""


@dataclass(frozen=True)
class Affiliation:
    """A judge's affiliation as parsed cases spell it, and what was changed from what was typed."""

    municipality: str | None
    region: str | None  # 지역: the province abbreviation the cases use (경기, 경남 …)
    note: str | None = None


class Affiliated(Protocol):
    """Whatever carries an affiliation: a `Judge`."""

    @property
    def municipality(self) -> str | None: ...

    @property
    def region(self) -> str | None: ...


def _compact(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _candidates(name: str) -> set[str]:
    """Municipality names `name` may stand for: itself when known, else with 시/군/구 added ('수원' → 수원시)."""
    if name in _SEJONG_SPELLINGS:
        return {SEJONG}
    if regions_of_municipality(name):
        return {name}
    if name and name[-1] not in _SUFFIXES:
        return {name + s for s in _SUFFIXES if regions_of_municipality(name + s)}
    return set()


def _split_province(text: str) -> tuple[str | None, str]:
    """'경기도수원시' → ('경기', '수원시'); a text without a leading province (or only one) comes back whole."""
    for spelling in sorted(PROVINCES, key=len, reverse=True):
        rest = text[len(spelling) :]
        if text.startswith(spelling) and rest and _candidates(rest):
            return PROVINCES[spelling], rest
    return None, text


def resolve_affiliation(municipality: str | None, region: str | None) -> Affiliation:
    """The canonical (municipality, region) of what an organizer typed; AffiliationError when it cannot be placed.

    '수원', '수원 시', '수원시', '경기 수원시', '경기도 수원시' → (수원시, 경기); region '강원' with 수원시 is
    corrected to 경기 (the note says so); '중구' with region 경기 is refused (no 중구 in 경기); '서울특별시'
    alone is a region-level affiliation (None, 서울).
    """
    typed_m, typed_r = (municipality or "").strip(), (region or "").strip()
    given_region: str | None = None
    if typed_r:
        given_region = region_of(_compact(typed_r)) or region_of(typed_r)
        if given_region is None:
            raise AffiliationError(
                f"지역 '{typed_r}'을(를) 알 수 없습니다: 경기, 경남, 서울처럼 시·도를 적어 주세요 "
                f"(unknown region {typed_r!r}: give a province such as 경기, 경남, 서울)"
            )
    if not typed_m:
        return Affiliation(None, given_region)
    text = _compact(typed_m)
    if text in PROVINCES and text not in _SEJONG_SPELLINGS:
        province = PROVINCES[text]
        local = _candidates(text)  # 광주 is 광주광역시, and also 광주시 in 경기
        if not (given_region and any(given_region in regions_of_municipality(c) for c in local)):
            if given_region not in (None, province):
                raise AffiliationError(
                    f"소속 '{typed_m}'은(는) {province}인데 지역은 '{typed_r}'입니다 "
                    f"(affiliation {typed_m!r} is the province {province}, but the region says {typed_r!r})"
                )
            if local and given_region is None:
                options = ", ".join(
                    f"{'/'.join(sorted(regions_of_municipality(c)))} {c}" for c in sorted(local)
                )
                raise AffiliationError(
                    f"소속 '{typed_m}'이(가) {province} 전체인지 {options}인지 알 수 없습니다: 지역을 함께 "
                    f"적어 주세요 (ambiguous affiliation {typed_m!r}: the province {province} or {options}; "
                    "give the region)"
                )
            return Affiliation(None, province)
    prefix_region, rest = _split_province(text)
    found = _candidates(rest)
    if not found and rest.endswith("청"):  # 수원시청: the city hall stands for the city
        prefix_region, rest = _split_province(text[:-1])
        found = _candidates(rest)
    if not found and rest.endswith("특례시"):  # 수원특례시 (since 2022) is the 수원시 of the gazetteer
        prefix_region, rest = _split_province(text.removesuffix("청")[: -len("특례시")] + "시")
        found = _candidates(rest)
    if not found:
        raise AffiliationError(
            f"소속 '{typed_m}'을(를) 지자체 목록에서 찾을 수 없습니다: '수원시', '경기 수원시'처럼 적어 주세요 "
            f"(unknown municipality {typed_m!r}: not a Korean local government; write it like 수원시 or 경기 수원시)"
        )
    if len(found) > 1:
        raise AffiliationError(
            f"소속 '{typed_m}'은(는) {', '.join(sorted(found))} 중 어느 곳인지 알 수 없습니다 "
            f"(ambiguous municipality {typed_m!r}: {', '.join(sorted(found))})"
        )
    name = found.pop()
    places = regions_of_municipality(name) if name != SEJONG else {"세종"}
    stated = prefix_region or given_region
    note = None
    if prefix_region and given_region and prefix_region != given_region:
        note = f"지역 '{typed_r}' 대신 소속에 적힌 {prefix_region}(으)로 기록했습니다 (region taken from the affiliation)"
    if stated and stated not in places:
        if len(places) > 1:
            raise AffiliationError(
                f"{stated}에는 {name}이(가) 없습니다: {name}은(는) {', '.join(sorted(places))}에 있습니다 "
                f"(no {name} in {stated}; {name} is in {', '.join(sorted(places))})"
            )
        actual = next(iter(places))
        note = (
            f"지역 '{typed_r or stated}'을(를) {actual}(으)로 고쳤습니다: {name}은(는) {actual}에 있습니다 "
            f"(region corrected from {typed_r or stated!r} to {actual}: {name} is in {actual})"
        )
        stated = actual
    if stated is None and len(places) == 1:
        stated = next(iter(places))
    return Affiliation(name, stated, note)


def normalize_affiliation(municipality: str | None, region: str | None) -> tuple[str | None, str | None]:
    """(municipality, region) as `resolve_affiliation` spells them; AffiliationError when it cannot."""
    found = resolve_affiliation(municipality, region)
    return found.municipality, found.region


@lru_cache(maxsize=4096)
def canonical_affiliation(municipality: str | None, region: str | None) -> tuple[str | None, str | None]:
    """Like `normalize_affiliation`, but never refuses: what it cannot place stays as stored.

    For the conflict check on judges recorded before affiliations were normalized ('수원' in an older
    database still meets 수원시).
    """
    try:
        return normalize_affiliation(municipality, region)
    except AffiliationError:
        return (municipality or "").strip() or None, (region or "").strip() or None


def _place(name: str | None) -> str | None:
    """The key two municipality spellings share (세종시 and 세종특별자치시 are one place)."""
    name = (name or "").strip() or None
    return SEJONG if name in _SEJONG_SPELLINGS else name


def conflict(judge: Affiliated, case_row: Any, keys: Iterable[str]) -> str | None:
    """The affiliation key on which `judge` conflicts with the case, or None.

    `case_row` is a Case or a row of the store's cases table (attributes or keys municipality, region).
    The judge's affiliation is read through `canonical_affiliation`, so one stored before normalization
    ('수원') still conflicts with 수원시.
    """

    def value(key: str) -> str | None:
        raw = getattr(case_row, key) if hasattr(case_row, key) else case_row[key]
        return str(raw).strip() or None if raw else None

    municipality, region = canonical_affiliation(judge.municipality, judge.region)
    mine_of = {"municipality": _place(municipality), "region": region}
    case_region = value("region")
    for key in keys:
        mine = mine_of.get(key, getattr(judge, key, None))
        theirs = _place(value(key)) if key == "municipality" else value(key)
        if not mine or not theirs or mine != theirs:
            continue
        if key == "municipality" and region and case_region and region != case_region:
            continue
        return key
    return None


def conflicting_rows(frame: pd.DataFrame, keys: Iterable[str]) -> list[bool]:
    """Per row of a scores table (columns judge_<key> and case_<key>): does the judge conflict with the case."""
    if frame.empty:
        return []
    pairs = list(zip(frame["judge_municipality"], frame["judge_region"]))
    known = {pair: canonical_affiliation(*(None if pd.isna(v) else v for v in pair)) for pair in set(pairs)}
    judge_m = pd.Series([_place(known[p][0]) for p in pairs], index=frame.index, dtype=object)
    judge_r = pd.Series([known[p][1] for p in pairs], index=frame.index, dtype=object)
    case_m = frame["case_municipality"].map(lambda v: None if pd.isna(v) else _place(v))
    columns = {"municipality": (judge_m, case_m), "region": (judge_r, frame["case_region"])}
    regions_agree = judge_r.isna() | frame["case_region"].isna() | (judge_r == frame["case_region"])
    clashes = [False] * len(frame)
    for key in keys:
        mine, theirs = columns.get(key, (frame[f"judge_{key}"], frame[f"case_{key}"]))
        same = mine.notna() & theirs.notna() & (mine == theirs)
        clash = (same & regions_agree if key == "municipality" else same).tolist()
        clashes = [a or bool(b) for a, b in zip(clashes, clash)]
    return clashes
