"""Digest downloads: the export form, and the file streamed as it is written."""
from __future__ import annotations

from flask import Response, render_template, request, stream_with_context
from flask_babel import lazy_gettext as _l

from ..auth import require_role
from ..i18n import current_language, localized
from ..models import Role
from ..services import exports, feedback
from . import bp, member_view
from .forms import ExportForm

REFUSALS = {
    ("format", "unknown"): _l("Choose one of the formats in the list."),
    ("section", "unknown"): _l("Choose a section of this consultation."),
    ("subgroup", "unknown"): _l("Choose a subgroup of this consultation."),
    ("since", "format"): _l("Enter a date as year-month-day, for example 2014-03-21."),
}


@bp.get("/<slug>/export/")
@require_role(Role.WORKGROUP)
@member_view
def export(consultation, member):
    """Without parameters: the form. With them: the file, or the form with a message beside the bad field."""
    form = ExportForm(request.args)
    form.set_choices(feedback.sections(consultation), feedback.subgroups(consultation), localized)
    if not request.args:
        form = ExportForm(formdata=None, format="xlsx")
        form.set_choices(feedback.sections(consultation), feedback.subgroups(consultation), localized)
        return render_template("workgroup/export.html", consultation=consultation, form=form)
    if not form.validate():
        return render_template("workgroup/export.html", consultation=consultation, form=form), 400
    try:
        fmt = exports.check_format(form.format.data)
        scope = exports.make_scope(consultation, section=form.section.data, subgroup=form.subgroup.data,
                                   since=form.since.data, all_statuses=form.all_statuses.data)
    except exports.ExportRefused as refused:
        field = getattr(form, refused.field, form.format)
        field.errors = list(field.errors) + [str(REFUSALS.get((refused.field, refused.code),
                                                              REFUSALS[("format", "unknown")]))]
        form._errors = None
        return render_template("workgroup/export.html", consultation=consultation, form=form), 400
    body = stream_with_context(exports.stream_export(scope, fmt, current_language(),
                                                     supports_as_rows=form.supports_as_rows.data))
    response = Response(body, mimetype=exports.MIMETYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{exports.filename(scope, fmt)}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
