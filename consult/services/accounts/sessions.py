"""Signing in and out: the password check, the second step, links that carry a pending sign-in."""

from __future__ import annotations

from ...clock import utcnow
from ...extensions import db
from ...models import User
from .rules import check_password, find_user_by_email, spend_hashing_time
from .two_step import accept_code


def authenticate(email: str, password: str) -> User | None:
    """The user with this address and password who may sign in, or None — whatever the reason.

    Unknown address, wrong password, suspended and deleted accounts all give None, so
    the caller shows one message for all of them. On success, records the sign-in time —
    unless the user has two-step verification on: then the sign-in is not finished until
    the code is right (check_sign_in_code records it).
    """
    user = find_user_by_email(email)
    if user is None:
        spend_hashing_time(password or "")
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

    Returns True when a recovery code was used. Refuses "account.bad_code" or "account.used_code".
    """
    used_recovery = accept_code(user, code, recovery=True)
    user.last_login_at = utcnow()
    db.session.commit()
    return used_recovery


def end_all_sessions(user: User) -> None:
    """Ends every session of this user (the per-user session token changes)."""
    user.end_other_sessions()
    db.session.commit()
