"""Static files under content-hashed names, cached for a year; the icons browsers ask for at the root.

`url_for('static', filename='site.css')` gives `/static/site.<hash>.css`, where the hash
is of the file's content when the app started: a changed file gets a new address, so
every copy of the old one may be kept for a year (`immutable`). The plain name still
answers, with a short cache, for anything that asks for it by name.
"""
from __future__ import annotations

import hashlib
import os
import re

from flask import Flask, abort, current_app, send_from_directory

YEAR = 365 * 24 * 60 * 60
HASH_LENGTH = 12
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{%d})(?P<ext>\.[A-Za-z0-9]+)$" % HASH_LENGTH)


def _digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:HASH_LENGTH]


def build_manifest(folder: str) -> dict[str, str]:
    """{'site.css': 'site.<hash>.css', 'icons/x.svg': 'icons/x.<hash>.svg', …} for every file in folder."""
    manifest = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            relative = os.path.relpath(path, folder).replace(os.sep, "/")
            stem, ext = os.path.splitext(relative)
            manifest[relative] = f"{stem}.{_digest(path)}{ext}"
    return manifest


def hashed_name(filename: str) -> str:
    return current_app.extensions["consult_assets"].get(filename, filename)


def serve_static(filename: str):
    """A static file by its hashed name (cached for a year) or its plain name (revalidated)."""
    manifest = current_app.extensions["consult_assets"]
    match = _HASHED.match(filename)
    if match:
        plain = match.group("stem") + match.group("ext")
        if manifest.get(plain) != filename:
            abort(404)  # an old or made-up hash: never serve other content under a name cached for a year
        response = send_from_directory(current_app.static_folder, plain, max_age=YEAR, conditional=True)
        response.cache_control.public = True
        response.cache_control.immutable = True
        return response
    if filename not in manifest:
        abort(404)
    response = send_from_directory(current_app.static_folder, filename, max_age=0, conditional=True)
    response.cache_control.no_cache = True
    return response


def init_app(app: Flask) -> None:
    app.extensions["consult_assets"] = build_manifest(app.static_folder)
    app.view_functions["static"] = serve_static

    @app.url_defaults
    def _hashed_static(endpoint, values):
        if endpoint == "static" and "filename" in values:
            values["filename"] = hashed_name(values["filename"])

    def _root_file(name: str, mimetype: str):
        def view():
            response = send_from_directory(app.static_folder, name, mimetype=mimetype, max_age=24 * 60 * 60,
                                           conditional=True)
            response.cache_control.public = True
            return response
        view.__name__ = "root_" + re.sub(r"\W", "_", name)
        return view

    # Browsers and feed readers ask for these at the root whatever the page says.
    app.add_url_rule("/favicon.ico", "favicon", _root_file("favicon.ico", "image/vnd.microsoft.icon"))
    app.add_url_rule("/apple-touch-icon.png", "apple_touch_icon", _root_file("apple-touch-icon.png", "image/png"))
