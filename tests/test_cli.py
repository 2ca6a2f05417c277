"""The command line, through typer's CliRunner: every format and level, stdin, bad input, exit codes."""
from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from sendnlp.cli import app
from sendnlp.labels import POLARITIES

runner = CliRunner()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, letter_2016, report_2023):
    folder = tmp_path_factory.mktemp("batch")
    (folder / "letter.txt").write_text(letter_2016)
    (folder / "report.txt").write_text(report_2023, encoding="utf-16")
    (folder / "empty.txt").write_text("")
    (folder / "random.pdf").write_bytes(bytes(range(256)) * 10)
    return folder


def test_letter_jsonl_has_the_interface_fields(inputs):
    result = runner.invoke(app, ["classify", str(inputs / "letter.txt"), "--level", "letter", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 1
    r = records[0]
    for field in ("path", "framework", "kind", "local_area", "stated_outcome", "predicted_outcome", "outcome_scores",
                  "formal_action_probability", "error", "sentences"):
        assert field in r
    assert r["framework"] == "2016" and r["stated_outcome"] == "wsoa" and r["error"] is None
    for field in ("index", "text", "section", "polarity", "scores", "themes", "theme_scores"):
        assert field in r["sentences"][0]


def test_sentence_csv_one_row_a_sentence(inputs):
    result = runner.invoke(app, ["classify", str(inputs / "report.txt"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) > 50 and {r["polarity"] for r in rows} <= set(POLARITIES)
    assert all(r["path"].endswith("report.txt") for r in rows)


@pytest.mark.parametrize("level", ["sentence", "letter"])
@pytest.mark.parametrize("fmt", ["table", "csv", "jsonl", "json"])
def test_every_format_and_level(inputs, fmt, level):
    result = runner.invoke(app, ["classify", str(inputs / "letter.txt"), "-f", fmt, "-l", level])
    assert result.exit_code == 0, result.output
    out = result.stdout
    if fmt == "json":
        assert isinstance(json.loads(out), list)
    elif fmt == "jsonl":
        assert all(json.loads(line) for line in out.splitlines())
    elif fmt == "csv":
        assert next(csv.reader(io.StringIO(out)))[0] == "path"
    else:
        assert "Summary" in out and "Wrenfold" in out


@pytest.mark.parametrize("columns", [80, 120])
def test_the_table_fits_the_terminal(inputs, columns):
    result = runner.invoke(app, ["classify", str(inputs / "letter.txt")], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(map(len, lines)) <= columns
    header = next(line for line in lines if "polarity" in line and "sentence" in line)
    assert ("section" in header) == (columns >= 100)  # a narrow terminal drops the section column


def test_stdin(letter_2016):
    result = runner.invoke(app, ["classify", "-", "--level", "letter", "--format", "json"], input=letter_2016)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["local_area"] == "Wrenfold"


def test_a_folder_with_bad_inputs_keeps_the_good_and_exits_1(inputs):
    result = runner.invoke(app, ["classify", str(inputs), "--level", "letter", "--format", "jsonl"])
    assert result.exit_code == 1
    records = {r["path"].rsplit("/", 1)[-1]: r for r in map(json.loads, result.stdout.splitlines())}
    assert set(records) == {"letter.txt", "report.txt", "empty.txt", "random.pdf"}
    assert records["letter.txt"]["error"] is None and records["report.txt"]["predicted_outcome"]
    assert "empty" in records["empty.txt"]["error"] and "PDF" in records["random.pdf"]["error"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("sendnlp:")]
    assert len(errors) == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["classify", "inspect"])
def test_a_mistyped_path_is_a_missing_file_not_text(inputs, command):
    typo = str(inputs / "letters")  # no such file, and no file ending
    level = ["--level", "letter"] if command == "classify" else []
    result = runner.invoke(app, [command, str(inputs / "letter.txt"), typo, "--format", "json", *level])
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert [r["path"] for r in records] == [str(inputs / "letter.txt"), typo]
    assert records[1]["error"] == f"{typo}: no such file" and not records[1].get("sentences")
    assert result.stderr.strip() == f"sendnlp: {typo}: no such file"


def test_stdin_with_two_jobs(letter_2016, report_2023, tmp_path):
    (tmp_path / "report.txt").write_text(report_2023)
    result = runner.invoke(app, ["classify", "-", str(tmp_path / "report.txt"), "--jobs", "2", "--level", "letter",
                                 "--format", "json"], input=letter_2016)
    assert result.exit_code == 0, result.output
    first, second = json.loads(result.stdout)
    assert first["path"] == "<stdin>" and first["local_area"] == "Wrenfold" and second["framework"] == "2023"


@pytest.mark.parametrize("where", ["output_is_a_folder", "html_is_a_file", "output_under_a_file"])
def test_an_output_that_cannot_be_written_is_one_line_before_any_work(inputs, tmp_path, where):
    a_file = tmp_path / "a-file"
    a_file.write_text("keep me")
    option = {"output_is_a_folder": ["-o", str(tmp_path)], "html_is_a_file": ["--html", str(a_file)],
              "output_under_a_file": ["-o", str(a_file / "out.csv")]}[where]
    result = runner.invoke(app, ["classify", str(inputs / "letter.txt"), "-f", "csv", *option])
    assert result.exit_code == 1 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("sendnlp: ")
    assert str(tmp_path) in result.stderr and ".part" not in result.stderr
    assert a_file.read_text() == "keep me"


def test_a_file_that_is_not_an_inspection_document_is_tagged_with_a_warning(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Shopping for the school trip. Buy bread, apples and juice.\n")
    result = runner.invoke(app, ["classify", str(notes), "--level", "letter", "--format", "json"])
    assert result.exit_code == 0
    record = json.loads(result.stdout)[0]
    assert record["framework"] is None and record["predicted_outcome"] is None and record["sentences"]
    assert result.stderr == (f"sendnlp: warning: {notes}: not recognised as a SEND inspection letter or report; "
                             "its sentences are tagged, but no outcome is predicted\n")


def test_output_file_is_written_whole(inputs, tmp_path):
    out = tmp_path / "out.csv"
    result = runner.invoke(app, ["classify", str(inputs / "letter.txt"), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text().startswith("path,") and not list(tmp_path.glob(".*part"))


def test_html_pages(inputs, tmp_path):
    result = runner.invoke(app, ["classify", str(inputs / "letter.txt"), "--html", str(tmp_path / "h"), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    index = (tmp_path / "h" / "index.html").read_text()
    pages = [p for p in (tmp_path / "h").glob("*.html") if p.name != "index.html"]
    assert len(pages) == 1 and pages[0].name in index
    page = pages[0].read_text()
    assert "Wrenfold" in page and "WEAKNESS" in page and "http" not in page.replace("http://www.w3.org", "")


def test_inspect_outline_and_json(inputs):
    result = runner.invoke(app, ["inspect", str(inputs / "letter.txt")])
    assert result.exit_code == 0 and "main_findings" in result.stdout and "wsoa" in result.stdout
    result = runner.invoke(app, ["inspect", str(inputs / "letter.txt"), "--format", "json"])
    doc = json.loads(result.stdout)[0]
    assert doc["framework"] == "2016" and doc["sections"][0]["id"] == "front"


def test_version():
    import sendnlp

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout == f"sendnlp {sendnlp.__version__}\n"


def test_usage_errors_exit_2(inputs):
    assert runner.invoke(app, ["classify", str(inputs / "letter.txt"), "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["classify"]).exit_code == 2
    assert runner.invoke(app, ["inspect", str(inputs), "--format", "yaml"]).exit_code == 2


def test_missing_model_is_one_line(inputs, tmp_path):
    result = runner.invoke(app, ["classify", str(inputs / "letter.txt"), "--model", str(tmp_path / "nope")])
    assert result.exit_code == 1 and "no such model directory" in result.stderr
    assert "Traceback" not in result.output


def test_an_interrupted_run_leaves_the_previous_output_whole(tmp_path, model, letter_2016):
    from sendnlp.report import atomic_output, write_results

    out = tmp_path / "out.jsonl"
    out.write_text("previous complete output\n")
    (tmp_path / ".out.jsonl.killed.part").write_text("half")  # what a killed run leaves

    def interrupted():
        yield model.classify(letter_2016)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        with atomic_output(out) as handle:
            write_results(interrupted(), "jsonl", "sentence", handle)
    assert out.read_text() == "previous complete output\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


def test_ctrl_c_on_the_command_line_keeps_the_previous_file(tmp_path, corpus):
    import signal
    import subprocess
    import sys
    import time

    letter = tmp_path / "letter.txt"
    letter.write_text(corpus.document_text("c23i-001"))
    out = tmp_path / "out.csv"
    out.write_text("previous\n")
    # the second input is stdin, held open: the run cannot finish before the interrupt reaches it,
    # however slow or fast the machine (a folder of files could be done before the signal lands)
    process = subprocess.Popen([sys.executable, "-m", "sendnlp", "classify", str(letter), "-", "-f", "csv", "-o", str(out)],
                               stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(1200):  # wait (up to a minute on a busy machine) until it is writing
        if list(tmp_path.glob(".out.csv.*.part")):
            break
        time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("classify never started writing its output")
    process.send_signal(signal.SIGINT)
    # then end stdin: a signal that lands just before the child blocks in read() only sets Python's
    # flag, and the read would wait for input for ever; at end of input the pending interrupt is raised
    process.stdin.close()
    try:
        returncode = process.wait(timeout=60)
        err = process.stderr.read()
    finally:  # never leave a child waiting on stdin
        if process.poll() is None:
            process.kill()
        process.stdin.close()
        process.stderr.close()
    assert returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert out.read_text() == "previous\n" and not list(tmp_path.glob(".out.csv*"))


def test_too_little_to_train_on_is_one_line(letter_2016, report_2023, tmp_path):
    one = tmp_path / "one"
    one.mkdir()
    (one / "letter.txt").write_text(letter_2016)
    result = runner.invoke(app, ["train", str(one), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"sendnlp: {one}: labelled sentences from 1 document(s); training needs at least 2"
    (one / "report.txt").write_text(report_2023)
    result = runner.invoke(app, ["train", str(one), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1 and "no theme labels" in result.stderr.splitlines()[-1]
    result = runner.invoke(app, ["evaluate", str(one)])
    assert result.exit_code == 1 and "training needs at least 5" in result.stderr.splitlines()[-1]
    assert "Traceback" not in result.output and not (tmp_path / "m").exists()
