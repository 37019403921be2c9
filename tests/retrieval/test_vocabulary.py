"""Query terms from the index's tables: no Kiwi for words the archive has, whole-morpheme expansion."""

from __future__ import annotations

import pytest

import casekit.retrieval.vocabulary as vocabulary_module
from casekit.embed.tokens import kiwi_analyse
from casekit.retrieval.lines import SortedTable
from casekit.retrieval.vocabulary import EXPAND_TOTAL, EXPAND_WEIGHT, Vocabulary, expansion_table, word_table


@pytest.fixture(scope="module")
def archive():
    texts = [
        "청년들에게 창업 공간을 지원하였다",
        "전통시장 주차장을 확충하고 일자리를 만들었다",
        "여성 직업훈련",
    ]
    analysed = kiwi_analyse(texts)
    nouns = {form for line in analysed for _, parts in line for form, tag in parts if tag in ("NNG", "NNP")}
    vocab = SortedTable(sorted({form for line in analysed for _, parts in line for form, _ in parts}))
    return Vocabulary.from_tables(word_table(analysed), expansion_table(nouns, vocab))


def test_known_words_need_no_kiwi(archive, monkeypatch):
    expected = [form for _, parts in kiwi_analyse(["청년들에게 창업 공간을"])[0] for form, _ in parts]

    def no_kiwi(texts):  # type: ignore[no-untyped-def]
        raise AssertionError("Kiwi was asked")

    monkeypatch.setattr(vocabulary_module, "kiwi_analyse", no_kiwi)
    morphs, unseen = archive.analyse("청년들에게 창업 공간을")
    assert [form for form, _ in morphs] == expected == ["청년", "창업", "공간"] and unseen == []


def test_unseen_words_are_analysed_once_and_remembered(archive, tmp_path):
    archive.learned_path = tmp_path / "query-words.tsv"
    morphs, unseen = archive.analyse("경로당 어르신")
    assert unseen == ["경로당", "어르신"] and [f for f, _ in morphs] == ["경로당", "어르신"]
    assert "경로당" in archive.learned_path.read_text(encoding="utf-8")
    fresh = Vocabulary(archive.words, archive.analyses, archive.nouns, archive.synonyms, archive.learned_path)
    assert fresh.analyse("경로당 어르신") == (morphs, [])  # read back from the file, Kiwi not asked


def test_expansion_adds_whole_morphemes_weighted_and_capped(archive):
    terms = archive.query_terms("일자리", ["morph", "bigram"])
    morph = terms.terms["morph"]
    assert morph["일자리"] == 1.0
    added = {t: w for t, w in morph.items() if t != "일자리"}
    assert len(added) <= EXPAND_TOTAL
    for term, weight in added.items():
        assert 0 < weight <= EXPAND_WEIGHT  # weight × similarity, similarity ≤ 1
        assert term in archive.words.keys or any(term == f for a in archive.analyses for f in a.split("|"))
    assert not any(
        len(t) == 2 and t not in ("고용", "취업") and t.endswith("자") for t in added
    )  # no 직자/업자
    assert "bigram" in terms.terms and "일자" in terms.terms["bigram"]
    plain = archive.query_terms("일자리", ["morph"], expand=False).terms["morph"]
    assert plain == {"일자리": 1.0}
