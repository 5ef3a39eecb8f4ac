"""People and their roles (admins only)."""
from __future__ import annotations

from sqlalchemy import func, or_, select

from ...extensions import db
from ...models import ModerationEvent, Role, User
from ..refusals import Refused
from .common import _get

USERS_PER_PAGE = 50


def search_users(query: str, page: int) -> tuple[list[User], int]:
    condition = []
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        condition.append(or_(User.email.ilike(pattern, escape="\\"), User.display_name.ilike(pattern, escape="\\")))
    total = db.session.scalar(select(func.count()).select_from(User).where(*condition)) or 0
    found = list(db.session.scalars(select(User).where(*condition).order_by(User.email, User.id)
                                    .limit(USERS_PER_PAGE).offset((page - 1) * USERS_PER_PAGE)))
    return found, total


def user(user_id: int) -> User | None:
    return _get(User, user_id)


def change_role(person: User, role: str, actor: User) -> bool:
    """Give `person` another role; their other sessions end. Returns False when nothing changed."""
    if role not in Role.ALL:
        raise Refused("authoring.role")
    if person.id == actor.id:
        raise Refused("authoring.own_role")
    if person.role == role:
        return False
    old = person.role
    person.role = role
    person.end_other_sessions()
    db.session.add(ModerationEvent(actor_id=actor.id, action="change_role", target_type="user",
                                   target_id=person.id, note=f"{old} → {role}"))
    db.session.commit()
    return True
