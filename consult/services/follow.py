"""Following a consultation: double opt-in, an unsubscribe link in every message, at most one e-mail a day.

What followers hear about is recorded as ConsultationEvent rows by session events
(below) whenever a consultation opens, closes or is concluded, a section or a new
version of the draft is published — whichever code makes the change. The
`flask --app consult send-follow-mail` command (run it from cron, e.g. hourly) then
sends each address one message with everything new for all the consultations it
follows, and never a second one on the same day (Europe/Riga).
"""
from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import click
from flask import Flask, current_app
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import delete, event, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from ..clock import utcnow
from ..extensions import db
from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..models import (
    Consultation,
    ConsultationEvent,
    ConsultationStatus,
    EventKind,
    Follow,
    Section,
    User,
    Version,
)
from .mail import header_fits, send_email, site_address
from .refusals import Refused

CONFIRM_SALT = "follow-confirm"
CONFIRM_MAX_AGE = 3 * 24 * 3600
UNSUBSCRIBE_SALT = "follow-unsubscribe"
RESEND_AFTER = timedelta(minutes=10)
LOCAL_TIMEZONE = "Europe/Riga"



# --- Links ---------------------------------------------------------------------------------

def link(endpoint: str, **values) -> str:
    """An absolute link for an e-mail (no request needed: the CLI sends them too)."""
    base = site_address()
    return base + current_app.url_map.bind("localhost").build(endpoint, values)


def _new_key() -> str:
    return secrets.token_urlsafe(12)


def confirmation_token(follow: Follow) -> str:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT).dumps(
        {"f": follow.id, "k": follow.key})


