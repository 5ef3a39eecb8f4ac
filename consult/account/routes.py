"""Account pages: thin views over services.accounts (validate, call, flash, redirect)."""
from __future__ import annotations

import json
import time

from flask import Response, abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from .. import refusals
from ..auth import require_login
from ..extensions import limiter
from ..i18n import current_language
from ..labels import REASONS, STANCES, STATUSES
from ..services import accounts, identities, positions, settings
from ..services.refusals import Refused
from ..textsize import safe_next
from ..web import never_stored
from . import bp, oidc
from .forms import (
    RESPONDENT_TYPE_LABELS,
    ButtonForm,
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    DeleteWithoutPasswordForm,
    DisableTwoStepForm,
    DisableTwoStepWithoutPasswordForm,
    EnableTwoStepForm,
    LoginForm,
    NewEmailForm,
    RecoveryCodesForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    SetPasswordForm,
    SignInCodeForm,
)

# Between a right password and a right code the session holds only this: who, their session
# token then (a password change meanwhile voids it), when, and where to go afterwards.
PENDING_SIGN_IN = "two_step_pending"
# Long enough to open the app and type a code, short enough that an abandoned half sign-in is gone soon.
PENDING_SIGN_IN_SECONDS = 5 * 60
# After the owner of an account without a password has confirmed at the identity provider that it is
# them, the session may set a first password for a while: who, their session token then, and when.
# (The password is chosen after the confirmation, so it never waits in the session cookie.)
PASSWORD_CONFIRMED = "first_password_confirmed"
PASSWORD_CONFIRMED_SECONDS = 10 * 60

# Read the common-password list now, so a package installed without it fails at start-up,
# not at somebody's registration.
accounts.common_passwords()


# Account pages show personal data: no browser or proxy may keep them.
never_stored(bp)


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


def _pending_key() -> str:
    """The account a half-done sign-in is for, so its codes are counted wherever they come from."""
    pending = session.get(PENDING_SIGN_IN)
    if isinstance(pending, dict) and isinstance(pending.get("u"), int):
        return f"two-step:{pending['u']}"
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
                return _see_other(".login_code")
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
@limiter.limit("5 per minute", key_func=_pending_key, methods=["POST"])
@limiter.limit("20 per hour", key_func=_pending_key, methods=["POST"])
@limiter.limit("30 per minute", methods=["POST"])
def login_code():
    """The second step of signing in: nobody is signed in until the code is right."""
    if current_user.is_authenticated:
        return _see_other(".activity")
    user, next_url = _pending_user()
    if user is None:
        had_pending = session.pop(PENDING_SIGN_IN, None) is not None
        if had_pending or request.method == "POST":
            flash(_("Signing in took too long or was interrupted. Please sign in again."), "error")
        return _see_other(".login")
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
        except Refused as refused:
            refusals.show(refused, form)
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
            return _see_other(".activity")
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
                return _see_other(".activity")
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
    return _see_other("account.change_password")


# --- E-mail address ------------------------------------------------------------------------

@bp.route("/email/", methods=["GET", "POST"])
@require_login
@limiter.limit("10 per hour", key_func=_user_key, methods=["POST"])
def change_email():
    user = current_user._get_current_object()
    if not user.password_hash:
        return _change_email_without_password(user)
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            new_email = accounts.request_email_change(user, form.email.data, form.current_password.data,
                                                      current_language())
        except Refused as refused:
            refusals.show(refused, form)
        else:
            return _email_change_sent(new_email)
    return render_template("account/email.html", form=form)


def _change_email_without_password(user):
    """An account made through the identity provider has no password: its owner confirms there instead."""
    form = NewEmailForm()
    can_confirm = oidc.can_confirm(user)
    if can_confirm and form.validate_on_submit():
        try:
            new_email = accounts.check_new_email(user, form.email.data)
        except Refused as refused:
            refusals.show(refused, form)
        else:
            return oidc.start("confirm", user=user, action="email", email=new_email)
    return render_template("account/email.html", form=form, without_password=True, can_confirm=can_confirm)


def email_change_confirmed(user, new_email: str):
    """The e-mail change of an account without a password, once confirmed at the identity provider."""
    try:
        new_email = accounts.send_email_change(user, new_email, current_language())
    except Refused as refused:  # the address became this account's own meanwhile
        refusals.show(refused)
        return _see_other("account.change_email")  # full names: the provider's callback calls these too
    return _email_change_sent(new_email)


