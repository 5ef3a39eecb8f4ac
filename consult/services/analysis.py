"""`flask --app consult analyse`: what people said in a consultation, as JSON for other tools.

The result is one dict, built part by part: each analysis (today the campaigns; themes
are meant to be added beside them as another key made by its own function in PARTS)
reads the same approved comments and adds its own key. The fields are documented in
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

FORMAT_VERSION = 1


class AnalysisRefused(Exception):
    pass


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


# The parts of the result, in order: key → the function that makes it.
PARTS: dict[str, Callable[[Material], object]] = {"campaigns": _campaigns}


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
            raise AnalysisRefused(f"There is no section {section_number} in this consultation.")
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
