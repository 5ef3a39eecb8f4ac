"""Changing, setting and resetting a password."""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature

from ...clock import utcnow
from ...extensions import db
from ...models import User
from ..mail import send_email
from ..refusals import Refused
from .rules import (
    check_password,
    find_user_by_email,
    language_for,
    security_log,
    set_password_hash,
    site_link,
    token_serializer,
)

RESET_SALT = "reset-password"
RESET_MAX_AGE = 3600


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Needs the current password; ends the user's other sessions and tells them by mail.

    Refuses "account.wrong_password" or a password_problem() code.
    """
    if not check_password(user, current_password):
        raise Refused("account.wrong_password", field="current_password")
    set_password_hash(user, new_password)
    db.session.commit()
    _notify_password_changed(user)


def set_first_password(user: User, new_password: str) -> None:
    """The first password of an account made through an identity provider, once the caller has
    confirmed that it is the owner (by a fresh sign-in at the provider: there is no current password).
    Ends the user's other sessions and tells them by mail.

    Refuses "account.has_password" (change_password() is the way then) or a password_problem() code.
    """
    if user.password_hash:
        raise Refused("account.has_password")
    set_password_hash(user, new_password)
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
    return token_serializer(RESET_SALT).dumps({"u": user.id, "p": _password_fingerprint(user)})


def request_password_reset(email: str) -> None:
    """Mails a reset link (valid one hour, once) when the address belongs to an active account.

    Does nothing otherwise; the caller answers the same either way.
    """
    user = find_user_by_email(email)
    if user is None or not user.is_active or not user.password_hash:
        return
    lang = language_for(None, user)
    send_email(to=user.email, template="reset", lang=lang, name=user.display_name,
               link=site_link(lang, f"reset/{reset_token(user)}/"))


def user_for_reset_token(token: str) -> User | None:
    """The user a reset link was made for, if it is still valid (one hour, password unchanged)."""
    try:
        data = token_serializer(RESET_SALT).loads(token, max_age=RESET_MAX_AGE)
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
    Refuses with a password_problem() code.
    """
    user = user_for_reset_token(token)
    if user is None:
        return None
    set_password_hash(user, new_password)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    db.session.commit()
    _notify_password_changed(user)
    return user


def _notify_password_changed(user: User) -> None:
    lang = language_for(None, user)
    send_email(to=user.email, template="password_changed", lang=lang, name=user.display_name,
               reset_link=site_link(lang, "reset/"))
