"""Cached public pages for anonymous visitors, invalidated whenever published content changes.

A page is stored under its path, query, text size and the current *content
generation*. Any commit that touches what the public sees (comments, positions,
sections, paragraphs, news, polls …) bumps the generation, so the next request
renders afresh: a visitor never sees a moderation decision late. The generation
lives in Redis when CONSULT_REDIS_URL is set (shared by every worker and host),
otherwise in a small file in the instance folder that each change replaces with a new
random token (shared by the workers of one host).
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import time

from flask import Flask, current_app, g, request, session
from flask_caching import Cache
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.http import http_date

log = logging.getLogger("consult.cache")
cache = Cache()
CACHE_SECONDS = 60  # also the longest a newly scheduled section waits to appear
GENERATION_KEY = "consult:content-generation"


def _redis(app: Flask):
    """The Redis client of CONSULT_REDIS_URL, made once per URL: an app whose setting changes (as the
    tests of the job runners do) stops using the old server at once, rather than keeping its client."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    kept = app.extensions.get("consult_redis")
    if kept is None or kept[0] != url:
        import redis
        kept = app.extensions["consult_redis"] = (url, redis.Redis.from_url(url, socket_timeout=0.5,
                                                                            socket_connect_timeout=0.5))
    return kept[1]


def _generation_file(app: Flask) -> str:
    return os.path.join(app.instance_path, "content-generation")


def generation(app: Flask) -> str:
    client = _redis(app)
    if client is not None:
        try:
            return (client.get(GENERATION_KEY) or b"0").decode()
        except Exception:  # noqa: BLE001  (Redis down: serve uncached rather than fail)
            return ""
    try:
        with open(_generation_file(app), encoding="ascii") as handle:
            return handle.read() or "0"
    except FileNotFoundError:
        return "0"


def bump(app: Flask) -> None:
    client = _redis(app)
    if client is not None:
        try:
            client.incr(GENERATION_KEY)
            return
        except Exception:  # noqa: BLE001
            log.warning("could not bump the page-cache generation in Redis")
    path = _generation_file(app)
    temporary = f"{path}.{secrets.token_hex(4)}"
    with open(temporary, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(8))
    os.replace(temporary, path)  # atomic: readers see the old token or the new one


def fragment_key(*parts) -> str:
    """A cache key for a piece of public content, under the current generation ("" when none is known,
    or when caching is off)."""
    if not current_app.config.get("PAGE_CACHE", True):
        return ""
    gen = generation(current_app)
    if not gen:
        return ""
    raw = "|".join(str(part) for part in (*parts, gen))
    return "fragment:" + hashlib.sha256(raw.encode()).hexdigest()


def remembered(parts: tuple, compute):
    """compute(), kept under the content generation: for what many requests look up and only a
    public change can alter. None is never kept, so what is missing is looked up again."""
    key = fragment_key(*parts)
    value = cache.get(key) if key else None
    if value is None:
        value = compute()
        if key and value is not None:
            cache.set(key, value, timeout=CACHE_SECONDS)
    return value


