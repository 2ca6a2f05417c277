"""Training: corpora (gold JSONL batches and folders of real documents) to a :class:`Model`.

A folder holding ``*.sentences.jsonl`` files is a labelled corpus; any other folder is read as
documents whose structure gives silver labels (bullets under strengths headings are strengths,
under weaknesses headings weaknesses; outcomes as the documents state them).
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import warnings
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from . import api, readers
from .classify import Model, block_key, reading_texts
from .corpus import Corpus, load_corpus, load_theme_labels, silver_from_documents, text_key
from .errors import CorpusError, SendnlpError
from .features import document_features
from .labels import POLARITIES, THEME_IDS
from .outcome import OutcomeModel
from .persist import sha256
from .structure import inspection_year
from .tagger import SentenceTagger

__all__ = ["train", "TrainingData", "load_training_data", "find_real_reports", "card_markdown"]

_FRAME_COLUMNS = ["text", "polarity", "themes", "document", "section", "bullet", "heading", "outcome_statement",
                  "block", "source", "sha1"]


def find_real_reports() -> Path | None:
    """The shared folder of real reports, where it exists (SENDNLP_REAL_REPORTS, or ../shared beside the checkout)."""
    candidates = [os.environ.get("SENDNLP_REAL_REPORTS"), Path.cwd().parent / "shared" / "real-reports",
                  Path(__file__).resolve().parents[3] / "shared" / "real-reports"]
    for c in candidates:
        if c and Path(c).is_dir() and any(Path(c).glob("*.pdf")):
            return Path(c)
    return None


class TrainingData:
    """Sentences (gold and silver) and documents, in the frames training and evaluation read."""

    def __init__(self, sentences: pd.DataFrame, documents: pd.DataFrame, sources: list[dict]):
        self.sentences = sentences.reset_index(drop=True)
        self.documents = documents.reset_index(drop=True)
        self.sources = sources

    def require(self, documents: int) -> None:
        """Raise :class:`CorpusError` unless there is enough to fit the models on: polarity labels
        from at least ``documents`` documents (grouped folds need them) and some theme labels."""
        s = self.sentences
        labelled = s.loc[s["polarity"].notna(), "document"].nunique()
        where = ", ".join(src["path"] for src in self.sources)
        if labelled < documents:
            raise CorpusError(f"{where}: labelled sentences from {labelled} document(s); training needs at least "
                              f"{documents}")
        if s["polarity"].dropna().nunique() < 2:
            raise CorpusError(f"{where}: every labelled sentence has the same polarity; training needs two at least")
        if not s["themes"].map(lambda t: isinstance(t, list)).any():
            raise CorpusError(f"{where}: no theme labels; train on a labelled corpus (such as corpus/) beside "
                              f"your documents")


def _sentence_frame(corpus: Corpus, source: str) -> pd.DataFrame:
    """The sentences (no headings), with ``text`` what the tagger reads (:func:`reading_texts`: a list's
    item after the sentence that introduces it) and ``sha1`` the key of the sentence's own text."""
    c, heading = corpus.sentences, corpus.sentences["heading"].astype(bool).to_numpy()
    read = reading_texts(c["document"], c["section"], c["bullet"], c["text"], heading)  # a heading ends a list
    s = c.assign(sha1=[text_key(t) for t in c["text"]], text=read)[~heading].copy()
    s["block"] = [block_key(sec, b, d) for d, sec, b in zip(s["document"], s["section"], s["bullet"])]
    s["source"] = source
    return s[_FRAME_COLUMNS]


def _documents(frame_docs: pd.DataFrame, source: str) -> pd.DataFrame:
    d = frame_docs.copy()
    d["year"] = d["inspection_dates"].map(lambda t: inspection_year(t if isinstance(t, str) else None))
    d["source"] = source
    return d[["document", "framework", "kind", "outcome", "year", "source"]]


