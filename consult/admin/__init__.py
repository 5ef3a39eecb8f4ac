"""Editors and admins: consultations, the draft and its versions, imports, content, documents, roles,
security settings."""
from flask import Blueprint

from ..i18n import LANG_PREFIX

bp = Blueprint("admin", __name__, url_prefix=LANG_PREFIX + "/admin")


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


from . import consultations, content, documents, sections, security, users  # noqa: E402,F401
