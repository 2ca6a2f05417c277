"""The errors sendnlp raises on purpose: each carries a one-line message naming its input."""
from __future__ import annotations

__all__ = ["SendnlpError", "ReadError", "ModelError", "CorpusError"]


class SendnlpError(Exception):
    """Base class: ``str(err)`` is a one-line message fit to show a user."""


class ReadError(SendnlpError):
    """An input could not be read or parsed (unreadable, empty, too large, needs OCR...)."""

    def __init__(self, source: str, reason: str):
        self.source, self.reason = source, reason
        super().__init__(f"{source}: {reason}")


class ModelError(SendnlpError):
    """A model file could not be trusted or loaded."""


class CorpusError(SendnlpError):
    """A corpus file does not follow the documented format."""
