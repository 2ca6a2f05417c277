"""Theme features: the cues written from the guide, and the mean of a bullet's other sentences."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from sendnlp.features import CUES, cue_matrix, others_mean, theme_features


@pytest.mark.parametrize("text, cue", [
    ("Leaders jointly commission short breaks.", "cue:commissioning"),
    ("The partnership has reviewed its alternative provision offer.", "cue:act_on_services"),
    ("Speech and language therapy services were recommissioned last year.", "cue:services_acted_on"),
    ("Leaders plan across education, health and care.", "cue:across_agencies"),
    ("Health and the council now share a pooled budget.", "cue:budget"),
    ("There is a shortage of special school places.", "cue:sufficiency"),
    ("The sufficiency strategy sets out new resource bases.", "cue:sufficiency"),
])
def test_each_cue_finds_what_the_guide_describes(text, cue):
    row = cue_matrix([text]).toarray()[0]
    assert row[list(CUES).index(cue)] == 1.0


@pytest.mark.parametrize("text", [
    "Inspectors met the designated clinical officer.",
    "A child who has an EHC plan may attend a special school.",
    "Parents find the Local Offer website easy to use.",
])
def test_sentences_about_other_things_raise_no_cue(text):
    assert cue_matrix([text]).sum() == 0


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


def test_theme_features_hold_own_words_cues_and_the_bullets_others():
    X = sparse.csr_matrix(np.eye(2, dtype=np.float32))
    texts = ["Leaders commission therapy.", "It started in October."]
    F = theme_features(X, texts, ["b", "b"]).toarray()
    width = 2 + len(CUES)
    assert F.shape == (2, 2 * width)
    assert F[0, 2 + list(CUES).index("cue:commissioning")] == 1
    # the second sentence sees the first one's words and cue, the first sees the second's word only
    assert F[1, width + 0] == 1 and F[1, width + 2 + list(CUES).index("cue:commissioning")] == 1
    assert F[0, width + 1] == 1 and F[0, width + 2:].sum() == 0
    assert not theme_features(X, texts).toarray()[:, width:].any()
