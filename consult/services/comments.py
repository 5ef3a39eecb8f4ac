"""Commenting: what may be posted where, and what the public sees of it."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import and_, bindparam, func, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ..clock import utcnow
from ..extensions import db
from ..i18n import LANGUAGES
from ..models import Comment, Consultation, Paragraph, Section, Status, User
from . import diffing, ids, publication
from .refusals import Refused

MAX_COMMENT_CHARS = 5000
PUBLIC_STATUSES = (Status.APPROVED, Status.HIDDEN)  # hidden ones show only a placeholder



def fingerprint(text: str) -> str:
    """Same text after folding case, spacing and punctuation → same fingerprint."""
    folded = unicodedata.normalize("NFC", text).casefold()
    folded = re.sub(r"[\W_]+", " ", folded).strip()
    return hashlib.sha256(folded.encode()).hexdigest()


def can_comment(consultation: Consultation, section: Section, user: User | None) -> str | None:
    """None when this user may comment on this section now, else the reason's code."""
    if not consultation.is_open:
        return "closed"
    if not section.is_published():
        return "unpublished"
    if user is None or not user.is_authenticated:
        return "anonymous"
    if not user.is_confirmed:
        return "unconfirmed"
    return None


@dataclass
class NewComment:
    stance: str
    body: str
    show_name: bool
    language: str  # the language the text is written in (lv or en), chosen by its author
    idempotency_key: str
    paragraph_number: int | None = None
    parent_id: int | None = None


# One query answers both "was this form sent before?" and "has this person posted this text?". Built once:
# every comment posted runs it, and a prebuilt statement skips constructing it and its cache key again.
_EARLIER_SUBMISSIONS = select(Comment.id, Comment.idempotency_key).where(
    Comment.author_id == bindparam("author_id"),
    or_(Comment.idempotency_key == bindparam("key"),
        and_(Comment.fingerprint == bindparam("fingerprint"), Comment.status != Status.WITHDRAWN))).limit(2)


def post_comment(consultation: Consultation, section: Section, author: User, data: NewComment,
                 target: publication.CommentTarget | None = None) -> Comment:
    """Stores a comment (pending, or public at once under post-moderation).

    A repeated submission of the same form (same idempotency key) returns the comment
    already stored instead of a second one. `target` is the section's current version and
    paragraphs when the caller has already looked them up.
    """
    reason = can_comment(consultation, section, author)
    if reason:
        raise Refused(f"comment.{reason}")
    print_ = fingerprint(data.body)
    earlier = db.session.execute(_EARLIER_SUBMISSIONS, {"author_id": author.id, "key": data.idempotency_key,
                                                         "fingerprint": print_}).all()
    for row in earlier:
        if row.idempotency_key == data.idempotency_key:
            return db.session.get(Comment, row.id)
    if earlier:
        raise Refused("comment.duplicate")
    if target is None:
        target = publication.comment_target(consultation, section)
    paragraph_id = None
    parent = None
    if data.parent_id is not None:
        parent = ids.get(Comment, data.parent_id)
        if parent is None or parent.section_id != section.id or parent.status != Status.APPROVED:
            raise Refused("comment.no_parent")
        if parent.parent_id is not None:
            raise Refused("comment.nested_reply")
        paragraph_id = parent.paragraph_id
    elif data.paragraph_number is not None:
        paragraph_id = target.paragraph_ids.get(data.paragraph_number)
        if paragraph_id is None:
            raise Refused("comment.no_paragraph")
    if data.language not in LANGUAGES:
        raise ValueError(f"a comment is written in one of {LANGUAGES}, not {data.language!r}")
    post_moderated = consultation.moderation_mode == "post"
    comment = Comment(
        consultation_id=consultation.id, section_id=section.id, version_id=target.version_id,
        paragraph_id=paragraph_id, parent_id=parent.id if parent else None,
        author_id=author.id, stance=data.stance, body=data.body, language=data.language,
        show_name=data.show_name, status=Status.APPROVED if post_moderated else Status.PENDING,
        needs_review=True, fingerprint=print_, idempotency_key=data.idempotency_key)
    db.session.add(comment)
    session = db.session()
    # Nothing else changed in this transaction, so what is loaded stays true after the commit;
    # keeping it saves reloading the comment (and the author) for the answer.
    session.expire_on_commit = False
    try:
        session.commit()
    except IntegrityError:
        # A parallel submission of the same form won the race: return the one stored.
        db.session.rollback()
        stored = db.session.scalar(select(Comment).where(
            Comment.author_id == author.id, Comment.idempotency_key == data.idempotency_key))
        if stored is None:
            raise
        return stored
    finally:
        session.expire_on_commit = True
    return comment


