"""Administrators verify organisations before their representatives may submit positions, or decline them
with a reason; either way the representatives are told by e-mail."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from ..auth import require_role
from ..forms import BaseForm, max_chars, no_nul, normalise_text
from ..i18n import LANG_PREFIX
from ..models import Role
from ..services import positions
from ..services.refusals import Refused
from ..web import EmptyForm, never_stored
from .common import found_or_404

bp = never_stored(Blueprint("admin_organisations", __name__, url_prefix=LANG_PREFIX + "/admin/organisations"))


class DeclineForm(BaseForm):
    reason = TextAreaField(_l("Why the organisation is declined"), filters=[normalise_text],
                           validators=[DataRequired(message=_l("Write why the organisation is declined: its "
                                                               "representatives receive it by e-mail.")),
                                       no_nul, max_chars(1000)])


def _decided(decide, organisation, message: str):
    """Runs `decide()` and shows `message`; an organisation verified in the meantime is said to be so instead."""
    try:
        decide()
    except Refused:
        flash(_("%(name)s is already verified.", name=organisation.name), "error")
    else:
        flash(message, "success")
    return redirect(url_for("admin_organisations.index"), code=303)


@bp.get("/")
@require_role(Role.ADMIN)
def index():
    return render_template("admin/organisations/index.html", organisations=positions.unverified_organisations(),
                           button_form=EmptyForm())


@bp.post("/<id:organisation_id>/verify/")
@require_role(Role.ADMIN)
def verify(organisation_id: int):
    organisation = found_or_404(positions.organisation_by_id(organisation_id))
    if not EmptyForm().validate_on_submit():
        abort(400)
    return _decided(lambda: positions.verify_organisation(organisation, current_user), organisation,
                    _("%(name)s is verified. Its representatives can now submit positions.", name=organisation.name))


@bp.route("/<id:organisation_id>/decline/", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def decline(organisation_id: int):
    organisation = found_or_404(positions.organisation_by_id(organisation_id))
    if organisation.is_verified:
        flash(_("%(name)s is already verified.", name=organisation.name), "error")
        return redirect(url_for("admin_organisations.index"), code=303)
    form = DeclineForm()
    if form.validate_on_submit():
        return _decided(lambda: positions.decline_organisation(organisation, current_user, form.reason.data),
                        organisation,
                        _("%(name)s is declined. Its representatives have been told why.", name=organisation.name))
    return render_template("admin/organisations/decline.html", form=form,
                           organisation=organisation), 400 if form.errors else 200
