"""Run every benchmark in order, each in its own process, and print what each printed.

    .venv/bin/python benchmarks/run_all.py [--skip NAME ...]

Order: read_speed, classify_speed, end_to_end, batch, real_themes, fuzz (about 25 minutes in all on 2 cores).
Scripts that need the real reports skip that part where ../shared/real-reports is absent. Exit
code: 0 when every script exited 0, else 1.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from _common import ROOT, command

HERE = Path(__file__).resolve().parent
SCRIPTS = ["read_speed.py", "classify_speed.py", "end_to_end.py", "batch.py", "real_themes.py", "fuzz.py"]
NAMES = [script.removesuffix(".py") for script in SCRIPTS]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False)
    parser.add_argument("--skip", nargs="+", default=[], choices=NAMES, metavar="NAME", help=", ".join(NAMES),
                        type=lambda name: name.removesuffix(".py"))
    skip = set(parser.parse_args().skip)
    print(f"command: {command()}", flush=True)
    codes = {}
    for script in SCRIPTS:
        if script.removesuffix(".py") in skip:
            print(f"\n#### {script}: skipped", flush=True)
            continue
        print(f"\n#### {script}", flush=True)
        started = time.perf_counter()
        codes[script] = subprocess.run([sys.executable, str(HERE / script)], cwd=ROOT).returncode
        print(f"#### {script}: exit code {codes[script]}, {time.perf_counter() - started:.0f} s", flush=True)
    print("\n" + ", ".join(f"{s}: {c}" for s, c in codes.items()))
    return 0 if all(c == 0 for c in codes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
