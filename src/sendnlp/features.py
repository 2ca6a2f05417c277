"""Features: the sentence vectoriser and the document-level findings features.

Module-level functions only, so that model files hold no code of their own.
"""
from __future__ import annotations

from itertools import chain

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .labels import THEME_IDS
from .nlp import analyse

__all__ = ["sentence_vectorizer", "tfidf_transform", "FINDINGS_ROLES", "MASKED_SECTIONS", "document_features", "DOCUMENT_FEATURES"]


def sentence_vectorizer(min_df: int = 2, max_ngram: int = 2) -> TfidfVectorizer:
    """Word and word-pair TF-IDF over :func:`sendnlp.nlp.analyse` tokens (negation kept, terms joined)."""
    return TfidfVectorizer(tokenizer=analyse, lowercase=False, token_pattern=None, ngram_range=(1, max_ngram),
                           min_df=min_df, sublinear_tf=True, dtype=np.float32)


def tfidf_transform(vectorizer: TfidfVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """The same matrix as ``vectorizer.transform(texts)`` for a fitted :func:`sentence_vectorizer`,
    about twice as fast: word pairs are joined and looked up in C loops, weights set in numpy.
    """
    get = vectorizer.vocabulary_.get
    indices: list[int] = []
    indptr = [0]
    for text in texts:
        tokens = analyse(text)
        pairs = map(" ".join, zip(tokens, tokens[1:])) if vectorizer.ngram_range[1] > 1 else ()
        indices += [i for i in map(get, chain(tokens, pairs)) if i is not None]
        indptr.append(len(indices))
    n_features = len(vectorizer.vocabulary_)
    X = sparse.csr_matrix((np.ones(len(indices), dtype=np.float64), np.asarray(indices, dtype=np.int64),
                           np.asarray(indptr, dtype=np.int64)), shape=(len(texts), n_features))
    X.sum_duplicates()
    if vectorizer.sublinear_tf:
        np.log(X.data, X.data)
        X.data += 1
    X.data *= np.asarray(vectorizer.idf_)[X.indices]
    norms = np.sqrt(np.bincount(np.repeat(np.arange(X.shape[0]), np.diff(X.indptr)), weights=X.data ** 2,
                                minlength=X.shape[0]))
    X.data /= np.repeat(np.where(norms == 0, 1, norms), np.diff(X.indptr))
    return X.astype(vectorizer.dtype)


# The findings a document's outcome is predicted from, by role. Sections left out either state the
# outcome or exist only because of it (the WSOA list, areas for priority action), or hold no findings.
FINDINGS_ROLES: dict[str, str] = {
    "main_findings": "summary", "what_it_is_like": "summary",
    "identifying_strengths": "strengths", "assessing_strengths": "strengths", "outcomes_strengths": "strengths",
    "effective": "strengths",
    "identifying_weaknesses": "weaknesses", "assessing_weaknesses": "weaknesses",
    "outcomes_weaknesses": "weaknesses", "do_better": "weaknesses",
}
MASKED_SECTIONS = ("outcome", "significant_weaknesses", "priority_actions", "improvements")

_ROLES = ("summary", "strengths", "weaknesses")
DOCUMENT_FEATURES: tuple[str, ...] = (
    "is_2023", "log_strength_bullets", "log_weakness_bullets", "bullet_balance",
    *(f"weak_share_{r}" for r in _ROLES), *(f"weak_margin_{r}" for r in _ROLES),
    "weak_share_all", *(f"weak_{t}" for t in THEME_IDS),
)


def _bullets(values) -> np.ndarray:
    """Bullet indices as floats, NaN where a sentence is prose (None, NaN or missing)."""
    return np.array([np.nan if b is None or b != b else float(b) for b in values], dtype=float)


def document_features(sentences, framework: str | None) -> np.ndarray:
    """Numbers that summarise a document's findings, from its sentence predictions.

    ``sentences`` maps column names to sequences (a dict of arrays, or a DataFrame): section, bullet,
    heading, outcome_statement, p_strength, p_weakness and p_<theme>. Sentences that state the
    outcome and sections outside :data:`FINDINGS_ROLES` are ignored.
    """
    section = np.asarray(sentences["section"], dtype=object)
    keep = (~np.asarray(sentences["heading"], dtype=bool)) & (~np.asarray(sentences["outcome_statement"], dtype=bool))
    keep &= np.array([s in FINDINGS_ROLES for s in section], dtype=bool)
    role = np.array([FINDINGS_ROLES[s] for s in section[keep]], dtype=object)
    p_strength = np.asarray(sentences["p_strength"], dtype=float)[keep]
    p_weakness = np.asarray(sentences["p_weakness"], dtype=float)[keep]
    weak = (p_weakness > p_strength).astype(float)
    margin = p_weakness - p_strength
    bullet = _bullets(sentences["bullet"])[keep]
    bullets = {(sec, b) for sec, b in zip(section[keep], bullet) if b == b}
    n_strength = sum(FINDINGS_ROLES[sec] == "strengths" for sec, _ in bullets)
    n_weakness = sum(FINDINGS_ROLES[sec] == "weaknesses" for sec, _ in bullets)

    def mean(values: np.ndarray) -> float:
        return float(values.mean()) if len(values) else 0.0

    row = [float(framework == "2023"), np.log1p(n_strength), np.log1p(n_weakness),
           (n_weakness - n_strength) / max(1, n_weakness + n_strength)]
    row += [mean(weak[role == r]) for r in _ROLES]
    row += [mean(margin[role == r]) for r in _ROLES]
    row.append(mean(weak))
    for theme in THEME_IDS:
        column = f"p_{theme}"
        row.append(mean(weak * (np.asarray(sentences[column], dtype=float)[keep] > 0.5)) if column in sentences else 0.0)
    return np.asarray(row, dtype=float)
