"""Fitted scikit-learn parts as named numpy arrays, and back.

A saved model is numbers and strings only (see :mod:`sendnlp.persist`): these functions turn the
fitted pieces sendnlp uses (a logistic regression, a standard scaler before one, a TF-IDF
vocabulary) into flat ``{name: array}`` dicts and rebuild them, checking shapes on the way back.

>>> import numpy as np
>>> from sklearn.linear_model import LogisticRegression
>>> lr = LogisticRegression().fit(np.array([[0.0], [1.0], [2.0], [3.0]]), ["a", "a", "b", "b"])
>>> again = unpack_logistic(pack_logistic(lr, "m"), "m")
>>> bool(np.allclose(again.predict_proba([[1.5]]), lr.predict_proba([[1.5]])))
True
"""
from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from .errors import ModelError

__all__ = ["pack_logistic", "unpack_logistic", "pack_scaled_logistic", "unpack_scaled_logistic",
           "pack_vocabulary", "unpack_vocabulary"]


def _get(arrays: dict, name: str, kind: str, ndim: int) -> np.ndarray:
    if name not in arrays:
        raise ModelError(f"missing array {name!r}")
    value = np.asarray(arrays[name])
    if value.dtype.kind not in kind or value.ndim != ndim:
        raise ModelError(f"array {name!r} has dtype {value.dtype} and {value.ndim} dimensions; "
                         f"expected kind {kind!r} and {ndim}")
    return value


def _classes(classes: np.ndarray) -> np.ndarray:
    """Class labels as a plain (unicode or integer) array, never an object array."""
    classes = np.asarray(classes)
    return classes.astype(str) if classes.dtype.kind in "OUS" else classes.astype(np.int64)


def pack_logistic(model: LogisticRegression, prefix: str) -> dict[str, np.ndarray]:
    return {f"{prefix}.coef": np.asarray(model.coef_),
            f"{prefix}.intercept": np.asarray(model.intercept_),
            f"{prefix}.classes": _classes(model.classes_)}


def unpack_logistic(arrays: dict, prefix: str, **params) -> LogisticRegression:
    """A fitted :class:`LogisticRegression` from :func:`pack_logistic`'s arrays."""
    coef = _get(arrays, f"{prefix}.coef", "f", 2)
    intercept = _get(arrays, f"{prefix}.intercept", "f", 1)
    classes = _get(arrays, f"{prefix}.classes", "Uiu", 1)
    rows = 1 if len(classes) == 2 else len(classes)
    if len(classes) < 2 or coef.shape[0] != rows or intercept.shape != (rows,):
        raise ModelError(f"{prefix}: {len(classes)} classes do not fit coefficients of shape {coef.shape}")
    model = LogisticRegression(**params)
    model.coef_, model.intercept_, model.classes_ = coef, intercept, classes
    model.n_features_in_ = coef.shape[1]
    model.n_iter_ = np.zeros(1, dtype=np.int32)
    return model


def pack_scaled_logistic(pipeline: Pipeline, prefix: str) -> dict[str, np.ndarray]:
    scaler, model = pipeline[0], pipeline[-1]
    return {f"{prefix}.mean": np.asarray(scaler.mean_),
            f"{prefix}.scale": np.asarray(scaler.scale_),
            **pack_logistic(model, prefix)}


def unpack_scaled_logistic(arrays: dict, prefix: str, **params) -> Pipeline:
    """A fitted ``StandardScaler -> LogisticRegression`` pipeline from :func:`pack_scaled_logistic`."""
    model = unpack_logistic(arrays, prefix, **params)
    mean, scale = _get(arrays, f"{prefix}.mean", "f", 1), _get(arrays, f"{prefix}.scale", "f", 1)
    if mean.shape != scale.shape or mean.shape[0] != model.n_features_in_:
        raise ModelError(f"{prefix}: scaler of {mean.shape[0]} features before a model of {model.n_features_in_}")
    scaler = StandardScaler()
    scaler.mean_, scaler.scale_, scaler.var_ = mean, scale, scale ** 2
    scaler.n_features_in_, scaler.n_samples_seen_ = len(mean), np.int64(0)
    return make_pipeline(scaler, model)


def pack_vocabulary(vocabulary: dict[str, int], idf: np.ndarray) -> dict[str, np.ndarray]:
    """A TF-IDF vocabulary as terms in column order and their idf weights."""
    return {"vocabulary.terms": np.array(sorted(vocabulary, key=vocabulary.get), dtype=str),
            "vocabulary.idf": np.asarray(idf)}


def unpack_vocabulary(arrays: dict) -> tuple[dict[str, int], np.ndarray]:
    terms = _get(arrays, "vocabulary.terms", "U", 1)
    idf = _get(arrays, "vocabulary.idf", "f", 1)
    if terms.shape != idf.shape:
        raise ModelError(f"{len(terms)} vocabulary terms but {len(idf)} idf weights")
    return {str(t): i for i, t in enumerate(terms.tolist())}, idf
