from __future__ import annotations

from datetime import datetime

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth import require_login
from ..clock import utcnow
from ..extensions import csrf, limiter
from ..i18n import current_language, localized
from ..models import EventKind
from ..services import feeds, publication
from ..services import follow as follow_service
from ..services.sanitize import render_markdown
from ..services.search import markdown_text
from ..urls import public_url
from . import bp
from .forms import ButtonForm, FollowByEmailForm

FEED_ENTRIES = 20
FEED_ENDPOINTS = ("follow.news_feed", "follow.consultation_feed")
EPOCH = datetime(2000, 1, 1)  # the "updated" time of a feed with no entries yet


@bp.after_request
def _caching(response):
    """Feeds may be cached by anyone; the follow pages show a person's own choices, so never."""
    if request.endpoint in FEED_ENDPOINTS:
        response.headers.setdefault("Cache-Control", "public, max-age=300")
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


def _consultation_or_404(slug: str):
    consultation = publication.public_consultation(slug)
    if consultation is None:
        abort(404)
    return consultation


def _see_other(endpoint: str, **values):
    return redirect(url_for(endpoint, **values), code=303)


# --- Following ------------------------------------------------------------------------------

@bp.route("/consultations/<slug>/follow/", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def follow(slug: str):
    consultation = _consultation_or_404(slug)
    user = current_user if current_user.is_authenticated else None
    if user is not None and user.is_confirmed:
        button = ButtonForm()
        if button.validate_on_submit():
            follow_service.follow_as_user(consultation, user, current_language())
            flash(_("You now follow this consultation. We will e-mail you at most once a day when there is "
                    "something new."), "success")
            return _see_other(".follow", slug=slug)
        return render_template("follow/follow.html", consultation=consultation, button=button,
                               following=follow_service.user_follow(consultation, user) is not None)
    form = FollowByEmailForm(data={"email": user.email} if user is not None and request.method == "GET" else None)
    if form.validate_on_submit():
        follow_service.request_follow(consultation, form.email.data, current_language())
        return _see_other(".follow_sent", slug=slug)
    return render_template("follow/follow.html", consultation=consultation, form=form, following=False)


@bp.post("/consultations/<slug>/unfollow/")
@require_login
def unfollow(slug: str):
    consultation = _consultation_or_404(slug)
    if ButtonForm().validate_on_submit() and follow_service.unfollow_as_user(consultation, current_user):
        flash(_("You no longer follow this consultation."), "success")
    return _see_other(".follow", slug=slug)


@bp.get("/consultations/<slug>/follow/check-your-email/")
def follow_sent(slug: str):
    return render_template("follow/sent.html", consultation=_consultation_or_404(slug))


@bp.get("/follow/confirm/<token>/")
def confirm(token: str):
    follow = follow_service.confirm_follow(token)
    if follow is None:
        return render_template("follow/link_invalid.html"), 400
    return render_template("follow/confirmed.html", consultation=follow.consultation,
                           unsubscribe_token=follow_service.unsubscribe_token([follow]))


@bp.route("/follow/unsubscribe/<token>/", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """The link in every message: a page with one button (a GET alone changes nothing).

    It is also the List-Unsubscribe address in the messages' header: a mail client's own button POSTs
    "List-Unsubscribe=One-Click" here, without cookies or a CSRF token (RFC 8058). So the site-wide CSRF
    check is off for this view alone; the signed token in the address is what allows the change, and the
    page's button still sends a CSRF token, which its form checks.
    """
    follows = follow_service.follows_for_token(token)
    if follows is None:
        return render_template("follow/link_invalid.html"), 400
    if not follows:
        return render_template("follow/unsubscribed.html", consultations=[], already=True)
    form = ButtonForm()
    one_click = request.method == "POST" and request.form.get("List-Unsubscribe") == "One-Click"
    if one_click or form.validate_on_submit():
        consultations = follow_service.unsubscribe(token) or []
        return render_template("follow/unsubscribed.html", consultations=consultations, already=False)
    return render_template("follow/unsubscribe.html", form=None, button=form,
                           consultations=[f.consultation for f in follows])


# --- Atom feeds -----------------------------------------------------------------------------

def _atom(body: bytes):
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/feeds/news.xml")
def news_feed():
    items = publication.latest_news(limit=FEED_ENTRIES)
    entries = []
    for item in items:
        url = public_url("site.news_item", slug=item.slug)
        body, title = localized(item, "body"), localized(item, "title")
        entries.append(feeds.FeedEntry(
            id=url, title=title, updated=item.published_at, published=item.published_at,
            link=url, summary=_shorten(markdown_text(body)) or title, content_html=str(render_markdown(body))))
    return _atom(feeds.atom_feed(
        feed_id=public_url(".news_feed"), title=_("News – Public consultations"),
        subtitle=_("News about public consultations on draft policy documents."),
        self_url=public_url(".news_feed"), alternate_url=public_url("site.news"),
        lang=current_language(), author=_("Public consultations"), entries=entries, updated=EPOCH))


def _shorten(value: str, limit: int = 300) -> str:
    if len(value) <= limit:
        return value
    cut = value.rfind(" ", 0, limit)
    return value[:cut if cut > limit // 2 else limit] + " …"


def event_title(event) -> str:
    """What happened, in the page language (shared with the consultation's feed)."""
    if event.kind == EventKind.OPENED:
        return _("The consultation is open for comments")
    if event.kind == EventKind.SECTION_PUBLISHED and event.section is not None:
        return _("Section %(number)d published: %(title)s", number=event.section.number,
                 title=localized(event.section, "title"))
    if event.kind == EventKind.VERSION_PUBLISHED and event.version is not None:
        return _("Version %(number)d of the draft published", number=event.version.number)
    if event.kind == EventKind.CLOSED:
        return _("The consultation is closed for comments")
    return _("The outcome of the consultation is published")


@bp.get("/feeds/consultations/<slug>.xml")
def consultation_feed(slug: str):
    consultation = _consultation_or_404(slug)
    overview = public_url("site.overview", slug=consultation.slug)
    title = localized(consultation, "title")
    entries = []
    for event in follow_service.public_events(consultation, limit=FEED_ENTRIES * 2):
        link = overview
        summary = title
        if event.kind == EventKind.SECTION_PUBLISHED:
            link = public_url("site.section", slug=consultation.slug, number=event.section.number)
        elif event.kind == EventKind.VERSION_PUBLISHED:
            summary = markdown_text(localized(event.version, "change_note")) or title
        entries.append(feeds.FeedEntry(id=f"{overview}#event-{event.id}", title=event_title(event),
                                       updated=event.happens_at, published=event.happens_at, link=link,
                                       summary=summary))
    return _atom(feeds.atom_feed(
        feed_id=public_url(".consultation_feed", slug=consultation.slug),
        title=_("%(title)s – what is new", title=title),
        subtitle=_("When the consultation opens and closes, and when sections, new versions of the draft and "
                   "the outcome are published."),
        self_url=public_url(".consultation_feed", slug=consultation.slug), alternate_url=overview,
        lang=current_language(), author=localized(consultation, "institution") or _("Public consultations"),
        entries=entries, updated=consultation.created_at or utcnow()))
