from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..auth import require_role
from ..extensions import db
from ..models import Comment, Role, User
from ..participation.forms import EmptyForm
from ..services import moderation, publication
from . import bp
from .forms import DecisionForm

REFUSALS = {
    "own": _l("You cannot moderate your own comment or account."),
    "state": _l("This item has changed in the meantime; nothing was done."),
    "staff": _l("Only an administrator can suspend a staff account."),
}


def _page() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


def _comment_or_404(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id) if 0 < comment_id <= publication.MAX_ID else None
    if comment is None:
        abort(404)
    return comment


def _back():
    target = request.form.get("back", "")
    if target.startswith(url_for("moderation.queue")):
        return redirect(target, code=303)
    return redirect(url_for("moderation.queue"), code=303)


@bp.get("/")
@require_role(Role.MODERATOR)
def queue():
    filter_ = request.args.get("show", "todo")
    if filter_ not in moderation.QUEUE_FILTERS:
        filter_ = "todo"
    slug = request.args.get("consultation", "")
    consultation = publication.public_consultation(slug) if slug else None
    page = _page()
    result = moderation.queue(filter_, consultation, page)
    return render_template("moderation/queue.html", result=result, filter_=filter_, page=page,
                           consultation=consultation, consultations=publication.public_consultations(),
                           decision_form=DecisionForm(formdata=None), button_form=EmptyForm())


def _decide(comment_id: int, action):
    comment = _comment_or_404(comment_id)
    try:
        action(comment)
    except moderation.ModerationRefused as refused:
        flash(REFUSALS[refused.code], "error")
        return False
    return True


@bp.post("/comments/<int:comment_id>/approve/")
@require_role(Role.MODERATOR)
def approve(comment_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    if _decide(comment_id, lambda c: moderation.approve(c, current_user)):
        flash(_("Comment approved and published."), "success")
    return _back()


def _with_reason(comment_id: int, action, done_message: str):
    form = DecisionForm()
    if not form.validate_on_submit():
        comment = _comment_or_404(comment_id)
        return render_template("moderation/decide.html", form=form, comment=comment,
                               action=request.endpoint.rsplit(".", 1)[1]), 400
    if _decide(comment_id, lambda c: action(c, current_user, form.reason.data, form.note.data or "")):
        flash(done_message, "success")
    return _back()


@bp.route("/comments/<int:comment_id>/reject/", methods=["GET", "POST"])
@require_role(Role.MODERATOR)
def reject(comment_id: int):
    if request.method == "GET":
        return render_template("moderation/decide.html", form=DecisionForm(formdata=None),
                               comment=_comment_or_404(comment_id), action="reject")
    return _with_reason(comment_id, moderation.reject, _("Comment rejected. The author has been told why."))


@bp.route("/comments/<int:comment_id>/hide/", methods=["GET", "POST"])
@require_role(Role.MODERATOR)
def hide(comment_id: int):
    if request.method == "GET":
        return render_template("moderation/decide.html", form=DecisionForm(formdata=None),
                               comment=_comment_or_404(comment_id), action="hide")
    return _with_reason(comment_id, moderation.hide, _("Comment hidden. Its place now says why."))


@bp.post("/comments/<int:comment_id>/unhide/")
@require_role(Role.MODERATOR)
def unhide(comment_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    if _decide(comment_id, lambda c: moderation.unhide(c, current_user)):
        flash(_("The comment is public again."), "success")
    return _back()


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id) if 0 < user_id <= publication.MAX_ID else None
    if user is None:
        abort(404)
    return user


@bp.post("/users/<int:user_id>/suspend/")
@require_role(Role.MODERATOR)
def suspend(user_id: int):
    user = _user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        moderation.suspend(user, current_user)
    except moderation.ModerationRefused as refused:
        flash(REFUSALS[refused.code], "error")
    else:
        flash(_("The account is suspended: it can no longer sign in or post."), "success")
    return _back()


@bp.post("/users/<int:user_id>/reinstate/")
@require_role(Role.MODERATOR)
def reinstate(user_id: int):
    user = _user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    moderation.reinstate(user, current_user)
    flash(_("The account is active again."), "success")
    return _back()


@bp.get("/log/")
@require_role(Role.MODERATOR)
def log():
    page = _page()
    events, total = moderation.audit_log(page)
    pages = max(1, -(-total // 50))
    return render_template("moderation/log.html", events=events, page=page, pages=pages)
