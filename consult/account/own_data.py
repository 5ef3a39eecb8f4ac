"""What a person has on the site: their activity, their data as a file, and deleting their account."""
from __future__ import annotations

import json

from flask import Response, flash, render_template, session
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from .. import refusals
from ..auth import require_login
from ..extensions import limiter
from ..services import accounts, identities, positions, settings
from ..services.refusals import Refused
from . import bp, oidc
from .common import see_other, user_key
from .forms import (
    ButtonForm,
    DeleteAccountForm,
    DeleteWithoutPasswordForm,
)

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
@limiter.limit("10 per hour", key_func=user_key, methods=["POST"])
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
    return see_other("site.home")
