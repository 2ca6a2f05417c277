"""End to end: `sendnlp classify` over the real PDFs against pypdf's bare extraction, and start-up.

    .venv/bin/python benchmarks/end_to_end.py [--runs 3] [--startup-runs 5]

In one run: pypdf's bare text extraction of the real PDFs (best of ``--runs``), then the CLI
``sendnlp classify <35 PDFs> --format jsonl --level letter -o <temp file>`` as a subprocess (best of
``--runs``), their ratio, and the peak RSS of the classify runs (``getrusage(RUSAGE_CHILDREN)``,
read before any other child runs). Start-up: ``sendnlp classify examples/example-letter.txt
--format jsonl --level letter`` against ``python -c "import spacy, sklearn"`` (best of
``--startup-runs``). Skips the real-PDF part (exit 0) where the real reports are absent.
"""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, SENDNLP, best_of, header, options, real_pdfs


def timed_run(argv: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    return time.perf_counter() - started, done


def main() -> int:
    given = options(__doc__, runs=3, startup_runs=5)
    runs, startup_runs = given.runs, given.startup_runs
    header("end_to_end: sendnlp classify on the real PDFs vs pypdf bare extraction; start-up")
    pdfs = real_pdfs()
    if not pdfs:
        print("end_to_end.py: no real reports found (../shared/real-reports or SENDNLP_REAL_REPORTS); "
              "skipping the real-PDF part")
    else:
        import pypdf

        def extract():
            return sum(len(page.extract_text() or "") for path in pdfs for page in pypdf.PdfReader(path).pages)

        bare, bare_times = best_of(runs, extract)
        print(f"pypdf bare extraction, {len(pdfs)} PDFs: best {bare:.3f} s ({bare / len(pdfs):.4f} s/report)  "
              f"runs {', '.join(f'{t:.3f}' for t in bare_times)}")

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.jsonl"
            argv = [SENDNLP, "classify", *map(str, pdfs), "--format", "jsonl", "--level", "letter", "-o", str(out)]
            times = []
            for _ in range(runs):
                elapsed, done = timed_run(argv, cwd=ROOT)
                times.append(elapsed)
                records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
                errors = sum(r["error"] is not None for r in records)
                if done.returncode != 0 or len(records) != len(pdfs) or errors:
                    print(f"  WARNING: exit {done.returncode}, {len(records)} records, {errors} errors; "
                          f"stderr: {done.stderr.strip()[-500:]}")
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
            classify = min(times)
            print(f"sendnlp classify {len(pdfs)} PDFs --format jsonl --level letter (CLI subprocess, one job): "
                  f"best {classify:.3f} s ({classify / len(pdfs):.4f} s/report)  runs {', '.join(f'{t:.3f}' for t in times)}")
            print(f"  records {len(records)}, errors {errors}, exit code {done.returncode}, "
                  f"predicted outcomes: {sorted({r['predicted_outcome'] for r in records}, key=str)}")
            print(f"ratio sendnlp classify / pypdf bare extraction: {classify / bare:.2f}")
            print(f"peak RSS of the classify runs (RUSAGE_CHILDREN ru_maxrss): {peak:.1f} MB")

    # --- start-up -----------------------------------------------------------------------------------
    example = "examples/example-letter.txt"
    cli = [SENDNLP, "classify", example, "--format", "jsonl", "--level", "letter"]
    imports = [sys.executable, "-c", "import spacy, sklearn"]
    cli_times, import_times = [], []
    for _ in range(startup_runs):
        elapsed, done = timed_run(cli, cwd=ROOT)
        if done.returncode != 0:
            print(f"  WARNING: sendnlp classify {example} exited {done.returncode}: {done.stderr.strip()[-300:]}")
        cli_times.append(elapsed)
        elapsed, done = timed_run(imports, cwd=ROOT, check=True)
        import_times.append(elapsed)
    print(f"start-up: sendnlp classify {example} --format jsonl --level letter: best {min(cli_times):.3f} s  "
          f"runs {', '.join(f'{t:.3f}' for t in cli_times)}")
    print(f"start-up: python -c \"import spacy, sklearn\": best {min(import_times):.3f} s  "
          f"runs {', '.join(f'{t:.3f}' for t in import_times)}")
    print(f"start-up ratio (sendnlp classify one letter / import spacy, sklearn): {min(cli_times) / min(import_times):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
