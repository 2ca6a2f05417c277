"""Model load time, model size, and sentence throughput on one core.

    .venv/bin/python benchmarks/classify_speed.py [--runs 3] [--sentences 20000]

Load time: ``import sendnlp; sendnlp.load()`` in fresh subprocesses (best of ``--runs``; both the
time measured inside the child and the child's whole wall time), and ``sendnlp.load()`` repeated in
this process. Throughput: ``model.classify_sentences`` over our corpus sentences repeated to at
least ``--sentences``, one call, best of ``--runs``, with BLAS/OpenMP pinned to one thread.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy is imported, here and in the children

import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

from _common import best_of, corpus_sentences, header, options  # noqa: E402

CHILD = ("import time; t = time.perf_counter(); import sendnlp; m = sendnlp.load(); "
         "print(time.perf_counter() - t)")


def main() -> int:
    given = options(__doc__, runs=3, sentences=20_000)
    runs, target = given.runs, given.sentences
    header("classify_speed: model load time, model size, classify_sentences throughput on one core")
    print("threads: " + ", ".join(f"{v}={os.environ[v]}" for v in
                                  ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")))

    # --- load in fresh subprocesses ---------------------------------------------------------------
    inside, wall = [], []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True)
        wall.append(time.perf_counter() - started)
        inside.append(float(out.stdout.strip().splitlines()[-1]))
    print(f"load, fresh subprocess, import sendnlp + sendnlp.load() (timed inside): best {min(inside):.3f} s  "
          f"runs {', '.join(f'{t:.3f}' for t in inside)}")
    print(f"load, fresh subprocess, whole python process wall time:               best {min(wall):.3f} s  "
          f"runs {', '.join(f'{t:.3f}' for t in wall)}")

    # --- load in process ----------------------------------------------------------------------------
    started = time.perf_counter()
    import sendnlp
    from sendnlp.api import default_model_dir

    imported = time.perf_counter() - started
    best, times = best_of(runs, sendnlp.load)
    print(f"import sendnlp in this process (first): {imported:.3f} s")
    print(f"load, in process, sendnlp.load() after import: best {best:.3f} s  runs {', '.join(f'{t:.3f}' for t in times)}")

    # --- model size ---------------------------------------------------------------------------------
    model_dir = default_model_dir()
    files = sorted(p for p in model_dir.rglob("*") if p.is_file())
    total = sum(p.stat().st_size for p in files)
    print(f"model directory: {model_dir} ({len(files)} files) {total / 1e6:.2f} MB ({total / 2**20:.2f} MiB)")
    for p in files:
        print(f"  {p.relative_to(model_dir)}: {p.stat().st_size / 1e6:.3f} MB")

    # --- throughput ---------------------------------------------------------------------------------
    model = sendnlp.load()
    print(f"model card: created {model.card.get('created')}, real reports included: "
          f"{model.card.get('real_reports_included')}")
    base = corpus_sentences()
    sentences = base * -(-target // len(base))
    chars = sum(map(len, sentences)) / len(sentences)
    try:
        from threadpoolctl import threadpool_info

        pools = ", ".join(f"{p['internal_api']}={p['num_threads']}" for p in threadpool_info())
        print(f"thread pools: {pools or 'none loaded'}")
    except ImportError:
        pass
    model.classify_sentences(base[:200])  # warm the analyser's caches no more than a first call would
    best, times = best_of(runs, lambda: model.classify_sentences(sentences))
    print(f"classify_sentences: {len(sentences):,} sentences ({len(base):,} corpus sentences x "
          f"{len(sentences) // len(base)}, mean {chars:.0f} chars) in one call")
    print(f"  best {best:.3f} s = {len(sentences) / best:,.0f} sentences/s  runs "
          + ", ".join(f"{t:.3f} s ({len(sentences) / t:,.0f}/s)" for t in times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
