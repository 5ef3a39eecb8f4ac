"""Consultations: the list, creating and editing, status changes, versions and the draft import."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from .. import refusals
from ..auth import require_role
from ..models import ConsultationStatus, Role
from ..services import authoring, importing, responses
from ..services.refusals import Refused
from ..web import EmptyForm
from . import bp
from .common import consultation_or_404, flash_refusal, refusal_message
from .forms import ChangeNoteForm, ConsultationForm, ImportConfirmForm, ImportForm

# i18n: buttons that move a consultation from its status to another
STATUS_ACTIONS = {
    ("draft", "open"): _l("Open for comments"),
    ("open", "closed"): _l("Close for comments"),
    ("open", "draft"): _l("Take back to draft"),
    ("closed", "concluded"): _l("Mark as concluded"),
    ("closed", "open"): _l("Reopen for comments"),
    ("concluded", "closed"): _l("Take back to closed"),
}
STATUS_EXPLANATIONS = {
    ("draft", "open"): _l("The consultation becomes public. Its published sections can be read and, "
                          "within the opening and closing times, commented on."),
    ("open", "closed"): _l("Nobody can comment any more. If the closing time is still ahead, it is set "
                           "to now. Everything already published stays public."),
    ("open", "draft"): _l("The consultation disappears from the public site, with its comments, until it "
                          "is opened again. Use this only to correct a mistake."),
    ("closed", "concluded"): _l("The consultation is marked as concluded, the outcome date is set to today "
                                "and the outcome report becomes public. The authors of answered proposals are "
                                "e-mailed the working group's answers, each answer only once."),
    ("closed", "open"): _l("People can comment again until the closing time. Check that the closing time "
                           "is in the future."),
    ("concluded", "closed"): _l("The consultation is no longer marked as concluded."),
}


@bp.get("/")
@require_role(Role.EDITOR)
def index():
    return render_template("admin/index.html", consultations=authoring.all_consultations())


def _save_consultation(form: ConsultationForm, item=None):
    """Validates and stores; returns a response on success, None when the form must be shown again."""
    valid = form.validate_on_submit()
    values = form.values() if valid else None
    if values is None:
        return None
    if authoring.slug_taken(values["slug"], exclude_id=item.id if item else None):
        form.slug.errors.append(_l("Another consultation already uses this web address name. "
                                   "Choose a different one."))
        return None
    try:
        if item is None:
            item = authoring.create_consultation(values)
            flash(_("Consultation created. Now add its sections or import the draft."), "success")
        else:
            authoring.update_consultation(item, values)
            flash(_("Changes saved."), "success")
    except Refused as refused:
        form.slug.errors.append(refusal_message(refused))
        return None
    return redirect(url_for("admin.consultation", consultation_id=item.id), code=303)


@bp.route("/consultations/new/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def new_consultation():
    form = ConsultationForm()
    if request.method == "POST":
        done = _save_consultation(form)
        if done is not None:
            return done
        return render_template("admin/consultation_form.html", form=form, consultation=None), 400
    return render_template("admin/consultation_form.html", form=form, consultation=None)


@bp.route("/consultations/<id:consultation_id>/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def consultation(consultation_id: int):
    item = consultation_or_404(consultation_id)
    if request.method == "POST":
        form = ConsultationForm()
        done = _save_consultation(form, item)
        if done is not None:
            return done
        return render_template("admin/consultation_form.html", form=form, consultation=item), 400
    form = ConsultationForm(formdata=None)
    form.fill(item)
    return render_template("admin/consultation_form.html", form=form, consultation=item)


@bp.get("/consultations/<id:consultation_id>/status/")
@require_role(Role.EDITOR)
def status(consultation_id: int):
    item = consultation_or_404(consultation_id)
    steps = [(target, STATUS_ACTIONS[(item.status, target)])
             for target in authoring.STATUS_STEPS.get(item.status, ())]
    return render_template("admin/status.html", consultation=item, steps=steps)


@bp.route("/consultations/<id:consultation_id>/status/<target>/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def change_status(consultation_id: int, target: str):
    item = consultation_or_404(consultation_id)
    if target not in ConsultationStatus.ALL:
        abort(404)
    key = (item.status, target)
    form = EmptyForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if key not in STATUS_ACTIONS:
            flash(_("The status has changed in the meantime; nothing was done."), "error")
            return redirect(url_for("admin.status", consultation_id=item.id), code=303)
        try:
            sent = authoring.change_status(item, target, actor=current_user)
        except Refused as refused:
            flash_refusal(refused)
        else:
            if target == ConsultationStatus.CONCLUDED:
                flash(ngettext("The outcome is published. %(num)d author has been e-mailed.",
                               "The outcome is published. %(num)d authors have been e-mailed.", sent), "success")
            else:
                flash(_("The status is changed."), "success")
        return redirect(url_for("admin.status", consultation_id=item.id), code=303)
    if key not in STATUS_ACTIONS:
        flash(_("This status change is not possible from the current status."), "error")
        return redirect(url_for("admin.status", consultation_id=item.id), code=303)
    concluding = target == ConsultationStatus.CONCLUDED
    counts = responses.answer_counts(item) if concluding else None
    # Without the working group's introduction the step is refused, so the page says why instead of a button.
    refused = concluding and not authoring.has_outcome_introduction(item)
    refusal = refusals.message("authoring.outcome_intro") if refused else None
    return render_template("admin/status_confirm.html", consultation=item, target=target,
                           action=STATUS_ACTIONS[key], explanation=STATUS_EXPLANATIONS[key], counts=counts,
                           refusal=refusal, form=EmptyForm(formdata=None))


# ---------------------------------------------------------------------------
# Versions

@bp.get("/consultations/<id:consultation_id>/versions/")
@require_role(Role.EDITOR)
def versions(consultation_id: int):
    item = consultation_or_404(consultation_id)
    all_versions = authoring.versions(item)
    latest = all_versions[-1] if all_versions else None
    return render_template("admin/versions.html", consultation=item, versions=all_versions,
                           counts=authoring.version_paragraph_counts(item),
                           can_start=latest is None or latest.is_published(), button_form=EmptyForm(formdata=None))


@bp.post("/consultations/<id:consultation_id>/versions/new/")
@require_role(Role.EDITOR)
def start_version(consultation_id: int):
    item = consultation_or_404(consultation_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        new = authoring.start_version(item)
    except Refused as refused:
        flash_refusal(refused)
    else:
        flash(_("Version %(number)d is started as a copy of the previous one. Edit its text, write what "
                "changed, then publish it.", number=new.number), "success")
    return redirect(url_for("admin.versions", consultation_id=item.id), code=303)


def _version_or_404(item, number: int):
    found = authoring.version(item, number)
    if found is None:
        abort(404)
    return found


@bp.route("/consultations/<id:consultation_id>/versions/<id:number>/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def version_note(consultation_id: int, number: int):
    item = consultation_or_404(consultation_id)
    found = _version_or_404(item, number)
    if request.method == "POST":
        form = ChangeNoteForm()
        if form.validate_on_submit():
            authoring.update_change_note(found, form.change_note_lv.data or "", form.change_note_en.data or "")
            flash(_("Changes saved."), "success")
            return redirect(url_for("admin.versions", consultation_id=item.id), code=303)
        return render_template("admin/version_note.html", consultation=item, version=found, form=form), 400
    form = ChangeNoteForm(formdata=None, change_note_lv=found.change_note_lv, change_note_en=found.change_note_en)
    return render_template("admin/version_note.html", consultation=item, version=found, form=form)


@bp.route("/consultations/<id:consultation_id>/versions/<id:number>/publish/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def publish_version(consultation_id: int, number: int):
    item = consultation_or_404(consultation_id)
    found = _version_or_404(item, number)
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        try:
            authoring.publish_version(found)
        except Refused as refused:
            flash_refusal(refused)
        else:
            flash(_("Version %(number)d is published: visitors now read it in every published section.",
                    number=found.number), "success")
        return redirect(url_for("admin.versions", consultation_id=item.id), code=303)
    return render_template("admin/version_publish.html", consultation=item, version=found,
                           form=EmptyForm(formdata=None))


# ---------------------------------------------------------------------------
# Import

def _read_upload(field) -> tuple[bytes, str] | None:
    storage = field.data
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return storage.stream.read(importing.MAX_FILE_BYTES + 1), storage.filename


def _parse_field(form, name: str, required: bool):
    """The sections in one uploaded file, or None with a message beside the field."""
    field = getattr(form, name)
    upload = _read_upload(field)
    if upload is None:
        if required:
            field.errors.append(_l("Choose the file with the Latvian text."))
        return None
    data, filename = upload
    try:
        return importing.parse_file(data, filename)
    except Refused as refused:
        refusals.show(refused, form, default=name)
        return None


@bp.route("/consultations/<id:consultation_id>/import/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def import_draft(consultation_id: int):
    item = consultation_or_404(consultation_id)
    plan = authoring.import_plan(item)
    if request.method == "GET":
        return render_template("admin/import.html", consultation=item, plan=plan, form=ImportForm(formdata=None))
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("admin/import.html", consultation=item, plan=plan, form=form), 400
    form.file_lv.errors = list(form.file_lv.errors)
    form.file_en.errors = list(form.file_en.errors)
    lv = _parse_field(form, "file_lv", required=True)
    en = _parse_field(form, "file_en", required=False)
    if lv is not None and en is not None:
        for problem in importing.alignment_problems(lv, en):
            form.file_en.errors.append(problem)
    if plan.needs_note and not form.change_note_lv.data:
        form.change_note_lv.errors = list(form.change_note_lv.errors) + [
            _l("Describe what changed in this version, in Latvian.")]
    if lv is None or form.file_en.errors or form.change_note_lv.errors:
        return render_template("admin/import.html", consultation=item, plan=plan, form=form), 400
    combined = importing.combine(lv, en)
    token = importing.encode_preview(current_app.secret_key, {
        "consultation": item.id, "user": current_user.id, "plan": plan.as_list(),
        "note_lv": form.change_note_lv.data or "", "note_en": form.change_note_en.data or "",
        "sections": importing.sections_to_payload(combined)})
    if len(token) > importing.MAX_TOKEN_CHARS:
        form.file_lv.errors.append(_l("The draft is too long to import in one go. Split it, or ask for help."))
        return render_template("admin/import.html", consultation=item, plan=plan, form=form), 400
    existing = {s.number: s for s in authoring.sections(item)}
    return render_template("admin/import_preview.html", consultation=item, plan=plan, sections=combined,
                           existing=existing, has_english=en is not None,
                           kept=authoring.titles_kept(item, combined, plan),
                           left_out=[s for n, s in existing.items() if n > len(combined)],
                           note_lv=form.change_note_lv.data or "", note_en=form.change_note_en.data or "",
                           form=ImportConfirmForm(formdata=None, token=token))


@bp.post("/consultations/<id:consultation_id>/import/confirm/")
@require_role(Role.EDITOR)
def confirm_import(consultation_id: int):
    item = consultation_or_404(consultation_id)
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    payload = importing.decode_preview(current_app.secret_key, form.token.data or "")
    if not payload or payload.get("consultation") != item.id or payload.get("user") != current_user.id:
        flash(_("The preview has expired or is not valid, so nothing was imported. Please import the files "
                "again."), "error")
        return redirect(url_for("admin.import_draft", consultation_id=item.id), code=303)
    try:
        plan = authoring.ImportPlan(*payload["plan"])
        sections = importing.sections_from_payload(payload["sections"])
        stored = authoring.apply_import(item, sections, plan, str(payload.get("note_lv", "")),
                                        str(payload.get("note_en", "")))
    except Refused as refused:
        flash_refusal(refused)
        return redirect(url_for("admin.import_draft", consultation_id=item.id), code=303)
    except (KeyError, TypeError, ValueError):
        abort(400)
    flash(ngettext("Imported %(num)d section into version %(version)d.",
                   "Imported %(num)d sections into version %(version)d.", len(sections), version=stored.number),
          "success")
    return redirect(url_for("admin.sections", consultation_id=item.id), code=303)
