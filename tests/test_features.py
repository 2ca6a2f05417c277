"""Theme features: the cues written from the guide, and the mean of a bullet's other sentences."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from sendnlp.features import CUES, cue_columns, others_mean, sentence_features, sentence_vectorizer, theme_features
from sendnlp.nlp import analyse


def cues(text: str) -> list[str]:
    return [CUES[j] for j in cue_columns(analyse(text))]


@pytest.mark.parametrize("text, cue", [
    ("Leaders jointly commission short breaks.", "cue:commissioning"),
    ("The partnership has reviewed its alternative provision offer.", "cue:act_on_services"),
    ("Speech and language therapy services were recommissioned last year.", "cue:services_acted_on"),
    ("Leaders plan across education, health and care.", "cue:across_agencies"),
    ("Health and the council now hold an aligned budget for short breaks.", "cue:budget"),
    # "pooled budget" is a spelling of the joint-commissioning term, so it raises the commissioning cue
    ("Health and the council now share a pooled budget.", "cue:commissioning"),
    ("There is a shortage of special school places.", "cue:sufficiency"),
    ("The sufficiency strategy sets out new resource bases.", "cue:sufficiency"),
    # a plain shortage, however it is said, before or after what is short
    ("Too few specialist places are available for pupils with autism.", "cue:sufficiency"),
    ("The range of overnight short breaks is limited.", "cue:sufficiency"),
    ("Health leaders rarely contribute to the JSNA.", "cue:sufficiency"),
    ("The council has expanded its resource base provision.", "cue:grow_services"),
    # co-production against communication: what families' views shape, or only that they are heard
    ("Children's views are not always recorded in their EHC plans.", "cue:views_shape"),
    ("Young people's feedback has shaped the new short breaks offer.", "cue:views_shape"),
    ("The voice of children and young people is heard clearly.", "cue:views_heard"),
    ("The youth forum advises leaders on the Local Offer.", "cue:participation_group"),
])
def test_each_cue_finds_what_the_guide_describes(text, cue):
    assert cue in cues(text)


@pytest.mark.parametrize("text", [
    "Inspectors met the designated clinical officer.",
    "A child who has an EHC plan may attend a special school.",
    "Parents find the Local Offer website easy to use.",
    "Few parents know that the Local Offer exists.",
    "Leaders have increased the number of staff trained in autism.",
])
def test_sentences_about_other_things_raise_no_cue(text):
    assert cues(text) == []


def test_views_that_shape_something_are_not_also_only_heard():
    assert cues("Leaders listened to parents' views and changed the transport policy.") == ["cue:views_shape"]


def test_others_mean_matches_a_plain_loop_for_dense_and_sparse():
    rng = np.random.default_rng(0)
    M = rng.random((40, 5))
    blocks = [None if k == 0 else f"b{k}" for k in rng.integers(0, 6, size=40)]
    expected = np.zeros_like(M)
    for i, key in enumerate(blocks):
        others = [j for j, other in enumerate(blocks) if key is not None and other == key and j != i]
        if others:
            expected[i] = M[others].mean(axis=0)
    assert np.allclose(others_mean(M, blocks), expected)
    assert np.allclose(others_mean(sparse.csr_matrix(M), blocks).toarray(), expected)
    assert not others_mean(M, None).any()


def test_sentence_features_are_the_vectorizers_tfidf_then_the_cues():
    texts = ["Leaders commission therapy services.", "Therapy is not commissioned.", "It started in October.",
             "Leaders commission therapy services across agencies."]
    vectorizer = sentence_vectorizer(min_df=1).fit(texts)
    X = sentence_features(vectorizer, texts)
    words = len(vectorizer.vocabulary_)
    assert X.shape == (4, words + len(CUES))
    assert np.allclose(X[:, :words].toarray(), vectorizer.transform(texts).toarray(), atol=1e-6)
    assert X[:, words:].toarray().tolist() == [[1 if c in cues(t) else 0 for c in CUES] for t in texts]
    assert cues(texts[0]) == ["cue:act_on_services", "cue:commissioning"]


def test_theme_features_hold_own_features_and_the_bullets_others():
    X = sparse.csr_matrix(np.array([[1, 0, 1], [0, 1, 0], [0, 0, 1]], dtype=np.float32))
    F = theme_features(X, ["b", "b", None]).toarray()
    assert F.shape == (3, 6)
    assert F[:, :3].tolist() == X.toarray().tolist()
    # each sentence in the bullet sees the other's features; the one alone sees none
    assert F[0, 3:].tolist() == [0, 1, 0] and F[1, 3:].tolist() == [1, 0, 1] and not F[2, 3:].any()
    assert not theme_features(X).toarray()[:, 3:].any()
