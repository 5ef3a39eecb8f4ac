"""Organisations register; their representatives submit formal positions, with an optional document.

The document may be a PDF, signed or not, or an electronically signed ASiC-E container (.edoc, .asice).
"""
from __future__ import annotations

import os

from flask import (
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from wtforms import BooleanField, FileField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, InputRequired, Optional, ValidationError

from .. import pagecache, refusals
from ..auth import require_login
from ..extensions import limiter
from ..forms import BaseForm, choices, max_chars, new_idempotency_key, no_nul, normalise_name, normalise_text
from ..i18n import current_language
from ..models import OrganisationKind
from ..services import positions, publication
from ..services.refusals import Refused
from ..services.uploads import read_limited
from . import bp
from .polls import CheckboxesField

KIND_CHOICES = [
    (OrganisationKind.NGO, _l("Non-governmental organisation")),
    (OrganisationKind.MUNICIPALITY, _l("Municipality")),
    (OrganisationKind.SOCIAL_PARTNER, _l("Social partner")),
    (OrganisationKind.BUSINESS, _l("Business")),
    (OrganisationKind.ACADEMIC, _l("Academic institution")),
    (OrganisationKind.OTHER, _l("Other")),
]


class OrganisationForm(BaseForm):
    name = StringField(_l("Name of the organisation"), filters=[normalise_name],
                       validators=[DataRequired(message=_l("Enter the name of the organisation.")), no_nul,
                                   max_chars(200)])
    registration_number = StringField(_l("Registration number (optional)"),
                                      filters=[positions.normalise_registration_number], validators=[Optional()])
    kind = RadioField(_l("Kind of organisation"), choices=choices(KIND_CHOICES),
                      validators=[InputRequired(message=_l("Choose the kind of organisation."))])
    website = StringField(_l("Website (optional)"), filters=[normalise_text],
                          validators=[Optional(), URL(require_tld=True, message=_l("Enter a web address such as "
                                                                                   "https://example.lv.")),
                                      max_chars(300)])

    def validate_registration_number(self, field):
        if field.data and not positions.valid_registration_number(field.data):
            raise ValidationError(_l("A Latvian registration number has exactly 11 digits, for example 40008000000."))

    def validate_website(self, field):
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError(_l("Enter a web address such as https://example.lv."))


class PositionForm(BaseForm):
    organisation = SelectField(_l("On behalf of"), validators=[InputRequired(message=_l("Choose an organisation."))])
    title = StringField(_l("Title"), filters=[normalise_text],
                        validators=[DataRequired(message=_l("Enter a title.")), no_nul, max_chars(200)])
    body = TextAreaField(_l("The position"), filters=[normalise_text],
                         validators=[DataRequired(message=_l("Write the position.")), no_nul, max_chars(20000)])
    sections = CheckboxesField(_l("Which sections does it concern?"), validators=[Optional()])
    attachment = FileField(_l("Document (optional)"))
    publish_name = BooleanField(_l("I agree that the name of the organisation is published with this position."),
                                validators=[DataRequired(message=_l("Agree to publish the organisation's name: "
                                                                    "positions are published with it."))])
    idempotency_key = HiddenField()


def _position_form(consultation, organisations, formdata=None):
    form = PositionForm(formdata=formdata)
    form.organisation.choices = choices([(str(o.id), o.name) for o in organisations])
    form.sections.choices = choices(
        (str(s.number), f"{s.number}. " + (getattr(s, f"title_{current_language()}") or s.title_lv))
        for s in publication.all_sections(consultation) if s.is_published())
    return form


@bp.route("/organisations/", methods=["GET", "POST"])
@require_login
@limiter.limit("10 per hour", methods=["POST"])
def organisations():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            positions.register_organisation(current_user, form.name.data, form.registration_number.data,
                                            form.kind.data, form.website.data or "")
        except Refused as refused:
            form.registration_number.errors = [*form.registration_number.errors, refusals.message(refused)]
        else:
            flash(_("The organisation is registered. An administrator will verify it; then you can submit positions on "
                    "its behalf."), "success")
            return redirect(url_for("participation.organisations"), code=303)
    return render_template("participation/organisations.html", form=form,
                           organisations=positions.organisations_of(current_user)), 400 if form.errors else 200


@bp.get("/organisations/<id:organisation_id>/")
def organisation(organisation_id: int):
    """An organisation's page: its published positions, and to its own representatives the pending ones too."""
    found = positions.organisation_page(organisation_id, current_user)
    if found is None:
        abort(404)
    organisation, member = found
    response = make_response(render_template("participation/organisation.html", organisation=organisation,
                                             member=member,
                                             positions=positions.organisation_positions(organisation, member)))
    if member:
        response.headers["Cache-Control"] = "no-store"
    return response


def _new_position_page(consultation, organisations):
    """The empty form, the same for everyone who may speak for the same organisations: rendered once,
    the person's CSRF token and a fresh idempotency key filled in."""
    def render(values):
        g.csrf_token = values["csrf"]   # where Flask-WTF keeps the request's token
        form = _position_form(consultation, organisations)
        form.idempotency_key.data = values["idempotency"]
        html = render_template("participation/position_new.html", consultation=consultation, form=form,
                               organisations=organisations)
        g.pop("csrf_token", None)
        return html, None

    parts = ("new-position", consultation.id, tuple((o.id, o.name) for o in organisations),
             pagecache.menu_roles())
    html, _extra = pagecache.personal_page(parts, render, {"csrf": generate_csrf, "idempotency": new_idempotency_key})
    return html


@bp.route("/consultations/<slug>/positions/new/", methods=["GET", "POST"])
@require_login
@limiter.limit("20 per hour", methods=["POST"])
def new_position(slug: str):
    consultation = publication.public_consultation(slug)
    if consultation is None:
        abort(404)
    organisations = [o for o in positions.organisations_of(current_user) if o.is_verified]
    if not consultation.is_open or not organisations:
        return render_template("participation/position_new.html", consultation=consultation, form=None,
                               organisations=positions.organisations_of(current_user))
    if request.method == "GET" and "_flashes" not in session:
        return _new_position_page(consultation, organisations)
    form = _position_form(consultation, organisations, formdata=request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.idempotency_key.data = new_idempotency_key()
    elif form.validate():
        upload = request.files.get("attachment")
        attachment = None
        if upload and upload.filename:
            try:
                attachment = positions.check_attachment(
                    read_limited(upload.stream, positions.MAX_ATTACHMENT_BYTES), upload.filename,
                    current_app.config.get("SIGNATURE_TRUST_DIR"))
            except Refused as refused:
                form.attachment.errors = [refusals.message(refused)]
        if not form.attachment.errors:
            try:
                position = positions.submit_position(consultation, current_user, positions.NewPosition(
                    organisation_id=int(form.organisation.data), title=form.title.data, body=form.body.data,
                    section_numbers=[int(n) for n in form.sections.data or [] if n.isdigit() and len(n) < 6],
                    publish_name=True, language=current_language(),
                    idempotency_key=(form.idempotency_key.data or new_idempotency_key())[:64],
                    attachment=attachment))
            except Refused as refused:
                flash(refusals.message(refused), "error")
            else:
                if position.status == "approved":
                    flash(_("Thank you. The position is published."), "success")
                else:
                    flash(_("Thank you. The position will be published once a moderator has checked it."), "success")
                return redirect(url_for("site.positions", slug=slug), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("participation/position_new.html", consultation=consultation, form=form,
                           organisations=organisations), status


@bp.get("/positions/<id:position_id>/attachment/")
def position_attachment(position_id: int):
    position = positions.downloadable_position(position_id, current_user)
    if position is None:
        abort(404)
    directory = current_app.config["UPLOAD_DIR"]
    if not os.path.isfile(os.path.join(directory, position.attachment_stored)):
        abort(404)
    response = send_from_directory(directory, position.attachment_stored, as_attachment=True,
                                   download_name=position.attachment_name, mimetype=positions.attachment_type(position))
    response.headers["Content-Security-Policy"] = "sandbox"
    if position.status != "approved":
        response.headers["Cache-Control"] = "no-store"
    return response