def _apply_theme_labels(sentences: pd.DataFrame, path: Path, labels: pd.DataFrame) -> dict | None:
    """Give silver sentences the themes a ``*.themes.csv`` holds for them (matched by place and text hash).

    Returns the source record, or None where none of the labelled documents is among the inputs.
    """
    silver = sentences.index[sentences["source"] == "silver"]
    rows = sentences.loc[silver]
    keys = pd.DataFrame({"row": silver, "document": rows["document"].to_numpy(), "section": rows["section"].to_numpy(),
                         "bullet": rows["bullet"].fillna(-1).astype(int).to_numpy(),  # -1: prose
                         "sha1": rows["sha1"].to_numpy()})
    keys["n"] = keys.groupby(["document", "section", "bullet"]).cumcount()
    present = labels[labels["document"].isin(set(keys["document"]))]
    if present.empty:
        return None
    labels = present.astype({"document": object, "section": object, "sha1": object})
    matched = keys.merge(labels, on=["document", "section", "bullet", "n", "sha1"], how="inner")
    for row, themes in zip(matched["row"], matched["themes"]):
        sentences.at[row, "themes"] = list(themes)
    missed = len(labels) - len(matched)
    if missed:
        warnings.warn(f"{path}: {missed} of {len(labels)} theme labels match no sentence (text or place "
                      "changed); they are left out", stacklevel=3)
    return {"path": str(path), "kind": "theme labels for sentences of real documents", "sha256": sha256(path),
            "documents": int(labels["document"].nunique()), "sentences": int(len(matched))}


def load_training_data(paths: Iterable[str | os.PathLike]) -> TrainingData:
    """Corpus folders and folders of documents (silver labels) to one :class:`TrainingData`.

    Files that cannot be read or are no letter or report, and theme labels that match no sentence,
    are reported as :class:`UserWarning` and left out; filter those to silence them.
    """
    frames, docs, sources, theme_labels = [], [], [], []
    for p in map(Path, paths):
        if p.is_dir() and any(p.glob("*.sentences.jsonl")) or p.name.endswith(".sentences.jsonl"):
            corpus = load_corpus(p)
            frames.append(_sentence_frame(corpus, "corpus"))
            docs.append(_documents(corpus.documents, "corpus"))
            sources.append({"path": str(p), "kind": "labelled corpus", "sha256": corpus.sha256,
                            "documents": len(corpus.documents), "sentences": int((~corpus.sentences["heading"]).sum())})
            if p.is_dir():
                theme_labels += load_theme_labels(p)
            continue
        files = readers.walk([p])
        if not files:
            raise CorpusError(f"{p}: no corpus batches and no readable documents found")
        parsed = []
        for f in files:
            try:
                parsed.append((Path(f).stem, api.read(f)))
            except SendnlpError as err:
                warnings.warn(f"skipped {err}", stacklevel=2)
        silver = silver_from_documents(parsed)
        s = _sentence_frame(silver, "silver")
        frames.append(s)
        docs.append(_documents(silver.documents, "silver"))
        sources.append({"path": str(p), "kind": "documents (silver labels from structure)", "sha256": silver.sha256,
                        "documents": len(silver.documents), "sentences": int(s["polarity"].notna().sum()),
                        "names": sorted(silver.documents["document"]) if len(silver.documents) else []})
    if not frames:
        raise CorpusError("no training data given")
    sentences = pd.concat(frames, ignore_index=True)
    documents = pd.concat(docs, ignore_index=True)
    for path, labels in theme_labels:
        source = _apply_theme_labels(sentences, path, labels)
        if source is not None:
            sources.append(source)
    dup = documents["document"][documents["document"].duplicated()]
    if len(dup):
        raise CorpusError(f"document id {dup.iloc[0]!r} appears twice in the training data")
    return TrainingData(sentences, documents, sources)


def prediction_frame(sentences: pd.DataFrame, proba: np.ndarray, theme_p: np.ndarray) -> pd.DataFrame:
    """The columns document features read: structure beside polarity and theme probabilities."""
    frame = sentences[["document", "section", "bullet", "heading", "outcome_statement"]].copy()
    for j, p in enumerate(POLARITIES):
        frame[f"p_{p}"] = proba[:, j]
    for j, t in enumerate(THEME_IDS):
        frame[f"p_{t}"] = theme_p[:, j]
    return frame


def outcome_documents(documents: pd.DataFrame) -> pd.DataFrame:
    """The documents an outcome model learns from or is scored on: inspections with an outcome."""
    return documents[(documents["kind"] == "inspection") & documents["outcome"].notna()].reset_index(drop=True)


