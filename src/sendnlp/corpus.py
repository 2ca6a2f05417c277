"""The corpus: its format, loading and validation, rendering back to text, and silver labels.

A corpus folder holds ``<batch>.documents.jsonl`` and ``<batch>.sentences.jsonl`` files (see
``corpus/README.md``). Silver batches, made from real documents by :func:`silver_from_documents`,
carry a polarity only where the section gives one, and no themes (``null``). A corpus folder may
also hold ``<name>.themes.csv``: theme labels for sentences of documents that are not in the corpus
(real reports we may read but not copy), keyed by document, section, bullet, place in the bullet and
a hash of the text (:func:`load_theme_labels`).
"""
from __future__ import annotations

import hashlib
import json
import textwrap
import warnings
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Iterable

import pandas as pd

from .errors import CorpusError
from .labels import FRAMEWORKS, KINDS, OUTCOMES, POLARITIES, SECTION_POLARITY, SECTIONS, THEME_IDS
from .structure import NOT_RECOGNISED, Document

__all__ = ["Corpus", "load_corpus", "load_theme_labels", "text_key", "render", "silver_records", "silver_from_documents",
           "write_batch"]

_SENTENCE_FIELDS = {"id": str, "document": str, "section": str, "text": str, "outcome_statement": bool}
_DOCUMENT_FIELDS = {"document": str, "framework": str, "kind": str}


@dataclass
class Corpus:
    """Sentences and documents as DataFrames, and the hash of the files they came from."""

    sentences: pd.DataFrame
    documents: pd.DataFrame
    sha256: str
    files: list[str]

    def document_text(self, document: str, wrap: int | None = 90) -> str:
        rows = self.sentences[self.sentences["document"] == document]
        return render(_records(rows), wrap=wrap)


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with None (not NaN) for missing values, and whole-number bullets."""
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for r in records:
        if r.get("bullet") is not None:
            r["bullet"] = int(r["bullet"])
    return records


def _read_jsonl(path: Path) -> list[dict]:
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise CorpusError(f"{path}:{number}: not valid JSON ({err.msg})") from None
    return records


def _check(record: dict, fields: dict, where: str) -> None:
    for name, kind in fields.items():
        if not isinstance(record.get(name), kind):
            raise CorpusError(f"{where}: field {name!r} missing or not {kind.__name__}")


def _validate_sentence(r: dict, where: str) -> None:
    _check(r, _SENTENCE_FIELDS, where)
    if r["section"] not in SECTIONS:
        raise CorpusError(f"{where}: unknown section {r['section']!r}")
    if r.get("polarity") is not None and r["polarity"] not in POLARITIES:
        raise CorpusError(f"{where}: polarity {r['polarity']!r} is not one of {POLARITIES}")
    themes = r.get("themes")
    if themes is not None and (not isinstance(themes, list) or set(themes) - set(THEME_IDS)):
        raise CorpusError(f"{where}: themes {themes!r} not a list of {THEME_IDS}")
    bullet = r.get("bullet")
    if bullet is not None and (not isinstance(bullet, int) or bullet < 0):
        raise CorpusError(f"{where}: bullet must be null or a whole number >= 0")


def _validate_document(r: dict, where: str) -> None:
    _check(r, _DOCUMENT_FIELDS, where)
    if r["framework"] not in FRAMEWORKS or r["kind"] not in KINDS:
        raise CorpusError(f"{where}: framework/kind {r['framework']!r}/{r['kind']!r} unknown")
    outcome = r.get("outcome")
    if outcome is not None and outcome not in OUTCOMES[r["framework"]]:
        raise CorpusError(f"{where}: outcome {outcome!r} is not one of {OUTCOMES[r['framework']]}")


THEME_LABEL_COLUMNS = ("document", "section", "bullet", "n", "sha1", "themes")


def text_key(text: str) -> str:
    """The short hash that ties a theme label to a sentence's text without storing the text.

    >>> text_key("Leaders plan services together.")
    '0d0f33615f54'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def load_theme_labels(folder: str | Path) -> list[tuple[Path, pd.DataFrame]]:
    """Every ``*.themes.csv`` in a corpus folder, validated: (path, frame with ``themes`` as lists)."""
    out = []
    for path in sorted(Path(folder).glob("*.themes.csv")):
        try:
            frame = pd.read_csv(path, dtype={"document": str, "section": str, "sha1": str, "themes": str},
                                keep_default_na=False)
        except (OSError, ValueError) as err:
            raise CorpusError(f"{path}: unreadable theme labels ({err.__class__.__name__})") from None
        if tuple(frame.columns) != THEME_LABEL_COLUMNS:
            raise CorpusError(f"{path}: columns must be {', '.join(THEME_LABEL_COLUMNS)}")
        frame["themes"] = [[t for t in cell.split(";") if t] for cell in frame["themes"]]
        bullet = pd.to_numeric(frame["bullet"].replace("", -1), errors="coerce")  # empty: a prose sentence
        if bullet.isna().any() or (bullet % 1 != 0).any():
            raise CorpusError(f"{path}: bullet must be a whole number or empty")
        frame["bullet"] = bullet.astype(int)
        for line, (section, themes) in enumerate(zip(frame["section"], frame["themes"]), start=2):
            bad = [t for t in themes if t not in THEME_IDS]
            if bad or section not in SECTIONS:
                raise CorpusError(f"{path}:{line}: unknown theme or section {(bad or [section])[0]!r}")
        out.append((path, frame))
    return out


