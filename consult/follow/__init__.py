"""Following consultations by e-mail, and the Atom feeds of news and of consultations' events."""
from flask import Blueprint

from ..i18n import LANG_PREFIX
from ..services import follow as follow_service

bp = Blueprint("follow", __name__, url_prefix=LANG_PREFIX)


@bp.record_once
def _record_consultation_events(_state) -> None:
    follow_service.install_listeners()


from . import routes  # noqa: E402,F401