def placeholder(name: str) -> str:
    """A stand-in for a per-person value in a page rendered once for many readers. Derived from the
    secret key, so no one can write it into a comment, and the same in every worker and host."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return "personal-" + hmac.new(secret, name.encode(), hashlib.sha256).hexdigest()[:32]


def menu_roles() -> tuple:
    """What the menu shows differs by role: part of the key of a page shared by signed-in readers."""
    from flask_login import current_user
    if not current_user.is_authenticated:
        return ()
    return tuple(current_user.has_role(role) for role in ("moderator", "workgroup", "editor"))


def personal_page(parts: tuple, render, personal: dict):
    """A page for a signed-in reader, rendered once per address, text size, generation and `parts`
    with placeholders for the per-person values, then filled in for each request.

    render(placeholders) renders the page and returns (html, extra), where `placeholders` maps each
    name in `personal` to its placeholder; `personal` maps each name to a function giving this
    request's value. Returns (html, extra). With caching off, it renders with the real values.
    """
    key = fragment_key("personal-page", request.full_path, getattr(g, "text_size", "normal"), *parts)
    if not key:
        return render({name: value() for name, value in personal.items()})
    cached = cache.get(key)
    if cached is None:
        cached = render({name: placeholder(name) for name in personal})
        cache.set(key, cached, timeout=CACHE_SECONDS)
    html, extra = cached
    for name, value in personal.items():
        html = html.replace(placeholder(name), value())
    return html, extra


def _cacheable() -> bool:
    return (current_app.config.get("PAGE_CACHE", True) and request.method == "GET" and "_user_id" not in session
            and "_flashes" not in session
            and not request.cookies.get("poll_voter"))


def _key() -> str:
    gen = generation(current_app)
    if not gen:
        return ""
    raw = f"{request.full_path}|{getattr(g, 'text_size', 'normal')}|{gen}"
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def cache_blueprint(blueprint) -> None:
    """Serve this blueprint's pages from the cache to anonymous visitors."""
    @blueprint.before_request
    def _serve_cached():
        if not _cacheable():
            return None
        key = _key()
        if not key:
            return None
        cached = cache.get(key)
        if cached is not None:
            body, status, headers = cached
            g.compress_cache_key = key
            return body, status, headers
        g.page_cache_key = key
        return None

    @blueprint.after_request
    def _store(response):
        key = g.pop("page_cache_key", None)
        if (key and response.status_code == 200 and not response.direct_passthrough
                and "Set-Cookie" not in response.headers and response.mimetype == "text/html"):
            body = response.get_data()
            headers = [("Content-Type", response.headers["Content-Type"]), *validators(body)]
            response.headers.extend(headers[1:])
            cache.set(key, (body, 200, headers), timeout=CACHE_SECONDS)
            g.compress_cache_key = key
        if response.status_code == 200 and "ETag" in response.headers and request.method in ("GET", "HEAD"):
            response.make_conditional(request)
        return response


def validators(body: bytes) -> list[tuple[str, str]]:
    """ETag, Last-Modified and Cache-Control of a cached public page: a browser keeps the page and asks
    again each time (no-cache), and gets 304 while it has not changed."""
    etag = hashlib.sha256(body).hexdigest()[:32]
    return [("ETag", f'"{etag}"'), ("Last-Modified", http_date(time.time())), ("Cache-Control", "no-cache")]


_watching = False


def _watch_content_changes() -> None:
    """Session listeners (registered once per process) that bump the generation after a relevant commit."""
    global _watching
    if _watching:
        return
    _watching = True
    from .models import (
        Comment,
        Consultation,
        Document,
        FaqItem,
        NewsItem,
        Paragraph,
        Poll,
        PollOption,
        Position,
        Section,
        Status,
        Subgroup,
        User,
        Version,
        Vote,
    )
    public = (Comment, Consultation, Document, FaqItem, NewsItem, Paragraph, Poll, PollOption, Position, Section,
              Subgroup, User, Version, Vote)

    def _shows(obj, new: bool) -> bool:
        """Whether this change can alter a public page (a new pending comment or position cannot)."""
        if new and isinstance(obj, (Comment, Position)):
            return obj.status == Status.APPROVED
        return isinstance(obj, public)

    @event.listens_for(Session, "after_flush")
    def _note_changes(session, _context):
        if any(_shows(obj, True) for obj in session.new) or \
                any(isinstance(obj, public) for obj in (*session.dirty, *session.deleted)):
            session.info["public_content_changed"] = True

    @event.listens_for(Session, "do_orm_execute")
    def _note_bulk_changes(state):
        """Bulk INSERT/UPDATE/DELETE statements bypass the flush, so watch them too."""
        if (state.is_insert or state.is_update or state.is_delete) and state.bind_mapper is not None \
                and issubclass(state.bind_mapper.class_, public):
            state.session.info["public_content_changed"] = True

    @event.listens_for(Session, "after_commit")
    def _bump(session):
        if session.info.pop("public_content_changed", False):
            bump(current_app._get_current_object())

    @event.listens_for(Session, "after_rollback")
    def _forget(session):
        session.info.pop("public_content_changed", None)


def init_app(app: Flask) -> None:
    if app.config.get("REDIS_URL"):
        config = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": app.config["REDIS_URL"],
                  "CACHE_KEY_PREFIX": "consult:", "CACHE_OPTIONS": {"socket_timeout": 0.5,
                                                                   "socket_connect_timeout": 0.5}}
    else:
        config = {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 2000}
    config["CACHE_DEFAULT_TIMEOUT"] = CACHE_SECONDS
    cache.init_app(app, config={**config, "CACHE_IGNORE_ERRORS": True})
    _watch_content_changes()
