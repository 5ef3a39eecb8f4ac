"""Parts of pages rendered once and reused by later requests.

This is the one place besides services/sanitize.py where text becomes Markup: what it
wraps is the output of one of our own .html templates, in which Flask's autoescaping
has already escaped every value.
"""
from __future__ import annotations

from flask import render_template
from markupsafe import Markup


def render_fragment(template: str, **context) -> Markup:
    if not template.endswith(".html"):  # only .html templates are autoescaped
        raise ValueError(f"not an autoescaped template: {template}")
    return Markup(render_template(template, **context))  # noqa: S704  (autoescaped template output)
