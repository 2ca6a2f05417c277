"""The spaCy side and the analyser that feeds the models."""
from sendnlp.nlp import analyse, find_terms, split_sentences


def test_negation_scope_is_marked_and_ends_at_punctuation_or_contrast():
    assert analyse("Plans are not reviewed on time, but leaders act.") == [
        "plans", "are", "not", "not_reviewed", "not_on", "not_time", ",", "but", "leaders", "act", "."]


def test_no_stop_words_removed():
    tokens = analyse("Too few families know of it.")
    assert tokens[:2] == ["too", "few"]


def test_terms_are_one_token_each():
    assert analyse("The EHCP and the parent carer forum.") == ["the", "t:ehc_plan", "and", "the",
                                                               "t:parent_carer_forum", "."]


def test_analyser_finds_the_same_terms_as_the_phrase_matcher(corpus):
    texts = corpus.sentences["text"].tolist()
    for text in texts:
        matched = [term.lower() for term, _, _ in find_terms(text)]
        analysed = [t.removeprefix("not_") for t in analyse(text) if t.removeprefix("not_").startswith("t:")]
        assert analysed == matched, text


def test_sentences_split_inside_blocks_only():
    assert split_sentences(["One. Two etc. and three.", "Heading"]) == [["One.", "Two etc. and three."], ["Heading"]]


def test_a_full_stop_after_a_mixed_case_acronym_ends_the_sentence():
    assert split_sentences(["Young adults are ready for PfA. In addition, plans are good."]) == [
        ["Young adults are ready for PfA.", "In addition, plans are good."]]
    assert analyse("Leaders plan for PfA.")[-2:] == ["t:pfa", "."]
