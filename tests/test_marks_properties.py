"""Property-based tests of quotation-mark pairing (text alone, no spaCy model): any text gives spans
inside it, in order, that never run past their paragraph, and a closed span starts and ends with marks."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.attribution.marks import BALANCE_REACH, balance_marks, find_quoted_spans, paragraphs

# text made mostly of the characters that matter: quotation marks of every kind, line breaks, words
_ALPHABET = st.sampled_from(list('"“”„«»\'‘’ \n\n.,abc XYZ'))
_DOUBLE = '"“”„‟«»'
TEXTS = st.text(alphabet=_ALPHABET, max_size=400) | st.text(max_size=200)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_spans_lie_inside_the_text_in_order_and_within_a_paragraph(text):
    spans = find_quoted_spans(text)
    paras = paragraphs(text)
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    for s in spans:
        assert 0 <= s.start < s.end <= len(text)
        if s.closed:  # double marks (any of them: »…« is a convention too) or their two-character forms
            assert text[s.start] in _DOUBLE or text[s.start:s.start + 2] in ("''", "‘‘", "``", "’’")
            assert text[s.end - 1] in _DOUBLE or text[s.end - 2:s.end] in ("''", "‘‘", "``", "’’")
        # a span never runs past the paragraph it starts in
        lo, hi = next((a, b) for a, b in paras if a <= s.start < b) if paras else (0, len(text))
        assert s.end <= hi


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.data())
def test_balanced_reported_speech_stays_inside_the_text_and_near_the_span(text, data):
    if not text:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    a, b = balance_marks(text, start, end)
    assert 0 <= a <= b <= len(text)
    assert start - BALANCE_REACH <= a and b <= end + BALANCE_REACH
