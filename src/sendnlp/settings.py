"""Settings with their defaults, in one place: limits on hostile inputs and file types.

Every limit can be changed per call (``Limits(max_bytes=...)``) or through the environment
(``SENDNLP_MAX_BYTES``, ``SENDNLP_MAX_PAGES``, ``SENDNLP_MAX_UNZIPPED_BYTES``, ``SENDNLP_SECONDS``).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields

__all__ = ["Limits", "SUFFIXES"]

# File endings sendnlp reads, each with the reader that takes it.
SUFFIXES: dict[str, str] = {".pdf": "pdf", ".txt": "text", ".text": "text",
                            ".html": "html", ".htm": "html", ".docx": "docx"}


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return type(default)(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number") from None


@dataclass(frozen=True)
class Limits:
    """Limits on one input document; a breach is that document's error, never the batch's."""

    max_bytes: int = 50_000_000          # bytes in one file
    max_pages: int = 300                 # pages in one PDF
    max_unzipped_bytes: int = 100_000_000  # decompressed size of a .docx
    seconds: float = 120.0               # wall-clock seconds to read and parse one document

    @classmethod
    def from_env(cls) -> "Limits":
        """The defaults, overridden by SENDNLP_<NAME> environment variables."""
        return cls(**{f.name: _env_number(f"SENDNLP_{f.name.upper()}", f.default) for f in fields(cls)})
