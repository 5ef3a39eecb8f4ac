"""Settings, read from CONSULT_* environment variables (SPEC §5)."""
from __future__ import annotations

import os
from pathlib import Path

ENV_PREFIX = "CONSULT_"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(ENV_PREFIX + name)
    return value if value not in (None, "") else default


def load_config(instance_path: str) -> dict:
    """Build the Flask config from the environment.

    Development (the default) gets a throwaway secret key, and links in e-mails follow
    the address the site is served on; production (CONSULT_ENV=production) refuses to
    start without CONSULT_SECRET_KEY and CONSULT_BASE_URL.
    """
    instance = Path(instance_path)
    env = _env("ENV", "development")
    secret = _env("SECRET_KEY")
    if secret is None:
        if env == "production":
            raise RuntimeError("CONSULT_SECRET_KEY must be set in production.")
        secret = "development-only-secret-key"
    base_url = _env("BASE_URL")
    if base_url is None and env == "production":
        raise RuntimeError("CONSULT_BASE_URL must be set in production (the site's public address, for links in e-mails).")
    database_url = _env("DATABASE_URL", f"sqlite:///{instance / 'consult.db'}")
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True} if not database_url.startswith("sqlite") else {},
        "REDIS_URL": _env("REDIS_URL"),
        "MAIL_URL": _env("MAIL_URL"),
        "OUTBOX_DIR": str(instance / "outbox"),
        "UPLOAD_DIR": _env("UPLOAD_DIR", str(instance / "uploads")),
        # None in development: e-mail links then follow the address of the request (see mail.site_address).
        "BASE_URL": base_url,
        "MAX_CONTENT_LENGTH": 26 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "lv",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Riga",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 12,
        # A signed-in session ends after this long without a request, and after this long in any case.
        "SESSION_IDLE_MINUTES": int(_env("SESSION_IDLE_MINUTES", "120") or 120),
        "SESSION_MAX_HOURS": int(_env("SESSION_MAX_HOURS", "12") or 12),
        "WTF_CSRF_TIME_LIMIT": 60 * 60 * 4,
        "PROXY_COUNT": int(_env("PROXY_COUNT", "0") or 0),
        # Only for load tests on a private machine: never switch rate limits off in production.
        "RATELIMIT_ENABLED": _env("RATELIMIT_ENABLED", "1") not in ("0", "false", "no"),
        "PREFERRED_URL_SCHEME": "https" if env == "production" else "http",
    }
