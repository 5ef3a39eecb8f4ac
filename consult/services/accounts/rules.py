"""Account rules: limits, the e-mail and password rules, password hashing, finding people, and the
links and signed tokens the other parts send."""

from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache
from importlib import resources

from flask import current_app
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ...extensions import db
from ...i18n import DEFAULT_LANGUAGE, LANGUAGES
from ...models import User
from ..mail import site_address
from ..refusals import Refused

# Two-step verification: RFC 6238 codes, as every authenticator app makes them by default.
TOTP_DIGITS = 6
TOTP_INTERVAL = 30
# Codes from one step before or after now are accepted too: phone clocks drift, and people type slowly.
TOTP_WINDOW = 1
TOTP_ISSUER = "Public consultations"
# Recovery codes: each a random 20-digit number, used once instead of a code from the app.
RECOVERY_CODES = 10
RECOVERY_DIGITS = 20

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 80

security_log = logging.getLogger("consult.security")

# A valid scrypt hash of a random password: checked against when the address is
# unknown, so a wrong address takes as long to refuse as a wrong password.
_TIMING_HASH: str | None = None


def normalise_email(value: str | None) -> str:
    """E-mail addresses are compared and stored in NFC, trimmed and in lower case."""
    return unicodedata.normalize("NFC", value or "").strip().lower()


_EMAIL_LOCAL_EXTRA = set("!#$%&'*+/=?^_`{|}~.-")


def is_valid_email(value: str) -> bool:
    """A plain ASCII address `local@domain.tld` (IDN domains in their xn-- form)."""
    if not value or len(value) > EMAIL_MAX_LENGTH or value.count("@") != 1 or not value.isascii():
        return False
    local, domain = value.split("@")
    if not local or len(local) > 64 or local[0] == "." or local[-1] == "." or ".." in local:
        return False
    if not all(ch.isalnum() or ch in _EMAIL_LOCAL_EXTRA for ch in local):
        return False
    labels = domain.split(".")
    if len(labels) < 2 or labels[-1].isdigit() or len(labels[-1]) < 2:
        return False
    return all(0 < len(label) <= 63 and label[0] != "-" and label[-1] != "-"
               and all(ch.isalnum() or ch == "-" for ch in label) for label in labels)


def normalise_password(password: str) -> str:
    """NFC, so `ā` typed as one character or as `a` + macron is the same password."""
    return unicodedata.normalize("NFC", password or "")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common-password list shipped in consult/data/common_passwords.txt, lower case."""
    text = resources.files("consult").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str) -> str | None:
    """Why a new password is refused, as its refusal code: "account.too_short", "account.too_long",
    "account.common" — or None if it is fine."""
    password = normalise_password(password)
    if len(password) < PASSWORD_MIN_LENGTH:
        return "account.too_short"
    if len(password) > PASSWORD_MAX_LENGTH:
        return "account.too_long"
    if password.lower() in common_passwords():
        return "account.common"
    return None


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(normalise_password(password), method=method)


def check_password(user: User, password: str) -> bool:
    """True when `password` is the user's; an anonymised account (empty hash) matches nothing."""
    if not user.password_hash or not password or len(password) > PASSWORD_MAX_LENGTH * 4:
        return False
    return check_password_hash(user.password_hash, normalise_password(password))


def spend_hashing_time(password: str) -> None:
    global _TIMING_HASH
    if _TIMING_HASH is None:
        _TIMING_HASH = hash_password("timing-equaliser-not-a-password")
    check_password_hash(_TIMING_HASH, normalise_password(password)[: PASSWORD_MAX_LENGTH * 4])


def set_password_hash(user: User, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise Refused(problem, field="password")
    user.password_hash = hash_password(password)
    user.end_other_sessions()


def find_user_by_email(email: str) -> User | None:
    email = normalise_email(email)
    if not email or "\x00" in email or len(email) > 254:
        return None  # no stored address holds these, and PostgreSQL refuses NUL in a query
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def site_link(lang: str, path: str) -> str:
    base = site_address()
    return f"{base}/{lang}/account/{path}"


def language_for(lang: str | None, user: User | None = None) -> str:
    if lang in LANGUAGES:
        return lang
    if user is not None and user.language in LANGUAGES:
        return user.language
    return DEFAULT_LANGUAGE


def token_serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)
