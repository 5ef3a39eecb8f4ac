"""Registering, confirming the e-mail address, signing in (with the second step's code) and out."""
from __future__ import annotations

import time

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from .. import refusals
from ..auth import require_login
from ..extensions import limiter
from ..i18n import current_language
from ..services import accounts, identities
from ..services.refusals import Refused
from ..textsize import safe_next
from . import bp, oidc
from .common import PENDING_SIGN_IN, PENDING_SIGN_IN_SECONDS, address_key, pending_key, see_other, user_key
from .forms import (
    LoginForm,
    RegisterForm,
    SignInCodeForm,
)

# --- Registration and confirmation -------------------------------------------------------

@bp.route("/register/", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        accounts.register_user(display_name=form.display_name.data, email=form.email.data,
                               password=form.password.data, respondent_type=form.respondent_type.data,
                               language=current_language())
        return see_other(".register_sent")
    return render_template("account/register.html", form=form)


@bp.get("/register/check-your-email/")
def register_sent():
    return render_template("account/register_sent.html")


@bp.get("/confirm/<token>/")
def confirm(token: str):
    user = accounts.confirm_email(token)
    if user is None:
        return render_template("account/link_invalid.html", purpose="confirm"), 400
    return render_template("account/confirmed.html", user=user)


@bp.post("/resend-confirmation/")
@require_login
@limiter.limit("3 per hour", key_func=user_key)
def resend_confirmation():
    if current_user.is_confirmed:
        flash(_("Your e-mail address is already confirmed."), "success")
    else:
        accounts.send_confirmation(current_user._get_current_object(), current_language())
        flash(_("We have sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return see_other(".activity")


# --- Signing in and out ------------------------------------------------------------------

@bp.route("/login/", methods=["GET", "POST"])
@limiter.limit("5 per minute", key_func=address_key, methods=["POST"])
@limiter.limit("30 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"), "")
        if current_user.is_authenticated:
            return redirect(safe_next(form.next.data, url_for(".activity")), code=303)
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None and user.is_staff and oidc.staff_only():
            if identities.identity_for(user, oidc.issuer()) is not None:
                form.email.errors.append(_("Staff accounts sign in through %(provider)s.",
                                           provider=oidc.provider_name()))
                return render_template("account/login.html", form=form)
            # Not linked yet: the right password lets them link the provider, and sign in through it.
            session.clear()
            return oidc.start("staff_link", form.next.data, user=user)
        if user is not None:
            session.clear()  # a new session: nothing from before the sign-in is kept
            if user.has_two_step:
                session[PENDING_SIGN_IN] = {"u": user.id, "t": user.session_token, "at": int(time.time()),
                                            "next": safe_next(form.next.data, "")}
                return see_other(".login_code")
            login_user(user)
            flash(_("You are signed in."), "success")
            return redirect(safe_next(form.next.data, url_for(".activity")), code=303)
        form.email.errors.append(_("The e-mail address or the password is not right."))
    return render_template("account/login.html", form=form)


def _pending_user():
    pending = session.get(PENDING_SIGN_IN)
    if not isinstance(pending, dict) or not isinstance(pending.get("at"), int):
        return None, ""
    if not 0 <= time.time() - pending["at"] <= PENDING_SIGN_IN_SECONDS:
        return None, ""
    return accounts.user_for_pending_sign_in(pending.get("u"), pending.get("t")), pending.get("next") or ""


@bp.route("/login/code/", methods=["GET", "POST"])
@limiter.limit("5 per minute", key_func=pending_key, methods=["POST"])
@limiter.limit("20 per hour", key_func=pending_key, methods=["POST"])
@limiter.limit("30 per minute", methods=["POST"])
def login_code():
    """The second step of signing in: nobody is signed in until the code is right."""
    if current_user.is_authenticated:
        return see_other(".activity")
    user, next_url = _pending_user()
    if user is None:
        had_pending = session.pop(PENDING_SIGN_IN, None) is not None
        if had_pending or request.method == "POST":
            flash(_("Signing in took too long or was interrupted. Please sign in again."), "error")
        return see_other(".login")
    form = SignInCodeForm()
    if form.validate_on_submit():
        try:
            used_recovery = accounts.check_sign_in_code(user, form.code.data)
        except Refused as refused:
            refusals.show(refused, form)
        else:
            session.clear()  # the half-done state goes; the session changes again
            login_user(user)
            flash(_("You are signed in."), "success")
            if used_recovery:
                left = accounts.recovery_codes_left(user)
                flash(ngettext("You used a recovery code; it will not work again. %(num)d recovery code is left.",
                               "You used a recovery code; it will not work again. %(num)d recovery codes are left.",
                               left), "success")
            return redirect(safe_next(next_url, url_for(".activity")), code=303)
    form.code.data = ""  # a refused code is of no use again: the field starts empty
    return render_template("account/login_code.html", form=form)


@bp.post("/logout/")
def logout():
    """Ends this session and every other session of the same user."""
    if current_user.is_authenticated:
        accounts.end_all_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return see_other("site.home")
