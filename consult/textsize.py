"""The text-size control (A, A+, A++): plain links that set a remembered preference."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, g, redirect, request

SIZES = ("normal", "large", "larger")
COOKIE = "text_size"


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only a path on this site: never another host, never a scheme."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target


def init_app(app: Flask) -> None:
    @app.before_request
    def _load_text_size():
        size = request.cookies.get(COOKIE)
        g.text_size = size if size in SIZES else "normal"

    @app.get("/text-size/<any(normal, large, larger):size>")
    def set_text_size(size: str):
        response = redirect(safe_next(request.args.get("next")), code=303)
        response.set_cookie(COOKIE, size, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                            secure=app.config["SESSION_COOKIE_SECURE"])
        return response

    app.jinja_env.globals["TEXT_SIZES"] = SIZES
