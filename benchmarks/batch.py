"""A batch of good and bad inputs through `sendnlp classify FOLDER`, and memory over 1,000 documents.

    .venv/bin/python benchmarks/batch.py [--small 500] [--many 1000]

Builds in a temp folder, from our own corpus only: rendered documents as .txt (UTF-8, UTF-16 with
and without BOM), a PDF and a .docx of our text, an empty file, random bytes named .pdf, a truncated
PDF, and a folder of ``--small`` small text files (whole rendered documents or parts of them). Runs
``sendnlp classify FOLDER --format jsonl --level letter`` and checks: one record per input, a result
for every good input, an error record for every bad one, exit code 1, one stderr line per failure
and one warning line per good input that is not an inspection document (parts of documents),
no traceback. Then runs ``model.classify_many`` in this process over ``--many`` documents (rendered
corpus documents repeated) and prints the RSS as it goes.
"""
from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, SENDNLP, corpus_texts, header, make_docx, make_pdf, options, rss_mb


def build(folder: Path, texts: dict[str, str], n_small: int, rng: random.Random) -> tuple[set[str], set[str]]:
    """Write the batch; return (good paths, bad paths)."""
    good, bad = set(), set()
    ids = sorted(texts)
    docs = folder / "documents"
    docs.mkdir()
    for i, doc in enumerate(ids):
        path = docs / f"{doc}.txt"
        if i % 5 == 1:
            path.write_bytes(texts[doc].encode("utf-16"))            # UTF-16 with BOM
        elif i % 5 == 3:
            path.write_bytes(texts[doc].encode("utf-16-le"))         # UTF-16 without BOM
        else:
            path.write_text(texts[doc], encoding="utf-8")
        good.add(str(path))
    pdf = make_pdf(texts[ids[-1]], docs / f"{ids[-1]}.pdf")
    good.add(str(docs / f"{ids[-1]}.pdf"))
    (docs / f"{ids[0]}.docx").write_bytes(make_docx(texts[ids[0]]))
    good.add(str(docs / f"{ids[0]}.docx"))

    broken = folder / "broken"
    broken.mkdir()
    (broken / "empty.txt").write_bytes(b"")
    (broken / "random-bytes.pdf").write_bytes(bytes(rng.getrandbits(8) for _ in range(20_000)))
    (broken / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    bad |= {str(broken / n) for n in ("empty.txt", "random-bytes.pdf", "truncated.pdf")}

    small = folder / "small"
    small.mkdir()
    for i in range(n_small):
        text = texts[ids[i % len(ids)]]
        if i % 2:  # a part: a run of paragraphs from somewhere in the document
            paragraphs = text.split("\n\n")
            start = rng.randrange(len(paragraphs))
            text = "\n\n".join(paragraphs[start:start + rng.randint(1, 6)]) + "\n"
        path = small / f"small-{i:04d}.txt"
        path.write_text(text, encoding="utf-8")
        good.add(str(path))
    return good, bad


def main() -> int:
    given = options(__doc__, small=500, many=1000)
    n_small, n_many = given.small, given.many
    header("batch: good and bad inputs through sendnlp classify FOLDER; memory over many documents")
    rng = random.Random(20240)
    texts = corpus_texts()
    ok = True
    with tempfile.TemporaryDirectory(prefix="sendnlp-batch-") as tmp:
        folder = Path(tmp) / "batch"
        folder.mkdir()
        good, bad = build(folder, texts, n_small, rng)
        print(f"batch: {len(good) + len(bad)} inputs ({len(good)} good: {len(texts)} rendered corpus documents "
              f"as .txt, some UTF-16, 1 PDF, 1 .docx, {n_small} small .txt; {len(bad)} bad: empty .txt, "
              f"random bytes .pdf, truncated PDF)")
        out = Path(tmp) / "out.jsonl"
        argv = [SENDNLP, "classify", str(folder), "--format", "jsonl", "--level", "letter", "-o", str(out)]
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
        by_path = {r["path"]: r for r in records}
        stderr_lines = [l for l in done.stderr.splitlines() if l.strip()]

        def check(name: str, passed: bool, detail: str = "") -> None:
            nonlocal ok
            ok &= passed
            print(f"  [{'ok' if passed else 'FAIL'}] {name}" + (f": {detail}" if detail else ""))

        print(f"sendnlp classify FOLDER --format jsonl --level letter: {elapsed:.2f} s, exit code {done.returncode}, "
              f"peak RSS {peak:.1f} MB, {len(records)} records, {len(stderr_lines)} stderr lines")
        check("one record per input", len(records) == len(good | bad) and set(by_path) == good | bad,
              f"{len(records)} records for {len(good | bad)} inputs")
        missing = [p for p in good if p not in by_path or by_path[p]["error"] is not None
                   or not (by_path[p]["predicted_outcome"] or by_path[p]["sentences"])]
        check("every good input has a result (error null, predicted_outcome or sentences)", not missing,
              f"{len(good) - len(missing)}/{len(good)}" + (f"; first failing: {missing[0]}: "
                                                             f"{by_path.get(missing[0], {}).get('error')}" if missing else ""))
        outcomes = sum(1 for p in good if by_path.get(p, {}).get("predicted_outcome"))
        print(f"       ({outcomes} good inputs with a predicted outcome, the rest with sentences only)")
        unflagged = [p for p in bad if p not in by_path or not by_path[p]["error"]]
        check("every bad input has an error record", not unflagged, f"{len(bad) - len(unflagged)}/{len(bad)}")
        for p in sorted(bad):
            print(f"       {Path(p).name}: {by_path.get(p, {}).get('error')}")
        check("exit code 1", done.returncode == 1, str(done.returncode))
        failures = sum(1 for r in records if r["error"])
        warned = [l for l in stderr_lines if l.startswith("sendnlp: warning: ")]
        errors = [l for l in stderr_lines if l not in warned]
        check("one stderr line per failure", len(errors) == failures and all(l.startswith("sendnlp: ") for l in errors),
              f"{len(errors)} lines, {failures} failures")
        unrecognised = sum(1 for r in records if not r["error"] and r["framework"] is None)
        check("one warning line per good input that is not an inspection document", len(warned) == unrecognised,
              f"{len(warned)} warnings, {unrecognised} such inputs (small made-up .txt files)")
        check("no Traceback on stderr", "Traceback" not in done.stderr)

        # --- memory over many documents, in process -------------------------------------------------
        import sendnlp

        many = Path(tmp) / "many"
        many.mkdir()
        paths = []
        for doc, text in sorted(texts.items()):
            path = many / f"{doc}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        inputs = [paths[i % len(paths)] for i in range(n_many)]
        model = sendnlp.load()
        print(f"classify_many over {n_many} documents ({len(paths)} rendered corpus documents repeated), in process:")
        print(f"  RSS after load: {rss_mb():.1f} MB")
        marks = {m for m in (1, 10, 100, 500, 1000, n_many) if m <= n_many}
        started = time.perf_counter()
        errors = sentences = 0
        for i, result in enumerate(model.classify_many(inputs), start=1):
            errors += result.error is not None
            sentences += len(result.sentences)
            if i in marks:
                print(f"  RSS after {i:5d} documents: {rss_mb():.1f} MB  ({time.perf_counter() - started:.1f} s)")
        own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  {sentences:,} sentences, {errors} errors, {n_many / (time.perf_counter() - started):.1f} documents/s; "
              f"peak RSS of this process {own_peak:.1f} MB")
    print("all checks passed" if ok else "SOME CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
