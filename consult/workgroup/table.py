"""The feedback table: every comment and position of a consultation, filtered, paged, tagged and assigned
(to a subgroup or a member), and the drafts approved in bulk."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from .. import refusals
from ..auth import require_role
from ..i18n import localized
from ..models import Role
from ..services import feedback, stored_themes, workflow
from ..services.refusals import Refused
from ..services.summary import analyse_texts
from ..web import page_number
from . import bp, member_view
from .forms import BulkForm, FilterForm
from .themes import theme_label

FILTER_KEYS = ("q", "kind", "section", "paragraph", "stance", "respondent", "status", "tag", "subgroup", "campaign",
               "theme", "decision", "assignee", "date_from", "date_to", "per_page", "channel")


def _filter_args() -> dict[str, str]:
    """The table's filters from the query string (known keys only), for links that keep them."""
    return {key: request.args[key][:200] for key in FILTER_KEYS if request.args.get(key)}


@bp.get("/")
@require_role(*Role.WORKING_GROUP)
def index():
    return render_template("workgroup/index.html", consultations=feedback.member_consultations(current_user),
                           assigned=workflow.assigned_counts(current_user))


@dataclass
class TableFilters:
    form: FilterForm
    filters: feedback.Filters
    tags: list
    subgroups: list
    members: list
    themes: list  # (theme, section or None) of every stored theme set of the consultation


def table_filters(consultation, member) -> TableFilters:
    """The table's filters from the query string, with the choices they are checked against (the bulk
    response page reads the same filters, so "respond to all" answers exactly what the table showed)."""
    filter_form = FilterForm(request.args)
    known_tags = feedback.tags(consultation)
    known_subgroups = feedback.subgroups(consultation)
    known_campaigns = analyse_texts(consultation).campaigns
    all_themes = stored_themes.consultation_themes(consultation)
    known_themes = [(t, theme_label(t), section) for t, section in all_themes]
    members = feedback.member_choices(consultation)
    filter_form.set_choices(feedback.sections(consultation), feedback.paragraph_labels(consultation), known_tags,
                            known_subgroups, localized, known_campaigns, known_themes, members)
    filter_form.validate()
    filters = filter_form.to_filters(known_tags, known_subgroups, known_campaigns, known_themes, members, member)
    return TableFilters(filter_form, filters, known_tags, known_subgroups, members, all_themes)


def render_table(consultation, member, bulk_form: BulkForm | None = None, status: int = 200):
    current = table_filters(consultation, member)
    filter_form, filters = current.form, current.filters
    if filter_form.errors and status == 200:
        status = 400
    per_page = filter_form.per_page_value()
    page = feedback.feedback_page(consultation, filters, page_number(), per_page)
    # Each row's theme in the whole consultation's set (as the exports have it); none: no query.
    item_themes = stored_themes.ItemThemes(consultation, [t for t, section in current.themes if section is None]).of(
        [e.item.id for e in page.items if e.kind == "comment"], [e.item.id for e in page.items if e.kind == "position"])
    if bulk_form is None:
        bulk_form = BulkForm(formdata=None)
    bulk_form.set_choices(current.subgroups, localized, current.members)
    query = _filter_args()
    assignees = {m.id: m.user.display_name for m in current.members}
    return render_template(
        "workgroup/table.html", consultation=consultation, member=member, filter_form=filter_form,
        bulk_form=bulk_form, form=bulk_form if bulk_form.errors else filter_form,
        result=page, filters=filters, query=query, query_string=urlencode(query), tags=current.tags,
        subgroups=current.subgroups, selected=set(bulk_form.items.data or []), assignees=assignees,
        item_themes=item_themes,
        assigned_to_me=workflow.assigned_count(consultation, member), approver=workflow.is_approver(member),
    ), status


@bp.get("/<slug>/")
@require_role(*Role.WORKING_GROUP)
@member_view
def table(consultation, member):
    return render_table(consultation, member)


@bp.post("/<slug>/bulk/")
@require_role(*Role.WORKING_GROUP)
@member_view
def bulk(consultation, member):
    """Tags, untags or assigns the checked rows, or opens the response form for them."""
    form = BulkForm()
    form.set_choices(feedback.subgroups(consultation), localized, feedback.member_choices(consultation))
    if not form.validate_on_submit():
        return render_table(consultation, member, bulk_form=form, status=400)
    refs = form.items.data
    back = url_for("workgroup.table", slug=consultation.slug, **_filter_args(), page=page_number())
    if form.action.data == "answer":
        return redirect(url_for("workgroup.new_response", slug=consultation.slug, items=refs, back=back), code=303)
    if form.action.data == "approve" and not workflow.is_approver(member):
        abort(403)
    try:
        if form.action.data == "approve":
            count = workflow.approve_items(consultation, refs, member)
            flash(ngettext("%(num)d response approved.", "%(num)d responses approved.", count), "success")
        elif form.action.data == "assign_member":
            assignee_id = None if form.assignee.data == "none" else int(form.assignee.data)
            count = workflow.assign(consultation, refs, assignee_id, current_user)
            if assignee_id is None:
                flash(ngettext("%(num)d item is no longer assigned to anybody.",
                               "%(num)d items are no longer assigned to anybody.", count), "success")
            else:
                name = feedback.member(consultation, assignee_id).user.display_name
                flash(ngettext("%(num)d item assigned to %(name)s.", "%(num)d items assigned to %(name)s.", count,
                               name=name), "success")
        elif form.action.data == "tag":
            count = feedback.tag_items(consultation, refs, form.tag.data)
            flash(ngettext("Tag “%(tag)s” added to %(num)d item.", "Tag “%(tag)s” added to %(num)d items.",
                           count, tag=feedback.normalise_tag(form.tag.data)), "success")
        elif form.action.data == "untag":
            count = feedback.untag_items(consultation, refs, form.tag.data)
            flash(ngettext("Tag “%(tag)s” removed from %(num)d item.", "Tag “%(tag)s” removed from %(num)d items.",
                           count, tag=feedback.normalise_tag(form.tag.data)), "success")
        else:
            subgroup_id = None if form.subgroup.data == "none" else int(form.subgroup.data)
            count = feedback.assign_subgroup(consultation, refs, subgroup_id)
            if subgroup_id is None:
                flash(ngettext("%(num)d item is no longer assigned to a subgroup.",
                               "%(num)d items are no longer assigned to a subgroup.", count), "success")
            else:
                group = feedback.subgroup(consultation, subgroup_id)
                flash(ngettext("%(num)d item assigned to “%(group)s”.", "%(num)d items assigned to “%(group)s”.",
                               count, group=localized(group, "name")), "success")
    except Refused as refused:
        if refused.code == "workflow.not_allowed":
            abort(403)
        refusals.show(refused, form, default="items")
        return render_table(consultation, member, bulk_form=form, status=400)
    return redirect(back, code=303)
