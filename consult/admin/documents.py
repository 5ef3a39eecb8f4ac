"""Documents attached to a consultation: upload (checked by content), download, delete."""
from __future__ import annotations

import os

from flask import abort, current_app, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import refusals
from ..auth import require_role
from ..i18n import human_size
from ..models import Role
from ..services import authoring, uploads
from ..services.refusals import Refused
from ..web import EmptyForm
from . import bp
from .common import confirm_delete, consultation_or_404, deleted, found_or_404
from .forms import DocumentForm


def _page(item, form, status=200):
    return render_template("admin/documents.html", consultation=item, documents=authoring.documents(item),
                           form=form, button_form=EmptyForm(formdata=None)), status


@bp.route("/consultations/<id:consultation_id>/documents/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def documents(consultation_id: int):
    item = consultation_or_404(consultation_id)
    if request.method == "GET":
        return _page(item, DocumentForm(formdata=None))
    form = DocumentForm()
    valid = form.validate_on_submit()
    form.file.errors = list(form.file.errors)
    storage = form.file.data
    checked = None
    if storage is None or not getattr(storage, "filename", ""):
        form.file.errors.append(_l("Choose a file to upload."))
    else:
        try:
            checked = uploads.check_document(uploads.read_limited(storage.stream), storage.filename)
        except Refused as refused:
            form.file.errors.append(refusals.message(refused))
    if not valid or checked is None:
        return _page(item, form, 400)
    authoring.add_document(item, checked, form.title_lv.data, form.title_en.data or "",
                           current_app.config["UPLOAD_DIR"])
    flash(_("Document “%(name)s” uploaded.", name=checked.display_name), "success")
    return redirect(url_for("admin.documents", consultation_id=item.id), code=303)


@bp.get("/consultations/<id:consultation_id>/documents/<id:document_id>/download/")
@require_role(Role.EDITOR)
def download_document(consultation_id: int, document_id: int):
    item = consultation_or_404(consultation_id)
    found = found_or_404(authoring.document(item, document_id))
    directory = current_app.config["UPLOAD_DIR"]
    if not os.path.isfile(os.path.join(directory, found.stored_name)):
        abort(404)
    response = send_from_directory(directory, found.stored_name, as_attachment=True,
                                   download_name=found.file_name, mimetype=found.content_type)
    response.headers["Content-Security-Policy"] = "sandbox"
    return response


@bp.route("/consultations/<id:consultation_id>/documents/<id:document_id>/delete/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def delete_document(consultation_id: int, document_id: int):
    item = consultation_or_404(consultation_id)
    found = found_or_404(authoring.document(item, document_id))
    back = url_for("admin.documents", consultation_id=item.id)
    if request.method == "GET":
        return confirm_delete(
            found, "title", _("Delete a document"), _("Delete the document"),
            [_("The file is removed from the site for good.")],
            action=url_for("admin.delete_document", consultation_id=item.id, document_id=found.id), cancel=back,
            middle=(_("Documents"), back), consultation=item,
            detail=f"{found.file_name}, {found.type_label}, {human_size(found.size_bytes)}")
    return deleted(lambda: authoring.delete_document(found, current_app.config["UPLOAD_DIR"]),
                   _("Document “%(name)s” deleted.", name=found.file_name), back)
