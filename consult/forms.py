"""What every form on the site shares: text normalisation, the honeypot, field attributes."""
from __future__ import annotations

import secrets
import unicodedata

from flask import Flask
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, StringField
from wtforms.validators import ValidationError


def _invisible(ch: str) -> bool:
    """Format characters (bidi overrides, zero-width joiners …) change how text displays unseen."""
    return unicodedata.category(ch) == "Cf"


def normalise_text(value: str | None) -> str | None:
    """NFC, Windows line endings made plain, surrounding space trimmed."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def normalise_name(value: str | None) -> str | None:
    """A display name: NFC, one line, no bidi overrides or zero-width characters."""
    if value is None:
        return None
    value = normalise_text(value) or ""
    return " ".join("".join(ch for ch in value if not _invisible(ch)).split())


def no_nul(_form, field) -> None:
    if field.data and "\x00" in field.data:
        raise ValidationError(_l("This text contains a character that cannot be stored (NUL). Remove it and try "
                                 "again."))


def max_chars(limit: int):
    """Length limit in characters (ā counts as one), with a translated message.

    The numbers are written as the page's language writes them (5,000 / 5 000), the same as in the
    field's hint and its character count (`field_limit`)."""
    def check(_form, field):
        if field.data and len(field.data) > limit:
            raise ValidationError(_l("Use at most %(limit)s characters (you used %(used)s).",
                                     limit=format_decimal(limit), used=format_decimal(len(field.data))))
    check.limit = limit
    return check


def field_limit(field) -> int | None:
    """The most characters a field takes (from its max_chars validator), or None."""
    limits = [check.limit for check in field.validators if hasattr(check, "limit")]
    return min(limits) if limits else None


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices; labels may be lazy strings."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class HoneypotField(StringField):
    """Left empty by people (it is hidden); a bot that fills it is refused."""

    def pre_validate(self, form):
        if self.data:
            raise ValidationError(_l("This form could not be accepted. Please try again."))


def new_idempotency_key() -> str:
    """A fresh key for a form that must be stored once, however often it is sent."""
    return secrets.token_urlsafe(24)


class BaseForm(FlaskForm):
    class Meta:
        locales = False


def field_attrs(field, hint=None) -> dict:
    """aria-describedby and aria-invalid for a field, pointing at its hint and message."""
    ids = []
    if hint:
        ids.append(f"{field.id}-hint")
    if field.errors:
        ids.append(f"{field.id}-error")
    attrs = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return attrs


def init_app(app: Flask) -> None:
    app.jinja_env.globals["field_attrs"] = field_attrs
    app.jinja_env.globals["field_limit"] = field_limit
