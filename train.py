"""Retrain the bundled default model (models/default).

Trains on our labelled corpus (corpus/) plus, where the shared folder of real reports exists beside
the checkout (or SENDNLP_REAL_REPORTS points at one), the silver labels of those reports. The model
card records which. On a fresh clone without that folder it trains on the corpus alone and says so.

    python train.py             # train, cross-validate, write models/default
    python train.py --quick     # train only (no cross-validation metrics on the card)
"""
import argparse
import os
import sys
from pathlib import Path

from sendnlp.report import train_to
from sendnlp.training import find_real_reports

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False)
    parser.add_argument("--quick", action="store_true", help="train only (no cross-validation metrics on the card)")
    quick = parser.parse_args().quick  # before anything is written: --help or a mistyped option never retrains
    here = Path(__file__).resolve().parent
    os.chdir(here)
    reports = find_real_reports()
    paths = [Path("corpus")] + ([Path(os.path.relpath(reports))] if reports else [])
    print(f"train.py: real reports {'found at ' + str(reports) if reports else 'not found: corpus alone'}",
          file=sys.stderr)
    train_to(paths, Path("models") / "default", seed=0, evaluate=not quick)
