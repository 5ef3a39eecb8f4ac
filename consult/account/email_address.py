"""Changing the e-mail address: with the password, or confirmed at the identity provider, and then
by the link sent to the new address."""
from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_user

from .. import refusals
from ..auth import require_login
from ..extensions import limiter
from ..i18n import current_language
from ..services import accounts
from ..services.refusals import Refused
from . import bp, oidc
from .common import see_other, user_key
from .forms import (
    ButtonForm,
    ChangeEmailForm,
    NewEmailForm,
)

# --- E-mail address ------------------------------------------------------------------------

@bp.route("/email/", methods=["GET", "POST"])
@require_login
@limiter.limit("10 per hour", key_func=user_key, methods=["POST"])
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
        return see_other("account.change_email")  # full names: the provider's callback calls these too
    return _email_change_sent(new_email)


def _email_change_sent(new_email: str):
    # The same words whether or not another account has the address: the page reveals nothing.
    flash(_("We have sent a confirmation link to %(email)s. Your address changes when you open that link.",
            email=new_email), "success")
    return see_other("account.activity")


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
            return see_other(".activity")
        flash(_("Your e-mail address is now %(email)s. Sign in with it from now on.", email=user.email), "success")
        return see_other(".login")
    user, new_email = found
    return render_template("account/email_confirm.html", form=form, token=token, new_email=new_email)
