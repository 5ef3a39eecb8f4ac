"""Settings, read from CONSULT_* environment variables (SPEC §5)."""
from __future__ import annotations

import os
from pathlib import Path

ENV_PREFIX = "CONSULT_"


def _mail_from(value: str | None) -> str | None:
    """CONSULT_MAIL_FROM as given ("Ministry <noreply@example.gov.lv>"); a value that is no address stops
    the start with a message rather than failing at the first e-mail."""
    if value is None:
        return None
    from email.utils import parseaddr
    _name, address = parseaddr(value)
    if "\n" in value or "\r" in value or "@" not in address or address.startswith("@") or address.endswith("@"):
        raise RuntimeError(f"CONSULT_MAIL_FROM must be an address, as in \"Ministry <noreply@example.gov.lv>\", "
                           f"not {value!r}.")
    return value


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
        raise RuntimeError("CONSULT_BASE_URL must be set in production (the site's public address, for links in "
                           "e-mails).")
    database_url = _env("DATABASE_URL", f"sqlite:///{instance / 'consult.db'}")
    return {
        "ENV_NAME": env,
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True} if not database_url.startswith("sqlite") else {},
        "REDIS_URL": _env("REDIS_URL"),
        # Where background jobs run: "rq" (the default with REDIS_URL), "thread" (the default without) or
        # "inline" (in the request itself: tests only). See consult/services/jobs.py.
        "JOBS_RUNNER": _env("JOBS_RUNNER"),
        "JOBS_QUEUE": _env("JOBS_QUEUE", "consult"),
        "MAIL_URL": _env("MAIL_URL"),
        "MAIL_FROM": _mail_from(_env("MAIL_FROM")),
        "OUTBOX_DIR": str(instance / "outbox"),
        "UPLOAD_DIR": _env("UPLOAD_DIR", str(instance / "uploads")),
        # None in development: e-mail links then follow the address of the request (see mail.site_address).
        "BASE_URL": base_url,
        # A folder of CA certificates (PEM or DER) that signatures on positions are checked against.
        "SIGNATURE_TRUST_DIR": _env("SIGNATURE_TRUST_DIR"),
        # The most a request may carry. Each file in it is kept only up to the largest upload limit and
        # each form checks its own limit (consult/uploads_limit.py), so this is far above those limits.
        "MAX_CONTENT_LENGTH": 128 * 1024 * 1024,
        # Where to report a vulnerability (e-mail addresses or https URLs, comma-separated): /.well-known/security.txt
        "SECURITY_CONTACT": _env("SECURITY_CONTACT"),
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
        # Sign-in through an OpenID Connect provider: on when an issuer and a client id are set.
        "OIDC_ISSUER": _env("OIDC_ISSUER"),
        "OIDC_CLIENT_ID": _env("OIDC_CLIENT_ID"),
        "OIDC_CLIENT_SECRET": _env("OIDC_CLIENT_SECRET"),
        "OIDC_PROVIDER_NAME": _env("OIDC_PROVIDER_NAME"),
        "OIDC_SCOPES": _env("OIDC_SCOPES", "openid email profile"),
        "OIDC_NAME_CLAIM": _env("OIDC_NAME_CLAIM", "name"),
        "OIDC_EMAIL_CLAIM": _env("OIDC_EMAIL_CLAIM", "email"),
        # Unset: the provider grants no roles. Set: the claim's value, a staff role name, sets the role.
        "OIDC_ROLE_CLAIM": _env("OIDC_ROLE_CLAIM"),
        # Staff accounts sign in only through the provider (their password sign-in is off).
        "OIDC_STAFF_ONLY": _env("OIDC_STAFF_ONLY", "0") in ("1", "true", "yes"),
    }
