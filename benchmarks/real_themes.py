"""Theme F1 on real reports: per bullet on the 655 bullets of the 35 reports' "doing well" and "do
better" sections, and per sentence on every sentence we labelled (ids and labels only, never text).

Labels: in ``benchmarks/real_bullet_themes.csv``, each bullet labelled whole (``themes``), sample 1 by
one of us in the first session (175 bullets: 5 a report, by position), sample 2 by four annotators on
26 November (the other 480, a quarter of the reports each); a second annotator labelled every
sentence of every bullet and of "What is it like ..." (``corpus/real-reports.themes.csv``); where a
bullet's label and the union of its sentences' labels disagreed, an adjudicator judged each theme by
the guide without seeing the model's output (for sample 2, nor who said what): ``themes_adjudicated``.
Joint commissioning and co-production in that column were judged again on all 655 bullets once the
guide's rows were made explicit (new annotators; differences adjudicated the same way). Since the
seventh look in ``docs/model.md`` the sentence labels and the adjudicated bullet labels agree on
every bullet and theme (``tests/test_corpus.py``). The interval
is a 95% percentile bootstrap over reports (reports drawn with replacement, 1,000 draws).

    .venv/bin/python benchmarks/real_themes.py [--folds 5] [--seed 0] [--trainings 1]

``--trainings K`` (K > 1) repeats the leave-reports-out run K times, the first on all the data and
each other without one corpus document drawn at random (``numpy.random.default_rng(k)``, k = 0, 1,
...), and prints each run's bullet F1 of the four fixed themes and the mean over the K: how much
the figures move when the training data changes by one document (one training moves them by up to
0.02). About 3 minutes a training on 2 cores (15 minutes for 5).

Two models, neither of which has seen a label of the sentences it is scored on:
- "themes from our corpus alone": real reports give only silver polarity, no theme labels;
- "leave reports out": grouped by report, each fold's tagger learns themes from our corpus plus the
  theme labels (``corpus/real-reports.themes.csv``) of the other reports, and is scored on the
  held-out reports.
Reads the real reports from ../shared/real-reports (or SENDNLP_REAL_REPORTS) at run time; skips where
they are absent.
"""
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold

from _common import CORPUS, ROOT, header, options
from sendnlp.evaluate import bullet_theme_arrays, bullet_theme_metrics, theme_metrics
from sendnlp.labels import THEME_IDS
from sendnlp.tagger import SentenceTagger
from sendnlp.training import find_real_reports, load_training_data

FOUR = ("ehc_plans", "joint_commissioning", "local_offer", "coproduction")


def decide(tagger: SentenceTagger, frame: pd.DataFrame) -> np.ndarray:
    return tagger.theme_decisions(tagger.theme_proba(tagger.transform(frame["text"].tolist()), frame["block"].to_numpy()))


def interval(real: pd.DataFrame, decisions: np.ndarray, labels: pd.DataFrame, draws: int = 1000,
             seed: int = 0) -> dict[str, tuple[float, float]]:
    """95% interval of the adjudicated bullet F1 of the four fixed themes, reports drawn with replacement."""
    Y, D = bullet_theme_arrays(real, decisions, labels, "themes_adjudicated")
    rows = list(labels.reset_index(drop=True).groupby("file").indices.values())  # each report's bullets
    rng = np.random.default_rng(seed)
    four = [THEME_IDS.index(theme) for theme in FOUR]
    f1s = []
    for _ in range(draws):
        drawn = np.concatenate([rows[k] for k in rng.integers(0, len(rows), size=len(rows))])
        y, d = Y[drawn][:, four], D[drawn][:, four]
        f1s.append(2 * (y & d).sum(axis=0) / np.maximum(1, y.sum(axis=0) + d.sum(axis=0)))
    return {theme: tuple(np.percentile(np.array(f1s)[:, j], [2.5, 97.5])) for j, theme in enumerate(FOUR)}


def show(title: str, real: pd.DataFrame, decisions: np.ndarray, labels: pd.DataFrame) -> None:
    """Per bullet for each labelled sample and for all of them (first annotator | adjudicated), then per
    sentence (second annotator)."""
    samples = [(f"sample {k}", labels[labels["sample"] == k]) for k in sorted(labels["sample"].unique())]
    if len(samples) > 1:
        samples.append(("all samples", labels))
    print(title)
    for name, part in samples:
        first = bullet_theme_metrics(real, decisions, part)
        adjudicated = bullet_theme_metrics(real, decisions, part, "themes_adjudicated")
        print(f"  per bullet, {name} ({first['bullets']} bullets, {first['documents']} reports): "
              f"first annotator | adjudicated")
        for theme in THEME_IDS:
            f, a = first["themes"][theme], adjudicated["themes"][theme]
            print(f"  {'*' if theme in FOUR else ' '}{theme:26s} P {f['precision']:.3f} R {f['recall']:.3f} "
                  f"F1 {f['f1']:.3f} (n {f['support']:3d}) | P {a['precision']:.3f} R {a['recall']:.3f} "
                  f"F1 {a['f1']:.3f} (n {a['support']:3d})")
    bounds = interval(real, decisions, labels)
    print(f"  95% interval, adjudicated, {samples[-1][0]} (1,000 draws of the reports with replacement): "
          + ", ".join(f"{theme} {lo:.3f}-{hi:.3f}" for theme, (lo, hi) in bounds.items()))
    sentences = theme_metrics(real, decisions, "silver")
    n = int(real["themes"].map(lambda t: isinstance(t, list)).sum())
    print(f"  per sentence (second annotator, {n} sentences)")
    for theme in THEME_IDS:
        s = sentences[theme]
        print(f"  {'*' if theme in FOUR else ' '}{theme:26s} P {s['precision']:.3f} R {s['recall']:.3f} "
              f"F1 {s['f1']:.3f} (n {s['support']:3d})")


