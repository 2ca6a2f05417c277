"""SentenceTagger: polarity (strength / weakness / neutral) and themes for sentences.

Two stages. A logistic regression over TF-IDF features reads each sentence alone. A second, small
logistic regression, fitted on grouped out-of-fold scores of the first, calibrates them and, where
the sentence stands in a bullet, weighs in the rest of that bullet (a "However, ..." sentence in a
strengths bullet reads differently from the same words alone). Themes: one logistic regression per
theme over naive-Bayes-weighted features (:func:`nb_logistic`) of the sentence's words and cues and
of the rest of its bullet (:func:`sendnlp.features.theme_features`), with a threshold per theme
chosen on grouped out-of-fold predictions.
"""
from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from .errors import ModelError
from .features import CUES, feature_names, others_mean, sentence_features, sentence_vectorizer, theme_features
from .labels import POLARITIES, THEME_IDS
from .packing import pack_logistic, pack_vocabulary, unpack_logistic, unpack_vocabulary

__all__ = ["SentenceTagger", "context_features", "nb_logistic"]

_EPS = 1e-6


def context_features(logp: np.ndarray, blocks: np.ndarray | list | None) -> np.ndarray:
    """Own log-probabilities, the mean of the other sentences' in the same block, and a context flag.

    ``blocks`` holds a block key per sentence (None where the sentence stands alone).
    """
    # one pass over the blocks: a column of ones rides along, its mean > 0 where a sentence has others
    others = others_mean(np.hstack([logp, np.ones((len(logp), 1))]), blocks)
    return np.hstack([logp, others[:, :-1], (others[:, -1:] > 0).astype(float)])


def nb_logistic(X, y: np.ndarray, alpha: float = 1.0, **params) -> LogisticRegression:
    """A logistic regression over features scaled by their naive Bayes log-count ratio (NBSVM-style).

    Each feature is weighted by log(P(feature | positive) / P(feature | negative)), the ratio of its
    smoothed share of the feature mass in each class, before the regression is fitted; the weights
    are then folded into the coefficients, so the result is a plain LogisticRegression over ``X``.
    Rare words that only ever occur with a theme count for more than under plain TF-IDF.

    >>> X = sparse.csr_matrix(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]]))
    >>> model = nb_logistic(X, np.array([1, 1, 0, 0]))
    >>> bool(model.predict_proba(X)[0, 1] > 0.5), bool(model.predict_proba(X)[2, 1] < 0.5)
    (True, True)
    """
    y = np.asarray(y).astype(bool)
    positive = np.asarray(X[y].sum(axis=0)).ravel() + alpha
    negative = np.asarray(X[~y].sum(axis=0)).ravel() + alpha
    ratio = np.log((positive / positive.sum()) / (negative / negative.sum()))
    model = LogisticRegression(**params).fit(sparse.csr_matrix(X).multiply(ratio).tocsr(), y.astype(int))
    model.coef_ = model.coef_ * ratio
    return model


