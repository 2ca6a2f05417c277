"""Theme F1 per bullet on real reports, against our own labels of 175 bullets (ids and labels only).

    .venv/bin/python benchmarks/real_themes.py [--model DIR]

Reads the real reports from ../shared/real-reports (or SENDNLP_REAL_REPORTS) at run time; skips where
they are absent. The default model learns themes from our written corpus only, so these bullets are
unseen text for it.
"""
import json
import sys
from pathlib import Path

import pandas as pd

import sendnlp
from sendnlp.evaluate import bullet_theme_metrics
from sendnlp.training import find_real_reports

here = Path(__file__).resolve().parent
reports_dir = find_real_reports()
if reports_dir is None:
    print("real_themes.py: no real reports found; nothing to measure")
    sys.exit(0)
labels = pd.read_csv(here / "real_bullet_themes.csv", dtype={"themes": str})
model = sendnlp.load(sys.argv[sys.argv.index("--model") + 1] if "--model" in sys.argv else None)
docs = {f: sendnlp.read(reports_dir / f) for f in sorted(set(labels["file"]))}
metrics = bullet_theme_metrics(model, labels, docs)
print(f"command: .venv/bin/python benchmarks/real_themes.py {' '.join(sys.argv[1:])}".rstrip())
print(f"{metrics['bullets']} bullets from {metrics['documents']} real reports")
for theme, m in metrics["themes"].items():
    print(f"  {theme:27s} precision {m['precision']:.3f} recall {m['recall']:.3f} f1 {m['f1']:.3f} (support {m['support']})")
print(json.dumps(metrics))
