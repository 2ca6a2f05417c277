"""Tiny fixtures, all written by us: rendered corpus documents, generated PDFs, bad inputs."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
REAL_REPORTS = Path(os.environ.get("SENDNLP_REAL_REPORTS", ROOT.parent / "shared" / "real-reports"))


@pytest.fixture(scope="session")
def corpus():
    from sendnlp.corpus import load_corpus

    return load_corpus(CORPUS)


@pytest.fixture(scope="session")
def letter_2016(corpus) -> str:
    return corpus.document_text("c16w-001")


@pytest.fixture(scope="session")
def report_2023(corpus) -> str:
    return corpus.document_text("c23s-001")


@pytest.fixture(scope="session")
def model():
    import sendnlp

    return sendnlp.load()


@pytest.fixture(scope="session")
def real_reports():
    """The shared real reports, read at run time; tests that need them skip where they are absent."""
    if not REAL_REPORTS.is_dir() or not any(REAL_REPORTS.glob("*.pdf")):
        pytest.skip(f"no real reports at {REAL_REPORTS}")
    import csv

    with open(REAL_REPORTS / "labels.csv", newline="") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


def make_pdf(path: Path, text: str, header: str | None = None, footer: bool = True) -> Path:
    """A PDF of our own text with a running header and page numbers, as published reports have."""
    from fpdf import FPDF

    class Letter(FPDF):
        def header(self):
            if header and self.page_no() > 1:
                self.set_font("Helvetica", size=9)
                self.cell(0, 6, header, new_x="LMARGIN", new_y="NEXT")
                self.ln(2)

        def footer(self):
            if footer:
                self.set_y(-12)
                self.set_font("Helvetica", size=9)
                self.cell(0, 6, str(self.page_no()), align="C")

    pdf = Letter()
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for paragraph in text.split("\n\n"):
        plain = " ".join(paragraph.replace("\u2022", "-").split()).encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(0, 5.5, plain, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))
    return path


@pytest.fixture(scope="session")
def report_pdf(tmp_path_factory, report_2023) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "c23s-001.pdf"
    return make_pdf(path, report_2023, header="Area SEND inspection report: Cranmoor Local Area Partnership")
