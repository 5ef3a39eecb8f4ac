"""What visitors read: home, consultations, sections, documents, news, FAQ, privacy."""
from flask import Blueprint

from ..i18n import LANG_PREFIX

bp = Blueprint("site", __name__, url_prefix=LANG_PREFIX)

from . import routes  # noqa: E402,F401
from . import versions  # noqa: E402,F401
from . import outcome  # noqa: E402,F401
