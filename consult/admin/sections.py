"""Sections (number, titles, publication time), their paragraphs in the draft version, and subgroups."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..auth import require_role
from ..models import Role
from ..services import authoring
from ..services.refusals import Refused
from ..web import EmptyForm
from . import bp
from .common import (
    confirm_delete,
    consultation_or_404,
    deleted,
    flash_refusal,
    in_page_language,
    refusal_message,
)
from .forms import ParagraphForm, SectionForm, SubgroupForm, choices


def _section_or_404(item, number: int):
    found = authoring.section(item, number)
    if found is None:
        abort(404)
    return found


def _text_published_notice(text_published: bool) -> None:
    if text_published:
        flash(_("Version 1 of the text is published together with this section."), "success")


@bp.get("/consultations/<id:consultation_id>/sections/")
@require_role(Role.EDITOR)
def sections(consultation_id: int):
    item = consultation_or_404(consultation_id)
    draft = authoring.draft_version(item)
    latest = authoring.latest_version(item)
    return render_template("admin/sections.html", consultation=item, sections=authoring.sections(item),
                           draft=draft, latest=latest,
                           counts=authoring.section_paragraph_counts(item, latest),
                           button_form=EmptyForm(formdata=None))


def _section_values(form: SectionForm, item, found=None):
    """(number, published_at) from a valid form, or None with messages beside the fields."""
    exclude_id = found.id if found else None
    valid = form.validate_on_submit()
    published_at = form.read_when("publish")
    if not valid or form.publish_date.errors or form.publish_time.errors:
        return None
    if not form.past_time_confirmed("publish", published_at, found.published_at if found else None):
        return None
    number = int(form.number.data)
    if authoring.section_number_taken(item, number, exclude_id=exclude_id):
        form.number.errors.append(_l("Another section already has this number."))
        return None
    return number, published_at


@bp.route("/consultations/<id:consultation_id>/sections/new/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def new_section(consultation_id: int):
    item = consultation_or_404(consultation_id)
    if request.method == "POST":
        form = SectionForm()
        values = _section_values(form, item)
        if values is not None:
            try:
                section, text_published = authoring.add_section(item, values[0], form.title_lv.data,
                                                                form.title_en.data or "", values[1])
            except Refused as refused:
                form.number.errors.append(refusal_message(refused))
            else:
                flash(_("Section %(number)d added.", number=section.number), "success")
                _text_published_notice(text_published)
                return redirect(url_for("admin.section", consultation_id=item.id, number=section.number), code=303)
        return render_template("admin/section_form.html", consultation=item, section=None, form=form), 400
    existing = authoring.sections(item)
    form = SectionForm(formdata=None, number=str((existing[-1].number if existing else 0) + 1))
    return render_template("admin/section_form.html", consultation=item, section=None, form=form)


@bp.route("/consultations/<id:consultation_id>/sections/<id:number>/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def section(consultation_id: int, number: int):
    item = consultation_or_404(consultation_id)
    found = _section_or_404(item, number)
    draft = authoring.draft_version(item)
    latest = authoring.latest_version(item)
    status = 200
    if request.method == "POST":
        form = SectionForm()
        values = _section_values(form, item, found)
        if values is not None:
            try:
                text_published = authoring.update_section(found, values[0], form.title_lv.data,
                                                          form.title_en.data or "", values[1])
            except Refused as refused:
                form.number.errors.append(refusal_message(refused))
            else:
                flash(_("Changes saved."), "success")
                _text_published_notice(text_published)
                return redirect(url_for("admin.section", consultation_id=item.id, number=found.number), code=303)
        status = 400
    else:
        form = SectionForm(formdata=None, number=str(found.number), title_lv=found.title_lv,
                           title_en=found.title_en)
        form.fill_when("publish", found.published_at)
    shown = draft or latest
    return render_template("admin/section.html", consultation=item, section=found, form=form, draft=draft,
                           shown_version=shown, paragraphs=authoring.paragraphs(found, shown),
                           button_form=EmptyForm(formdata=None)), status


@bp.post("/consultations/<id:consultation_id>/sections/<id:number>/publish/")
@require_role(Role.EDITOR)
def publish_section(consultation_id: int, number: int):
    item = consultation_or_404(consultation_id)
    found = _section_or_404(item, number)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        text_published = authoring.publish_section_now(found)
    except Refused as refused:
        flash_refusal(refused)
    else:
        flash(_("Section %(number)d is published.", number=found.number), "success")
        _text_published_notice(text_published)
    back = request.form.get("back", "")
    if back == "list":
        return redirect(url_for("admin.sections", consultation_id=item.id), code=303)
    return redirect(url_for("admin.section", consultation_id=item.id, number=found.number), code=303)


@bp.route("/consultations/<id:consultation_id>/sections/<id:number>/delete/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def delete_section(consultation_id: int, number: int):
    """GET asks first; the POST deletes (only a section without text and comments)."""
    item = consultation_or_404(consultation_id)
    found = _section_or_404(item, number)
    if request.method == "GET":
        return confirm_delete(
            found, "title", _("Delete section %(number)d", number=found.number), _("Delete the section"),
            [_("The section is removed for good. Only a section without text and without comments can be deleted.")],
            action=url_for("admin.delete_section", consultation_id=item.id, number=found.number),
            cancel=url_for("admin.section", consultation_id=item.id, number=found.number),
            middle=(_("Sections"), url_for("admin.sections", consultation_id=item.id)), consultation=item)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        authoring.delete_section(found)
    except Refused as refused:
        flash_refusal(refused)
        return redirect(url_for("admin.section", consultation_id=item.id, number=number), code=303)
    flash(_("Section %(number)d deleted.", number=number), "success")
    return redirect(url_for("admin.sections", consultation_id=item.id), code=303)


# ---------------------------------------------------------------------------
# Paragraphs of the draft version

def _draft_or_redirect(item):
    draft = authoring.draft_version(item)
    if draft is None:
        flash(_("Every version is published. Start a new version to change the text."), "error")
    return draft


@bp.route("/consultations/<id:consultation_id>/sections/<id:number>/paragraphs/new/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def new_paragraph(consultation_id: int, number: int):
    item = consultation_or_404(consultation_id)
    found = _section_or_404(item, number)
    draft = _draft_or_redirect(item)
    if draft is None:
        return redirect(url_for("admin.versions", consultation_id=item.id), code=303)
    if request.method == "POST":
        form = ParagraphForm()
        if form.validate_on_submit():
            try:
                paragraph = authoring.add_paragraph(found, draft, form.text_lv.data, form.text_en.data or "")
            except Refused as refused:
                flash_refusal(refused)
            else:
                flash(_("Paragraph %(label)s added.", label=f"{found.number}.{paragraph.number}"), "success")
                return redirect(url_for("admin.section", consultation_id=item.id, number=found.number), code=303)
        return render_template("admin/paragraph_form.html", consultation=item, section=found, version=draft,
                               paragraph=None, form=form), 400
    return render_template("admin/paragraph_form.html", consultation=item, section=found, version=draft,
                           paragraph=None, form=ParagraphForm(formdata=None))


@bp.route("/consultations/<id:consultation_id>/sections/<id:number>/paragraphs/<id:paragraph_number>/",
          methods=["GET", "POST"])
@require_role(Role.EDITOR)
def paragraph(consultation_id: int, number: int, paragraph_number: int):
    item = consultation_or_404(consultation_id)
    found = _section_or_404(item, number)
    draft = _draft_or_redirect(item)
    if draft is None:
        return redirect(url_for("admin.versions", consultation_id=item.id), code=303)
    target = authoring.paragraph(found, draft, paragraph_number)
    if target is None:
        abort(404)
    if request.method == "POST":
        form = ParagraphForm()
        if form.validate_on_submit():
            authoring.update_paragraph(target, form.text_lv.data, form.text_en.data or "")
            flash(_("Paragraph %(label)s saved.", label=f"{found.number}.{target.number}"), "success")
            return redirect(url_for("admin.section", consultation_id=item.id, number=found.number)
                            + f"#p-{found.number}.{target.number}", code=303)
        status = 400
    else:
        form = ParagraphForm(formdata=None, text_lv=target.text_lv, text_en=target.text_en)
        status = 200
    siblings = authoring.paragraphs(found, draft)
    can_delete = bool(siblings) and siblings[-1].id == target.id
    return render_template("admin/paragraph_form.html", consultation=item, section=found, version=draft,
                           paragraph=target, form=form, can_delete=can_delete), status


@bp.route("/consultations/<id:consultation_id>/sections/<id:number>/paragraphs/<id:paragraph_number>/delete/",
          methods=["GET", "POST"])
@require_role(Role.EDITOR)
def delete_paragraph(consultation_id: int, number: int, paragraph_number: int):
    """GET asks first, showing the paragraph's text; the POST deletes it (only the last one)."""
    item = consultation_or_404(consultation_id)
    found = _section_or_404(item, number)
    if request.method == "POST" and not EmptyForm().validate_on_submit():
        abort(400)
    draft = _draft_or_redirect(item)
    if draft is None:
        return redirect(url_for("admin.versions", consultation_id=item.id), code=303)
    target = authoring.paragraph(found, draft, paragraph_number)
    if target is None:
        abort(404)
    if request.method == "GET":
        label = f"{found.number}.{paragraph_number}"
        return confirm_delete(
            target, "text", _("Delete paragraph %(label)s", label=label), _("Delete the paragraph"),
            [_("The paragraph is removed from the draft version for good.")],
            action=url_for("admin.delete_paragraph", consultation_id=item.id, number=found.number,
                           paragraph_number=paragraph_number),
            cancel=url_for("admin.paragraph", consultation_id=item.id, number=found.number,
                           paragraph_number=paragraph_number),
            middle=(_("Section %(number)d", number=found.number),
                    url_for("admin.section", consultation_id=item.id, number=found.number)), consultation=item)
    try:
        authoring.delete_last_paragraph(target)
    except Refused as refused:
        flash_refusal(refused)
    else:
        flash(_("Paragraph %(label)s deleted.", label=f"{found.number}.{paragraph_number}"), "success")
    return redirect(url_for("admin.section", consultation_id=item.id, number=found.number), code=303)


