"""`flask --app consult analyse`: what people said in a consultation, as JSON for other tools.

The result is one dict, built part by part: each analysis (the campaigns, the themes)
is made by its own function in PARTS from the same scope and adds its own key. The fields are documented in
README.md ("Analysis JSON").
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from ..clock import utcnow
from ..extensions import db
from ..models import Comment, Consultation, Section, Status
from . import campaigns as campaign_service
from . import stored_themes
from .refusals import Refused

FORMAT_VERSION = 1


@dataclass
class Material:
    """What every part of the analysis reads: the approved comments, oldest first."""
    consultation: Consultation
    section: Section | None
    comments: list            # rows of (id, section_id, body, language)
    section_numbers: dict     # section id → its number


def _campaigns(material: Material) -> list[dict]:
    found = campaign_service.find_campaigns((row.id, row.section_id, row.body) for row in material.comments)
    return [{"id": campaign.id, "model_text": campaign.text, "model_id": campaign.model_id, "size": campaign.size,
             "sections": [material.section_numbers[s] for s in campaign.sections],
             "member_ids": list(campaign.ids)} for campaign in found]


def _themes(material: Material) -> list[dict]:
    """The scope's themes, worked out again as the summary page's button does (people's names, merges
    and moves are kept), so the ids and names are those the working group sees."""
    recomputed = stored_themes.recompute(material.consultation, material.section)
    result = []
    for view in stored_themes.views(stored_themes.set_themes(recomputed.theme_set)):
        comment_ids, position_ids = stored_themes.member_ids(view.theme)
        result.append({"id": view.theme.id, "label": stored_themes.default_label(view.theme) or "Other",
                       "key_phrases": view.theme.phrase_list, "other": view.theme.is_other,
                       "size": len(comment_ids) + len(position_ids), "member_ids": comment_ids,
                       "position_ids": position_ids})
    return result


# The parts of the result, in order: key → the function that makes it.
PARTS: dict[str, Callable[[Material], object]] = {"campaigns": _campaigns, "themes": _themes}


def load_material(consultation: Consultation, section_number: int | None = None) -> Material:
    sections = list(db.session.scalars(select(Section).where(Section.consultation_id == consultation.id)))
    numbers = {section.id: section.number for section in sections}
    section = None
    query = (select(Comment.id, Comment.section_id, Comment.body, Comment.language)
             .where(Comment.consultation_id == consultation.id, Comment.status == Status.APPROVED)
             .order_by(Comment.created_at, Comment.id))
    if section_number is not None:
        section = next((s for s in sections if s.number == section_number), None)
        if section is None:
            raise Refused("analysis.section", field="section")
        query = query.where(Comment.section_id == section.id)
    comments = list(db.session.execute(query.execution_options(yield_per=2000)))
    return Material(consultation, section, comments, numbers)


def analyse(consultation: Consultation, section_number: int | None = None) -> dict:
    material = load_material(consultation, section_number)
    result = {"format_version": FORMAT_VERSION, "consultation": consultation.slug,
              "section": section_number, "generated_at": utcnow().isoformat(timespec="seconds"),
              "comments": len(material.comments)}
    for key, part in PARTS.items():
        result[key] = part(material)
    return result


def write_analysis(result: dict, target) -> None:
    json.dump(result, target, ensure_ascii=False, indent=2)
    target.write("\n")
