"""Conflicts of interest: by municipality or region as the rubric says, marked on scores saved before an
affiliation was known, and not confused by a municipality name that repeats in another region."""

from __future__ import annotations

import pytest

from casekit.errors import ScoreError
from casekit.score.store import ScoreStore


def _ids(ws):  # type: ignore[no-untyped-def]
    return {c.municipality: c.id for c in ws.load_cases()}


def test_conflict_by_region_when_the_rubric_says_so(writable_seed_workspace, rubric):  # type: ignore[no-untyped-def]
    from casekit.rubric import load_rubric
    from tests.score.score_paths import ACTIVE

    active = load_rubric(ACTIVE)
    ws = writable_seed_workspace
    store = ScoreStore(ws)
    store.add_judge("G1", kind="official", region="경기")  # a 경기도 official, no municipality
    suwon = _ids(ws)["수원시"]
    with pytest.raises(ScoreError, match="same region"):
        store.save_score("G1", suwon, "난이도", 10, rubric=active)
    # the manifesto rubric bars only the same municipality
    assert store.save_score("G1", suwon, "fit", 10, rubric=rubric) == 10


def test_late_affiliation_excludes_earlier_scores(scored_workspace, rubric):  # type: ignore[no-untyped-def]
    ws, store, _ = scored_workspace
    store.add_judge("E1", name="전문가 가", kind="expert", municipality="경산시")
    frame = store.scores_frame(rubric)
    mine = frame[(frame.judge_id == "E1") & (frame.case_id == _ids(ws)["경산시"])]
    assert len(mine) == 8 and set(mine.excluded) == {"conflict"}


def test_same_name_in_another_region_is_no_conflict(tmp_path, rubric):  # type: ignore[no-untyped-def]
    from casekit.parse.model import Case

    def case(cid, region, town):  # type: ignore[no-untyped-def]
        return Case(
            id=cid,
            source="t",
            line_start=1,
            line_end=1,
            region=region,
            municipality=town,
            group="구",
            title="t",
            field=None,
            pledges=[],
            summary="",
            sections=[],
        )

    store = ScoreStore(tmp_path / "s.sqlite")
    store.register_cases([case("seoul-jung", "서울", "중구"), case("busan-jung", "부산", "중구")])
    judge = store.add_judge("B1", kind="official", municipality="부산광역시 중구")
    assert (judge.municipality, judge.region) == ("중구", "부산")
    assert store.save_score("B1", "seoul-jung", "fit", 5, rubric=rubric) == 5
    with pytest.raises(ScoreError, match="conflict of interest"):
        store.save_score("B1", "busan-jung", "fit", 5, rubric=rubric)
    assert store.add_judge("S1", municipality="경기도 수원시").region == "경기"


# -- whatever the spelling: the gazetteer makes one affiliation of it --------------------------------

SUWON_SPELLINGS = [
    ("수원", None),
    ("수원 시", None),
    ("수원시", None),
    ("경기 수원시", None),
    ("경기도 수원시", None),
    ("경기도수원시청", None),
    ("수원특례시", None),
    ("수원", "경기도"),
    ("수원", "강원"),
    ("수원 시", "강원"),
    ("수원시", "강원"),
    ("경기 수원시", "강원"),
]


@pytest.mark.parametrize(("municipality", "region"), SUWON_SPELLINGS)
def test_a_suwon_judge_is_refused_on_suwon_however_written(  # type: ignore[no-untyped-def]
    writable_seed_workspace, rubric, municipality, region
):
    ws = writable_seed_workspace
    ids = _ids(ws)
    store = ScoreStore(ws)
    judge = store.add_judge("S1", kind="official", municipality=municipality, region=region)
    assert (judge.municipality, judge.region) == ("수원시", "경기")
    assert (judge.note is not None) == (region == "강원")  # a corrected region says so
    if judge.note:
        assert "강원" in judge.note and "경기" in judge.note
        assert "강원" in store.history(judge_id="S1").detail.iloc[-1]
    with pytest.raises(ScoreError, match="conflict of interest") as refused:
        store.save_score("S1", ids["수원시"], "fit", 10, rubric=rubric)
    assert "수원시" in str(refused.value)
    assert store.save_score("S1", ids["이천시"], "fit", 10, rubric=rubric) == 10  # another 경기 city is fine
    store.close()


