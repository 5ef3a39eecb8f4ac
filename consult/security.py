"""Security headers on every response, errors and downloads included."""
from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.datastructures import ImmutableMultiDict

CSP_TEMPLATE = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "font-src 'self'; form-action 'self'{form_action}; object-src 'none'; base-uri 'none'; "
                "frame-ancestors 'none'")
CSP = CSP_TEMPLATE.format(form_action="")


def csp_with_form_action(origins: list[str]) -> str:
    """The policy with forms also allowed to lead to `origins` (browsers apply form-action to the
    redirects that follow a form, such as the one to an identity provider's sign-in page)."""
    return CSP_TEMPLATE.format(form_action="".join(f" {origin}" for origin in origins))


def init_app(app: Flask) -> None:
    production = app.config["ENV_NAME"] == "production"

    @app.before_request
    def _refuse_nul():
        """NUL can be stored nowhere (PostgreSQL refuses it): a path holding one names no page, and
        query values lose it, so a malformed link still shows the page with its defaults."""
        if "\x00" in request.path:
            abort(404)
        if "\x00" in request.query_string.decode("latin-1") or "%00" in request.query_string.decode("latin-1"):
            request.args = ImmutableMultiDict(
                [(key.replace("\x00", ""), value.replace("\x00", "")) for key, value in request.args.items(multi=True)])

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        if production:
            response.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        return response
