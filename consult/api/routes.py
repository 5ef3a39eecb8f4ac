"""The JSON of /api/v1/: published content only, never an e-mail address or a user id.

Every answer is JSON, errors included; lists that can grow are paged with an opaque
cursor; answers carry an ETag and may be cached for a minute by anyone.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.exceptions import HTTPException

from ..clock import utcnow
from ..i18n import LANGUAGES
from ..models import Comment, Consultation, ConsultationStatus, NewsItem, Paragraph, Poll, Position, Section
from ..services import comments as comment_service
from ..services import ids, publication
from ..services import polls as poll_service
from ..services import positions as position_service
from ..urls import public_url
from . import bp
from .openapi import document
from .responses import ApiError, cors, error_response, http_error, json_response, server_error

DEFAULT_LIMIT = 50
MAX_LIMIT = 100

@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return error_response(error.status, error.code, error.message)


# By status code too: Flask prefers the site's own handler for a code (an HTML page) to a
# blueprint's handler for a class, so the API names every code it can answer with.
bp.register_error_handler(HTTPException, http_error)
for _code in (400, 401, 403, 404, 405, 406, 413, 414, 429):
    bp.register_error_handler(_code, http_error)
bp.register_error_handler(500, server_error)
bp.after_request(cors)


# --- Request arguments -----------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"api-cursor:{request.endpoint}")


def _paging() -> tuple[int, int]:
    """(the last id already seen, how many to return) from ?cursor= and ?limit=.

    A parameter left out takes its default; one given must be valid, as the OpenAPI document says,
    except the cursor, whose document type (any string) also allows it empty: that is the first page.
    """
    raw_limit = request.args.get("limit")
    if raw_limit is None:
        limit = DEFAULT_LIMIT
    elif raw_limit.isdigit() and len(raw_limit) <= 4 and 1 <= int(raw_limit) <= MAX_LIMIT:
        limit = int(raw_limit)
    else:
        raise ApiError(400, "bad_limit", f"limit must be a whole number from 1 to {MAX_LIMIT}.")
    cursor = request.args.get("cursor") or ""
    if not cursor:
        return 0, limit
    try:
        after = _serializer().loads(cursor[:200])
    except BadSignature:
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= ids.MAX_ID:
        # Any string is a well-formed cursor, so one this list never gave out names a page that does
        # not exist (404), like an unknown slug; it is not a malformed request (400).
        raise ApiError(404, "bad_cursor", "No page of this list has this cursor: use the next_cursor of the "
                                          "previous page, or leave cursor out for the first page.")
    return after, limit


def _page(items: list, limit: int, render) -> dict:
    """Items as JSON, and the cursor of the next page when there is one (queries ask for limit + 1)."""
    more = len(items) > limit
    items = items[:limit]
    return {"items": [render(item) for item in items],
            "next_cursor": _serializer().dumps(items[-1].id) if more and items else None}


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 10 or not ids.in_range(int(raw)):
        raise ApiError(400, f"bad_{name}", f"{name} must be a whole number from 1 to {ids.MAX_ID}.")
    return int(raw)


# --- Rendering -------------------------------------------------------------------------------

def _iso(value: datetime | None) -> str | None:
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def _both(obj, name: str) -> dict:
    """Both languages of a field; English is null where it has not been written."""
    return {"lv": getattr(obj, f"{name}_lv") or "", "en": getattr(obj, f"{name}_en") or None}


def _html_links(endpoint: str, **values) -> dict:
    return {lang: public_url(endpoint, lang=lang, **values) for lang in LANGUAGES}


def _consultation(c: Consultation) -> dict:
    return {
        "id": c.id, "slug": c.slug, "status": c.status,
        "title": _both(c, "title"), "summary": _both(c, "summary"), "institution": _both(c, "institution"),
        "moderation_mode": c.moderation_mode,
        "opens_at": _iso(c.opens_at), "closes_at": _iso(c.closes_at), "concluded_at": _iso(c.concluded_at),
        "links": {
            "self": public_url(".consultation", slug=c.slug),
            "html": _html_links("site.overview", slug=c.slug),
            "sections": public_url(".sections", slug=c.slug),
            "comments": public_url(".comments", slug=c.slug),
            "positions": public_url(".positions", slug=c.slug),
            "polls": public_url(".consultation_polls", slug=c.slug),
        },
    }


def _section(section: Section, consultation: Consultation, paragraphs: list[Paragraph] | None = None,
             comment_count: int | None = None) -> dict:
    data = {
        "number": section.number, "title": _both(section, "title"), "published_at": _iso(section.published_at),
        "links": {"self": public_url(".section", slug=consultation.slug, number=section.number),
                  "html": _html_links("site.section", slug=consultation.slug, number=section.number)},
    }
    if paragraphs is not None:
        data["paragraphs"] = [{"number": p.number, "label": f"{section.number}.{p.number}",
                               "text": _both(p, "text")} for p in paragraphs]
    if comment_count is not None:
        data["comment_count"] = comment_count
    return data


def _author(comment: Comment) -> dict:
    """Only what the author chose to show: the name, or else the respondent type (an offline
    submission's sender: the organisation that sent it, or else its respondent type)."""
    name = comment.public_name
    if name:
        return {"name": name, "respondent_type": None}
    return {"name": None, "respondent_type": comment.respondent_kind}


def _comment(comment: Comment, consultation: Consultation) -> dict:
    section = comment.section
    return {
        "id": comment.id, "section": section.number,
        "paragraph": f"{section.number}.{comment.paragraph.number}" if comment.paragraph else None,
        "parent_id": comment.parent_id, "stance": comment.stance, "body": comment.body,
        "language": comment.language, "author": _author(comment), "created_at": _iso(comment.created_at),
        "version": comment.version.number if comment.version else None,
        "channel": comment.channel, "received_on": comment.received_on.isoformat() if comment.received_on else None,
        "links": {"html": _html_links("site.section", slug=consultation.slug, number=section.number,
                                      _anchor=f"comment-{comment.id}")},
    }


def _position(position: Position, consultation: Consultation) -> dict:
    attachment = None
    if position.attachment_stored:
        attachment = {"name": position.attachment_name, "size": position.attachment_size,
                      "url": public_url("participation.position_attachment", lang="lv", position_id=position.id),
                      "signature_status": position.signature_status,
                      "signatures": [{"signer": s.signer_name, "issuer": s.issuer_name, "signed_at": _iso(s.signed_at),
                                      "status": s.status} for s in position.signatures]}
    return {
        "id": position.id, "title": position.title, "body": position.body, "language": position.language,
        "organisation": {"name": position.organisation.name if position.publish_name else None,
                         "kind": position.organisation.kind,
                         "verified": position.organisation.is_verified},
        "whole_draft": position.whole_draft, "sections": [s.number for s in position.sections],
        "created_at": _iso(position.created_at), "attachment": attachment,
        "links": {"html": _html_links("site.positions", slug=consultation.slug, _anchor=f"position-{position.id}")},
    }


def _news(item: NewsItem) -> dict:
    return {
        "id": item.id, "slug": item.slug, "title": _both(item, "title"), "body": _both(item, "body"),
        "published_at": _iso(item.published_at),
        "consultation": item.consultation.slug if item.consultation else None,
        "links": {"html": _html_links("site.news_item", slug=item.slug)},
    }


def _poll_result(result: poll_service.PollResult) -> dict:
    return {"voters": result.voters, "options": [
        {"id": o.option.id, "votes": o.votes, "share": round(o.share, 4)}
        for o in result.options]}


def _poll(poll: Poll, results: dict[int, poll_service.PollResult]) -> dict:
    visible = poll_service.results_visible(poll, voted=False)
    return {
        "id": poll.id, "question": _both(poll, "question"), "multiple": poll.multiple,
        "opens_at": _iso(poll.opens_at), "closes_at": _iso(poll.closes_at),
        "consultation": poll.consultation.slug if poll.consultation else None,
        "options": [{"id": o.id, "label": _both(o, "label")} for o in poll.options],
        "results": _poll_result(results[poll.id]) if visible else None,
        "links": {"self": public_url(".poll", poll_id=poll.id),
                  "html": _html_links("participation.poll", poll_id=poll.id)},
    }


# --- Queries ---------------------------------------------------------------------------------

def _consultation_or_404(slug: str) -> Consultation:
    consultation = publication.public_consultation(slug)
    if consultation is None:
        raise ApiError(404, "not_found", "No published consultation has this slug.")
    return consultation


# --- Routes ----------------------------------------------------------------------------------

@bp.get("/v1/")
def index():
    return json_response({
        "name": "consult open data",
        "version": "v1",
        "description": "Published consultations, their sections and paragraphs in Latvian and English, "
                       "published comments and positions, poll results and news.",
        "links": {
            "openapi": public_url(".openapi"),
            "documentation": _html_links("api_docs.documentation"),
            "consultations": public_url(".consultations"),
            "news": public_url(".news"),
        },
    })


@bp.get("/v1/openapi.json")
def openapi():
    return json_response(document(public_url(".index").rstrip("/")))


@bp.get("/v1/consultations")
def consultations():
    status = request.args.get("status")
    if status is not None and status not in ConsultationStatus.PUBLIC:
        raise ApiError(400, "bad_status", "status must be one of: " + ", ".join(ConsultationStatus.PUBLIC) + ".")
    after, limit = _paging()
    return json_response(_page(publication.public_consultations_after(after, limit + 1, status), limit, _consultation))


@bp.get("/v1/consultations/<slug>")
def consultation(slug: str):
    consultation = _consultation_or_404(slug)
    now = utcnow()
    versions = publication.published_versions(consultation, now)
    sections = publication.published_sections(consultation, now)
    counts = comment_service.section_counts(consultation)
    data = _consultation(consultation)
    data["current_version"] = versions[-1].number if versions else None
    data["versions"] = [{"number": v.number, "published_at": _iso(v.published_at),
                         "change_note": _both(v, "change_note")} for v in versions]
    data["sections"] = [_section(s, consultation, comment_count=counts.get(s.id, 0)) for s in sections]
    return json_response(data)


@bp.get("/v1/consultations/<slug>/sections")
def sections(slug: str):
    consultation = _consultation_or_404(slug)
    version, items = publication.sections_with_text(consultation)
    return json_response({"version": version.number if version else None,
                  "items": [_section(s, consultation, paragraphs) for s, paragraphs in items]})


@bp.get("/v1/consultations/<slug>/sections/<id:number>")
def section(slug: str, number: int):
    consultation = _consultation_or_404(slug)
    if not ids.in_range(number):
        raise ApiError(404, "not_found", "No published section has this number.")
    version, items = publication.sections_with_text(consultation, number)
    if not items:
        raise ApiError(404, "not_found", "No published section has this number.")
    data = _section(items[0][0], consultation, items[0][1])
    data["version"] = version.number if version else None
    return json_response(data)


@bp.get("/v1/consultations/<slug>/comments")
def comments(slug: str):
    consultation = _consultation_or_404(slug)
    section_number = _int_arg("section")
    after, limit = _paging()
    found = comment_service.published_comments_after(consultation, after, limit + 1, section_number)
    return json_response(_page(found, limit, lambda c: _comment(c, consultation)))


@bp.get("/v1/consultations/<slug>/positions")
def positions(slug: str):
    consultation = _consultation_or_404(slug)
    after, limit = _paging()
    found = position_service.public_positions_after(consultation, after, limit + 1)
    return json_response(_page(found, limit, lambda p: _position(p, consultation)))


@bp.get("/v1/consultations/<slug>/polls")
def consultation_polls(slug: str):
    consultation = _consultation_or_404(slug)
    polls = poll_service.consultation_polls(consultation)
    results = poll_service.results_of(polls)
    return json_response({"items": [_poll(p, results) for p in polls]})


@bp.get("/v1/polls/<id:poll_id>")
def poll(poll_id: int):
    found = poll_service.opened_poll(poll_id)
    if found is None:
        raise ApiError(404, "not_found", "No published poll has this id.")
    return json_response(_poll(found, poll_service.results_of([found])))


@bp.get("/v1/news")
def news():
    after, limit = _paging()
    return json_response(_page(publication.news_after(after, limit + 1), limit, _news))
