"""People with accounts, and what they may do."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db


class Role:
    CITIZEN = "citizen"
    ORGANISATION = "organisation"
    MODERATOR = "moderator"
    WORKGROUP = "workgroup"
    EDITOR = "editor"
    ADMIN = "admin"
    ALL = (CITIZEN, ORGANISATION, MODERATOR, WORKGROUP, EDITOR, ADMIN)
    STAFF = (MODERATOR, WORKGROUP, EDITOR, ADMIN)
    # Who may be a member of a consultation's working group (admins too, as everywhere): the
    # editors who wrote the draft sit in it beside the policy experts.
    WORKING_GROUP = (WORKGROUP, EDITOR)
    # Members with these roles approve any response of their working group; others only as a
    # subgroup's lead.
    APPROVE_ANY = (EDITOR, ADMIN)


class RespondentType:
    """How a person takes part; shown instead of the name when they choose so."""
    CITIZEN = "citizen"
    ORGANISATION = "organisation"
    MUNICIPALITY = "municipality"
    BUSINESS = "business"
    ACADEMIC = "academic"
    OTHER = "other"
    ALL = (CITIZEN, ORGANISATION, MUNICIPALITY, BUSINESS, ACADEMIC, OTHER)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('citizen', 'organisation', 'moderator', 'workgroup', 'editor', 'admin')",
                        name="role"),
        CheckConstraint("language IN ('lv', 'en')", name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(20), default=Role.CITIZEN)
    respondent_type: Mapped[str] = mapped_column(String(20), default=RespondentType.CITIZEN)
    language: Mapped[str] = mapped_column(String(2), default="lv")
    consent_at: Mapped[datetime | None]
    email_confirmed_at: Mapped[datetime | None]
    suspended_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Checked on every request: changing it ends every other session of this user.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    # Two-step verification (TOTP). The secret is set when setting up starts and counts only
    # once a code made from it has been accepted (totp_enabled_at), so a half-done setup never
    # locks anybody out.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    # The newest time step whose code was accepted: a code seen once is never accepted again.
    totp_last_step: Mapped[int | None]

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.suspended_at is None and self.deleted_at is None

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def is_staff(self) -> bool:
        return self.role in Role.STAFF

    @property
    def has_two_step(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    def has_role(self, *roles: str) -> bool:
        return self.role in roles or self.role == Role.ADMIN

    def end_other_sessions(self) -> None:
        self.session_token = new_session_token()


class RecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator app, stored only as its SHA-256 hash.

    Each is a random 20-digit number (66 bits), so a fast hash is safe to keep; a used one stays,
    marked, until the set is replaced.
    """
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
