"""E-mail in the recipient's language.

With CONSULT_MAIL_URL unset, every message is written as an .eml file to
instance/outbox/, so development and tests can read what was sent.
"""
from __future__ import annotations

import logging
import os
import secrets
import smtplib
import time
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from flask_babel import force_locale

log = logging.getLogger("consult.mail")
SENDER = "consult <no-reply@consult.invalid>"


def render_message(template: str, lang: str, **context) -> tuple[str, str]:
    """Renders email/<template>.<lang>.txt; its first line is `Subject: …`."""
    with force_locale(lang):
        text = render_template(f"email/{template}.{lang}.txt", lang=lang, **context)
    first, _, body = text.lstrip().partition("\n")
    return first.removeprefix("Subject:").strip(), body.strip() + "\n"


def send_email(to: str, template: str, lang: str, **context) -> None:
    subject, body = render_message(template, lang, base_url=current_app.config["BASE_URL"].rstrip("/"), **context)
    message = EmailMessage()
    message["From"] = current_app.config.get("MAIL_SENDER") or SENDER
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="consult.invalid")
    message.set_content(body)
    message["Content-Language"] = lang  # after set_content, which resets the content headers
    deliver(message)


def deliver(message: EmailMessage) -> None:
    url = current_app.config.get("MAIL_URL")
    if not url:
        outbox = current_app.config["OUTBOX_DIR"]
        os.makedirs(outbox, exist_ok=True)
        name = f"{time.time_ns()}-{secrets.token_hex(4)}.eml"
        with open(os.path.join(outbox, name), "wb") as handle:
            handle.write(message.as_bytes())
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
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        # A mail outage must not fail what the person was doing.
        log.exception("could not send mail to %s", message["To"])
