"""HTML pages: one per document (sentences highlighted by polarity, with themes) and an index.

Sentence highlighting is spaCy's displacy entity renderer over character spans; the pages are
self-contained (inline styles, no scripts, no network).
"""
from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from .classify import Result
from .labels import POLARITIES, SECTIONS, THEME_IDS, THEMES

__all__ = ["HtmlWriter", "document_page"]

_COLOURS = {"strength": "#bfe3c0", "weakness": "#f6c3c0", "neutral": "#e8e8e8"}
_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem} h2{font-size:1.15rem;margin-top:1.6rem;border-bottom:1px solid #ddd}
.meta td{padding:.15rem .8rem .15rem 0} .disagree{color:#b00020;font-weight:bold}
.bar{display:inline-block;height:.9rem;vertical-align:middle}
table.grid{border-collapse:collapse} table.grid td,table.grid th{border:1px solid #ddd;padding:.25rem .5rem;text-align:right}
table.grid td:first-child,table.grid th:first-child{text-align:left}
.legend span{padding:.1rem .4rem;margin-right:.5rem;border-radius:.25rem}
.entities{line-height:2.1!important} mark{-webkit-box-decoration-break:clone;box-decoration-break:clone}
p.plain{line-height:1.5;margin:.2rem 0}
"""
_PLAIN_SECTIONS = ("front", "closing")


def _slug(path: str | None, n: int) -> str:
    stem = Path(path or "text").stem
    return f"{n:04d}-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:60] or "document") + ".html"


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{_STYLE}</style></head><body>{body}</body></html>\n")


def _legend() -> str:
    return "<p class='legend'>" + "".join(f"<span style='background:{_COLOURS[p]}'>{p}</span>"
                                         for p in ("strength", "weakness")) + "</p>"


def document_page(result: Result) -> str:
    """One document's page: the outcome beside the statement, what weighs most, and every sentence."""
    from spacy import displacy

    name = {t.id: t.name for t in THEMES}
    meta = [("Document", result.path or "<text>"), ("Framework", f"{result.framework} {result.kind or ''}"),
            ("Local area", result.local_area), ("Inspection dates", result.inspection_dates),
            ("Stated outcome", result.stated_outcome), ("Predicted from the findings", result.predicted_outcome)]
    if result.formal_action_probability is not None:
        meta.append(("Formal action probability", f"{result.formal_action_probability:.2f}"))
    if result.outcome_scores:
        meta.append(("Outcome scores", ", ".join(f"{k} {v:.2f}" for k, v in result.outcome_scores.items())))
    if result.revisit_progress:
        meta.append(("Stated progress", f"sufficient on {result.revisit_progress[0]} of {result.revisit_progress[1]}"))
    body = [f"<h1>{html.escape(result.local_area or result.path or 'Document')}</h1><table class='meta'>"]
    body += [f"<tr><td>{k}</td><td>{html.escape(str(v)) if v is not None else '-'}</td></tr>" for k, v in meta]
    body.append("</table>")
    if result.outcome_disagrees:
        body.append("<p class='disagree'>The prediction from the findings differs from the stated outcome.</p>")
    if result.key_findings:
        by_index = {s.index: s for s in result.sentences}
        body.append("<h2>Findings that weigh most for the prediction</h2><ul>")
        body += [f"<li>{html.escape(by_index[i].text)}</li>" for i in result.key_findings if i in by_index]
        body.append("</ul>")
    body.append(_legend())
    for section_id in dict.fromkeys(s.section for s in result.sentences):
        sentences = [s for s in result.sentences if s.section == section_id and not s.heading]
        if not sentences:
            continue
        if section_id in _PLAIN_SECTIONS:  # title, address, signature: one line each, not highlighted
            body.append(f"<h2>{html.escape(SECTIONS[section_id])}</h2>"
                        + "".join(f"<p class='plain'>{html.escape(s.text)}</p>" for s in sentences))
            continue
        text, ents, offset = [], [], 0
        for s in sentences:
            if s.polarity != "neutral":
                label = s.polarity.upper() + (" · " + ", ".join(name[t] for t in s.themes) if s.themes else "")
                ents.append({"start": offset, "end": offset + len(s.text), "label": label})
            text.append(s.text)
            offset += len(s.text) + 1
        colours = {e["label"]: _COLOURS[e["label"].split(" ")[0].lower()] for e in ents}
        markup = displacy.render({"text": " ".join(text), "ents": ents, "title": None}, style="ent", manual=True,
                                 page=False, minify=True, options={"colors": colours})
        body.append(f"<h2>{html.escape(SECTIONS.get(section_id, section_id))}</h2>{markup}")
    return _page(result.local_area or "sendnlp", "".join(body))


class HtmlWriter:
    """Writes a page per document as results stream past, then the index with a theme chart."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.rows: list[tuple[str, Result]] = []
        self.counts: Counter = Counter()

    def tee(self, results: Iterable[Result]) -> Iterator[Result]:
        for r in results:
            page = None
            if not r.error:
                page = _slug(r.path, len(self.rows))
                (self.folder / page).write_text(document_page(r), encoding="utf-8")
                self.counts.update((t, s.polarity) for s in r.sentences for t in s.themes)
            self.rows.append((page, r))
            yield r

    def finish(self) -> Path:
        body = ["<h1>sendnlp: documents</h1><table class='grid'><tr><th>document</th><th>area</th><th>stated</th>"
                "<th>predicted</th><th>probability of formal action</th></tr>"]
        for page, r in self.rows:
            link = f"<a href='{page}'>{html.escape(r.path or '<text>')}</a>" if page else html.escape(r.path or "")
            cells = [r.local_area, r.stated_outcome, r.predicted_outcome,
                     f"{r.formal_action_probability:.2f}" if r.formal_action_probability is not None else None]
            if r.error:
                cells = [f"error: {r.error}", "", "", ""]
            body.append(f"<tr><td>{link}</td>" + "".join(f"<td>{html.escape(c or '-')}</td>" for c in cells) + "</tr>")
        body.append("</table><h2>Sentences by theme and polarity</h2>"
                    "<p>A sentence with several themes counts once under each.</p>" + _legend() +
                    "<table class='grid'><tr><th>theme</th><th>strength</th><th>weakness</th><th>chart</th></tr>")
        top = max([self.counts[(t, p)] for t in THEME_IDS for p in POLARITIES] + [1])
        for theme in THEMES:
            s, w = self.counts[(theme.id, "strength")], self.counts[(theme.id, "weakness")]
            bars = "".join(f"<span class='bar' style='width:{200 * n / top:.0f}px;background:{_COLOURS[p]}' "
                           f"title='{p}: {n}'></span>" for p, n in (("strength", s), ("weakness", w)))
            body.append(f"<tr><td title='{html.escape(theme.definition)}'>{theme.name}</td><td>{s}</td><td>{w}</td>"
                        f"<td style='text-align:left'>{bars}</td></tr>")
        body.append("</table>")
        index = self.folder / "index.html"
        index.write_text(_page("sendnlp documents", "".join(body)), encoding="utf-8")
        return index
