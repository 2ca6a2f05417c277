"""The model: classification, masking, persistence that refuses untrusted files, reproducible training."""
from __future__ import annotations

import json
import pickle
import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

import sendnlp
from sendnlp.cli import app
from sendnlp.errors import ModelError
from sendnlp.labels import POLARITIES, THEME_IDS
from sendnlp.persist import sha256


def test_classify_sentences_columns_and_sense(model):
    frame = model.classify_sentences([
        "Too many families wait more than a year for an autism assessment.",
        "Parents speak highly of the Local Offer, which is easy to find and use.",
        "Inspectors met leaders from the local authority and the ICB.",
    ])
    assert list(frame.columns) == ["text", "polarity", *(f"p_{p}" for p in POLARITIES), "themes",
                                   *(f"p_{t}" for t in THEME_IDS)]
    assert frame["polarity"].tolist() == ["weakness", "strength", "neutral"]
    assert np.allclose(frame[[f"p_{p}" for p in POLARITIES]].sum(axis=1), 1)
    assert "waiting_times" in frame["themes"][0] and "local_offer" in frame["themes"][1]
    assert frame["themes"][2] == []


def test_one_string_is_one_sentence(model):
    text = "Too many families wait more than a year for an autism assessment."
    frame = model.classify_sentences(text)
    assert frame["text"].tolist() == [text]
    assert frame.equals(model.classify_sentences([text]))


def test_themes_read_the_rest_of_the_bullet(model):
    texts = ["Leaders have jointly commissioned a new short breaks service with health partners.",
             "This has closed a long-standing gap for families."]
    tagger = model.tagger
    X = tagger.transform(texts)
    alone = tagger.theme_proba(X)
    in_bullet = tagger.theme_proba(X, ["b", "b"])
    jc = THEME_IDS.index("joint_commissioning")
    assert alone[0, jc] >= tagger.thresholds_["joint_commissioning"]
    assert in_bullet[1, jc] > alone[1, jc]


def test_negation_flips_polarity(model):
    frame = model.classify_sentences(["EHC plans are completed on time.", "EHC plans are not completed on time."])
    assert frame["polarity"].tolist() == ["strength", "weakness"]


def test_classify_document_fields(model, letter_2016):
    result = model.classify(letter_2016)
    assert result.framework == "2016" and result.stated_outcome == "wsoa"
    assert result.predicted_outcome in ("wsoa", "no_wsoa")
    assert set(result.outcome_scores) == {"wsoa", "no_wsoa"}
    assert 0 <= result.formal_action_probability <= 1
    assert result.outcome_disagrees == (result.predicted_outcome != "wsoa")
    assert result.weighing and result.key_findings
    frame = result.to_frame()
    assert len(frame) == len(result.sentences) and {"path", "polarity", "p_weakness", "themes"} <= set(frame)
    assert all(s.polarity == "neutral" for s in result.sentences if s.heading)


def _swap_outcome(text: str, new_outcome_sentences: list[str]) -> str:
    start = text.index("Inspection outcome") + len("Inspection outcome")
    end = text.index("Information about the local area partnership")
    return text[:start] + "\n\n" + " ".join(new_outcome_sentences) + "\n\n" + text[end:]


def test_masking_the_prediction_ignores_the_outcome_paragraph(model, corpus, report_2023):
    s = corpus.sentences
    positive = s[(s["document"] == "c23p-001") & (s["section"] == "outcome") & ~s["heading"]]["text"].tolist()
    swapped = _swap_outcome(report_2023, positive)
    before, after = model.classify(report_2023), model.classify(swapped)
    assert before.stated_outcome == "systemic_failings" and after.stated_outcome == "positive"
    assert before.predicted_outcome == after.predicted_outcome
    assert before.outcome_scores == after.outcome_scores
    assert before.formal_action_probability == after.formal_action_probability


