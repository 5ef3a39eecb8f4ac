"""Accounts: registration, e-mail confirmation, sign-in, passwords, own data and deletion.

Plain functions without a request object, shared by the web pages and the CLI.
Each function that changes something commits its own transaction.
"""
from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
import unicodedata
from functools import lru_cache
from importlib import resources

import pyotp
import segno
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from ..clock import utcnow
from ..extensions import db
from ..forms import normalise_name
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..models import Comment, Follow, LinkedIdentity, RecoveryCode, Report, RespondentType, Role, User
from . import personal_data
from .mail import send_email, site_address

CONFIRM_SALT = "confirm-email"
CONFIRM_MAX_AGE = 3 * 24 * 3600
RESET_SALT = "reset-password"
RESET_MAX_AGE = 3600
EMAIL_CHANGE_SALT = "change-email"
EMAIL_CHANGE_MAX_AGE = 24 * 3600

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


class AccountError(Exception):
    """The rules refuse the request; `code` says which rule (the caller words the message)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- Input rules -------------------------------------------------------------------------

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
    """Why a new password is refused: "too_short", "too_long", "common" — or None if it is fine."""
    password = normalise_password(password)
    if len(password) < PASSWORD_MIN_LENGTH:
        return "too_short"
    if len(password) > PASSWORD_MAX_LENGTH:
        return "too_long"
    if password.lower() in common_passwords():
        return "common"
    return None


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(normalise_password(password), method=method)


def check_password(user: User, password: str) -> bool:
    """True when `password` is the user's; an anonymised account (empty hash) matches nothing."""
    if not user.password_hash or not password or len(password) > PASSWORD_MAX_LENGTH * 4:
        return False
    return check_password_hash(user.password_hash, normalise_password(password))


def _spend_hashing_time(password: str) -> None:
    global _TIMING_HASH
    if _TIMING_HASH is None:
        _TIMING_HASH = hash_password("timing-equaliser-not-a-password")
    check_password_hash(_TIMING_HASH, normalise_password(password)[: PASSWORD_MAX_LENGTH * 4])


