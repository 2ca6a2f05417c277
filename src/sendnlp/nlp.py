"""The spaCy side: a blank English pipeline with sentence rules, the domain terms, and the token
analyser that feeds the scikit-learn models.

Nothing is downloaded: the pipeline is ``spacy.blank("en")`` plus a sentencizer and rules we own.
The analyser tokenises exactly as spaCy's tokenizer does (its output is memoised per
whitespace-delimited chunk, which is how spaCy itself caches), then makes each domain term one
token and marks words in the scope of a negation, so "not effective" never looks like "effective".
"""
from __future__ import annotations

import re
import time
from functools import lru_cache
from typing import Iterable

__all__ = ["TERMS", "get_nlp", "split_sentences", "analyse", "term_matcher", "find_terms"]

# Domain terms: canonical feature -> the spellings people use. Matched case-insensitively.
TERMS: dict[str, tuple[str, ...]] = {
    "T:ehc_plan": ("EHC plan", "EHC plans", "EHCP", "EHCPs", "EHC", "EHCNA", "EHC needs assessment",
                   "EHC needs assessments", "education, health and care plan",
                   "education, health and care plans", "education health and care plan",
                   "education, health and care (EHC) plan", "education, health and care (EHC) plans",
                   "statutory assessment", "statutory assessments", "annual review", "annual reviews"),
    "T:local_offer": ("Local Offer", "local offer website", "Local Offer website"),
    "T:coproduction": ("co-production", "coproduction", "co-produced", "coproduced", "co-produce",
                       "coproduce", "co-producing", "co-productive", "co-design", "co-designed", "co-designing",
                       "codesign", "codesigned"),
    "T:parent_carer_forum": ("parent carer forum", "parent and carer forum", "parent carers forum",
                             "parent/carer forum", "PCF"),
    "T:joint_commissioning": ("joint commissioning", "jointly commissioned", "jointly commission",
                              "jointly commissions", "joint commissioned", "pooled budget", "pooled budgets"),
    "T:sendiass": ("SENDIASS", "SENDIAS", "IASS", "information, advice and support service"),
    "T:camhs": ("CAMHS", "child and adolescent mental health service",
                "child and adolescent mental health services"),
    "T:neurodevelopmental": ("ASD", "ADHD", "autism", "autistic", "neurodevelopmental",
                             "neuro-developmental", "autism spectrum disorder"),
    "T:therapy": ("speech and language therapy", "SALT", "occupational therapy", "OT",
                  "physiotherapy", "speech and language therapists", "occupational therapists"),
    "T:senco": ("SENCo", "SENCos", "SENCO", "SENCOs", "special educational needs coordinator",
                "special educational needs coordinators"),
    "T:health_commissioner": ("CCG", "CCGs", "ICB", "ICBs", "clinical commissioning group",
                              "integrated care board"),
    "T:dco": ("DCO", "DMO", "designated clinical officer", "designated medical officer"),
    "T:pfa": ("PfA", "preparation for adulthood", "preparing for adulthood", "transition to adulthood"),
    "T:ap": ("AP", "alternative provision"),
    "T:neet": ("NEET", "not in education, employment or training"),
    "T:semh": ("SEMH", "social, emotional and mental health"),
    "T:jsna": ("JSNA", "JSNAs", "joint strategic needs assessment", "joint strategic needs assessments"),
}

_NEGATIONS = frozenset({"not", "n't", "no", "never", "nor", "none", "nobody", "nothing", "without",
                        "lack", "lacks", "lacking", "cannot", "unable", "neither", "hardly", "rarely"})
_SCOPE_END = frozenset({".", ",", ";", ":", "!", "?", "but", "however", "although", "though", "while",
                        "whereas", "(", ")", "-"})
_NEGATION_SCOPE = 4  # words after a cue that count as negated
_ABBREVIATIONS = frozenset({"etc", "approx", "incl", "no", "cf", "eg", "ie", "vs"})
_ABBREVIATION_RE = re.compile(r"\b(?i:" + "|".join(sorted(_ABBREVIATIONS)) + r")(\.)\s+[a-z]")
_QUOTES = frozenset({"'", '"'})


