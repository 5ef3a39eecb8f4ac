"""Two-step verification: authenticator codes (TOTP) and one-time recovery codes."""

from __future__ import annotations

import hashlib
import re
import secrets
import time
import unicodedata

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from ...clock import utcnow
from ...extensions import db
from ...models import RecoveryCode, User
from ..mail import send_email
from ..refusals import Refused
from .rules import (
    RECOVERY_CODES,
    RECOVERY_DIGITS,
    TOTP_DIGITS,
    TOTP_INTERVAL,
    TOTP_ISSUER,
    TOTP_WINDOW,
    check_password,
    find_user_by_email,
    language_for,
    security_log,
    site_link,
)


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

    Refuses "account.not_on" or "account.wrong_password".
    """
    if not user.has_two_step:
        raise Refused("account.not_on")
    if not check_password(user, password):
        raise Refused("account.wrong_password", field="password")
    return replace_recovery_codes(user)


def replace_recovery_codes(user: User) -> list[str]:
    """regenerate_recovery_codes() once the caller has confirmed that it is the owner: with the password,
    or, for an account that has none, by a fresh sign-in at its identity provider.

    Refuses "account.not_on".
    """
    if not user.has_two_step:
        raise Refused("account.not_on")
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


def accept_code(user: User, code: str, recovery: bool = False) -> bool:
    """Accepts a code once: its time step must be newer than the last one accepted.

    The step is stored with a conditional UPDATE, so two requests racing with the same
    code cannot both succeed. With `recovery`, an unused recovery code is accepted instead
    (and then True is returned). Joins the caller's transaction (the caller commits).
    Refuses "account.bad_code" or "account.used_code".
    """
    code = normalise_code(code)
    if recovery and user.has_two_step and is_recovery_code_format(code):
        if not _use_recovery_code(user, code):
            db.session.rollback()
            raise Refused("account.bad_code", field="code")
        security_log.info("recovery code used: user=%s", user.id)
        return True
    if not user.totp_secret or not is_code_format(code):
        raise Refused("account.bad_code", field="code")
    step = _matching_step(user.totp_secret, code)
    if step is None:
        raise Refused("account.bad_code", field="code")
    claimed = db.session.execute(
        update(User).where(User.id == user.id,
                           or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        db.session.rollback()
        raise Refused("account.used_code", field="code")
    user.totp_last_step = step
    return False


def start_two_step(user: User) -> None:
    """Makes a new secret for setting up; it counts only after enable_two_step() accepts a code.

    Starting again replaces a secret that was never confirmed. Refuses "account.already_on".
    """
    if user.has_two_step:
        raise Refused("account.already_on")
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
    Refuses "account.already_on", "account.not_started", "account.bad_code" or "account.used_code".
    """
    if user.has_two_step:
        raise Refused("account.already_on")
    if not user.totp_secret:
        raise Refused("account.not_started")
    accept_code(user, code)
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
    Refuses "account.not_on", "account.required", "account.wrong_password", "account.bad_code" or
    "account.used_code".
    """
    _may_turn_off(user, required)
    if not check_password(user, password):
        raise Refused("account.wrong_password", field="password")
    accept_code(user, code, recovery=True)
    turn_off_two_step(user, required=required)


def _may_turn_off(user: User, required: bool) -> None:
    if not user.has_two_step:
        raise Refused("account.not_on")
    if required and user.is_staff:
        raise Refused("account.required")


def check_code_to_turn_off(user: User, code: str, required: bool = False) -> None:
    """The first half of turning two-step verification off for an account without a password: a current
    code (spent now, so it works once); the caller then has the owner confirm at the identity provider,
    and only then calls turn_off_two_step().

    Refuses "account.not_on", "account.required", "account.bad_code" or "account.used_code".
    """
    _may_turn_off(user, required)
    accept_code(user, code, recovery=True)
    db.session.commit()


def turn_off_two_step(user: User, required: bool = False) -> None:
    """disable_two_step() once the caller has checked a code and confirmed that it is the owner (the
    password, or a fresh sign-in at the identity provider). Ends the other sessions, tells them by mail.

    Refuses "account.not_on" or "account.required".
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

    Refuses "account.not_found" or "account.not_on".
    """
    user = find_user_by_email(email)
    if user is None or user.deleted_at is not None:
        raise Refused("account.not_found")
    if not user.has_two_step and not user.totp_secret:
        raise Refused("account.not_on")
    _clear_two_step(user)
    _notify_two_step(user, enabled=False)
    db.session.commit()
    security_log.info("two-step verification reset from the command line: user=%s", user.id)
    return user


def _notify_two_step(user: User, enabled: bool) -> None:
    if not user.email:
        return
    lang = language_for(None, user)
    send_email(to=user.email, template="two_step_on" if enabled else "two_step_off", lang=lang, commit=False,
               name=user.display_name, reset_link=site_link(lang, "reset/"))
