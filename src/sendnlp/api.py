"""The public functions behind ``import sendnlp``: read, load and train."""
from __future__ import annotations

import os
from pathlib import Path

from . import readers, structure
from .errors import ReadError
from .settings import Limits

__all__ = ["read", "read_text"]


def _is_path(source: str) -> bool:
    return "\n" not in source and len(source) < 4096 and (os.path.exists(source) or readers.kind_of(source) is not None)


def read(source: str | os.PathLike | bytes, limits: Limits | None = None) -> structure.Document:
    """Parse a document without any model: a path, ``"-"`` for stdin, the text itself, or bytes.

    >>> doc = read("Joint local area SEND inspection in Eastmere\\n\\nDear Ms Reed\\n\\nMain findings\\n"
    ...            "• The Local Offer is well used by families.\\n")
    >>> doc.framework, doc.kind, doc.local_area, doc.sentences[-1].section
    ('2016', 'inspection', 'Eastmere', 'main_findings')
    """
    limits = limits or Limits.from_env()
    if isinstance(source, bytes):
        return structure.parse(readers.read_bytes(source, "<bytes>", None, limits))
    if isinstance(source, os.PathLike) or (isinstance(source, str) and source != "-" and _is_path(source)):
        path = str(source)
        return structure.parse(readers.read_path(path, limits), path)
    if source == "-":
        return structure.parse(readers.read_stdin(limits), "<stdin>")
    if not isinstance(source, str):
        raise ReadError(repr(source)[:60], "is neither a path, text nor bytes")
    return read_text(source)


def read_text(text: str, name: str | None = None) -> structure.Document:
    """Parse text already in memory."""
    if not text.strip():
        raise ReadError(name or "<text>", "no text found in the document")
    return structure.parse(text, name)
