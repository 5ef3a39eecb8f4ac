"""A person's own activity, the download of their data, and deleting or erasing an account."""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload

from ...clock import utcnow
from ...extensions import db
from ...models import Comment, Follow, LinkedIdentity, RecoveryCode, Report, User
from .. import personal_data
from ..refusals import Refused
from .rules import check_password, normalise_email


def user_comments(user: User) -> list[Comment]:
    """All the user's comments, every status, newest first, in one query."""
    return list(db.session.execute(
        select(Comment)
        .where(Comment.author_id == user.id)
        .options(joinedload(Comment.consultation), joinedload(Comment.section), joinedload(Comment.paragraph))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    ).scalars())


def _iso(value) -> str | None:
    """A stored (naive UTC) time as ISO 8601 UTC."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


def user_follows(user: User) -> list[Follow]:
    """The consultations the user follows: with the account, and (once the account's address is confirmed,
    so nobody sees another address's follows) by that e-mail address without signing in."""
    mine = [Follow.user_id == user.id]
    if user.email and user.is_confirmed:
        mine.append(Follow.email == normalise_email(user.email))
    return list(db.session.scalars(select(Follow).where(or_(*mine)).options(joinedload(Follow.consultation))
                                   .order_by(Follow.created_at, Follow.id)))


def export_user_data(user: User) -> dict:
    """Everything the site holds about the user, for the "download my data" file."""
    reports = db.session.execute(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.created_at, Report.id)
    ).scalars()
    return {
        "exported_at": _iso(utcnow()),
        "profile": {
            "display_name": user.display_name,
            "email": user.email,
            "role": user.role,
            "respondent_type": user.respondent_type,
            "language": user.language,
            "created_at": _iso(user.created_at),
            "consent_at": _iso(user.consent_at),
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "last_login_at": _iso(user.last_login_at),
            "two_step_enabled_at": _iso(user.totp_enabled_at),  # the secret itself is never exported
        },
        "comments": [
            {
                "id": comment.id,
                "consultation": comment.consultation.slug,
                "section": comment.section.number,
                "paragraph": comment.paragraph_label,
                "reply_to": comment.parent_id,
                "stance": comment.stance,
                "body": comment.body,
                "language": comment.language,
                "show_name": comment.show_name,
                "status": comment.status,
                "moderation_reason": comment.moderation_reason,
                "created_at": _iso(comment.created_at),
                "edited_at": _iso(comment.edited_at),
            }
            for comment in reversed(user_comments(user))
        ],
        "reports": [
            {"comment": report.comment_id, "reason": report.reason, "note": report.note,
             "created_at": _iso(report.created_at), "resolved_at": _iso(report.resolved_at)}
            for report in reports
        ],
        # What they follow and since when; never the key that the follow's links are signed with.
        "follows": [
            {
                "consultation": follow.consultation.slug,
                "title": follow.consultation.title_lv,
                "followed_with": "account" if follow.user_id is not None else "email",
                "language": follow.language,
                "since": _iso(follow.created_at),
                "confirmed_at": _iso(follow.confirmed_at),
                "last_message_at": _iso(follow.last_sent_at),
            }
            for follow in user_follows(user)
        ],
        "poll_votes": personal_data.exported_votes(user),
        "positions": personal_data.exported_positions(user),
        "organisations": personal_data.exported_organisations(user),
        # Sign-in through an identity provider: which provider, and the provider's id for the person.
        "linked_identities": [
            {"issuer": identity.issuer, "subject": identity.subject, "linked_at": _iso(identity.created_at),
             "last_used_at": _iso(identity.last_used_at)}
            for identity in db.session.scalars(select(LinkedIdentity).where(LinkedIdentity.user_id == user.id)
                                               .order_by(LinkedIdentity.id))
        ],
    }


def delete_account(user: User, password: str) -> None:
    """Anonymises the account: no e-mail, name or password is kept, every session ends.

    Comments stay in the public record, shown with the respondent type only.
    Refuses "account.wrong_password".
    """
    if not check_password(user, password):
        raise Refused("account.wrong_password", field="password")
    erase_account(user)


def erase_account(user: User) -> None:
    """delete_account() once the caller has confirmed it is the account's owner: with the password,
    or, for an account that has none, by a fresh sign-in at its identity provider."""
    user.email = None
    user.display_name = ""
    user.password_hash = ""
    user.deleted_at = utcnow()
    user.last_login_at = None
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.end_other_sessions()
    db.session.execute(delete(LinkedIdentity).where(LinkedIdentity.user_id == user.id))
    db.session.execute(update(Comment).where(Comment.author_id == user.id).values(show_name=False))
    db.session.commit()