def own_comment(comment_id: int, user: User) -> Comment | None:
    """The user's own comment, or None: nobody reaches another person's item by guessing an id."""
    if not ids.in_range(comment_id):
        return None
    return db.session.scalar(select(Comment).where(Comment.id == comment_id, Comment.author_id == user.id))


def edit_comment(comment: Comment, stance: str, body: str, show_name: bool, language: str | None = None) -> None:
    """Changes a comment still waiting for moderation; `language` is what its text is written in."""
    if comment.status != Status.PENDING:
        raise Refused("comment.not_pending")
    print_ = fingerprint(body)
    duplicate = db.session.scalar(select(Comment.id).where(
        Comment.author_id == comment.author_id, Comment.fingerprint == print_, Comment.id != comment.id,
        Comment.status != Status.WITHDRAWN).limit(1))
    if duplicate is not None:
        raise Refused("comment.duplicate")
    comment.stance, comment.body, comment.show_name = stance, body, show_name
    if language in LANGUAGES:
        comment.language = language
    comment.fingerprint = print_
    comment.edited_at = utcnow()
    db.session.commit()


def withdraw_comment(comment: Comment) -> None:
    if comment.status != Status.PENDING:
        raise Refused("comment.not_pending")
    comment.status = Status.WITHDRAWN
    comment.needs_review = False
    db.session.commit()


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


THREADS_PER_PAGE = 25


@dataclass
class ThreadPage:
    threads: list[Thread]
    page: int
    pages: int
    total: int