class SentenceTagger:
    """Tags sentences with a polarity and themes.

    Parameters are stored as given; everything learnt ends in ``_``.
    """

    def __init__(self, C: float = 10.0, theme_C: float = 10.0, context_C: float = 1.0, min_df: int = 2,
                 folds: int = 5, random_state: int = 0):
        self.C = C
        self.theme_C = theme_C
        self.context_C = context_C
        self.min_df = min_df
        self.folds = folds
        self.random_state = random_state

    # --- fitting ------------------------------------------------------------------------------
    def _polarity_model(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, max_iter=5000, random_state=self.random_state)

    def _fit_theme(self, X, y) -> LogisticRegression:
        return nb_logistic(X, y, C=self.theme_C, max_iter=5000, random_state=self.random_state)

    def fit(self, frame) -> "SentenceTagger":
        """Fit on a DataFrame with columns text, polarity (or None), themes (list or None), document, block."""
        from sklearn.metrics import f1_score
        from sklearn.model_selection import GroupKFold

        frame = frame.reset_index(drop=True)
        texts = frame["text"].tolist()
        has_pol = frame["polarity"].notna().to_numpy()
        has_themes = frame["themes"].map(lambda t: isinstance(t, (list, tuple, np.ndarray))).to_numpy()
        groups = frame["document"].to_numpy()
        blocks = frame["block"].to_numpy()

        self.vectorizer_ = sentence_vectorizer(min_df=self.min_df).fit(texts)
        X = sentence_features(self.vectorizer_, texts)
        y = frame["polarity"].to_numpy()

        # stage 1 out of fold, for the context stage and the theme thresholds
        logp_oof = np.zeros((len(frame), len(POLARITIES)))
        theme_oof = np.zeros((len(frame), len(THEME_IDS)))
        Y = self._theme_matrix(frame["themes"])
        splitter = GroupKFold(n_splits=min(self.folds, len(set(groups))))
        for train, test in splitter.split(X, groups=groups):
            vec = sentence_vectorizer(min_df=self.min_df).fit([texts[i] for i in train])
            Xtr = sentence_features(vec, [texts[i] for i in train])
            Xte = sentence_features(vec, [texts[i] for i in test])
            pol_tr = train[has_pol[train]]
            model = self._polarity_model().fit(Xtr[has_pol[train]], y[pol_tr])
            logp_oof[test] = self._log_proba(model, Xte)
            th_train = train[has_themes[train]]
            Fth = theme_features(Xtr[has_themes[train]], blocks[th_train])
            Fte = theme_features(Xte, blocks[test])
            for j in range(len(THEME_IDS)):
                if Y[th_train, j].any():
                    theme_oof[test, j] = self._fit_theme(Fth, Y[th_train, j]).predict_proba(Fte)[:, 1]

        self.polarity_ = self._polarity_model().fit(X[has_pol], y[has_pol])
        ctx = context_features(logp_oof, blocks)
        self.context_ = LogisticRegression(C=self.context_C, max_iter=5000).fit(ctx[has_pol], y[has_pol])

        F = theme_features(X[has_themes], blocks[has_themes])
        self.themes_ = [self._fit_theme(F, Y[has_themes, j]) for j in range(len(THEME_IDS))]
        self.thresholds_ = {}
        for j, theme in enumerate(THEME_IDS):
            truth, scores = Y[has_themes, j], theme_oof[has_themes, j]
            grid = np.linspace(0.1, 0.9, 33)
            f1s = [f1_score(truth, scores >= t, zero_division=0) for t in grid]
            self.thresholds_[theme] = float(grid[int(np.argmax(f1s))])
        self.oof_ = {"logp": logp_oof, "themes": theme_oof}
        return self

    @staticmethod
    def _theme_matrix(themes) -> np.ndarray:
        Y = np.zeros((len(themes), len(THEME_IDS)), dtype=int)
        index = {t: j for j, t in enumerate(THEME_IDS)}
        for i, row in enumerate(themes):
            if isinstance(row, (list, tuple, np.ndarray)):
                for theme in row:
                    Y[i, index[theme]] = 1
        return Y

    @staticmethod
    def _log_proba(model: LogisticRegression, X) -> np.ndarray:
        """Log-probabilities in POLARITIES order (a class the model never saw gets a tiny one)."""
        out = np.full((X.shape[0], len(POLARITIES)), np.log(_EPS))
        proba = model.predict_proba(X)
        for j, cls in enumerate(model.classes_):
            out[:, POLARITIES.index(cls)] = np.log(np.clip(proba[:, j], _EPS, 1))
        return out

    # --- persistence: plain arrays (see sendnlp.persist) ----------------------------------------
    _PARAMS = ("C", "theme_C", "context_C", "min_df", "folds", "random_state")

    def to_arrays(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(parameters and thresholds as JSON-able values, fitted weights as named arrays)."""
        arrays = {**pack_vocabulary(self.vectorizer_.vocabulary_, self.vectorizer_.idf_),
                  **pack_logistic(self.polarity_, "polarity"), **pack_logistic(self.context_, "context")}
        for theme, model in zip(THEME_IDS, self.themes_):
            arrays.update(pack_logistic(model, f"theme.{theme}"))
        meta = {"params": {k: getattr(self, k) for k in self._PARAMS}, "thresholds": self.thresholds_}
        return meta, arrays

    @classmethod
    def from_arrays(cls, meta: dict, arrays: dict) -> "SentenceTagger":
        tagger = cls(**{k: meta["params"][k] for k in cls._PARAMS})
        vocabulary, idf = unpack_vocabulary(arrays)
        tagger.vectorizer_ = sentence_vectorizer(min_df=tagger.min_df)
        tagger.vectorizer_.vocabulary_, tagger.vectorizer_.idf_ = vocabulary, idf
        tagger.polarity_ = unpack_logistic(arrays, "polarity", C=tagger.C)
        tagger.context_ = unpack_logistic(arrays, "context", C=tagger.context_C)
        tagger.themes_ = [unpack_logistic(arrays, f"theme.{t}", C=tagger.theme_C) for t in THEME_IDS]
        width = len(vocabulary) + len(CUES)  # the theme heads read it twice: own, and the bullet's others'
        if (tagger.polarity_.n_features_in_ != width or any(m.n_features_in_ != 2 * width for m in tagger.themes_)
                or tagger.context_.n_features_in_ != 2 * len(POLARITIES) + 1):
            raise ModelError(f"model weights do not fit a vocabulary of {len(vocabulary)} and {len(CUES)} cues "
                             f"(polarity reads {width} columns, each theme head {2 * width})")
        tagger.thresholds_ = {t: float(meta["thresholds"][t]) for t in THEME_IDS}
        return tagger

    # --- predicting ---------------------------------------------------------------------------
    def transform(self, texts: list[str]):
        """The :func:`sendnlp.features.sentence_features` that the polarity and theme heads read."""
        return sentence_features(self.vectorizer_, texts)

    def polarity_proba(self, X, blocks=None) -> np.ndarray:
        """Calibrated P(strength, weakness, neutral) per row, reading each bullet as a whole."""
        return self.calibrate(self._log_proba(self.polarity_, X), blocks)

    def calibrate(self, logp: np.ndarray, blocks=None) -> np.ndarray:
        """The second stage: first-stage log-probabilities (and their blocks) to P in POLARITIES order."""
        proba = self.context_.predict_proba(context_features(logp, blocks))
        out = np.zeros((len(logp), len(POLARITIES)))
        for j, cls in enumerate(self.context_.classes_):
            out[:, POLARITIES.index(cls)] = proba[:, j]
        return out

    def theme_proba(self, X, blocks=None) -> np.ndarray:
        """P(theme) per row of ``X`` (from :meth:`transform`), reading each bullet as a whole.

        The same as the theme heads over :func:`sendnlp.features.theme_features`, but the bullet's
        mean is taken after the weights, over a dozen scores instead of thousands of features.
        """
        if not hasattr(self, "_theme_w"):
            W = np.vstack([m.coef_[0] for m in self.themes_]).T
            self._theme_w, self._theme_ctx_w = W[: len(W) // 2], W[len(W) // 2:]
            self._theme_b = np.array([m.intercept_[0] for m in self.themes_])
        z = np.asarray(X @ self._theme_w) + self._theme_b
        if blocks is not None:  # sentences read alone (classify_sentences) have no others to average
            z += others_mean(np.asarray(X @ self._theme_ctx_w), blocks)
        return 1.0 / (1.0 + np.exp(-z))

    def theme_decisions(self, theme_p: np.ndarray) -> np.ndarray:
        """0/1 per row and theme (THEME_IDS order): :meth:`theme_proba` at or above the theme's threshold."""
        return (theme_p >= np.array([self.thresholds_[t] for t in THEME_IDS])).astype(int)

    def explain(self, X, polarity: np.ndarray, k: int = 3) -> list[list[str]]:
        """The k terms that pushed each sentence most towards its predicted polarity."""
        if not hasattr(self, "_names"):
            names = feature_names(self.vectorizer_)
            # each class's push relative to the mean of the classes
            self._names, self._push = names, self.polarity_.coef_ - self.polarity_.coef_.mean(axis=0)
        classes = {c: j for j, c in enumerate(self.polarity_.classes_)}
        X = sparse.csr_matrix(X)
        out = []
        for i, label in enumerate(polarity):
            start, end = X.indptr[i], X.indptr[i + 1]
            if label not in classes or start == end or self._push.shape[0] == 1:
                out.append([])
                continue
            columns = X.indices[start:end]
            contributions = X.data[start:end] * self._push[classes[label], columns]
            top = np.argsort(-contributions)[:k]
            out.append([self._names[columns[t]] for t in top if contributions[t] > 0])
        return out
