"""Structure on our own documents (every corpus document round-trips) and on the real reports."""
from __future__ import annotations

import re


from sendnlp import read
from sendnlp.readers import read_path
from sendnlp.structure import parse

from .conftest import REAL_REPORTS


def test_every_corpus_document_parses_back(corpus):
    s = corpus.sentences
    for d in corpus.documents.itertuples():
        doc = parse(corpus.document_text(d.document))
        rows = s[s["document"] == d.document]
        assert doc.framework == d.framework and doc.kind == d.kind, d.document
        assert doc.local_area == d.local_area, d.document
        assert doc.inspection_dates, d.document
        if d.kind == "inspection":
            assert doc.stated_outcome == d.outcome, d.document
        else:
            assert list(doc.revisit_progress) == list(d.revisit_progress), d.document
        assert [x.section for x in doc.sentences] == rows["section"].tolist(), d.document
        assert [x.text for x in doc.sentences] == rows["text"].tolist(), d.document
        expected = rows[rows["bullet"].notna()].groupby("section")["bullet"].nunique().to_dict()
        assert doc.bullet_counts() == expected, d.document


def test_outcome_statements_are_marked(corpus, letter_2016, report_2023):
    for text in (letter_2016, report_2023):
        doc = parse(text)
        marked = [s for s in doc.sentences if s.outcome_statement]
        assert marked
        assert not [s for s in doc.sentences if not s.outcome_statement and
                    re.search(r"written statement of action|systemic failings|priority action plan", s.text, re.I)
                    and s.section not in ("significant_weaknesses",)]
    # the corpus authors marked outcome statements too: we find every one of theirs
    s = corpus.sentences
    for d in corpus.documents["document"]:
        doc = parse(corpus.document_text(d))
        theirs = s[(s["document"] == d) & s["outcome_statement"]]["text"].tolist()
        ours = {x.text for x in doc.sentences if x.outcome_statement}
        assert set(theirs) <= ours, (d, set(theirs) - ours)


def test_revisit_progress_per_weakness(corpus):
    doc = parse(corpus.document_text("crv-002"))
    assert doc.kind == "revisit" and doc.revisit_progress == (5, 5)
    assert len(doc.revisit_weaknesses) == 5 and all(w["sufficient"] for w in doc.revisit_weaknesses)
    assert all(w["weakness"] for w in doc.revisit_weaknesses)


def test_sentences_keep_abbreviations_whole():
    doc = read("Main findings\n\n\u2022 Dr. Patel, the DMO, checks plans, e.g. those for children with ADHD, "
               "each week. However, too many plans are late, i.e. past 20 weeks.\n")
    texts = [s.text for s in doc.sentences if not s.heading]
    assert texts == ["Dr. Patel, the DMO, checks plans, e.g. those for children with ADHD, each week.",
                     "However, too many plans are late, i.e. past 20 weeks."]


def test_an_opening_quote_starts_the_next_sentence():
    doc = read("Main findings\n\n\u2022 Families wait too long. \u2018We rang every week,\u2019 one parent said. "
               "\u201cNobody called back.\u201d Leaders know this.\n")
    texts = [s.text for s in doc.sentences if not s.heading]
    assert texts == ["Families wait too long.", "'We rang every week,' one parent said.", '"Nobody called back."',
                     "Leaders know this."]


def test_unknown_text_still_gives_sentences():
    doc = read("Some notes about a meeting. Nothing here looks like a letter.")
    assert doc.framework is None and len(doc.sentences) == 2


# --- the real reports (read at run time, skipped where absent) ------------------------------------

_FURNITURE = re.compile(r"Area SEND inspection report:|^\d{1,3}$|\b(?:January|February|March|April|May|June|July|"
                        r"August|September|October|November|December) \d{4} \d{1,2}$")


def _glyph_bullets(raw: str, start: str, end: re.Pattern) -> int:
    a = raw.find(start)
    rest = raw[a:]
    b = end.search(rest)
    chunk = rest[: b.start()] if b else rest
    return len(re.findall(r"^\s*[\u25fc\u25aa\u2022]\s*\S", chunk, re.M))


def test_real_reports_framework_outcome_bullets_and_no_furniture(real_reports):
    for name, label in real_reports.items():
        raw = read_path(REAL_REPORTS / name)
        doc = parse(raw, name)
        assert doc.framework == "2023" and doc.kind == "inspection", name
        assert doc.stated_outcome == label["outcome"], name
        assert label["local_area"].lower() in (doc.local_area or "").lower(), (name, doc.local_area)
        counts = doc.bullet_counts()
        assert counts.get("effective", 0) == _glyph_bullets(raw, "doing that is effective", re.compile("need to do better"))
        assert counts.get("do_better", 0) == _glyph_bullets(raw, "need to do better",
                                                           re.compile(r"Areas? for (?:priority action|improvement)"))
        assert counts["effective"] > 0 and counts["do_better"] > 0
        assert not [s.text for s in doc.sentences if _FURNITURE.search(s.text)], name
        sections = [s.id for s in doc.sections]
        assert ("priority_actions" in sections) == (label["outcome"] == "systemic_failings"), name
        assert any(s.outcome_statement for s in doc.sentences if s.section == "outcome"), name


def test_a_responsible_body_beside_a_priority_action_is_its_heading(report_2023):
    table = ("\n\nAreas for priority action\n\nResponsible body Areas for priority action\n\n"
             "Eastmere Borough Council and NHS Fenland Vale Integrated\nCare Board (ICB)\n"
             "Leaders should act quickly to cut the wait for speech and language therapy.\n\n"
             "The ICB SEND lead should report on the waits every month.\n")
    doc = parse(report_2023 + table)
    actions = [(s.heading, s.text) for s in doc.sentences if s.section == "priority_actions"]
    body = next(s for s in doc.sentences if s.text.startswith("Eastmere Borough Council"))
    assert not body.outcome_statement  # a name; the section's own heading still announces the outcome
    assert any(s.outcome_statement for s in doc.sentences if s.text == "Areas for priority action")
    assert actions[-3:] == [(True, "Eastmere Borough Council and NHS Fenland Vale Integrated Care Board (ICB)"),
                            (False, "Leaders should act quickly to cut the wait for speech and language therapy."),
                            (False, "The ICB SEND lead should report on the waits every month.")]  # no body here