# ---------------------------------------------------------------------------
# Subgroups of the working group

@bp.get("/consultations/<id:consultation_id>/subgroups/")
@require_role(Role.EDITOR)
def subgroups(consultation_id: int):
    item = consultation_or_404(consultation_id)
    from ..services import publication
    return render_template("admin/subgroups.html", consultation=item,
                           subgroups=publication.subgroups_with_sections(item))


def _subgroup_form(item, group=None, formdata=True) -> SubgroupForm:
    form = SubgroupForm() if formdata else SubgroupForm(formdata=None)
    form.sections.choices = choices(
        (str(s.id), f"{s.number}. {in_page_language(s, 'title')}") for s in authoring.sections(item))
    if group is not None and not formdata:
        for key in ("name_lv", "name_en", "description_lv", "description_en"):
            getattr(form, key).data = getattr(group, key)
        form.position.data = str(group.position)
        form.sections.data = [str(s.id) for s in group.sections]
    return form


def _save_subgroup(item, group=None):
    form = _subgroup_form(item, group)
    if form.validate_on_submit():
        values = {key: getattr(form, key).data or "" for key in ("name_lv", "name_en", "description_lv",
                                                                   "description_en")}
        values["position"] = int(form.position.data) if form.position.data else 0
        authoring.save_subgroup(item, group, values, [int(v) for v in form.sections.data or []])
        flash(_("Subgroup saved."), "success")
        return redirect(url_for("admin.subgroups", consultation_id=item.id), code=303)
    return render_template("admin/subgroup_form.html", consultation=item, subgroup=group, form=form), 400


