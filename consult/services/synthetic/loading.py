"""Adding the generated comments: the open demo consultation and its copies, the generated accounts, and the rows
with their search entries written in bulk (COPY on PostgreSQL)."""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, text

from ...clock import utcnow
from ...extensions import db
from ...models import (
    Channel,
    Comment,
    Consultation,
    ConsultationStatus,
    Paragraph,
    RespondentType,
    SearchEntry,
    Section,
    Stance,
    Status,
    Subgroup,
    User,
    Version,
)
from .. import publication, search
from ..comments import fingerprint
from ..refusals import Refused
from .texts import campaign_text, comment_text

DEMO_SLUG = "social-services-guidelines-2014-2020"
USERS = 500
BATCH = 5000
EMAIL_DOMAIN = "synthetic.example.invalid"


CAMPAIGN_SHARE = 0.03
STANCE_WEIGHTS = [(Stance.SUPPORTS, 30), (Stance.OBJECTS, 20), (Stance.PROPOSES, 40), (Stance.ASKS, 10)]
RESPONDENT_WEIGHTS = [(RespondentType.CITIZEN, 60), (RespondentType.ORGANISATION, 15), (RespondentType.MUNICIPALITY, 8),
                      (RespondentType.BUSINESS, 5), (RespondentType.ACADEMIC, 7), (RespondentType.OTHER, 5)]


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs)
    return rng.choices(values, weights=weights)[0]


def _consultation() -> Consultation:
    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == DEMO_SLUG,
                                                                Consultation.status == ConsultationStatus.OPEN))
    if consultation is None:
        consultation = db.session.scalar(select(Consultation).where(Consultation.status == ConsultationStatus.OPEN)
                                         .order_by(Consultation.id).limit(1))
    if consultation is None:
        raise Refused("synthetic.no_consultation", command="flask --app consult demo")
    return consultation


def copy_slug(source: Consultation, number: int) -> str:
    return f"{source.slug}-copy-{number}"[:120]


def _copy_of(source: Consultation, number: int) -> Consultation:
    """An open copy of the consultation (its current text, sections and subgroups), for loads spread over several.

    Made through the ORM, so the search index gets its consultation and section rows as usual."""
    slug = copy_slug(source, number)
    existing = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
    if existing is not None:
        return existing
    version = publication.current_version(source)
    copy = Consultation(
        slug=slug, status=ConsultationStatus.OPEN, moderation_mode=source.moderation_mode,
        title_lv=f"{source.title_lv} ({number})", title_en=f"{source.title_en} ({number})",
        summary_lv=source.summary_lv, summary_en=source.summary_en, institution_lv=source.institution_lv,
        institution_en=source.institution_en, opens_at=source.opens_at, closes_at=source.closes_at)
    new_version = None
    if version is not None:
        new_version = Version(number=1, change_note_lv=version.change_note_lv, change_note_en=version.change_note_en,
                              published_at=version.published_at)
        copy.versions.append(new_version)
    sections = {}
    for section in source.sections:
        new = Section(number=section.number, title_lv=section.title_lv, title_en=section.title_en,
                      published_at=section.published_at)
        copy.sections.append(new)
        sections[section.id] = new
    if version is not None:
        for paragraph in db.session.scalars(select(Paragraph).where(Paragraph.version_id == version.id)
                                            .order_by(Paragraph.section_id, Paragraph.number)):
            if paragraph.section_id in sections:
                sections[paragraph.section_id].paragraphs.append(Paragraph(
                    number=paragraph.number, version=new_version, text_lv=paragraph.text_lv,
                    text_en=paragraph.text_en))
    for subgroup in source.subgroups:
        copy.subgroups.append(Subgroup(
            position=subgroup.position, name_lv=subgroup.name_lv, name_en=subgroup.name_en,
            description_lv=subgroup.description_lv, description_en=subgroup.description_en,
            sections=[sections[s.id] for s in subgroup.sections if s.id in sections]))
    db.session.add(copy)
    db.session.commit()
    return copy


@dataclass
class _Target:
    """Where generated comments go in one consultation, and over which span of time."""
    consultation: Consultation
    version_id: int | None
    sections: list[Section]
    paragraphs: dict[int, list[int]]
    start: datetime
    span: int


def _target(consultation: Consultation, now: datetime) -> _Target:
    version = publication.current_version(consultation)
    sections = publication.published_sections(consultation, now)
    if not sections:
        raise Refused("synthetic.no_section")
    paragraphs: dict[int, list[int]] = {s.id: [] for s in sections}
    if version is not None:
        for paragraph_id, section_id in db.session.execute(select(Paragraph.id, Paragraph.section_id).where(
                Paragraph.version_id == version.id, Paragraph.section_id.in_(list(paragraphs)))).all():
            paragraphs[section_id].append(paragraph_id)
    start = consultation.opens_at if consultation.opens_at and consultation.opens_at < now else now - timedelta(days=30)
    end = min(now, consultation.closes_at) if consultation.closes_at and consultation.closes_at > start else now
    return _Target(consultation, version.id if version else None, sections, paragraphs, start,
                   max(1, int((end - start).total_seconds())))