@lru_cache(maxsize=1)
def get_nlp():
    """The pipeline: blank English, sentencizer, and rules for abbreviations and opening quotes."""
    import spacy
    from spacy.language import Language

    if "sendnlp_boundaries" not in Language.factories:
        @Language.component("sendnlp_boundaries")
        def _boundaries(doc):
            # "etc." or "approx." before a lower-case word does not end a sentence
            for match in _ABBREVIATION_RE.finditer(doc.text):
                span = doc.char_span(match.start(1), match.end(1))
                if span is not None and span.end < len(doc):
                    doc[span.end].is_sent_start = False
            # a straight quote after a space and before a word opens the next sentence, not closes this one
            for i in range(1, len(doc) - 1):
                token = doc[i]
                if (token.text in _QUOTES and doc[i + 1].is_sent_start and doc[i - 1].whitespace_
                        and not token.whitespace_):
                    token.is_sent_start, doc[i + 1].is_sent_start = True, False
            return doc

    nlp = spacy.blank("en")
    # a full stop after a mixed-case acronym ("... for PfA. In addition") is a token of its own, as it
    # already is after "EHCP" or "SENCo", so it can end the sentence and the acronym is read as a term
    suffixes = [*nlp.Defaults.suffixes, r"(?<=[a-z][A-Z])\."]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("sendnlp_boundaries")
    return nlp


def split_sentences(blocks: Iterable[str], deadline: float | None = None) -> list[list[str]]:
    """Sentences of each block: a block (a heading, a bullet, a paragraph) never shares a sentence.

    ``deadline`` (a ``time.monotonic()`` value): past it, :class:`TimeoutError` is raised.
    """
    out = []
    for doc in get_nlp().pipe(blocks):
        out.append([s.text.strip() for s in doc.sents if s.text.strip()])
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError("sentence splitting ran past the time limit")
    return out


@lru_cache(maxsize=1)
def term_matcher():
    """A PhraseMatcher over every spelling in :data:`TERMS` (case-insensitive)."""
    from spacy.matcher import PhraseMatcher

    nlp = get_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for term, spellings in TERMS.items():
        matcher.add(term, [nlp.make_doc(s) for s in spellings])
    return matcher


def find_terms(text: str) -> list[tuple[str, int, int]]:
    """Domain terms in a text as (term, start char, end char), longest match first, not overlapping."""
    import spacy.util

    doc = get_nlp().make_doc(text)
    matcher = term_matcher()
    spans = spacy.util.filter_spans(matcher(doc, as_spans=True))
    return [(span.label_, span.start_char, span.end_char) for span in spans]


# --- the analyser that feeds the models --------------------------------------------------------
# Feature extraction must run at tens of thousands of sentences a second, so it works on the
# string with compiled regular expressions built from the same TERMS; a test checks that it finds
# the same terms as the PhraseMatcher above.

def _trie_pattern(words: list[str]) -> str:
    """One regular expression for many lower-case strings, shared prefixes factored out (fast to fail)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        ends = "" in node
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + walk(child)
                    for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return walk(trie)


_SPELLING_TERM = {" ".join(s.lower().split()): term for term, spellings in TERMS.items() for s in spellings}
# one pass finds both the domain terms and the numbers (which all become "0")
_TERM_RE = re.compile(r"(?<![\w-])(?:" + _trie_pattern(list(_SPELLING_TERM)) + r")(?![\w-])|\d+(?:[.,]\d+)*")
_SCOPE_WORDS = "|".join(w for w in _SCOPE_END if w.isalpha())
_NEGATION_RE = re.compile(r"(?:\b(?:" + "|".join(sorted(_NEGATIONS - {"n't"}, key=len, reverse=True))
                          + r")\b|n't\b)((?:\s+(?!(?:" + _SCOPE_WORDS + r")\b)[a-z0-9:_'-]+){1,"
                          + str(_NEGATION_SCOPE) + "})")
_TOKEN_RE = re.compile(r"t:\w+|not_[\w:'-]+|n't|\w+(?:[-'.]\w+)*|[^\w\s]")


def _term(match: re.Match) -> str:
    if match.group(0)[0].isdigit():
        return "0"
    return " " + _SPELLING_TERM[" ".join(match.group(0).lower().split())].lower() + " "


def _negate(match: re.Match) -> str:
    scope = match.group(1)
    return match.group(0)[: len(match.group(0)) - len(scope)] + " ".join(" not_" + w for w in scope.split())


def analyse(text: str) -> list[str]:
    """Tokens for the models: lower case, each domain term one token, negated words marked ``not_``.

    >>> analyse("The Local Offer isn't well known, but 95% of EHCPs are on time.")
    ['the', 't:local_offer', "isn't", 'not_well', 'not_known', ',', 'but', '0', '%', 'of', 't:ehc_plan', 'are', 'on', 'time', '.']
    """
    text = _TERM_RE.sub(_term, text.lower())
    return _TOKEN_RE.findall(_NEGATION_RE.sub(_negate, text))
