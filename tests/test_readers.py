"""Readers: every format, every encoding, and bad input with a one-line error naming the file."""
from __future__ import annotations

import io

import pytest

from sendnlp import Limits, ReadError, read
from sendnlp.readers import decode_text, read_bytes, read_path

from .conftest import make_pdf

TEXT = "Main findings\n\u2022 The Local Offer is well known and used by families.\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_text_encodings_are_detected(tmp_path, encoding):
    text = "Parents\u2019 views \u2013 the caf\u00e9 sessions \u2013 are valued by the PCF.\n" * 3
    if encoding == "cp1252":
        text = text.replace("\u2019", "'")  # keep to characters cp1252 holds
    path = tmp_path / f"letter-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    assert read_path(path).replace("\r\n", "\n") == text


def test_undecodable_text_is_refused(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(0, 32)) * 200)
    with pytest.raises(ReadError, match="binary.txt: is not readable text"):
        read_path(path)


def test_html_keeps_visible_text_only(tmp_path):
    page = ("<html><head><title>Hidden title</title><style>p{color:red}</style><script>var x='secret';</script></head>"
            "<body><h1>Joint local area SEND inspection in Eastmere</h1><p>Dear Ms Reed</p>"
            "<h2>Main findings</h2><ul><li>The <b>Local Offer</b> is well used.</li><li>Waits are too long.</li></ul>"
            "<div style='display:none'>invisible words</div></body></html>")
    path = tmp_path / "letter.html"
    path.write_text(page)
    text = read_path(path)
    assert "The Local Offer is well used." in text
    assert "\u2022 Waits are too long." in text
    for hidden in ("secret", "Hidden title", "invisible", "color:red"):
        assert hidden not in text


def test_docx_paragraphs_lists_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Main findings")
    document.add_paragraph("Leaders know the area well.", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Local authority"
    table.rows[0].cells[1].text = "Eastmere Council"
    path = tmp_path / "letter.docx"
    document.save(path)
    text = read_path(path)
    assert "Main findings" in text and "\u2022 Leaders know the area well." in text and "Eastmere Council" in text


def test_docx_paragraphs_without_a_full_stop_stay_apart(tmp_path, report_2023):
    import docx

    document = docx.Document()
    for paragraph in report_2023.split("\n\n"):
        document.add_paragraph(paragraph.replace("\n", " ").strip())
    document.add_paragraph("Leaders have opened a new short breaks centre")
    document.add_paragraph("Families say the Local Offer website is hard to use")
    document.save(tmp_path / "report.docx")
    doc = read(tmp_path / "report.docx")
    stated = read(report_2023).stated_outcome
    assert stated and doc.framework == "2023" and doc.stated_outcome == stated
    texts = [s.text for s in doc.sentences]
    assert texts[-2:] == ["Leaders have opened a new short breaks centre",
                          "Families say the Local Offer website is hard to use"]


def test_a_docx_with_a_paragraph_a_line_reads_whole_sentences(tmp_path, report_2023):
    import textwrap

    import docx

    document = docx.Document()  # as a PDF converted to Word: each line a paragraph
    for paragraph in report_2023.split("\n\n"):
        for line in textwrap.wrap(paragraph.replace("\n", " "), 80):
            document.add_paragraph(line)
        document.add_paragraph("")
    document.save(tmp_path / "lines.docx")
    from_docx = [s.text for s in read(tmp_path / "lines.docx").sentences if not s.heading]
    from_text = [s.text for s in read(report_2023).sentences if not s.heading]
    assert from_docx == from_text


def test_generated_pdf_reads_with_structure(report_pdf):
    doc = read(report_pdf)
    assert doc.framework == "2023" and doc.stated_outcome == "systemic_failings"
    assert doc.local_area == "Cranmoor"
    assert not [s.text for s in doc.sentences if "Area SEND inspection report" in s.text]


def test_stdin_reads_text(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-16"))))
    doc = read("-")
    assert doc.sentences[-1].text == "The Local Offer is well known and used by families."


# --- bad input: each a one-line error that names the input -----------------------------------------

def _bad_inputs(tmp_path):
    good = make_pdf(tmp_path / "good.pdf", "Dear Ms Reed\n\nThe Local Offer is well used by parents and carers.")
    data = good.read_bytes()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "random.pdf").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "truncated.pdf").write_bytes(data[: len(data) // 2])
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(good))
    writer.encrypt("secret", algorithm="RC4-128")
    with open(tmp_path / "encrypted.pdf", "wb") as handle:
        writer.write(handle)
    from fpdf import FPDF

    scan = FPDF()
    scan.add_page()
    scan.rect(20, 20, 150, 200, style="F")  # a page with marks but no text layer
    scan.output(str(tmp_path / "scanned.pdf"))
    (tmp_path / "big.txt").write_text("Leaders know the area well. " * 100)
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (tmp_path / "old-letter.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    return {
        "photo.png": "not a kind of file sendnlp reads (.png;",
        "old-letter.doc": "old Office file (such as .doc): save it as .docx",
        "letters": "no such file",  # a mistyped folder: a missing file, not one word of text
        "empty.txt": "file is empty",
        "random.pdf": "not a readable PDF",
        "truncated.pdf": "not a readable PDF",
        "encrypted.pdf": "encrypted",
        "scanned.pdf": "needs OCR",
        "big.txt": "over the limit",
        "missing.pdf": "no such file",
    }


def test_bad_inputs_give_one_line_errors_naming_the_file(tmp_path):
    expected = _bad_inputs(tmp_path)
    for name, phrase in expected.items():
        with pytest.raises(ReadError) as caught:
            read(str(tmp_path / name), Limits(max_bytes=2000) if name == "big.txt" else None)
        message = str(caught.value)
        assert name in message and phrase in message, message
        assert "\n" not in message


def test_pages_and_unzipped_limits(tmp_path, letter_2016):
    pdf = make_pdf(tmp_path / "long.pdf", letter_2016)
    with pytest.raises(ReadError, match="pages, over the limit of 1"):
        read(pdf, Limits(max_pages=1))
    import docx

    document = docx.Document()
    document.add_paragraph("Leaders know the area well. " * 2000)
    document.save(tmp_path / "big.docx")
    with pytest.raises(ReadError, match="unpacks to .* over the limit"):
        read(tmp_path / "big.docx", Limits(max_unzipped_bytes=10_000))


def test_decode_prefers_utf8_then_detects():
    assert decode_text("EHC plan \u2013 caf\u00e9".encode()) == "EHC plan \u2013 caf\u00e9"
    assert decode_text(b"Parents\x92 views") == "Parents\u2019 views"


def test_bytes_are_sniffed(report_pdf):
    assert "Inspection outcome" in read_bytes(report_pdf.read_bytes())
