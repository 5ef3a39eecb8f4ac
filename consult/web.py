"""Glue every area's views share, so that no route can forget it: the button-only form, the
no-store header for personal pages, the ?page= argument, and ids in URLs that the database can hold.

May import the services and the forms base, never an area package (site, participation, admin …):
the areas import this module, not each other.
"""
from __future__ import annotations

from flask import Blueprint, Flask, request
from werkzeug.routing import IntegerConverter

from .forms import BaseForm
from .services.ids import MAX_ID

# ?page=N beyond this many digits is not a page anyone reached by following links.
PAGE_DIGITS = 6


class EmptyForm(BaseForm):
    """For buttons that only POST (withdraw, approve …): the CSRF token and nothing else."""


def never_stored(bp: Blueprint) -> Blueprint:
    """Pages of `bp` show personal or staff data: no browser or proxy may keep a copy."""
    @bp.after_request
    def _no_store(response):
        response.headers["Cache-Control"] = "no-store"
        return response
    return bp


def page_number(name: str = "page") -> int:
    """?page=N from the query; anything malformed, zero or absurdly long means the first page."""
    raw = request.args.get(name, "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) <= PAGE_DIGITS and int(raw) > 0 else 1


class IdConverter(IntegerConverter):
    """`<id:name>`: a whole number from 1 to the largest id a column holds; anything else is a 404
    before the view runs, so no view or service meets an id the database would refuse."""

    def __init__(self, url_map, **kwargs):
        super().__init__(url_map, min=1, max=MAX_ID, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
