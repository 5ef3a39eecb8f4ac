"""Themes on the working group's pages: working them out again, a theme's page, renaming, merging, moving.

The summary page shows the themes (see summary.py); every change here is a POST with a CSRF
token that redirects back (Post/Redirect/Get), or shows the page again with a message
beside the field when the input is wrong.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import refusals
from ..auth import require_role
from ..models import JobStatus, Role
from ..services import feedback, jobs, stored_themes
from ..services.refusals import Refused
from ..web import page_number
from . import bp, member_view
from .forms import MergeThemeForm, MoveThemeForm, RecomputeThemesForm, RenameThemeForm


def theme_label(theme) -> str:
    """A theme's name in the page language: the working group's name, its key phrases, or "Other"."""
    return stored_themes.display_label(theme)


@bp.record_once
def _theme_label(state):
    # A global, not a context variable, so that imported macros see it too.
    state.app.jinja_env.globals["theme_label"] = theme_label


def section_by_number(consultation, raw: str | None):
    """The consultation's section with this number, None for the whole consultation; 404 for an unknown one."""
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 6:
        abort(404)
    found = next((s for s in feedback.sections(consultation) if s.number == int(raw)), None)
    if found is None:
        abort(404)
    return found


def _summary_url(consultation, section=None) -> str:
    return url_for("workgroup.summary", slug=consultation.slug, themes=section.number if section else None,
                   _anchor="themes")


@bp.post("/<slug>/themes/recompute/")
@require_role(*Role.WORKING_GROUP)
@member_view
def recompute_themes(consultation, member):
    form = RecomputeThemesForm()
    if not form.validate_on_submit():
        abort(400)
    section = section_by_number(consultation, form.section.data)
    job = jobs.enqueue(consultation, jobs.THEMES, stored_themes.scope_of(section), current_user.id)
    flash_job(job, lambda result: ngettext("The themes were worked out again: %(num)d theme.",
                                           "The themes were worked out again: %(num)d themes.", result["themes"]))
    back = request.form.get("back_to_theme", "")
    if back.isdigit() and len(back) < 10 and stored_themes.theme(consultation, int(back)) is not None:
        return redirect(url_for("workgroup.theme", slug=consultation.slug, theme_id=int(back)), code=303)
    return redirect(_summary_url(consultation, section), code=303)


def flash_job(job, done_message) -> None:
    """What became of a job just asked for: done at once (the in-process runner of tests), failed,
    or on its way (the usual case: the page then shows its progress)."""
    if job.status == JobStatus.DONE:
        flash(done_message(jobs.result_of(job)), "success")
    elif job.status == JobStatus.FAILED:
        flash(_("The last attempt to work this out failed. Try again; if it fails again, tell the site's "
                "administrators."), "error")
    else:
        flash(_("It is being worked out in the background: the page shows how far it got."), "success")


def _theme_or_404(consultation, theme_id: int):
    found = stored_themes.theme(consultation, theme_id)
    if found is None:
        abort(404)
    return found


def render_theme(consultation, theme, rename_form=None, merge_form=None, move_form=None, status: int = 200):
    """The theme's page: its figures and quotes, its members a page at a time, and the three forms."""
    others = [t for t in stored_themes.set_themes(theme.theme_set) if t.id != theme.id]
    rename_form = rename_form or RenameThemeForm(formdata=None, name=theme.name or "")
    merge_form = merge_form or MergeThemeForm(formdata=None)
    merge_form.set_choices(others, theme_label)
    move_form = move_form or MoveThemeForm(formdata=None)
    move_form.set_choices(others, theme_label)
    members = stored_themes.members_page(theme, page_number())
    items = feedback.items_of(consultation, members.refs)
    (view,) = stored_themes.views([theme]) or [stored_themes.ThemeView(theme)]
    failed = next((f for f in (rename_form, merge_form, move_form) if f.errors), None)
    scope = theme.theme_set.scope
    last = jobs.latest(consultation, jobs.THEMES, scope)
    return render_template(
        "workgroup/theme.html", consultation=consultation, theme=theme, view=view, section=theme.theme_set.section,
        others=others, rename_form=rename_form, merge_form=merge_form, move_form=move_form, form=failed,
        members=members, items=items, selected=set(move_form.items.data or []),
        back=_summary_url(consultation, theme.theme_set.section), recompute_form=RecomputeThemesForm(
            formdata=None, section=str(theme.theme_set.section.number) if theme.theme_set.section else ""),
        themes_job=jobs.active(consultation, jobs.THEMES, scope),
        themes_failed=last is not None and last.status == JobStatus.FAILED), status


