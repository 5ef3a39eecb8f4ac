"""Registering, confirming the e-mail address, and staff accounts made on the command line."""

from __future__ import annotations

from itsdangerous import BadSignature
from sqlalchemy.exc import IntegrityError

from ...clock import utcnow
from ...extensions import db
from ...forms import normalise_name
from ...i18n import DEFAULT_LANGUAGE
from ...models import RespondentType, Role, User
from ..mail import send_email
from ..refusals import Refused
from .rules import (
    NAME_MAX_LENGTH,
    find_user_by_email,
    hash_password,
    is_valid_email,
    language_for,
    normalise_email,
    password_problem,
    site_link,
    token_serializer,
)

CONFIRM_SALT = "confirm-email"
CONFIRM_MAX_AGE = 3 * 24 * 3600


def register_user(display_name: str, email: str, password: str, respondent_type: str,
                  language: str) -> User | None:
    """Creates an unconfirmed citizen account and mails the confirmation link.

    When the address already has an account, nothing is created: the address gets a
    message saying someone tried to register with it, and the caller shows the same
    "check your e-mail" page, so the page does not reveal who has an account.
    Returns the new user, or None when the address was taken.
    """
    email = normalise_email(email)
    language = language_for(language)
    if respondent_type not in RespondentType.ALL:
        respondent_type = RespondentType.CITIZEN
    problem = password_problem(password)
    if problem:
        raise Refused(problem, field="password")
    if not is_valid_email(email):
        raise Refused("account.invalid_email", field="email")
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
               login_link=site_link(language, "login/"), reset_link=site_link(language, "reset/"))
    return None


def confirmation_token(user: User) -> str:
    return token_serializer(CONFIRM_SALT).dumps({"u": user.id, "e": user.email})


def send_confirmation(user: User, lang: str | None = None) -> None:
    """Mails the link that confirms the user's address (valid for 3 days)."""
    lang = language_for(lang, user)
    send_email(to=user.email, template="confirm", lang=lang, name=user.display_name,
               link=site_link(lang, f"confirm/{confirmation_token(user)}/"))


def confirm_email(token: str) -> User | None:
    """Confirms the address the token was made for; None when the token is invalid or expired.

    Confirming twice is harmless: the second time changes nothing.
    """
    try:
        data = token_serializer(CONFIRM_SALT).loads(token, max_age=CONFIRM_MAX_AGE)
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


def create_user(email: str, role: str, password: str, display_name: str | None = None,
                language: str = DEFAULT_LANGUAGE, respondent_type: str = RespondentType.CITIZEN) -> User:
    """A confirmed account made by an administrator (the first admin comes from here).

    Refuses "account.invalid_email", "account.bad_role", "account.bad_respondent_type", "account.bad_name",
    "account.exists" or a password_problem() code.
    """
    email = normalise_email(email)
    if not is_valid_email(email):
        raise Refused("account.invalid_email", field="email")
    if role not in Role.ALL:
        raise Refused("account.bad_role", field="role")
    if respondent_type not in RespondentType.ALL:
        raise Refused("account.bad_respondent_type", field="respondent_type")
    name = normalise_name(display_name) if display_name else email.split("@", 1)[0]
    if not name or len(name) > NAME_MAX_LENGTH or "\x00" in name:
        raise Refused("account.bad_name", field="display_name")
    problem = password_problem(password)
    if problem:
        raise Refused(problem, field="password")
    if find_user_by_email(email) is not None:
        raise Refused("account.exists", field="email")
    now = utcnow()
    user = User(email=email, display_name=name, password_hash=hash_password(password), role=role,
                respondent_type=respondent_type, language=language_for(language), email_confirmed_at=now,
                created_at=now)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Refused("account.exists", field="email") from None
    return user
