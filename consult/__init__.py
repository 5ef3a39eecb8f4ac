"""consult: a bilingual public consultation site.

`create_app` builds the application: settings, the database and the site-wide extensions, then each
area's blueprints. The areas (site, participation, account, moderation, admin, workgroup, search,
follow, api, discovery) import the services and the site-wide modules, never this package's factory.
"""
from __future__ import annotations

import os

from flask import Flask, redirect, url_for

from . import (
    assets,
    auth,
    compression,
    database,
    errors,
    forms,
    i18n,
    labels,
    models,  # noqa: F401  (registers the models with SQLAlchemy)
    pagecache,
    pagemeta,
    security,
    textsize,
    uploads_limit,
    web,
)
from .account import bp as account_bp
from .account import oidc
from .admin import register as register_admin
from .api import register as register_api
from .cli import register_cli
from .config import load_config
from .discovery import bp as discovery_bp
from .extensions import babel, csrf, db, limiter, migrate
from .follow import bp as follow_bp
from .moderation import bp as moderation_bp
from .participation import bp as participation_bp
from .search import bp as search_bp
from .services import mail
from .services.sanitize import render_markdown, render_markdown_diff, render_plain_text
from .site import bp as site_bp
from .workgroup import bp as workgroup_bp

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


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

    database.configure(app)  # engine options must be set before the engine exists
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, directory=MIGRATIONS_DIR)
    babel.init_app(app, locale_selector=i18n.select_locale)
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    limiter.init_app(app)
    i18n.init_app(app)
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["plain_text"] = render_plain_text
    app.jinja_env.filters["markdown_diff"] = render_markdown_diff

    # Site-wide pieces first: the id converter (web) must exist before any blueprint's routes use it,
    # and the page cache before the blueprints it wraps.
    for module in (uploads_limit, mail, database, labels, forms, web, auth, security, textsize, errors,
                   pagemeta, pagecache, compression):
        module.init_app(app)

    for blueprint in (site_bp, account_bp, participation_bp, moderation_bp, workgroup_bp, search_bp, follow_bp,
                      discovery_bp):
        app.register_blueprint(blueprint)
    oidc.init_app(app)
    register_admin(app)
    register_api(app)
    assets.init_app(app)

    @app.get("/")
    def root():
        return redirect(url_for("site.home", lang=i18n.best_language()), code=302)

    @app.get("/healthz")
    def healthz():
        db.session.execute(db.text("SELECT 1"))
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}

    register_cli(app)
    return app
