from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import pagecache, refusals
from ..auth import require_login
from ..extensions import limiter
from ..i18n import current_language
from ..models import Status
from ..services import comments, moderation, publication
from ..services.refusals import Refused
from ..site.comment_form import CommentForm
from ..site.routes import public_section, section_page
from ..web import EmptyForm
from . import bp
from .forms import EditCommentForm, ReportForm


def _comment_target(consultation, section) -> publication.CommentTarget:
    """Kept under the content generation like the section body, so a new version or paragraph counts at once."""
    return pagecache.remembered(("comment-target", section.id),
                                lambda: publication.comment_target(consultation, section))


def _user_key() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else request.remote_addr or "?"


@bp.post("/consultations/<slug>/sections/<id:number>/comments/")
@limiter.limit("10 per minute;100 per day", key_func=_user_key)
@limiter.limit("60 per minute")
def post_comment(slug: str, number: int):
    consultation, section = public_section(slug, number)
    if section is None:
        abort(404)
    blocked = comments.can_comment(consultation, section, current_user if current_user.is_authenticated else None)
    if blocked:
        if blocked == "anonymous":
            return redirect(url_for("account.login", next=url_for("site.section", slug=slug, number=number)))
        flash(refusals.message(f"comment.{blocked}"), "error")
        return section_page(consultation, section, status=403)
    form = CommentForm(language=current_language())
    target = _comment_target(consultation, section)
    form.set_paragraphs(section, target.paragraph_numbers, _("The whole section"))
    if not form.validate():
        return section_page(consultation, section, form=form, status=400)
    parent = form.parent.data or ""
    try:
        comment = comments.post_comment(consultation, section, current_user, comments.NewComment(
            stance=form.stance.data, body=form.body.data, show_name=form.publication.data == "name",
            language=form.language.data, idempotency_key=(form.idempotency_key.data or "")[:64] or
            comments.fingerprint(form.body.data),
            paragraph_number=int(form.paragraph.data) if form.paragraph.data and not parent else None,
            parent_id=int(parent) if parent.isdigit() and len(parent) < 10 else None), target=target)
    except Refused as refused:
        if refused.code == "comment.duplicate":
            form.body.errors = [*form.body.errors, refusals.message(refused)]
        else:
            flash(refusals.message(refused), "error")
        return section_page(consultation, section, form=form, status=400)
    if comment.status == Status.PENDING:
        flash(_("Thank you. Your comment is waiting for a moderator and will be published once approved."), "success")
    else:
        flash(_("Thank you. Your comment is published."), "success")
    return redirect(url_for("site.section", slug=slug, number=number) + f"#comment-{comment.id}", code=303)


def _own_or_404(comment_id: int):
    comment = comments.own_comment(comment_id, current_user)
    if comment is None:
        abort(404)
    return comment


def _back_to(comment) -> str:
    return url_for("site.section", slug=comment.consultation.slug, number=comment.section.number)


@bp.route("/comments/<id:comment_id>/edit/", methods=["GET", "POST"])
@require_login
def edit_comment(comment_id: int):
    comment = _own_or_404(comment_id)
    if comment.status != Status.PENDING:
        flash(refusals.message("comment.not_pending"), "error")
        return redirect(_back_to(comment), code=303)
    form = EditCommentForm(data={"stance": comment.stance, "body": comment.body, "language": comment.language,
                                 "publication": "name" if comment.show_name else "type"}
                           if request.method == "GET" else {"language": comment.language})
    if form.validate_on_submit():
        try:
            comments.edit_comment(comment, form.stance.data, form.body.data, form.publication.data == "name",
                                  form.language.data)
        except Refused as refused:
            form.body.errors = [*form.body.errors, refusals.message(refused)]
        else:
            flash(_("Your comment has been changed."), "success")
            return redirect(_back_to(comment) + f"#comment-{comment.id}", code=303)
    status = 400 if form.errors else 200
    return render_template("participation/edit.html", form=form, comment=comment), status


@bp.route("/comments/<id:comment_id>/withdraw/", methods=["GET", "POST"])
@require_login
def withdraw_comment(comment_id: int):
    """GET asks first (what withdrawing means, Confirm or Cancel); the POST withdraws."""
    comment = _own_or_404(comment_id)
    if request.method == "GET":
        if comment.status != Status.PENDING:
            flash(refusals.message("comment.not_pending"), "error")
            return redirect(_back_to(comment), code=303)
        return render_template(
            "confirm.html", form=EmptyForm(), heading=_("Withdraw your comment?"), quote=comment.body,
            quote_lang=comment.language, button=_("Withdraw the comment"),
            explanation=[_("The comment will not be published and you can no longer change it. "
                           "It stays in the record of the consultation as withdrawn.")],
            action=url_for(".withdraw_comment", comment_id=comment.id),
            cancel=_back_to(comment) + f"#comment-{comment.id}")
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        comments.withdraw_comment(comment)
    except Refused as refused:
        flash(refusals.message(refused), "error")
    else:
        flash(_("Your comment has been withdrawn."), "success")
    return redirect(_back_to(comment), code=303)


@bp.route("/comments/<id:comment_id>/report/", methods=["GET", "POST"])
@require_login
@limiter.limit("20 per hour", key_func=_user_key, methods=["POST"])
def report_comment(comment_id: int):
    comment = moderation.public_comment(comment_id)
    if comment is None:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        moderation.report_comment(comment, current_user, form.reason.data, form.note.data or "")
        flash(_("Thank you. The moderators will look at this comment."), "success")
        return redirect(_back_to(comment) + f"#comment-{comment.id}", code=303)
    return render_template("participation/report.html", form=form, comment=comment), 400 if form.errors else 200
