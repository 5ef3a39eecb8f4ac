"""Site-wide settings an administrator changes: stored as named rows, every change in the audit log.

Plain functions without a request object. A setting that was never saved has its default.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..clock import utcnow
from ..extensions import db
from ..models import ModerationEvent, Role, Setting, User

TWO_STEP_REQUIRED = "two_step_required"
_ON, _OFF = "on", "off"


def _row(name: str) -> Setting | None:
    return db.session.execute(select(Setting).where(Setting.name == name)).scalar_one_or_none()


def two_step_required() -> bool:
    """Whether every staff account must use two-step verification."""
    row = _row(TWO_STEP_REQUIRED)
    return row is not None and row.value == _ON


def set_two_step_required(required: bool, actor: User) -> bool:
    """Turns the requirement on or off; logs the change with its actor. False when nothing changed."""
    value = _ON if required else _OFF
    row = _row(TWO_STEP_REQUIRED)
    old = row.value if row is not None else _OFF
    if old == value:
        return False
    if row is None:
        row = Setting(name=TWO_STEP_REQUIRED)
        db.session.add(row)
    row.value = value
    row.updated_at = utcnow()
    row.updated_by_id = actor.id
    try:
        db.session.flush()
    except IntegrityError:  # another administrator saved the first value a moment ago: change theirs
        db.session.rollback()
        row = _row(TWO_STEP_REQUIRED)
        old = row.value
        if old == value:
            return False
        row.value, row.updated_at, row.updated_by_id = value, utcnow(), actor.id
        db.session.flush()
    db.session.add(ModerationEvent(actor_id=actor.id, action=TWO_STEP_REQUIRED, target_type="setting",
                                   target_id=row.id, note=f"{old} → {value}"))
    db.session.commit()
    return True


def staff_without_two_step() -> list[User]:
    """The active staff accounts that have not turned two-step verification on, by name."""
    return list(db.session.scalars(select(User).where(
        User.role.in_(Role.STAFF), User.deleted_at.is_(None), User.suspended_at.is_(None),
        User.totp_enabled_at.is_(None)).order_by(User.display_name, User.id)))
