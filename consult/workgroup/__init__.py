"""The working group: feedback table, responses, summaries, exports and the outcome, per consultation.

Every route needs the working-group role (admins have it too) and a membership of the
consultation's working group; a member sees only their own consultations.
"""
from __future__ import annotations

import logging
from functools import wraps

from flask import Blueprint, abort, request
from flask_login import current_user

from ..i18n import LANG_PREFIX
from ..services import feedback
from ..services.responses import DECISION_LABELS
from ..web import never_stored

bp = never_stored(Blueprint("workgroup", __name__, url_prefix=LANG_PREFIX + "/workgroup"))
security_log = logging.getLogger("consult.security")


@bp.record_once
def _sqlite_fold(state):
    from ..extensions import db
    with state.app.app_context():
        feedback.register_sqlite_fold(db.engine)


@bp.app_context_processor
def _decision_labels():
    return {"DECISION_LABELS": DECISION_LABELS}


def member_view(view):
    """Passes the consultation (by slug) and the signed-in member; 404 for no such slug, 403 for non-members.

    Put it under @require_role(*Role.WORKING_GROUP), which deals with anonymous visitors and wrong roles.
    """
    @wraps(view)
    def wrapped(slug: str, *args, **kwargs):
        consultation = feedback.consultation_by_slug(slug)
        if consultation is None:
            abort(404)
        member = feedback.membership(consultation, current_user)
        if member is None:
            security_log.warning("denied: user=%s not a member of %s: %s %s", current_user.id, consultation.slug,
                                 request.method, request.path)
            abort(403)
        return view(consultation, member, *args, **kwargs)
    return wrapped


from . import bulk_respond, exports, offline, responses, summary, table, themes  # noqa: E402,F401
