"""The command line: each command checks its arguments and makes one call into the library.

Data goes to stdout (or --output, written atomically); progress, warnings and errors to stderr.
Exit codes: 0 all inputs done; 1 some input could not be read or classified; 2 usage error.
"""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from . import report
from .errors import SendnlpError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Read Ofsted/CQC local area SEND inspection letters and reports.")


class Format(str, Enum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"
    json = "json"


class Level(str, Enum):
    sentence = "sentence"
    letter = "letter"


def _show_version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"sendnlp {__version__}")
        raise typer.Exit()


@app.callback()
def _options(version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True,
                                          help="Show the version and exit.")) -> None:
    pass  # the app's help text is the Typer(help=...) above; this only adds --version


def _fail(message: str, code: int = 1, verbose: bool = False) -> None:
    if verbose:
        import traceback

        traceback.print_exc()
    typer.echo(f"sendnlp: {message}", err=True)
    raise typer.Exit(code)


@app.command("classify")
def classify_cli(
    paths: List[str] = typer.Argument(..., help="Files (.pdf .txt .html .docx), folders (walked), or - for stdin."),
    format: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
    level: Level = typer.Option(Level.sentence, "--level", "-l", help="One row a sentence, or one record a document."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write here (atomically) instead of stdout."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="A model directory (default: the bundled one)."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write one HTML page per document and an index here."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Processes to spread documents over."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show tracebacks."),
) -> None:
    """Tag every sentence and predict each document's outcome."""
    try:
        code = report.classify_to(paths, format.value, level.value, output, model, html, jobs)
    except SendnlpError as err:
        _fail(str(err), 1, verbose)
    except KeyboardInterrupt:
        _fail("interrupted" + (f"; {output} left as it was" if output else ""), 130)
    raise typer.Exit(code)


@app.command("inspect")
def inspect_cli(
    paths: List[str] = typer.Argument(..., help="Files, folders or - for stdin."),
    format: str = typer.Option("text", "--format", "-f", help="text (an outline for people) or json."),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
) -> None:
    """Show the parsed structure of documents (no model needed)."""
    if format not in ("text", "json"):
        _fail(f"--format must be text or json, not {format!r}", 2)
    try:
        code = report.inspect_to(paths, format)
    except SendnlpError as err:
        _fail(str(err), 1, verbose)
    raise typer.Exit(code)


@app.command("train")
def train_cli(
    corpus: List[Path] = typer.Argument(..., help="Corpus folders (*.sentences.jsonl) and/or folders of documents (silver labels)."),
    out: Path = typer.Option(Path("model"), "--out", "-o", help="The model directory to write."),
    seed: int = typer.Option(0, "--seed"),
    evaluate: bool = typer.Option(False, "--evaluate", help="Also run grouped cross-validation and put the metrics on the card."),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
) -> None:
    """Train a model and save it (weights as arrays, and a model card)."""
    try:
        report.train_to(corpus, out, seed, evaluate)
    except SendnlpError as err:
        _fail(str(err), 1, verbose)


@app.command("evaluate")
def evaluate_cli(
    corpus: List[Path] = typer.Argument(..., help="Corpus folders and/or folders of documents."),
    model: Optional[Path] = typer.Option(None, "--model", "-m", help="Score this model on the data instead of cross-validating."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the metrics as JSON here."),
    folds: int = typer.Option(5, "--folds", min=2),
    seed: int = typer.Option(0, "--seed"),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
) -> None:
    """Grouped cross-validation (or a given model's scores): per-label metrics beside baselines."""
    try:
        report.evaluate_to(corpus, model, output, folds, seed)
    except SendnlpError as err:
        _fail(str(err), 1, verbose)


@app.command("corpus")
def corpus_cli(
    paths: List[str] = typer.Argument(..., help="Letters or reports (files or folders)."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write <batch>.documents.jsonl and <batch>.sentences.jsonl."),
    batch: str = typer.Option("silver", "--batch", help="Batch name."),
) -> None:
    """Turn documents into a silver-labelled corpus batch (labels from their own headings)."""
    raise typer.Exit(report.corpus_to(paths, out, batch))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("sendnlp: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
