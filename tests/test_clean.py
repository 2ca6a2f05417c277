"""Cleaning: furniture gone, wraps joined, hyphenated words repaired (only those), bullets kept."""
from sendnlp.clean import blocks, clean_lines, normalise


def _pages(body_pages):
    return "\f".join(f"Area SEND inspection report: Eastmere Local Area Partnership\n1 to 5 May 2023 {n}\n{body}\n{n}"
                     for n, body in enumerate(body_pages, start=1))


def test_running_headers_and_page_numbers_go():
    raw = _pages(["First page text ends here.", "Second page text.", "Third page text.", "Fourth."])
    texts = [l.text for l in clean_lines(raw)]
    assert texts == ["First page text ends here.", "Second page text.", "Third page text.", "Fourth."]


def test_wraps_joined_and_only_line_break_hyphens_repaired():
    width_line = "Leaders have worked with the parent carer forum to agree a strategy that is co-"
    raw = (f"{width_line}\nproduced with families and sets out how the assess-\nment of needs will improve. "
           "Inspectors read the self-\nevaluation.\n")
    text = blocks(clean_lines(raw))[0].text
    assert "co-produced" in text          # a real hyphen that fell at the line end stays
    assert "assessment of needs" in text  # a word split by a line-end hyphen is repaired
    assert "self-evaluation" in text
    assert "\n" not in text


def test_pdfium_line_end_hyphen_marks_are_repaired_like_printed_hyphens():
    # PDFium gives a hyphen at a line end as U+FFFE and drops the line break after it
    raw = ("The Multi\ufffeAgency Panel and the multi\ufffeagency teams meet weekly. Its assess\ufffement "
           "of needs is an assessment that families value. Services are co\ufffeproduced.\n")
    text = blocks(clean_lines(raw))[0].text
    assert "Multi-Agency Panel" in text     # a capital after the break: a compound
    assert "multi-agency teams" in text     # a real hyphen stays
    assert "assessment of needs" in text    # a word the document spells whole elsewhere is joined
    assert "co-produced" in text
    assert "\ufffe" not in text


def test_bullets_are_units_whatever_their_glyph():
    raw = ("What is the area partnership doing that is effective?\n\u25fc Leaders know the area\nwell.\n"
           "\u25aa The forum is strong.\n\u2022 Waits are short.\n")
    units = blocks(clean_lines(raw), lambda t: t.endswith("effective?"))
    assert [(b.bullet, b.text) for b in units] == [
        (False, "What is the area partnership doing that is effective?"),
        (True, "Leaders know the area well."), (True, "The forum is strong."), (True, "Waits are short.")]


def test_a_dash_wrapped_to_the_start_of_a_line_is_not_a_bullet():
    raw = ("Leaders have introduced a new panel for deciding on specialist places across the whole area\n"
           "- and families say it is fair.\n")
    units = blocks(clean_lines(raw))
    assert len(units) == 1 and not units[0].bullet


def test_normalise_quotes_dashes_spaces():
    assert normalise("\u2018a\u2019 \u201cb\u201d c\u2014d\u00a0e\u00ad") == "'a' \"b\" c-d e"
