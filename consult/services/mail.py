"""E-mail in the recipient's language, never lost and never slowing a page.

`send_email` renders the message and adds it to the outbox table in the caller's
transaction, so a message exists exactly when what caused it was committed. After
the commit it is delivered at once (development, tests, small sites) unless
CONSULT_MAIL_WORKER is set, in which case `flask --app consult send-mail` delivers
it, retrying with back-off while the mail server is away. With CONSULT_MAIL_URL
unset, delivery writes .eml files to instance/outbox/.
"""
from __future__ import annotations

import json
import logging
import os
import re
import secrets
import smtplib
import time
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app, has_request_context, render_template, request
from flask_babel import force_locale
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..extensions import db
from ..models import OutboxMessage

log = logging.getLogger("consult.mail")
SENDER = "consult <no-reply@consult.invalid>"
MAX_ATTEMPTS = 8


def site_address() -> str:
    """The site's address for links in e-mails, without a trailing slash.

    CONSULT_BASE_URL when set (production requires it). In development without it,
    the address this request came to, so `PORT=5611 make run` mails links to port
    5611; outside a request (the CLI), 127.0.0.1 on $PORT, as `make run` serves.
    """
    configured = current_app.config.get("BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.url_root.rstrip("/")
    return f"http://127.0.0.1:{os.environ.get('PORT') or 5000}"


class DeliveryFailed(Exception):
    pass


# Extra header fields a message may carry (List-Unsubscribe …): never one the message sets itself.
RESERVED_HEADERS = frozenset({"from", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version",
                              "content-type", "content-transfer-encoding", "content-language", "sender",
                              "reply-to", "return-path"})
_HEADER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,75}$")
MAX_HEADER_LINE = 998  # RFC 5322: a line, with the field name, must not be longer


def header_fits(name: str, value: str) -> bool:
    """Whether `name: value` is one line of printable ASCII that SMTP carries unchanged."""
    return (bool(_HEADER_NAME.match(name)) and name.lower() not in RESERVED_HEADERS
            and len(name) + 2 + len(value) <= MAX_HEADER_LINE and value.isascii()
            and all(" " <= char <= "~" for char in value))


class _Policy(EmailPolicy):
    """email.policy.default, except that the extra header fields are written as given, on one line.

    Folding turns a long word, such as a List-Unsubscribe URL, into =?utf-8?q?…?= encoded words that
    mail clients do not read as a link; header_fits() keeps such values printable ASCII within the line
    limit, so they need no folding.
    """
    unfolded: frozenset = frozenset()

    def fold(self, name, value):
        if name.lower() in self.unfolded:
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if name.lower() in self.unfolded:
            return self.fold(name, value).encode("ascii")
        return super().fold_binary(name, value)


def render_message(template: str, lang: str, **context) -> tuple[str, str]:
    """Renders email/<template>.<lang>.txt; its first line is `Subject: …`."""
    with force_locale(lang):
        text = render_template(f"email/{template}.{lang}.txt", lang=lang, **context)
    first, _, body = text.lstrip().partition("\n")
    return first.removeprefix("Subject:").strip(), body.strip() + "\n"


def send_email(to: str, template: str, lang: str, commit: bool = True, headers: dict[str, str] | None = None,
               **context) -> OutboxMessage:
    """Queues a message. With commit=False it joins the caller's transaction.

    `headers` are extra header fields (such as List-Unsubscribe), stored with the message; each must
    pass header_fits(), else ValueError.
    """
    pairs = [[name, value] for name, value in (headers or {}).items()]
    for name, value in pairs:
        if not header_fits(name, value):
            raise ValueError(f"header field {name!r} cannot be sent as given")
    subject, body = render_message(template, lang, base_url=site_address(), **context)
    message = OutboxMessage(recipient=to, subject=subject[:300], body=body, language=lang,
                            headers=json.dumps(pairs) if pairs else None)
    db.session.add(message)
    db.session.info.setdefault("outbox_new", []).append(message)
    if commit:
        db.session.commit()
    return message


@dataclass(frozen=True)
class Queued:
    """What delivery needs of a queued message, readable outside any session."""
    id: int
    recipient: str
    subject: str
    body: str
    language: str
    attempts: int
    next_attempt_at: object = None
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, message: OutboxMessage) -> Queued:
        return cls(message.id, message.recipient, message.subject, message.body, message.language,
                   message.attempts or 0, message.next_attempt_at, _stored_headers(message.headers))


