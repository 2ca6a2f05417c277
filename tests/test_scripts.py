"""The repository's scripts (train.py and the benchmarks) refuse an option they do not have before doing
any work: a typo must not start a long run with the defaults, or retrain the bundled model."""
from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT

SCRIPTS = ["train.py", *sorted(f"benchmarks/{path.name}" for path in (ROOT / "benchmarks").glob("[!_]*.py"))]


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, script, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("script", SCRIPTS)
def test_an_unknown_or_shortened_option_stops_the_script_before_any_work(script):
    done = run(script, "--run", "1")  # unknown to some scripts, short for --runs in others
    assert done.returncode == 2
    assert "unrecognized arguments: --run 1" in done.stderr
    assert done.stdout == ""  # not even the header: nothing was started


def test_train_py_help_describes_it_and_leaves_the_model_alone():
    card = ROOT / "models" / "default" / "card.json"
    before = card.stat().st_mtime_ns
    done = run("train.py", "--help")
    assert done.returncode == 0
    assert "--quick" in done.stdout
    assert card.stat().st_mtime_ns == before