@bp.get("/<slug>/themes/<id:theme_id>/")
@require_role(*Role.WORKING_GROUP)
@member_view
def theme(consultation, member, theme_id: int):
    return render_theme(consultation, _theme_or_404(consultation, theme_id))


@bp.post("/<slug>/themes/<id:theme_id>/rename/")
@require_role(*Role.WORKING_GROUP)
@member_view
def rename_theme(consultation, member, theme_id: int):
    found = _theme_or_404(consultation, theme_id)
    form = RenameThemeForm()
    if not form.validate_on_submit():
        return render_theme(consultation, found, rename_form=form, status=400)
    try:
        stored_themes.rename(consultation, found.id, form.name.data, current_user.id)
    except Refused as refused:
        refusals.show(refused, form)
        return render_theme(consultation, found, rename_form=form, status=400)
    flash(_("The theme is now called “%(name)s”.", name=found.name), "success")
    return redirect(url_for("workgroup.theme", slug=consultation.slug, theme_id=found.id), code=303)


@bp.post("/<slug>/themes/<id:theme_id>/merge/")
@require_role(*Role.WORKING_GROUP)
@member_view
def merge_theme(consultation, member, theme_id: int):
    found = _theme_or_404(consultation, theme_id)
    form = MergeThemeForm()
    form.set_choices([t for t in stored_themes.set_themes(found.theme_set) if t.id != found.id], theme_label)
    if not form.validate_on_submit():
        return render_theme(consultation, found, merge_form=form, status=400)
    merged_label = theme_label(found)
    try:
        target = stored_themes.merge(consultation, found.id, int(form.into.data))
    except Refused as refused:
        refusals.show(refused, form)
        return render_theme(consultation, found, merge_form=form, status=400)
    flash(_("“%(merged)s” is now part of this theme.", merged=merged_label), "success")
    return redirect(url_for("workgroup.theme", slug=consultation.slug, theme_id=target.id), code=303)


@bp.post("/<slug>/themes/<id:theme_id>/move/")
@require_role(*Role.WORKING_GROUP)
@member_view
def move_to_theme(consultation, member, theme_id: int):
    found = _theme_or_404(consultation, theme_id)
    form = MoveThemeForm()
    form.set_choices([t for t in stored_themes.set_themes(found.theme_set) if t.id != found.id], theme_label)
    if not form.validate_on_submit():
        return render_theme(consultation, found, move_form=form, status=400)
    try:
        count = stored_themes.move(consultation, form.items.data, int(form.into.data), current_user.id)
    except Refused as refused:
        refusals.show(refused, form)
        return render_theme(consultation, found, move_form=form, status=400)
    target = stored_themes.theme(consultation, int(form.into.data))
    flash(ngettext("%(num)d item moved to “%(theme)s”.", "%(num)d items moved to “%(theme)s”.", count,
                   theme=theme_label(target)), "success")
    if stored_themes.theme(consultation, found.id) is None:   # it was left empty and is gone
        return redirect(url_for("workgroup.theme", slug=consultation.slug, theme_id=target.id), code=303)
    return redirect(url_for("workgroup.theme", slug=consultation.slug, theme_id=found.id), code=303)
