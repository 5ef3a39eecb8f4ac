"""Changing the e-mail address: the new address confirms by a link."""

from __future__ import annotations

from itsdangerous import BadSignature
from sqlalchemy.exc import IntegrityError

from ...clock import utcnow
from ...extensions import db
from ...models import User
from ..mail import send_email
from ..refusals import Refused
from .rules import (
    check_password,
    find_user_by_email,
    is_valid_email,
    language_for,
    normalise_email,
    security_log,
    site_link,
    token_serializer,
)

EMAIL_CHANGE_SALT = "change-email"
EMAIL_CHANGE_MAX_AGE = 24 * 3600


def email_change_token(user: User, new_email: str) -> str:
    # The current address is part of the token: once the address has changed, the link stops working.
    return token_serializer(EMAIL_CHANGE_SALT).dumps({"u": user.id, "o": user.email, "e": new_email})


def request_email_change(user: User, new_email: str, password: str, lang: str | None = None) -> str:
    """Mails a confirmation link to the new address; the address changes only when it is followed.

    When another account already has the new address, that address gets a note instead
    and nothing else happens — the caller answers the same either way, so the page does
    not reveal who has an account. Returns the normalised new address.
    Refuses "account.wrong_password", "account.invalid_email" or "account.same_email".
    """
    if not check_password(user, password):
        raise Refused("account.wrong_password", field="current_password")
    return send_email_change(user, new_email, lang)


def check_new_email(user: User, new_email: str) -> str:
    """The normalised new address. Refuses "account.invalid_email" or "account.same_email"."""
    new_email = normalise_email(new_email)
    if not is_valid_email(new_email):
        raise Refused("account.invalid_email", field="email")
    if new_email == user.email:
        raise Refused("account.same_email", field="email")
    return new_email


def send_email_change(user: User, new_email: str, lang: str | None = None) -> str:
    """request_email_change() once the caller has confirmed it is the account's owner: with the password,
    or, for an account that has none, by a fresh sign-in at its identity provider.
    Refuses "account.invalid_email" or "account.same_email"."""
    new_email = check_new_email(user, new_email)
    lang = language_for(lang, user)
    if find_user_by_email(new_email) is None:
        send_email(to=new_email, template="email_change", lang=lang, name=user.display_name,
                   link=site_link(lang, f"email/confirm/{email_change_token(user, new_email)}/"))
    else:
        send_email(to=new_email, template="email_change_exists", lang=lang,
                   login_link=site_link(lang, "login/"), reset_link=site_link(lang, "reset/"))
    return new_email


def email_change_for_token(token: str) -> tuple[User, str] | None:
    """(user, new address) for a valid link; None when it is invalid, expired or already used."""
    try:
        data = token_serializer(EMAIL_CHANGE_SALT).loads(token, max_age=EMAIL_CHANGE_MAX_AGE)
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
    lang = language_for(None, user)
    send_email(to=old_email, template="email_changed", lang=lang, commit=False, name=user.display_name,
               new_email=new_email)
    try:
        db.session.commit()
    except IntegrityError:  # the same address was confirmed for another account at the same moment
        db.session.rollback()
        return None
    security_log.info("e-mail address changed: user=%s", user.id)
    return user
