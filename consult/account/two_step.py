"""Two-step verification: turning it on and off, and the recovery codes."""
from __future__ import annotations

from flask import abort, flash, make_response, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_user

from .. import refusals
from ..auth import require_login
from ..extensions import limiter
from ..services import accounts, settings
from ..services.refusals import Refused
from . import bp, oidc
from .common import see_other, user_key
from .forms import (
    ButtonForm,
    DisableTwoStepForm,
    DisableTwoStepWithoutPasswordForm,
    EnableTwoStepForm,
    RecoveryCodesForm,
)

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
@limiter.limit("10 per hour", key_func=user_key)
def two_step_start():
    user = _two_step_user()
    if ButtonForm().validate_on_submit() and not user.has_two_step:
        accounts.start_two_step(user)
    return see_other(".two_step")


@bp.post("/two-step/enable/")
@require_login
@limiter.limit("5 per minute", key_func=user_key)
@limiter.limit("30 per hour", key_func=user_key)
def two_step_enable():
    user = _two_step_user()
    form = EnableTwoStepForm()
    if user.has_two_step or not user.totp_secret:
        return see_other(".two_step")
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
@limiter.limit("5 per minute", key_func=user_key)
@limiter.limit("30 per hour", key_func=user_key)
def recovery_codes():
    user = _two_step_user()
    if not user.has_two_step:
        return see_other(".two_step")
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
@limiter.limit("5 per minute", key_func=user_key)
@limiter.limit("30 per hour", key_func=user_key)
def two_step_disable():
    user = _two_step_user()
    if not user.has_two_step:
        return see_other(".two_step")
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
                return see_other(".two_step")
        else:
            login_user(user)
            flash(_("Two-step verification is off. You have been signed out everywhere else."), "success")
            return see_other(".two_step")
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
                return see_other(".two_step")
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
        return see_other("account.two_step")
    login_user(user)  # the session token changed: this session continues, all others end
    flash(_("Two-step verification is off. You have been signed out everywhere else."), "success")
    return see_other("account.two_step")


def recovery_codes_confirmed(user):
    """New recovery codes for an account without a password, once confirmed at the identity provider."""
    try:
        codes = accounts.replace_recovery_codes(user)
    except Refused:  # turned off meanwhile
        return see_other("account.two_step")
    flash(_("You have new recovery codes. The old ones no longer work."), "success")
    return _recovery_codes_page(codes)
