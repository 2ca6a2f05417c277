"""Seeded random fuzzing of the entry points: count cases and crashes.

    .venv/bin/python benchmarks/fuzz.py [--cases 10000] [--seed 0] [--jobs 2] [--only NAME]
    .venv/bin/python benchmarks/fuzz.py --replay NAME INDEX [--seed 0] [--save FILE]

A crash is any exception other than ``sendnlp.ReadError`` from the readers and from
``model.classify`` (which reads), and any exception at all from ``structure.parse`` and
``model.classify_sentences``. Every case has its own generator, seeded by (seed, entry point, case
index), so ``--replay NAME INDEX`` regenerates one input and runs it with its traceback.

Inputs are made from our own text only (rendered corpus documents, PDFs and .docx files generated
from them) and random bytes and characters: pure random bytes; our PDF, .docx, HTML and text with
bytes flipped, cut, inserted, spliced; zips whose word/document.xml is garbage or random WordML
(tables with odd gridSpan/vMerge, numbering, styles); random tag soup; random unicode (controls,
combining marks, bidi, private-use bullets, surrogates, NFKC-expanding characters); random mixtures
of structural pieces (headings, bullets, form feeds, page furniture, dates, outcome wording).
"""
from __future__ import annotations

import argparse
import codecs
import datetime
import io
import os
import random
import re
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from _common import corpus_texts, header

ENTRY_POINTS = ["read_bytes[pdf]", "read_bytes[text]", "read_bytes[html]", "read_bytes[docx]", "read_bytes[None]",
                "structure.parse", "model.classify_sentences", "model.classify"]
CASE_SECONDS = 60  # a case running longer is counted as a hang
SLOW_SECONDS = 5.0

# --- random text ------------------------------------------------------------------------------------

_RANGES = [  # (weight, first, last)
    (40, 0x20, 0x7E), (4, 0x00, 0x1F), (3, 0x7F, 0xFF), (3, 0x100, 0x24F), (2, 0x300, 0x36F),
    (2, 0x590, 0x6FF), (3, 0x2000, 0x206F), (2, 0x2190, 0x25FF), (2, 0x3000, 0x30FF), (2, 0x4E00, 0x4FFF),
    (2, 0xE000, 0xE0FF), (1, 0xF000, 0xF0FF), (2, 0xFB00, 0xFDFF), (1, 0xFE00, 0xFFFF), (2, 0x1F300, 0x1FAFF),
    (1, 0x10000, 0x10FFFF),
]  # lone surrogates (a str can hold them) are put into 2% of str cases by with_surrogate()
_WEIGHTS = [w for w, _, _ in _RANGES]
_SPECIAL = ["\f", "\n", "\r\n", "\r", "\x0b", "\x1c", "\x1e", "\x85", "\u2028", "\u2029", "\t", "\x00", "\ufeff",
            "\u200b", "\u00ad", "\ufdfa", "\u0345", "\ufb03", "\u2026", "\ufffd", "\U0001F600", "\u202e", "  ", ". ",
            "...", "?!", "e.g.", "etc. and", "no.", "\u2022", "\u25fc", "\uf0b7", "- ", "1. ", "co-\n", "n't"]


def with_surrogate(rng: random.Random, text):
    """In 2% of str cases, a lone surrogate at a random place (kept rare so it hides nothing else)."""
    if isinstance(text, str) and rng.random() < 0.02:
        i = rng.randint(0, len(text))
        return text[:i] + chr(rng.randint(0xD800, 0xDFFF)) + text[i:]
    return text


def random_text(rng: random.Random, max_len: int = 200) -> str:
    n = min(int(rng.expovariate(1 / max(1, max_len / 4))), max_len)
    out = []
    while len(out) < n:
        if rng.random() < 0.1:
            out.append(rng.choice(_SPECIAL))
            continue
        _, first, last = rng.choices(_RANGES, _WEIGHTS)[0]
        out.append(chr(rng.randint(first, last)))
    return "".join(out)


# --- structural pieces ------------------------------------------------------------------------------

_PIECES = [
    "Inspection outcome", "Main findings", "Strengths", "Areas for development", "Areas for improvement",
    "Information about the local area partnership",
    "What is it like to be a child or young person with special educational needs and/or disabilities (SEND) in this area?",
    "What is the area partnership doing that is effective?", "What does the area partnership need to do better?",
    "Areas for priority action", "Responsible body areas for priority action", "Local area partnership details",
    "Information about this inspection", "Inspection team", "Yours sincerely", "Yours sincerely,",
    "The effectiveness of the local area in identifying children and young people who have SEND",
    "The effectiveness of the local area in assessing and meeting the needs of children and young people",
    "The effectiveness of the local area in improving outcomes for children and young people",
    "Dear Ms Reed", "Dear Mr Okafor and Dr Lind", "Joint local area SEND inspection in Eastmere",
    "Joint local area SEND revisit in Eastmere", "Local area SEND inspection of Cranmoor",
    "Area SEND inspection of Eastmere Local Area Partnership", "Revisit of the local area of Ashcombe Vale",
    "Inspection dates: 6 to 10 March 2023", "Inspection dates: 31 February 2099", "between 4 and 8 March 2019",
    "from 1 to 5 May 2017", "week beginning 3 June 2024", "week commencing 30th September to 4 October 2024",
    "Page 3 of 12", "Area SEND inspection report: Eastmere Local Area Partnership", "12", "- 4 -", "page 9",
    "A written statement of action is required.", "A WSOA is not required.", "This statement must be submitted.",
    "The local area has made sufficient progress in addressing two of the five significant weaknesses.",
    "The area has not made sufficient progress in all of the 99999999999999999999 weaknesses",
    "has made enough progress in none of the", "has made sufficient progress in fourteen of the twelve",
    "Inspectors found the following areas of significant weakness:", "significant weaknesses:",
    "The arrangements typically lead to positive experiences and outcomes.",
    "There are widespread and/or systemic failings leading to significant concerns.",
    "The arrangements lead to inconsistent experiences and outcomes.", "A priority action plan is required.",
    "The next full reinspection will be within three years.", "A monitoring inspection will take place.",
    "\u25fc ", "\u2022 ", "- ", "* ", "o ", "1. ", "12) ", "\uf0b7 ", "\u25aa", "\f", "\n", "\n\n", "\n\n\n", "  ",
    "co-", "\nproduction", "e.g.", "etc.", "approx. five", ". ", "?", ":", ";", "(", ")", "\"", "'",
    "EHC plan", "Local Offer", "SENDIASS", "CAMHS", "not effective", "isn't well known", "2016", "2023",
]


