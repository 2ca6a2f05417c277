"""OutcomeModel: the outcome a document's findings point to, with every outcome statement masked.

Two logistic regressions over :func:`sendnlp.features.document_features`:
- ``formal_``: P(formal action), trained on 2016 letters (WSOA) and 2023 reports (systemic
  failings) together, so that what is learnt from one framework informs the other;
- ``adverse_``: P(not "typically positive"), trained on 2023 reports.
The 2023 outcomes follow as an ordered pair of thresholds: P(systemic) = P(formal action),
P(inconsistent) = P(adverse) - P(systemic) (floored at 0), P(positive) = 1 - P(adverse), renormalised.
For 2016 letters, P(WSOA) is shifted from the training corpus's WSOA rate to the official rate of
the inspection's year (``data/wsoa_rates.csv``), so probabilities match the real base rates.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .errors import ModelError
from .features import DOCUMENT_FEATURES
from .labels import FORMAL_ACTION, OUTCOMES
from .packing import pack_scaled_logistic, unpack_scaled_logistic

__all__ = ["OutcomeModel", "official_wsoa_rate"]


@lru_cache(maxsize=1)
def _rates() -> dict[int, tuple[int, int]]:
    text = resources.files("sendnlp.data").joinpath("wsoa_rates.csv").read_text()
    return {int(r["year"]): (int(r["wsoa"]), int(r["inspections"])) for r in csv.DictReader(text.splitlines())}


def official_wsoa_rate(year: int | None = None) -> float:
    """The official share of 2016-framework inspections that led to a WSOA, in a year or overall.

    >>> round(official_wsoa_rate(), 2), round(official_wsoa_rate(2016), 2)
    (0.55, 0.25)
    """
    rates = _rates()
    if year in rates:
        wsoa, n = rates[year]
    else:
        wsoa, n = (sum(v[i] for v in rates.values()) for i in (0, 1))
    return wsoa / n


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return float(np.log(p / (1 - p)))


class OutcomeModel:
    """Predicts the outcome from document features. Parameters stored as given."""

    def __init__(self, C: float = 0.3, random_state: int = 0):
        self.C = C
        self.random_state = random_state

    def _lr(self):
        return make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=5000,
                                                                  random_state=self.random_state))

    def fit(self, F: np.ndarray, frameworks: list[str], outcomes: list[str]) -> "OutcomeModel":
        F = np.asarray(F, dtype=float)
        frameworks, outcomes = np.asarray(frameworks), np.asarray(outcomes)
        formal = np.array([o in FORMAL_ACTION for o in outcomes])
        self.formal_ = self._lr().fit(F, formal)
        is_2023 = frameworks == "2023"
        adverse = outcomes[is_2023] != "positive"
        self.adverse_ = self._lr().fit(F[is_2023], adverse) if len(set(adverse)) == 2 else None
        is_2016 = frameworks == "2016"
        self.train_wsoa_rate_ = float(formal[is_2016].mean()) if is_2016.any() else official_wsoa_rate()
        self.feature_names_ = list(DOCUMENT_FEATURES)
        return self

    def to_arrays(self) -> tuple[dict, dict[str, np.ndarray]]:
        """(parameters as JSON-able values, fitted weights as named arrays); see sendnlp.persist."""
        arrays = pack_scaled_logistic(self.formal_, "formal")
        if self.adverse_ is not None:
            arrays.update(pack_scaled_logistic(self.adverse_, "adverse"))
        meta = {"params": {"C": self.C, "random_state": self.random_state},
                "train_wsoa_rate": self.train_wsoa_rate_, "feature_names": self.feature_names_}
        return meta, arrays

    @classmethod
    def from_arrays(cls, meta: dict, arrays: dict) -> "OutcomeModel":
        model = cls(**meta["params"])
        model.formal_ = unpack_scaled_logistic(arrays, "formal", C=model.C)
        model.adverse_ = unpack_scaled_logistic(arrays, "adverse", C=model.C) if "adverse.coef" in arrays else None
        model.train_wsoa_rate_ = float(meta["train_wsoa_rate"])
        model.feature_names_ = [str(n) for n in meta["feature_names"]]
        if model.feature_names_ != list(DOCUMENT_FEATURES):
            raise ModelError("outcome model features differ from this version's; retrain it")
        for part in filter(None, (model.formal_, model.adverse_)):
            if part[0].n_features_in_ != len(DOCUMENT_FEATURES):
                raise ModelError(f"outcome model of {part[0].n_features_in_} features, expected {len(DOCUMENT_FEATURES)}")
        return model

    def predict(self, f: np.ndarray, framework: str, year: int | None = None) -> tuple[str, dict, float]:
        """(predicted outcome, score per outcome, formal action probability) for one document."""
        f = np.asarray(f, dtype=float).reshape(1, -1)
        p_formal = float(self.formal_.predict_proba(f)[0, 1])
        if framework == "2016":
            shift = _logit(official_wsoa_rate(year)) - _logit(self.train_wsoa_rate_)
            p_formal = float(1 / (1 + np.exp(-(_logit(p_formal) + shift))))
            scores = {"no_wsoa": 1 - p_formal, "wsoa": p_formal}
        else:
            p_adverse = float(self.adverse_.predict_proba(f)[0, 1]) if self.adverse_ is not None else p_formal
            p_adverse = max(p_adverse, p_formal)
            raw = {"positive": 1 - p_adverse, "inconsistent": p_adverse - p_formal, "systemic_failings": p_formal}
            total = sum(raw.values())
            scores = {k: v / total for k, v in raw.items()}
        scores = {k: round(scores[k], 4) for k in OUTCOMES[framework]}
        return max(scores, key=scores.get), scores, round(p_formal, 4)

    def weigh(self, f: np.ndarray) -> list[tuple[str, float]]:
        """Each feature's push on the formal-action log-odds (standardised value times weight)."""
        scaler, lr = self.formal_[0], self.formal_[-1]
        z = (np.asarray(f, dtype=float) - scaler.mean_) / np.where(scaler.scale_ == 0, 1, scaler.scale_)
        push = z * lr.coef_[0]
        order = np.argsort(-np.abs(push))
        return [(self.feature_names_[i], round(float(push[i]), 3)) for i in order]
