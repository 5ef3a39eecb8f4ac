from __future__ import annotations

import os
from dataclasses import dataclass, replace

from flask import abort, current_app, g, render_template, request, send_from_directory, session
from flask_babel import gettext as _
from markupsafe import Markup

from .. import pagecache
from ..extensions import db
from ..forms import new_idempotency_key
from ..fragments import render_fragment, without_marked
from ..i18n import current_language
from ..models import ConsultationStatus
from ..services import comments, polls, positions, publication
from ..web import page_number
from . import bp
from .comment_form import CommentForm

NEWS_PER_PAGE = 10



def _consultation_or_404(slug: str):
    consultation = publication.public_consultation(slug)
    if consultation is None:
        abort(404)
    return consultation


@bp.get("/")
def home():
    return render_template(
        "site/home.html",
        poll=polls.home_poll(),
        open_consultations=publication.public_consultations(ConsultationStatus.OPEN),
        news=publication.latest_news(limit=3),
    )


@bp.get("/consultations/")
def consultations():
    status = request.args.get("status", "")
    if status not in ConsultationStatus.PUBLIC:
        status = ""
    return render_template("site/consultations.html", status=status,
                           consultations=publication.public_consultations(status or None))


@bp.get("/consultations/<slug>/")
def overview(slug: str):
    consultation = _consultation_or_404(slug)
    return render_template(
        "site/overview.html",
        consultation=consultation,
        comment_counts=comments.section_counts(consultation),
        polls=polls.consultation_polls(consultation),
        position_count=positions.count_public(consultation),
        version=publication.current_version(consultation),
        sections=publication.all_sections(consultation),
        documents=publication.consultation_documents(consultation),
        news=publication.latest_news(limit=5, consultation=consultation),
        faq=publication.faq_items(consultation),
        subgroups=publication.subgroups_with_sections(consultation),
    )


def public_section(slug: str, number: int):
    """publication.public_section, whose two rows are kept under the content generation: every section
    page and every comment posted looks them up, and only a public change alters them."""
    def look_up():
        found = publication.public_section(slug, number)
        return found if found[1] is not None else None
    rows = pagecache.remembered(("public-section", slug, number), look_up)
    if rows is None:
        return None, None
    consultation, section = (db.session.merge(row, load=False) for row in rows)
    if not section.is_published():  # kept while published, but a schedule is checked on every request
        return publication.public_section(slug, number)
    return consultation, section


@bp.get("/consultations/<slug>/sections/<id:number>/")
def section(slug: str, number: int):
    consultation, section = public_section(slug, number)
    if section is None:
        abort(404)
    return section_page(consultation, section)


@dataclass
class SectionBody:
    """The public part of a section page, the same for every reader (a signed-in reader sees report links)."""
    main: Markup
    nav: Markup
    version_id: int | None
    paragraph_numbers: list[int]
    comments_by_author: dict[int, tuple[int, ...]]
    fallback: bool

    def for_viewer(self, viewer: int | None) -> SectionBody:
        """The body as this reader sees it: no report link on their own comments."""
        own = self.comments_by_author.get(viewer, ()) if viewer is not None else ()
        if not own:
            return self
        return replace(self, main=without_marked(self.main, "report", own))


ANY_READER = -1  # renders report links on every comment: no author has this id


def _section_body(consultation, section, comments_page: int, personal: bool = True) -> SectionBody:
    """Renders the text, positions, comments and section links, or takes them from the fragment cache.

    The fragment is keyed by the content generation like the anonymous page cache, so an
    approval or an edit shows at once. Signed-in readers share one fragment with a report
    link on every comment; a reader who wrote some of them gets the fragment with those
    links cut out.
    """
    from flask_login import current_user
    viewer = current_user.id if current_user.is_authenticated else None
    key = pagecache.fragment_key("section-body", section.id, comments_page, current_language(),
                                 "reader" if viewer else "anonymous")
    body = pagecache.cache.get(key) if key else None
    if body is not None:
        if body.fallback:
            g.content_fallback = True
        return body.for_viewer(viewer) if personal else body
    version, paragraphs = publication.version_and_paragraphs(consultation, section)
    previous, following = publication.neighbour_sections(section)
    thread_page = comments.section_threads(section, comments_page)
    by_author: dict[int, list[int]] = {}
    for thread in thread_page.threads:
        for comment in (thread.comment, *thread.replies):
            by_author.setdefault(comment.author_id, []).append(comment.id)
    fallback_before = bool(getattr(g, "content_fallback", False))
    g.content_fallback = False
    context = dict(consultation=consultation, section=section, version=version, paragraphs=paragraphs,
                   threads=thread_page.threads, thread_page=thread_page,
                   paragraph_comments=comments.paragraph_comments(section, paragraphs),
                   positions=positions.public_positions(consultation, section),
                   previous=previous, following=following)
    main = render_fragment("site/_section_main.html", viewer_id=ANY_READER if viewer else None, **context)
    nav = render_fragment("site/_section_nav.html", **context)
    body = SectionBody(main, nav, version.id if version else None, [p.number for p in paragraphs],
                       {author: tuple(ids) for author, ids in by_author.items()}, bool(g.content_fallback))
    g.content_fallback = fallback_before or body.fallback
    if key:
        pagecache.cache.set(key, body, timeout=pagecache.CACHE_SECONDS)
    return body.for_viewer(viewer) if personal else body


