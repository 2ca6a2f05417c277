"""Readers: a path, bytes or stdin to raw text, one reader a format.

PDF pages are joined with a form feed (``\\f``) so that cleaning can find running headers and
footers page by page. Every failure is a :class:`ReadError` whose message names the input.
"""
from __future__ import annotations

import codecs
import io
import os
import sys
import time
import zipfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable

from .clean import BULLET, SENTENCE_END
from .errors import ReadError
from .settings import SUFFIXES, Limits

__all__ = ["read_bytes", "read_path", "read_stdin", "kind_of", "walk", "PAGE_BREAK"]

PAGE_BREAK = "\f"
_TEXT_PER_PAGE_FOR_OCR = 20  # fewer visible characters a page than this: a scan with no text layer


def kind_of(name: str) -> str | None:
    """The reader a file name calls for (``pdf``, ``text``, ``html``, ``docx``), or None.

    >>> kind_of("letter.PDF"), kind_of("notes.htm"), kind_of("x.xlsx")
    ('pdf', 'html', None)
    """
    return SUFFIXES.get(Path(name).suffix.lower())


def walk(paths: Iterable[str | os.PathLike]) -> list[str]:
    """Files to read: each path itself, or every readable file below a folder, in sorted order."""
    out: list[str] = []
    for p in map(str, paths):
        if os.path.isdir(p):
            found = [str(f) for f in sorted(Path(p).rglob("*")) if f.is_file() and kind_of(f.name)
                     and not any(part.startswith(".") for part in f.relative_to(p).parts)]  # hidden: .git/
            out += found
        else:
            out.append(p)
    return out


def read_path(path: str | Path, limits: Limits | None = None) -> str:
    """Read one file to raw text, choosing the reader by its ending (unknown endings: sniffed)."""
    limits = limits or Limits()
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise ReadError(name, f"file is {size:,} bytes, over the limit of {limits.max_bytes:,} "
                                  "(set SENDNLP_MAX_BYTES to raise it)")
        data = path.read_bytes()
    except IsADirectoryError:
        raise ReadError(name, "is a folder, not a file") from None
    except FileNotFoundError:
        raise ReadError(name, "no such file") from None
    except PermissionError:
        raise ReadError(name, "permission denied") from None
    except OSError as err:
        raise ReadError(name, f"cannot read file ({err.strerror or err})") from None
    except (ValueError, UnicodeError):  # a NUL byte or an unencodable character in the name
        printable = "".join(ch if ch.isprintable() and not "\ud800" <= ch <= "\udfff" else "?" for ch in name)
        raise ReadError(printable, "is not a valid file name") from None
    kind = kind_of(name)
    try:
        return read_bytes(data, name, kind, limits)
    except _NotText:
        if kind is not None:  # a .txt that is not text: its encoding is what went wrong
            raise
        raise ReadError(name, f"is not a kind of file sendnlp reads ({path.suffix or 'no file ending'}; it "
                              f"reads {' '.join(SUFFIXES)})") from None


def read_stdin(limits: Limits | None = None) -> str:
    """Text piped on standard input (any of the text encodings :func:`decode_text` detects)."""
    limits = limits or Limits()
    data = sys.stdin.buffer.read(limits.max_bytes + 1)
    return read_bytes(data, "<stdin>", "text", limits)


def _sniff(data: bytes) -> str:
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return "docx"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    return "text"


def read_bytes(data: bytes, name: str = "<bytes>", kind: str | None = None,
               limits: Limits | None = None) -> str:
    """Raw text of a document held in memory; ``kind`` is sniffed from the bytes when None."""
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise ReadError(name, f"input is over the limit of {limits.max_bytes:,} bytes "
                              "(set SENDNLP_MAX_BYTES to raise it)")
    if not data.strip():
        raise ReadError(name, "file is empty")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # the container of Word 97-2003 (.doc) and its kin
        raise ReadError(name, "is an old Office file (such as .doc): save it as .docx or PDF")
    kind = kind or _sniff(data)
    reader = {"pdf": _read_pdf, "text": _read_text, "html": _read_html, "docx": _read_docx}[kind]
    try:
        text = reader(data, name, limits)
    except ReadError:
        raise
    except Exception as err:  # a reader's library failing on input we never imagined
        raise ReadError(name, f"could not be read as {kind} ({type(err).__name__})") from None
    if not text.strip():
        raise ReadError(name, "no text found in the document")
    return text


