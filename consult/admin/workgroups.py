"""Administrators put people in a consultation's working group and its subgroups."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectMultipleField
from wtforms.validators import InputRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .. import refusals
from ..auth import require_role
from ..forms import BaseForm, choices, max_chars, normalise_text
from ..i18n import LANG_PREFIX, localized
from ..models import Role
from ..services import authoring, feedback
from ..services.refusals import Refused
from ..web import EmptyForm, never_stored
from .common import consultation_or_404, deleted, found_or_404

bp = never_stored(Blueprint("admin_workgroups", __name__, url_prefix=LANG_PREFIX + "/admin/workgroups"))

def _subgroup_field(label):
    return SelectMultipleField(label, choices=[], validate_choice=False,
                               widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class MemberForm(BaseForm):
    email = EmailField(_l("E-mail address of the member"), filters=[normalise_text],
                       validators=[InputRequired(message=_l("Enter the member's e-mail address.")), max_chars(254)])
    subgroups = _subgroup_field(_l("Subgroups (optional)"))

    def validate_email(self, field):
        if field.data and "@" not in field.data:
            raise ValidationError(_l("Enter an e-mail address like name@example.lv."))


class SubgroupsForm(BaseForm):
    subgroups = _subgroup_field(_l("Subgroups"))
    # A lead approves the subgroup's draft responses (consult.services.workflow).
    leads = _subgroup_field(_l("Lead of (approves the subgroup's responses)"))


def _set_choices(form, subgroups) -> None:
    form.subgroups.choices = choices([(str(g.id), localized(g, "name")) for g in subgroups])
    if hasattr(form, "leads"):
        form.leads.choices = form.subgroups.choices


def _ids(values) -> list[int]:
    return [int(v) for v in values or [] if str(v).isdigit() and len(str(v)) < 10]


@bp.get("/")
@require_role(Role.ADMIN)
def index():
    return render_template("admin/workgroups/index.html", consultations=authoring.all_consultations(),
                           counts=feedback.member_counts())


def _members_page(consultation, form, status=200):
    subgroups = feedback.subgroups(consultation)
    members = feedback.members_of(consultation)
    leads = feedback.lead_ids_by_member(consultation)
    forms = {}
    for member in members:
        member_form = SubgroupsForm(formdata=None, prefix=f"m{member.id}",
                                    subgroups=[str(g.id) for g in member.subgroups],
                                    leads=[str(i) for i in sorted(leads.get(member.id, ()))])
        _set_choices(member_form, subgroups)
        forms[member.id] = member_form
    return render_template("admin/workgroups/consultation.html", consultation=consultation, form=form,
                           members=members, member_forms=forms, subgroups=subgroups, leads=leads,
                           APPROVE_ANY=Role.APPROVE_ANY), status


@bp.route("/<id:consultation_id>/", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def consultation(consultation_id: int):
    item = consultation_or_404(consultation_id)
    subgroups = feedback.subgroups(item)
    form = MemberForm() if request.method == "POST" else MemberForm(formdata=None)
    _set_choices(form, subgroups)
    if request.method == "GET":
        return _members_page(item, form)
    if not form.validate_on_submit():
        return _members_page(item, form, 400)
    try:
        member = feedback.add_member(item, form.email.data, _ids(form.subgroups.data))
    except Refused as refused:
        refusals.show(refused, form)
        return _members_page(item, form, 400)
    flash(_("%(name)s is now in the working group.", name=member.user.display_name), "success")
    return redirect(url_for("admin_workgroups.consultation", consultation_id=item.id), code=303)


@bp.post("/<id:consultation_id>/members/<id:member_id>/")
@require_role(Role.ADMIN)
def member_subgroups(consultation_id: int, member_id: int):
    item = consultation_or_404(consultation_id)
    member = found_or_404(feedback.member(item, member_id))
    form = SubgroupsForm(prefix=f"m{member.id}")
    _set_choices(form, feedback.subgroups(item))
    if not form.validate_on_submit():
        abort(400)
    feedback.set_member_subgroups(member, _ids(form.subgroups.data), _ids(form.leads.data))
    flash(_("The subgroups of %(name)s are saved.", name=member.user.display_name), "success")
    return redirect(url_for("admin_workgroups.consultation", consultation_id=item.id), code=303)


@bp.route("/<id:consultation_id>/members/<id:member_id>/remove/", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def remove_member(consultation_id: int, member_id: int):
    """GET asks first (Confirm or Cancel); the POST removes the member."""
    item = consultation_or_404(consultation_id)
    member = found_or_404(feedback.member(item, member_id))
    if request.method == "GET":
        back = url_for("admin_workgroups.consultation", consultation_id=item.id)
        return render_template(
            "confirm.html", form=EmptyForm(), heading=_("Remove %(name)s from the working group?",
                                                        name=member.user.display_name),
            explanation=[_("They will no longer see the feedback table of this consultation or answer proposals. "
                           "Responses they wrote stay. You can add them again later.")],
            button=_("Remove from the working group"), cancel=back,
            action=url_for("admin_workgroups.remove_member", consultation_id=item.id, member_id=member.id))
    return deleted(lambda: feedback.remove_member(member),
                   _("%(name)s is no longer in the working group.", name=member.user.display_name),
                   url_for("admin_workgroups.consultation", consultation_id=item.id))
