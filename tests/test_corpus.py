"""The corpus: its size, validity, and the format's checks."""
import json

import pytest

from sendnlp.corpus import load_corpus, load_theme_labels, silver_from_documents, write_batch
from sendnlp.errors import CorpusError
from sendnlp.labels import FIXED_THEME_IDS, THEME_IDS
from sendnlp.structure import parse

from .conftest import CORPUS, ROOT


def test_corpus_is_large_and_varied(corpus):
    s = corpus.sentences[~corpus.sentences["heading"]]
    assert len(corpus.documents) >= 50 and len(s) >= 4000
    assert set(corpus.documents["framework"]) == {"2016", "2023"}
    assert set(corpus.documents["kind"]) == {"inspection", "revisit"}
    assert set(corpus.documents["outcome"].dropna()) == {"wsoa", "no_wsoa", "positive", "inconsistent", "systemic_failings"}
    themes = s["themes"].explode().value_counts()
    assert set(themes.index) == set(THEME_IDS)
    for theme in FIXED_THEME_IDS:
        assert themes[theme] / len(s) > 0.05
    assert s["polarity"].value_counts().min() > 500


def test_invalid_records_are_refused(tmp_path):
    (tmp_path / "b.documents.jsonl").write_text(json.dumps({"document": "d1", "framework": "2023", "kind": "inspection",
                                                            "outcome": "positive"}) + "\n")
    good = {"id": "d1-0000", "document": "d1", "section": "effective", "bullet": 0, "heading": False,
            "text": "Leaders know the area.", "polarity": "strength", "themes": ["leadership"], "outcome_statement": False}
    for broken, phrase in (({"polarity": "good"}, "polarity"), ({"themes": ["nope"]}, "themes"),
                           ({"section": "elsewhere"}, "unknown section"), ({"document": "d9"}, "not in")):
        (tmp_path / "b.sentences.jsonl").write_text(json.dumps(good | broken) + "\n")
        with pytest.raises(CorpusError, match=phrase):
            load_corpus(tmp_path)
    (tmp_path / "b.sentences.jsonl").write_text(json.dumps(good) + "\n")
    assert len(load_corpus(tmp_path).sentences) == 1


def test_silver_labels_come_from_sections_and_round_trip(corpus, tmp_path):
    doc = parse(corpus.document_text("c23p-001"))
    silver = silver_from_documents([("x", doc)])
    s = silver.sentences
    assert set(s[s["section"] == "effective"]["polarity"].dropna()) == {"strength"}
    assert set(s[s["section"] == "do_better"]["polarity"].dropna()) == {"weakness"}
    assert s[s["section"] == "what_it_is_like"]["polarity"].isna().all()
    write_batch(silver, tmp_path, "silver")
    again = load_corpus(tmp_path)
    assert again.sentences["text"].tolist() == s["text"].tolist()


def test_theme_labels_reach_silver_sentences_by_place_and_text_hash(corpus, tmp_path):
    from sendnlp.corpus import text_key
    from sendnlp.training import load_training_data

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "area-a.txt").write_text(corpus.document_text("c23p-001"))
    labelled = tmp_path / "labelled"
    write_batch(corpus.__class__(corpus.sentences[corpus.sentences["document"] == "c23i-001"],
                                 corpus.documents[corpus.documents["document"] == "c23i-001"], "", []), labelled, "b")
    s = silver_from_documents([("area-a", parse(corpus.document_text("c23p-001")))]).sentences
    first, second = s[(s["section"] == "do_better") & (s["bullet"] == 1) & ~s["heading"]].iloc[:2].itertuples()
    prose = s[(s["section"] == "what_it_is_like") & ~s["heading"]].iloc[2]
    rows = ["document,section,bullet,n,sha1,themes",
            f"area-a,do_better,1,0,{text_key(first.text)},joint_commissioning;coproduction",
            f"area-a,what_it_is_like,,2,{text_key(prose.text)},local_offer",
            f"area-a,do_better,1,1,{text_key('other words')},ehc_plans",  # its text changed: left out
            "area-elsewhere,effective,0,0,0123456789ab,local_offer"]  # a document not among the inputs
    (labelled / "mine.themes.csv").write_text("\n".join(rows) + "\n")
    with pytest.warns(UserWarning, match="1 of 3 theme labels match no sentence"):
        data = load_training_data([labelled, docs])
    frame = data.sentences[data.sentences["source"] == "silver"]
    themed = frame[frame["themes"].map(lambda t: isinstance(t, list))]
    assert themed["text"].tolist() == [prose.text, first.text]
    assert themed["themes"].tolist() == [["local_offer"], ["joint_commissioning", "coproduction"]]
    assert data.sources[-1]["sentences"] == 2 and data.sources[-1]["documents"] == 1

    (labelled / "mine.themes.csv").write_text("document,section,bullet,n,sha1,themes\narea-a,do_better,1,0,x,nope\n")
    with pytest.raises(CorpusError, match="mine.themes.csv:2: unknown theme or section 'nope'"):
        load_training_data([labelled, docs])


