"""The summary page: figures and charts of the feedback, usable while the consultation runs."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth import require_role
from ..i18n import localized
from ..labels import CHANNELS, ORGANISATION_KINDS, REASONS, RESPONDENT_TYPES, STANCES, STATUSES
from ..models import JobStatus, Role, Status
from ..services import jobs, stored_themes
from ..services.responses import DECISION_LABELS
from ..services.summary import NOTHING_YET, build_summary, load_texts, text_state
from . import bp, member_view
from .forms import RecomputeTextsForm, RecomputeThemesForm
from .themes import flash_job, theme_label


def chart_rows(summary) -> dict[str, list[tuple[str, int]]]:
    """The summary's figures as (label, value) rows in the page language, ready for a chart and its table."""
    return {
        "sections": [(f"{section.number}. {localized(section, 'title')}", count, distinct)
                     for section, count, distinct in summary.by_section],
        "paragraphs": [(_("Paragraph %(label)s", label=label), count) for label, count in summary.by_paragraph],
        "stances": [(str(STANCES.get(code, code)), count) for code, count in summary.by_stance],
        "respondents": [(str(RESPONDENT_TYPES.get(code, code)), count) for code, count in summary.by_respondent],
        "channels": [(str(CHANNELS.get(code, code)), count) for code, count in summary.by_channel],
        "positions": [(str(ORGANISATION_KINDS.get(kind, kind)), count) for kind, count in summary.positions_by_kind],
        "moderation": [(str(STATUSES[status]), summary.moderation.get(status, 0)) for status in Status.ALL],
        "rejected": [(str(REASONS.get(reason, reason)), count) for reason, count in summary.rejected_by_reason],
        "hidden": [(str(REASONS.get(reason, reason)), count) for reason, count in summary.hidden_by_reason],
        "decisions": [(str(DECISION_LABELS[code]), count) for code, count in summary.answers.by_decision.items()]
        + [(_("Not answered"), summary.answers.unanswered)],
    }


@bp.get("/<slug>/summary/")
@require_role(*Role.WORKING_GROUP)
@member_view
def summary(consultation, member):
    # Campaigns and keywords as last worked out in the background (a new run starts when comments changed).
    texts = text_state(consultation, current_user.id)
    result = build_summary(consultation, texts.analysis or NOTHING_YET)
    poll_rows = {poll.id: [(localized(item.option, "label"), item.votes) for item in results.options]
                 for poll, results in result.polls}
    # The themes of the whole consultation, or of the section chosen with ?themes=N.
    raw = request.args.get("themes", "")
    theme_section = next((s for s in result.sections if raw.isdigit() and len(raw) < 7 and s.number == int(raw)),
                         None)
    themes = stored_themes.overview(consultation, theme_section)
    scope = stored_themes.scope_of(theme_section)
    last_themes = jobs.latest(consultation, jobs.THEMES, scope)
    recompute_form = RecomputeThemesForm(formdata=None, section=str(theme_section.number) if theme_section else "")
    return render_template("workgroup/summary.html", consultation=consultation, summary=result,
                           charts=chart_rows(result), poll_rows=poll_rows, themes=themes,
                           theme_section=theme_section, recompute_form=recompute_form, texts=texts,
                           themes_job=jobs.active(consultation, jobs.THEMES, scope),
                           themes_failed=last_themes is not None and last_themes.status == JobStatus.FAILED,
                           texts_form=RecomputeTextsForm(formdata=None),
                           theme_chart=[(theme_label(view.theme), view.size) for view in themes.themes])


@bp.post("/<slug>/summary/recompute/")
@require_role(*Role.WORKING_GROUP)
@member_view
def recompute_texts(consultation, member):
    """Works out the campaigns and frequent words again, in the background."""
    if not RecomputeTextsForm().validate_on_submit():
        abort(400)
    job = jobs.enqueue(consultation, jobs.TEXTS, user_id=current_user.id)
    flash_job(job, lambda result: ngettext("The campaigns were worked out again: %(num)d campaign.",
                                           "The campaigns were worked out again: %(num)d campaigns.",
                                           len(result["campaigns"])))
    return redirect(url_for("workgroup.summary", slug=consultation.slug, _anchor="texts"), code=303)


CAMPAIGN_COPIES_SHOWN = 200


@bp.get("/<slug>/campaigns/<id:campaign_id>/")
@require_role(*Role.WORKING_GROUP)
@member_view
def campaign(consultation, member, campaign_id: int):
    """One campaign: its model text, its size, and each copy's word-level differences from the model."""
    analysis = text_state(consultation, current_user.id, start=False).analysis
    found = next((c for c in (analysis.campaigns if analysis else []) if c.id == campaign_id), None)
    if found is None:
        abort(404)
    load_texts(found, found.ids[:CAMPAIGN_COPIES_SHOWN])
    copies = [(item_id, segments) for item_id, segments in found.differences()[:CAMPAIGN_COPIES_SHOWN]]
    return render_template("workgroup/campaign.html", consultation=consultation, campaign=found, copies=copies,
                           shown=CAMPAIGN_COPIES_SHOWN)
