"""What changed between two published versions of a draft: /<lang>/consultations/<slug>/versions/<a>..<b>/."""
from __future__ import annotations

from flask import abort, g, render_template

from ..i18n import current_language
from ..services import diffing, publication
from . import bp


@bp.get("/consultations/<slug>/versions/<spec>/")
def version_changes(slug: str, spec: str):
    consultation = publication.public_consultation(slug)
    numbers = diffing.parse_range(spec)
    if consultation is None or numbers is None:
        abort(404)
    old = diffing.published_version(consultation, numbers[0])
    new = diffing.published_version(consultation, numbers[1])
    if old is None or new is None:
        abort(404)
    changes = diffing.version_changes(consultation, old, new, current_language())
    if changes.used_fallback:
        g.content_fallback = True
    return render_template("site/versions.html", consultation=consultation, changes=changes,
                           versions=publication.published_versions(consultation))


@bp.app_template_global()
def earlier_published_version(consultation, version):
    """The published version just before `version`, for the overview's "what changed" link."""
    return diffing.earlier_published_version(consultation, version)
