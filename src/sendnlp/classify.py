"""The main job: a loaded model classifies documents and sentences.

``Model.classify`` reads a document, tags every sentence (in its bullet's context), and predicts the
outcome from the findings alone beside the outcome the document states.
"""
from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from . import api, persist
from .errors import ReadError, SendnlpError
from .features import document_features
from .labels import BOILERPLATE_SECTIONS, DESCRIPTIVE_SECTIONS, FORMAL_ACTION, POLARITIES, THEME_IDS
from .outcome import OutcomeModel
from .settings import Limits
from .structure import Document
from .tagger import SentenceTagger

__all__ = ["Model", "Result", "SentenceResult", "sentence_frame", "block_key", "reading_texts"]


@dataclass
class SentenceResult:
    index: int
    text: str
    section: str
    bullet: int | None
    heading: bool
    outcome_statement: bool
    polarity: str
    scores: dict[str, float]
    themes: list[str]
    theme_scores: dict[str, float]
    terms: list[str] = field(default_factory=list)


@dataclass
class Result:
    path: str | None
    framework: str | None = None
    kind: str | None = None
    local_area: str | None = None
    inspection_dates: str | None = None
    stated_outcome: str | None = None
    predicted_outcome: str | None = None
    outcome_scores: dict[str, float] | None = None
    formal_action_probability: float | None = None
    outcome_disagrees: bool | None = None
    revisit_progress: list[int] | None = None
    revisit_weaknesses: list[dict] = field(default_factory=list)
    weighing: list[dict] = field(default_factory=list)        # features that weigh most for the outcome
    key_findings: list[int] = field(default_factory=list)     # sentence indices that weigh most
    sentences: list[SentenceResult] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def to_frame(self):
        """One row a sentence (a pandas DataFrame), with the document's path beside it."""
        import pandas as pd

        rows = []
        for s in self.sentences:
            row = {"path": self.path, "index": s.index, "text": s.text, "section": s.section, "bullet": s.bullet,
                   "heading": s.heading, "outcome_statement": s.outcome_statement, "polarity": s.polarity,
                   **{f"p_{k}": v for k, v in s.scores.items()}, "themes": s.themes,
                   **{f"p_{k}": v for k, v in s.theme_scores.items()}, "terms": s.terms}
            rows.append(row)
        return pd.DataFrame(rows)


def block_key(section: str, bullet, document: str = "") -> str | None:
    """The key that groups a bullet's sentences (None for prose), the same in training and use."""
    index = _bullet_index(bullet)
    return None if index is None else f"{document}/{section}/{index}"


def reading_texts(documents, sections, bullets, texts, headings=None) -> list[str]:
    """What the tagger reads for each sentence, the same in training and use: the sentence itself, or
    for an item of a list the sentence that introduces the list and then the item, as a reader takes
    it ("Children wait too long for: physiotherapy."; "Leaders should focus on: sharing plans ...").
    A list's items are the bullets of one sentence each that follow a prose sentence ending in a colon,
    in its document and section; a longer bullet, prose or a heading ends the list.

    >>> reading_texts("dddd", "ssss", [None, 0, 1, None], ["Waits are long for:", "OT.", "SALT.", "Next."])
    ['Waits are long for:', 'Waits are long for: OT.', 'Waits are long for: SALT.', 'Next.']
    >>> reading_texts("ddddd", "sssss", [None, 0, 1, 1, 2], ["For:", "A.", "B.", "C.", "D."])  # bullet 1 ends it
    ['For:', 'For: A.', 'B.', 'C.', 'D.']
    """
    rows = list(zip(documents, sections, map(_bullet_index, bullets)))
    headings = [False] * len(rows) if headings is None else list(headings)
    out: list[str] = []
    lead: tuple | None = None  # (document, section, text) of the sentence introducing a list
    for i, (row, text, heading) in enumerate(zip(rows, texts, headings)):
        if heading or row[2] is None:  # a heading or prose: it may introduce a list
            lead = (*row[:2], text) if not heading and text.rstrip().endswith(":") else None
            out.append(text)
            continue
        one_sentence = (i == 0 or rows[i - 1] != row) and (i + 1 == len(rows) or rows[i + 1] != row)
        lead = lead if lead is not None and one_sentence and lead[:2] == row[:2] else None
        out.append(f"{lead[2]} {text}" if lead else text)
    return out