def structural_text(rng: random.Random, texts: list[str], max_pieces: int = 80) -> str:
    """A random mixture of headings, bullets, furniture, dates, our sentences and random text."""
    pieces = []
    for _ in range(rng.randint(0, max_pieces)):
        r = rng.random()
        if r < 0.55:
            pieces.append(rng.choice(_PIECES))
        elif r < 0.8:
            paragraphs = rng.choice(texts).split("\n\n")
            pieces.append(rng.choice(paragraphs))
        else:
            pieces.append(random_text(rng, 60))
        if rng.random() < 0.5:
            pieces.append(rng.choice(["\n", "\n\n", " ", "", "\f", "\n\f\n"]))
    text = "".join(pieces)
    if rng.random() < 0.05:  # long unbroken runs and many pages
        text = text * rng.randint(2, 20)
    return text


def mixed_document(rng: random.Random, texts: list[str]) -> str:
    """A rendered corpus document with paragraphs shuffled, dropped, duplicated, swapped for pieces."""
    paragraphs = rng.choice(texts).split("\n\n")
    out = []
    for p in paragraphs:
        r = rng.random()
        if r < 0.1:
            continue
        if r < 0.2:
            out.append(rng.choice(_PIECES))
        elif r < 0.25:
            out.append(random_text(rng, 120))
        elif r < 0.3:
            out += [p, p]
        else:
            out.append(p)
    if rng.random() < 0.3:
        rng.shuffle(out)
    joiner = rng.choice(["\n\n", "\n", "\f", "\n\n\f"])
    return joiner.join(out)


# --- byte mutations --------------------------------------------------------------------------------

def mutate(rng: random.Random, data: bytes, others: list[bytes] | None = None) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        if not b:
            b += bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 64)))
            continue
        if op < 0.3:  # flip bits
            for _ in range(rng.randint(1, 20)):
                b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
        elif op < 0.45:  # truncate
            del b[rng.randrange(len(b)):]
        elif op < 0.55:  # overwrite a run with random bytes
            i = rng.randrange(len(b))
            n = rng.randint(1, 256)
            b[i:i + n] = bytes(rng.getrandbits(8) for _ in range(n))
        elif op < 0.65:  # insert random bytes
            i = rng.randrange(len(b) + 1)
            b[i:i] = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 256)))
        elif op < 0.72:  # delete a run
            i = rng.randrange(len(b))
            del b[i:i + rng.randint(1, 2048)]
        elif op < 0.8:  # duplicate a run
            i = rng.randrange(len(b))
            b[i:i] = b[i:i + rng.randint(1, 4096)]
        elif op < 0.9:  # change a number (PDF lengths, counts, offsets; XML values)
            numbers = [m for m in re.finditer(rb"\d+", bytes(b[:200_000]))]
            if numbers:
                m = rng.choice(numbers)
                b[m.start():m.end()] = str(rng.choice([0, 1, -1, 2**31, 2**63, 10**20, rng.randint(0, 10**6)])).encode()
        elif others:  # splice with another input
            other = rng.choice(others)
            i, j = rng.randrange(len(b) + 1), rng.randrange(len(other) + 1)
            b = b[:i] + other[j:]
    return bytes(b)


def random_bytes(rng: random.Random, max_len: int = 4096) -> bytes:
    n = min(int(rng.expovariate(1 / 400)), max_len)
    prefix = rng.choice([b"", b"", b"", b"%PDF-1.7\n", b"PK\x03\x04", b"<html>", b"<!doctype html>", b"<body>",
                         codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, b" \n\t",
                         b"\x00"])
    return prefix + bytes(rng.getrandbits(8) for _ in range(n))


# --- seed documents (made once a process, deterministic) ---------------------------------------------

