"""Reading speed on the real PDFs: pypdf and pypdfium2 bare text extraction against sendnlp.read.

    .venv/bin/python benchmarks/read_speed.py [--runs 3]

sendnlp.read is extraction (pypdfium2) + cleaning + structure + sentence splitting. Each method
reads every real report once a run; the best run of ``--runs`` counts. Skips (exit 0) where the
real reports are absent.
"""
from __future__ import annotations

import sys

from _common import best_of, header, options, real_pdfs


def main() -> int:
    runs = options(__doc__, runs=3).runs
    header("read_speed: seconds per real report, best of %d runs" % runs)
    pdfs = real_pdfs()
    if not pdfs:
        print("read_speed.py: no real reports found (../shared/real-reports or SENDNLP_REAL_REPORTS); nothing to measure")
        return 0

    import pypdf
    import pypdfium2 as pdfium

    import sendnlp

    def with_pypdf():
        chars = 0
        for path in pdfs:
            chars += sum(len(page.extract_text() or "") for page in pypdf.PdfReader(path).pages)
        return chars

    def with_pdfium():
        chars = 0
        for path in pdfs:
            pdf = pdfium.PdfDocument(str(path))
            try:
                for page in pdf:
                    textpage = page.get_textpage()
                    chars += len(textpage.get_text_range())
                    textpage.close()
                    page.close()
            finally:
                pdf.close()
        return chars

    def with_sendnlp():
        return sum(len(sendnlp.read(path).sentences) for path in pdfs)

    pages = sum(len(pypdf.PdfReader(p).pages) for p in pdfs)
    size_mb = sum(p.stat().st_size for p in pdfs) / 1e6
    print(f"reports: {len(pdfs)} PDFs, {pages} pages, {size_mb:.1f} MB")
    print(f"{'method':<34} {'best total s':>12} {'s/report':>9} {'runs (s)':>24}")
    results = {}
    for name, fn in (("pypdf bare extract_text", with_pypdf), ("pypdfium2 bare get_text_range", with_pdfium),
                     ("sendnlp.read (extract+clean+parse)", with_sendnlp)):
        best, times = best_of(runs, fn)
        results[name] = best
        print(f"{name:<34} {best:12.3f} {best / len(pdfs):9.4f}   " + ", ".join(f"{t:.3f}" for t in times))
    print(f"sentences found by sendnlp.read: {with_sendnlp()}")
    base = results["pypdf bare extract_text"]
    for name, best in results.items():
        print(f"ratio to pypdf: {name}: {best / base:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
