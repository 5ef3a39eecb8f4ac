"""Moderators: the queue, decisions on comments and positions (items) and on users, the audit log.

May import the services, the shared web glue (consult.web) and the site-wide modules; no other area."""
from flask import Blueprint

from ..i18n import LANG_PREFIX
from ..web import never_stored

bp = never_stored(Blueprint("moderation", __name__, url_prefix=LANG_PREFIX + "/moderation"))

from . import routes  # noqa: E402,F401
