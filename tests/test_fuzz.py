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


# --- each input the long fuzzing run once broke on, kept as a regression test ----------------------

import io  # noqa: E402
import zipfile  # noqa: E402

import pytest  # noqa: E402

import sendnlp  # noqa: E402


@pytest.mark.parametrize("text", ["Main findings\n\nand then", "Main findings\n\f\nand then\n",
                                  "Dear Ms Reed\n\nStrengths\n\n\u2022 leaders know their area well.\n",
                                  "Dear Ms Reed \ud800"])
def test_parser_regressions(text):
    assert parse(text).sentences


@pytest.mark.parametrize("data", [b'<p style="display:none"><span style="color:red">x</span></p><p>Seen</p>',
                                  b"<p>Dear Ms Reed</p><![ x", b"<div>" * 20000 + b"deep" + b"</div>" * 20000])
def test_html_regressions(data):
    try:
        text = read_bytes(data, "page.html", "html")
    except ReadError as err:
        assert str(err).startswith("page.html: ")
    else:
        assert "x" not in text.split()


def test_html_stray_and_misnested_end_tags_neither_reveal_nor_hide_text():
    page = (b'<div style="display:none">secret</span></p> still secret <b>hidden too</div>'
            b"<p>Shown <i>here</b> and</i> here</p>"
            + b"<div>" * 20000 + b"Deep" + b"</p>" * 20000 + b"<p>End</p>")  # stray ends over deep nesting
    words = read_bytes(page, "page.html", "html").split()
    assert words == ["Shown", "here", "and", "here", "Deep", "End"]


def _docx_with(document_xml: bytes) -> bytes:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, document_xml if item.filename == "word/document.xml" else source.read(item))
    return out.getvalue()


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.mark.parametrize("xml", [
    b"<x/>",
    b"<w:document " + _W + b"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>cell</w:t>"
    b"</w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>",
    b"<w:document " + _W + b"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"1000000\"/></w:tcPr><w:p><w:r>"
    b"<w:t>wide cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>",
])
def test_docx_regressions(xml):
    try:
        text = read_bytes(_docx_with(xml), "odd.docx", "docx")
    except ReadError as err:
        assert str(err).startswith("odd.docx: ")
    else:
        assert "cell" in text


def test_a_megabyte_line_and_odd_file_names():
    assert sendnlp.read(b"word " * 200001).sentences
    for name in ("abc\x00.txt", "\ud800.pdf"):
        with pytest.raises(ReadError, match="not a valid file name"):
            sendnlp.read(name)
