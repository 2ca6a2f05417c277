"""sendnlp: read local area SEND inspection letters and reports, tag their sentences, predict outcomes.

The public API, re-exports only.
"""
from .api import load, read, read_text, train
from .errors import CorpusError, ModelError, ReadError, SendnlpError
from .classify import Model, Result, SentenceResult
from .settings import Limits
from .structure import Document, Section, Sentence

__version__ = "0.1.0"
__all__ = ["read", "read_text", "load", "train", "Model", "Result", "SentenceResult", "Document", "Section", "Sentence", "Limits",
           "SendnlpError", "ReadError", "ModelError", "CorpusError", "__version__"]
