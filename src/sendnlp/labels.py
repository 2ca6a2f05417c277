"""The one source of truth for every label sendnlp uses.

Polarity values, themes (id, human name, one-line definition), frameworks, document kinds,
outcomes and section ids all live here; every other module imports them from this file.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "POLARITIES", "STRENGTH", "WEAKNESS", "NEUTRAL",
    "Theme", "THEMES", "THEME_IDS", "FIXED_THEME_IDS",
    "FRAMEWORKS", "KINDS", "OUTCOMES", "FORMAL_ACTION", "formal_action",
    "SECTIONS", "SECTION_POLARITY", "DESCRIPTIVE_SECTIONS", "BOILERPLATE_SECTIONS",
]

STRENGTH, WEAKNESS, NEUTRAL = "strength", "weakness", "neutral"
POLARITIES: tuple[str, ...] = (STRENGTH, WEAKNESS, NEUTRAL)


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    definition: str


THEMES: tuple[Theme, ...] = (
    Theme("ehc_plans", "EHC plans",
          "Education, health and care plans and needs assessments: the 20-week timeliness, the quality "
          "and contributions of plans, annual reviews, amendments and their oversight."),
    Theme("joint_commissioning", "Joint commissioning",
          "Education, health and care leaders planning, funding and buying services together: joint "
          "commissioning arrangements, pooled budgets, sufficiency planning and evaluating what is commissioned."),
    Theme("local_offer", "Local Offer",
          "The area's published information about SEND services (the Local Offer): its content, how well "
          "families know of it, find it and can use it."),
    Theme("coproduction", "Co-production",
          "Working with parents, carers, children and young people as equal partners: the parent carer "
          "forum, youth forums, co-produced strategy, services and individual plans."),
    Theme("identification", "Identification and early help",
          "Identifying needs early and accurately: early years, health visiting checks, SEN support in "
          "schools, early help and early intervention."),
    Theme("waiting_times", "Waiting times",
          "Waits and delays for assessment or treatment: neurodevelopmental (autism, ADHD) pathways, "
          "speech and language, occupational therapy, CAMHS and other therapies."),
    Theme("leadership", "Leadership and strategy",
          "Strategic leadership and governance: self-evaluation, the shared SEND strategy, use of data, "
          "quality assurance, accountability and oversight across the partnership."),
    Theme("health_services", "Health services",
          "Health provision and the health system's part: health visitors, school nurses, therapies, "
          "CAMHS, the designated medical or clinical officer, the CCG or ICB as provider and partner."),
    Theme("preparation_for_adulthood", "Preparation for adulthood",
          "Transition to adult life and adult services: employment, independent living, further "
          "education, supported internships and planning from Year 9."),
    Theme("inclusion", "Inclusion",
          "Access to and staying in education: exclusions, part-time timetables, attendance, elective "
          "home education, alternative provision and specialist placements."),
    Theme("workforce", "Workforce and training",
          "The skills and capacity of staff: training, SENCos' expertise, recruitment and retention, "
          "caseloads and staff shortages."),
    Theme("communication", "Communication with families",
          "How services inform, listen and respond to families: information, advice and support "
          "(SENDIASS), complaints, keeping families updated, parents' confidence."),
)
THEME_IDS: tuple[str, ...] = tuple(t.id for t in THEMES)
FIXED_THEME_IDS: tuple[str, ...] = ("ehc_plans", "joint_commissioning", "local_offer", "coproduction")

FRAMEWORKS: tuple[str, ...] = ("2016", "2023")
KINDS: tuple[str, ...] = ("inspection", "revisit")
OUTCOMES: dict[str, tuple[str, ...]] = {
    "2016": ("no_wsoa", "wsoa"),
    "2023": ("positive", "inconsistent", "systemic_failings"),
}
FORMAL_ACTION: frozenset[str] = frozenset({"wsoa", "systemic_failings"})


def formal_action(outcome: str | None) -> bool | None:
    """True where the outcome requires formal action (a WSOA or a priority action plan).

    >>> formal_action("wsoa"), formal_action("inconsistent"), formal_action(None)
    (True, False, None)
    """
    return None if outcome is None else outcome in FORMAL_ACTION


# Section ids: (framework, id) -> human heading. `None` polarity means the section gives no silver label.
SECTIONS: dict[str, str] = {
    # shared
    "front": "Title, address and dates",
    "intro": "Introduction",
    "closing": "Closing, signature and administrative details",
    # 2016 inspection letters
    "main_findings": "Main findings",
    "identifying_strengths": "Identifying needs: strengths",
    "identifying_weaknesses": "Identifying needs: areas for development",
    "assessing_strengths": "Assessing and meeting needs: strengths",
    "assessing_weaknesses": "Assessing and meeting needs: areas for development",
    "outcomes_strengths": "Improving outcomes: strengths",
    "outcomes_weaknesses": "Improving outcomes: areas for development",
    "significant_weaknesses": "Areas of significant weakness",
    # revisit letters
    "progress": "Progress on each significant weakness",
    # 2023 reports
    "outcome": "Inspection outcome",
    "partnership_info": "Information about the local area partnership",
    "what_it_is_like": "What is it like to be a child or young person with SEND in this area?",
    "effective": "What is the area partnership doing that is effective?",
    "do_better": "What does the area partnership need to do better?",
    "priority_actions": "Areas for priority action",
    "improvements": "Areas for improvement",
}

# Sections that describe the document or the area and judge nothing: their sentences are neutral
# whatever their words (a licence notice is not a weakness, a web address not a strength). The
# first two are the document's own furniture and carry no theme either; the area's description may.
DESCRIPTIVE_SECTIONS: tuple[str, ...] = ("front", "closing", "partnership_info")
BOILERPLATE_SECTIONS: tuple[str, ...] = ("front", "closing")

# The polarity a section's bullets carry as silver labels (sections not listed give none).
SECTION_POLARITY: dict[str, str] = {
    "identifying_strengths": STRENGTH,
    "assessing_strengths": STRENGTH,
    "outcomes_strengths": STRENGTH,
    "effective": STRENGTH,
    "identifying_weaknesses": WEAKNESS,
    "assessing_weaknesses": WEAKNESS,
    "outcomes_weaknesses": WEAKNESS,
    "significant_weaknesses": WEAKNESS,
    "do_better": WEAKNESS,
}