def _set_password(user: User, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user.password_hash = hash_password(password)
    user.end_other_sessions()


# --- Finding people ----------------------------------------------------------------------

def find_user_by_email(email: str) -> User | None:
    email = normalise_email(email)
    if not email or "\x00" in email or len(email) > 254:
        return None  # no stored address holds these, and PostgreSQL refuses NUL in a query
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def _link(lang: str, path: str) -> str:
    base = site_address()
    return f"{base}/{lang}/account/{path}"


def _language(lang: str | None, user: User | None = None) -> str:
    if lang in LANGUAGES:
        return lang
    if user is not None and user.language in LANGUAGES:
        return user.language
    return DEFAULT_LANGUAGE


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


# --- Registration and confirmation ---------------------------------------------------------

def register_user(display_name: str, email: str, password: str, respondent_type: str,
                  language: str) -> User | None:
    """Creates an unconfirmed citizen account and mails the confirmation link.

    When the address already has an account, nothing is created: the address gets a
    message saying someone tried to register with it, and the caller shows the same
    "check your e-mail" page, so the page does not reveal who has an account.
    Returns the new user, or None when the address was taken.
    """
    email = normalise_email(email)
    language = _language(language)
    if respondent_type not in RespondentType.ALL:
        respondent_type = RespondentType.CITIZEN
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if not is_valid_email(email):
        raise AccountError("invalid_email")
    password_hash = hash_password(password)  # hashed in both branches: same time either way
    if find_user_by_email(email) is None:
        now = utcnow()
        user = User(email=email, display_name=display_name, password_hash=password_hash, role=Role.CITIZEN,
                    respondent_type=respondent_type, language=language, consent_at=now, created_at=now)
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:  # registered by a parallel request a moment ago
            db.session.rollback()
        else:
            send_confirmation(user, language)
            return user
    send_email(to=email, template="register_exists", lang=language,
               login_link=_link(language, "login/"), reset_link=_link(language, "reset/"))
    return None


def confirmation_token(user: User) -> str:
    return _serializer(CONFIRM_SALT).dumps({"u": user.id, "e": user.email})


def send_confirmation(user: User, lang: str | None = None) -> None:
    """Mails the link that confirms the user's address (valid for 3 days)."""
    lang = _language(lang, user)
    send_email(to=user.email, template="confirm", lang=lang, name=user.display_name,
               link=_link(lang, f"confirm/{confirmation_token(user)}/"))


def confirm_email(token: str) -> User | None:
    """Confirms the address the token was made for; None when the token is invalid or expired.

    Confirming twice is harmless: the second time changes nothing.
    """
    try:
        data = _serializer(CONFIRM_SALT).loads(token, max_age=CONFIRM_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("e"), str):
        return None
    user = db.session.get(User, data["u"])
    if user is None or user.deleted_at is not None or user.email != data["e"]:
        return None
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        db.session.commit()
    return user


# --- Signing in and out --------------------------------------------------------------------

def authenticate(email: str, password: str) -> User | None:
    """The user with this address and password who may sign in, or None — whatever the reason.

    Unknown address, wrong password, suspended and deleted accounts all give None, so
    the caller shows one message for all of them. On success, records the sign-in time —
    unless the user has two-step verification on: then the sign-in is not finished until
    the code is right (check_sign_in_code records it).
    """
    user = find_user_by_email(email)
    if user is None:
        _spend_hashing_time(password or "")
        return None
    if not check_password(user, password or "") or not user.is_active:
        return None
    if not user.has_two_step:
        user.last_login_at = utcnow()
        db.session.commit()
    return user


def user_for_pending_sign_in(user_id, session_token) -> User | None:
    """The user whose password was right a moment ago and who still owes a code.

    None when the account has gone, was suspended, turned two-step verification off, or
    changed its session token (a new password, say) since the password was checked.
    """
    if not isinstance(user_id, int) or not isinstance(session_token, str):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not user.has_two_step or user.session_token != session_token:
        return None
    return user


def user_for_staff_link(user_id, session_token) -> User | None:
    """The staff member whose password was right a moment ago and who now links the identity provider,
    without which staff may not sign in (CONSULT_OIDC_STAFF_ONLY). None when that changed meanwhile."""
    if not isinstance(user_id, int) or not isinstance(session_token, str):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not user.is_staff or user.session_token != session_token:
        return None
    return user


def check_sign_in_code(user: User, code: str) -> bool:
    """Finishes a two-step sign-in: records it when the code (or an unused recovery code) is right.

    Returns True when a recovery code was used. Raises AccountError("bad_code") or AccountError("used_code").
    """
    used_recovery = _accept_code(user, code, recovery=True)
    user.last_login_at = utcnow()
    db.session.commit()
    return used_recovery


def end_all_sessions(user: User) -> None:
    """Ends every session of this user (the per-user session token changes)."""
    user.end_other_sessions()
    db.session.commit()


# --- Passwords -----------------------------------------------------------------------------

def change_password(user: User, current_password: str, new_password: str) -> None:
    """Needs the current password; ends the user's other sessions and tells them by mail.

    Raises AccountError("wrong_password") or a password_problem() code.
    """
    if not check_password(user, current_password):
        raise AccountError("wrong_password")
    _set_password(user, new_password)
    db.session.commit()
    _notify_password_changed(user)


def set_first_password(user: User, new_password: str) -> None:
    """The first password of an account made through an identity provider, once the caller has
    confirmed that it is the owner (by a fresh sign-in at the provider: there is no current password).
    Ends the user's other sessions and tells them by mail.

    Raises AccountError("has_password") (change_password() is the way then) or a password_problem() code.
    """
    if user.password_hash:
        raise AccountError("has_password")
    _set_password(user, new_password)
    db.session.commit()
    security_log.info("first password set: user=%s", user.id)
    _notify_password_changed(user)


def _password_fingerprint(user: User) -> str:
    """Changes whenever the password does, so a reset link works once.

    (The first characters of a scrypt hash are its parameters, the same for every
    password, so a digest of the whole hash is used instead.)
    """
    return hashlib.sha256(user.password_hash.encode("utf-8")).hexdigest()[:16]


def reset_token(user: User) -> str:
    return _serializer(RESET_SALT).dumps({"u": user.id, "p": _password_fingerprint(user)})


def request_password_reset(email: str) -> None:
    """Mails a reset link (valid one hour, once) when the address belongs to an active account.

    Does nothing otherwise; the caller answers the same either way.
    """
    user = find_user_by_email(email)
    if user is None or not user.is_active or not user.password_hash:
        return
    lang = _language(None, user)
    send_email(to=user.email, template="reset", lang=lang, name=user.display_name,
               link=_link(lang, f"reset/{reset_token(user)}/"))


def user_for_reset_token(token: str) -> User | None:
    """The user a reset link was made for, if it is still valid (one hour, password unchanged)."""
    try:
        data = _serializer(RESET_SALT).loads(token, max_age=RESET_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("p"), str):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.is_active or not user.password_hash:
        return None
    if _password_fingerprint(user) != data["p"]:
        return None
    return user


def reset_password(token: str, new_password: str) -> User | None:
    """Sets a new password through a reset link; None when the link is invalid, used or expired.

    The link proves the person reads the account's mailbox, so it also confirms the address.
    Raises a password_problem() code as AccountError.
    """
    user = user_for_reset_token(token)
    if user is None:
        return None
    _set_password(user, new_password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    db.session.commit()
    _notify_password_changed(user)
    return user


def _notify_password_changed(user: User) -> None:
    lang = _language(None, user)
    send_email(to=user.email, template="password_changed", lang=lang, name=user.display_name,
               reset_link=_link(lang, "reset/"))


# --- Two-step verification (TOTP) ----------------------------------------------------------

def normalise_code(value: str | None) -> str:
    """A code as people type or paste it: spaces and dashes between the digits do not count."""
    return re.sub(r"[\s\-\u00a0]", "", unicodedata.normalize("NFKC", value or ""))[:32]


def is_code_format(value: str) -> bool:
    return len(value) == TOTP_DIGITS and value.isascii() and value.isdigit()


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL)


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (around now) whose code this is, or None."""
    totp = _totp(secret)
    now = int(time.time()) // TOTP_INTERVAL
    for step in range(now - TOTP_WINDOW, now + TOTP_WINDOW + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def is_recovery_code_format(value: str) -> bool:
    return len(value) == RECOVERY_DIGITS and value.isascii() and value.isdigit()


def _recovery_hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    """Replaces the user's recovery codes with a new set; returns them as shown once (groups of four).

    Joins the caller's transaction.
    """
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice("0123456789") for _ in range(RECOVERY_DIGITS)) for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(code)) for code in codes)
    return [" ".join(code[i:i + 4] for i in range(0, RECOVERY_DIGITS, 4)) for code in codes]


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def regenerate_recovery_codes(user: User, password: str) -> list[str]:
    """A new set of recovery codes (the old ones stop working); needs the password.

    Raises AccountError("not_on") or AccountError("wrong_password").
    """
    if not user.has_two_step:
        raise AccountError("not_on")
    if not check_password(user, password):
        raise AccountError("wrong_password")
    return replace_recovery_codes(user)


def replace_recovery_codes(user: User) -> list[str]:
    """regenerate_recovery_codes() once the caller has confirmed that it is the owner: with the password,
    or, for an account that has none, by a fresh sign-in at its identity provider.

    Raises AccountError("not_on").
    """
    if not user.has_two_step:
        raise AccountError("not_on")
    codes = _new_recovery_codes(user)
    db.session.commit()
    security_log.info("recovery codes replaced: user=%s", user.id)
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    """Marks an unused recovery code of this user as used; a conditional UPDATE, so it works once."""
    used = db.session.execute(
        update(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _recovery_hash(code),
                                   RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    return bool(used)


def _accept_code(user: User, code: str, recovery: bool = False) -> bool:
    """Accepts a code once: its time step must be newer than the last one accepted.

    The step is stored with a conditional UPDATE, so two requests racing with the same
    code cannot both succeed. With `recovery`, an unused recovery code is accepted instead
    (and then True is returned). Joins the caller's transaction (the caller commits).
    Raises AccountError("bad_code") or AccountError("used_code").
    """
    code = normalise_code(code)
    if recovery and user.has_two_step and is_recovery_code_format(code):
        if not _use_recovery_code(user, code):
            db.session.rollback()
            raise AccountError("bad_code")
        security_log.info("recovery code used: user=%s", user.id)
        return True
    if not user.totp_secret or not is_code_format(code):
        raise AccountError("bad_code")
    step = _matching_step(user.totp_secret, code)
    if step is None:
        raise AccountError("bad_code")
    claimed = db.session.execute(
        update(User).where(User.id == user.id,
                           or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        db.session.rollback()
        raise AccountError("used_code")
    user.totp_last_step = step
    return False


def start_two_step(user: User) -> None:
    """Makes a new secret for setting up; it counts only after enable_two_step() accepts a code.

    Starting again replaces a secret that was never confirmed. Raises AccountError("already_on").
    """
    if user.has_two_step:
        raise AccountError("already_on")
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.commit()


def two_step_uri(user: User) -> str:
    """The otpauth:// address an authenticator app reads (from the QR code or a tap on a phone)."""
    issuer = current_app.config.get("TOTP_ISSUER") or TOTP_ISSUER
    return _totp(user.totp_secret).provisioning_uri(name=user.email or str(user.id), issuer_name=issuer)


def two_step_qr(uri: str) -> str:
    """The QR code as an SVG data: URI, which the Content-Security-Policy allows for images."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, as people can read and type it."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def enable_two_step(user: User, code: str) -> list[str]:
    """Turns two-step verification on once a code from the new secret is right; returns the new
    recovery codes, to be shown once.

    Ends the user's other sessions and tells them by mail.
    Raises AccountError: "already_on", "not_started", "bad_code" or "used_code".
    """
    if user.has_two_step:
        raise AccountError("already_on")
    if not user.totp_secret:
        raise AccountError("not_started")
    _accept_code(user, code)
    user.totp_enabled_at = utcnow()
    user.end_other_sessions()
    codes = _new_recovery_codes(user)
    _notify_two_step(user, enabled=True)
    db.session.commit()
    security_log.info("two-step verification on: user=%s", user.id)
    return codes


def disable_two_step(user: User, password: str, code: str, required: bool = False) -> None:
    """Turns two-step verification off; needs the password and a current code.

    `required`: the site requires it of staff, so a staff member may not turn it off.
    Ends the user's other sessions and tells them by mail.
    Raises AccountError: "not_on", "required", "wrong_password", "bad_code" or "used_code".
    """
    _may_turn_off(user, required)
    if not check_password(user, password):
        raise AccountError("wrong_password")
    _accept_code(user, code, recovery=True)
    turn_off_two_step(user, required=required)


def _may_turn_off(user: User, required: bool) -> None:
    if not user.has_two_step:
        raise AccountError("not_on")
    if required and user.is_staff:
        raise AccountError("required")


def check_code_to_turn_off(user: User, code: str, required: bool = False) -> None:
    """The first half of turning two-step verification off for an account without a password: a current
    code (spent now, so it works once); the caller then has the owner confirm at the identity provider,
    and only then calls turn_off_two_step().

    Raises AccountError: "not_on", "required", "bad_code" or "used_code".
    """
    _may_turn_off(user, required)
    _accept_code(user, code, recovery=True)
    db.session.commit()


def turn_off_two_step(user: User, required: bool = False) -> None:
    """disable_two_step() once the caller has checked a code and confirmed that it is the owner (the
    password, or a fresh sign-in at the identity provider). Ends the other sessions, tells them by mail.

    Raises AccountError: "not_on" or "required".
    """
    _may_turn_off(user, required)
    _clear_two_step(user)
    _notify_two_step(user, enabled=False)
    db.session.commit()
    security_log.info("two-step verification off: user=%s", user.id)


def _clear_two_step(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.end_other_sessions()


def reset_two_step(email: str) -> User:
    """For an administrator at the command line, when someone has lost their authenticator app.

    Raises AccountError("not_found") or AccountError("not_on").
    """
    user = find_user_by_email(email)
    if user is None or user.deleted_at is not None:
        raise AccountError("not_found")
    if not user.has_two_step and not user.totp_secret:
        raise AccountError("not_on")
    _clear_two_step(user)
    _notify_two_step(user, enabled=False)
    db.session.commit()
    security_log.info("two-step verification reset from the command line: user=%s", user.id)
    return user


def _notify_two_step(user: User, enabled: bool) -> None:
    if not user.email:
        return
    lang = _language(None, user)
    send_email(to=user.email, template="two_step_on" if enabled else "two_step_off", lang=lang, commit=False,
               name=user.display_name, reset_link=_link(lang, "reset/"))


# --- Changing the e-mail address -------------------------------------------------------------

def email_change_token(user: User, new_email: str) -> str:
    # The current address is part of the token: once the address has changed, the link stops working.
    return _serializer(EMAIL_CHANGE_SALT).dumps({"u": user.id, "o": user.email, "e": new_email})


def request_email_change(user: User, new_email: str, password: str, lang: str | None = None) -> str:
    """Mails a confirmation link to the new address; the address changes only when it is followed.

    When another account already has the new address, that address gets a note instead
    and nothing else happens — the caller answers the same either way, so the page does
    not reveal who has an account. Returns the normalised new address.
    Raises AccountError: "wrong_password", "invalid_email" or "same_email".
    """
    if not check_password(user, password):
        raise AccountError("wrong_password")
    return send_email_change(user, new_email, lang)


def check_new_email(user: User, new_email: str) -> str:
    """The normalised new address. Raises AccountError: "invalid_email" or "same_email"."""
    new_email = normalise_email(new_email)
    if not is_valid_email(new_email):
        raise AccountError("invalid_email")
    if new_email == user.email:
        raise AccountError("same_email")
    return new_email


def send_email_change(user: User, new_email: str, lang: str | None = None) -> str:
    """request_email_change() once the caller has confirmed it is the account's owner: with the password,
    or, for an account that has none, by a fresh sign-in at its identity provider.
    Raises AccountError: "invalid_email" or "same_email"."""
    new_email = check_new_email(user, new_email)
    lang = _language(lang, user)
    if find_user_by_email(new_email) is None:
        send_email(to=new_email, template="email_change", lang=lang, name=user.display_name,
                   link=_link(lang, f"email/confirm/{email_change_token(user, new_email)}/"))
    else:
        send_email(to=new_email, template="email_change_exists", lang=lang,
                   login_link=_link(lang, "login/"), reset_link=_link(lang, "reset/"))
    return new_email


def email_change_for_token(token: str) -> tuple[User, str] | None:
    """(user, new address) for a valid link; None when it is invalid, expired or already used."""
    try:
        data = _serializer(EMAIL_CHANGE_SALT).loads(token, max_age=EMAIL_CHANGE_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) \
            or not isinstance(data.get("o"), str) or not isinstance(data.get("e"), str):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.is_active or user.email != data["o"] or not is_valid_email(data["e"]):
        return None
    return user, data["e"]


def change_email(token: str) -> User | None:
    """Changes the address through a confirmation link; None when the link does not work.

    The link proves the person reads the new mailbox, so the address counts as confirmed.
    Every session of the user ends, and the old address gets a notice.
    """
    found = email_change_for_token(token)
    if found is None:
        return None
    user, new_email = found
    if find_user_by_email(new_email) is not None:  # taken by another account since the link was sent
        return None
    old_email = user.email
    user.email = new_email
    user.email_confirmed_at = utcnow()
    user.end_other_sessions()
    lang = _language(None, user)
    send_email(to=old_email, template="email_changed", lang=lang, commit=False, name=user.display_name,
               new_email=new_email)
    try:
        db.session.commit()
    except IntegrityError:  # the same address was confirmed for another account at the same moment
        db.session.rollback()
        return None
    security_log.info("e-mail address changed: user=%s", user.id)
    return user


# --- Own activity, data export, deletion -------------------------------------------------

def user_comments(user: User) -> list[Comment]:
    """All the user's comments, every status, newest first, in one query."""
    return list(db.session.execute(
        select(Comment)
        .where(Comment.author_id == user.id)
        .options(joinedload(Comment.consultation), joinedload(Comment.section), joinedload(Comment.paragraph))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    ).scalars())


def _iso(value) -> str | None:
    """A stored (naive UTC) time as ISO 8601 UTC."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


def user_follows(user: User) -> list[Follow]:
    """The consultations the user follows: with the account, and (once the account's address is confirmed,
    so nobody sees another address's follows) by that e-mail address without signing in."""
    mine = [Follow.user_id == user.id]
    if user.email and user.is_confirmed:
        mine.append(Follow.email == normalise_email(user.email))
    return list(db.session.scalars(select(Follow).where(or_(*mine)).options(joinedload(Follow.consultation))
                                   .order_by(Follow.created_at, Follow.id)))


def export_user_data(user: User) -> dict:
    """Everything the site holds about the user, for the "download my data" file."""
    reports = db.session.execute(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.created_at, Report.id)
    ).scalars()
    return {
        "exported_at": _iso(utcnow()),
        "profile": {
            "display_name": user.display_name,
            "email": user.email,
            "role": user.role,
            "respondent_type": user.respondent_type,
            "language": user.language,
            "created_at": _iso(user.created_at),
            "consent_at": _iso(user.consent_at),
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "last_login_at": _iso(user.last_login_at),
            "two_step_enabled_at": _iso(user.totp_enabled_at),  # the secret itself is never exported
        },
        "comments": [
            {
                "id": comment.id,
                "consultation": comment.consultation.slug,
                "section": comment.section.number,
                "paragraph": comment.paragraph_label,
                "reply_to": comment.parent_id,
                "stance": comment.stance,
                "body": comment.body,
                "language": comment.language,
                "show_name": comment.show_name,
                "status": comment.status,
                "moderation_reason": comment.moderation_reason,
                "created_at": _iso(comment.created_at),
                "edited_at": _iso(comment.edited_at),
            }
            for comment in reversed(user_comments(user))
        ],
        "reports": [
            {"comment": report.comment_id, "reason": report.reason, "note": report.note,
             "created_at": _iso(report.created_at), "resolved_at": _iso(report.resolved_at)}
            for report in reports
        ],
        # What they follow and since when; never the key that the follow's links are signed with.
        "follows": [
            {
                "consultation": follow.consultation.slug,
                "title": follow.consultation.title_lv,
                "followed_with": "account" if follow.user_id is not None else "email",
                "language": follow.language,
                "since": _iso(follow.created_at),
                "confirmed_at": _iso(follow.confirmed_at),
                "last_message_at": _iso(follow.last_sent_at),
            }
            for follow in user_follows(user)
        ],
        "poll_votes": personal_data.exported_votes(user),
        "positions": personal_data.exported_positions(user),
        "organisations": personal_data.exported_organisations(user),
        # Sign-in through an identity provider: which provider, and the provider's id for the person.
        "linked_identities": [
            {"issuer": identity.issuer, "subject": identity.subject, "linked_at": _iso(identity.created_at),
             "last_used_at": _iso(identity.last_used_at)}
            for identity in db.session.scalars(select(LinkedIdentity).where(LinkedIdentity.user_id == user.id)
                                               .order_by(LinkedIdentity.id))
        ],
    }


def delete_account(user: User, password: str) -> None:
    """Anonymises the account: no e-mail, name or password is kept, every session ends.

    Comments stay in the public record, shown with the respondent type only.
    Raises AccountError("wrong_password").
    """
    if not check_password(user, password):
        raise AccountError("wrong_password")
    erase_account(user)


def erase_account(user: User) -> None:
    """delete_account() once the caller has confirmed it is the account's owner: with the password,
    or, for an account that has none, by a fresh sign-in at its identity provider."""
    user.email = None
    user.display_name = ""
    user.password_hash = ""
    user.deleted_at = utcnow()
    user.last_login_at = None
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.end_other_sessions()
    db.session.execute(delete(LinkedIdentity).where(LinkedIdentity.user_id == user.id))
    db.session.execute(update(Comment).where(Comment.author_id == user.id).values(show_name=False))
    db.session.commit()


# --- Command line --------------------------------------------------------------------------

def create_user(email: str, role: str, password: str, display_name: str | None = None,
                language: str = DEFAULT_LANGUAGE, respondent_type: str = RespondentType.CITIZEN) -> User:
    """A confirmed account made by an administrator (the first admin comes from here).

    Raises AccountError: "invalid_email", "bad_role", "exists", "bad_name" or a password_problem() code.
    """
    email = normalise_email(email)
    if not is_valid_email(email):
        raise AccountError("invalid_email")
    if role not in Role.ALL:
        raise AccountError("bad_role")
    if respondent_type not in RespondentType.ALL:
        raise AccountError("bad_respondent_type")
    name = normalise_name(display_name) if display_name else email.split("@", 1)[0]
    if not name or len(name) > NAME_MAX_LENGTH or "\x00" in name:
        raise AccountError("bad_name")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if find_user_by_email(email) is not None:
        raise AccountError("exists")
    now = utcnow()
    user = User(email=email, display_name=name, password_hash=hash_password(password), role=role,
                respondent_type=respondent_type, language=_language(language), email_confirmed_at=now,
                created_at=now)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError("exists") from None
    return user
