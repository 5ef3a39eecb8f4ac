"""Following and unfollowing, as a signed-in person or by e-mail address with double opt-in, and the signed links
that confirm and unsubscribe."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ...clock import utcnow
from ...extensions import db
from ...i18n import DEFAULT_LANGUAGE, LANGUAGES
from ...models import Consultation, Follow, User
from ..mail import send_email, site_address
from ..refusals import Refused

CONFIRM_SALT = "follow-confirm"
CONFIRM_MAX_AGE = 3 * 24 * 3600
UNSUBSCRIBE_SALT = "follow-unsubscribe"
RESEND_AFTER = timedelta(minutes=10)


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


def _lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _title(consultation: Consultation, lang: str) -> str:
    return getattr(consultation, f"title_{lang}", "") or consultation.title_lv
