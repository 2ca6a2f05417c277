"""Features: the sentence vectoriser and the document-level findings features.

Module-level functions only, so that model files hold no code of their own.
"""
from __future__ import annotations

import re
from itertools import chain

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .labels import THEME_IDS
from .nlp import analyse

__all__ = ["sentence_vectorizer", "tfidf_transform", "CUES", "cue_matrix", "others_mean", "own_theme_features",
           "theme_features",
           "FINDINGS_ROLES", "MASKED_SECTIONS", "document_features", "DOCUMENT_FEATURES"]


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


# Cues: what a sentence does, not only which words it holds. Written from the guide's definition of
# joint commissioning (docs/labelling.md: leaders plan, fund, buy, review or jointly evaluate services
# across education, health and care; pooled or aligned budgets; sufficiency planning; commissioning
# gaps), which real reports state in many words ("leaders have reviewed the AP offer", "a shortage of
# special school places") that no single word feature carries. One 0/1 column each.
_ACT = (r"(?:plan|plans|planned|planning|fund|funds|funded|funding|buy|buys|bought|purchas\w*|procur\w*|"
        r"invest\w*|review\w*|evaluat\w*|commission\w*|recommission\w*|decommission\w*)")
_OBJ = r"(?:services?|provision|offers?|placements?|places|capacity|contracts?|budgets?)"
CUES: dict[str, re.Pattern] = {
    "cue:act_on_services": re.compile(rf"\b{_ACT}\b(?:\W+\w+){{0,6}}?\W+{_OBJ}\b", re.I),
    "cue:services_acted_on": re.compile(rf"\b{_OBJ}\b(?:\W+\w+){{0,4}}?\W+(?:are|is|were|was|being|been)\W+{_ACT}\b",
                                        re.I),
    "cue:across_agencies": re.compile(r"\b(?:across|between) (?:education, health and (?:social )?care|agencies|"
                                      r"education and health|health and (?:social )?care)\b|"
                                      r"\bjoint(?:ly)? (?:evaluat\w*|review\w*|plan\w*|fund\w*|commission\w*)", re.I),
    "cue:budget": re.compile(r"\bbudgets?\b|\b(?:pooled|aligned|joint|shared) (?:funding|resources)\b", re.I),
    "cue:sufficiency": re.compile(r"\bsufficiency\b|\b(?:gaps?|shortages?|lack) (?:in|of) (?:\w+ ){0,3}?"
                                  r"(?:provision|places|placements|services?)\b", re.I),
    "cue:commissioning": re.compile(r"\b(?:re|de)?commission\w*", re.I),
}


# A word each cue needs (its start, lower case); a substring scan for them spares most sentences
# the cue patterns, which give the same answer without it.
_GATES: dict[str, tuple[str, ...]] = {
    "cue:act_on_services": ("plan", "fund", "buy", "bought", "purchas", "procur", "invest", "review", "evaluat",
                            "commission", "recommission", "decommission"),
    "cue:across_agencies": ("across", "between", "joint"),
    "cue:budget": ("budget", "pooled", "aligned", "joint", "shared"),
    "cue:sufficiency": ("sufficiency", "gap", "shortage", "lack"),
    "cue:commissioning": ("commission", "recommission", "decommission"),
}
_GATES["cue:services_acted_on"] = _GATES["cue:act_on_services"]
_GATE_WORDS = tuple(sorted({w for ws in _GATES.values() for w in ws}))
_GATED = [(j, rx.search, frozenset(_GATES[name])) for j, (name, rx) in enumerate(CUES.items())]


def cue_matrix(texts: list[str]) -> sparse.csr_matrix:
    """One row per text, one 0/1 column per :data:`CUES` pattern found in it.

    >>> cue_matrix(["Leaders have reviewed the AP offer.", "It started in October."]).toarray().tolist()
    [[1.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]
    """
    out = np.zeros((len(texts), len(CUES)), dtype=np.float32)
    for i, text in enumerate(texts):
        lower = text.lower()
        found = {w for w in _GATE_WORDS if w in lower}
        if found:
            for j, search, gate in _GATED:
                if not gate.isdisjoint(found) and search(text):
                    out[i, j] = 1.0
    return sparse.csr_matrix(out)


def others_mean(M, blocks) -> sparse.csr_matrix | np.ndarray:
    """Per row, the mean of the other rows of ``M`` in the same block; zeros for a row alone.

    ``blocks`` holds a block key per row (None or NaN where the row stands alone). ``M`` may be
    dense or sparse; the result is of the same kind.

    >>> others_mean(np.array([[1.0], [3.0], [5.0]]), ["a", "a", None]).tolist()
    [[3.0], [1.0], [0.0]]
    """
    n = M.shape[0]
    codes: dict = {}
    rows, cols = [], []
    for i, key in enumerate([] if blocks is None else blocks):
        if key is not None and key == key:
            rows.append(i)
            cols.append(codes.setdefault(key, len(codes)))
    if len(codes) == len(rows):  # no row shares its block: nothing to average
        return sparse.csr_matrix(M.shape, dtype=M.dtype) if sparse.issparse(M) else np.zeros_like(M)
    G = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(codes)))
    n_others = np.asarray(G @ G.sum(axis=0).T).ravel() - 1  # -1 for a row in no block
    scale = sparse.diags(np.where(n_others > 0, 1.0 / np.maximum(n_others, 1), 0.0))
    own = scale @ M
    out = scale @ (G @ (G.T @ M)) - own
    return sparse.csr_matrix(out, dtype=M.dtype) if sparse.issparse(M) else np.asarray(out)


def own_theme_features(X: sparse.csr_matrix, texts: list[str]) -> sparse.csr_matrix:
    """A sentence's own half of :func:`theme_features`: its words and its cues."""
    return sparse.hstack([X, cue_matrix(texts)], format="csr", dtype=np.float32)


def theme_features(X: sparse.csr_matrix, texts: list[str], blocks=None) -> sparse.csr_matrix:
    """What the theme heads read: the sentence's words and cues, and the mean of its bullet's others'."""
    own = own_theme_features(X, texts)
    return sparse.hstack([own, others_mean(own, blocks)], format="csr", dtype=np.float32)


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
