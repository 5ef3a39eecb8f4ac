"""consult: a bilingual public consultation site."""
from __future__ import annotations

import os

from flask import Flask, redirect, request, url_for

from . import i18n
from .config import load_config
from .extensions import babel, csrf, db, limiter, migrate


def _trust_proxies(app: Flask) -> None:
    """Behind CONSULT_PROXY_COUNT proxies, take the client's address, scheme and host from the
    X-Forwarded-For, -Proto and -Host headers those proxies set, and only from the values they
    added: anything a client wrote further left is ignored. With 0 the headers are ignored."""
    proxies = int(app.config.get("PROXY_COUNT") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False,
                instance_path=os.environ.get("CONSULT_INSTANCE_DIR") or os.path.abspath("instance"))
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(load_config(app.instance_path))
    if config:
        app.config.from_mapping(config)
    _trust_proxies(app)

    from . import models  # noqa: F401  (register the models with SQLAlchemy)

    from . import database
    database.configure(app)
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, directory=os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations"))
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)
    i18n.init_app(app)
    from .services.sanitize import render_markdown, render_markdown_diff, render_plain_text
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["plain_text"] = render_plain_text
    app.jinja_env.filters["markdown_diff"] = render_markdown_diff

    from . import auth, database, errors, forms, labels, security, textsize, uploads_limit, web
    uploads_limit.init_app(app)
    from .services import mail
    mail.init_app(app)
    database.init_app(app)
    labels.init_app(app)
    forms.init_app(app)
    web.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    textsize.init_app(app)
    errors.init_app(app)

    from . import compression, pagecache, pagemeta
    pagemeta.init_app(app)
    from .site import bp as site_bp
    pagecache.init_app(app)
    compression.init_app(app)
    app.register_blueprint(site_bp)
    from .account import bp as account_bp; app.register_blueprint(account_bp)  # noqa: E702
    from .account import oidc; oidc.init_app(app)  # noqa: E702
    from .participation import bp as participation_bp
    app.register_blueprint(participation_bp)
    from .moderation import bp as moderation_bp
    app.register_blueprint(moderation_bp)
    from .admin import register as register_admin; register_admin(app)  # noqa: E702
    from .workgroup import bp as workgroup_bp; app.register_blueprint(workgroup_bp)  # noqa: E702
    from .search import bp as search_bp; app.register_blueprint(search_bp)  # noqa: E702
    from .follow import bp as follow_bp; app.register_blueprint(follow_bp)  # noqa: E702
    from .api import register as register_api; register_api(app)  # noqa: E702
    from .discovery import bp as discovery_bp; app.register_blueprint(discovery_bp)  # noqa: E702
    from . import assets; assets.init_app(app)  # noqa: E702

    @app.get("/")
    def root():
        return redirect(url_for("site.home", lang=i18n.best_language()), code=302)

    @app.get("/healthz")
    def healthz():
        db.session.execute(db.text("SELECT 1"))
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}

    from .cli import register_cli
    register_cli(app)
    return app
