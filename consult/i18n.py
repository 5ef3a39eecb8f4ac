"""Languages: the /lv/ and /en/ URL prefixes, locale selection and bilingual content.

Every page lives under a language prefix; the prefix is the only thing that decides
the page language, so a link or a cached page always means one language.
"""
from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import get_group_symbol
from flask import Flask, g, request
from flask_babel import format_decimal, format_percent, get_locale, get_translations
from markupsafe import Markup

from .dates import date_text, datetime_text, time_text

LANGUAGES = ("lv", "en")
DEFAULT_LANGUAGE = "lv"
LANGUAGE_NAMES = {"lv": "Latviešu", "en": "English"}
# Every blueprint with pages for people mounts under this prefix.
LANG_PREFIX = "/<any(lv, en):lang>"


def current_language() -> str:
    return getattr(g, "lang", None) or DEFAULT_LANGUAGE


def other_language(lang: str | None = None) -> str:
    return "en" if (lang or current_language()) == "lv" else "lv"


def language_from_path(path: str) -> str | None:
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in LANGUAGES else None


def best_language() -> str:
    """The language a visitor's browser prefers, for `/` and for pages outside a prefix."""
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def select_locale() -> str:
    return getattr(g, "lang", None) or language_from_path(request.path) or best_language()


@dataclass(frozen=True)
class Localized:
    text: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        return str(Markup.escape(self.text))


def localized(obj, field: str) -> str:
    """The value of `field_<lang>` in the page language, falling back to Latvian.

    A fallback is remembered on `g`, so the page can show its "not available in
    English" notice.
    """
    lang = current_language()
    value = getattr(obj, f"{field}_{lang}", None)
    if value:
        return value
    fallback = getattr(obj, f"{field}_{DEFAULT_LANGUAGE}", "") or ""
    if lang != DEFAULT_LANGUAGE and fallback:
        g.content_fallback = True
    return fallback


def human_size(size_bytes: int) -> str:
    """1.8 MB, 4.8 KB … in the page's number format."""
    units = ("B", "KB", "MB", "GB")
    value = float(size_bytes)
    unit = 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    pattern = "#,##0" if unit == 0 else "#,##0.#"
    return f"{format_decimal(value, format=pattern)}\u00a0{units[unit]}"


_catalogs: dict = {}


def translations():
    """The catalog of the locale in force, found in one step.

    Flask-Babel looks the catalog up again on every string; a page with a hundred
    strings pays for that a hundred times. The locale object Flask-Babel keeps for the
    request (or for a `force_locale` block, as when mailing someone in their language)
    is the key, so a forced locale still gets its own catalog.
    """
    state = g.get("_flask_babel")
    locale = getattr(state, "babel_locale", None) if state is not None else None
    catalog = _catalogs.get(locale) if locale is not None else None
    if catalog is None:
        catalog = get_translations()
        locale = getattr(g.get("_flask_babel"), "babel_locale", None)
        if locale is not None:
            _catalogs[locale] = catalog
    return catalog


def fast_gettext(message: str) -> str:
    return translations().ugettext(message)


def group_symbol() -> str:
    """What the page's language puts between groups of digits (5,000 / 5 000), for the character count
    that the page's script writes: it has to write numbers as the page (Babel) does."""
    return get_group_symbol(get_locale())


def init_app(app: Flask) -> None:
    # Every date on a page or in an e-mail goes through consult.dates (British English, declined Latvian).
    app.jinja_env.filters["datetimeformat"] = datetime_text
    app.jinja_env.filters["dateformat"] = date_text
    app.jinja_env.filters["timeformat"] = time_text
    # Templates translate through the cached catalog (jinja's newstyle gettext still escapes the values).
    app.jinja_env.install_gettext_callables(
        gettext=fast_gettext,
        ngettext=lambda singular, plural, n: translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, message: translations().upgettext(context, message),
        npgettext=lambda context, singular, plural, n: translations().unpgettext(context, singular, plural, n),
    )

    @app.url_value_preprocessor
    def _pull_language(_endpoint, values):
        if values and "lang" in values:
            g.lang = values.pop("lang")

    expects_language: dict[str, bool] = {}  # endpoint → whether its URL has <lang>; url_for asks often

    @app.url_defaults
    def _add_language(endpoint, values):
        if "lang" in values:
            return
        expects = expects_language.get(endpoint)
        if expects is None:
            expects = expects_language[endpoint] = app.url_map.is_endpoint_expecting(endpoint, "lang")
        if expects:
            values["lang"] = current_language()

    app.jinja_env.globals.update(
        localized=localized,
        LANGUAGES=LANGUAGES,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        current_language=current_language,
        other_language=other_language,
        group_symbol=group_symbol,
    )
    app.jinja_env.filters["human_size"] = human_size
    app.jinja_env.filters["percent"] = lambda share: format_percent(share, format="#,##0.#%")
    app.jinja_env.filters["number"] = lambda value: format_decimal(value)
    # A machine-readable UTC time for <time datetime>, without microseconds.
    app.jinja_env.filters["iso_utc"] = lambda value: value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""