def _bullet_index(bullet) -> int | None:
    """A bullet's index, or None for prose (None, NaN or pandas' NA)."""
    try:
        return int(bullet)
    except (TypeError, ValueError):
        return None


def sentence_frame(doc: Document) -> dict[str, np.ndarray]:
    """A document's sentences as the columns the tagger and the document features read (``text``:
    what the tagger reads, :func:`reading_texts`)."""
    sentences = doc.sentences
    return {
        "index": np.array([s.index for s in sentences], dtype=int),
        "text": reading_texts([""] * len(sentences), [s.section for s in sentences], [s.bullet for s in sentences],
                              [s.text for s in sentences], [s.heading for s in sentences]),
        "section": np.array([s.section for s in sentences], dtype=object),
        "bullet": np.array([np.nan if s.bullet is None else s.bullet for s in sentences], dtype=float),
        "heading": np.array([s.heading for s in sentences], dtype=bool),
        "outcome_statement": np.array([s.outcome_statement for s in sentences], dtype=bool),
        "block": np.array([block_key(s.section, s.bullet) for s in sentences], dtype=object),
    }


def _round(values: np.ndarray) -> list[float]:
    return [round(float(v), 4) for v in values]


class Model:
    """A trained sendnlp model: a sentence tagger and an outcome model, with their card."""

    def __init__(self, tagger: SentenceTagger, outcome: OutcomeModel, card: dict | None = None):
        self.tagger = tagger
        self.outcome = outcome
        self.card = card or {}

    # --- persistence --------------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        from .training import card_markdown

        return persist.save_model_files({"tagger.npz": self.tagger, "outcome.npz": self.outcome},
                                        self.card, path, card_markdown)

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Model":
        parts, card = persist.load_model_files(path, {"tagger.npz": SentenceTagger.from_arrays,
                                                      "outcome.npz": OutcomeModel.from_arrays})
        return cls(parts["tagger.npz"], parts["outcome.npz"], card)

    # --- sentences ----------------------------------------------------------------------------
    def _tag(self, texts: list[str], blocks=None, explain: bool = False):
        X = self.tagger.transform(texts)
        pol = self.tagger.polarity_proba(X, blocks)
        themes = self.tagger.theme_proba(X, blocks)
        labels = np.asarray(POLARITIES)[pol.argmax(axis=1)]
        terms = self.tagger.explain(X, labels) if explain else None
        return pol, themes, labels, terms

    def _theme_lists(self, theme_p: np.ndarray) -> list[list[str]]:
        rows, cols = np.nonzero(self.tagger.theme_decisions(theme_p))
        out: list[list[str]] = [[] for _ in range(len(theme_p))]
        for i, j in zip(rows.tolist(), cols.tolist()):
            out[i].append(THEME_IDS[j])
        return out

    def classify_sentences(self, sentences: Iterable[str], explain: bool = False):
        """Sentences read one by one (no context): polarity, its probabilities, themes and theirs.

        Columns: text, polarity, p_strength, p_weakness, p_neutral, themes, p_<theme> per theme
        (and terms, with ``explain=True``). A single string is one sentence, not its characters.
        """
        import pandas as pd

        texts = [sentences] if isinstance(sentences, str) else [str(s) for s in sentences]
        if not texts:
            return pd.DataFrame(columns=["text", "polarity", *(f"p_{p}" for p in POLARITIES), "themes",
                                         *(f"p_{t}" for t in THEME_IDS)])
        pol, theme_p, labels, terms = self._tag(texts, explain=explain)
        frame = pd.DataFrame({"text": texts, "polarity": labels})
        for j, p in enumerate(POLARITIES):
            frame[f"p_{p}"] = pol[:, j]
        frame["themes"] = self._theme_lists(theme_p)
        for j, t in enumerate(THEME_IDS):
            frame[f"p_{t}"] = theme_p[:, j]
        if explain:
            frame["terms"] = terms
        return frame

    # --- documents ----------------------------------------------------------------------------
    def classify_document(self, doc: Document) -> Result:
        """Classify a parsed document."""
        result = Result(path=doc.path, framework=doc.framework, kind=doc.kind, local_area=doc.local_area,
                        inspection_dates=doc.inspection_dates, stated_outcome=doc.stated_outcome,
                        revisit_progress=list(doc.revisit_progress) if doc.revisit_progress else None,
                        revisit_weaknesses=doc.revisit_weaknesses)
        frame = sentence_frame(doc)
        if not frame["text"]:
            return result
        pol, theme_p, labels, terms = self._tag(frame["text"], frame["block"], explain=True)
        heading = frame["heading"]
        neutral = heading | np.isin(frame["section"], DESCRIPTIVE_SECTIONS)  # by structure, not by words
        pol[neutral] = [0.0, 0.0, 1.0]
        theme_p[heading | np.isin(frame["section"], BOILERPLATE_SECTIONS)] = 0.0
        labels = np.where(neutral, "neutral", labels)
        themes = self._theme_lists(theme_p)
        for i, s in enumerate(doc.sentences):
            result.sentences.append(SentenceResult(
                s.index, s.text, s.section, s.bullet, s.heading, s.outcome_statement, str(labels[i]),
                dict(zip(POLARITIES, _round(pol[i]))), themes[i], dict(zip(THEME_IDS, _round(theme_p[i]))),
                [] if neutral[i] else terms[i]))
        if doc.kind == "inspection" and doc.framework in ("2016", "2023"):
            for j, p in enumerate(POLARITIES):
                frame[f"p_{p}"] = pol[:, j]
            for j, t in enumerate(THEME_IDS):
                frame[f"p_{t}"] = theme_p[:, j]
            f = document_features(frame, doc.framework)
            outcome, scores, p_formal = self.outcome.predict(f, doc.framework, doc.year)
            result.predicted_outcome, result.outcome_scores = outcome, scores
            result.formal_action_probability = p_formal
            if doc.stated_outcome is not None:
                result.outcome_disagrees = doc.stated_outcome != outcome
            result.weighing = [{"feature": n, "push": v} for n, v in self.outcome.weigh(f)[:3]]
            result.key_findings = _key_findings(frame, outcome in FORMAL_ACTION or outcome == "inconsistent")
        return result

    def classify(self, source: str | os.PathLike | bytes, limits: Limits | None = None) -> Result:
        """Read and classify one document: a path, ``"-"`` for stdin, the text itself, or bytes."""
        return self.classify_document(api.read(source, limits))

    def classify_many(self, paths: Iterable[str | os.PathLike], n_jobs: int = 1,
                      limits: Limits | None = None) -> Iterator[Result]:
        """Results in input order; an input that cannot be read gives a Result with ``error`` set."""
        limits = limits or Limits.from_env()
        if n_jobs == 1:
            for path in paths:
                yield _classify_safely(self, path, limits)
            return
        from joblib import Parallel, delayed

        # a worker process cannot read this process's standard input: read "-" here, before the others
        sources = [_read_safely("-", limits) if path == "-" else path for path in paths]
        yield from Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_classify_safely)(self, source, limits) for source in sources)