class Material:
    def __init__(self):
        from fpdf import FPDF

        texts = corpus_texts()
        self.texts = [texts[k] for k in sorted(texts)]
        self.parts = []  # small pieces of our documents (a few paragraphs), to keep cases cheap
        prng = random.Random(12345)
        for t in self.texts:
            paragraphs = t.split("\n\n")
            for _ in range(3):
                i = prng.randrange(len(paragraphs))
                self.parts.append("\n\n".join(paragraphs[i:i + prng.randint(2, 12)]))
        self.pdfs = [self._pdf(self.parts[i]) for i in range(0, 30, 5)] + [self._pdf(self.texts[0])]
        blank = FPDF()
        blank.set_creation_date(datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc))
        blank.add_page()
        blank.rect(20, 20, 50, 50)
        self.pdfs.append(bytes(blank.output()))  # a page without text (a "scan")
        self.pdfs += self._encrypted(self.pdfs[0])
        self.docx = [self._docx(self.parts[i]) for i in range(0, 20, 5)]
        self.html = [to_html(prng, self.parts[i]) for i in range(0, 30, 3)]
        self.text_bytes = [encode(prng, self.parts[i]) for i in range(0, 60, 2)]
        self.all_bytes = self.pdfs + self.docx + self.html + self.text_bytes

    @staticmethod
    def _pdf(text: str) -> bytes:
        from _common import make_pdf

        return make_pdf(text)

    @staticmethod
    def _encrypted(data: bytes) -> list[bytes]:
        import pypdf

        out = []
        for user in ("secret", ""):  # a password to open; only an owner password
            writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
            writer.encrypt(user_password=user, owner_password="owner", algorithm="RC4-128")
            buf = io.BytesIO()
            writer.write(buf)
            out.append(buf.getvalue())
        return out

    @staticmethod
    def _docx(text: str) -> bytes:
        from _common import make_docx

        return rezip(make_docx(text))


