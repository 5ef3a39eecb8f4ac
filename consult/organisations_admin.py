"""Administrators verify organisations before their representatives may submit positions."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .auth import require_role
from .extensions import db
from .i18n import LANG_PREFIX
from .models import Organisation, Role
from .participation.forms import EmptyForm
from .services import positions, publication

bp = Blueprint("admin_organisations", __name__, url_prefix=LANG_PREFIX + "/admin/organisations")


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
@require_role(Role.ADMIN)
def index():
    return render_template("admin_organisations/index.html", organisations=positions.unverified_organisations(),
                           button_form=EmptyForm())


@bp.post("/<int:organisation_id>/verify/")
@require_role(Role.ADMIN)
def verify(organisation_id: int):
    organisation = db.session.get(Organisation, organisation_id) if 0 < organisation_id <= publication.MAX_ID else None
    if organisation is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    positions.verify_organisation(organisation, current_user)
    flash(_("%(name)s is verified. Its representatives can now submit positions.", name=organisation.name), "success")
    return redirect(url_for("admin_organisations.index"), code=303)