def _stored_headers(raw: str | None) -> tuple[tuple[str, str], ...]:
    """The extra header fields of a stored message; any that would not be sent as given are left out."""
    try:
        pairs = json.loads(raw) if raw else []
    except ValueError:
        pairs = []
    return tuple((name, value) for name, value in (p for p in pairs if isinstance(p, list) and len(p) == 2)
                 if isinstance(name, str) and isinstance(value, str) and header_fits(name, value))


def _as_email(message: Queued) -> EmailMessage:
    email = EmailMessage(policy=_Policy(unfolded=frozenset(name.lower() for name, _ in message.headers)))
    email["From"] = current_app.config.get("MAIL_FROM") or SENDER
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain="consult.invalid")
    for name, value in message.headers:
        email[name] = value
    email.set_content(message.body)
    email["Content-Language"] = message.language  # after set_content, which resets the content headers
    return email


def deliver(email: EmailMessage) -> None:
    url = current_app.config.get("MAIL_URL")
    if not url:
        outbox = current_app.config["OUTBOX_DIR"]
        os.makedirs(outbox, exist_ok=True)
        name = f"{time.time_ns()}-{secrets.token_hex(4)}.eml"
        with open(os.path.join(outbox, name + ".tmp"), "wb") as handle:
            handle.write(email.as_bytes())
        os.replace(os.path.join(outbox, name + ".tmp"), os.path.join(outbox, name))
        return
    parts = urlsplit(url)
    smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    try:
        with smtp_class(parts.hostname or "localhost", parts.port or (465 if parts.scheme == "smtps" else 25),
                        timeout=10) as smtp:
            if parts.scheme == "smtp" and "starttls" in (parts.query or ""):
                smtp.starttls()
            if parts.username:
                smtp.login(unquote(parts.username), unquote(parts.password or ""))
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(str(error)) from error


def _attempt(connection, message: Queued) -> bool:
    """Tries one message; records success, or the error and the next try (exponential back-off)."""
    try:
        deliver(_as_email(message))
    except DeliveryFailed as error:
        attempts = message.attempts + 1
        connection.execute(update(OutboxMessage).where(OutboxMessage.id == message.id).values(
            attempts=attempts, last_error=str(error)[:500],
            next_attempt_at=utcnow() + timedelta(seconds=min(3600, 30 * 2 ** attempts))))
        log.warning("mail to %s failed (attempt %d): %s", message.recipient, attempts, error)
        return False
    connection.execute(update(OutboxMessage).where(OutboxMessage.id == message.id, OutboxMessage.sent_at.is_(None))
                       .values(sent_at=utcnow(), attempts=message.attempts + 1))
    return True


def send_due(limit: int = 100) -> tuple[int, int]:
    """Delivers messages that are due; returns (sent, failed). Safe to run in several workers."""
    sent = failed = 0
    now = utcnow()
    messages = [Queued.of(m) for m in db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now,
        OutboxMessage.attempts < MAX_ATTEMPTS).order_by(OutboxMessage.id).limit(limit))]
    db.session.commit()
    for message in messages:
        with db.engine.begin() as connection:
            # Claim it first, so two workers never send the same message twice.
            claimed = connection.execute(update(OutboxMessage).where(
                OutboxMessage.id == message.id, OutboxMessage.sent_at.is_(None),
                OutboxMessage.next_attempt_at == message.next_attempt_at)
                .values(next_attempt_at=now + timedelta(minutes=10))).rowcount
        if not claimed:
            continue
        with db.engine.begin() as connection:
            if _attempt(connection, message):
                sent += 1
            else:
                failed += 1
    return sent, failed


_listening = False


def init_app(app: Flask) -> None:
    global _listening
    app.config.setdefault("MAIL_WORKER", bool(os.environ.get("CONSULT_MAIL_WORKER")))
    if _listening:
        return
    _listening = True

    @event.listens_for(Session, "after_flush")
    def _snapshot(session, _context):
        pending = session.info.get("outbox_new")
        if pending:
            flushed = [m for m in pending if m.id is not None]
            session.info.setdefault("outbox_ready", []).extend(Queued.of(m) for m in flushed)
            session.info["outbox_new"] = [m for m in pending if m.id is None]

    @event.listens_for(Session, "after_commit")
    def _deliver_inline(session):
        session.info.pop("outbox_new", None)
        messages = session.info.pop("outbox_ready", None)
        if not messages or current_app.config.get("MAIL_WORKER"):
            return
        for message in messages:
            with db.engine.begin() as connection:
                _attempt(connection, message)

    @event.listens_for(Session, "after_rollback")
    def _forget(session):
        session.info.pop("outbox_new", None)
        session.info.pop("outbox_ready", None)