@bp.route("/consultations/<id:consultation_id>/subgroups/new/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def new_subgroup(consultation_id: int):
    item = consultation_or_404(consultation_id)
    if request.method == "POST":
        return _save_subgroup(item)
    return render_template("admin/subgroup_form.html", consultation=item, subgroup=None,
                           form=_subgroup_form(item, formdata=False))


@bp.route("/consultations/<id:consultation_id>/subgroups/<id:subgroup_id>/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def subgroup(consultation_id: int, subgroup_id: int):
    item = consultation_or_404(consultation_id)
    group = authoring.subgroup(item, subgroup_id)
    if group is None:
        abort(404)
    if request.method == "POST":
        return _save_subgroup(item, group)
    return render_template("admin/subgroup_form.html", consultation=item, subgroup=group,
                           form=_subgroup_form(item, group, formdata=False))


@bp.route("/consultations/<id:consultation_id>/subgroups/<id:subgroup_id>/delete/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def delete_subgroup(consultation_id: int, subgroup_id: int):
    item = consultation_or_404(consultation_id)
    group = authoring.subgroup(item, subgroup_id)
    if group is None:
        abort(404)
    if request.method == "GET":
        use = authoring.subgroup_use(group)
        explanation = [_("The subgroup is removed for good. Its members stay in the working group, and the comments "
                         "and positions assigned to it are no longer assigned to a subgroup.")]
        if use.members or use.comments or use.positions:
            explanation.append(_("Now it has %(members)s, %(comments)s and %(positions)s.",
                                 members=ngettext("%(num)d member", "%(num)d members", use.members),
                                 comments=ngettext("%(num)d assigned comment", "%(num)d assigned comments",
                                                   use.comments),
                                 positions=ngettext("%(num)d assigned position", "%(num)d assigned positions",
                                                    use.positions)))
        return confirm_delete(
            group, "name", _("Delete a subgroup"), _("Delete the subgroup"), explanation,
            action=url_for("admin.delete_subgroup", consultation_id=item.id, subgroup_id=group.id),
            cancel=url_for("admin.subgroup", consultation_id=item.id, subgroup_id=group.id),
            middle=(_("Subgroups"), url_for("admin.subgroups", consultation_id=item.id)), consultation=item)
    return deleted(lambda: authoring.delete_subgroup(group),
                   _("Subgroup “%(name)s” deleted.", name=in_page_language(group, "name")),
                   url_for("admin.subgroups", consultation_id=item.id))
