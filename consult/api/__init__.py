"""Open data: read-only JSON of everything published, at /api/v1/, documented in OpenAPI 3.1.

`bp` is the JSON API (no language prefix, GET only, so exempt from CSRF; rate limited
per client; CORS open); `docs_bp` is the page for people that explains it, at
/<lang>/api/.
"""
from flask import Blueprint, Flask

from ..extensions import csrf, limiter
from ..i18n import LANG_PREFIX

RATE_LIMIT = "120 per minute"

bp = Blueprint("api", __name__, url_prefix="/api")
docs_bp = Blueprint("api_docs", __name__, url_prefix=LANG_PREFIX)


def register(app: Flask) -> None:
    from . import docs, routes  # noqa: F401  (the routes of both blueprints)
    csrf.exempt(bp)
    limiter.shared_limit(RATE_LIMIT, scope="api")(bp)  # one budget per client for the whole API
    app.register_blueprint(bp)
    app.register_blueprint(docs_bp)
