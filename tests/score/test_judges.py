"""Who may change what: a judge acts on their own scores only, organizers act for anyone and alone lift
recusals, and the history names the real actor of every change."""

from __future__ import annotations

import pytest

from casekit.errors import ScoreError
from casekit.score.csv_io import import_scores_csv
from casekit.score.store import NotPermittedError, ScoreStore, UnknownJudgeError


@pytest.fixture
def store(writable_seed_workspace):  # type: ignore[no-untyped-def]
    store = ScoreStore(writable_seed_workspace)
    for judge in ("E1", "E2"):
        store.add_judge(judge, kind="expert")
    store.add_judge("ORG", name="운영위원", kind="organizer")
    yield store
    store.close()


@pytest.fixture
def case_id(writable_seed_workspace):  # type: ignore[no-untyped-def]
    return {c.municipality: c.id for c in writable_seed_workspace.load_cases()}["경산시"]


def _last(store: ScoreStore, **filters: str):  # type: ignore[no-untyped-def]
    return store.history(**filters).iloc[-1]


def test_a_judge_cannot_overwrite_or_delete_another_judges_score(store, case_id, rubric):  # type: ignore[no-untyped-def]
    store.save_score("E2", case_id, "fit", 12, rubric=rubric)
    before = len(store.history())
    with pytest.raises(NotPermittedError, match="E1 may not change judge E2's scores"):
        store.save_score("E2", case_id, "fit", 1, rubric=rubric, actor="E1")
    with pytest.raises(NotPermittedError, match="E1 may not change judge E2's scores"):
        store.delete_score("E2", case_id, "fit", rubric, actor="E1")
    with pytest.raises(NotPermittedError):
        store.save_score("E2", case_id, "fit", 1, rubric=rubric, actor="nobody")  # unregistered actor
    assert [s.points for s in store.case_scores("E2", case_id, rubric)] == [12.0]
    assert len(store.history()) == before  # a refused change leaves no trace but the error


def test_an_organizer_may_correct_a_judges_score_and_is_recorded(store, case_id, rubric):  # type: ignore[no-untyped-def]
    store.save_score("E2", case_id, "fit", 12, rubric=rubric)
    assert _last(store, judge_id="E2").actor == "E2"  # no actor given: the judge itself
    assert (
        store.save_score("E2", case_id, "fit", 11.5, comment="전화로 정정", rubric=rubric, actor="ORG")
        == 11.5
    )
    last = _last(store, judge_id="E2")
    assert (last.actor, last.judge_id, last.old_points, last.new_points) == ("ORG", "E2", 12.0, 11.5)
    assert store.delete_score("E2", case_id, "fit", rubric, actor="ORG") is True
    last = _last(store, judge_id="E2")
    assert (last.action, last.actor, last.old_points) == ("delete", "ORG", 11.5)
    assert store.delete_score("E2", case_id, "fit", rubric, actor="ORG") is False  # nothing left to clear
    assert store.case_scores("E2", case_id, rubric) == []


def test_organizers_do_not_score_and_are_not_listed_as_judges(store, case_id, rubric):  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermittedError, match="organizer ORG does not score"):
        store.save_score("ORG", case_id, "fit", 3, rubric=rubric)
    assert [j.id for j in store.judges()] == ["E1", "E2"]
    assert [(j.id, j.is_organizer) for j in store.organizers()] == [("ORG", True)]


def test_only_an_organizer_withdraws_a_recusal(store, case_id, rubric):  # type: ignore[no-untyped-def]
    store.recuse("E1", case_id, reason="본인 요청")  # a judge may recuse themself
    assert _last(store, judge_id="E1").actor == "E1"
    with pytest.raises(NotPermittedError, match="only a registered organizer"):
        store.recuse("E1", case_id, withdraw=True)  # not the judge …
    with pytest.raises(NotPermittedError, match="only a registered organizer"):
        store.recuse("E1", case_id, withdraw=True, by="E2")  # … nor another judge
    with pytest.raises(NotPermittedError):
        store.recuse("E2", None, by="E1")  # a judge does not recuse another
    assert store.exclusion("E1", case_id) == "recuse"
    store.recuse("E1", case_id, withdraw=True, by="ORG")
    last = _last(store, judge_id="E1")
    assert (last.action, last.actor) == ("withdraw-recuse", "ORG")
    assert store.exclusion("E1", case_id) is None
    assert store.save_score("E1", case_id, "fit", 4, rubric=rubric) == 4


def test_abstentions_are_the_judges_own(store, case_id, rubric):  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermittedError):
        store.abstain("E2", case_id, actor="E1")
    store.abstain("E2", case_id, reason="지인", actor="ORG")
    assert _last(store, judge_id="E2").actor == "ORG"
    store.abstain("E2", case_id, withdraw=True)
    assert store.exclusion("E2", case_id) is None


def test_once_an_organizer_exists_only_organizers_change_the_judges(store, case_id):  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermittedError, match="register judge E1"):
        store.add_judge("E1", kind="official", municipality="경산시")  # moving a judge's affiliation
    with pytest.raises(NotPermittedError):
        store.add_judge("E1", kind="organizer", actor="E1")  # promoting oneself
    with pytest.raises(NotPermittedError):
        store.assign("E1", [case_id], actor="E2")
    assert store.judge("E1").municipality is None
    store.add_judge("E3", kind="citizen", municipality="경산", actor="ORG")
    assert _last(store, judge_id="E3").actor == "ORG"
    assert store.assign("E3", [case_id], actor="ORG") == 1


def test_before_any_organizer_the_store_is_being_set_up(tmp_path):  # type: ignore[no-untyped-def]
    store = ScoreStore(tmp_path / "s.sqlite")
    store.add_judge("E1")
    assert store.history().actor.tolist() == ["setup"]
    store.add_judge("ORG", kind="organizer")
    with pytest.raises(NotPermittedError):
        store.add_judge("E2")


def test_an_unknown_judge_gets_one_korean_message_on_how_to_register(store, case_id, rubric):  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownJudgeError) as refused:
        store.judge("J9")
    message = str(refused.value)
    assert message.startswith("심사위원 'J9'은(는) 등록되어 있지 않습니다")
    assert "casekit judges add J9" in message and "unknown judge 'J9'" in message
    assert refused.value.judge_id == "J9" and isinstance(refused.value, ScoreError)
    with pytest.raises(UnknownJudgeError):
        store.save_score("J9", case_id, "fit", 3, rubric=rubric)
    with pytest.raises(UnknownJudgeError):
        store.delete_score("J9", case_id, "fit", rubric)


def test_a_judge_importing_a_csv_changes_only_their_own_rows(store, case_id, rubric, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "mixed.csv"
    path.write_text(
        f"judge,case_id,criterion,points\nE1,{case_id},fit,10\nE2,{case_id},fit,3\nE2,{case_id},abstain,abstain\n",
        encoding="utf-8",
    )
    report = import_scores_csv(store, path, rubric, actor="E1")
    assert report.stored == 1 and report.abstentions == 0
    assert [n for n, _ in report.errors] == [3, 4]
    assert all("E1 may not change judge E2's scores" in e for _, e in report.errors)
    assert store.case_scores("E2", case_id, rubric) == [] and store.exclusion("E2", case_id) is None
    report = import_scores_csv(store, path, rubric, actor="ORG")
    assert (report.stored, report.unchanged, report.abstentions, report.errors) == (1, 1, 1, [])
    history = store.history(judge_id="E2")
    changes = history[history.action != "judge"]  # the registration was done at setup
    assert set(changes.actor) == {"ORG"} and sorted(changes.action) == ["abstain", "set"]
