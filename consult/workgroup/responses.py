"""Answering proposals (one response may answer several identical ones), approving the drafts, and publishing
the outcome."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from .. import refusals
from ..auth import require_role
from ..forms import choices
from ..models import Role
from ..services import campaigns, feedback, responses, workflow
from ..services.refusals import Refused
from ..services.summary import analyse_texts
from ..web import EmptyForm
from . import bp, member_view
from .forms import PublishForm, ResponseForm, SendBackForm

SIMILAR_SHOWN = 50


def _back(consultation) -> str:
    target = request.values.get("back", "")
    table = url_for("workgroup.table", slug=consultation.slug)
    return target if target.startswith(table) and "\n" not in target and "\r" not in target else table


def _similar(consultation, items: list[feedback.FeedbackItem], exclude: set[str]) -> list[str]:
    """Refs of comments in the same campaign as the chosen ones (identical or near-identical texts)."""
    if not any(item.kind == "comment" for item in items):
        return []
    by_id = campaigns.campaign_of(analyse_texts(consultation).campaigns)
    refs: list[str] = []
    for item in items:
        campaign = by_id.get(item.item.id) if item.kind == "comment" else None
        for member_id in campaign.ids if campaign else ():
            ref = f"c{member_id}"
            if ref not in exclude and ref not in refs:
                refs.append(ref)
    return refs[:SIMILAR_SHOWN]


def _prepare(consultation, member, form: ResponseForm, chosen: list[str], response=None,
             send_back_form: SendBackForm | None = None) -> dict | None:
    """Sets the form's choices for the chosen proposals (and their campaign siblings); None when none is left."""
    chosen_items = feedback.items_of(consultation, chosen)
    if not chosen_items:
        return None
    chosen_refs = [item.ref for item in chosen_items]
    similar_items = feedback.items_of(consultation, _similar(consultation, chosen_items, set(chosen_refs)))
    form.items.choices = choices([(item.ref, item.ref) for item in chosen_items + similar_items])
    paragraphs = responses.newer_paragraphs(consultation, chosen_items)
    form.changed_paragraph.choices = choices([("", _l("No paragraph"))] + [
        (str(choice.paragraph.id), _("Version %(version)d, paragraph %(label)s",
                                     version=choice.version.number, label=choice.label)) for choice in paragraphs])
    if request.method == "GET":
        form.items.data = chosen_refs
    elif form.items.data is None:
        form.items.data = []
    previous = [item.response for item in chosen_items if item.response is not None
                and (response is None or item.response.id != response.id)]
    approver = workflow.may_approve(consultation, member, chosen_refs)
    return {"consultation": consultation, "form": form, "items": chosen_items, "similar": similar_items,
            "response": response, "previous": previous, "back": _back(consultation), "approver": approver,
            "send_back_form": send_back_form or SendBackForm(formdata=None)}


def _nothing_chosen(consultation):
    flash(_("Select at least one item in the table."), "error")
    return redirect(_back(consultation), code=303)


def _respond(consultation, member, form: ResponseForm, chosen: list[str], response=None, linked: list[str] = ()):
    """GET: the form; POST: validate and save (as a draft, or approved by a lead), or the form again with its
    messages. "Save and approve" from somebody who may not approve these proposals is refused (403)."""
    context = _prepare(consultation, member, form, chosen, response)
    if context is None:
        return _nothing_chosen(consultation)
    if request.method == "GET":
        return render_template("workgroup/respond.html", **context)
    approve = request.form.get("then") == "approve"
    if not form.validate():
        return render_template("workgroup/respond.html", **context), 400
    if approve and not workflow.may_approve(consultation, member, form.items.data):
        abort(403)
    paragraph = int(form.changed_paragraph.data) if (form.changed_paragraph.data or "").isdigit() else None
    try:
        responses.save_response(consultation, form.items.data, form.decision.data, form.justification_lv.data,
                                form.justification_en.data or "", paragraph, current_user, response,
                                approve=approve)
        if response is not None:
            dropped = [ref for ref in linked if ref not in form.items.data]
            if dropped:
                responses.detach(consultation, dropped)
    except Refused as refused:
        refusals.show(refused, form, default="items")
        return render_template("workgroup/respond.html", **context), 400
    count = len(form.items.data)
    if approve:
        flash(ngettext("Response approved for %(num)d proposal.", "Response approved for %(num)d proposals.", count),
              "success")
        if consultation.status == "concluded":
            flash(_("The outcome is already published, so the authors have been e-mailed this answer."), "success")
    else:
        flash(ngettext("Draft response saved for %(num)d proposal. It is public once a subgroup lead approves it.",
                       "Draft response saved for %(num)d proposals. It is public once a subgroup lead approves it.",
                       count), "success")
    return redirect(_back(consultation), code=303)


@bp.route("/<slug>/responses/new/", methods=["GET", "POST"])
@require_role(*Role.WORKING_GROUP)
@member_view
def new_response(consultation, member):
    chosen = request.args.getlist("items")[:500]
    if request.method == "GET":
        # Proposals that all share one answer already: edit that answer instead of starting another.
        items = feedback.items_of(consultation, chosen)
        answered = {item.response.id for item in items if item.response is not None}
        if items and len(answered) == 1 and all(item.response is not None for item in items):
            return redirect(url_for("workgroup.edit_response", slug=consultation.slug,
                                    response_id=answered.pop(), back=_back(consultation)), code=303)
        return _respond(consultation, member, ResponseForm(formdata=None), chosen)
    return _respond(consultation, member, ResponseForm(), chosen)


def _response_or_404(consultation, response_id: int):
    response = responses.get_response(consultation, response_id)
    if response is None:
        abort(404)
    return response


