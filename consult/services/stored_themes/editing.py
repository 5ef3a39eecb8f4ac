"""What members change: a theme's name, two themes merged, comments and positions moved."""
from __future__ import annotations

from sqlalchemy import select, update

from ...clock import utcnow
from ...extensions import db
from ...models import Consultation
from ...models.theme import NAME_MAX_CHARS, Theme, ThemeMember
from .. import themes as theme_finder
from ..feedback import normalise_tag
from ..refusals import Refused
from .lookup import theme
from .recomputing import _interleave


def normalise_name(name: str | None) -> str:
    return normalise_tag(name)


def rename(consultation: Consultation, theme_id: int, name: str, user_id: int | None) -> Theme:
    found = theme(consultation, theme_id)
    if found is None:
        raise Refused("theme.no_theme")
    value = normalise_name(name)
    if not value:
        raise Refused("theme.name_empty", field="name")
    if len(value) > NAME_MAX_CHARS:
        raise Refused("theme.name_long", field="name")
    found.name = value
    found.renamed_at = utcnow()
    found.renamed_by_id = user_id
    db.session.commit()
    return found


def merge(consultation: Consultation, theme_id: int, into_id: int | None) -> Theme:
    """Moves every member of one theme into another of the same set and removes the first.
    The target keeps its name; its key phrases take in the merged theme's."""
    source = theme(consultation, theme_id)
    if source is None:
        raise Refused("theme.no_theme")
    target = theme(consultation, into_id)
    if target is None or target.id == source.id or target.theme_set_id != source.theme_set_id:
        raise Refused("theme.merge_target", field="into")
    if source.is_other:
        raise Refused("theme.merge_other", field="into")
    db.session.execute(update(ThemeMember).where(ThemeMember.theme_id == source.id).values(theme_id=target.id)
                       .execution_options(synchronize_session=False))
    target.phrase_list = _interleave([target.phrase_list, source.phrase_list], theme_finder.PHRASES + 1)
    db.session.delete(source)
    db.session.commit()
    return target


def move(consultation: Consultation, refs, into_id: int | None, user_id: int | None) -> int:
    """Moves the named members ("c12", "p3") of a set into another of its themes; returns how many moved.
    Only members of the target's set move; a theme left empty disappears (the "other" group stays)."""
    from ..feedback import split_refs
    target = theme(consultation, into_id)
    if target is None:
        raise Refused("theme.move_target", field="into")
    comment_ids, position_ids = split_refs(refs)
    rows = list(db.session.scalars(select(ThemeMember).where(
        ThemeMember.theme_set_id == target.theme_set_id,
        (ThemeMember.comment_id.in_(comment_ids) | ThemeMember.position_id.in_(position_ids)))))
    if not rows:
        raise Refused("theme.no_items", field="items")
    now = utcnow()
    left = {row.theme_id for row in rows} - {target.id}
    for row in rows:
        if row.theme_id != target.id:
            row.quote, row.fit = False, None   # quotes and fits belong to the theme it was found in
        row.theme_id, row.moved_at, row.moved_by_id = target.id, now, user_id
    db.session.flush()
    if left:
        still = set(db.session.scalars(select(ThemeMember.theme_id).where(ThemeMember.theme_id.in_(left)).distinct()))
        for empty in db.session.scalars(select(Theme).where(Theme.id.in_(left - still), Theme.is_other.is_(False))):
            db.session.delete(empty)
    db.session.commit()
    return len(rows)