def section_page(consultation, section, form=None, status: int = 200, refusal: str | None = None):
    """The section page; the comment routes render it again with their form and its errors."""
    from flask_login import current_user
    user = current_user if current_user.is_authenticated else None
    blocked = comments.can_comment(consultation, section, user)
    pending = comments.pending_for_author(section, user)
    if form is None and blocked is None and refusal is None and not pending and "_flashes" not in session:
        return _reader_section_page(consultation, section, user)
    return _render_section_page(consultation, section, form, status, refusal, blocked, pending,
                                _section_body(consultation, section, page_number("comments")))


def _reader_section_page(consultation, section, user):
    """The section page of a signed-in reader with nothing of their own waiting: one rendering shared by
    every such reader (per role, as the menu differs), with their CSRF token and a fresh idempotency key
    filled in, and the report links on their own comments cut out."""
    from flask_wtf.csrf import generate_csrf


    def render(values):
        g.csrf_token = values["csrf"]   # where Flask-WTF keeps the request's token: the form and menu use it
        body = _section_body(consultation, section, page_number("comments"), personal=False)
        html, _status = _render_section_page(consultation, section, None, 200, None, None, [], body,
                                             idempotency_key=values["idempotency"])
        g.pop("csrf_token", None)
        return html, body.comments_by_author

    html, by_author = pagecache.personal_page(
        ("section", section.id, pagecache.menu_roles()), render, {"csrf": generate_csrf,
                                                                  "idempotency": new_idempotency_key})
    own = by_author.get(user.id, ())
    return (str(without_marked(html, "report", own)) if own else html), 200


def _render_section_page(consultation, section, form, status, refusal, blocked, pending, body,
                         idempotency_key: str | None = None):
    reply_to = chosen_paragraph = None
    if form is None and blocked is None:
        form = CommentForm(formdata=None, idempotency_key=idempotency_key or new_idempotency_key(),
                           language=current_language())
        wanted = request.args.get("paragraph", "")
        if wanted.isdigit() and len(wanted) < 6:
            form.paragraph.data = wanted
        reply = request.args.get("reply_to", "")
        if reply.isdigit() and len(reply) < 10:
            form.parent.data = reply
    if form is not None:
        form.set_paragraphs(section, body.paragraph_numbers, _("The whole section"))
        if form.parent.data:
            reply_to = comments.reply_target(section, form.parent.data)
            if reply_to is None:
                form.parent.data = ""
        if not reply_to and form.paragraph.data in {str(number) for number in body.paragraph_numbers}:
            chosen_paragraph = f"{section.number}.{form.paragraph.data}"  # the form's heading names it
    return render_template(
        "site/section.html",
        consultation=consultation, section=section, body=body,
        pending=pending,
        blocked=blocked, form=form, reply_to=reply_to, chosen_paragraph=chosen_paragraph, refusal=refusal,
    ), status


@bp.get("/consultations/<slug>/positions/", endpoint="positions")
def positions_page(slug: str):
    consultation = _consultation_or_404(slug)
    return render_template("site/positions.html", consultation=consultation,
                           positions=positions.public_positions(consultation))


@bp.get("/consultations/<slug>/documents/")
def documents(slug: str):
    consultation = _consultation_or_404(slug)
    return render_template("site/documents.html", consultation=consultation,
                           documents=publication.consultation_documents(consultation))


@bp.get("/consultations/<slug>/working-group/")
def working_group(slug: str):
    consultation = _consultation_or_404(slug)
    return render_template("site/working_group.html", consultation=consultation,
                           subgroups=publication.subgroups_with_sections(consultation))


@bp.get("/consultations/<slug>/faq/")
def consultation_faq(slug: str):
    consultation = _consultation_or_404(slug)
    return render_template("site/faq.html", consultation=consultation,
                           items=publication.faq_items(consultation))


@bp.get("/documents/<id:document_id>/")
def download_document(document_id: int):
    document = publication.public_document(document_id)
    if document is None:
        abort(404)
    directory = current_app.config["UPLOAD_DIR"]
    if not os.path.isfile(os.path.join(directory, document.stored_name)):
        abort(404)
    response = send_from_directory(directory, document.stored_name, as_attachment=True,
                                   download_name=document.file_name, mimetype=document.content_type)
    response.headers["Content-Security-Policy"] = "sandbox"
    return response


@bp.get("/news/")
def news():
    page = page_number()
    total = publication.count_news()
    items = publication.latest_news(limit=NEWS_PER_PAGE, offset=(page - 1) * NEWS_PER_PAGE)
    if page > 1 and not items:
        abort(404)
    pages = max(1, -(-total // NEWS_PER_PAGE))
    return render_template("site/news.html", items=items, page=page, pages=pages)


@bp.get("/news/<slug>/")
def news_item(slug: str):
    item = publication.news_item(slug)
    if item is None:
        abort(404)
    return render_template("site/news_item.html", item=item)


@bp.get("/faq/")
def faq():
    return render_template("site/faq.html", consultation=None, items=publication.faq_items(None))


@bp.get("/privacy/")
def privacy():
    return render_template("site/privacy.html")


@bp.app_context_processor
def _fallback():
    return {"content_fallback": lambda: bool(getattr(g, "content_fallback", False))}
