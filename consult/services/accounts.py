"""Accounts: registration, e-mail confirmation, sign-in, passwords, own data and deletion.

Plain functions without a request object, shared by the web pages and the CLI.
Each function that changes something commits its own transaction.
"""
from __future__ import annotations

import hashlib
import unicodedata
from functools import lru_cache
from importlib import resources

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from ..clock import utcnow
from ..extensions import db
from ..forms import normalise_name
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..models import Comment, Report, RespondentType, Role, User
from .mail import send_email

CONFIRM_SALT = "confirm-email"
CONFIRM_MAX_AGE = 3 * 24 * 3600
RESET_SALT = "reset-password"
RESET_MAX_AGE = 3600

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
EMAIL_MAX_LENGTH = 254
NAME_MAX_LENGTH = 80

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
    base = current_app.config["BASE_URL"].rstrip("/")
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
    the caller shows one message for all of them. On success, records the sign-in time.
    """
    user = find_user_by_email(email)
    if user is None:
        _spend_hashing_time(password or "")
        return None
    if not check_password(user, password or "") or not user.is_active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


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
    }


def delete_account(user: User, password: str) -> None:
    """Anonymises the account: no e-mail, name or password is kept, every session ends.

    Comments stay in the public record, shown with the respondent type only.
    Raises AccountError("wrong_password").
    """
    if not check_password(user, password):
        raise AccountError("wrong_password")
    user.email = None
    user.display_name = ""
    user.password_hash = ""
    user.deleted_at = utcnow()
    user.last_login_at = None
    user.end_other_sessions()
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
