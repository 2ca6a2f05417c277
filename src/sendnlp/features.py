"""Features: what the sentence models read (TF-IDF words and guide cues, in one pass over the
analysed tokens; the bullet's other sentences for themes) and the document-level findings features.

Module-level functions only, so that model files hold no code of their own.
"""
from __future__ import annotations

from functools import reduce
from itertools import chain, repeat
from operator import or_

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from .labels import THEME_IDS
from .nlp import analyse

__all__ = ["sentence_vectorizer", "sentence_features", "feature_names", "CUES", "cue_columns", "others_mean",
           "theme_features",
           "FINDINGS_ROLES", "MASKED_SECTIONS", "document_features", "DOCUMENT_FEATURES"]


def sentence_vectorizer(min_df: int = 2, max_ngram: int = 2) -> TfidfVectorizer:
    """Word and word-pair TF-IDF over :func:`sendnlp.nlp.analyse` tokens (negation kept, terms joined)."""
    return TfidfVectorizer(tokenizer=analyse, lowercase=False, token_pattern=None, ngram_range=(1, max_ngram),
                           min_df=min_df, sublinear_tf=True, dtype=np.float32)


def sentence_features(vectorizer: TfidfVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """What the models read of each sentence: the fitted :func:`sentence_vectorizer`'s TF-IDF columns
    (the same values as ``vectorizer.transform(texts)``), then one 0/1 column per :data:`CUES`.

    One pass of :func:`sendnlp.nlp.analyse` per text gives both. Word pairs are joined and looked up
    in C loops and the weights set in numpy, about twice as fast as ``vectorizer.transform``.
    """
    get = vectorizer.vocabulary_.get
    pairs_too = vectorizer.ngram_range[1] > 1
    indices: list[int] = []
    indptr = [0]
    cue_rows: list[int] = []
    cue_cols: list[int] = []
    for i, text in enumerate(texts):
        tokens = analyse(text)
        pairs = map(" ".join, zip(tokens, tokens[1:])) if pairs_too else ()
        indices += map(get, chain(tokens, pairs), repeat(-1))  # -1: not in the vocabulary, dropped below
        indptr.append(len(indices))
        found = cue_columns(tokens)
        if found:
            cue_rows += [i] * len(found)
            cue_cols += found
    C = sparse.csr_matrix((np.ones(len(cue_rows), dtype=np.float32), (cue_rows, cue_cols)),
                          shape=(len(texts), len(CUES)))
    return sparse.hstack([_tfidf(vectorizer, indices, indptr), C], format="csr", dtype=vectorizer.dtype)


def _tfidf(vectorizer: TfidfVectorizer, indices: list[int], indptr: list[int]) -> sparse.csr_matrix:
    """Rows of vocabulary columns (repeats counted; -1 for a word not in it) to the vectorizer's TF-IDF weights."""
    columns = np.asarray(indices, dtype=np.int64)
    known = columns >= 0
    indptr = np.concatenate([[0], np.cumsum(known)])[np.asarray(indptr, dtype=np.int64)]
    X = sparse.csr_matrix((np.ones(int(known.sum()), dtype=np.float64), columns[known], indptr),
                          shape=(len(indptr) - 1, len(vectorizer.vocabulary_)))
    X.sum_duplicates()
    if vectorizer.sublinear_tf:
        np.log(X.data, X.data)
        X.data += 1
    X.data *= np.asarray(vectorizer.idf_)[X.indices]
    norms = np.sqrt(np.bincount(np.repeat(np.arange(X.shape[0]), np.diff(X.indptr)), weights=X.data ** 2,
                                minlength=X.shape[0]))
    X.data /= np.repeat(np.where(norms == 0, 1, norms), np.diff(X.indptr))
    return X.astype(vectorizer.dtype)


def feature_names(vectorizer: TfidfVectorizer) -> np.ndarray:
    """The name of each column of :func:`sentence_features`: the vocabulary's terms, then the cues."""
    return np.concatenate([vectorizer.get_feature_names_out(), np.array(CUES, dtype=object)])


# Cues: what a sentence does, not only which words it holds. Written from the guide's definition of
# joint commissioning (docs/labelling.md: leaders plan, fund, buy, review or jointly evaluate services
# across education, health and care; pooled or aligned budgets; sufficiency planning; commissioning
# gaps, a plain shortage of places included), which real reports state in many words ("leaders have
# reviewed the AP offer", "too few specialist places", "the range of short breaks is limited",
# "leaders have increased capacity") that no single word feature carries; and from the guide's line
# between co-production and communication (what families' views shape, against views only heard).
# They are read from the analysed tokens (lower case, domain terms joined, "not_" before negated
# words), so they cost no second pass.
CUES: tuple[str, ...] = ("cue:act_on_services", "cue:services_acted_on", "cue:across_agencies", "cue:budget",
                         "cue:sufficiency", "cue:commissioning", "cue:grow_services", "cue:views_shape",
                         "cue:views_heard", "cue:participation_group")
(_ACT_ON, _ACTED_ON, _ACROSS_AGENCIES, _BUDGET, _SUFFICIENCY, _COMMISSIONING, _GROW_SERVICES, _VIEWS_SHAPE,
 _VIEWS_HEARD, _PARTICIPATION_GROUP) = range(len(CUES))

# What a word can be in a cue, as bits. The lists are closed (every form spelt out, "not_" forms
# added), so one set lookup per sentence tells whether any cue can start.
(_ACT, _JOINT_ACT, _COMMISSION, _OBJECT, _PLACES, _ACROSS, _JOINT, _BUDGET_WORD, _SHARED, _FUNDS, _SHORT,
 _SUFFICIENCY_WORD, _BE, _GROW, _VIEWS, _SHAPES, _HEARD, _YOUNG, _GROUP) = (1 << k for k in range(19))
_STARTS = (_ACT | _ACROSS | _JOINT | _BUDGET_WORD | _SHARED | _SHORT | _SUFFICIENCY_WORD | _COMMISSION | _GROW
           | _VIEWS | _GROUP)
_COMMISSION_WORDS = ("commission", "commissions", "commissioned", "commissioning", "commissioner", "commissioners",
                     "recommission", "recommissioned", "recommissioning", "decommission", "decommissioned",
                     "decommissioning", "t:joint_commissioning")
_JOINT_ACTS = ("plan", "plans", "planned", "planning", "fund", "funds", "funded", "funding", "review", "reviews",
               "reviewed", "reviewing", "evaluate", "evaluates", "evaluated", "evaluating", "evaluation",
               "evaluations", *_COMMISSION_WORDS)
_ACTS = (*_JOINT_ACTS, "buy", "buys", "bought", "buying", "purchase", "purchases", "purchased", "purchasing",
         "procure", "procures", "procured", "procuring", "procurement", "invest", "invests", "invested", "investing",
         "investment", "investments")
_PLACE_WORDS = ("provision", "provisions", "places", "placement", "placements", "service", "services", "t:ap")
# what an area has too little of (a plain shortage is a commissioning gap), or grows, opens or redesigns
_SUPPLY_WORDS = (*_PLACE_WORDS, "capacity", "space", "breaks")
_GROUPS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (_ACT, _ACTS), (_JOINT_ACT, _JOINT_ACTS), (_COMMISSION, _COMMISSION_WORDS),
    (_OBJECT, (*_PLACE_WORDS, "offer", "offers", "capacity", "contract", "contracts", "budget", "budgets",
               "t:local_offer")),
    (_ACROSS, ("across", "between")), (_JOINT, ("joint", "jointly", "t:joint_commissioning")),
    (_BUDGET_WORD, ("budget", "budgets")), (_SHARED, ("pooled", "aligned", "joint", "shared")),
    (_FUNDS, ("funding", "resources")), (_PLACES, _SUPPLY_WORDS),
    (_SHORT, ("gap", "gaps", "shortage", "shortages", "lack", "insufficient", "insufficiency", "few", "fewer",
              "enough", "limited", "scarce", "availability", "unavailable")),
    (_SUFFICIENCY_WORD, ("sufficiency", "t:jsna")), (_BE, ("are", "is", "were", "was", "being", "been")),
    (_GROW, ("increase", "increases", "increased", "increasing", "expand", "expands", "expanded", "expanding",
             "extend", "extends", "extended", "extending", "establish", "establishes", "established", "establishing",
             "create", "creates", "created", "creating", "open", "opens", "opened", "opening", "design", "designs",
             "designed", "designing", "redesign", "redesigns", "redesigned", "redesigning")),
    # co-production against communication: families' views shaping plans, services or strategy,
    # against views heard, gathered or captured with nothing said of what they shape
    (_VIEWS, ("views", "voice", "voices", "wishes", "aspirations", "opinions", "ideas", "feedback", "comments",
              "contribution", "contributions", "contribute", "contributes", "contributed", "contributing",
              "participate", "participates", "participated", "participating", "participation")),
    (_SHAPES, ("plan", "plans", "planning", "t:ehc_plan", "inform", "informs", "informed", "informing", "shape",
               "shapes", "shaped", "shaping", "influence", "influences", "influenced", "influencing", "decision",
               "decisions", "decision-making", "design", "designs", "designed", "designing", "t:coproduction",
               "develop", "develops", "developed", "developing", "development", "strategy", "strategies",
               "strategic", "improve", "improves", "improved", "improving", "improvement", "improvements", "change",
               "changes", "changed", "act", "acts", "acted", "acting", "account", "review", "reviews",
               *_COMMISSION_WORDS)),
    (_HEARD, ("heard", "hear", "hears", "listen", "listens", "listened", "listening", "gather", "gathers",
              "gathered", "gathering", "capture", "captures", "captured", "capturing", "seek", "seeks", "sought",
              "seeking", "share", "shares", "shared", "sharing", "express", "expresses", "expressed", "expressing")),
    (_YOUNG, ("youth", "participation", "young")),
    (_GROUP, ("forum", "forums", "group", "groups", "council", "councils", "panel", "panels", "advisors",
              "advisers", "ambassadors", "champions")),
)