def _email_change_sent(new_email: str):
    # The same words whether or not another account has the address: the page reveals nothing.
    flash(_("We have sent a confirmation link to %(email)s. Your address changes when you open that link.",
            email=new_email), "success")
    return _see_other("account.activity")


@bp.route("/email/confirm/<token>/", methods=["GET", "POST"])
def confirm_email_change(token: str):
    """A page with a button, not a change on GET: mail scanners open links, people press buttons."""
    found = accounts.email_change_for_token(token)
    if found is None:
        return render_template("account/link_invalid.html", purpose="email"), 400
    form = ButtonForm()
    if form.validate_on_submit():
        # Who is signed in must be read before the change: afterwards this session's token is stale.
        signed_in_as = current_user.id if current_user.is_authenticated else None
        user = accounts.change_email(token)
        if user is None:
            return render_template("account/link_invalid.html", purpose="email"), 400
        if signed_in_as == user.id:
            login_user(user)  # the session token changed: this session continues, all others end
            flash(_("Your e-mail address is now %(email)s. You have been signed out everywhere else.",
                    email=user.email), "success")
            return _see_other(".activity")
        flash(_("Your e-mail address is now %(email)s. Sign in with it from now on.", email=user.email), "success")
        return _see_other(".login")
    user, new_email = found
    return render_template("account/email_confirm.html", form=form, token=token, new_email=new_email)


# --- Two-step verification ----------------------------------------------------------------

def _two_step_user():
    """Staff may turn two-step verification on; anyone who has it on may see it and turn it off."""
    user = current_user._get_current_object()
    if not user.is_staff and not user.has_two_step:
        abort(404)
    return user


def _two_step_page(user, status=200, enable_form=None, disable_form=None, recovery_form=None):
    required = user.is_staff and settings.two_step_required()
    context = {"user": user, "required": required}
    if not user.password_hash:
        # Made through the identity provider: a fresh sign-in there stands in for the password.
        context.update(without_password=True, can_confirm=oidc.can_confirm(user))
    if user.has_two_step:
        disable_class = DisableTwoStepWithoutPasswordForm if not user.password_hash else DisableTwoStepForm
        recovery_class = ButtonForm if not user.password_hash else RecoveryCodesForm
        context["disable_form"] = disable_form or disable_class(formdata=None)
        context["recovery_form"] = recovery_form or recovery_class(formdata=None, prefix="recovery")
        context["recovery_left"] = accounts.recovery_codes_left(user)
    elif user.totp_secret:
        uri = accounts.two_step_uri(user)
        context.update(enable_form=enable_form or EnableTwoStepForm(formdata=None), uri=uri,
                       qr=accounts.two_step_qr(uri), secret=accounts.grouped_secret(user.totp_secret))
    else:
        context["start_form"] = ButtonForm(formdata=None)
    # the form being answered, for the page title and summary
    context["form"] = enable_form or disable_form or recovery_form
    return render_template("account/two_step.html", **context), status


@bp.get("/two-step/")
@require_login
def two_step():
    return _two_step_page(_two_step_user())


@bp.post("/two-step/start/")
@require_login
@limiter.limit("10 per hour", key_func=_user_key)
def two_step_start():
    user = _two_step_user()
    if ButtonForm().validate_on_submit() and not user.has_two_step:
        accounts.start_two_step(user)
    return _see_other(".two_step")


@bp.post("/two-step/enable/")
@require_login
@limiter.limit("5 per minute", key_func=_user_key)
@limiter.limit("30 per hour", key_func=_user_key)
def two_step_enable():
    user = _two_step_user()
    form = EnableTwoStepForm()
    if user.has_two_step or not user.totp_secret:
        return _see_other(".two_step")
    if form.validate_on_submit():
        try:
            codes = accounts.enable_two_step(user, form.code.data)
        except Refused as refused:
            refusals.show(refused, form)
        else:
            login_user(user)  # the session token changed: this session continues, all others end
            flash(_("Two-step verification is on. From now on you will enter a code from your authentication app "
                    "when you sign in. You have been signed out everywhere else."), "success")
            return _recovery_codes_page(codes)
    form.code.data = ""
    return _two_step_page(user, enable_form=form)


def _recovery_codes_page(codes: list[str]):
    """The recovery codes, shown this once (only their hashes are kept), in the answer to the POST."""
    response = make_response(render_template("account/recovery_codes.html", codes=codes))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/two-step/recovery-codes/")
