"""Theme F1 on real reports: per bullet on 175 bullets, and per sentence on every sentence we
labelled (ids and labels only, never text).

Labels: one of us labelled 175 whole bullets (5 a report, by position; ``themes`` in
``benchmarks/real_bullet_themes.csv``); a second annotator labelled every sentence of every bullet
and of "What is it like ..." (``corpus/real-reports.themes.csv``); a third judged, by the guide and
without seeing the model's output, every bullet theme the first two disagreed on
(``themes_adjudicated``).

    .venv/bin/python benchmarks/real_themes.py [--folds 5] [--seed 0]

Two models, neither of which has seen a label of the sentences it is scored on:
- "themes from our corpus alone": real reports give only silver polarity, no theme labels;
- "leave reports out": grouped by report, each fold's tagger learns themes from our corpus plus the
  theme labels (``corpus/real-reports.themes.csv``) of the other reports, and is scored on the
  held-out reports.
Reads the real reports from ../shared/real-reports (or SENDNLP_REAL_REPORTS) at run time; skips where
they are absent.
"""
import sys

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold

from _common import CORPUS, ROOT, header
from sendnlp.evaluate import bullet_theme_metrics, theme_metrics
from sendnlp.labels import THEME_IDS
from sendnlp.tagger import SentenceTagger
from sendnlp.training import find_real_reports, load_training_data

FOUR = ("ehc_plans", "joint_commissioning", "local_offer", "coproduction")


def decide(tagger: SentenceTagger, frame: pd.DataFrame) -> np.ndarray:
    texts = frame["text"].tolist()
    p = tagger.theme_proba(tagger.transform(texts), frame["block"].to_numpy())
    return (p >= np.array([tagger.thresholds_[t] for t in THEME_IDS])).astype(int)


def show(title: str, real: pd.DataFrame, decisions: np.ndarray, labels: pd.DataFrame) -> None:
    first = bullet_theme_metrics(real, decisions, labels)
    adjudicated = bullet_theme_metrics(real, decisions, labels, "themes_adjudicated")
    sentences = theme_metrics(real, decisions, "silver")
    print(f"{title}")
    print(f"  per bullet ({first['bullets']} bullets, {first['documents']} reports): first annotator | adjudicated "
          f"|| per sentence (second annotator, {int(real['themes'].map(lambda t: isinstance(t, list)).sum())} sentences)")
    for theme in THEME_IDS:
        f, a, s = first["themes"][theme], adjudicated["themes"][theme], sentences[theme]
        mark = "*" if theme in FOUR else " "
        print(f"  {mark}{theme:26s} P {f['precision']:.3f} R {f['recall']:.3f} F1 {f['f1']:.3f} (n {f['support']:2d}) | "
              f"P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f} (n {a['support']:2d}) || "
              f"P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} (n {s['support']:3d})")


def main() -> int:
    folds = int(sys.argv[sys.argv.index("--folds") + 1]) if "--folds" in sys.argv else 5
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0
    header("real_themes: theme F1 on real report bullets and sentences, unseen by the model scored")
    reports = find_real_reports()
    if reports is None:
        print("real_themes.py: no real reports found; nothing to measure")
        return 0
    labels = pd.read_csv(ROOT / "benchmarks" / "real_bullet_themes.csv", dtype=str, keep_default_na=False)
    data = load_training_data([CORPUS, reports], quiet=True)
    frame = data.sentences
    silver = (frame["source"] == "silver").to_numpy()
    real = frame[silver]

    no_real_themes = frame.assign(themes=frame["themes"].where(~silver, None))
    tagger = SentenceTagger(random_state=seed).fit(no_real_themes)
    show("themes from our corpus alone (real reports: silver polarity only)", real, decide(tagger, real), labels)

    decisions = np.zeros((len(frame), len(THEME_IDS)), dtype=int)
    docs = frame["document"].to_numpy()
    report_ids = np.array(sorted(set(real["document"])))
    for k, (_, test_idx) in enumerate(GroupKFold(n_splits=folds).split(report_ids, groups=report_ids)):
        held_out = np.isin(docs, report_ids[test_idx])
        tagger = SentenceTagger(random_state=seed).fit(frame[~held_out])
        decisions[held_out] = decide(tagger, frame[held_out])
        print(f"  fold {k + 1}/{folds}: {held_out.sum()} sentences of {len(test_idx)} held-out reports", flush=True)
    show(f"leave reports out ({folds} folds by report; corpus + the other reports' theme labels)", real,
         decisions[silver], labels)
    return 0


if __name__ == "__main__":
    sys.exit(main())
