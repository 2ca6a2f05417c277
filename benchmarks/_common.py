"""Shared helpers for the benchmark scripts: the machine, the real reports, our own fixtures, memory.

Nothing here copies text from the real reports: fixtures are rendered from our corpus, and the
real PDFs are only read at run time from the shared folder (skipped where it is absent).
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
VENV_BIN = Path(sys.executable).parent
SENDNLP = str(VENV_BIN / "sendnlp")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def command() -> str:
    """The command that produced this output, as typed from the repository root."""
    script = Path(sys.argv[0]).resolve()
    try:
        script = script.relative_to(ROOT)
    except ValueError:
        pass
    python = sys.executable
    try:
        python = str(Path(python).relative_to(ROOT))
    except ValueError:
        pass
    return " ".join([python, str(script), *map(shlex.quote, sys.argv[1:])])


def options(doc: str | None, **defaults: int) -> argparse.Namespace:
    """The script's whole-number options, ``--name N`` each with its default (``--help`` lists them).

    An option the script does not have, or a shortened one, is an error: a mistyped ``--training 5``
    must not start a quarter-hour run with the defaults, nor be read as ``--trainings 5``.
    """
    parser = argparse.ArgumentParser(description=(doc or "").strip().split("\n")[0], allow_abbrev=False)
    for name, default in defaults.items():
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=default, metavar="N",
                            help=f"default {default}")
    return parser.parse_args()


def header(title: str) -> None:
    """Title, command, machine and date, printed first by every script."""
    print(f"== {title}")
    print(f"command: {command()}")
    print(f"machine: nproc {os.cpu_count()}, Python {platform.python_version()}, {platform.platform()}, "
          f"{platform.processor() or platform.machine()}")
    print(f"date: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    sys.stdout.flush()


def real_pdfs() -> list[Path]:
    """The real reports (SENDNLP_REAL_REPORTS, or ../shared/real-reports beside the checkout), or []."""
    candidates = [os.environ.get("SENDNLP_REAL_REPORTS"), ROOT.parent / "shared" / "real-reports"]
    for c in candidates:
        if c and Path(c).is_dir():
            pdfs = sorted(Path(c).glob("*.pdf"))
            if pdfs:
                return pdfs
    return []


def rss_mb() -> float:
    """Current resident set size of this process, MB (Linux /proc)."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def corpus_texts() -> dict[str, str]:
    """Every corpus document rendered back to text (our own words), by document id."""
    from sendnlp.corpus import load_corpus

    corpus = load_corpus(CORPUS)
    return {doc: corpus.document_text(doc) for doc in corpus.documents["document"]}


def corpus_sentences() -> list[str]:
    from sendnlp.corpus import load_corpus

    return load_corpus(CORPUS).sentences["text"].tolist()


def make_pdf(text: str, path: str | Path | None = None) -> bytes:
    """A PDF of our own text (DejaVu Sans where present, so bullets and quotes survive)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc))  # same bytes every run
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    unicode_font = os.path.exists(FONT)
    if unicode_font:
        pdf.add_font("DejaVu", fname=FONT)
        pdf.set_font("DejaVu", size=11)
    else:
        pdf.set_font("Helvetica", size=11)
    for paragraph in text.split("\n\n"):
        plain = " ".join(paragraph.split())
        if not unicode_font:
            plain = plain.replace("\u2022", "-").encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(0, 5.5, plain, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    data = bytes(pdf.output())
    if path is not None:
        Path(path).write_bytes(data)
    return data


def make_docx(text: str) -> bytes:
    """A .docx of our own text: paragraphs, bullets as List Bullet, and one small table."""
    import io

    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        plain = " ".join(paragraph.split())
        if plain.startswith("\u2022 "):
            document.add_paragraph(plain[2:], style="List Bullet")
        else:
            document.add_paragraph(plain)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Local area", "Eastmere"
    table.cell(1, 0).text, table.cell(1, 1).text = "Inspection dates", "6 to 10 March 2023"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def best_of(n: int, fn) -> tuple[float, list[float]]:
    """Best wall time of ``n`` calls of ``fn`` (seconds), and all of them."""
    import time

    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times), times