def _key_findings(frame: dict, adverse: bool, k: int = 3) -> list[int]:
    """The findings sentences that point most strongly towards (or, where not adverse, against) concern."""
    from .features import FINDINGS_ROLES

    keep = np.flatnonzero(np.array([s in FINDINGS_ROLES for s in frame["section"]], dtype=bool)
                          & ~frame["heading"] & ~frame["outcome_statement"])
    margin = frame["p_weakness"][keep] - frame["p_strength"][keep]
    order = np.argsort(-margin if adverse else margin, kind="stable")[:k]
    return [int(frame["index"][keep[i]]) for i in order]


def _read_safely(path, limits: Limits) -> Document | Result:
    """The parsed document, or a Result carrying why it could not be read."""
    try:
        return api.read(path, limits)
    except SendnlpError as err:
        return Result(path=_name(path), error=str(err))


def _name(path) -> str:
    return "<stdin>" if path == "-" else str(path)


def _classify_safely(model: Model, path, limits: Limits) -> Result:
    """One input (a path, text, or a document or error already read) classified, or its error."""
    started = time.monotonic()
    doc = path if isinstance(path, (Document, Result)) else _read_safely(path, limits)
    if isinstance(doc, Result):
        return doc
    try:
        if time.monotonic() - started > limits.seconds:
            raise ReadError(str(path), f"took over {limits.seconds:g} seconds (SENDNLP_SECONDS)")
        return model.classify_document(doc)
    except SendnlpError as err:
        return Result(path=_name(path), error=str(err))
    except Exception as err:  # a bug or an input we never imagined: this input's error, not the batch's
        return Result(path=_name(path), error=f"{path}: could not be classified ({type(err).__name__}: {err})")