def test_a_file_that_is_no_letter_or_report_is_skipped_with_a_warning(corpus, tmp_path):
    from sendnlp.training import load_training_data

    (tmp_path / "area-a.txt").write_text(corpus.document_text("c23p-001"))
    (tmp_path / "notes.txt").write_text("A list of fingerprints, one a line.\n0000014553160f8f\n")
    with pytest.warns(UserWarning, match="skipped notes: not recognised as a SEND inspection letter or report"):
        data = load_training_data([tmp_path])
    assert data.sources[-1]["names"] == ["area-a"] and data.sources[-1]["documents"] == 1


def test_training_and_corpus_commands_print_skipped_files_one_line_each(corpus, tmp_path, capsys):
    from sendnlp.report import corpus_to, warnings_on_stderr
    from sendnlp.training import load_training_data

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "area-a.txt").write_text(corpus.document_text("c23p-001"))
    (docs / "notes.txt").write_text("Nothing to see here.\n")
    line = "sendnlp: warning: skipped notes: not recognised as a SEND inspection letter or report\n"
    assert corpus_to([str(docs)], tmp_path / "out", "b") == 0
    assert line in capsys.readouterr().err
    assert set(load_corpus(tmp_path / "out").documents["document"]) == {"area-a"}
    with warnings_on_stderr():  # what train_to and evaluate_to load their data under
        data = load_training_data([docs])
    assert capsys.readouterr().err == line and data.sources[-1]["names"] == ["area-a"]


def test_two_files_of_one_name_in_different_folders_keep_their_own_ids(corpus, tmp_path, capsys):
    from sendnlp.report import corpus_to

    for folder, doc in (("area-a", "c23p-001"), ("area-b", "c23s-001")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text(corpus.document_text(doc))
    assert corpus_to([str(tmp_path / "area-a"), str(tmp_path / "area-b")], tmp_path / "out", "b") == 0
    assert "area-b/report.txt: another document is called report; this one is report-2" in capsys.readouterr().err
    written = load_corpus(tmp_path / "out")
    assert sorted(written.documents["document"]) == ["report", "report-2"]
    assert written.sentences["id"].is_unique


def test_real_sentence_theme_labels_agree_with_the_adjudicated_bullet_labels():
    """A bullet carries a theme when one of its sentences does (docs/model.md): the sentence labels
    that train the model and the bullet labels that score it must say the same, pair by pair."""
    import csv

    [(_, labels)] = load_theme_labels(CORPUS)  # validated: known sections and theme ids
    sentences: dict[tuple, set] = {}
    for document, section, bullet, themes in zip(labels["document"], labels["section"], labels["bullet"],
                                                 labels["themes"]):
        if section in ("effective", "do_better") and bullet >= 0:  # -1: prose
            sentences.setdefault((document, section, int(bullet)), set()).update(themes)
    with open(ROOT / "benchmarks" / "real_bullet_themes.csv", newline="") as f:
        bullets = {(r["file"].rsplit(".", 1)[0], r["section"], int(r["bullet"])):
                   set(filter(None, r["themes_adjudicated"].split(";"))) for r in csv.DictReader(f)}
    assert len(bullets) == 655 and set(sentences) == set(bullets)
    used = set().union(*bullets.values(), *sentences.values())
    assert used <= set(THEME_IDS) and set(FIXED_THEME_IDS) <= used
    assert sum(map(len, bullets.values())) > 1000  # about 1,400 (bullet, theme) pairs: not emptied
    differ = sorted(key + (theme,) for key, themes in bullets.items() for theme in themes ^ sentences[key])
    assert differ == []