def test_classify_many_keeps_order_and_survives_bad_input(model, tmp_path, letter_2016):
    good = tmp_path / "good.txt"
    good.write_text(letter_2016)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7 broken")
    results = list(model.classify_many([good, bad, tmp_path / "missing.txt", good], n_jobs=2))
    assert [r.error is None for r in results] == [True, False, False, True]
    assert "bad.pdf" in results[1].error and "missing.txt" in results[2].error
    assert results[0].sentences and results[0].to_dict() == results[3].to_dict()


# --- persistence ------------------------------------------------------------------------------------

@pytest.fixture
def model_copy(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(sendnlp.api.default_model_dir(), target, ignore=shutil.ignore_patterns("__init__.py", "__pycache__"))
    return target


class _Payload:
    """Unpickling this runs code: it writes a marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _rehash(model_copy, name):
    card = json.loads((model_copy / "card.json").read_text())
    card["files"][name] = sha256(model_copy / name)
    (model_copy / "card.json").write_text(json.dumps(card))


def test_a_pickle_in_place_of_the_model_is_refused_and_never_runs(model_copy, tmp_path):
    marker = tmp_path / "code-ran"
    path = model_copy / "tagger.npz"
    path.write_bytes(pickle.dumps(_Payload(marker)))
    _rehash(model_copy, "tagger.npz")  # even with a matching hash
    with pytest.raises(ModelError, match="tagger.npz: not a sendnlp model file"):
        sendnlp.load(model_copy)
    assert not marker.exists()


def test_an_object_array_inside_a_model_file_is_refused_and_never_runs(model_copy, tmp_path):
    marker = tmp_path / "code-ran"
    path = model_copy / "outcome.npz"
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["formal.coef"] = np.array([_Payload(marker)], dtype=object)
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)
    _rehash(model_copy, "outcome.npz")
    with pytest.raises(ModelError, match="outcome.npz: not a sendnlp model file"):
        sendnlp.load(model_copy)
    assert not marker.exists()


@pytest.mark.parametrize("change, message", [
    (lambda a: a.pop("polarity.coef"), "missing array 'polarity.coef'"),
    (lambda a: a.update({"theme.ehc_plans.coef": a["theme.ehc_plans.coef"][:, :10]}), "do not fit a vocabulary"),
    # a theme head without the bullet half, and a polarity head as wide as a theme head
    (lambda a: a.update({"theme.ehc_plans.coef": a["theme.ehc_plans.coef"][:, : a["polarity.coef"].shape[1]]}),
     "do not fit a vocabulary"),
    (lambda a: a.update({"polarity.coef": np.hstack([a["polarity.coef"]] * 2)}), "do not fit a vocabulary"),
    (lambda a: a.update({"vocabulary.idf": a["vocabulary.idf"][:5]}), "idf weights"),
    (lambda a: a.update({"context.classes": a["context.classes"][:1]}), "classes do not fit"),
    (lambda a: a.update({"meta.json": np.array("[1, 2]")}), "no parameters"),
])
def test_a_misshapen_model_file_is_refused_with_its_name(model_copy, change, message):
    path = model_copy / "tagger.npz"
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    change(arrays)
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)
    _rehash(model_copy, "tagger.npz")
    with pytest.raises(ModelError, match=f"tagger.npz: .*{message}"):
        sendnlp.load(model_copy)


def test_a_changed_file_fails_its_hash(model_copy):
    path = model_copy / "outcome.npz"
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(ModelError, match="SHA-256 does not match"):
        sendnlp.load(model_copy)


def test_other_versions_warn_and_another_major_refuses(model_copy, letter_2016):
    card_path = model_copy / "card.json"
    card = json.loads(card_path.read_text())
    card["versions"]["scikit-learn"] = "0.1.0"
    card_path.write_text(json.dumps(card))
    with pytest.warns(UserWarning, match="scikit-learn 0.1.0"):
        sendnlp.load(model_copy)
    (model_copy.parent / "letter.txt").write_text(letter_2016)
    result = CliRunner().invoke(app, ["classify", str(model_copy.parent / "letter.txt"), "-m", str(model_copy)])
    assert result.exit_code == 0 and result.stdout
    assert result.stderr.startswith(f"sendnlp: warning: {model_copy}: model trained under other versions")
    assert len(result.stderr.splitlines()) == 1
    card["versions"]["sendnlp"] = "99.0.0"
    card_path.write_text(json.dumps(card))
    with pytest.raises(ModelError, match="retrain"):
        sendnlp.load(model_copy)


def test_card_records_data_versions_and_hashes():
    card = json.loads((sendnlp.api.default_model_dir() / "card.json").read_text())
    assert {"sendnlp", "scikit-learn", "spacy", "numpy", "python"} <= set(card["versions"])
    assert set(card["files"]) == {"tagger.npz", "outcome.npz"} and card["format"] == "sendnlp-arrays-1"
    assert card["training_data"][0]["sha256"]
    assert "real_reports_included" in card


def test_a_saved_card_md_shows_the_versions_and_file_hashes(model, tmp_path):
    model.save(tmp_path / "copy")
    card = json.loads((tmp_path / "copy" / "card.json").read_text())
    text = (tmp_path / "copy" / "card.md").read_text()
    assert card["versions"]["scikit-learn"] in text and card["files"]["tagger.npz"] in text


# --- training ---------------------------------------------------------------------------------------

def test_training_is_reproducible_and_round_trips(tmp_path, corpus):
    from sendnlp.corpus import write_batch, Corpus

    keep = ["c16n-001", "c16w-001", "c16m-001", "c16m-002", "c23p-001", "c23i-001", "c23s-001", "c23s-002",
            "c23p-002", "c23i-002"]
    small = Corpus(corpus.sentences[corpus.sentences["document"].isin(keep)],
                   corpus.documents[corpus.documents["document"].isin(keep)], "", [])
    write_batch(small, tmp_path / "small", "small")
    sentences = ["Waiting times for speech and language therapy are far too long.", "The forum is strong."]
    first = sendnlp.train(tmp_path / "small", seed=3)
    second = sendnlp.train(tmp_path / "small", seed=3)
    a, b = first.classify_sentences(sentences), second.classify_sentences(sentences)
    assert a.drop(columns="text").equals(b.drop(columns="text"))
    first.save(tmp_path / "m")
    loaded = sendnlp.load(tmp_path / "m")
    assert loaded.classify_sentences(sentences).equals(a)
    assert loaded.card["real_reports_included"] is False


def test_the_documents_furniture_is_neutral_whatever_its_words(model, report_2023):
    alarming = "Too many families wait far too long for assessments, and the Local Offer is poor."
    text = report_2023 + "\n\nLocal area partnership details\n\n" + alarming + "\n"
    assert model.classify_sentences([alarming])["polarity"][0] == "weakness"
    closing = [s for s in model.classify(text).sentences if s.text == alarming]
    assert [s.section for s in closing] == ["closing"]
    assert closing[0].polarity == "neutral" and closing[0].themes == [] and closing[0].scores["neutral"] == 1.0


def test_a_list_item_is_read_after_the_sentence_that_introduces_it(model, report_2023):
    heading = "What does the area partnership need to do better?"
    listed = report_2023.replace(heading, f"{heading}\n\nChildren wait too long for:\n\n• physiotherapy.\n\n"
                                          "• occupational therapy.\n", 1)
    result = model.classify(listed)
    items = [s for s in result.sentences if s.text in ("physiotherapy.", "occupational therapy.")]
    assert len(items) == 2 and all(s.bullet is not None for s in items)
    assert [s.polarity for s in items] == ["weakness", "weakness"]
    assert all("waiting_times" in s.themes for s in items)
    alone = model.classify_sentences(["physiotherapy."])  # without its lead-in, a bare name has no such reading
    assert "waiting_times" not in alone["themes"][0]
