"""The public functions behind ``import sendnlp``: read, load and train."""
from __future__ import annotations

import os
import time
from pathlib import Path

from . import readers, structure
from .errors import ReadError
from .settings import Limits

__all__ = ["read", "read_text", "load", "train", "default_model_dir"]


def _is_path(source: str) -> bool:
    """Whether a string names a file rather than holding a document's text: it exists, has an ending
    we read, or (one word) has a folder separator or any file ending, so a mistyped path is reported as
    missing rather than classified as a one-sentence document.

    >>> [_is_path(s) for s in ("letters/eastmere", "old-letter.doc", "notes.pdf", "The offer is poor.")]
    [True, True, True, False]
    """
    if "\n" in source or len(source) >= 4096:
        return False
    one_word = not any(ch.isspace() for ch in source)
    return (os.path.exists(source) or readers.kind_of(source) is not None
            or (one_word and ("/" in source or os.sep in source or Path(source).suffix != "")))


def read(source: str | os.PathLike | bytes, limits: Limits | None = None) -> structure.Document:
    """Parse a document without any model (see :func:`_read`); any failure is a one-line ReadError."""
    try:
        return _read(source, limits)
    except ReadError:
        raise
    except Exception as err:  # a bug or an input we never imagined: still this input's error, in one line
        name = str(source)[:80] if isinstance(source, (str, os.PathLike)) else "<bytes>"
        raise ReadError(name, f"could not be parsed ({type(err).__name__}: {str(err)[:120]})") from None


def _read(source: str | os.PathLike | bytes, limits: Limits | None = None) -> structure.Document:
    """Parse a document without any model: a path, ``"-"`` for stdin, the text itself, or bytes.

    >>> doc = read("Joint local area SEND inspection in Eastmere\\n\\nDear Ms Reed\\n\\nMain findings\\n"
    ...            "• The Local Offer is well used by families.\\n")
    >>> doc.framework, doc.kind, doc.local_area, doc.sentences[-1].section
    ('2016', 'inspection', 'Eastmere', 'main_findings')
    """
    limits = limits or Limits.from_env()
    deadline = time.monotonic() + limits.seconds
    if isinstance(source, bytes):
        return structure.parse(readers.read_bytes(source, "<bytes>", None, limits), "<bytes>", deadline)
    if isinstance(source, os.PathLike) or (isinstance(source, str) and source != "-" and _is_path(source)):
        path = str(source)
        return structure.parse(readers.read_path(path, limits), path, deadline)
    if source == "-":
        return structure.parse(readers.read_stdin(limits), "<stdin>", deadline)
    if not isinstance(source, str):
        raise ReadError(repr(source)[:60], "is neither a path, text nor bytes")
    return read_text(source, limits=limits)


def read_text(text: str, name: str | None = None, limits: Limits | None = None) -> structure.Document:
    """Parse text already in memory."""
    limits = limits or Limits.from_env()
    if not text.strip():
        raise ReadError(name or "<text>", "no text found in the document")
    if len(text) > limits.max_bytes:
        raise ReadError(name or "<text>", f"text is over the limit of {limits.max_bytes:,} characters")
    return structure.parse(text, name, time.monotonic() + limits.seconds)


def default_model_dir() -> Path:
    """The bundled default model: package data after ``pip install``, or ``models/default`` in a checkout."""
    from importlib import resources

    try:
        bundled = Path(str(resources.files("sendnlp.models").joinpath("default")))
        if (bundled / "card.json").is_file():
            return bundled
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "models" / "default"


def load(path: str | os.PathLike | None = None):
    """Load a model directory (default: the bundled model). Types outside the trusted list are refused."""
    from .classify import Model

    return Model.load(default_model_dir() if path is None else path)


def train(*paths: str | os.PathLike, seed: int = 0):
    """Train a model on corpus folders (``*.sentences.jsonl``) and/or folders of documents (silver labels)."""
    from .training import train as _train

    return _train(paths, seed=seed)