def _users(rng: random.Random) -> list[int]:
    """The ids of the generated authors, creating whichever of the 500 are missing."""
    emails = [f"synthetic-{i:04d}@{EMAIL_DOMAIN}" for i in range(1, USERS + 1)]
    existing = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
    now = utcnow()
    missing = [
        {"email": email, "display_name": f"Dalībnieks {index:04d}", "password_hash": "", "role": "citizen",
         "respondent_type": _weighted(rng, RESPONDENT_WEIGHTS), "language": "lv", "consent_at": now,
         "email_confirmed_at": now, "created_at": now, "session_token": secrets.token_urlsafe(24)}
        for index, email in enumerate(emails, start=1) if email not in existing]
    if missing:
        db.session.execute(insert(User), missing)
        existing = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
    return [existing[email] for email in emails]


COMMENT_COLUMNS = ("id", "consultation_id", "section_id", "version_id", "paragraph_id", "author_id", "stance", "body",
                   "language", "show_name", "status", "needs_review", "fingerprint", "idempotency_key", "created_at",
                   "moderated_at", "channel")
ENTRY_COLUMNS = ("kind", "object_id", "consultation_id", "section_id", "lang", "title", "text", "folded",
                 "visible_from", "visible_until")


def _next_ids(connection, count: int) -> list[int]:
    """Ids for the next `count` comments, so their search index rows can go in with them."""
    if connection.dialect.name == "postgresql":
        return list(connection.scalars(text("SELECT nextval(pg_get_serial_sequence('comments', 'id')) "
                                            "FROM generate_series(1, :n)"), {"n": count}))
    first = (connection.scalar(select(func.max(Comment.id))) or 0) + 1   # one writer: the demo command
    return list(range(first, first + count))


def _write(connection, table, columns, rows: list[dict]) -> None:
    """PostgreSQL's COPY (several times faster than INSERTs at this size); batched INSERTs elsewhere."""
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[column] for column in columns])


def add_synthetic_comments(count: int, seed: int | None = None, progress=None, consultations: int = 1) -> int:
    """Adds `count` approved comments to the open demo consultation, or spread evenly over it and
    `consultations - 1` open copies of it; returns how many were added. They go into the search index too."""
    if count <= 0:
        return 0
    rng = random.Random(seed if seed is not None else secrets.randbits(32))
    source = _consultation()
    now = utcnow()
    chosen = [source] + [_copy_of(source, number) for number in range(2, max(1, consultations) + 1)]
    targets = [_target(consultation, now) for consultation in chosen]
    users = _users(rng)
    connection = db.session.connection()
    added = 0
    while added < count:
        size = min(BATCH, count - added)
        rows, entries = [], []
        for index, comment_id in enumerate(_next_ids(connection, size)):
            target = targets[(added + index) % len(targets)]
            section = rng.choice(target.sections)
            in_campaign = rng.random() < CAMPAIGN_SHARE
            body = campaign_text(rng) if in_campaign else comment_text(rng)
            choices = target.paragraphs[section.id]
            created = target.start + timedelta(seconds=rng.randrange(target.span))
            rows.append({
                "id": comment_id, "consultation_id": target.consultation.id, "section_id": section.id,
                "version_id": target.version_id,
                "paragraph_id": rng.choice(choices) if choices and rng.random() < 0.6 else None,
                "author_id": rng.choice(users),
                "stance": Stance.OBJECTS if in_campaign else _weighted(rng, STANCE_WEIGHTS),
                "body": body, "language": "lv", "show_name": rng.random() < 0.5, "status": Status.APPROVED,
                "needs_review": False, "fingerprint": fingerprint(body),
                "idempotency_key": "synthetic-" + secrets.token_hex(12),
                "created_at": created, "moderated_at": min(now, created + timedelta(minutes=rng.randint(5, 600))),
                "channel": Channel.WEB,
            })
            entries.append(search.comment_entry(comment_id, body, "lv", target.consultation.id, section.id,
                                                section.published_at))
        _write(connection, Comment.__table__, COMMENT_COLUMNS, rows)
        _write(connection, SearchEntry.__table__, ENTRY_COLUMNS, entries)
        db.session.commit()
        connection = db.session.connection()
        added += size
        if progress:
            progress(size)
    return added