def rezip(data: bytes, replace: dict[str, bytes] | None = None, drop: set[str] = frozenset(),
          add: dict[str, bytes] | None = None) -> bytes:
    """The zip again with fixed timestamps (deterministic), members replaced, dropped or added."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename in drop:
                continue
            blob = (replace or {}).get(info.filename, src.read(info.filename))
            if info.filename == "docProps/core.xml":
                blob = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", blob)
            z.writestr(_zipinfo(info.filename), blob)
        for name, blob in (add or {}).items():
            z.writestr(_zipinfo(name), blob)
    return out.getvalue()


def _zipinfo(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def encode(rng: random.Random, text: str) -> bytes:
    encoding = rng.choice(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252",
                           "latin-1", "mac_roman", "cp1250"])
    return text.encode(encoding, errors="replace")


def xml_escape(text: str) -> str:
    text = "".join(ch for ch in text if ch in "\t\n\r" or (" " <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd")
                   or ch > "\uffff")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_HTML_TAGS = ["p", "div", "span", "ul", "ol", "li", "br", "h1", "h2", "h3", "table", "tr", "td", "th", "section",
              "script", "style", "head", "template", "noscript", "svg", "iframe", "nav", "pre", "b", "a", "body", "html"]
_HTML_ATTRS = ['', ' hidden', ' style="display:none"', ' style="display: none"', ' style="visibility:hidden"',
               ' style="color:red"', ' style', ' style=""', ' class="x"', ' hidden="false"', " style='font-weight:bold'",
               ' href="#"', ' data-x="<p>"']
_HTML_ODD = ["<!DOCTYPE html>", "<!doctype html>", "<!-- a comment -->", "<!--", "-->", "<![CDATA[x]]>", "<![if !IE]>",
             "<![endif]>", "<![", "<!", "<?xml version='1.0'?>", "<?", "<!ELEMENT x>", "<!x", "</", "<", ">", "&amp;",
             "&nbsp;", "&#0;", "&#x110000;", "&#99999999999;", "&bogus;", "&", "<meta charset=\"utf-16\">",
             "<meta charset=\"bogus\">", "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ebcdic\">",
             "<br/>", "<p/>", "</p></p></div>", "<li>", "\u2022 "]


def to_html(rng: random.Random, text: str) -> bytes:
    """Our text as a plausible HTML page (headings, lists, paragraphs, some hidden furniture)."""
    out = ["<!DOCTYPE html><html><head><title>Report</title><style>p{}</style></head><body>",
           "<nav><a href='#'>Skip</a></nav>"]
    in_list = False
    for block in text.split("\n\n"):
        plain = xml_escape(" ".join(block.split()))
        if plain.startswith("\u2022 "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{plain[2:]}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        tag = "h2" if len(plain) < 80 and not plain.endswith(".") else "p"
        out.append(f"<{tag}>{plain}</{tag}>")
        if rng.random() < 0.1:
            out.append('<div style="display:none"><span style="color:red">hidden</span></div>')
    out.append("<script>var x = '<p>no</p>';</script></body></html>")
    return "\n".join(out).encode("utf-8")


def tag_soup(rng: random.Random, texts: list[str]) -> bytes:
    out = []
    for _ in range(rng.randint(0, 60)):
        r = rng.random()
        if r < 0.35:
            out.append(f"<{rng.choice(_HTML_TAGS)}{rng.choice(_HTML_ATTRS)}>")
        elif r < 0.55:
            out.append(f"</{rng.choice(_HTML_TAGS)}>")
        elif r < 0.7:
            out.append(rng.choice(_HTML_ODD))
        elif r < 0.85:
            out.append(xml_escape(rng.choice(rng.choice(texts).split("\n\n"))))
        else:
            out.append(random_text(rng, 40))
    text = "".join(out)
    if rng.random() < 0.5:
        text = "<html><body>" + text
    encoding = rng.choice(["utf-8", "utf-8", "utf-16", "cp1252"])
    return text.encode(encoding, errors="surrogatepass" if encoding != "cp1252" and rng.random() < 0.5 else "replace")


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _wrap(tag: str, children: list[str]) -> str:
    """``<tag>children</tag>``, or nothing where there are no children."""
    return f"<{tag}>{''.join(children)}</{tag}>" if children else ""


def wordml(rng: random.Random, texts: list[str]) -> bytes:
    """A random word/document.xml: paragraphs (styles, numbering), tables with odd spans and merges."""

    def run() -> str:
        choice = rng.random()
        words = xml_escape(rng.choice(rng.choice(texts).split("\n\n"))[:300]) if choice < 0.6 else (
            xml_escape(rng.choice(_PIECES)) if choice < 0.85 else xml_escape(random_text(rng, 40)))
        extra = rng.choice(["", "", "<w:tab/>", "<w:br/>", "<w:cr/>", "<w:noBreakHyphen/>", "<w:sym w:char=\"F0B7\"/>"])
        return f"<w:r><w:t xml:space=\"preserve\">{words}</w:t>{extra}</w:r>"

    def paragraph() -> str:
        ppr = []
        if rng.random() < 0.2:
            ppr.append(f'<w:pStyle w:val="{rng.choice(["ListBullet", "Heading1", "Normal", "NoSuchStyle", "", "TableGrid"])}"/>')
        if rng.random() < 0.15:
            ppr.append(f'<w:numPr><w:ilvl w:val="{rng.choice(["0", "9", "-1", "x"])}"/>'
                       f'<w:numId w:val="{rng.choice(["1", "0", "999", "x"])}"/></w:numPr>')
        return f"<w:p>{_wrap('w:pPr', ppr)}{''.join(run() for _ in range(rng.randint(0, 3)))}</w:p>"

    def cell() -> str:
        props = []
        if rng.random() < 0.2:
            props.append(f'<w:gridSpan w:val="{rng.choice(["0", "1", "2", "3", "-1", "x", "1000", ""])}"/>')
        if rng.random() < 0.2:
            props.append(rng.choice(['<w:vMerge/>', '<w:vMerge w:val="restart"/>', '<w:vMerge w:val="continue"/>',
                                     '<w:vMerge w:val="bogus"/>']))
        return f"<w:tc>{_wrap('w:tcPr', props)}{''.join(paragraph() for _ in range(rng.randint(0, 2)))}</w:tc>"

    def table() -> str:
        cols = rng.randint(0, 4)
        grid = "<w:tblGrid>" + "<w:gridCol/>" * cols + "</w:tblGrid>" if rng.random() < 0.8 else ""
        before = f'<w:trPr><w:gridBefore w:val="{rng.choice(["1", "0", "-2", "x"])}"/></w:trPr>' if rng.random() < 0.1 else ""
        rows = "".join(f"<w:tr>{before}{''.join(cell() for _ in range(rng.randint(0, 4)))}</w:tr>"
                       for _ in range(rng.randint(0, 4)))
        return f"<w:tbl>{grid}{rows}</w:tbl>"

    body = []
    for _ in range(rng.randint(0, 30)):
        r = rng.random()
        body.append(paragraph() if r < 0.7 else table() if r < 0.9 else
                    rng.choice(["<w:sectPr/>", "<w:bookmarkStart/>", "<w:sdt><w:sdtContent><w:p/></w:sdtContent></w:sdt>",
                                "<x:unknown xmlns:x='urn:x'/>", "<w:p><w:p/></w:p>", "<w:tbl/>", "<w:tr/>"]))
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>{"".join(body)}</w:body></w:document>'
    return xml.encode("utf-8")


def docx_case(rng: random.Random, m: Material) -> bytes:
    r = rng.random()
    seed = rng.choice(m.docx)
    if r < 0.3:
        return mutate(rng, seed, m.docx)
    if r < 0.75:
        return rezip(seed, replace={"word/document.xml": wordml(rng, m.parts)})
    if r < 0.85:  # garbage in the parts python-docx reads
        member = rng.choice(["word/document.xml", "word/styles.xml", "[Content_Types].xml", "_rels/.rels",
                             "word/_rels/document.xml.rels", "word/numbering.xml"])
        garbage = rng.choice([random_bytes(rng), b"", b"<x/>", mutate(rng, wordml(rng, m.parts))])
        return rezip(seed, replace={member: garbage}) if rng.random() < 0.8 else rezip(seed, drop={member})
    if r < 0.92:  # a zip that is not a Word document, or has a document.xml and nothing else
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for k in range(rng.randint(0, 3)):
                z.writestr(zipfile.ZipInfo(rng.choice(["word/document.xml", f"f{k}.txt", "mimetype", "../evil"]),
                                           (1980, 1, 1, 0, 0, 0)), random_bytes(rng, 512))
        return out.getvalue()
    return random_bytes(rng) if rng.random() < 0.5 else b"PK\x03\x04" + random_bytes(rng)


def pdf_case(rng: random.Random, m: Material) -> bytes:
    r = rng.random()
    if r < 0.2:
        return random_bytes(rng)
    if r < 0.25:
        return rng.choice(m.pdfs)
    return mutate(rng, rng.choice(m.pdfs), m.pdfs)


def text_case(rng: random.Random, m: Material) -> bytes:
    r = rng.random()
    if r < 0.3:
        return random_bytes(rng)
    if r < 0.55:
        return mutate(rng, rng.choice(m.text_bytes), m.text_bytes)
    if r < 0.8:
        text = structural_text(rng, m.parts, 30)
    else:
        text = random_text(rng, 400)
    encoding = rng.choice(["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "utf-8-sig"])
    return text.encode(encoding, errors=rng.choice(["replace", "ignore", "surrogatepass"]) if "utf-8" in encoding
                       else "replace")


def html_case(rng: random.Random, m: Material) -> bytes:
    r = rng.random()
    if r < 0.15:
        return random_bytes(rng)
    if r < 0.4:
        return mutate(rng, rng.choice(m.html), m.html)
    if r < 0.5:
        return to_html(rng, mixed_document(rng, m.parts))
    return tag_soup(rng, m.parts)


def any_bytes_case(rng: random.Random, m: Material) -> bytes:
    return rng.choice([pdf_case, text_case, html_case, docx_case])(rng, m)


# --- the cases -------------------------------------------------------------------------------------

_material: Material | None = None
_model = None
_tmp: str | None = None


def material() -> Material:
    global _material
    if _material is None:
        _material = Material()
    return _material


def model():
    global _model
    if _model is None:
        import sendnlp

        _model = sendnlp.load()
    return _model


def tmpdir() -> Path:
    global _tmp
    if _tmp is None:
        _tmp = tempfile.mkdtemp(prefix="sendnlp-fuzz-")
    return Path(_tmp)


def path_case(rng: random.Random, m: Material):
    """A path-like string or PathLike: odd names, folders, missing files, files with fuzzed bytes."""
    r = rng.random()
    folder = tmpdir()
    if r < 0.4:
        name = rng.choice(["", "x", "report", "a" * rng.randint(100, 400), random_text(rng, 20).replace("/", "")])
        name = name.replace("\n", "") + rng.choice([".pdf", ".txt", ".html", ".docx", ".PDF", ".htm", ".text", ""])
        if rng.random() < 0.2:
            name = name[: rng.randrange(len(name) + 1)] + rng.choice(["\x00", "\ud800", "\udcff", "/", "//", "\\"]) \
                + name[rng.randrange(len(name) + 1):]
        return str(folder / name) if rng.random() < 0.5 else name
    if r < 0.5:
        return rng.choice([str(folder), folder, "/", ".", str(folder / "missing.pdf"), Path("missing.txt")])
    suffix = rng.choice([".pdf", ".txt", ".html", ".docx", ".bin", ""])
    path = folder / f"case-{os.getpid()}{suffix}"
    path.write_bytes(any_bytes_case(rng, m))
    return path if rng.random() < 0.5 else str(path)


def run_case(entry: str, seed: int, index: int, want_input: bool = False):
    """Run one case. Returns (outcome, exception or None, input) where outcome is ok/expected/crash."""
    from sendnlp import ReadError
    from sendnlp.readers import read_bytes
    from sendnlp.structure import parse

    rng = random.Random(f"{seed}:{entry}:{index}")
    m = material()
    if entry.startswith("read_bytes["):
        kind = entry[len("read_bytes["):-1]
        kind = None if kind == "None" else kind
        data = {"pdf": pdf_case, "text": text_case, "html": html_case, "docx": docx_case,
                None: any_bytes_case}[kind](rng, m)
        args = (data, kind)
        call = lambda: read_bytes(data, "fuzz", kind)  # noqa: E731
        allowed = (ReadError,)
    elif entry == "structure.parse":
        r = rng.random()
        text = with_surrogate(rng, random_text(rng, 2000) if r < 0.3 else structural_text(rng, m.parts) if r < 0.8
                              else mixed_document(rng, m.texts))
        args = (text,)
        call = lambda: parse(text, "fuzz")  # noqa: E731
        allowed = ()
    elif entry == "model.classify_sentences":
        sentence = with_surrogate(rng, random_text(rng, 300) if rng.random() < 0.6 else (
            rng.choice(_PIECES) if rng.random() < 0.3 else structural_text(rng, m.parts, 6)))
        args = (sentence,)
        call = None  # batched by the caller
        allowed = ()
    elif entry == "model.classify":
        r = rng.random()
        if r < 0.35:
            source = structural_text(rng, m.parts, 40)
        elif r < 0.5:
            source = mixed_document(rng, m.texts)
        elif r < 0.6:
            source = random_text(rng, 500)
        elif r < 0.85:
            source = any_bytes_case(rng, m)
        else:
            source = path_case(rng, m)
        source = with_surrogate(rng, source)
        if source == "-":  # stdin, documented; not fuzzed
            source = "--"
        args = (source,)
        call = lambda: model().classify(source)  # noqa: E731
        allowed = (ReadError,)
    else:
        raise SystemExit(f"unknown entry point {entry!r}")
    if call is None:
        return args
    try:
        call()
        return "ok", None, args if want_input else None
    except allowed as err:
        return "expected", err, args if want_input else None
    except Exception as err:  # noqa: BLE001 - counting them is the point
        return "crash", err, args


class Hang(BaseException):  # not an Exception, so that no handler under test swallows it
    pass


def _alarm(signum, frame):
    raise Hang(f"case ran over {CASE_SECONDS} s")


def signature(err: BaseException) -> str:
    frames = traceback.extract_tb(err.__traceback__)
    own = [f for f in frames if "/sendnlp/" in f.filename]
    where = own[-1] if own else (frames[-1] if frames else None)
    at = f"{Path(where.filename).name}:{where.lineno} in {where.name}" if where else "?"
    lines = str(err).splitlines()
    gist = re.sub(r"'[^'\s]*'|0x[0-9a-f]+|-?\d+", "_", lines[0] if lines else "")[:60]  # the message without its particulars
    return f"{type(err).__module__}.{type(err).__name__} at {at} ({gist})"


def describe(err: BaseException, args) -> dict:
    tb = traceback.format_exception(type(err), err, err.__traceback__)
    return {"signature": signature(err), "message": str(err)[:300], "input": repr(args)[:400],
            "traceback": "".join(tb[-6:])[-1500:]}


def run_chunk(entry: str, seed: int, start: int, stop: int) -> dict:
    """Run cases [start, stop) of one entry point in this (worker) process."""
    signal.signal(signal.SIGALRM, _alarm)
    counts = Counter()
    crashes: dict[str, dict] = {}
    crash_counts = Counter()
    slow = []
    longest = (0.0, None)
    chunk_started = time.perf_counter()
    if entry == "model.classify_sentences":
        index = start
        while index < stop:
            size = min(stop - index, random.Random(f"{seed}:batch:{index}").randint(1, 100))
            sentences = [run_case(entry, seed, i)[0] for i in range(index, index + size)]
            started = time.perf_counter()
            signal.alarm(CASE_SECONDS)
            try:
                try:
                    frame = model().classify_sentences(sentences)
                except Hang:
                    counts["hang"] += size
                    crash_counts["hang"] += 1
                    crashes.setdefault("hang", {"signature": "hang", "input": f"batch of {size} from #{index}",
                                                "index": index})
                    index += size
                    continue
                if len(frame) != len(sentences) or frame["polarity"].isna().any():
                    raise AssertionError(f"{len(frame)} rows for {len(sentences)} sentences, or a missing polarity")
                counts["ok"] += size
            except Exception as err:  # noqa: BLE001
                # find the sentences that fail on their own
                signal.alarm(0)
                alone = 0
                for i, s in zip(range(index, index + size), sentences):
                    try:
                        model().classify_sentences([s])
                        counts["ok"] += 1
                    except Exception as one:  # noqa: BLE001
                        alone += 1
                        counts["crash"] += 1
                        sig = signature(one)
                        crash_counts[sig] += 1
                        crashes.setdefault(sig, describe(one, (s,)) | {"index": i})
                if not alone:  # only the batch fails: count the batch once
                    counts["crash"] += 1
                    sig = signature(err)
                    crash_counts[sig] += 1
                    crashes.setdefault(sig, describe(err, ("batch", index, size)) | {"index": index})
            finally:
                signal.alarm(0)
            elapsed = time.perf_counter() - started
            longest = max(longest, (elapsed, index), key=lambda t: t[0])
            if elapsed > SLOW_SECONDS:
                slow.append((round(elapsed, 1), index))
            index += size
        return {"entry": entry, "counts": counts, "crashes": crashes, "crash_counts": crash_counts, "slow": slow,
                "max": longest, "seconds": time.perf_counter() - chunk_started}
    for i in range(start, stop):
        started = time.perf_counter()
        signal.alarm(CASE_SECONDS)
        try:
            outcome, err, args = run_case(entry, seed, i)
        except Hang:
            outcome, err, args = "hang", None, None
        finally:
            signal.alarm(0)
        elapsed = time.perf_counter() - started
        longest = max(longest, (elapsed, i), key=lambda t: t[0])
        if elapsed > SLOW_SECONDS:
            slow.append((round(elapsed, 1), i))
        counts[outcome] += 1
        if outcome in ("crash", "hang"):
            sig = signature(err) if outcome == "crash" else "hang"
            crash_counts[sig] += 1
            if sig not in crashes:
                crashes[sig] = describe(err, args) | {"index": i} if err is not None else \
                    {"signature": "hang", "input": "(replay to see it)", "index": i}
    return {"entry": entry, "counts": counts, "crashes": crashes, "crash_counts": crash_counts, "slow": slow,
            "max": longest, "seconds": time.perf_counter() - chunk_started}


def _quiet() -> None:
    import warnings

    warnings.simplefilter("ignore")


def _warm() -> None:
    _quiet()
    from sendnlp.structure import parse

    parse("Main findings\n\nA sentence.")  # load spaCy now, not in the first case
    material()
    model()


def replay(entry: str, index: int, seed: int, save: str | None) -> int:
    _quiet()
    args = run_case(entry, seed, index) if entry == "model.classify_sentences" else None
    if entry == "model.classify_sentences":
        print(f"input: {args!r}"[:2000])
        model().classify_sentences(list(args))
        print("no exception")
        return 0
    outcome, err, args = run_case(entry, seed, index, want_input=True)
    print(f"input: {args!r}"[:4000])
    if save:
        value = args[0]
        Path(save).write_bytes(value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass"))
        print(f"input saved to {save}")
    print(f"outcome: {outcome}")
    if err is not None:
        traceback.print_exception(type(err), err, err.__traceback__)
    return 0


def _docx_with(document_xml: bytes | None = None, styles_xml: bytes | None = None) -> bytes:
    replace = {}
    if document_xml is not None:
        replace["word/document.xml"] = document_xml
    if styles_xml is not None:
        replace["word/styles.xml"] = styles_xml
    return rezip(material().docx[0], replace=replace)


def _table(rows: str) -> bytes:
    return (f'<w:document {_W}><w:body><w:p><w:r><w:t>Dear Ms Reed</w:t></w:r></w:p><w:tbl>{rows}</w:tbl>'
            f'</w:body></w:document>').encode()


def _zip_patched(version: int | None = None, utf8_name: bool = False) -> bytes:
    """A one-member zip whose central directory claims an unknown zip version, or a UTF-8 name that is not UTF-8."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", b"<x/>")
    data = bytearray(out.getvalue())
    cd = data.index(b"PK\x01\x02")
    if version is not None:
        data[cd + 6:cd + 8] = version.to_bytes(2, "little")      # version needed to extract
    if utf8_name:
        data[cd + 8:cd + 10] = (int.from_bytes(data[cd + 8:cd + 10], "little") | 0x800).to_bytes(2, "little")
        data[cd + 46] = 0xA4                                      # first byte of the name
    return bytes(data)


