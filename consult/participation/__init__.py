"""Taking part: posting, editing, withdrawing and reporting comments."""
from flask import Blueprint

from ..i18n import LANG_PREFIX

bp = Blueprint("participation", __name__, url_prefix=LANG_PREFIX)

# The views register themselves on bp, so they are imported after it.
from . import polls, positions, routes  # noqa: E402,F401