@bp.route("/<slug>/responses/<id:response_id>/", methods=["GET", "POST"])
@require_role(*Role.WORKING_GROUP)
@member_view
def edit_response(consultation, member, response_id: int):
    response = _response_or_404(consultation, response_id)
    linked = responses.refs_of(response)
    chosen = linked + [ref for ref in request.args.getlist("items")[:500] if ref not in linked]
    if request.method == "GET":
        form = ResponseForm(formdata=None, decision=response.decision, justification_lv=response.justification_lv,
                            justification_en=response.justification_en,
                            changed_paragraph=str(response.changed_paragraph_id or ""))
    else:
        form = ResponseForm()
    return _respond(consultation, member, form, chosen, response, linked)


def _edit_url(consultation, response) -> str:
    return url_for("workgroup.edit_response", slug=consultation.slug, response_id=response.id,
                   back=_back(consultation))


@bp.post("/<slug>/responses/<id:response_id>/approve/")
@require_role(*Role.WORKING_GROUP)
@member_view
def approve_response(consultation, member, response_id: int):
    """A lead of the proposals' subgroup (or an admin) makes the draft the public answer; others get 403."""
    response = _response_or_404(consultation, response_id)
    if not workflow.may_approve_response(consultation, member, response):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        workflow.approve(consultation, response, member)
    except Refused as refused:
        flash(refusals.message(refused), "error")
        return redirect(_edit_url(consultation, response), code=303)
    flash(_("The response is approved and counts as the answer."), "success")
    if consultation.status == "concluded":
        flash(_("The outcome is already published, so the authors have been e-mailed this answer."), "success")
    return redirect(_back(consultation), code=303)


@bp.post("/<slug>/responses/<id:response_id>/send-back/")
@require_role(*Role.WORKING_GROUP)
@member_view
def send_back_response(consultation, member, response_id: int):
    """A lead returns the response as a draft, with a note for its writer."""
    response = _response_or_404(consultation, response_id)
    if not workflow.may_approve_response(consultation, member, response):
        abort(403)
    send_back_form = SendBackForm()
    if send_back_form.validate_on_submit():
        try:
            workflow.send_back(consultation, response, member, send_back_form.note.data)
        except Refused as refused:
            send_back_form.note.errors = list(send_back_form.note.errors) + [refusals.message(refused)]
        else:
            flash(_("The response was sent back as a draft with your note."), "success")
            return redirect(_back(consultation), code=303)
    linked = responses.refs_of(response)
    form = ResponseForm(formdata=None, decision=response.decision, justification_lv=response.justification_lv,
                        justification_en=response.justification_en,
                        changed_paragraph=str(response.changed_paragraph_id or ""))
    context = _prepare(consultation, member, form, linked, response, send_back_form)
    if context is None:
        abort(404)
    form.items.data = [item.ref for item in context["items"]]
    return render_template("workgroup/respond.html", **context), 400


@bp.route("/<slug>/responses/<id:response_id>/delete/", methods=["GET", "POST"])
@require_role(*Role.WORKING_GROUP)
@member_view
def delete_response(consultation, member, response_id: int):
    """GET asks first (which proposals lose their answer, Confirm or Cancel); the POST deletes."""
    response = _response_or_404(consultation, response_id)
    if request.method == "GET":
        count = len(responses.refs_of(response))
        return render_template(
            "confirm.html", form=EmptyForm(), heading=_("Delete this response?"), quote=response.justification_lv,
            quote_lang="lv", button=_("Delete the response"),
            explanation=[ngettext("%(num)d proposal will no longer be answered and goes back to the table "
                                  "as unanswered.",
                                  "%(num)d proposals will no longer be answered and go back to the table "
                                  "as unanswered.", count)],
            action=url_for(".delete_response", slug=consultation.slug, response_id=response.id),
            hidden={"back": _back(consultation)},
            cancel=url_for(".edit_response", slug=consultation.slug, response_id=response.id,
                           back=_back(consultation)))
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = responses.detach(consultation, responses.refs_of(response), current_user, response)
    flash(ngettext("The response was deleted; %(num)d proposal is not answered now.",
                   "The response was deleted; %(num)d proposals are not answered now.", count), "success")
    return redirect(_back(consultation), code=303)


@bp.route("/<slug>/publish/", methods=["GET", "POST"])
@require_role(*Role.WORKING_GROUP)
@member_view
def publish(consultation, member):
    """Publishing the outcome: the introduction and a confirmation, then concluded + e-mails to the authors."""
    counts = responses.answer_counts(consultation)
    form = PublishForm(unanswered=counts.unanswered, data={"intro_lv": consultation.outcome_intro_lv,
                                                           "intro_en": consultation.outcome_intro_en})
    if request.method == "POST":
        form = PublishForm(unanswered=counts.unanswered)
        if not form.validate_on_submit():
            return render_template("workgroup/publish.html", consultation=consultation, form=form, counts=counts,
                                   can_publish=responses.can_publish(consultation)), 400
        try:
            if not responses.can_publish(consultation):
                raise Refused("response.status")
            responses.save_outcome_introduction(consultation, form.intro_lv.data, form.intro_en.data)
            sent = responses.publish_outcome(consultation, current_user)
        except Refused as refused:
            refusals.show(refused)
            return redirect(url_for("workgroup.publish", slug=consultation.slug), code=303)
        flash(ngettext("The outcome is published. %(num)d author has been e-mailed.",
                       "The outcome is published. %(num)d authors have been e-mailed.", sent), "success")
        return redirect(url_for("site.outcome", slug=consultation.slug), code=303)
    return render_template("workgroup/publish.html", consultation=consultation, form=form, counts=counts,
                           can_publish=responses.can_publish(consultation))