def document_matrix(predictions: pd.DataFrame, docs: pd.DataFrame) -> np.ndarray:
    """One row of document features per document, from its sentences' predictions."""
    by_document = dict(tuple(predictions.groupby("document", sort=False)))
    none = predictions.iloc[:0]
    return np.vstack([document_features(by_document.get(d, none), fw) for d, fw in zip(docs["document"], docs["framework"])])


def oof_document_features(tagger: SentenceTagger, data: TrainingData) -> pd.DataFrame:
    """Predictions from the tagger's out-of-fold sentence scores (no document scores itself)."""
    proba = tagger.calibrate(tagger.oof_["logp"], data.sentences["block"].to_numpy())
    return prediction_frame(data.sentences, proba, tagger.oof_["themes"])


def fit_outcome(features: pd.DataFrame, documents: pd.DataFrame, seed: int = 0) -> tuple[OutcomeModel, np.ndarray, pd.DataFrame]:
    docs = outcome_documents(documents)
    F = document_matrix(features, docs)
    model = OutcomeModel(random_state=seed).fit(F, docs["framework"].tolist(), docs["outcome"].tolist())
    return model, F, docs


def train(paths: Iterable[str | os.PathLike], seed: int = 0, data: TrainingData | None = None) -> Model:
    """Train a model on labelled corpora and/or folders of documents (silver labels)."""
    data = data or load_training_data(paths)
    data.require(documents=2)
    tagger = SentenceTagger(random_state=seed).fit(data.sentences)
    features = oof_document_features(tagger, data)
    outcome, F, docs = fit_outcome(features, data.documents, seed)
    card = {
        "name": "sendnlp sentence tagger and outcome model",
        "created": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seed": seed,
        "training_data": data.sources,
        "real_reports_included": any(src["kind"].startswith("documents") for src in data.sources),
        "counts": {
            "sentences": int(len(data.sentences)),
            "polarity_labelled": int(data.sentences["polarity"].notna().sum()),
            "theme_labelled": int(data.sentences["themes"].map(lambda t: isinstance(t, list)).sum()),
            "outcome_documents": {f: int((docs["framework"] == f).sum()) for f in ("2016", "2023")},
        },
        "settings": {"tagger": {k: getattr(tagger, k) for k in ("C", "theme_C", "context_C", "min_df", "folds")},
                     "outcome": {"C": outcome.C}, "theme_thresholds": tagger.thresholds_,
                     "vocabulary_size": len(tagger.vectorizer_.vocabulary_)},
        "metrics": {},
    }
    return Model(tagger, outcome, card)


def card_markdown(card: dict) -> str:
    """The model card for people."""
    lines = [f"# {card.get('name', 'sendnlp model')}", "",
             f"Created {card.get('created')} with seed {card.get('seed')}.", "",
             "## Training data", ""]
    for src in card.get("training_data", []):
        lines.append(f"- `{src['path']}`: {src['kind']}, {src['documents']} documents, {src['sentences']} labelled "
                     f"sentences, sha256 `{src['sha256'][:16]}...`")
    if not card.get("real_reports_included"):
        lines.append("- No real reports: trained on the team's own corpus alone.")
    lines += ["", "## Settings", "", "```json", json.dumps(card.get("settings", {}), indent=2), "```"]
    if card.get("metrics"):
        lines += ["", "## Metrics (grouped cross-validation)", "", "```json",
                  json.dumps(card["metrics"], indent=2), "```"]
    lines += ["", "## Versions", "", "```json", json.dumps(card.get("versions", {}), indent=2), "```",
              "", "## Files (SHA-256)", "", "```json", json.dumps(card.get("files", {}), indent=2), "```",
              "", "## Limits", "",
              "- Polarity is learnt from the team's written corpus and, where present, section-derived (silver)",
              "  labels of real 2023 reports; themes from the written corpus and, where those reports are present,",
              "  the team's theme labels of their bullet sentences (`corpus/*.themes.csv`).",
              "- Outcome predictions rest on few documents (tens, not hundreds): read them as a second opinion.",
              ""]
    return "\n".join(lines)
