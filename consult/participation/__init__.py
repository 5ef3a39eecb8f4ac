"""Taking part: posting, editing, withdrawing and reporting comments."""
from flask import Blueprint

from ..i18n import LANG_PREFIX

bp = Blueprint("participation", __name__, url_prefix=LANG_PREFIX)

from . import routes  # noqa: E402,F401
from . import polls  # noqa: E402,F401
from . import positions  # noqa: E402,F401
