"""The outcome report: every published proposal and the working group's response, once concluded."""
from __future__ import annotations

from flask import abort, render_template, request

from ..models import ConsultationStatus
from ..services import diffing, publication, responses
from . import bp


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


@bp.get("/consultations/<slug>/outcome/")
def outcome(slug: str):
    consultation = publication.public_consultation(slug)
    if consultation is None or consultation.status != ConsultationStatus.CONCLUDED:
        abort(404)
    page_number = _page_number()
    page = responses.outcome_page(consultation, page_number)
    if page_number > page.pages:
        abort(404)
    return render_template("site/outcome.html", consultation=consultation, result=page,
                           counts=responses.answer_counts(consultation),
                           published_versions={v.number for v in diffing.published_versions(consultation)})