def load_corpus(*paths: str | Path) -> Corpus:
    """Load and validate every batch in the given folders (or single ``*.sentences.jsonl`` files)."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(p.glob("*.sentences.jsonl"))
        elif p.name.endswith(".sentences.jsonl"):
            files.append(p)
        else:
            raise CorpusError(f"{p}: not a corpus folder or a .sentences.jsonl file")
    if not files:
        raise CorpusError(f"{', '.join(map(str, paths))}: no *.sentences.jsonl files found")
    digest = hashlib.sha256()
    sentences: list[dict] = []
    documents: list[dict] = []
    for sfile in files:
        dfile = sfile.with_name(sfile.name.replace(".sentences.jsonl", ".documents.jsonl"))
        if not dfile.exists():
            raise CorpusError(f"{sfile}: no matching {dfile.name}")
        for f in (sfile, dfile):
            digest.update(f.read_bytes())
        docs = _read_jsonl(dfile)
        for i, r in enumerate(docs, start=1):
            _validate_document(r, f"{dfile}:{i}")
        known = {d["document"] for d in docs}
        rows = _read_jsonl(sfile)
        for i, r in enumerate(rows, start=1):
            _validate_sentence(r, f"{sfile}:{i}")
            if r["document"] not in known:
                raise CorpusError(f"{sfile}:{i}: document {r['document']!r} not in {dfile.name}")
        sentences += rows
        documents += docs
    s = pd.DataFrame(sentences)
    d = pd.DataFrame(documents)
    for frame, key, what in ((s, "id", "sentence id"), (d, "document", "document id")):
        dup = frame[key][frame[key].duplicated()]
        if len(dup):
            raise CorpusError(f"duplicate {what} {dup.iloc[0]!r}")
    for column in ("bullet", "polarity", "themes"):
        if column not in s:
            s[column] = None
    s["heading"] = s.get("heading", False)
    s["heading"] = s["heading"].fillna(False).astype(bool)
    return Corpus(s, d, digest.hexdigest(), [str(f) for f in files])


def render(rows: Iterable[dict], wrap: int | None = 90) -> str:
    """A document's sentence records back to the text of a letter or report.

    Headings stand on their own line, each bullet is one ``•`` item, prose runs in paragraphs of up
    to three sentences; ``wrap`` hard-wraps lines as a PDF extraction would.
    """
    blocks: list[str] = []
    for (section, bullet, heading), group in groupby(rows, key=lambda r: (r["section"], r.get("bullet"), r.get("heading"))):
        texts = [r["text"] for r in group]
        if heading:
            blocks += texts
        elif bullet is not None:
            blocks.append("• " + " ".join(texts))
        elif section == "front" or section == "closing":
            blocks += texts
        else:
            blocks += [" ".join(texts[i:i + 3]) for i in range(0, len(texts), 3)]
    if wrap:
        blocks = [textwrap.fill(b, wrap, break_long_words=False, break_on_hyphens=False,
                                subsequent_indent="  " if b.startswith("• ") else "") for b in blocks]
    return "\n\n".join(blocks) + "\n"


def silver_records(doc: Document, name: str) -> tuple[dict, list[dict]]:
    """A parsed document as corpus records: polarity from the section it stands in, no themes."""
    document = {"document": name, "framework": doc.framework, "kind": doc.kind, "local_area": doc.local_area,
                "inspection_dates": doc.inspection_dates, "outcome": doc.stated_outcome,
                "revisit_progress": list(doc.revisit_progress) if doc.revisit_progress else None,
                "voice": "silver: labels from the document's own structure"}
    rows = []
    for s in doc.sentences:
        polarity = SECTION_POLARITY.get(s.section) if s.bullet is not None else None
        rows.append({"id": f"{name}-{s.index:04d}", "document": name, "section": s.section, "bullet": s.bullet,
                     "heading": s.heading, "text": s.text, "polarity": polarity, "themes": None,
                     "outcome_statement": s.outcome_statement})
    return document, rows


def silver_from_documents(docs: Iterable[tuple[str, Document]]) -> Corpus:
    """Silver-labelled corpus (in memory) from parsed documents, named by the given ids."""
    documents, sentences = [], []
    digest = hashlib.sha256()
    for name, doc in docs:
        if doc.framework is None:
            warnings.warn(f"skipped {name}: {NOT_RECOGNISED}", stacklevel=2)
            continue
        d, rows = silver_records(doc, name)
        documents.append(d)
        sentences += rows
        digest.update(doc.text.encode())
    s = pd.DataFrame(sentences, columns=["id", "document", "section", "bullet", "heading", "text", "polarity",
                                         "themes", "outcome_statement"])
    return Corpus(s, pd.DataFrame(documents), digest.hexdigest(), [])


def write_batch(corpus: Corpus, folder: str | Path, batch: str) -> tuple[Path, Path]:
    """Write a corpus as one batch (``<batch>.documents.jsonl``, ``<batch>.sentences.jsonl``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{batch}.documents.jsonl", folder / f"{batch}.sentences.jsonl"
    for path, frame in zip(out, (corpus.documents, corpus.sentences)):
        records = _records(frame)
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return out