@require_login
@limiter.limit("5 per minute", key_func=_user_key)
@limiter.limit("30 per hour", key_func=_user_key)
def recovery_codes():
    user = _two_step_user()
    if not user.has_two_step:
        return _see_other(".two_step")
    if not user.password_hash:
        form = ButtonForm(prefix="recovery")
        if oidc.can_confirm(user) and form.validate_on_submit():
            return oidc.start("confirm", user=user, action="recovery_codes")
        return _two_step_page(user, recovery_form=form)
    form = RecoveryCodesForm(prefix="recovery")
    if form.validate_on_submit():
        try:
            codes = accounts.regenerate_recovery_codes(user, form.password.data)
        except Refused as refused:
            refusals.show(refused, form)
        else:
            flash(_("You have new recovery codes. The old ones no longer work."), "success")
            return _recovery_codes_page(codes)
    return _two_step_page(user, recovery_form=form)


@bp.post("/two-step/disable/")
@require_login
@limiter.limit("5 per minute", key_func=_user_key)
@limiter.limit("30 per hour", key_func=_user_key)
def two_step_disable():
    user = _two_step_user()
    if not user.has_two_step:
        return _see_other(".two_step")
    if not user.password_hash:
        return _two_step_disable_without_password(user)
    form = DisableTwoStepForm()
    if form.validate_on_submit():
        try:
            accounts.disable_two_step(user, form.password.data, form.code.data,
                                      required=settings.two_step_required())
        except Refused as refused:
            refusals.show(refused, form)
            if refused.code == "account.required":
                return _see_other(".two_step")
        else:
            login_user(user)
            flash(_("Two-step verification is off. You have been signed out everywhere else."), "success")
            return _see_other(".two_step")
    form.code.data = ""
    return _two_step_page(user, disable_form=form)


def _two_step_disable_without_password(user):
    """A current code here, then a fresh sign-in at the identity provider instead of the password."""
    form = DisableTwoStepWithoutPasswordForm()
    if oidc.can_confirm(user) and form.validate_on_submit():
        try:
            accounts.check_code_to_turn_off(user, form.code.data, required=settings.two_step_required())
        except Refused as refused:
            refusals.show(refused, form)
            if refused.code == "account.required":
                return _see_other(".two_step")
        else:
            return oidc.start("confirm", user=user, action="two_step_off")
    form.code.data = ""
    return _two_step_page(user, disable_form=form)


def two_step_off_confirmed(user):
    """Turning two-step verification off for an account without a password: its code was right before
    the person went to the identity provider, which has now confirmed that it is them."""
    try:
        accounts.turn_off_two_step(user, required=settings.two_step_required())
    except Refused as refused:  # required meanwhile, or already off
        if refused.code == "account.required":
            refusals.show(refused)
        return _see_other("account.two_step")
    login_user(user)  # the session token changed: this session continues, all others end
    flash(_("Two-step verification is off. You have been signed out everywhere else."), "success")
    return _see_other("account.two_step")


def recovery_codes_confirmed(user):
    """New recovery codes for an account without a password, once confirmed at the identity provider."""
    try:
        codes = accounts.replace_recovery_codes(user)
    except Refused:  # turned off meanwhile
        return _see_other("account.two_step")
    flash(_("You have new recovery codes. The old ones no longer work."), "success")
    return _recovery_codes_page(codes)


# --- Own activity, data, deletion --------------------------------------------------------

@bp.get("/activity/")
@require_login
def activity():
    identity = identities.identity_for(current_user, oidc.issuer()) if oidc.is_configured() else None
    return render_template("account/activity.html", user=current_user, button=ButtonForm(), identity=identity,
                           comments=accounts.user_comments(current_user._get_current_object()),
                           positions=positions.positions_by(current_user._get_current_object()),
                           two_step_required=current_user.is_staff and settings.two_step_required())


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
    user = current_user._get_current_object()
    if not user.password_hash:
        # An account made through the identity provider has no password: its owner confirms there instead.
        form = DeleteWithoutPasswordForm()
        can_confirm = oidc.can_confirm(user)
        if can_confirm and form.validate_on_submit():
            return oidc.start("confirm", user=user, action="delete")
        return render_template("account/delete.html", form=form, without_password=True, can_confirm=can_confirm)
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            accounts.delete_account(user, form.password.data)
        except Refused as refused:
            refusals.show(refused, form)
        else:
            return _deleted()
    return render_template("account/delete.html", form=form)


def delete_confirmed(user):
    """The deletion of an account without a password, once confirmed at the identity provider."""
    accounts.erase_account(user)
    return _deleted()


def _deleted():
    logout_user()
    session.clear()
    flash(_("Your account has been deleted. Your comments stay on the site without your name."), "success")
    return _see_other("site.home")
