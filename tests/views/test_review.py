"""The judge's review: who is judging, the page following the case, the form's bounds, Korean words.

Headless tests set CASEKIT_HEADLESS=1 (what the batch does); the form tests build the real ipywidgets
in-process and press their buttons, as JupyterLab would (tests/browser drives the same in Chromium).
"""

from __future__ import annotations

import html
import re
import threading
from pathlib import Path

import pytest

from casekit.views.review import JudgeReview, resolve_workspace


@pytest.fixture
def headless(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CASEKIT_HEADLESS", "1")
    monkeypatch.delenv("CASEKIT_JUDGE", raising=False)


@pytest.fixture
def lab(monkeypatch):  # type: ignore[no-untyped-def]
    """As in JupyterLab: widgets wanted, no judge in the environment."""
    monkeypatch.delenv("CASEKIT_HEADLESS", raising=False)
    monkeypatch.delenv("CASEKIT_JUDGE", raising=False)


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def test_unregistered_judge_gets_one_korean_message_and_no_store_is_made(
    writable_seed_workspace, headless
) -> None:  # type: ignore[no-untyped-def]
    ws = writable_seed_workspace
    review = JudgeReview(ws, None, "J1")
    assert not review.ready and review.case_id is None
    message = _text(review.render("judge"))
    assert "심사위원 'J1'은(는) 등록되어 있지 않습니다" in message
    assert "casekit judges add J1" in message and str(ws.root) in message  # how the organizer registers
    for section in ("case", "metrics", "prescores", "similar", "sheet"):
        assert review.render(section) == ""  # the one message, not one error per cell
    assert review.form() is None
    assert not ws.scores_db.exists()  # looking saved nothing, not even an empty database


def test_no_silent_default_judge(scored_copy, headless, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    review = JudgeReview(ws, helpers.RUBRIC)
    assert review.judge_id is None and not review.ready
    message = _text(review.render("judge"))
    assert "심사위원을 정하지 않았습니다" in message and "CASEKIT_JUDGE" in message
    assert all(j in message for j in ("E1", "E2", "E3", "O1"))  # the registered judges to choose from
    monkeypatch.setenv("CASEKIT_JUDGE", "E2")
    assert JudgeReview(ws, helpers.RUBRIC).judge_id == "E2"  # the environment names the judge
    assert JudgeReview(ws, helpers.RUBRIC, "E3").judge_id == "E3"  # the parameter wins
    review.select_judge("E1")
    assert review.ready and review.case_id == str(review.queue()["case_id"].iloc[0])


def test_workspace_resolves_env_then_data_then_parent(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "repo" / "data" / "cases").mkdir(parents=True)
    (tmp_path / "repo" / "notebooks").mkdir()
    monkeypatch.delenv("CASEKIT_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path / "repo" / "notebooks")  # where JupyterLab runs the notebook
    assert resolve_workspace(None).root.resolve() == (tmp_path / "repo" / "data").resolve()
    monkeypatch.chdir(tmp_path / "repo")
    assert resolve_workspace(None).root == Path("data")
    monkeypatch.setenv("CASEKIT_WORKSPACE", str(tmp_path / "elsewhere"))
    assert resolve_workspace(None).root == tmp_path / "elsewhere"  # the README's variable beats ./data
    assert resolve_workspace(str(tmp_path / "given")).root == tmp_path / "given"  # a parameter beats both


def test_headless_page_in_korean_with_evidence(scored_copy, headless) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    review = JudgeReview(ws, helpers.RUBRIC, "E1")
    assert review.ready and review.case_id in ws.case_ids()
    assert review.case.municipality in review.render("case") and "관련공약" in review.render("case")
    metrics = review.metrics()
    by_number = {line.number: line.text for line in review.case.lines}
    first = metrics.iloc[0]
    assert first["source_line"] == by_number[int(first["line"])]  # each metric carries its source line
    assert set(metrics["kind"]) <= {"금액", "인원", "건수", "비율(%)", "면적", "기간", "전력", "배율", "기타"}
    assert set(metrics["temporal"]) <= {"실적", "계획"}
    shown = _text(review.render("metrics")) + _text(review.render("prescores"))
    for english in ("actual", "planned", "persons", "pledge_link", "novelty", "participation_terms"):
        assert english not in shown
    assert "관련공약이 적혀 있고" in shown  # a signal named by its rubric description
    similar = _text(review.render("similar"))
    assert "아니오" in similar and "False" not in similar and "유사도" in similar
    sheet = review.sheet()
    assert (
        len(sheet) == 8 and "공약과 사업이 명확히 연결" in sheet.set_index("criterion").loc["fit", "levels"]
    )
    assert review.show_similar() is None  # no DataFrame echoed under the cell


def test_save_refusals_in_korean_and_read_back_in_rubric_order(scored_copy, headless) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    from casekit.score.store import ScoreStore

    with ScoreStore(ws) as store:
        store.add_judge("N1", name="새 심사위원", kind="citizen")
    review = JudgeReview(ws, helpers.RUBRIC, "N1")
    result = review.save_scores(
        {
            "impact": "12.5",
            "fit": 9,
            "creativity": 15,
            "communication": "",
            "diffusion": "열",
            "delivery": 7.3,
        },
        comments={"fit": " 공약 연결이 분명함 "},
    )
    assert result.saved == {"fit": 9.0, "impact": 12.5}
    assert "0–14점" in result.errors["creativity"] and "숫자가 아닙니다" in result.errors["diffusion"]
    assert "0.5점 단위" in result.errors["delivery"]
    assert "communication" in result.skipped
    mine = review.my_scores()
    assert mine["name"].tolist() == ["적합성", "체감성"]  # rubric order (fit before impact), Korean names
    assert mine.loc[0, "comment"] == "공약 연결이 분명함"
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+", mine.loc[0, "saved_at"]
    )  # local time, zone named
    assert review.sheet().set_index("criterion").loc["impact", "my_points"] == 12.5
    assert review.clear_score("impact") and review.my_scores()["criterion"].tolist() == ["fit"]
    with ScoreStore(ws) as store:
        assert store.history(judge_id="N1")["action"].tolist()[-1] == "delete"  # clearing is logged
    review.abstain("test")
    assert "기권" in review.save_scores({"impact": 10}).errors["impact"]


def test_conflicted_judge_cannot_score_and_unknown_case_is_one_message(scored_copy, headless) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    suwon = next(c for c in ws.load_cases() if c.municipality == "수원시")
    review = JudgeReview(ws, helpers.RUBRIC, "O1", case_id=suwon.id)
    assert suwon.id not in set(review.queue()["case_id"])  # the conflicted case is not in O1's queue
    assert "이해충돌" in review.save_scores({"fit": 10}).errors["fit"]
    missing = JudgeReview(ws, helpers.RUBRIC, "E1", case_id="없는사례")
    assert not missing.ready and "없는사례" in missing.render("judge") and missing.render("case") == ""


def _walk(widget):  # type: ignore[no-untyped-def]
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _page(review: JudgeReview) -> None:
    review.show_judge(), review.show_case(), review.show_metrics(), review.show_prescores()
    review.show_similar(), review.show_sheet(), review.form()


def _buttons(form):  # type: ignore[no-untyped-def]
    return {w.description: w for w in _walk(form.root) if type(w).__name__ == "Button"}


def test_next_case_rerenders_every_section(scored_copy, lab) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    review = JudgeReview(ws, helpers.RUBRIC, "E1")
    _page(review)
    review.wait_for_prescores(300)  # never pre-scored: they came on a thread (see the last test)
    views, form = review.views, review.score_form
    assert set(views) == {"judge", "case", "metrics", "prescores", "similar", "sheet"}
    first = review.case
    before = {
        name: (view.children[0].value if name == "judge" else view.value) for name, view in views.items()
    }
    assert first.title in before["case"] and first.title in _text(form.root.children[0].value)
    _buttons(form)["다음 사례"].click()
    second = review.case
    assert second.id != first.id
    after = {
        name: (view.children[0].value if name == "judge" else view.value) for name, view in views.items()
    }
    assert all(after[name] != before[name] for name in views)  # nothing of the first case stays
    assert second.title in after["case"] and first.title not in after["case"]
    line = str(review.metrics().iloc[0]["source_line"])
    assert review.metrics().iloc[0]["text"] in after["metrics"] and line[:10] in _text(after["metrics"])
    evidence = review.prescores().iloc[0]["evidence"][0]["text"]
    assert evidence[:10] in after["prescores"]
    assert (
        second.municipality not in _text(after["similar"]).split("사례 ID")[-1]
    )  # neighbours of the new case
    assert (
        review.sheet().iloc[0]["my_points"] is None
        or f"{review.sheet().iloc[0]['my_points']:.1f}" in after["sheet"]
    )
    assert second.title in form.root.children[0].value  # the form is for the new case too


def test_form_bounds_reset_with_reason_clear_and_unsaved_warning(scored_copy, lab) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    from casekit.score.store import ScoreStore

    with ScoreStore(ws) as store:
        store.add_judge("N3", name="박심사", kind="expert")
    review = JudgeReview(ws, helpers.RUBRIC, "N3")
    _page(review)
    form = review.score_form
    boxes = form.boxes
    assert [boxes[c].description for c in boxes] == [
        "적합성",
        "창의성",
        "소통성",
        "확산가능성",
        "체감성",
        "발표력",
        "준비도",
        "호응도",
    ]
    assert boxes["fit"].placeholder == "0–14" and boxes["delivery"].placeholder == "0–10"
    assert not boxes["fit"].continuous_update  # "15" arrives as 15, never first as "1"
    boxes["fit"].value = "12.5"
    boxes["fit"].value = "15"
    assert boxes["fit"].value == "12.5" and "0–14점" in form.messages["fit"].value  # reset, and why
    boxes["creativity"].value = "3.3"
    assert boxes["creativity"].value == "" and "0.5점 단위" in form.messages["creativity"].value
    buttons = _buttons(form)
    buttons["다음 사례"].click()  # typed but not saved: asked first
    assert "저장하지 않은 점수" in form.status.value and "적합성" in form.status.value
    buttons["저장"].click()
    assert review.my_scores().set_index("criterion").loc["fit", "points"] == 12.5
    assert (
        "적합성" in form.readback.value
        and "12.5" in form.readback.value
        and "저장 시각" in form.readback.value
    )
    assert "12.5" in review.views["sheet"].value  # the sheet shows the new score at once
    assert not form.clears["fit"].disabled
    form.clears["fit"].click()
    assert (
        review.my_scores().empty and boxes["fit"].value == "" and "지웠습니다" in form.messages["fit"].value
    )


def test_form_saves_from_another_thread_and_abstain_closes_it(scored_copy, lab) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    review = JudgeReview(ws, helpers.RUBRIC, "E2")
    _page(review)  # the store is opened on this thread…
    form = review.score_form
    form.boxes["delivery"].value = "8"
    errors: list[BaseException] = []

    def press() -> None:  # …and the button arrives on another, as on a JupyterLab 4.6 kernel subshell
        try:
            _buttons(form)["저장"].click()
        except BaseException as exc:  # pragma: no cover - the failure being tested for
            errors.append(exc)

    worker = threading.Thread(target=press)
    worker.start(), worker.join()
    assert not errors and "저장했습니다" in form.status.value
    assert review.my_scores().set_index("criterion").loc["delivery", "points"] == 8.0
    _buttons(form)["기권"].click()
    form = review.score_form
    assert all(box.disabled for box in form.boxes.values()) and "기권했습니다" in form.status.value
    _buttons(form)["기권 취소"].click()
    assert not review.score_form.boxes["fit"].disabled and review.exclusion() is None


def test_judge_chooser_fills_the_page(scored_copy, lab) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    review = JudgeReview(ws, helpers.RUBRIC)
    _page(review)
    picker = review.views["judge"]
    menu = next(w for w in _walk(picker) if type(w).__name__ == "Dropdown")
    assert [v for _, v in menu.options][1:] == ["E1", "E2", "E3", "O1"]
    assert review.views["case"].value == "" and review.score_form.root.children == ()
    menu.value = "E3"
    assert review.judge_id == "E3" and review.case.title in review.views["case"].value
    assert picker.children[1].layout.display == "none"  # chosen: the list goes away
    assert review.score_form.boxes  # the form is there for the chosen judge


def test_similar_cases_flag_the_near_duplicate(scored_copy, headless) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    review = JudgeReview(ws, helpers.RUBRIC, "E1", case_id=helpers.EVIL_ID)
    found = review.similar_cases(top_k=3)
    original = ws.case_ids()[0]  # the evil case is a copy of this one's text
    assert found.iloc[0]["case_id"] == original and bool(found.iloc[0]["near_duplicate"])
    assert not found.iloc[1:]["near_duplicate"].any()
    assert "중복 의심 1건" in review.render("similar")


def test_scores_saved_in_the_form_reach_the_ranking(scored_copy, headless) -> None:  # type: ignore[no-untyped-def]
    helpers, ws = scored_copy
    from casekit.rubric import load_rubric
    from casekit.score.rank import rank_cases
    from casekit.score.store import ScoreStore

    rubric = load_rubric(helpers.RUBRIC)
    with ScoreStore(ws) as store:
        store.add_judge("N2", kind="expert")
    review = JudgeReview(ws, rubric, "N2")
    target = review.case_id
    with ScoreStore(ws) as store:
        before = rank_cases(ws.load_cases(), rubric, store=store).frame.set_index("case_id").loc[target]
    full = {c.id: float(c.max_points or 0) for c in rubric.stages[0].criteria}
    assert review.save_scores(full).ok
    with ScoreStore(ws) as store:
        after = rank_cases(ws.load_cases(), rubric, store=store).frame.set_index("case_id").loc[target]
    assert after["n_judges"] == before["n_judges"] + 1  # the judge who used the form now counts
    assert after["total"] > before["total"]  # full marks raise the mean


def test_first_prescores_come_after_the_page_when_kiwi_must_load(writable_seed_workspace, lab) -> None:  # type: ignore[no-untyped-def]
    from casekit.score.prescore import MORPHEME_CACHE
    from casekit.score.store import ScoreStore

    ws = writable_seed_workspace  # as `casekit ingest` leaves it: no pre-scores, no remembered morphemes
    with ScoreStore(ws) as store:
        store.add_judge("K1", name="김심사", kind="expert")
    review = JudgeReview(ws, None, "K1")
    _page(review)
    first = review.views["prescores"].value
    assert "계산하고 있습니다" in first  # the page is up; Kiwi loads on a thread
    review.wait_for_prescores(300)
    table = review.views["prescores"].value
    assert "제안 점수" in table and review.prescores()["name"].iloc[0] in table
    suggested = review.sheet().set_index("criterion").loc["fit", "suggested"]
    assert f"{suggested:.1f}" in review.views["sheet"].value  # the sheet's column filled in too
    assert (ws.prescores_dir / MORPHEME_CACHE).is_file()  # the next notebook computes without Kiwi…
    from casekit.score.prescore import load_prescores

    assert (
        load_prescores(ws, review.rubric) is not None
    )  # …or rather reads them: the child process saved them
    again = JudgeReview(ws, None, "K1")
    assert not again._prescores_unsaved()
