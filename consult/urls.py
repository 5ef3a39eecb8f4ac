"""Absolute addresses of the site's pages, built from CONSULT_BASE_URL.

Never from the request's Host header: anyone can send any Host, and a feed id, a
canonical link or a sitemap entry must name the one public site.
"""
from __future__ import annotations

import os

from flask import current_app, url_for


def base_url() -> str:
    """CONSULT_BASE_URL; in development without it, 127.0.0.1 on the port `make run` serves on."""
    configured = current_app.config.get("BASE_URL")
    if configured:
        return configured.rstrip("/")
    return f"http://127.0.0.1:{os.environ.get('PORT') or 5000}"


def public_url(endpoint: str, **values) -> str:
    """url_for(endpoint, **values) as an absolute address on the public site."""
    return base_url() + url_for(endpoint, **values)


def public_path(path: str) -> str:
    """A path on this site (starting with /) as an absolute address."""
    return base_url() + path
