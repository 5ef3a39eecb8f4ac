"""Site search: /<lang>/search?q=… over everything published, and `flask --app consult search reindex`."""
from flask import Blueprint

from ..i18n import LANG_PREFIX
from ..services import search as search_service

bp = Blueprint("search", __name__, url_prefix=LANG_PREFIX, cli_group="search")


@bp.record_once
def _keep_the_index_current(_state) -> None:
    search_service.install_listeners()


from . import routes  # noqa: E402,F401
