"""Site security settings: only administrators may require two-step verification for staff."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField

from ..auth import require_role
from ..forms import BaseForm
from ..models import Role
from ..services import settings
from . import bp


class SecurityForm(BaseForm):
    require_two_step = BooleanField(_l("Require two-step verification for staff"))


@bp.route("/security/", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def security():
    form = SecurityForm()
    if form.validate_on_submit():
        changed = settings.set_two_step_required(bool(form.require_two_step.data), current_user._get_current_object())
        if not changed:
            flash(_("Nothing was changed."), "success")
        elif form.require_two_step.data:
            flash(_("Two-step verification is now required for staff. Staff members without it are asked to "
                    "turn it on before they can use staff pages."), "success")
        else:
            flash(_("Two-step verification is no longer required for staff."), "success")
        return redirect(url_for("admin.security"), code=303)
    required = settings.two_step_required()
    if not form.is_submitted():
        form.require_two_step.data = required
    return render_template("admin/security.html", form=form, required=required,
                           missing=settings.staff_without_two_step())