def leave_reports_out(frame: pd.DataFrame, folds: int, seed: int, progress: bool = True) -> np.ndarray:
    """Theme decisions for every sentence of the real reports (rows of ``frame`` whose source is
    silver), each from a tagger trained on the corpus and the other reports."""
    silver = (frame["source"] == "silver").to_numpy()
    decisions = np.zeros((len(frame), len(THEME_IDS)), dtype=int)
    docs = frame["document"].to_numpy()
    report_ids = np.array(sorted(set(frame.loc[silver, "document"])))
    for k, (_, test_idx) in enumerate(GroupKFold(n_splits=folds).split(report_ids, groups=report_ids)):
        held_out = np.isin(docs, report_ids[test_idx])
        tagger = SentenceTagger(random_state=seed).fit(frame[~held_out])
        decisions[held_out] = decide(tagger, frame[held_out])
        if progress:
            print(f"  fold {k + 1}/{folds}: {held_out.sum()} sentences of {len(test_idx)} held-out reports", flush=True)
    return decisions[silver]


def trainings(frame: pd.DataFrame, labels: pd.DataFrame, k: int, folds: int, seed: int) -> None:
    """Leave reports out K times: on all the data, then each time without one corpus document."""
    corpus_docs = sorted(set(frame.loc[frame["source"] == "corpus", "document"]))
    print(f"leave reports out, {k} trainings (adjudicated bullet F1, all {len(labels)} bullets; per-sentence F1)")
    rows = []
    for run in range(k):
        drop = None if run == 0 else str(np.random.default_rng(run - 1).choice(corpus_docs))
        part = frame[frame["document"] != drop].reset_index(drop=True)
        real = part[part["source"] == "silver"]
        decisions = leave_reports_out(part, folds, seed, progress=False)
        bullets = bullet_theme_metrics(real, decisions, labels, "themes_adjudicated")["themes"]
        sentences = theme_metrics(real, decisions, "silver")
        rows.append([bullets[t]["f1"] for t in FOUR] + [sentences[t]["f1"] for t in FOUR])
        print(f"  {'all data' if drop is None else 'without ' + drop:18s} " + " ".join(
            f"{t} {f:.3f}" for t, f in zip(FOUR, rows[-1][:4])) + " | per sentence " + " ".join(
            f"{f:.3f}" for f in rows[-1][4:]), flush=True)
    mean = np.mean(rows, axis=0)
    print(f"  {'mean of ' + str(k):18s} " + " ".join(f"{t} {f:.3f}" for t, f in zip(FOUR, mean[:4]))
          + " | per sentence " + " ".join(f"{f:.3f}" for f in mean[4:]))
    print("  range per theme (bullets): " + ", ".join(
        f"{t} {lo:.3f}-{hi:.3f}" for t, lo, hi in zip(FOUR, np.min(rows, axis=0)[:4], np.max(rows, axis=0)[:4])))


def main() -> int:
    given = options(__doc__, folds=5, seed=0, trainings=1)
    folds, seed, k = given.folds, given.seed, given.trainings
    header("real_themes: theme F1 on real report bullets and sentences, unseen by the model scored")
    reports = find_real_reports()
    if reports is None:
        print("real_themes.py: no real reports found; nothing to measure")
        return 0
    labels = pd.read_csv(ROOT / "benchmarks" / "real_bullet_themes.csv", dtype={"sample": int}, keep_default_na=False)
    with warnings.catch_warnings():  # the one non-report file (shingles.txt) is skipped, as expected
        warnings.simplefilter("ignore", UserWarning)
        data = load_training_data([CORPUS, reports])
    frame = data.sentences.reset_index(drop=True)
    if k > 1:
        trainings(frame, labels, k, folds, seed)
        return 0
    silver = (frame["source"] == "silver").to_numpy()
    real = frame[silver]

    no_real_themes = frame.assign(themes=frame["themes"].where(~silver, None))
    tagger = SentenceTagger(random_state=seed).fit(no_real_themes)
    show("themes from our corpus alone (real reports: silver polarity only)", real, decide(tagger, real), labels)

    show(f"leave reports out ({folds} folds by report; corpus + the other reports' theme labels)", real,
         leave_reports_out(frame, folds, seed), labels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