def reproducers() -> None:
    """Small hand-made inputs, one per kind of failure the fuzzing finds, plus hostile sizes, timed."""
    import sendnlp
    from sendnlp.readers import read_bytes
    from sendnlp.structure import parse

    _warm()  # spaCy, the model and the seed documents loaded before the clock starts
    cell = '<w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc>'
    spans = {n: _docx_with(_table(f'<w:tr><w:tc><w:tcPr><w:gridSpan w:val="{n}"/></w:tcPr><w:p><w:r><w:t>x'
                                  '</w:t></w:r></w:p></w:tc></w:tr>')) for n in (50_000, 100_000)}
    cases = [
        ("read_bytes html", "style on an element inside a display:none element",
         lambda: read_bytes(b'<p style="display:none"><span style="color:red">x</span></p><p>Dear Ms Reed</p>', "x", "html")),
        ("read_bytes html", "markup declaration '<![ x'", lambda: read_bytes(b"<p>Dear Ms Reed</p><![ x", "x", "html")),
        ("read_bytes docx", "table, first row cell with <w:vMerge/>",
         lambda: read_bytes(_docx_with(_table('<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>')), "x", "docx")),
        ("read_bytes docx", "table, <w:vMerge/> with no cell above at its offset",
         lambda: read_bytes(_docx_with(_table(f'<w:tr>{cell}</w:tr><w:tr>{cell}<w:tc><w:tcPr><w:vMerge/></w:tcPr>'
                                              f'<w:p/></w:tc></w:tr>')), "x", "docx")),
        ("read_bytes docx", 'table cell <w:gridSpan w:val="x"/>',
         lambda: read_bytes(_docx_with(_table('<w:tr><w:tc><w:tcPr><w:gridSpan w:val="x"/></w:tcPr><w:p/></w:tc></w:tr>')),
                            "x", "docx")),
        ("read_bytes docx", "word/document.xml is <x/>", lambda: read_bytes(_docx_with(b"<x/>"), "x", "docx")),
        ("read_bytes docx", "word/styles.xml is <x/>", lambda: read_bytes(_docx_with(styles_xml=b"<x/>"), "x", "docx")),
        ("read_bytes docx", "zip whose central directory says version 25.5",
         lambda: read_bytes(_zip_patched(version=255), "x", "docx")),
        ("read_bytes docx", "zip with the UTF-8 flag on a name that is not UTF-8",
         lambda: read_bytes(_zip_patched(utf8_name=True), "x", "docx")),
        ("structure.parse", "heading, blank, lower case: 'Main findings\\n\\nand then'",
         lambda: parse("Main findings\n\nand then")),
        ("structure.parse", "lower-case bullet: 'Dear..\\n\\nStrengths\\n\\n\u2022 leaders know..'",
         lambda: parse("Dear Ms Reed\n\nStrengths\n\n\u2022 leaders know their area well.\n")),
        ("structure.parse", "a lone surrogate: 'Dear Ms Reed \\ud800'", lambda: parse("Dear Ms Reed \ud800")),
        ("sendnlp.read", "1,000,005 bytes on one line (b'word ' * 200001)",
         lambda: sendnlp.read(b"word " * 200_001)),
        ("sendnlp.read", "a path with a NUL: 'abc\\x00.txt'", lambda: sendnlp.read("abc\x00.txt")),
        ("sendnlp.read", "a path with a lone surrogate: '\\ud800.pdf'", lambda: sendnlp.read("\ud800.pdf")),
        ("model.classify_sentences", "empty, blank, surrogate, 100,000-char sentences",
         lambda: model().classify_sentences(["", " ", "\ud800", "a" * 100_000])),
        ("read_bytes html", "5,000 nested <div> (55 KB)",
         lambda: read_bytes(b"<html><body>" + b"<div>" * 5000 + b"Dear Ms Reed" + b"</div>" * 5000, "x", "html")),
        ("read_bytes html", "10,000 nested <div> (110 KB)",
         lambda: read_bytes(b"<html><body>" + b"<div>" * 10_000 + b"Dear Ms Reed" + b"</div>" * 10_000, "x", "html")),
        ("read_bytes html", "20,000 nested <div> and 20,000 stray </p> (192 KB)",
         lambda: read_bytes(b"<html><body>" + b"<div>" * 20_000 + b"Dear Ms Reed" + b"</p>" * 20_000, "x", "html")),
        *((("read_bytes docx", f'one table cell <w:gridSpan w:val="{n}"/> ({len(data) / 1000:.0f} KB .docx)',
             lambda data=data: read_bytes(data, "x", "docx"))) for n, data in spans.items()),
    ]
    print("\n--- hand-made reproducers and hostile sizes (outcome, seconds) ---")
    signal.signal(signal.SIGALRM, _alarm)
    for entry, what, call in cases:
        started = time.perf_counter()
        signal.alarm(CASE_SECONDS)
        try:
            call()
            outcome = "ok"
        except sendnlp.ReadError as err:
            outcome = f"ReadError: {str(err)[:70]}"
        except Hang:
            outcome = f"HANG (over {CASE_SECONDS} s)"
        except Exception as err:  # noqa: BLE001
            outcome = f"CRASH {type(err).__module__}.{type(err).__name__}: {str(err).splitlines()[0][:90]}"
        finally:
            signal.alarm(0)
        print(f"{entry:<25} {what:<62} {time.perf_counter() - started:6.2f} s  {outcome}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False)
    parser.add_argument("--cases", type=int, default=10_000, help="cases per entry point")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--chunk", type=int, default=250)
    parser.add_argument("--only", action="append", choices=ENTRY_POINTS)
    parser.add_argument("--replay", nargs=2, metavar=("NAME", "INDEX"))
    parser.add_argument("--save")
    parser.add_argument("--no-reproducers", action="store_true")
    options = parser.parse_args()
    if options.replay:
        return replay(options.replay[0], int(options.replay[1]), options.seed, options.save)

    header(f"fuzz: {options.cases:,} cases per entry point, seed {options.seed}, {options.jobs} processes")
    entries = options.only or ENTRY_POINTS
    started = time.perf_counter()
    totals: dict[str, Counter] = defaultdict(Counter)
    crash_counts: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, dict[str, dict]] = defaultdict(dict)
    slow: dict[str, list] = defaultdict(list)
    longest: dict[str, tuple] = {}
    elapsed: Counter = Counter()
    broken: list[str] = []
    tasks = [(e, s, min(s + options.chunk, options.cases)) for e in entries for s in range(0, options.cases, options.chunk)]
    pending = list(tasks)
    while pending:
        with ProcessPoolExecutor(options.jobs, initializer=_warm) as pool:
            futures = {pool.submit(run_chunk, e, options.seed, a, b): (e, a, b) for e, a, b in pending}
            done_tasks = []
            try:
                for future in as_completed(futures):
                    e, a, b = futures[future]
                    result = future.result()
                    done_tasks.append((e, a, b))
                    totals[e].update(result["counts"])
                    elapsed[e] += result["seconds"]
                    crash_counts[e].update(result["crash_counts"])
                    for sig, ex in result["crashes"].items():
                        examples[e].setdefault(sig, ex)
                    slow[e] += result["slow"]
                    if result["max"][1] is not None and result["max"][0] >= longest.get(e, (0.0, None))[0]:
                        longest[e] = result["max"]
            except BrokenProcessPool:
                lost = [t for t in pending if t not in done_tasks]
                broken.append(f"a worker process died (segfault or out of memory?) while running one of "
                              f"{len(lost)} chunks; first: {lost[0]}")
                # rerun the rest; the chunk that kills a worker is run alone, case by case, to name it
                pending = lost
                if len(broken) > 3:
                    break
                continue
        pending = []
    wall = time.perf_counter() - started

    print(f"{'entry point':<27} {'cases':>7} {'ok':>7} {'ReadError':>9} {'crashes':>8} {'hangs':>6} {'slowest case':>14} {'cpu s':>7}")
    for e in entries:
        c = totals[e]
        cases = sum(c.values())
        slowest = longest.get(e, (0.0, None))
        print(f"{e:<27} {cases:7,} {c['ok']:7,} {c['expected']:9,} {c['crash']:8,} {c['hang']:6,} "
              f"{slowest[0]:7.2f} s #{slowest[1]:<5} {elapsed[e]:7.0f}")
    total_cases = sum(sum(c.values()) for c in totals.values())
    total_crashes = sum(c["crash"] + c["hang"] for c in totals.values())
    print(f"total: {total_cases:,} cases, {total_crashes:,} crashes/hangs, {wall:.0f} s wall on {options.jobs} processes")
    for note in broken:
        print(f"WORKER DIED: {note}")
    for e in entries:
        if slow[e]:
            print(f"slow cases (> {SLOW_SECONDS:g} s) in {e}: " + ", ".join(f"#{i} {t:.1f} s" for t, i in sorted(slow[e], reverse=True)[:10]))
    for e in entries:
        if not crash_counts[e]:
            continue
        print(f"\n--- crashes in {e} (distinct by exception type and place) ---")
        for sig, n in crash_counts[e].most_common():
            ex = examples[e][sig]
            print(f"[{n} cases] {sig}: {ex.get('message', '')}")
            print(f"  first case #{ex['index']} (replay: .venv/bin/python benchmarks/fuzz.py --replay '{e}' {ex['index']} "
                  f"--seed {options.seed})")
            print(f"  input: {ex.get('input', '')[:300]}")
            if ex.get("traceback"):
                print("  " + ex["traceback"].rstrip().replace("\n", "\n  "))
    if not options.no_reproducers:
        _quiet()
        reproducers()
    return 0


if __name__ == "__main__":
    sys.exit(main())
