"""The line index is saved as flat arrays and read back memory-mapped, giving the same postings and text."""

from __future__ import annotations

import numpy as np

from casekit.embed.lexical import bigrams
from casekit.retrieval.analysis import case_line_texts
from casekit.retrieval.lines import LineIndex, line_labels


def test_round_trip_is_memory_mapped_and_equal(tmp_path, seed_cases):
    texts = case_line_texts(seed_cases)
    index = LineIndex.build(seed_cases, {"bigram": [bigrams(t) for t in texts]})
    index.save(tmp_path)
    loaded = LineIndex.load(tmp_path)
    assert loaded.case_ids == index.case_ids and loaded.n_lines == index.n_lines == len(texts)
    assert isinstance(loaded.postings["bigram"].lines.base, np.memmap)  # mapped, not read
    a, b = index.postings["bigram"], loaded.postings["bigram"]
    assert a.vocab.keys == b.vocab.keys
    for name in ("ptr", "lines", "tf", "cptr", "cases", "ctf", "length"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    # a line's text is read by its byte offsets: the original line as it stands in the source file
    raw = seed_cases[0].lines[5]
    assert loaded.text(5) == raw.original_text
    term = b.term("일자")
    lines = b.lines[b.ptr[term] : b.ptr[term + 1]]
    assert all("일자" in bigrams(texts[i]) for i in lines)
    assert b.df(term) == sum("일자" in bigrams(t) for t in texts)


def test_line_labels_take_the_narrowest_section(seed_cases):
    case = seed_cases[0]
    numbers = [line.number for line in case.lines]
    labels = line_labels(case, numbers)
    assert labels[0] == ("개요", "header") or labels[0][0]
    for number, (heading, _) in zip(numbers, labels):
        holding = [s for s in case.sections if s.line_start <= number <= s.line_end]
        if holding:
            narrowest = min(s.line_end - s.line_start for s in holding)
            assert any(
                s.heading.strip() == heading and s.line_end - s.line_start == narrowest for s in holding
            )
