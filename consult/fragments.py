"""Parts of pages rendered once and reused by later requests.

This is the one place besides services/sanitize.py where text becomes Markup: what it
wraps is the output of one of our own .html templates, in which Flask's autoescaping
has already escaped every value, or such output with a marked part of it cut out.
"""
from __future__ import annotations

from flask import render_template
from markupsafe import Markup


def render_fragment(template: str, **context) -> Markup:
    if not template.endswith(".html"):  # only .html templates are autoescaped
        raise ValueError(f"not an autoescaped template: {template}")
    return Markup(render_template(template, **context))  # noqa: S704  (autoescaped template output)


def _marked(name: str, item_id: int) -> tuple[str, str]:
    return f"<!--{name} {item_id}-->", f"<!--/{name}-->"


def without_marked(fragment: Markup | str, name: str, item_ids) -> Markup:
    """The fragment without the parts a template marked as `name` for these ids.

    A template marks a part with `<!--name ID-->…<!--/name-->`. People's text is escaped
    in the fragment, so it can hold no marker; cutting out a whole marked part leaves
    well-formed HTML.
    """
    html = str(fragment)
    for item_id in item_ids:
        start_marker, end_marker = _marked(name, item_id)
        start = html.find(start_marker)
        end = html.find(end_marker, start) if start != -1 else -1
        if end != -1:
            html = html[:start] + html[end + len(end_marker):]
    return Markup(html)  # noqa: S704  (autoescaped template output, less whole marked parts)