def _word_bits() -> dict[str, int]:
    """Each word of :data:`_GROUPS`, and its "not_" form, with the bits of every group it is in."""
    out: dict[str, int] = {}
    for bit, words in _GROUPS:
        for word in words:
            for token in (word, "not_" + word):
                out[token] = out.get(token, 0) | bit
    return out


_WORD_BITS = _word_bits()
_STARTERS = frozenset(token for token, bits in _WORD_BITS.items() if bits & _STARTS)
_AGENCIES = (("agencies",), ("education", ",", "health", "and", "care"), ("education", ",", "health", "and", "social",
             "care"), ("education", "and", "health"), ("health", "and", "care"), ("health", "and", "social", "care"))


def _agencies_follow(tokens: list[str], i: int) -> bool:
    """Whether "agencies" or "education, health and care" (and the like) follows token ``i``."""
    return any([t[4:] if t.startswith("not_") else t for t in tokens[i + 1: i + 1 + len(words)]] == list(words)
               for words in _AGENCIES)


def _positions(marked: list[tuple[int, int]], bit: int) -> list[int]:
    """Where the words that can play one part of a cue stand (``marked``: (position, bits) pairs)."""
    return [i for i, k in marked if k & bit]


def cue_columns(tokens: list[str]) -> list[int]:
    """The :data:`CUES` (as column numbers) that a sentence's :func:`sendnlp.nlp.analyse` tokens raise.

    >>> from sendnlp.nlp import analyse
    >>> [CUES[j] for j in cue_columns(analyse("Leaders have reviewed the AP offer."))]
    ['cue:act_on_services']
    >>> cue_columns(analyse("It started in October."))
    []
    """
    if _STARTERS.isdisjoint(tokens):  # most sentences
        return []
    kinds = [_WORD_BITS.get(t, 0) for t in tokens]
    n = len(kinds)
    marked = [(i, k) for i, k in enumerate(kinds) if k]
    every = reduce(or_, kinds)
    found = []
    if every & _ACT and every & _OBJECT:
        acts, objects = _positions(marked, _ACT), _positions(marked, _OBJECT)
        # leaders plan / fund / review ... (up to six tokens) ... services, provision, places
        if any(0 < o - a <= 7 for a in acts for o in objects):
            found.append(_ACT_ON)
        # services ... (up to four tokens) ... are / were / being + planned, funded, reviewed
        if any(1 < a - o <= 6 and kinds[a - 1] & _BE for a in acts for o in objects):
            found.append(_ACTED_ON)
    # joint(ly) + plan / fund / review / evaluate / commission; across or between agencies
    if every & (_ACROSS | _JOINT) and any(
            (k & _JOINT and (k & _COMMISSION or (i + 1 < n and kinds[i + 1] & _JOINT_ACT)))
            or (k & _ACROSS and _agencies_follow(tokens, i)) for i, k in marked):
        found.append(_ACROSS_AGENCIES)
    # a budget; pooled, aligned, joint or shared funding or resources
    if every & _BUDGET_WORD or (every & _SHARED and any(
            k & _SHARED and i + 1 < n and kinds[i + 1] & _FUNDS for i, k in marked)):
        found.append(_BUDGET)
    # sufficiency or the JSNA; a gap, shortage, lack, too few, not enough ... within five words of
    # provision, places, services, capacity, space or breaks, before or after it
    places = _positions(marked, _PLACES) if every & _PLACES and every & (_SHORT | _GROW) else []
    if every & _SUFFICIENCY_WORD or (every & _SHORT and any(
            abs(p - s) <= 5 for s in _positions(marked, _SHORT) for p in places)):
        found.append(_SUFFICIENCY)
    if every & _COMMISSION:
        found.append(_COMMISSIONING)
    # increase, expand, open, create, (re)design ... (up to six tokens) ... provision, places, capacity
    if every & _GROW and any(0 < p - g <= 7 for g in _positions(marked, _GROW) for p in places):
        found.append(_GROW_SERVICES)
    # a views word within eight words of what views shape (plans, decisions, services' design, strategy);
    # otherwise, within eight words of heard, listened to, gathered, captured or shared
    if every & _VIEWS:
        views = _positions(marked, _VIEWS)
        shapes = _positions(marked, _SHAPES) if every & _SHAPES else []
        if any(abs(s - v) <= 8 for v in views for s in shapes):
            found.append(_VIEWS_SHAPE)
        elif every & _HEARD and any(abs(h - v) <= 8 for h in _positions(marked, _HEARD) for v in views):
            found.append(_VIEWS_HEARD)
    # youth, participation or young just before forum, group, council, panel, advisers
    if every & _YOUNG and every & _GROUP:
        groups = _positions(marked, _GROUP)
        if any(0 < g - y <= 2 for y in _positions(marked, _YOUNG) for g in groups):
            found.append(_PARTICIPATION_GROUP)
    return found


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


def theme_features(X: sparse.csr_matrix, blocks=None) -> sparse.csr_matrix:
    """What the theme heads read: a sentence's :func:`sentence_features`, then the mean of its bullet's others'."""
    return sparse.hstack([X, others_mean(X, blocks)], format="csr", dtype=np.float32)


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
