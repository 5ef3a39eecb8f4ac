"""What a public page says about itself to search engines, feed readers and social sites.

The canonical link and the hreflang alternates are absolute addresses on
CONSULT_BASE_URL; a meta description and, on consultations, sections and news,
Open Graph and Twitter card tags and plain share links (no scripts).
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Flask, request

from .i18n import LANGUAGES, language_from_path
from .urls import public_path

DESCRIPTION_LENGTH = 160
OG_LOCALES = {"lv": "lv_LV", "en": "en_GB"}


def excerpt(source: str | None, limit: int = DESCRIPTION_LENGTH) -> str:
    """Markdown or plain text as one line of at most `limit` characters, cut at a word."""
    from .services.search import markdown_text
    text = markdown_text(source or "")
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[:cut if cut > limit // 2 else limit - 1].rstrip(" ,.;:–-") + "…"


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """(name, address) of the places a reader can share a page to: plain links, no scripts or trackers."""
    from flask_babel import gettext as _
    u, t = quote(url, safe=""), quote(title, safe="")
    return [
        (_("E-mail"), f"mailto:?subject={t}&body={u}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={u}"),
        ("X", f"https://x.com/intent/post?url={u}&text={t}"),
        ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={u}"),
    ]


def page_in(lang: str) -> str:
    """This page in `lang` (path and query), for the language switch; the home page where a page has no
    language prefix. An address that matched no page (a 404) keeps its path under the other prefix, so
    a reader who mistyped one word of it can still correct it there."""
    from flask import url_for
    query = request.query_string.decode("latin-1")
    if request.endpoint and request.url_rule and "lang" in request.url_rule.arguments:
        args = dict(request.view_args or {})
        args["lang"] = lang
        url = url_for(request.endpoint, **args)
    elif request.url_rule is None and lang in LANGUAGES and language_from_path(request.path):
        rest = request.path.lstrip("/").split("/", 1)[1] if "/" in request.path.lstrip("/") else ""
        url = request.script_root + "/" + lang + "/" + quote(rest, safe="/-._~!$&'()*+,;=:@")
    else:
        return url_for("site.home", lang=lang)
    return f"{url}?{query}" if query else url


def public_page_in(lang: str) -> str:
    """This page in `lang` as an absolute address on the public site (hreflang, canonical, sharing)."""
    return public_path(page_in(lang))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["excerpt"] = excerpt
    app.jinja_env.globals.update(page_in=page_in, public_page_in=public_page_in, public_path=public_path,
                                 share_links=share_links,
                                 OG_LOCALES=OG_LOCALES)
