"""Moderators: the queue, decisions on comments and users, the audit log."""
from flask import Blueprint

from ..i18n import LANG_PREFIX

bp = Blueprint("moderation", __name__, url_prefix=LANG_PREFIX + "/moderation")


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


from . import routes  # noqa: E402,F401
