"""Offline submissions: a member enters a letter, an e-mail or what was said at a meeting, one at a time
or many from a CSV or XLSX file (services.submissions does the checking and storing for both)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select

from .. import refusals
from ..auth import require_role
from ..extensions import db
from ..forms import new_idempotency_key
from ..i18n import localized
from ..models import Channel, Comment, Role
from ..services import feedback
from ..services import submissions as service
from ..services.refusals import Refused
from . import bp, member_view
from .forms import SubmissionForm, SubmissionsFileForm

PROBLEMS_SHOWN = 100   # a file refused for many lines shows the first ones; the command line shows them all


def _channel_counts(consultation) -> dict[str, int]:
    """Offline submissions entered so far, whatever their moderation status, by channel."""
    return dict(db.session.execute(
        select(Comment.channel, func.count()).where(Comment.consultation_id == consultation.id,
                                                    Comment.channel != Channel.WEB)
        .group_by(Comment.channel)).all())


def _page(consultation, one: SubmissionForm | None = None, upload: SubmissionsFileForm | None = None,
          status: int = 200):
    if one is None:
        one = SubmissionForm(formdata=None, idempotency_key=new_idempotency_key())
    one.set_choices(feedback.sections(consultation), localized)
    if upload is None:
        upload = SubmissionsFileForm(formdata=None)
    failed = upload if upload.errors else one
    return render_template("workgroup/submissions.html", consultation=consultation, one=one, upload=upload,
                           form=failed, counts=_channel_counts(consultation),
                           post_moderated=consultation.moderation_mode == "post", columns=service.COLUMNS,
                           column_names=service.COLUMN_NAMES, required=service.REQUIRED,
                           text_limit=service.MAX_TEXT_CHARS, page_rows=service.PAGE_MAX_ROWS,
                           command_rows=service.MAX_ROWS), status


@bp.get("/<slug>/submissions/")
@require_role(*Role.WORKING_GROUP)
@member_view
def submissions(consultation, member):
    return _page(consultation)


@bp.post("/<slug>/submissions/")
@require_role(*Role.WORKING_GROUP)
@member_view
def add_submission(consultation, member):
    form = SubmissionForm()
    form.set_choices(feedback.sections(consultation), localized)
    if not form.validate():
        if form.csrf_token.errors:
            abort(400)
        return _page(consultation, one=form, status=400)
    try:
        comment = service.add_submission(consultation, form.values(), current_user, form.idempotency_key.data or "")
    except Refused as refused:
        # Each problem beside the field it names (the form's fields are called as the file's columns).
        refusals.show(refused, form, default="section")
        return _page(consultation, one=form, status=400)
    if comment.status == "approved":
        flash(_("Entered as comment %(id)d and published; moderators will still review it.", id=comment.id),
              "success")
    else:
        flash(_("Entered as comment %(id)d. It now waits for moderation, like every comment.", id=comment.id),
              "success")
    return redirect(url_for("workgroup.submissions", slug=consultation.slug), code=303)


@bp.post("/<slug>/submissions/import/")
@require_role(*Role.WORKING_GROUP)
@member_view
def import_submissions(consultation, member):
    form = SubmissionsFileForm()
    if not form.validate():
        abort(400)   # only the CSRF token can fail here
    form.file.errors = list(form.file.errors)
    storage = form.file.data
    if storage is None or not getattr(storage, "filename", ""):
        form.file.errors.append(_("Choose the CSV or Excel file to import."))
        return _page(consultation, upload=form, status=400)
    data = storage.stream.read(service.MAX_FILE_BYTES + 1)
    try:
        stored = service.import_file(consultation, data, storage.filename, entered_by=current_user,
                                     max_rows=service.PAGE_MAX_ROWS)
    except Refused as refused:
        messages = refusals.messages(refused)
        form.file.errors.extend(messages[:PROBLEMS_SHOWN])
        if len(messages) > PROBLEMS_SHOWN:
            form.file.errors.append(ngettext("… and %(num)d more problem. Nothing was imported.",
                                             "… and %(num)d more problems. Nothing was imported.",
                                             len(messages) - PROBLEMS_SHOWN))
        form._errors = None
        return _page(consultation, upload=form, status=400)
    flash(ngettext("Imported %(num)d submission from %(name)s.", "Imported %(num)d submissions from %(name)s.",
                   stored, name=storage.filename), "success")
    return redirect(url_for("workgroup.submissions", slug=consultation.slug), code=303)
