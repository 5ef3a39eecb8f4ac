"""Static files under content-hashed names, cached for a year; the icons browsers ask for at the root.

`url_for('static', filename='site.css')` gives `/static/site.<hash>.css`, where the hash
is of the file's content when the app started: a changed file gets a new address, so
every copy of the old one may be kept for a year (`immutable`). The plain name still
answers, with a short cache, for anything that asks for it by name.
"""
from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from dataclasses import dataclass

from flask import Flask, abort, current_app, g, request

YEAR = 365 * 24 * 60 * 60
HASH_LENGTH = 12
# Named here, not left to the machine's /etc/mime.types.
TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".png": "image/png",
         ".ico": "image/vnd.microsoft.icon"}
_HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<ext>\.[A-Za-z0-9]+)$")


@dataclass(frozen=True)
class Asset:
    hashed: str
    body: bytes
    mimetype: str
    modified: float


def load_assets(folder: str) -> dict[str, Asset]:
    """Every file in the static folder, read once: {'site.css': Asset('site.<hash>.css', …), …}.
    The files are small (styles and icons); a changed file is seen at the next start."""
    assets = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            relative = os.path.relpath(path, folder).replace(os.sep, "/")
            with open(path, "rb") as handle:
                body = handle.read()
            stem, ext = os.path.splitext(relative)
            digest = hashlib.sha256(body).hexdigest()[:HASH_LENGTH]
            assets[relative] = Asset(f"{stem}.{digest}{ext}", body,
                                     TYPES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream",
                                     os.path.getmtime(path))
    return assets


def collect(assets: dict[str, Asset], target: str) -> list[str]:
    """Writes every static file into `target` under its hashed name and its plain name, for a web server
    in front of the app to serve (deploy/nginx/consult.conf). Returns the hashed names written."""
    written = []
    for relative, asset in sorted(assets.items()):
        for name in (asset.hashed, relative):
            path = os.path.join(target, *name.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(asset.body)
            os.utime(path, (asset.modified, asset.modified))
        written.append(asset.hashed)
    return written


def hashed_name(filename: str) -> str:
    asset = current_app.extensions["consult_assets"].get(filename)
    return asset.hashed if asset else filename


def _send(filename: str, asset: Asset, immutable: bool):
    response = current_app.response_class(asset.body, mimetype=asset.mimetype)
    response.set_etag(asset.hashed)
    response.last_modified = asset.modified
    if immutable:
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    g.compress_cache_key = "static:" + asset.hashed  # compressed once per encoding
    return response.make_conditional(request)


def serve_static(filename: str):
    """A static file by its hashed name (cached for a year) or its plain name (revalidated each time)."""
    assets = current_app.extensions["consult_assets"]
    match = _HASHED.match(filename)
    if match:
        asset = assets.get(match.group("stem") + match.group("ext"))
        if asset is None or asset.hashed != filename:
            abort(404)  # an old or made-up hash: never serve other content under a name cached for a year
        return _send(filename, asset, immutable=True)
    if filename not in assets:
        abort(404)
    return _send(filename, assets[filename], immutable=False)


def init_app(app: Flask) -> None:
    app.extensions["consult_assets"] = load_assets(app.static_folder)
    app.view_functions["static"] = serve_static

    @app.url_defaults
    def _hashed_static(endpoint, values):
        if endpoint == "static" and "filename" in values:
            values["filename"] = hashed_name(values["filename"])

    def _root_file(name: str):
        def view():
            return _send(name, app.extensions["consult_assets"][name], immutable=False)
        view.__name__ = "root_" + re.sub(r"\W", "_", name)
        return view

    # Browsers and feed readers ask for these at the root whatever the page says.
    app.add_url_rule("/favicon.ico", "favicon", _root_file("favicon.ico"))
    app.add_url_rule("/apple-touch-icon.png", "apple_touch_icon", _root_file("apple-touch-icon.png"))
