"""Properties of repair on arbitrary text: it never raises, and every kept character maps back to itself."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from casekit.ingest.repair import repair_line

korean_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
        st.sampled_from(list("0123456789 ,.!()□○❍·․-%�\t<>&;")),
        st.characters(codec="utf-8"),
    ),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(korean_text)
def test_repair_never_raises_and_maps_back(raw):
    for line in repair_line(raw, 1):
        assert line.text and line.text == line.text.strip()
        for offset, ch in enumerate(line.text):
            col = line.original_col(offset)
            assert 0 <= col < len(raw)
            original = raw[col]
            if ch.isdigit() or "가" <= ch <= "힣":
                # A syllable may have come from decomposed jamo; it must start at the mapped column.
                assert original == ch or unicodedata.normalize("NFC", raw[col : col + 3]).startswith(ch)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=3, max_size=12),
    st.integers(min_value=2, max_value=3),
)
def test_any_bold_repeat_of_a_phrase_collapses_to_one_copy(phrase, copies):
    (line,) = repair_line("□ " + (phrase + " 추진") * copies, 1)
    assert line.text == "□ " + phrase + " 추진"
