"""The outcome report: every published proposal and the working group's response, once concluded."""
from __future__ import annotations

from flask import abort, render_template

from ..i18n import current_language
from ..models import ConsultationStatus
from ..services import diffing, publication, responses
from ..web import page_number
from . import bp


@bp.get("/consultations/<slug>/outcome/")
def outcome(slug: str):
    consultation = publication.public_consultation(slug)
    if consultation is None or consultation.status != ConsultationStatus.CONCLUDED:
        abort(404)
    wanted = page_number()
    page = responses.outcome_page(consultation, wanted)
    if wanted > page.pages:
        abort(404)
    lang = current_language()
    changes = {entry.item.id: diffing.paragraph_change(entry.item.paragraph, entry.response.changed_paragraph, lang)
               for entry in page.comments if entry.response is not None and entry.response.changed_paragraph}
    return render_template("site/outcome.html", consultation=consultation, result=page,
                           counts=responses.answer_counts(consultation), changes=changes,
                           published_versions={v.number for v in publication.published_versions(consultation)})
