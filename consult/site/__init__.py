"""What visitors read: home, consultations, sections, documents, news, FAQ, privacy."""
from flask import Blueprint

from ..i18n import LANG_PREFIX
from ..pagecache import cache_blueprint

bp = Blueprint("site", __name__, url_prefix=LANG_PREFIX)
cache_blueprint(bp)

from . import routes  # noqa: E402,F401
from . import versions  # noqa: E402,F401
from . import outcome  # noqa: E402,F401
