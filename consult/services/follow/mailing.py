"""The message to followers: everything new for the consultations an address follows, at most once a day
(Europe/Riga), and the command that sends it."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

import click
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...clock import utcnow
from ...extensions import db
from ...models import Consultation, ConsultationEvent, ConsultationStatus, EventKind, Follow
from ..mail import header_fits, send_email
from .following import _lang, _title, link, unsubscribe_token

LOCAL_TIMEZONE = "Europe/Riga"


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
