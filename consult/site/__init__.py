"""What visitors read: home, consultations, sections, documents, news, FAQ, privacy."""
from flask import Blueprint

from ..i18n import LANG_PREFIX
from ..pagecache import cache_blueprint

bp = Blueprint("site", __name__, url_prefix=LANG_PREFIX)
cache_blueprint(bp)

# The views register themselves on bp, so they are imported after it.
from . import outcome, routes, versions  # noqa: E402,F401
