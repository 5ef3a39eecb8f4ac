"""People's roles: only administrators list accounts and change roles."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import require_role
from ..labels import ROLES
from ..models import Role
from ..services import authoring
from ..services.refusals import Refused
from ..web import page_number
from . import bp
from .common import flash_refusal
from .forms import RoleForm, UserSearchForm


@bp.get("/users/")
@require_role(Role.ADMIN)
def users():
    search = UserSearchForm(request.args)
    query = search.q.data if search.validate() else ""
    page = page_number()
    found, total = authoring.search_users(query or "", page)
    pages = max(1, -(-total // authoring.USERS_PER_PAGE))
    return render_template("admin/users.html", search=search, users=found, total=total, page=page, pages=pages,
                           query=query or "")


@bp.route("/users/<id:user_id>/", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def user(user_id: int):
    person = authoring.user(user_id)
    if person is None:
        abort(404)
    if request.method == "POST":
        form = RoleForm()
        if not form.validate_on_submit():
            return render_template("admin/user.html", person=person, form=form), 400
        try:
            changed = authoring.change_role(person, form.role.data, current_user)
        except Refused as refused:
            flash_refusal(refused)
            return redirect(url_for("admin.user", user_id=person.id), code=303)
        if changed:
            flash(_("%(name)s now has the role “%(role)s”. They need to sign in again.",
                    name=person.display_name, role=ROLES[person.role]), "success")
        return redirect(url_for("admin.users"), code=303)
    return render_template("admin/user.html", person=person, form=RoleForm(formdata=None, role=person.role))
