"""Answering a whole set at once: the table's filtered items, a theme or a campaign ("respond to all N").

Three steps, each a plain form (no script needed): the answer; a confirmation that says exactly
how many items it will answer (and how many already have an answer it replaces); then one
response per item, as drafts, or approved when the member may approve them all. The set is
read again from the same filters at every step, and nothing is saved when its size is no
longer the one confirmed.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import refusals
from ..auth import require_role
from ..models import Role
from ..services import feedback, workflow
from ..services.refusals import Refused
from . import bp, member_view
from .forms import BulkResponseForm
from .table import _filter_args, table_filters


def _answered_count(consultation, refs: list[str]) -> int:
    """How many of the items already have a response (this one replaces it)."""
    comment_ids, position_ids = feedback.split_refs(refs)
    return workflow.answered_count(consultation, comment_ids, position_ids)


@bp.route("/<slug>/responses/bulk/", methods=["GET", "POST"])
@require_role(*Role.WORKING_GROUP)
@member_view
def bulk_respond(consultation, member):
    query = _filter_args()
    table_url = url_for("workgroup.table", slug=consultation.slug, **query)
    refs = workflow.set_refs(consultation, table_filters(consultation, member).filters)
    count = len(refs)
    if not refs:
        flash(_("No comment or position matches these filters."), "error")
        return redirect(table_url, code=303)
    approver = workflow.may_approve(consultation, member, refs)
    context = {"consultation": consultation, "count": count, "table_url": table_url, "approver": approver,
               "too_many": count > workflow.BULK_MAX_ITEMS, "limit": workflow.BULK_MAX_ITEMS,
               "action": url_for("workgroup.bulk_respond", slug=consultation.slug) + ("?" + urlencode(query)
                                                                                      if query else "")}
    if request.method == "GET":
        return render_template("workgroup/bulk_respond.html", form=BulkResponseForm(formdata=None), **context)
    form = BulkResponseForm()
    context["form"] = form
    then = "approve" if request.form.get("then") == "approve" else "draft"
    if then == "approve" and not approver:
        abort(403)
    if context["too_many"] or not form.validate_on_submit() or request.form.get("step") == "edit":
        return render_template("workgroup/bulk_respond.html", **context), 400 if form.errors else 200
    context.update(then=then, answered=_answered_count(consultation, refs))
    if request.form.get("step") != "confirm":
        form.confirmed_count.data = str(count)
        return render_template("workgroup/bulk_confirm.html", **context)
    confirmed = int(form.confirmed_count.data) if (form.confirmed_count.data or "").isdigit() else -1
    try:
        result = workflow.bulk_respond(consultation, refs, form.decision.data, form.justification_lv.data,
                                       form.justification_en.data or "", member, then == "approve", confirmed)
    except Refused as refused:
        if refused.code == "workflow.not_allowed":
            abort(403)
        if refused.code != "workflow.count_changed":
            flash(refusals.message(refused), "error")
            return render_template("workgroup/bulk_respond.html", **context), 400
        form.confirmed_count.data = str(count)
        context["changed"] = True
        return render_template("workgroup/bulk_confirm.html", **context), 409
    if result.approved:
        flash(ngettext("%(num)d item answered; the responses are approved.",
                       "%(num)d items answered; the responses are approved.", result.created), "success")
    else:
        flash(ngettext("%(num)d item answered with a draft response. A subgroup lead approves it before it is public.",
                       "%(num)d items answered with draft responses. A subgroup lead approves them before they are "
                       "public.", result.created), "success")
    return redirect(table_url, code=303)
