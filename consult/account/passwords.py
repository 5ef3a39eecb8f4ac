"""Passwords: a reset by e-mail, a change, and the first password of an account made through the identity
provider."""
from __future__ import annotations

import time

from flask import flash, render_template, session
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from .. import refusals
from ..auth import require_login
from ..extensions import limiter
from ..services import accounts
from ..services.refusals import Refused
from . import bp, oidc
from .common import address_key, see_other, user_key
from .forms import (
    ButtonForm,
    ChangePasswordForm,
    ResetPasswordForm,
    ResetRequestForm,
    SetPasswordForm,
)

# After the owner of an account without a password has confirmed at the identity provider that it is
# them, the session may set a first password for a while: who, their session token then, and when.
# (The password is chosen after the confirmation, so it never waits in the session cookie.)
PASSWORD_CONFIRMED = "first_password_confirmed"
PASSWORD_CONFIRMED_SECONDS = 10 * 60


# --- Passwords ---------------------------------------------------------------------------

@bp.route("/reset/", methods=["GET", "POST"])
@limiter.limit("3 per hour", key_func=address_key, methods=["POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        return see_other(".reset_sent")
    return render_template("account/reset_request.html", form=form)


@bp.get("/reset/check-your-email/")
def reset_sent():
    return render_template("account/reset_sent.html")


@bp.route("/reset/<token>/", methods=["GET", "POST"])
def reset(token: str):
    if accounts.user_for_reset_token(token) is None:
        return render_template("account/link_invalid.html", purpose="reset"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.reset_password(token, form.password.data)
        except Refused as refused:
            refusals.show(refused, form)
        else:
            if user is None:
                return render_template("account/link_invalid.html", purpose="reset"), 400
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash(_("Your password has been changed. Sign in with your new password."), "success")
            return see_other(".login")
    return render_template("account/reset.html", form=form, token=token)


@bp.route("/password/", methods=["GET", "POST"])
@require_login
@limiter.limit("10 per hour", key_func=user_key, methods=["POST"])
def change_password():
    user = current_user._get_current_object()
    if not user.password_hash:
        return _set_first_password(user)
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(user, form.current_password.data, form.password.data)
        except Refused as refused:
            refusals.show(refused, form)
        else:
            login_user(user)  # the session token changed: this session continues, all others end
            flash(_("Your password has been changed. You have been signed out everywhere else."), "success")
            return see_other(".activity")
    return render_template("account/password.html", form=form)


def _set_first_password(user):
    """An account made through the identity provider has no current password to ask for: its owner first
    confirms there that it is them, and then chooses a password here."""
    if _first_password_confirmed(user):
        form = SetPasswordForm()
        if form.validate_on_submit():
            try:
                accounts.set_first_password(user, form.password.data)
            except Refused as refused:
                refusals.show(refused, form)
            else:
                session.pop(PASSWORD_CONFIRMED, None)
                login_user(user)  # the session token changed: this session continues, all others end
                flash(_("Your account now has a password. You have been signed out everywhere else."), "success")
                return see_other(".activity")
        return render_template("account/password.html", form=form, without_password=True, confirmed=True)
    form = ButtonForm()
    can_confirm = oidc.can_confirm(user)
    if can_confirm and form.validate_on_submit():
        return oidc.start("confirm", user=user, action="password")
    return render_template("account/password.html", form=form, without_password=True, can_confirm=can_confirm)


def _first_password_confirmed(user) -> bool:
    confirmed = session.get(PASSWORD_CONFIRMED)
    if not isinstance(confirmed, dict) or not isinstance(confirmed.get("at"), int):
        return False
    if confirmed.get("u") != user.id or confirmed.get("t") != user.session_token:
        return False
    return 0 <= time.time() - confirmed["at"] <= PASSWORD_CONFIRMED_SECONDS


def password_confirmed(user):
    """The owner of an account without a password confirmed at the identity provider: now they may set one."""
    session[PASSWORD_CONFIRMED] = {"u": user.id, "t": user.session_token, "at": int(time.time())}
    flash(_("%(provider)s has confirmed that it is you. Now choose a password.", provider=oidc.provider_name()),
          "success")
    return see_other("account.change_password")
