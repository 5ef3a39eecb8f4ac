"""Brotli and gzip for HTML, CSS, JavaScript, JSON, XML, Atom and SVG (Flask-Compress), as the client asks.

What is the same for many requests is compressed once: a cached public page and a
static file name a key (`g.compress_cache_key`), and each compressed variant is kept
under it in the page cache, so it expires with the page (the content generation is in
the key). Everything else is compressed per response. A strong ETag gets the encoding
appended (`"…:br"`), so a conditional GET with either validator gets its 304.
Downloads that stream (exports) are left as they are: they stream in flat memory, and a
proxy in front may compress them.
"""
from __future__ import annotations

from flask import Flask, g
from flask_compress import Compress

from . import pagecache

compress = Compress()
MIMETYPES = ["text/html", "text/css", "text/javascript", "text/plain", "application/json", "application/xml",
             "application/atom+xml", "image/svg+xml", "image/vnd.microsoft.icon"]


class _KeptVariants:
    """Flask-Compress's cache backend: the page cache, and only for responses that named a key."""

    @staticmethod
    def _usable(key: str) -> bool:
        return not key.endswith(";")

    def get(self, key: str):
        return pagecache.cache.get("compressed:" + key) if self._usable(key) else None

    def set(self, key: str, value: bytes) -> None:
        if self._usable(key):
            pagecache.cache.set("compressed:" + key, value, timeout=pagecache.CACHE_SECONDS)


def _cache_key(_request) -> str:
    return g.get("compress_cache_key", "")


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", _KeptVariants)
    app.config.setdefault("COMPRESS_CACHE_KEY", _cache_key)
    compress.init_app(app)
