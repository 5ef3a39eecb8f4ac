"""What every account page shares: no browser keeps them, the labels they show, the keys their rate
limits count by, the redirect after a form, and the half-done sign-in the session holds (the sign-in
page and the return from the identity provider both start one)."""
from __future__ import annotations

from flask import redirect, request, session, url_for
from flask_login import current_user

from ..labels import REASONS, STANCES, STATUSES
from ..services import accounts
from ..web import never_stored
from . import bp
from .forms import (
    RESPONDENT_TYPE_LABELS,
)

# Between a right password and a right code the session holds only this: who, their session
# token then (a password change meanwhile voids it), when, and where to go afterwards.
PENDING_SIGN_IN = "two_step_pending"
# Long enough to open the app and type a code, short enough that an abandoned half sign-in is gone soon.
PENDING_SIGN_IN_SECONDS = 5 * 60

# Read the common-password list now, so a package installed without it fails at start-up,
# not at somebody's registration.
accounts.common_passwords()


# Account pages show personal data: no browser or proxy may keep them.
never_stored(bp)


@bp.context_processor
def _labels():
    return {"respondent_type_labels": RESPONDENT_TYPE_LABELS, "stance_labels": STANCES,
            "status_labels": STATUSES, "reason_labels": REASONS}


# Rate-limit keys.

def address_key() -> str:
    """The account an anonymous form is about (its e-mail address), or the client if none."""
    email = accounts.normalise_email(request.form.get("email"))[: accounts.EMAIL_MAX_LENGTH + 1]
    return f"email:{email}" if email else f"client:{request.remote_addr}"


def user_key() -> str:
    """The signed-in user, or the client for anonymous requests."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"client:{request.remote_addr}"


def pending_key() -> str:
    """The account a half-done sign-in is for, so its codes are counted wherever they come from."""
    pending = session.get(PENDING_SIGN_IN)
    if isinstance(pending, dict) and isinstance(pending.get("u"), int):
        return f"two-step:{pending['u']}"
    return f"client:{request.remote_addr}"


def see_other(endpoint: str, **values):
    return redirect(url_for(endpoint, **values), code=303)
