"""The feedback table: every comment and position of a consultation, filtered, paged, tagged and assigned."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from ..auth import require_role
from ..i18n import localized
from ..models import Role
from ..services import feedback, stored_themes
from ..services.summary import analyse_texts
from . import bp, member_view
from .forms import BulkForm, FilterForm
from .themes import theme_label

REFUSALS = {
    "no_items": _l("Select at least one item in the table."),
    "tag": _l("A tag name has 1 to 60 characters."),
    "unknown_tag": _l("No item has this tag, so nothing was removed."),
    "subgroup": _l("Choose a subgroup."),
}


def _page() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


FILTER_KEYS = ("q", "kind", "section", "paragraph", "stance", "respondent", "status", "tag", "subgroup", "campaign",
               "theme", "decision", "date_from", "date_to", "per_page", "channel")


def _filter_args() -> dict[str, str]:
    """The table's filters from the query string (known keys only), for links that keep them."""
    return {key: request.args[key][:200] for key in FILTER_KEYS if request.args.get(key)}


@bp.get("/")
@require_role(Role.WORKGROUP)
def index():
    return render_template("workgroup/index.html", consultations=feedback.member_consultations(current_user))


def render_table(consultation, member, bulk_form: BulkForm | None = None, status: int = 200):
    filter_form = FilterForm(request.args)
    sections = feedback.sections(consultation)
    known_tags = feedback.tags(consultation)
    known_subgroups = feedback.subgroups(consultation)
    known_campaigns = analyse_texts(consultation).campaigns
    all_themes = stored_themes.consultation_themes(consultation)
    known_themes = [(t, theme_label(t), section) for t, section in all_themes]
    filter_form.set_choices(sections, feedback.paragraph_labels(consultation), known_tags, known_subgroups, localized,
                            known_campaigns, known_themes)
    if not filter_form.validate() and status == 200:
        status = 400
    filters = filter_form.to_filters(known_tags, known_subgroups, known_campaigns, known_themes)
    per_page = filter_form.per_page_value()
    page = feedback.feedback_page(consultation, filters, _page(), per_page)
    # Each row's theme in the whole consultation's set (as the exports have it); none: no query.
    item_themes = stored_themes.ItemThemes(consultation, [t for t, section in all_themes if section is None]).of(
        [e.item.id for e in page.items if e.kind == "comment"], [e.item.id for e in page.items if e.kind == "position"])
    if bulk_form is None:
        bulk_form = BulkForm(formdata=None)
    bulk_form.set_choices(known_subgroups, localized)
    query = _filter_args()
    return render_template(
        "workgroup/table.html", consultation=consultation, member=member, filter_form=filter_form,
        bulk_form=bulk_form, form=bulk_form if bulk_form.errors else filter_form,
        result=page, filters=filters, query=query, query_string=urlencode(query), tags=known_tags,
        subgroups=known_subgroups, selected=set(bulk_form.items.data or []), item_themes=item_themes,
    ), status


@bp.get("/<slug>/")
@require_role(Role.WORKGROUP)
@member_view
def table(consultation, member):
    return render_table(consultation, member)


@bp.post("/<slug>/bulk/")
@require_role(Role.WORKGROUP)
@member_view
def bulk(consultation, member):
    """Tags, untags or assigns the checked rows, or opens the response form for them."""
    form = BulkForm()
    form.set_choices(feedback.subgroups(consultation), localized)
    if not form.validate_on_submit():
        return render_table(consultation, member, bulk_form=form, status=400)
    refs = form.items.data
    back = url_for("workgroup.table", slug=consultation.slug, **_filter_args(), page=_page())
    if form.action.data == "answer":
        return redirect(url_for("workgroup.new_response", slug=consultation.slug, items=refs, back=back), code=303)
    try:
        if form.action.data == "tag":
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
    except feedback.FeedbackRefused as refused:
        target = form.subgroup if refused.code == "subgroup" else form.tag if refused.code in ("tag", "unknown_tag") \
            else form.items
        target.errors = list(target.errors) + [str(REFUSALS.get(refused.code, _("This could not be done.")))]
        return render_table(consultation, member, bulk_form=form, status=400)
    return redirect(back, code=303)
