"""Each line is analysed by Kiwi once: the morpheme cache returns the same analyses without asking again."""

from __future__ import annotations

import casekit.embed.tokens as tokens_module
from casekit.embed.tokens import MorphemeCache, analyse_tokens, clean_word, morphemes_of


def test_words_keep_their_retrieval_morphemes():
    from casekit.embed.lexical import tokenizer_kiwi

    text = "(청년)들에게 창업을 지원하였다."
    words = analyse_tokens(text, tokenizer_kiwi().tokenize(text))
    assert (
        [w for w, _ in words]
        == [clean_word("(청년)들에게"), "창업을", "지원하였다"]
        == ["청년)들에게", "창업을", "지원하였다"]
    )
    assert morphemes_of(words) == ["청년", "창업", "지원"]
    assert all(tag in tokens_module.RETRIEVAL_TAGS for _, parts in words for _, tag in parts)


def test_cache_analyses_each_line_once(tmp_path, monkeypatch):
    path = tmp_path / "morphemes.tsv"
    texts = ["전통시장 주차장 확충", "청년 창업 지원", "전통시장 주차장 확충"]
    first = MorphemeCache(path, "m1")
    result = first.analyse(texts)
    assert first.misses == 2 and first.hits == 1  # the repeated line is analysed once
    calls = []
    real = tokens_module.kiwi_analyse
    monkeypatch.setattr(tokens_module, "kiwi_analyse", lambda batch: calls.append(batch) or real(batch))
    second = MorphemeCache(path, "m1")
    assert second.analyse(texts + ["새 줄의 텍스트"]) == result + real(["새 줄의 텍스트"])
    assert calls == [["새 줄의 텍스트"]] and second.misses == 1
    # another tokenizer id starts the file afresh instead of mixing analyses
    other = MorphemeCache(path, "m2")
    other.analyse(["청년 창업 지원"])
    assert path.read_text(encoding="utf-8").splitlines()[0] == "#casekit-morphemes m2"
    assert len(path.read_text(encoding="utf-8").splitlines()) == 2