# --- text -------------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class _NotText(ReadError):
    """Bytes that decode as no text encoding (a ReadError like any other to callers)."""


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    return bad <= max(2, len(text) // 1000)


def decode_text(data: bytes, name: str = "<bytes>") -> str:
    """Decode text bytes: a BOM first, then UTF-8, UTF-16 without BOM, then charset detection.

    >>> decode_text("Café".encode("cp1252"))
    'Café'
    >>> decode_text("Café".encode("utf-16-le"))
    'Café'
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise ReadError(name, f"starts with a {encoding} byte-order mark but does not decode") from None
    try:
        text = data.decode("utf-8")
        if _looks_like_text(text):
            return text
    except UnicodeDecodeError:
        pass
    sample = data[:4000]
    zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(zeros_even, zeros_odd) > len(sample) // 4:
        text = data.decode("utf-16-le" if zeros_odd > zeros_even else "utf-16-be", errors="replace")
        if _looks_like_text(text):
            return text
    if b"\x00" not in data:
        from charset_normalizer import from_bytes  # only for text that is not UTF-8

        best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "utf_8", "cp1250", "mac_roman"]).best()
        if best is not None:
            text = str(best)
            if _looks_like_text(text):
                return text
    raise _NotText(name, "is not readable text (the encoding could not be detected; save it as UTF-8)")


def _read_text(data: bytes, name: str, limits: Limits) -> str:
    return decode_text(data, name)


# --- pdf --------------------------------------------------------------------------------------

def _read_pdf(data: bytes, name: str, limits: Limits) -> str:
    import pypdfium2 as pdfium

    started = time.monotonic()
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        message = str(err).lower()
        if "password" in message:
            raise ReadError(name, "the PDF is encrypted with a password; save an unprotected copy") from None
        if "format" in message or "file" in message:
            raise ReadError(name, "is not a readable PDF (damaged, truncated or not a PDF)") from None
        raise ReadError(name, f"is not a readable PDF ({err})") from None
    try:
        n = len(pdf)
        if n == 0:
            raise ReadError(name, "the PDF has no pages")
        if n > limits.max_pages:
            raise ReadError(name, f"the PDF has {n} pages, over the limit of {limits.max_pages} "
                                  "(set SENDNLP_MAX_PAGES to raise it)")
        pages = []
        for i in range(n):
            if time.monotonic() - started > limits.seconds:
                raise ReadError(name, f"reading took over {limits.seconds:g} seconds (SENDNLP_SECONDS)")
            page = pdf[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    except pdfium.PdfiumError as err:
        raise ReadError(name, f"the PDF is damaged ({err})") from None
    finally:
        pdf.close()
    visible = sum(len("".join(p.split())) for p in pages)
    if visible < _TEXT_PER_PAGE_FOR_OCR * len(pages):
        raise ReadError(name, "the PDF has no text layer (a scan?): it needs OCR before sendnlp can read it")
    return PAGE_BREAK.join(pages)


# --- html -------------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset({"p", "div", "section", "article", "header", "footer", "main", "aside", "h1", "h2", "h3",
                         "h4", "h5", "h6", "ul", "ol", "table", "tr", "td", "th", "blockquote", "pre", "dt", "dd",
                         "br", "hr", "li", "title", "caption", "figcaption", "address"})
_HIDDEN_TAGS = frozenset({"script", "style", "head", "template", "noscript", "svg", "iframe", "object", "nav",
                          "math", "select", "button"})
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                        "track", "wbr"})


class _VisibleText(HTMLParser):
    """Visible text of an HTML page in one linear pass: hidden elements skipped, blocks on new lines.

    (The standard library's streaming parser: a tree library's edits cost time quadratic in the
    nesting depth, which a hostile page can make large.)
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # open elements and whether each hides its content
        self.open: Counter = Counter()  # open elements by tag, so a stray end tag costs no scan
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = {k: (v or "") for k, v in attrs}
        style = values.get("style", "").replace(" ", "").lower()
        hides = tag in _HIDDEN_TAGS or "hidden" in values or "display:none" in style or "visibility:hidden" in style
        if tag in _BLOCK_TAGS:
            self.parts.append(f"\n{BULLET} " if tag == "li" else "\n")
        if tag not in _VOID_TAGS:
            self.stack.append((tag, hides))
            self.open[tag] += 1
            self.hidden += hides

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if self.open[tag]:
            while self.stack:
                open_tag, hides = self.stack.pop()
                self.open[open_tag] -= 1
                self.hidden -= hides
                if open_tag == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _read_html(data: bytes, name: str, limits: Limits) -> str:
    parser = _VisibleText()
    parser.feed(decode_text(data, name))
    parser.close()
    text = "".join(parser.parts)
    # inside a block, source line breaks are only layout
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


# --- docx -------------------------------------------------------------------------------------

def _read_docx(data: bytes, name: str, limits: Limits) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
            if "word/document.xml" not in archive.namelist():
                raise ReadError(name, "is not a Word .docx document (no word/document.xml inside)")
    except ReadError:
        raise
    except Exception:  # BadZipFile, and the odder errors a damaged archive gives
        raise ReadError(name, "is not a readable .docx (damaged or not a Word document)") from None
    if unzipped > limits.max_unzipped_bytes:
        raise ReadError(name, f"the .docx unpacks to {unzipped:,} bytes, over the limit of "
                              f"{limits.max_unzipped_bytes:,} (SENDNLP_MAX_UNZIPPED_BYTES)")
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.element.body.iterchildren():
            if block.tag == qn("w:p"):
                lines.append(_docx_paragraph(docx.text.paragraph.Paragraph(block, document)))
            elif block.tag == qn("w:tbl"):
                # cell by cell from the XML: python-docx's grid would expand merged cells (a hostile
                # gridSpan makes that very slow)
                for cell in block.iter(qn("w:tc")):
                    lines.append(" ".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                                          for p in cell.findall(qn("w:p"))))
    except Exception as err:  # python-docx raises many types on malformed XML
        raise ReadError(name, f"is not a readable .docx ({type(err).__name__})") from None
    return "\n".join(lines) if _one_paragraph_a_line(lines) else "\n\n".join(lines)


def _one_paragraph_a_line(paragraphs: list[str]) -> bool:
    """Whether a Word file holds a paragraph for every line (as one converted from a PDF does): most of
    its paragraphs then stop mid-sentence, and its lines are joined as a PDF's are. Otherwise each
    paragraph (or table cell) is a block of its own, ended by a full stop or not."""
    texts = [p.strip() for p in paragraphs if p.strip() and not p.startswith(f"{BULLET} ")]
    ended = sum(bool(SENTENCE_END.search(t)) for t in texts)
    return len(texts) >= 10 and ended < len(texts) / 2


def _docx_paragraph(paragraph) -> str:
    text = paragraph.text
    style = (paragraph.style.name or "") if paragraph.style is not None else ""
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    if text.strip() and (numbered or "List" in style):
        return f"{BULLET} {text}"
    return text
