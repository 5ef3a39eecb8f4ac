"""Storing checked submissions as comments: the placeholder sender, one from the page's form, or a whole file
in one transaction."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...clock import utcnow
from ...extensions import db
from ...models import Comment, Consultation, ModerationEvent, RespondentType, Role, Setting, Status, User
from ..comments import fingerprint
from .checking import Submission, _checked_context, check_table, check_values
from .columns import MAX_ROWS, SENDER_NAME, SENDER_SETTING, _problem, _refused
from .reading import read_table


def offline_sender() -> User:
    """The placeholder account every offline submission has as its author, made on first use.

    It has no e-mail address and no password, so nobody signs in to it and no mail goes to it;
    a site setting remembers which account it is.
    """
    row = db.session.scalar(select(Setting).where(Setting.name == SENDER_SETTING))
    if row is not None and row.value.isdigit():
        user = db.session.get(User, int(row.value))
        if user is not None:
            return user
    user = User(email=None, display_name=SENDER_NAME, password_hash="", role=Role.CITIZEN,
                respondent_type=RespondentType.OTHER)
    db.session.add(user)
    db.session.flush()
    if row is None:
        db.session.add(Setting(name=SENDER_SETTING, value=str(user.id)))
    else:
        row.value = str(user.id)
    try:
        db.session.commit()
    except IntegrityError:  # another import made it a moment ago: use theirs
        db.session.rollback()
        row = db.session.scalar(select(Setting).where(Setting.name == SENDER_SETTING))
        return db.session.get(User, int(row.value))
    return user


def is_offline_sender(user: User | None) -> bool:
    if user is None:
        return False
    row = db.session.scalar(select(Setting.value).where(Setting.name == SENDER_SETTING))
    return row == str(user.id)


def _store(consultation: Consultation, submissions: list[Submission], keys: list[str], entered_by: User | None,
           note: str, publish: bool = False) -> list[Comment]:
    """Adds the comments and their audit rows in one transaction: all of them, or (on an error) none.

    They wait for moderation like any comment (or are public at once under post-moderation), unless
    `publish`: then `entered_by`, a moderator, approves each as it is stored, and the log says so.
    """
    sender = offline_sender()
    post_moderated = consultation.moderation_mode == "post"
    now = utcnow()
    entered_by_id = entered_by.id if entered_by is not None else None
    comments = []
    for submission, key in zip(submissions, keys):
        comments.append(Comment(
            consultation_id=consultation.id, section_id=submission.section_id, version_id=submission.version_id,
            paragraph_id=submission.paragraph_id, author_id=sender.id, stance=submission.stance,
            body=submission.body, language=submission.language, show_name=bool(submission.sender_organisation),
            status=Status.APPROVED if post_moderated or publish else Status.PENDING, needs_review=not publish,
            moderated_at=now if publish else None, moderated_by_id=entered_by_id if publish else None,
            fingerprint=fingerprint(submission.body), idempotency_key=key, created_at=now,
            channel=submission.channel, received_on=submission.received_on, sender_type=submission.sender_type,
            sender_organisation=submission.sender_organisation, entered_by_id=entered_by_id))
    db.session.add_all(comments)
    db.session.add(ModerationEvent(actor_id=entered_by_id, action="enter_submissions", target_type="consultation",
                                   target_id=consultation.id, note=note))
    try:
        if publish:
            db.session.flush()   # the ids, for one audit row per approved comment
            db.session.add_all([ModerationEvent(actor_id=entered_by_id, action="approve", target_type="comment",
                                                target_id=comment.id, created_at=now) for comment in comments])
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return comments


def _file_keys(consultation: Consultation, data: bytes, submissions: list[Submission]) -> list[str]:
    """One idempotency key per line from the file's digest: importing the same file twice is noticed."""
    digest = hashlib.sha256(f"{consultation.id}:".encode() + data).hexdigest()[:40]
    return [f"file-{digest}-{submission.line}" for submission in submissions]


def import_file(consultation: Consultation, data: bytes, filename: str, entered_by: User | None = None,
                publish: bool = False, max_rows: int = MAX_ROWS) -> int:
    """Imports every line of a CSV or XLSX file, or none; returns how many were stored.

    `publish` (for the command line, when the letters were vetted before) approves them at once in
    the name of `entered_by`, who must be a moderator. Refuses with every problem found (each
    naming its line), and then stores nothing.
    """
    if publish and (entered_by is None or not entered_by.has_role(Role.MODERATOR)):
        raise ValueError("publishing at once needs a moderator or an administrator as entered_by")
    table = read_table(data, filename, max_rows)
    submissions = check_table(consultation, table)
    keys = _file_keys(consultation, data, submissions)
    sender = offline_sender()
    if db.session.scalar(select(Comment.id).where(Comment.author_id == sender.id,
                                                  Comment.idempotency_key == keys[0]).limit(1)) is not None:
        raise _problem("submission.imported")
    name = (filename or "").replace("\n", " ").replace("\r", " ")[-120:]
    try:
        comments = _store(consultation, submissions, keys, entered_by, f"{len(submissions)} · {name}".strip(" ·"),
                          publish=publish)
    except IntegrityError:
        raise _problem("submission.imported") from None   # the same file, imported in parallel
    return len(comments)


def add_submission(consultation: Consultation, values: dict, entered_by: User, idempotency_key: str) -> Comment:
    """Stores one submission typed into the page's form (column key → text).

    The same form sent twice (the same key) stores one comment and returns it both times.
    Refuses with the problems, each naming its column (the form's field).
    """
    context = _checked_context(consultation)
    submission, problems = check_values(context, values, formulas=False)
    if problems:
        raise _refused(problems)
    sender = offline_sender()
    key = "form-" + (idempotency_key or "")[:58]
    earlier = db.session.scalar(select(Comment).where(Comment.author_id == sender.id,
                                                      Comment.idempotency_key == key))
    if earlier is not None and idempotency_key:
        return earlier
    if not idempotency_key:
        key = "form-" + secrets.token_hex(24)
    try:
        (comment,) = _store(consultation, [submission], [key], entered_by, "1")
    except IntegrityError:
        stored = db.session.scalar(select(Comment).where(Comment.author_id == sender.id,
                                                         Comment.idempotency_key == key))
        if stored is None:
            raise
        return stored
    return comment
