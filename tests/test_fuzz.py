"""Property-based tests: no input makes anything escape but the documented error type.

The long run (10,000 cases per entry point) is benchmarks/fuzz.py; these run a few hundred.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendnlp import ReadError
from sendnlp.readers import read_bytes
from sendnlp.structure import parse

_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_PIECES = ["Inspection outcome", "Main findings", "Strengths", "Areas for development", "\u25fc ", "\u2022 ", "- ",
           "What is the area partnership doing that is effective?", "Dear Ms Reed", "\f", "\n", "\n\n",
           "Written Statement of Action is required.", "has made sufficient progress in two of the five", "co-\n",
           "Area SEND inspection of Eastmere Local Area Partnership", "1.", "e.g.", ". ", "  "]


@_SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(["pdf", "text", "html", "docx", None]))
def test_readers_raise_only_read_error(data, kind):
    try:
        read_bytes(data, "fuzz", kind)
    except ReadError:
        pass


@_SETTINGS
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=40)), max_size=60))
def test_parser_never_fails_on_mixtures_of_structure(pieces):
    doc = parse("".join(pieces))
    assert all(s.text.strip() for s in doc.sentences)
    assert doc.framework in (None, "2016", "2023")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=200), min_size=1, max_size=20))
def test_classifier_takes_any_text(model, texts):
    frame = model.classify_sentences(texts)
    assert len(frame) == len(texts) and frame["polarity"].notna().all()
