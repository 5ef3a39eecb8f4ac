"""Digest downloads: the export form, and the file streamed as it is written."""
from __future__ import annotations

from flask import Response, render_template, request, stream_with_context

from .. import refusals
from ..auth import require_role
from ..i18n import current_language, localized
from ..models import Role
from ..services import exports, feedback
from ..services.refusals import Refused
from ..services.summary import analyse_texts
from . import bp, member_view
from .forms import ExportForm


def _form(consultation, formdata=None, **defaults) -> ExportForm:
    form = ExportForm(formdata, **defaults)
    form.set_choices(feedback.sections(consultation), feedback.subgroups(consultation), localized,
                     analyse_texts(consultation).campaigns)
    return form


@bp.get("/<slug>/export/")
@require_role(*Role.WORKING_GROUP)
@member_view
def export(consultation, member):
    """Without parameters: the form. With them: the file, or the form with a message beside the bad field."""
    if not request.args:
        form = _form(consultation, format="xlsx", delimiter=",")
        return render_template("workgroup/export.html", consultation=consultation, form=form)
    form = _form(consultation, request.args)
    if not form.delimiter.data:
        form.delimiter.data = ","       # links made before the choice existed
    if not form.validate():
        return render_template("workgroup/export.html", consultation=consultation, form=form), 400
    try:
        fmt = exports.check_format(form.format.data)
        delimiter = exports.check_delimiter(form.delimiter.data)
        scope = exports.make_scope(consultation, section=form.section.data, subgroup=form.subgroup.data,
                                   since=form.since.data, all_statuses=form.all_statuses.data,
                                   stance=form.stance.data, decision=form.decision.data,
                                   campaign=form.campaign.data)
    except Refused as refused:
        refusals.show(refused, form, default="format")
        return render_template("workgroup/export.html", consultation=consultation, form=form), 400
    lang = current_language()
    body = stream_with_context(exports.stream_export(scope, fmt, lang, delimiter=delimiter,
                                                     supports_as_rows=form.supports_as_rows.data))
    response = Response(body, mimetype=exports.MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{exports.filename(scope, fmt, lang)}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