def section_threads(section: Section, page: int = 1, per_page: int = THREADS_PER_PAGE) -> ThreadPage:
    """One page of a section's public comment threads (oldest first) with their replies: four queries."""
    top_level = (Comment.section_id == section.id, Comment.status.in_(PUBLIC_STATUSES), Comment.parent_id.is_(None))
    total = db.session.scalar(select(func.count(Comment.id)).where(*top_level)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    # One ordered part per status, merged: each reads the section's index in order and stops at the
    # page, where "status IN (…)" would sort all of a section's comments (tens of thousands) first.
    parts = [select(Comment.id, Comment.created_at).where(
        Comment.section_id == section.id, Comment.status == status, Comment.parent_id.is_(None))
        for status in PUBLIC_STATUSES]
    ordered = union_all(*parts).subquery()
    page_ids = list(db.session.scalars(select(ordered.c.id).order_by(ordered.c.created_at, ordered.c.id)
                                       .limit(per_page).offset((page - 1) * per_page)))
    parents = db.session.scalars(
        select(Comment).where(Comment.id.in_(page_ids))
        .options(joinedload(Comment.author), joinedload(Comment.paragraph), joinedload(Comment.version))
        .order_by(Comment.created_at, Comment.id)).all() if page_ids else []
    threads = {comment.id: Thread(comment) for comment in parents}
    if threads:
        replies = db.session.scalars(
            select(Comment).where(Comment.parent_id.in_(list(threads)), Comment.status.in_(PUBLIC_STATUSES))
            .options(joinedload(Comment.author), joinedload(Comment.version))
            .order_by(Comment.created_at, Comment.id))
        for reply in replies:
            threads[reply.parent_id].replies.append(reply)
    return ThreadPage(list(threads.values()), page, pages, total)


def reply_target(section: Section, raw_id: str) -> Comment | None:
    """The approved top-level comment of this section that a reply form answers, if any."""
    if not raw_id.isdigit() or len(raw_id) > 9:
        return None
    return db.session.scalar(select(Comment).where(
        Comment.id == int(raw_id), Comment.section_id == section.id, Comment.status == Status.APPROVED,
        Comment.parent_id.is_(None)))


# Every signed-in reader's section page asks this first; most have nothing waiting.
_ANY_PENDING = select(Comment.id).where(Comment.section_id == bindparam("section_id"),
                                        Comment.author_id == bindparam("author_id"),
                                        Comment.status == Status.PENDING).limit(1)


def pending_for_author(section: Section, user: User | None) -> list[Comment]:
    if user is None or not user.is_authenticated:
        return []
    if db.session.execute(_ANY_PENDING, {"section_id": section.id, "author_id": user.id}).first() is None:
        return []
    return list(db.session.scalars(
        select(Comment).where(Comment.section_id == section.id, Comment.author_id == user.id,
                              Comment.status == Status.PENDING)
        .options(joinedload(Comment.paragraph)).order_by(Comment.created_at)))


def section_counts(consultation: Consultation) -> dict[int, int]:
    """Approved comments per section id."""
    rows = db.session.execute(
        select(Comment.section_id, func.count()).where(Comment.consultation_id == consultation.id,
                                                        Comment.status == Status.APPROVED)
        .group_by(Comment.section_id))
    return {section_id: count for section_id, count in rows}


def published_comments_after(consultation: Consultation, after: int, count: int,
                             section_number: int | None = None) -> list[Comment]:
    """At most `count` approved comments on the consultation's published sections (or on the one numbered
    `section_number`) with an id above `after`, by id, with their author, section, paragraph and version."""
    query = (select(Comment).join(Section, Section.id == Comment.section_id)
             .where(Comment.consultation_id == consultation.id, Comment.status == Status.APPROVED,
                    Section.is_published(), Comment.id > after)
             .options(joinedload(Comment.author), joinedload(Comment.section), joinedload(Comment.paragraph),
                      joinedload(Comment.version))
             .order_by(Comment.id).limit(count))
    if section_number is not None:
        query = query.where(Section.number == section_number)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class ParagraphComments:
    """Comments per paragraph of the version shown, counting those made on the same text earlier."""
    counts: dict[int, int]   # current paragraph id → approved comments
    numbers: dict[int, int]  # commented paragraph id (of any version) → number of the current paragraph


def paragraph_comments(section: Section, paragraphs: list[Paragraph]) -> ParagraphComments:
    """Approved comments per paragraph of one section, following unchanged paragraphs across versions.

    Paragraphs are copied into each new version with new ids; a comment made on version 1 of a
    paragraph whose text is still the same counts for it and links to it. One query: the counts
    come with the text of the paragraph each was made on.
    """
    per_paragraph = (select(Comment.paragraph_id, func.count().label("n"))
                     .where(Comment.section_id == section.id, Comment.status == Status.APPROVED,
                            Comment.paragraph_id.is_not(None))
                     .group_by(Comment.paragraph_id).subquery())
    rows = db.session.execute(
        select(Paragraph.id, Paragraph.number, Paragraph.text_lv, Paragraph.text_en, per_paragraph.c.n)
        .join(per_paragraph, per_paragraph.c.paragraph_id == Paragraph.id)).all()
    current = [diffing.ParagraphText(p.id, p.number, p.text_lv, p.text_en) for p in paragraphs]
    earlier = [diffing.ParagraphText(row.id, row.number, row.text_lv, row.text_en) for row in rows]
    follows = diffing.follow_unchanged(earlier, current)
    number_of = {p.id: p.number for p in paragraphs}
    counts: dict[int, int] = {}
    for row in rows:
        target = follows.get(row.id)
        if target is not None:
            counts[target] = counts.get(target, 0) + row.n
    return ParagraphComments(counts, {old: number_of[new] for old, new in follows.items()})
