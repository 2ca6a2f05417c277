"""Structure: clean lines to a :class:`Document` by rules.

Finds the framework (2016 letter, 2016 revisit, 2023 report), the local area, the dates, the
section outline with bullets, the sentences, the stated outcome, and marks every sentence that
states or announces the outcome so that outcome prediction can mask it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from . import clean, nlp
from .errors import ReadError
from .labels import formal_action

__all__ = ["Sentence", "Section", "Document", "parse", "inspection_year", "NOT_RECOGNISED"]

# said of a document whose framework could not be found (not an inspection letter or report)
NOT_RECOGNISED = "not recognised as a SEND inspection letter or report"


@dataclass
class Sentence:
    index: int
    text: str
    section: str
    bullet: int | None = None      # index of the bullet within its section; None for prose
    heading: bool = False
    outcome_statement: bool = False
    page: int = 1


@dataclass
class Section:
    id: str
    heading: str
    bullets: int = 0
    sentences: list[int] = field(default_factory=list)


@dataclass
class Document:
    text: str
    framework: str | None
    kind: str | None
    local_area: str | None
    inspection_dates: str | None
    stated_outcome: str | None
    sections: list[Section]
    sentences: list[Sentence]
    path: str | None = None
    revisit_progress: tuple[int, int] | None = None        # (sufficient, total) as the letter states
    revisit_weaknesses: list[dict] = field(default_factory=list)  # {"weakness", "sufficient"} per weakness

    @property
    def year(self) -> int | None:
        """The year of the inspection, from its dates."""
        return inspection_year(self.inspection_dates)

    @property
    def stated_formal_action(self) -> bool | None:
        return formal_action(self.stated_outcome)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def bullet_counts(self) -> dict[str, int]:
        return {s.id: s.bullets for s in self.sections if s.bullets}

    def to_dict(self) -> dict:
        return {
            "path": self.path, "framework": self.framework, "kind": self.kind, "local_area": self.local_area,
            "inspection_dates": self.inspection_dates, "stated_outcome": self.stated_outcome,
            "revisit_progress": list(self.revisit_progress) if self.revisit_progress else None,
            "revisit_weaknesses": self.revisit_weaknesses,
            "sections": [{"id": s.id, "heading": s.heading, "bullets": s.bullets, "sentences": len(s.sentences)}
                         for s in self.sections],
            "sentences": [vars(s) for s in self.sentences],
        }


# --- headings ---------------------------------------------------------------------------------
_I = re.IGNORECASE

_HEADINGS_2023: list[tuple[re.Pattern, str]] = [(re.compile(p + r"\s*$", _I), sid) for p, sid in [
    (r"inspection outcome", "outcome"),
    (r"information about the (?:local )?area partnership", "partnership_info"),
    (r"what is it like to be a child or young person\b.*", "what_it_is_like"),
    (r"what is the (?:local )?area partnership doing that is effective\??", "effective"),
    (r"what does the (?:local )?area partnership need to do better\??", "do_better"),
    (r"(?:areas? for priority action)(?: responsible body areas? for priority action)?", "priority_actions"),
    (r"responsible body areas? for priority action", "priority_actions"),
    (r"areas? for improvement(?: areas? for improvement)?", "improvements"),
    (r"local area partnership details.*", "closing"),
    (r"information about this inspection", "closing"),
    (r"inspection team", "closing"),
]]
_AREA_2016 = [("identifying", re.compile(r"the effectiveness of the local area in identifying\b.*", _I)),
              ("assessing", re.compile(r"the effectiveness of the local area in assessing\b.*", _I)),
              ("outcomes", re.compile(r"the effectiveness of the local area in improving outcomes\b.*", _I))]
_HEADINGS_2016: list[tuple[re.Pattern, str]] = [(re.compile(p + r"\s*$", _I), sid) for p, sid in [
    (r"main findings", "main_findings"),
    (r"strengths", "+strengths"),
    (r"areas for (?:development|improvement)", "+weaknesses"),
    (r"yours sincerely,?", "closing"),
]]
# The 2023 "Areas for priority action" table: a "Responsible body" column beside each action, which
# reading runs into the action's first words ("... Integrated Care Board Area leaders need to ...").
# The body is the longest run of name words that ends in a body's noun and is followed by a capital;
# it starts with a name ("Eastmere Borough Council", "NHS ..."), never with an article or "First", so
# a sentence such as "The ICB SEND lead should ..." keeps its first words.
_BODIES_HEADER = re.compile(r"responsible bod(?:y|ies)\b", _I)
_NAME_WORD = r"(?:[A-Z][\w'’.&-]*,?|\(ICB\),?|and|of|the|upon|on|area)"
_RESPONSIBLE_BODY = re.compile(rf"((?!(?:The|A|An|This|These|Its|Their|First)\b)[A-Z][\w'’.&-]*,?\s+"
                               rf"(?:{_NAME_WORD}\s+)*(?:Council|Board|ICB|\(ICB\)|Trust|First)),?\s+(?=[A-Z])")
_SIGNIFICANT_LEAD_IN = re.compile(r"significant weakness\w*\b.*:\s*$|following areas? of significant weakness", _I)

# --- outcome statements -----------------------------------------------------------------------
_OUTCOME_2023 = [
    ("systemic_failings", re.compile(r"widespread\s+and/or\s+systemic\s+failings|systemic\s+failings", _I)),
    ("inconsistent", re.compile(r"lead\w*\s+to\s+inconsistent\s+experiences"
                                r"|inconsistent\s+experiences\s+and\s+outcomes", _I)),
    ("positive", re.compile(r"typically\s+lead\w*\s+to\s+positive\s+experiences", _I)),
]
_WSOA = re.compile(r"written\s+statement\s+of\s+action|\bWSOA\b", _I)
_WSOA_REQUIRED = re.compile(
    r"(?:determined|decided|requires?|required|must\s+(?:produce|submit|prepare)|is\s+needed)", _I)
_OUTCOME_WORDING = re.compile(
    r"priority\s+action\s+plan|areas?\s+for\s+priority\s+action|monitoring\s+inspection\s+will"
    r"|next\s+full\s+(?:area\s+send\s+)?(?:re)?inspection|significant\s+areas?\s+of\s+weakness"
    r"|(?:sufficient|enough)\s+progress|jointly\s+responsible\s+for\s+submitting"
    r"|written\s+statement|\bWSOA\b|\b(?:this|the)\s+statement\b", _I)
_PROGRESS = re.compile(r"(?:has|have)\s+(not\s+)?made\s+(?:sufficient|enough)\s+progress\b(?P<rest>[^.;]*)", _I)
_PROGRESS_COUNT = re.compile(r"\b(?:in\s+(?:addressing|tackling)\s+)?(all|none|any|\w+)\s+of\s+(?:the\s+)?(\w+)\b", _I)
_NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven "
                                       "twelve thirteen fourteen".split())}

# --- front matter -----------------------------------------------------------------------------
_AREA_PATTERNS = [
    re.compile(r"area\s+send\s+inspection\s+of\s+(?:the\s+)?(?P<area>.+?)\s+local\s+area\s+partnership", _I),
    re.compile(r"(?:joint\s+)?local\s+area\s+(?:send|special\s+educational\s+needs\s+and/or\s+disabilit\w+"
               r"(?:\s+\(SEND\))?)\s+(?:inspection|revisit)\s+(?:in|of)\s+(?P<area>[A-Z][\w'.,&-]*(?:\s+(?:and|upon|on|"
               r"in|the|of|[A-Z][\w'.,&-]*))*)", _I),
    re.compile(r"(?i:revisit|inspection)\s+of\s+the\s+local\s+area\s+of\s+(?P<area>[A-Z][\w'.&-]*(?:\s+(?:and|upon|on|"
               r"[A-Z][\w'.&-]*))*)"),
]
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE = rf"\d{{1,2}}(?:st|nd|rd|th)?(?:\s+{_MONTH})?(?:\s+\d{{4}})?"
_DATES = re.compile(rf"(?:inspection\s+dates?:\s*(?P<a>[^\n]+?\d{{4}}(?:\s+to\s+{_DATE}\s+\d{{4}})?)"
                    rf"|between\s+(?P<b>{_DATE}\s+and\s+\d{{1,2}}\s+{_MONTH}\s+\d{{4}})"
                    rf"|from\s+(?P<c>{_DATE}\s+to\s+\d{{1,2}}\s+{_MONTH}\s+\d{{4}})"
                    rf"|week\s+(?:of|beginning|commencing)\s+(?P<d>{_DATE}(?:\s+to\s+\d{{1,2}}\s+{_MONTH}\s+\d{{4}})?))", _I)


def detect(lines: list[clean.Line]) -> tuple[str | None, str | None]:
    """(framework, kind) from the opening of the document."""
    head = " ".join(l.text for l in lines[:60])
    if re.search(r"area\s+send\s+inspection\s+of|local\s+area\s+partnership|inspection\s+outcome", head, _I):
        return "2023", "inspection"
    if re.search(r"\brevisit", head, _I):
        return "2016", "revisit"
    if re.search(r"joint\s+local\s+area|local\s+area\s+send\s+inspection|\bdear\b|main\s+findings"
                 r"|written\s+statement\s+of\s+action", head, _I):
        return "2016", "inspection"
    return None, None


def _heading_2023(text: str) -> str | None:
    return next((sid for pattern, sid in _HEADINGS_2023 if pattern.match(text)), None)


def _heading_2016(text: str) -> str | None:
    for area, pattern in _AREA_2016:
        if pattern.match(text):
            return "@" + area
    return next((sid for pattern, sid in _HEADINGS_2016 if pattern.match(text)), None)


def _heading_revisit(text: str) -> str | None:
    if re.match(r"yours sincerely,?\s*$", text, _I):
        return "closing"
    return "progress" if re.match(r"main findings\s*$", text, _I) else None


def parse(raw: str, path: str | None = None, deadline: float | None = None) -> Document:
    """Parse raw text (as a reader returns it) into a :class:`Document`.

    ``deadline`` (a ``time.monotonic()`` value) bounds the time spent; past it, :class:`ReadError`.
    """
    lines = clean.clean_lines(raw)
    framework, kind = detect(lines)
    heading_of: Callable[[str], str | None]
    if framework == "2023":
        heading_of = _heading_2023
    elif framework == "2016" and kind == "inspection":
        heading_of = _heading_2016
    else:
        heading_of = _heading_revisit
    blocks = clean.blocks(lines, lambda text: heading_of(text) is not None)
    text = "\n\n".join(b.text for b in blocks)

    # walk the blocks, tracking the section
    current = "front"
    area = "identifying"
    sections: dict[str, Section] = {"front": Section("front", "")}
    order: list[str] = ["front"]
    units: list[tuple[str, str, int | None, bool, int]] = []  # (text, section, bullet, heading, page)
    bodies_column = False  # inside a priority-action table with a responsible body beside each action
    for block in blocks:
        found = heading_of(block.text) if not block.bullet else None
        if found:
            bodies_column = found == "priority_actions" and bool(_BODIES_HEADER.search(block.text))
            if found.startswith("@"):
                area = found[1:]
                sid = f"{area}_strengths"
            elif found == "+strengths":
                sid = f"{area}_strengths"
            elif found == "+weaknesses":
                sid = f"{area}_weaknesses"
            else:
                sid = found
            current = sid
            if sid not in sections:
                sections[sid] = Section(sid, block.text)
                order.append(sid)
            units.append((block.text, sid, None, True, block.page))
            continue
        if current == "front" and framework == "2016" and re.match(r"dear\b", block.text, _I):
            units.append((block.text, "front", None, False, block.page))
            current = "intro"
            sections.setdefault("intro", Section("intro", ""))
            order.append("intro")
            continue
        if framework == "2016" and kind == "inspection" and current not in ("closing", "front") \
                and not block.bullet and _SIGNIFICANT_LEAD_IN.search(block.text):
            current = "significant_weaknesses"
            if current not in sections:
                sections[current] = Section(current, block.text)
                order.append(current)
        body = _RESPONSIBLE_BODY.match(block.text) if bodies_column and not block.bullet else None
        if body:  # the body's cell as a heading of the action it stands beside, then the action
            units.append((body.group(1), current, None, True, block.page))
            units.append((block.text[body.end():], current, None, False, block.page))
            continue
        bullet = None
        if block.bullet:
            bullet = sections[current].bullets
            sections[current].bullets += 1
        if kind == "revisit" and current in ("intro", "progress") and _weakness_heading(block):
            current = "progress"
            if current not in sections:
                sections[current] = Section(current, block.text)
                order.append(current)
            units.append((block.text, current, None, True, block.page))
            continue
        units.append((block.text, current, bullet, False, block.page))

    sentences: list[Sentence] = []
    try:
        split = nlp.split_sentences([u[0] for u in units], deadline)
    except TimeoutError:
        raise ReadError(path or "<text>", "parsing ran past the time limit (SENDNLP_SECONDS)") from None
    for (block_text, sid, bullet, heading, page), parts in zip(units, split):
        for part in ([block_text] if heading else parts):
            sentence = Sentence(len(sentences), part, sid, bullet, heading, page=page)
            sentence.outcome_statement = _states_outcome(sentence, framework)
            sections[sid].sentences.append(sentence.index)
            sentences.append(sentence)

    doc = Document(text=text, framework=framework, kind=kind, local_area=_local_area(lines),
                   inspection_dates=_dates(text), stated_outcome=None,
                   sections=[sections[s] for s in order], sentences=sentences, path=path)
    doc.stated_outcome = _stated_outcome(doc)
    if kind == "revisit":
        doc.revisit_progress, doc.revisit_weaknesses = _revisit(doc)
    return doc


def _weakness_heading(block: clean.Block) -> bool:
    """In a revisit letter, each significant weakness is restated as an unpunctuated heading."""
    text = block.text
    return not block.bullet and len(text) < 300 and not re.search(r"[.!?:;,]['\")]?$", text) \
        and text[:1].isupper() and not re.match(r"dear\b|yours\b|cc\b", text, _I)


def _states_outcome(sentence: Sentence, framework: str | None) -> bool:
    if sentence.section == "outcome" or (sentence.section == "priority_actions" and sentence.heading
                                         and _heading_2023(sentence.text) == "priority_actions"):  # not a body's name
        return True
    text = sentence.text
    if _WSOA.search(text) and _WSOA_REQUIRED.search(text):
        return True
    if sentence.section == "significant_weaknesses" and sentence.bullet is None:
        return True
    if _OUTCOME_WORDING.search(text):
        return True
    return any(p.search(text) for _, p in _OUTCOME_2023)


def _stated_outcome(doc: Document) -> str | None:
    if doc.framework == "2023":
        outcome_section = [s.text for s in doc.sentences if s.section == "outcome"]
        haystack = " ".join(outcome_section) or doc.text[:4000]
        for outcome, pattern in _OUTCOME_2023:
            if pattern.search(haystack):
                return outcome
        return None
    if doc.framework == "2016" and doc.kind == "inspection":
        for s in doc.sentences:
            if s.section in ("front", "intro", "main_findings", "significant_weaknesses") \
                    and _WSOA.search(s.text) and _WSOA_REQUIRED.search(s.text) \
                    and not re.search(r"\bnot\s+(?:be\s+)?required|\bno\s+(?:written|wsoa)", s.text, _I):
                return "wsoa"
        found = {s.section for s in doc.sentences}
        return "no_wsoa" if found & {"main_findings", "identifying_strengths", "assessing_strengths"} else None
    return None


def _number(word: str | None) -> int | None:
    if word is None:
        return None
    word = word.lower()
    return int(word) if word.isdigit() else _NUMBERS.get(word)


def _revisit(doc: Document) -> tuple[tuple[int, int] | None, list[dict]]:
    """Stated progress: the overall count (sufficient, total) and a verdict per weakness."""
    progress = None
    weaknesses: list[dict] = []
    heading = None
    for s in doc.sentences:
        if s.section == "progress" and s.heading:
            heading = s.text
            continue
        m = _PROGRESS.search(s.text)
        if not m:
            continue
        negative = bool(m.group(1))
        count = _PROGRESS_COUNT.search(m.group("rest"))
        if count and progress is None and not re.search(r"\bthis\b", m.group("rest"), _I):
            amount, total = count.group(1).lower(), _number(count.group(2))
            if total is not None:
                if amount == "all":
                    sufficient = 0 if negative else total
                elif amount in ("none", "any"):
                    sufficient = 0
                else:
                    sufficient = _number(amount)
                if sufficient is not None:
                    progress = (sufficient, total)
            continue
        if s.section == "progress":
            weaknesses.append({"weakness": heading, "sufficient": not negative, "sentence": s.index})
            heading = None
    if progress is None and weaknesses:
        progress = (sum(w["sufficient"] for w in weaknesses), len(weaknesses))
    return progress, weaknesses


def _local_area(lines: list[clean.Line]) -> str | None:
    head = " ".join(l.text for l in lines[:15])
    for pattern in _AREA_PATTERNS:
        m = pattern.search(head)
        if m:
            area = re.split(r"\s+(?:inspection|dates?|dear|between|from)\b|\s+\d", m.group("area"), maxsplit=1, flags=_I)[0]
            return area.strip(" ,.")
    return None


def inspection_year(dates: str | None) -> int | None:
    """The first year in a date range as printed.

    >>> inspection_year("30 September to 4 October 2024"), inspection_year(None)
    (2024, None)
    """
    m = re.search(r"\b(20[12]\d)\b", dates or "")
    return int(m.group(1)) if m else None


def _dates(text: str) -> str | None:
    m = _DATES.search(text[:6000])
    if not m:
        return None
    dates = " ".join(next(g for g in m.groups() if g).split())
    return re.sub(rf"^(\d{{1,2}}(?:\s+{_MONTH})?(?:\s+\d{{4}})?)\s+and\s+", r"\1 to ", dates)
