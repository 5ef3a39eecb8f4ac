"""Account pages: thin views over services.accounts (validate, call, flash, redirect)."""
from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ..auth import require_login
from ..extensions import limiter
from ..i18n import current_language
from ..labels import REASONS, STANCES, STATUSES
from ..services import accounts
from ..services.accounts import AccountError
from ..textsize import safe_next
from . import bp
from .forms import (RESPONDENT_TYPE_LABELS, WRONG_PASSWORD, ButtonForm, ChangePasswordForm, DeleteAccountForm,
                    LoginForm, RegisterForm, ResetPasswordForm, ResetRequestForm, password_message)

# Read the common-password list now, so a package installed without it fails at start-up,
# not at somebody's registration.
accounts.common_passwords()


@bp.after_request
def _never_cache(response):
    """Account pages show personal data: no browser or proxy may keep them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.context_processor
def _labels():
    return {"respondent_type_labels": RESPONDENT_TYPE_LABELS, "stance_labels": STANCES,
            "status_labels": STATUSES, "reason_labels": REASONS}


# --- Rate-limit keys ---------------------------------------------------------------------

def _address_key() -> str:
    """The account an anonymous form is about (its e-mail address), or the client if none."""
    email = accounts.normalise_email(request.form.get("email"))[: accounts.EMAIL_MAX_LENGTH + 1]
    return f"email:{email}" if email else f"client:{request.remote_addr}"


def _user_key() -> str:
    """The signed-in user, or the client for anonymous requests."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"client:{request.remote_addr}"


def _see_other(endpoint: str, **values):
    return redirect(url_for(endpoint, **values), code=303)


# --- Registration and confirmation -------------------------------------------------------

@bp.route("/register/", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        accounts.register_user(display_name=form.display_name.data, email=form.email.data,
                               password=form.password.data, respondent_type=form.respondent_type.data,
                               language=current_language())
        return _see_other(".register_sent")
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
@limiter.limit("3 per hour", key_func=_user_key)
def resend_confirmation():
    if current_user.is_confirmed:
        flash(_("Your e-mail address is already confirmed."), "success")
    else:
        accounts.send_confirmation(current_user._get_current_object(), current_language())
        flash(_("We have sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return _see_other(".activity")


# --- Signing in and out ------------------------------------------------------------------

@bp.route("/login/", methods=["GET", "POST"])
@limiter.limit("5 per minute", key_func=_address_key, methods=["POST"])
@limiter.limit("30 per minute", methods=["POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"), "")
        if current_user.is_authenticated:
            return redirect(safe_next(form.next.data, url_for(".activity")), code=303)
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()  # a new session: nothing from before the sign-in is kept
            login_user(user)
            flash(_("You are signed in."), "success")
            return redirect(safe_next(form.next.data, url_for(".activity")), code=303)
        form.email.errors.append(_("The e-mail address or the password is not right."))
    return render_template("account/login.html", form=form)


@bp.post("/logout/")
def logout():
    """Ends this session and every other session of the same user."""
    if current_user.is_authenticated:
        accounts.end_all_sessions(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return _see_other("site.home")


# --- Passwords ---------------------------------------------------------------------------

@bp.route("/reset/", methods=["GET", "POST"])
@limiter.limit("3 per hour", key_func=_address_key, methods=["POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        return _see_other(".reset_sent")
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
        except AccountError as error:
            form.password.errors.append(password_message(error.code))
        else:
            if user is None:
                return render_template("account/link_invalid.html", purpose="reset"), 400
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash(_("Your password has been changed. Sign in with your new password."), "success")
            return _see_other(".login")
    return render_template("account/reset.html", form=form, token=token)


@bp.route("/password/", methods=["GET", "POST"])
@require_login
@limiter.limit("10 per hour", key_func=_user_key, methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(user, form.current_password.data, form.password.data)
        except AccountError as error:
            if error.code == "wrong_password":
                form.current_password.errors.append(str(WRONG_PASSWORD))
            else:
                form.password.errors.append(password_message(error.code))
        else:
            login_user(user)  # the session token changed: this session continues, all others end
            flash(_("Your password has been changed. You have been signed out everywhere else."), "success")
            return _see_other(".activity")
    return render_template("account/password.html", form=form)


# --- Own activity, data, deletion --------------------------------------------------------

@bp.get("/activity/")
@require_login
def activity():
    return render_template("account/activity.html", user=current_user, button=ButtonForm(),
                           comments=accounts.user_comments(current_user._get_current_object()))


@bp.get("/export/")
@require_login
def export():
    data = accounts.export_user_data(current_user._get_current_object())
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": "attachment; filename=consult-my-data.json",
        "Cache-Control": "no-store",
    })


@bp.route("/delete/", methods=["GET", "POST"])
@require_login
@limiter.limit("10 per hour", key_func=_user_key, methods=["POST"])
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            accounts.delete_account(current_user._get_current_object(), form.password.data)
        except AccountError:
            form.password.errors.append(str(WRONG_PASSWORD))
        else:
            logout_user()
            session.clear()
            flash(_("Your account has been deleted. Your comments stay on the site without your name."), "success")
            return _see_other("site.home")
    return render_template("account/delete.html", form=form)
