from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import refusals
from ..auth import require_role
from ..models import Comment, Position, Role, User
from ..services import ids, moderation, publication
from ..services.refusals import Refused
from ..web import EmptyForm, page_number
from . import bp
from .forms import DecisionForm

# What a decision on a position is refused for, where it differs from a comment.
# What each decision did, for comments and for positions.
DONE = {
    ("approve", "comments"): _l("Comment approved and published."),
    ("approve", "positions"): _l("Position approved and published."),
    ("reject", "comments"): _l("Comment rejected. The author has been told why."),
    ("reject", "positions"): _l("Position rejected. The author has been told why."),
    ("hide", "comments"): _l("Comment hidden. Its place now says why."),
    ("hide", "positions"): _l("Position hidden: it is no longer public. The author has been told why."),
    ("unhide", "comments"): _l("The comment is public again."),
    ("unhide", "positions"): _l("The position is public again."),
}



ITEM = "<any(comments, positions):kind>/<id:item_id>"
MODELS = {"comments": Comment, "positions": Position}


def _item_or_404(item_id: int, kind: str = "comments"):
    """The comment or position being moderated."""
    item = ids.get(MODELS[kind], item_id)
    if item is None:
        abort(404)
    return item


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
    page = page_number()
    kind = request.args.get("type", "comments")
    if kind not in MODELS:
        kind = "comments"
    order = request.args.get("order", "oldest")
    if order not in moderation.QUEUE_ORDERS:
        order = "oldest"
    result = (moderation.queue if kind == "comments" else moderation.position_queue)(filter_, consultation, page,
                                                                                     order=order)
    return render_template("moderation/queue.html", result=result, filter_=filter_, page=page, kind=kind, order=order,
                           consultation=consultation, consultations=publication.public_consultations(),
                           decision_form=DecisionForm(formdata=None), button_form=EmptyForm())


def _decide(item_id: int, action, kind: str = "comments"):
    item = _item_or_404(item_id, kind)
    try:
        action(item)
    except Refused as refused:
        own_position = kind == "positions" and refused.code == "moderation.own"
        flash(refusals.message("moderation.own_position" if own_position else refused), "error")
        return False
    return True


@bp.post(f"/{ITEM}/approve/")
@require_role(Role.MODERATOR)
def approve(kind: str, item_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    if _decide(item_id, lambda c: moderation.approve(c, current_user), kind):
        flash(str(DONE["approve", kind]), "success")
    return _back()


def _with_reason(kind: str, item_id: int, action):
    form = DecisionForm()
    if not form.validate_on_submit():
        comment = _item_or_404(item_id, kind)
        return render_template("moderation/decide.html", form=form, comment=comment, kind=kind,
                               action=request.endpoint.rsplit(".", 1)[1]), 400
    if _decide(item_id, lambda c: action(c, current_user, form.reason.data, form.note.data or ""), kind):
        flash(str(DONE[request.endpoint.rsplit(".", 1)[1], kind]), "success")
    return _back()


@bp.route(f"/{ITEM}/reject/", methods=["GET", "POST"])
@require_role(Role.MODERATOR)
def reject(kind: str, item_id: int):
    if request.method == "GET":
        return render_template("moderation/decide.html", form=DecisionForm(formdata=None), kind=kind,
                               comment=_item_or_404(item_id, kind), action="reject")
    return _with_reason(kind, item_id, moderation.reject)


@bp.route(f"/{ITEM}/hide/", methods=["GET", "POST"])
@require_role(Role.MODERATOR)
def hide(kind: str, item_id: int):
    if request.method == "GET":
        return render_template("moderation/decide.html", form=DecisionForm(formdata=None), kind=kind,
                               comment=_item_or_404(item_id, kind), action="hide")
    return _with_reason(kind, item_id, moderation.hide)


@bp.post(f"/{ITEM}/unhide/")
@require_role(Role.MODERATOR)
def unhide(kind: str, item_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    if _decide(item_id, lambda c: moderation.unhide(c, current_user), kind):
        flash(str(DONE["unhide", kind]), "success")
    return _back()


def _user_or_404(user_id: int) -> User:
    user = ids.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _back_target() -> str:
    """Where Cancel and the decision lead: the queue page the moderator came from."""
    target = request.values.get("back", "")
    return target if target.startswith(url_for("moderation.queue")) else url_for("moderation.queue")


@bp.route("/users/<id:user_id>/suspend/", methods=["GET", "POST"])
@require_role(Role.MODERATOR)
def suspend(user_id: int):
    """GET asks first (what suspending means, Confirm or Cancel); the POST suspends."""
    user = _user_or_404(user_id)
    if request.method == "GET":
        return render_template(
            "confirm.html", form=EmptyForm(), heading=_("Suspend this author?"),
            explanation=[_("%(name)s will be signed out everywhere and can no longer sign in, comment or vote. "
                           "Their comments stay as they are. You can reinstate the account later.",
                           name=user.display_name or _("The author"))],
            button=_("Suspend the author"), action=url_for(".suspend", user_id=user.id),
            hidden={"back": _back_target()}, cancel=_back_target())
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        moderation.suspend(user, current_user)
    except Refused as refused:
        flash(refusals.message(refused), "error")
    else:
        flash(_("The account is suspended: it can no longer sign in or post."), "success")
    return _back()


@bp.post("/users/<id:user_id>/reinstate/")
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
    page = page_number()
    events, total = moderation.audit_log(page)
    pages = max(1, -(-total // 50))
    return render_template("moderation/log.html", events=events, page=page, pages=pages)
