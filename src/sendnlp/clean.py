"""Cleaning: raw text to clean lines, and clean lines to blocks (paragraphs and bullets).

What goes: running headers and footers, page numbers, layout whitespace. What is repaired:
hard line wraps, words hyphenated across a line break (only those), curly quotes and dashes,
bullet glyphs (all become ``•``). No word of the body is lost.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable

__all__ = ["Line", "Block", "normalise", "clean_lines", "blocks", "BULLET", "SENTENCE_END"]

BULLET = "•"
MAX_BLOCK = 5000  # characters: a longer run of unbroken lines is not a paragraph; it is cut here
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\t": " ",
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
    # PDFium's mark for a hyphen at a line end, whose line break it drops ("multi\ufffeagency"): the
    # hyphen and the break are put back, so the line-join rule (_joiner) decides whether it stays
    "\ufffe": "-\n",
    # bullet glyphs, including the private-use ones that Symbol and Wingdings fonts extract as
    "\u25fc": BULLET, "\u25aa": BULLET, "\u25a0": BULLET, "\u25fe": BULLET, "\u25cf": BULLET,
    "\u2022": BULLET, "\u00b7": BULLET, "\u2023": BULLET, "\u2043": BULLET, "\u25e6": BULLET,
    "\u2219": BULLET, "\uf0b7": BULLET, "\uf0a7": BULLET, "\uf0d8": BULLET, "\uf076": BULLET,
    "\uf0fc": BULLET, "\u27a2": BULLET,
})
_SURROGATE = re.compile("[\ud800-\udfff]")
_BULLET_START = re.compile(r"^(?:•|[-*o](?=\s)|\d{1,2}[.)](?=\s+[A-Z]))\s*")
# a line that ends a sentence (curly closing quotes too: a reader's raw text is not yet normalised)
SENTENCE_END = re.compile(r"[.!?:;]['\")\]\u2019\u201d]?$")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$|^-\s*\d{1,3}\s*-$", re.I)
# Furniture that stands anywhere (text pasted from a PDF keeps it even without page breaks).
_FURNITURE = re.compile(r"^(?:area send inspection report:.*|.*\bpage \d+ of \d+)$", re.I)
_SUFFIXES = ("tion", "tions", "sion", "sions", "ment", "ments", "ness", "ing", "ity", "ities", "ed", "es",
             "ance", "ence", "ances", "ences", "ally", "ful", "less", "able", "ible", "ive", "ives", "ous",
             "ure", "ate", "ated", "ates", "ation", "ations", "ial", "ent", "ents", "ant", "ants", "er",
             "ers", "ly", "ise", "ised", "ize", "ized", "ship", "ships", "hood", "al", "ist", "ists")


@dataclass(frozen=True)
class Line:
    """One physical line of clean text; ``page`` counts from 1."""

    text: str
    page: int
    bullet: bool = False


@dataclass(frozen=True)
class Block:
    """A paragraph or a bullet: wrapped lines joined back into one unit."""

    text: str
    page: int
    bullet: bool


def normalise(text: str) -> str:
    """Unicode normal form, straight quotes, plain dashes and one bullet glyph.

    >>> normalise("\u201cCo\u2011production\u201d \u2013 ﬁne\u00a0now \u25fc")
    '"Co-production" - fine now •'
    """
    text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFKC", text.translate(_TRANSLATE)).translate(_TRANSLATE)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _furniture(pages: list[list[str]]) -> set[str]:
    """Shapes of lines that recur at the top or bottom of at least half of the pages."""
    if len(pages) < 3:
        return set()
    edges: Counter[str] = Counter()
    for lines in pages:
        body = [l for l in lines if l.strip()]
        edges.update({_shape(l) for l in body[:3] + body[-3:]})
    return {shape for shape, n in edges.items() if n >= max(2, len(pages) // 2) and len(shape) < 160}


def _pieces(line: str) -> list[str]:
    """A line longer than a block may be, cut at spaces (or hard) into pieces that fit."""
    if len(line) <= MAX_BLOCK:
        return [line]
    pieces = []
    while len(line) > MAX_BLOCK:
        cut = line.rfind(" ", 0, MAX_BLOCK)
        cut = cut if cut > 0 else MAX_BLOCK
        pieces.append(line[:cut])
        line = line[cut:].lstrip()
    return pieces + ([line] if line else [])


def clean_lines(raw: str) -> list[Line]:
    """Normalised, non-empty lines without page furniture; bullets marked and their glyph dropped."""
    pages = [page.split("\n") for page in normalise(raw).split("\f")]
    furniture = _furniture(pages)
    out: list[Line] = []
    for number, lines in enumerate(pages, start=1):
        body = [piece for l in lines for piece in _pieces(" ".join(l.split()))]
        nonempty = [i for i, l in enumerate(body) if l]
        edge = set(nonempty[:3] + nonempty[-3:]) if len(pages) > 1 else set()
        for i, line in enumerate(body):
            if not line:
                if out and out[-1].text:
                    out.append(Line("", number))  # a blank line ends a block
                continue
            if _FURNITURE.match(line) or (i in edge and (_PAGE_NUMBER.match(line) or _shape(line) in furniture)):
                continue
            marker = _BULLET_START.match(line)
            if marker and not line.startswith(BULLET) and out and len(out[-1].text) > 60 \
                    and not SENTENCE_END.search(out[-1].text):
                marker = None  # a dash or number that a wrap put at the start of a line mid-sentence
            if marker:
                rest = line[marker.end():].strip()
                if rest:
                    out.append(Line(rest, number, True))
                continue  # a bullet glyph alone on a line marks nothing
            out.append(Line(line, number))
    return out


def _joiner(left: str, right: str, vocabulary: set[str]) -> tuple[str, str]:
    """How to join a wrapped line to the next: (left as it ends, separator), repairing a word broken
    by a hyphen at the line end and keeping a real hyphen (co-|produced, Multi-|Agency) that happened
    to fall there."""
    m = re.search(r"([A-Za-z]+)-$", left[-40:])
    n = re.match(r"([A-Za-z]+)", right)
    if m and n and not left.endswith("--"):
        head, tail = m.group(1), n.group(1)
        if tail[0].isupper():  # a capital after the break: a compound (Southend-on-|Sea), never one word
            return left, ""
        whole = (head + tail).lower()
        if f"{head}-{tail}".lower() in vocabulary and whole not in vocabulary:
            return left, ""
        if whole in vocabulary or tail.lower() in _SUFFIXES:
            return left[:-1], ""
        return left, ""
    return left, " "


def _vocabulary(lines: Iterable[Line]) -> set[str]:
    return {w.lower() for line in lines for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", line.text)}


def blocks(lines: list[Line], is_heading: Callable[[str], bool] = lambda s: False) -> list[Block]:
    """Join wrapped lines into blocks.

    A block ends at a blank line, before a bullet, around a heading, and after a line that is
    visibly shorter than the text width and ends a sentence (the last line of a paragraph).
    """
    widths = sorted(len(l.text) for l in lines if len(l.text) > 30)
    width = widths[int(len(widths) * 0.8)] if widths else 80
    vocabulary = _vocabulary(lines)
    out: list[Block] = []
    current: list[str] = []  # the block's pieces, joined when it closes
    page, bullet, open_, wrapped_heading = 1, False, False, False

    size = 0

    def close() -> None:
        nonlocal current, open_, size, wrapped_heading
        if current:
            out.append(Block("".join(current), page, bullet))
        current, open_, size, wrapped_heading = [], False, 0, False

    def extend(text: str) -> None:
        nonlocal size
        current[-1], separator = _joiner(current[-1], text, vocabulary)
        current.extend((separator, text))
        size += len(text) + 1

    for line in lines:
        if not line.text:
            close()
            continue
        if wrapped_heading:  # a heading that wrapped onto a second line goes on in lower case
            wrapped_heading = False
            if current and line.text[:1].islower():
                extend(line.text)
                close()
                continue
            close()
        heading = not line.bullet and is_heading(line.text)
        if line.bullet or heading or not open_:
            close()
            current, page, bullet, size = [line.text], line.page, line.bullet, len(line.text)
        else:
            extend(line.text)
        open_ = True
        if heading and not SENTENCE_END.search(line.text):
            wrapped_heading = True
        elif heading or size > MAX_BLOCK or (len(line.text) < 0.8 * width and SENTENCE_END.search(line.text)):
            close()
    close()
    return out