def unsubscribe_token(follows: list[Follow]) -> str:
    """A link that stops these follows; it does not expire, and dies with the rows."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).dumps(
        [[f.id, f.key] for f in follows])


# --- Following and unfollowing --------------------------------------------------------------

def user_follow(consultation: Consultation, user) -> Follow | None:
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(select(Follow).where(Follow.consultation_id == consultation.id,
                                                  Follow.user_id == user.id))


def follow_as_user(consultation: Consultation, user: User, lang: str) -> Follow:
    """A signed-in person with a confirmed address follows at once."""
    if not user.is_confirmed or not user.email:
        raise Refused("follow.unconfirmed")
    existing = user_follow(consultation, user)
    if existing is not None:
        return existing
    follow = Follow(consultation_id=consultation.id, user_id=user.id, language=_lang(lang), key=_new_key(),
                    confirmed_at=utcnow())
    db.session.add(follow)
    try:
        db.session.commit()
    except IntegrityError:  # a parallel click won
        db.session.rollback()
        existing = user_follow(consultation, user)
        if existing is None:
            raise
        return existing
    return follow


def unfollow_as_user(consultation: Consultation, user: User) -> bool:
    follow = user_follow(consultation, user)
    if follow is None:
        return False
    db.session.delete(follow)
    db.session.commit()
    return True


def request_follow(consultation: Consultation, email: str, lang: str, now: datetime | None = None) -> None:
    """Anyone may follow by e-mail: the address gets a confirmation link (double opt-in).

    The answer is the same whether or not the address already follows, so the form
    tells nobody who follows what; a link is sent at most once in ten minutes.
    """
    now = now or utcnow()
    follow = db.session.scalar(select(Follow).where(Follow.consultation_id == consultation.id,
                                                    Follow.email == email))
    if follow is not None and follow.confirmed_at is not None:
        return
    if follow is None:
        follow = Follow(consultation_id=consultation.id, email=email, language=_lang(lang), key=_new_key())
        db.session.add(follow)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            return
    elif follow.confirmation_sent_at and now - follow.confirmation_sent_at < RESEND_AFTER:
        return
    follow.language = _lang(lang)
    follow.confirmation_sent_at = now
    send_email(email, "follow_confirm", follow.language, consultation=consultation,
               title=_title(consultation, follow.language),
               link=link("follow.confirm", lang=follow.language, token=confirmation_token(follow)))
    db.session.commit()


def confirm_follow(token: str) -> Follow | None:
    """Confirms the address of a follow; None when the link is invalid, expired or its follow is gone."""
    try:
        data = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT).loads(
            token, max_age=CONFIRM_MAX_AGE)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("f"), int) or not isinstance(data.get("k"), str):
        return None
    follow = db.session.get(Follow, data["f"]) if 0 < data["f"] < 2**31 else None
    if follow is None or follow.key != data["k"] or not follow.consultation.is_public:
        return None
    if follow.confirmed_at is None:
        follow.confirmed_at = utcnow()
        db.session.commit()
    return follow


def follows_for_token(token: str) -> list[Follow] | None:
    """The follows an unsubscribe link still stops: None for a forged link, [] when already stopped."""
    try:
        data = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(data, list) or not data or len(data) > 100 or not all(
            isinstance(p, list) and len(p) == 2 and isinstance(p[0], int) and isinstance(p[1], str)
            and 0 < p[0] < 2**31 for p in data):
        return None
    keys = dict((pair[0], pair[1]) for pair in data)
    follows = db.session.scalars(select(Follow).where(Follow.id.in_(keys)).options(joinedload(Follow.consultation)))
    return [f for f in follows if keys.get(f.id) == f.key]


def unsubscribe(token: str) -> list[Consultation] | None:
    """Stops the follows of an unsubscribe link; returns their consultations ([] if already stopped)."""
    follows = follows_for_token(token)
    if not follows:
        return follows
    consultations = [f.consultation for f in follows]
    for follow in follows:
        db.session.delete(follow)
    db.session.commit()
    return consultations


# --- E-mail ---------------------------------------------------------------------------------

def _lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _title(consultation: Consultation, lang: str) -> str:
    return getattr(consultation, f"title_{lang}", "") or consultation.title_lv


def _local_date(moment: datetime):
    try:
        from zoneinfo import ZoneInfo
        zone = ZoneInfo(LOCAL_TIMEZONE)
    except Exception:  # no time-zone data on this machine: UTC days are close enough
        zone = UTC
    return moment.replace(tzinfo=UTC).astimezone(zone).date()


@dataclass
class Block:
    """What one message says about one consultation."""
    consultation: Consultation
    follow: Follow
    title: str = ""
    events: list[ConsultationEvent] = field(default_factory=list)
    overview: str = ""
    unsubscribe: str = ""


def _still_true(event_: ConsultationEvent, now: datetime) -> bool:
    """A section or version that was published and then taken back is not announced."""
    if event_.kind == EventKind.SECTION_PUBLISHED:
        return event_.section is not None and event_.section.is_published(now)
    if event_.kind == EventKind.VERSION_PUBLISHED:
        return event_.version is not None and event_.version.is_published(now)
    return True


def public_events(consultation: Consultation, limit: int = 50, now: datetime | None = None
                  ) -> list[ConsultationEvent]:
    """What has happened to a consultation, newest first (the consultation's Atom feed)."""
    now = now or utcnow()
    events = db.session.scalars(
        select(ConsultationEvent).where(ConsultationEvent.consultation_id == consultation.id,
                                        ConsultationEvent.happens_at <= now)
        .options(joinedload(ConsultationEvent.section), joinedload(ConsultationEvent.version))
        .order_by(ConsultationEvent.happens_at.desc(), ConsultationEvent.id.desc()).limit(limit))
    return [e for e in events if _still_true(e, now)]


def list_unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058 header fields: the mail client offers its own "unsubscribe" button, which
    POSTs "List-Unsubscribe=One-Click" to the link (the follow.unsubscribe page accepts that without a
    CSRF token). A link too long for one header line — an address following very many consultations —
    gets none; the link in the message still works."""
    value = f"<{url}>"
    if not header_fits("List-Unsubscribe", value):
        return {}
    return {"List-Unsubscribe": value, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _address(follow: Follow) -> str | None:
    if follow.user_id is None:
        return follow.email
    user = follow.user
    if user is None or user.deleted_at is not None or user.suspended_at is not None or not user.is_confirmed:
        return None
    return user.email


def send_follow_mail(now: datetime | None = None) -> int:
    """Sends each follower one message with what is new; returns the number of messages sent.

    A follower who already had a message today (Europe/Riga) waits until tomorrow;
    what happened in between is then in that one message.
    """
    now = now or utcnow()
    follows = list(db.session.scalars(
        select(Follow).join(Consultation).where(Follow.confirmed_at.is_not(None),
                                                Consultation.status.in_(ConsultationStatus.PUBLIC))
        .options(joinedload(Follow.consultation), joinedload(Follow.user))))
    by_address: dict[str, list[Follow]] = defaultdict(list)
    for follow in follows:
        address = _address(follow)
        if address:
            by_address[address.lower()].append(follow)
    if not by_address:
        return 0
    earliest = min((f.last_sent_at or f.confirmed_at) for f in follows)
    events_of: dict[int, list[ConsultationEvent]] = defaultdict(list)
    for event_ in db.session.scalars(
            select(ConsultationEvent).where(
                ConsultationEvent.consultation_id.in_({f.consultation_id for f in follows}),
                ConsultationEvent.due_at > earliest, ConsultationEvent.due_at <= now,
                ConsultationEvent.happens_at <= now)
            .options(joinedload(ConsultationEvent.section), joinedload(ConsultationEvent.version))
            .order_by(ConsultationEvent.happens_at, ConsultationEvent.id)):
        if _still_true(event_, now):
            events_of[event_.consultation_id].append(event_)
    today = _local_date(now)
    sent = 0
    for address, own in by_address.items():
        if any(f.last_sent_at is not None and _local_date(f.last_sent_at) == today for f in own):
            continue
        own.sort(key=lambda f: (f.created_at, f.id))
        lang = own[-1].user.language if own[-1].user is not None else own[-1].language
        lang = _lang(lang)
        blocks = []
        for follow in own:
            since = follow.last_sent_at or follow.confirmed_at
            news = [e for e in events_of.get(follow.consultation_id, []) if e.due_at > since]
            if news:
                consultation = follow.consultation
                blocks.append(Block(consultation, follow, _title(consultation, lang), news,
                                    link("site.overview", lang=lang, slug=consultation.slug),
                                    link("follow.unsubscribe", lang=lang, token=unsubscribe_token([follow]))))
        if not blocks:
            continue
        for follow in own:
            follow.last_sent_at = now
        unsubscribe_all = link("follow.unsubscribe", lang=lang, token=unsubscribe_token(own))
        # Queued in the same transaction that records it as sent (mail.send_email commits).
        send_email(address, "follow_digest", lang, headers=list_unsubscribe_headers(unsubscribe_all), blocks=blocks,
                   unsubscribe=unsubscribe_all,
                   section_link=lambda consultation, section, lang=lang: link("site.section", lang=lang,
                                                                   slug=consultation.slug, number=section.number))
        db.session.commit()
        sent += 1
    return sent


def register_commands(app: Flask) -> None:
    @app.cli.command("send-follow-mail")
    def send_follow_mail_command():
        """E-mail followers what is new (at most one message a day each)."""
        count = send_follow_mail()
        click.echo(f"Sent {count} message(s) to followers.")


# --- Recording events: session events --------------------------------------------------------

def _changed(obj, name: str) -> bool:
    history = inspect(obj).attrs[name].history
    return bool(history.added or history.deleted)


def _owner(obj) -> dict:
    """consultation_id, or the (new) consultation object itself when it has no id yet."""
    consultation_id = obj.__dict__.get("consultation_id")
    if consultation_id is not None:
        return {"consultation_id": consultation_id}
    consultation = obj.__dict__.get("consultation")
    return {"consultation": consultation} if consultation is not None else {}


def _add_event(session: Session, kind: str, at: datetime, now: datetime, **refs) -> None:
    if "consultation_id" not in refs and "consultation" not in refs:
        return
    session.add(ConsultationEvent(kind=kind, happens_at=at, due_at=max(at, now), **refs))


def _past_kinds(session: Session, condition) -> set[str]:
    return set(session.connection().scalars(
        select(ConsultationEvent.kind).where(condition)))


def _consultation_changed(session: Session, consultation: Consultation, new: bool, now: datetime) -> None:
    if not new and not any(_changed(consultation, name)
                           for name in ("status", "opens_at", "closes_at", "concluded_at")):
        return
    table = ConsultationEvent.__table__
    past: set[str] = set()
    if consultation.id is not None:
        mine = (table.c.consultation_id == consultation.id) & table.c.kind.in_(EventKind.MILESTONES)
        # Scheduled milestones nobody has heard of yet are recomputed from the new dates.
        session.connection().execute(delete(table).where(mine, table.c.happens_at > now))
        past = _past_kinds(session, mine & (table.c.happens_at <= now))
    status = consultation.status
    wanted = []
    if status in ConsultationStatus.PUBLIC:
        wanted.append((EventKind.OPENED, consultation.opens_at or now))
    if status == ConsultationStatus.OPEN and consultation.closes_at is not None:
        wanted.append((EventKind.CLOSED, consultation.closes_at))  # it closes by itself then
    if status in (ConsultationStatus.CLOSED, ConsultationStatus.CONCLUDED):
        closes = consultation.closes_at
        wanted.append((EventKind.CLOSED, closes if closes is not None and closes <= now else now))
    if status == ConsultationStatus.CONCLUDED:
        wanted.append((EventKind.CONCLUDED, consultation.concluded_at or now))
    refs = {"consultation": consultation} if consultation.id is None else {"consultation_id": consultation.id}
    for kind, at in wanted:
        if kind not in past:
            _add_event(session, kind, at, now, **refs)


def _published_changed(session: Session, obj, kind: str, new: bool, now: datetime) -> None:
    """A section or a version (2 and later) got a publication time: announce it at that time."""
    if not new and not _changed(obj, "published_at"):
        return
    table = ConsultationEvent.__table__
    column = table.c.section_id if kind == EventKind.SECTION_PUBLISHED else table.c.version_id
    refs = {"section" if kind == EventKind.SECTION_PUBLISHED else "version": obj}
    if obj.id is not None:
        mine = (column == obj.id) & (table.c.kind == kind)
        session.connection().execute(delete(table).where(mine, table.c.happens_at > now))
        if _past_kinds(session, mine & (table.c.happens_at <= now)):
            return
    if obj.published_at is not None:
        _add_event(session, kind, obj.published_at, now, **_owner(obj), **refs)


_DELETED_USERS = "consult.follow.deleted_users"


def _record(session: Session, _flush_context, _instances) -> None:
    now = utcnow()
    dirty = [o for o in session.dirty if session.is_modified(o, include_collections=False)]
    added = session.new   # built anew on every access: once, so that a flush of many objects stays linear
    for obj in list(added) + dirty:
        new = obj in added
        if isinstance(obj, Consultation):
            _consultation_changed(session, obj, new, now)
        elif isinstance(obj, Section):
            _published_changed(session, obj, EventKind.SECTION_PUBLISHED, new, now)
        elif isinstance(obj, Version) and (obj.number or 0) > 1:
            _published_changed(session, obj, EventKind.VERSION_PUBLISHED, new, now)
        elif isinstance(obj, User) and not new and obj.deleted_at is not None and _changed(obj, "deleted_at"):
            # A deleted account follows nothing any more.
            session.info.setdefault(_DELETED_USERS, set()).add(obj.id)


def _after(session: Session, _flush_context) -> None:
    users = session.info.pop(_DELETED_USERS, None)
    if users:
        session.connection().execute(delete(Follow.__table__).where(Follow.__table__.c.user_id.in_(users)))


def _forget(session: Session, *_args) -> None:
    session.info.pop(_DELETED_USERS, None)


def install_listeners() -> None:
    """Called once when the follow blueprint is registered."""
    if event.contains(Session, "before_flush", _record):
        return
    event.listen(Session, "before_flush", _record)
    event.listen(Session, "after_flush_postexec", _after)
    event.listen(Session, "after_soft_rollback", _forget)

