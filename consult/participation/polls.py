"""Poll pages: vote once, then see the results when the poll allows it."""
from __future__ import annotations

import secrets

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import RadioField, SelectMultipleField, widgets
from wtforms.validators import InputRequired

from .. import pagecache, refusals
from ..extensions import limiter
from ..forms import BaseForm, choices
from ..i18n import localized
from ..models import PollVoters
from ..services import polls
from ..services.refusals import Refused
from . import bp

VOTER_COOKIE = "poll_voter"


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def poll_form(poll, formdata=None):
    option_choices = choices((str(option.id), localized(option, "label")) for option in poll.options)
    message = _l("Choose an answer.")

    class VoteForm(BaseForm):
        if poll.multiple:
            answer = CheckboxesField(localized(poll, "question"), choices=option_choices,
                                     validators=[InputRequired(message=message)])
        else:
            answer = RadioField(localized(poll, "question"), choices=option_choices,
                                validators=[InputRequired(message=message)])
    return VoteForm(formdata=formdata)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="poll-voter")


def _browser_id() -> str | None:
    raw = request.cookies.get(VOTER_COOKIE)
    if not raw:
        return None
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def voter_key(poll) -> str | None:
    """Who is voting: the account, or for polls open to anyone, this browser."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    if poll.voters == PollVoters.ANYONE:
        browser = _browser_id()
        return f"browser:{browser}" if browser else None
    return None


def may_vote(poll) -> bool:
    if poll.voters == PollVoters.ANYONE:
        return True
    return current_user.is_authenticated and current_user.is_confirmed


def _page(poll, form=None, status=200):
    key = voter_key(poll)
    voted = polls.has_voted(poll, key)
    allowed = may_vote(poll)

    def render(values=None):
        if values:
            g.csrf_token = values["csrf"]   # where Flask-WTF keeps the request's token
        visible = polls.results_visible(poll, voted)
        html = render_template("participation/poll.html", poll=poll, form=form or poll_form(poll), voted=voted,
                               may_vote=allowed, results=polls.results(poll) if visible else None)
        if values:
            g.pop("csrf_token", None)
        return html, None

    if form is None and status == 200 and "_flashes" not in session:
        # The same for everyone in the same situation: rendered once, the person's token filled in.
        html, _extra = pagecache.personal_page(("poll", poll.id, voted, allowed, pagecache.menu_roles()), render,
                                               {"csrf": generate_csrf})
        return html, status
    return render()[0], status


@bp.get("/polls/<id:poll_id>/")
def poll(poll_id: int):
    found = polls.get_poll(poll_id)
    if found is None:
        abort(404)
    return _page(found)


@bp.post("/polls/<id:poll_id>/")
@limiter.limit("30 per hour")
def vote(poll_id: int):
    found = polls.get_poll(poll_id)
    if found is None:
        abort(404)
    if not may_vote(found):
        flash(refusals.message("poll.sign_in"), "error")
        return _page(found, status=403)
    form = poll_form(found, formdata=request.form)
    if not form.validate():
        return _page(found, form=form, status=400)
    new_browser = None
    key = voter_key(found)
    if key is None:
        new_browser = secrets.token_urlsafe(18)
        key = f"browser:{new_browser}"
    answers = form.answer.data if isinstance(form.answer.data, list) else [form.answer.data]
    try:
        polls.cast_vote(found, key, [int(a) for a in answers if a and a.isdigit() and len(a) < 10],
                        current_user.id if current_user.is_authenticated else None)
    except Refused as refused:
        flash(refusals.message(refused), "error")
        return _page(found, status=409 if refused.code == "poll.already_voted" else 400)
    flash(_("Thank you. Your answer has been counted."), "success")
    response = redirect(url_for("participation.poll", poll_id=found.id) + "#results", code=303)
    if new_browser:
        response.set_cookie(VOTER_COOKIE, _serializer().dumps(new_browser), max_age=365 * 24 * 3600,
                            httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
