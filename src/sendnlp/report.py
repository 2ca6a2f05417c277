"""Reports: results to rows, files in csv / jsonl / json / table, and the command workers.

Each ``*_to`` function is the one call a CLI command makes; it returns the exit code.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import tempfile
import warnings
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO, Iterable, Iterator

from .classify import Result
from .errors import SendnlpError
from .persist import file_mode
from .labels import OUTCOMES, POLARITIES, THEME_IDS

__all__ = ["expand_inputs", "sentence_rows", "letter_record", "write_results", "Summary", "atomic_output",
           "classify_to", "inspect_to", "train_to", "evaluate_to", "corpus_to", "outline"]

_SENTENCE_COLUMNS = ["path", "index", "text", "section", "bullet", "heading", "outcome_statement", "polarity",
                     *(f"p_{p}" for p in POLARITIES), "themes", *(f"p_{t}" for t in THEME_IDS), "terms", "error"]
_LETTER_COLUMNS = ["path", "framework", "kind", "local_area", "inspection_dates", "stated_outcome",
                   "predicted_outcome", "formal_action_probability", "outcome_disagrees",
                   *(f"p_{o}" for o in sorted({o for v in OUTCOMES.values() for o in v})),
                   "revisit_progress", "sentences", "strengths", "weaknesses", "error"]


def expand_inputs(paths: Iterable[str]) -> list[str | Path]:
    """Each path as given, folders walked for readable files (``-`` stays stdin).

    Files come back as :class:`~pathlib.Path`, so a mistyped name is read as a missing file ("no such
    file"), never as the text of a document.
    """
    from .readers import walk

    out: list[str | Path] = []
    for p in paths:
        out += ["-"] if p == "-" else map(Path, walk([p]))
    return out


# --- rows -------------------------------------------------------------------------------------

def sentence_rows(result: Result, flat: bool) -> Iterator[dict]:
    """One dict a sentence (``flat``: probabilities as p_ columns, for csv), or the error record."""
    if result.error:
        yield {"path": result.path, "error": result.error}
        return
    for s in result.sentences:
        row = {"path": result.path, "index": s.index, "text": s.text, "section": s.section, "bullet": s.bullet,
               "heading": s.heading, "outcome_statement": s.outcome_statement, "polarity": s.polarity}
        if flat:
            row |= {f"p_{k}": v for k, v in s.scores.items()}
            row["themes"] = ";".join(s.themes)
            row |= {f"p_{k}": v for k, v in s.theme_scores.items()}
            row["terms"] = ";".join(s.terms)
        else:
            row |= {"scores": s.scores, "themes": s.themes, "theme_scores": s.theme_scores, "terms": s.terms}
        row["error"] = None
        yield row


def letter_record(result: Result, flat: bool) -> dict:
    """One dict a document: the full record with its sentences, or (``flat``) the csv row."""
    if not flat:
        record = {f.name: getattr(result, f.name) for f in fields(result)}  # shallow: sentences replaced below
        record["sentences"] = [{k: v for k, v in r.items() if k not in ("path", "error")}
                               for r in sentence_rows(result, flat=False)] if not result.error else []
        return record
    polarity = Counter(s.polarity for s in result.sentences)
    row = {c: getattr(result, c, None) for c in _LETTER_COLUMNS if hasattr(result, c)}
    row |= {f"p_{o}": (result.outcome_scores or {}).get(o) for o in
            sorted({o for v in OUTCOMES.values() for o in v})}
    row["revisit_progress"] = "/".join(map(str, result.revisit_progress)) if result.revisit_progress else None
    row["sentences"] = len(result.sentences)
    row["strengths"], row["weaknesses"] = polarity["strength"], polarity["weakness"]
    return row


# --- writing ----------------------------------------------------------------------------------

@contextmanager
def atomic_output(output: Path | None) -> Iterator[IO[str]]:
    """stdout, or a temporary file beside ``output`` that replaces it only when complete."""
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    output = Path(output)
    if output.is_dir():
        raise SendnlpError(f"{output}: is a folder; --output takes a file name")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        for stale in output.parent.glob(f".{output.name}.*.part"):  # left by a run that was killed outright
            stale.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".part")
    except OSError as err:  # named by the output, not the temporary file beside it
        raise _cannot_write(err, output) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, file_mode())
        os.replace(tmp, output)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _csv_value(v):
    return "" if v is None else v


@dataclass
class Summary:
    """Counts over a batch, kept as results stream past (the sentences themselves are not kept)."""

    documents: Counter = field(default_factory=Counter)  # (framework, predicted, stated) -> documents
    polarity: Counter = field(default_factory=Counter)
    themes: Counter = field(default_factory=Counter)     # (theme, polarity) -> sentences
    failed: int = 0

    def add(self, result: Result) -> None:
        if result.error:
            self.failed += 1
            return
        self.documents[(result.framework, result.predicted_outcome or "-", result.stated_outcome or "-")] += 1
        self.polarity.update(s.polarity for s in result.sentences)
        self.themes.update((t, s.polarity) for s in result.sentences for t in s.themes)


def write_results(results: Iterable[Result], fmt: str, level: str, out: IO[str]) -> Summary:
    """Write results as they come (csv, jsonl) or at the end (json, table); return the batch's counts."""
    summary = Summary()
    flat = fmt == "csv"
    writer = None
    collected: list = []
    for result in results:
        summary.add(result)
        if fmt == "table":
            collected.append(result)
            continue
        rows = list(sentence_rows(result, flat)) if level == "sentence" else [letter_record(result, flat)]
        if fmt == "csv":
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=_SENTENCE_COLUMNS if level == "sentence" else _LETTER_COLUMNS,
                                        extrasaction="ignore")
                writer.writeheader()
            writer.writerows({k: _csv_value(v) for k, v in row.items()} for row in rows)
        elif fmt == "jsonl":
            out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        else:
            collected += rows
    if fmt == "json":
        json.dump(collected, out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "table":
        _write_table(collected, level, summary, out)
    return summary


def _write_table(results: list[Result], level: str, summary: Summary, out: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    # COLUMNS, else the terminal's width when writing to it, else 160 (a file read later, a pipe)
    width = shutil.get_terminal_size((160, 24)).columns if out.isatty() or os.environ.get("COLUMNS") else 160
    width = max(60, min(200, width))
    console = Console(file=out, width=width, force_terminal=out.isatty())
    narrow = width < 100  # no section column, narrower themes: the sentence keeps room to be read
    columns = {"#": {"justify": "right", "width": 4}, "section": {"width": 18}, "polarity": {"width": 9},
               "p": {"width": 5}, "themes": {"width": 14 if narrow else 24}, "sentence": {"ratio": 1}}
    if narrow:
        del columns["section"]
    for r in results:
        if r.error:
            continue
        head = (f"[bold]{r.path or '<text>'}[/bold]: {r.framework or '?'} {r.kind or ''}, "
                f"{r.local_area or 'area not found'}; stated [bold]{r.stated_outcome or '-'}[/bold], "
                f"predicted [bold]{r.predicted_outcome or '-'}[/bold]"
                + (f" (formal action p={r.formal_action_probability:.2f})" if r.formal_action_probability is not None else "")
                + (" [red]DISAGREE[/red]" if r.outcome_disagrees else ""))
        console.print(head)
        if level == "sentence":
            table = Table(show_lines=False, expand=True)
            for name, kw in columns.items():
                table.add_column(name, **kw)
            colour = {"strength": "green", "weakness": "red", "neutral": "dim"}
            for s in r.sentences:
                if s.heading:
                    continue
                cells = {"#": str(s.index), "section": s.section, "polarity": f"[{colour[s.polarity]}]{s.polarity}[/]",
                         "p": f"{s.scores[s.polarity]:.2f}", "themes": ", ".join(s.themes), "sentence": s.text}
                table.add_row(*(cells[name] for name in columns))
            console.print(table)
        if r.revisit_progress:
            console.print(f"  stated progress: sufficient on {r.revisit_progress[0]} of {r.revisit_progress[1]} weaknesses")
    _write_summary(summary, console)


def _write_summary(summary: Summary, console) -> None:
    from rich.table import Table

    done = sum(summary.documents.values())
    console.print(f"\n[bold]Summary[/bold]: {done} document{'s' * (done != 1)} classified, {summary.failed} failed; "
                  f"sentences: " + ", ".join(f"{p} {summary.polarity[p]}" for p in POLARITIES))
    table = Table(title="Documents by outcome")
    for c in ("framework", "predicted", "stated", "documents"):
        table.add_column(c)
    for (fw, pred, stated), n in sorted(summary.documents.items(), key=str):
        table.add_row(str(fw), pred, stated, str(n))
    console.print(table)
    table = Table(title="Sentences by theme and polarity")
    for c in ("theme", *POLARITIES):
        table.add_column(c, justify="right" if c != "theme" else "left")
    for t in THEME_IDS:
        table.add_row(t, *(str(summary.themes[(t, p)]) for p in POLARITIES))
    console.print(table)


# --- command workers --------------------------------------------------------------------------

def _progress(items: list, results: Iterator[Result]) -> Iterator[Result]:
    """A rich progress bar on stderr, only on a terminal and only for more than one input."""
    if len(items) < 2 or not sys.stderr.isatty():
        yield from results
        return
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("classifying", total=len(items))
        for r in results:
            progress.advance(task)
            yield r


def _report_errors(results: Iterator[Result], failures: list[str]) -> Iterator[Result]:
    """Each failed input's error on stderr (and in ``failures``); a warning for a document that is not
    an inspection letter or report, which is tagged but given no outcome."""
    from .structure import NOT_RECOGNISED

    for r in results:
        if r.error:
            failures.append(r.error)
            print(f"sendnlp: {r.error}", file=sys.stderr)
        elif r.framework is None:
            print(f"sendnlp: warning: {r.path or '<text>'}: {NOT_RECOGNISED}; its sentences are tagged, "
                  "but no outcome is predicted", file=sys.stderr)
        yield r


def classify_to(paths: list[str], fmt: str, level: str, output: Path | None, model_path: Path | None,
                html_dir: Path | None, jobs: int) -> int:
    from .api import load

    if html_dir is not None and html_dir.exists() and not html_dir.is_dir():
        raise SendnlpError(f"{html_dir}: is a file; --html takes a folder")
    with warnings_on_stderr():  # a model trained under other library versions
        model = load(model_path)
    inputs = expand_inputs(paths)
    if not inputs:
        raise SendnlpError(f"{', '.join(paths)}: no readable documents found")
    failures: list[str] = []
    results = _report_errors(_progress(inputs, model.classify_many(inputs, n_jobs=jobs)), failures)
    try:
        if html_dir is not None:
            from .html import HtmlWriter

            writer = HtmlWriter(html_dir)
            results = writer.tee(results)
        with atomic_output(output) as out:
            write_results(results, fmt, level, out)
        if html_dir is not None:
            writer.finish()
    except OSError as err:  # a full disk, a closed pipe, a page that cannot be written
        raise _cannot_write(err, err.filename or output or "standard output") from None
    if html_dir is not None:
        print(f"sendnlp: HTML pages in {html_dir}/index.html", file=sys.stderr)
    return 1 if failures else 0


def _cannot_write(err: OSError, where: Path | str) -> SendnlpError:
    """An error writing results, named by the file it concerns (an HTML page, the output or stdout)."""
    return SendnlpError(f"{where}: cannot be written ({err.strerror or err})")


def outline(doc) -> str:
    """A readable outline of a parsed document."""
    lines = [f"{doc.path or '<text>'}", f"  framework: {doc.framework}  kind: {doc.kind}",
             f"  local area: {doc.local_area}", f"  inspection dates: {doc.inspection_dates}",
             f"  stated outcome: {doc.stated_outcome}"]
    if doc.revisit_progress:
        lines.append(f"  stated progress: sufficient on {doc.revisit_progress[0]} of {doc.revisit_progress[1]}")
        lines += [f"    - {'sufficient' if w['sufficient'] else 'NOT sufficient'}: {w['weakness']}"
                  for w in doc.revisit_weaknesses]
    lines.append("  sections:")
    for section in doc.sections:
        marks = sum(doc.sentences[i].outcome_statement for i in section.sentences)
        lines.append(f"    {section.id:24s} {len(section.sentences):4d} sentences {section.bullets:3d} bullets"
                     + (f"  ({marks} outcome statements)" if marks else ""))
    return "\n".join(lines)


def inspect_to(paths: list[str], fmt: str) -> int:
    from .api import read

    inputs = expand_inputs(paths)
    if not inputs:
        raise SendnlpError(f"{', '.join(paths)}: no readable documents found")
    code, records = 0, []
    try:
        for path in inputs:
            try:
                doc = read(path)
            except SendnlpError as err:
                print(f"sendnlp: {err}", file=sys.stderr)
                code = 1
                records.append({"path": str(path), "error": str(err)})
                continue
            if fmt == "json":
                records.append(doc.to_dict() | {"error": None})
            else:
                print(outline(doc), flush=True)
        if fmt == "json":
            json.dump(records, sys.stdout, ensure_ascii=False, indent=1)
            print(flush=True)
    except OSError as err:  # a full disk or a closed pipe on stdout
        raise _cannot_write(err, err.filename or "standard output") from None
    return code


@contextmanager
def warnings_on_stderr() -> Iterator[None]:
    """The library's warnings (skipped files, unmatched labels) as one line each on stderr; other
    kinds of warning (deprecations) go on as usual."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            yield
        finally:
            for w in caught:
                if issubclass(w.category, UserWarning):
                    print(f"sendnlp: warning: {w.message}", file=sys.stderr)
                else:
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def train_to(corpus: list[Path], out: Path, seed: int, evaluate: bool) -> None:
    from .training import load_training_data, train

    with warnings_on_stderr():
        data = load_training_data(corpus)
    print(f"sendnlp: training on {len(data.sentences)} sentences from {len(data.documents)} documents "
          f"({', '.join(s['kind'] for s in data.sources)})", file=sys.stderr)
    if not any(s["kind"].startswith("documents") for s in data.sources):
        print("sendnlp: no real documents given: the model learns from the labelled corpus alone", file=sys.stderr)
    model = train(corpus, seed=seed, data=data)
    if evaluate:
        from .evaluate import cross_validate

        model.card["metrics"] = cross_validate(data, seed=seed)
    model.save(out)
    print(f"sendnlp: model saved in {out}", file=sys.stderr)


def evaluate_to(corpus: list[Path], model_path: Path | None, output: Path | None, folds: int, seed: int) -> None:
    from .evaluate import cross_validate, format_metrics, score_model
    from .training import load_training_data

    with warnings_on_stderr():
        data = load_training_data(corpus)
    if model_path is not None:
        from .api import load

        with warnings_on_stderr():
            model = load(model_path)
        metrics = score_model(model, data)
    else:
        metrics = cross_validate(data, folds=folds, seed=seed)
    print(format_metrics(metrics))
    if output is not None:
        with atomic_output(output) as out:
            json.dump(metrics, out, indent=2)


def corpus_to(paths: list[str], out: Path, batch: str) -> int:
    from .api import read
    from .corpus import silver_from_documents, write_batch

    code, parsed, taken = 0, [], set()
    for path in expand_inputs(paths):
        try:
            doc = read(path)
        except SendnlpError as err:
            print(f"sendnlp: {err}", file=sys.stderr)
            code = 1
            continue
        name = Path(path).stem
        if name in taken:  # two files of one name in different folders: ids must stay unique
            name = next(f"{name}-{k}" for k in range(2, len(taken) + 3) if f"{name}-{k}" not in taken)
            print(f"sendnlp: warning: {path}: another document is called {Path(path).stem}; this one is {name}",
                  file=sys.stderr)
        taken.add(name)
        parsed.append((name, doc))
    with warnings_on_stderr():
        silver = silver_from_documents(parsed)
    files = write_batch(silver, out, batch)
    print(f"sendnlp: wrote {files[0]} and {files[1]}", file=sys.stderr)
    return code