@pytest.mark.parametrize(
    ("municipality", "region", "message"),
    [
        ("수원군청", None, "unknown municipality '수원군청'"),
        ("XYZ", None, "unknown municipality 'XYZ'"),
        ("수원시", "화성", "unknown region '화성'"),
        ("중구", "경기", "no 중구 in 경기"),  # six 중구, none in 경기: no region to correct it to
        ("광주", None, "ambiguous affiliation '광주'"),  # 광주광역시 or 경기 광주시
        ("서울", "경기", "is the province 서울"),
    ],
)
def test_an_affiliation_the_gazetteer_cannot_place_is_refused(tmp_path, municipality, region, message):  # type: ignore[no-untyped-def]
    from casekit.score.affiliation import AffiliationError

    store = ScoreStore(tmp_path / "s.sqlite")
    with pytest.raises(AffiliationError, match=message) as refused:
        store.add_judge("X1", municipality=municipality, region=region)
    assert "judge X1" in str(refused.value)
    assert any("가" <= ch <= "힣" for ch in str(refused.value).split("(")[0])  # Korean first, then English
    assert store.judges() == [] and store.history().empty  # nothing stored


def test_other_spellings_the_gazetteer_places(tmp_path):  # type: ignore[no-untyped-def]
    from casekit.score.affiliation import normalize_affiliation

    assert normalize_affiliation("부산광역시 중구", None) == ("중구", "부산")
    assert normalize_affiliation("중구", "부산") == ("중구", "부산")
    assert normalize_affiliation("고성", "경상남도") == ("고성군", "경남")
    assert normalize_affiliation("광주", "경기") == ("광주시", "경기")
    assert normalize_affiliation("광주", "광주") == (None, "광주")  # the 광역시 as a whole
    assert normalize_affiliation("서울특별시", None) == (None, "서울")
    assert normalize_affiliation("세종시", None) == ("세종특별자치시", "세종")
    assert normalize_affiliation(None, "경상남도") == (None, "경남")
    assert normalize_affiliation("창원특례시", "경남") == ("창원시", "경남")


def test_an_affiliation_stored_before_normalization_still_conflicts(writable_seed_workspace, rubric):  # type: ignore[no-untyped-def]
    """Databases written before affiliations went through the gazetteer hold '수원' as typed."""
    import sqlite3

    ws = writable_seed_workspace
    ids = _ids(ws)
    store = ScoreStore(ws)
    store.add_judge("OLD", kind="official")
    store.save_score("OLD", ids["수원시"], "fit", 9, rubric=rubric)
    con = sqlite3.connect(store.path)
    con.execute("UPDATE judges SET municipality = '수원 시', region = '강원' WHERE id = 'OLD'")
    con.commit()
    con.close()
    with pytest.raises(ScoreError, match="conflict of interest"):
        store.save_score("OLD", ids["수원시"], "creativity", 9, rubric=rubric)
    frame = store.scores_frame(rubric)
    assert frame[frame.judge_id == "OLD"].excluded.tolist() == ["conflict"]
    store.close()


def test_judges_csv_with_an_unplaceable_affiliation_imports_nothing(tmp_path):  # type: ignore[no-untyped-def]
    from casekit.score.csv_io import import_judges_csv

    path = tmp_path / "judges.csv"
    path.write_text(
        "id,name,kind,municipality,region\nA1,가,expert,수원,강원\nA2,나,official,없는시,\n", encoding="utf-8"
    )
    store = ScoreStore(tmp_path / "s.sqlite")
    with pytest.raises(ScoreError, match=r"line 3: .*unknown municipality '없는시'.*nothing imported"):
        import_judges_csv(store, path)
    assert store.judges() == []
    path.write_text("id,name,kind,municipality,region\nA1,가,expert,수원,강원\n", encoding="utf-8")
    assert import_judges_csv(store, path) == 1
    assert (store.judge("A1").municipality, store.judge("A1").region) == ("수원시", "경기")
