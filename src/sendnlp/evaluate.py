"""Evaluation: grouped cross-validation (no sentence of a test document in training) and reports.

Sentence polarity and themes are scored on the labelled corpus; polarity also on silver labels of
real documents, per sentence and per bullet. Outcomes are scored leave-one-document-out on features
built from out-of-fold sentence predictions, beside majority baselines.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
from sklearn.metrics import (accuracy_score, brier_score_loss, classification_report, confusion_matrix, f1_score,
                             roc_auc_score)
from sklearn.model_selection import StratifiedGroupKFold

from .labels import FORMAL_ACTION, OUTCOMES, POLARITIES, THEME_IDS
from .outcome import OutcomeModel, official_wsoa_rate
from .tagger import SentenceTagger
from .training import TrainingData, document_matrix, outcome_documents, prediction_frame

__all__ = ["cross_validate", "score_model", "format_metrics", "polarity_metrics", "theme_metrics", "outcome_metrics",
           "bullet_theme_metrics"]


def _binary_sw(p: np.ndarray) -> np.ndarray:
    """weakness (1) or strength (0) from P(strength, weakness, neutral): the likelier of the two."""
    return (p[:, POLARITIES.index("weakness")] > p[:, POLARITIES.index("strength")]).astype(int)


def polarity_metrics(frame: pd.DataFrame, proba: np.ndarray, proba_alone: np.ndarray) -> dict:
    """Polarity scores on gold (corpus) and silver (real documents) rows of a frame."""
    out: dict = {}
    gold = (frame["source"] == "corpus").to_numpy() & frame["polarity"].notna().to_numpy()
    if gold.any():
        y = frame["polarity"].to_numpy()[gold]
        pred = np.asarray(POLARITIES)[proba[gold].argmax(1)]
        alone = np.asarray(POLARITIES)[proba_alone[gold].argmax(1)]
        majority = pd.Series(y).mode()[0]
        out["corpus"] = {
            "sentences": int(gold.sum()),
            "report": classification_report(y, pred, labels=list(POLARITIES), output_dict=True, zero_division=0),
            "confusion": {"labels": list(POLARITIES), "matrix": confusion_matrix(y, pred, labels=list(POLARITIES)).tolist()},
            "macro_f1_in_context": round(f1_score(y, pred, average="macro"), 4),
            "macro_f1_sentence_alone": round(f1_score(y, alone, average="macro"), 4),
            "majority_baseline": {"label": majority, "accuracy": round(float((y == majority).mean()), 4),
                                  "macro_f1": round(f1_score(y, np.full(len(y), majority), average="macro"), 4)},
        }
    silver = (frame["source"] == "silver").to_numpy() & frame["polarity"].isin(["strength", "weakness"]).to_numpy()
    if silver.any():
        sub = frame[silver]
        y = (sub["polarity"] == "weakness").astype(int).to_numpy()
        logodds = np.log(np.clip(proba[silver][:, 1], 1e-9, 1)) - np.log(np.clip(proba[silver][:, 0], 1e-9, 1))
        bullets = pd.DataFrame({"b": sub["block"].to_numpy(), "z": logodds, "y": y}).groupby("b").agg(z=("z", "mean"), y=("y", "first"))
        majority = int(pd.Series(y).mode()[0])
        out["silver"] = {
            "sentences": int(silver.sum()), "bullets": int(len(bullets)),
            "documents": int(sub["document"].nunique()),
            "sentence_macro_f1_in_context": round(f1_score(y, _binary_sw(proba[silver]), average="macro"), 4),
            "sentence_macro_f1_alone": round(f1_score(y, _binary_sw(proba_alone[silver]), average="macro"), 4),
            "bullet_macro_f1": round(f1_score(bullets["y"], (bullets["z"] > 0).astype(int), average="macro"), 4),
            "predicted_neutral_share": round(float((proba[silver].argmax(1) == 2).mean()), 4),
            "majority_baseline_sentence_macro_f1": round(f1_score(y, np.full(len(y), majority), average="macro"), 4),
        }
    return out


def theme_metrics(frame: pd.DataFrame, decisions: np.ndarray, source: str = "corpus") -> dict:
    """Per-theme precision, recall and F1 over the theme-labelled sentences of one source."""
    labelled = (frame["themes"].map(lambda t: isinstance(t, list)) & (frame["source"] == source)).to_numpy()
    return _per_theme(SentenceTagger._theme_matrix(frame["themes"][labelled]), decisions[labelled])


def _per_theme(Y: np.ndarray, D: np.ndarray) -> dict:
    out = {}
    for j, theme in enumerate(THEME_IDS):
        tp = int((Y[:, j] & D[:, j]).sum())
        p = tp / max(1, D[:, j].sum())
        r = tp / max(1, Y[:, j].sum())
        out[theme] = {"precision": round(p, 4), "recall": round(r, 4),
                      "f1": round(2 * p * r / max(1e-9, p + r), 4), "support": int(Y[:, j].sum())}
    return out


def outcome_metrics(features: pd.DataFrame, documents: pd.DataFrame, seed: int = 0) -> dict:
    """Leave-one-document-out outcome prediction over every inspection document with an outcome."""
    docs = outcome_documents(documents)
    F = document_matrix(features, docs)
    preds, scores, formal = [], [], []
    for i in range(len(docs)):
        keep = np.arange(len(docs)) != i
        model = OutcomeModel(random_state=seed).fit(F[keep], docs["framework"][keep].tolist(), docs["outcome"][keep].tolist())
        year = docs["year"][i]
        o, s, p = model.predict(F[i], docs["framework"][i], None if pd.isna(year) else int(year))
        preds.append(o), scores.append(s), formal.append(p)
    docs["predicted"], docs["formal_p"], docs["scores"] = preds, formal, scores
    out = {}
    for (framework, source), group in docs.groupby(["framework", "source"]):
        y = group["outcome"].to_numpy()
        truth_formal = np.isin(y, list(FORMAL_ACTION)).astype(int)
        majority = pd.Series(y).mode()[0]
        m = {"documents": int(len(group)), "accuracy": round(accuracy_score(y, group["predicted"]), 4),
             "majority_baseline": {"label": majority, "accuracy": round(float((y == majority).mean()), 4)},
             "formal_action_brier": round(brier_score_loss(truth_formal, group["formal_p"]), 4),
             "confusion": {"labels": list(OUTCOMES[framework]),
                           "matrix": confusion_matrix(y, group["predicted"], labels=list(OUTCOMES[framework])).tolist()}}
        if len(set(truth_formal)) == 2:
            m["formal_action_roc_auc"] = round(roc_auc_score(truth_formal, group["formal_p"]), 4)
        onehot = np.array([[o == c for c in OUTCOMES[framework]] for o in y], dtype=float)
        probs = np.array([[s[c] for c in OUTCOMES[framework]] for s in group["scores"]])
        m["multiclass_brier"] = round(float(((probs - onehot) ** 2).sum(1).mean()), 4)
        if framework == "2016":
            years = group["year"].dropna().astype(int)
            m["calibration"] = {"mean_predicted_wsoa": round(float(group["formal_p"].mean()), 4),
                                "official_rate_for_these_years": round(float(np.mean([official_wsoa_rate(y) for y in years]))
                                                                       if len(years) else official_wsoa_rate(), 4),
                                "official_rate_overall": round(official_wsoa_rate(), 4),
                                "share_wsoa_in_this_set": round(float(truth_formal.mean()), 4)}
        out[f"{framework}/{source}"] = m
    return out


def cross_validate(data: TrainingData, folds: int = 5, seed: int = 0) -> dict:
    """Grouped cross-validation of the whole model on the training data."""
    data.require(documents=folds)
    frame = data.sentences
    groups = frame["document"].to_numpy()
    strata = (frame["source"] + "/" + frame["document"].map(dict(zip(data.documents["document"],
                                                                       data.documents["framework"])))).to_numpy()
    proba = np.zeros((len(frame), len(POLARITIES)))
    alone = np.zeros_like(proba)
    theme_p = np.zeros((len(frame), len(THEME_IDS)))
    decisions = np.zeros_like(theme_p, dtype=int)
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(frame, strata, groups):
        tagger = SentenceTagger(random_state=seed).fit(frame.iloc[train])
        texts, blocks = frame["text"].iloc[test].tolist(), frame["block"].iloc[test].to_numpy()
        X = tagger.transform(texts)
        proba[test] = tagger.polarity_proba(X, blocks)
        alone[test] = tagger.polarity_proba(X)
        theme_p[test] = tagger.theme_proba(X, blocks)
        decisions[test] = tagger.theme_decisions(theme_p[test])
    metrics = {"folds": folds, "seed": seed, "polarity": polarity_metrics(frame, proba, alone),
               "themes": theme_metrics(frame, decisions),
               "themes_real_sentences": theme_metrics(frame, decisions, "silver"),
               "outcome": outcome_metrics(prediction_frame(frame, proba, theme_p), data.documents, seed)}
    silver = (frame["source"] == "silver").to_numpy()
    if silver.any() and (~silver).any():
        # the model trained on our corpus alone, scored on every real document
        tagger = SentenceTagger(random_state=seed).fit(frame[~silver])
        X = tagger.transform(frame["text"][silver].tolist())
        p = np.zeros_like(proba)
        a = np.zeros_like(proba)
        p[silver] = tagger.polarity_proba(X, frame["block"][silver].to_numpy())
        a[silver] = tagger.polarity_proba(X)
        metrics["polarity_corpus_only_model"] = polarity_metrics(frame[silver].assign(source="silver"), p[silver], a[silver])
    return metrics


def score_model(model, data: TrainingData) -> dict:
    """Scores of a trained model on data it is given (a held-out test set, not cross-validation)."""
    frame = data.sentences
    texts, blocks = frame["text"].tolist(), frame["block"].to_numpy()
    X = model.tagger.transform(texts)
    proba = model.tagger.polarity_proba(X, blocks)
    alone = model.tagger.polarity_proba(X)
    theme_p = model.tagger.theme_proba(X, blocks)
    decisions = model.tagger.theme_decisions(theme_p)
    docs = outcome_documents(data.documents)
    F = document_matrix(prediction_frame(frame, proba, theme_p), docs)
    outcome = {}
    for (framework, source), group in docs.groupby(["framework", "source"]):
        preds = [model.outcome.predict(F[i], framework, None if pd.isna(y) else int(y))
                 for i, y in zip(group.index, group["year"])]
        y = group["outcome"].to_numpy()
        m = {"documents": int(len(group)), "accuracy": round(accuracy_score(y, [p[0] for p in preds]), 4)}
        truth = np.isin(y, list(FORMAL_ACTION)).astype(int)
        if len(set(truth)) == 2:
            m["formal_action_roc_auc"] = round(roc_auc_score(truth, [p[2] for p in preds]), 4)
        outcome[f"{framework}/{source}"] = m
    return {"polarity": polarity_metrics(frame, proba, alone), "themes": theme_metrics(frame, decisions),
            "themes_real_sentences": theme_metrics(frame, decisions, "silver"),
            "outcome": outcome}


def format_metrics(metrics: dict) -> str:
    """The headline figures for people, then the whole record as JSON."""
    lines = []
    pol = metrics.get("polarity", {})
    if "corpus" in pol:
        c = pol["corpus"]
        lines.append(f"polarity, our corpus ({c['sentences']} sentences): macro-F1 {c['macro_f1_in_context']} in context, "
                     f"{c['macro_f1_sentence_alone']} alone; majority baseline {c['majority_baseline']['macro_f1']}")
        for label in POLARITIES:
            r = c["report"][label]
            lines.append(f"  {label:9s} precision {r['precision']:.3f} recall {r['recall']:.3f} f1 {r['f1-score']:.3f}")
        lines.append(f"  confusion (rows truth, columns predicted; {', '.join(POLARITIES)}): {c['confusion']['matrix']}")
    for key, title in (("polarity", "real documents (silver labels)"),
                       ("polarity_corpus_only_model", "real documents, model trained on our corpus alone")):
        s = metrics.get(key, {}).get("silver")
        if s:
            lines.append(f"polarity, {title} ({s['documents']} documents, {s['bullets']} bullets, {s['sentences']} "
                         f"sentences): per bullet macro-F1 {s['bullet_macro_f1']}, per sentence "
                         f"{s['sentence_macro_f1_in_context']} in context / {s['sentence_macro_f1_alone']} alone; "
                         f"majority baseline {s['majority_baseline_sentence_macro_f1']}")
    for key, title in (("themes", "our corpus"), ("themes_real_sentences", "real report sentences we labelled")):
        if any(m["support"] for m in metrics.get(key, {}).values()):
            lines.append(f"themes, {title}: " + ", ".join(f"{t} {m['f1']:.3f}" for t, m in metrics[key].items()))
    for key, m in metrics.get("outcome", {}).items():
        extra = f", formal action ROC AUC {m['formal_action_roc_auc']}" if "formal_action_roc_auc" in m else ""
        brier = f", Brier (formal) {m['formal_action_brier']}, Brier (all outcomes) {m['multiclass_brier']}" \
            if "formal_action_brier" in m else ""
        base = f"; majority baseline {m['majority_baseline']['accuracy']}" if "majority_baseline" in m else ""
        lines.append(f"outcome {key} ({m['documents']} documents): accuracy {m['accuracy']}{base}{extra}{brier}")
        if "calibration" in m:
            lines.append(f"  calibration: {json.dumps(m['calibration'])}")
    return "\n".join(lines) + "\n\n" + json.dumps(metrics, indent=1, default=str)


def bullet_theme_metrics(frame: pd.DataFrame, decisions: np.ndarray, labels: pd.DataFrame,
                         column: str = "themes") -> dict:
    """Themes per bullet of real documents against bullet labels (ids and labels, no text).

    ``frame`` holds sentences (document, section, bullet) and ``decisions`` their theme decisions;
    ``labels`` has columns file, section, bullet and ``column`` (themes, ``;``-separated), the file
    being the document id plus its extension. A bullet carries a theme when any of its sentences does.
    """
    Y, D = bullet_theme_arrays(frame, decisions, labels, column)
    return {"bullets": len(Y), "documents": int(labels["file"].nunique()), "themes": _per_theme(Y, D)}


def bullet_theme_arrays(frame: pd.DataFrame, decisions: np.ndarray, labels: pd.DataFrame,
                        column: str = "themes") -> tuple[np.ndarray, np.ndarray]:
    """Truth and decisions per labelled bullet (rows in ``labels`` order, THEME_IDS columns), as
    :func:`bullet_theme_metrics` scores them."""
    predicted: dict = {}
    for doc, section, bullet, row in zip(frame["document"], frame["section"], frame["bullet"], decisions):
        if bullet is not None and bullet == bullet:
            predicted.setdefault((doc, section, int(bullet)), np.zeros(len(THEME_IDS), dtype=bool))
            predicted[(doc, section, int(bullet))] |= row.astype(bool)
    truth, pred = [], []
    for row in labels.itertuples():
        key = (row.file.rsplit(".", 1)[0], row.section, int(row.bullet))
        if key not in predicted:
            raise ValueError(f"{row.file}: no bullet {row.section}/{row.bullet}")
        cell = getattr(row, column)
        truth.append([t in (cell if isinstance(cell, str) else "").split(";") for t in THEME_IDS])
        pred.append(predicted[key])
    return np.array(truth, dtype=int).reshape(-1, len(THEME_IDS)), np.array(pred, dtype=int).reshape(-1, len(THEME_IDS))
