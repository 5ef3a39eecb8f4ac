"""Working a scope's themes out again, keeping what people renamed, merged and moved; also as the background job."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.exc import IntegrityError

from ...clock import utcnow
from ...extensions import db
from ...models import Comment, Consultation, Position, Section, Status
from ...models.organisation import position_sections
from ...models.theme import Theme, ThemeMember, ThemeSet
from .. import themes as theme_finder
from ..refusals import Refused
from .lookup import WHOLE, _columns, _ref, scope_of

MATCH_SHARE = 0.5      # share of a new theme's earlier members that must come from one stored theme


INSERT_BATCH = 5000


def _scope_texts(consultation: Consultation, section: Section | None) -> list[theme_finder.Text]:
    """The approved comments and positions of the scope, oldest first (a section's positions are
    those that name it; positions on the whole draft count for the whole consultation only)."""
    comments = (select(Comment.id, Comment.body, Comment.language)
                .where(Comment.consultation_id == consultation.id, Comment.status == Status.APPROVED)
                .order_by(Comment.created_at, Comment.id))
    positions = (select(Position.id, Position.title, Position.body, Position.language)
                 .where(Position.consultation_id == consultation.id, Position.status == Status.APPROVED)
                 .order_by(Position.created_at, Position.id))
    if section is not None:
        comments = comments.where(Comment.section_id == section.id)
        positions = positions.where(exists().where(position_sections.c.position_id == Position.id,
                                                   position_sections.c.section_id == section.id))
    texts = [theme_finder.Text(("c", row.id), row.body, row.language)
             for row in db.session.execute(comments.execution_options(yield_per=2000))]
    texts += [theme_finder.Text(("p", row.id), f"{row.title}\n{row.body}", row.language)
              for row in db.session.execute(positions)]
    return texts


@dataclass
class Recomputed:
    theme_set: ThemeSet
    themes: int            # themes now, the "other" group not counted
    other: int             # members of the "other" group
    kept_moves: int        # members that stayed where a person had moved them


def _get_set(consultation: Consultation, section: Section | None) -> ThemeSet:
    """The scope's theme set, locked for the rest of the transaction (created when new)."""
    found = db.session.scalar(select(ThemeSet).where(ThemeSet.consultation_id == consultation.id,
                                                     ThemeSet.scope == scope_of(section)).with_for_update())
    if found is None:
        found = ThemeSet(consultation_id=consultation.id, section_id=section.id if section else None,
                         scope=scope_of(section))
        try:
            with db.session.begin_nested():
                db.session.add(found)
        except IntegrityError:   # someone else created it meanwhile: use theirs
            found = db.session.scalar(select(ThemeSet).where(ThemeSet.consultation_id == consultation.id,
                                                             ThemeSet.scope == scope_of(section)).with_for_update())
    return found


def _match(found: theme_finder.FoundTheme, earlier: dict, stored: dict[int, Theme]) -> Theme | None:
    """The stored theme most of this new theme's earlier members were in, if it holds MATCH_SHARE of them."""
    votes = Counter(earlier[ref] for ref in found.refs
                    if ref in earlier and earlier[ref] in stored and not stored[earlier[ref]].is_other)
    if not votes:
        return None
    theme_id, count = min(votes.items(), key=lambda item: (-item[1], item[0]))
    return stored[theme_id] if count >= MATCH_SHARE * sum(votes.values()) else None


def _interleave(lists: list[list[str]], limit: int) -> list[str]:
    """The first phrase of each list, then the second of each …, without repeats."""
    merged: list[str] = []
    for depth in range(max((len(values) for values in lists), default=0)):
        for values in lists:
            if depth < len(values) and values[depth] not in merged:
                merged.append(values[depth])
    return merged[:limit]


def recompute(consultation: Consultation, section: Section | None = None, user_id: int | None = None,
              progress=None) -> Recomputed:
    """Works out the scope's themes again from its approved comments and positions, keeping people's edits.
    `progress` (a consult.services.jobs.Progress) hears how far it got while it reads and computes."""
    texts = _scope_texts(consultation, section)
    if progress is not None:
        progress.step(10, 90)
    result = theme_finder.find_themes(texts, progress)
    if progress is not None:
        progress.step(90, 99)   # the last report: from here on the session writes the themes
    present = {text.ref for text in texts}
    theme_set_row = _get_set(consultation, section)
    stored = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.theme_set_id == theme_set_row.id))}
    earlier: dict[Hashable, int] = {}
    moved: dict[Hashable, int] = {}
    for theme_id, comment_id, position_id, moved_at in db.session.execute(
            select(ThemeMember.theme_id, ThemeMember.comment_id, ThemeMember.position_id, ThemeMember.moved_at)
            .where(ThemeMember.theme_set_id == theme_set_row.id)):
        ref = _ref(comment_id, position_id)
        earlier[ref] = theme_id
        if moved_at is not None and ref in present:
            moved[ref] = theme_id

    # Match the new themes to the stored ones; several matched to one join it.
    claimed: dict[int, list[theme_finder.FoundTheme]] = defaultdict(list)
    fresh: list[theme_finder.FoundTheme] = []
    for found in result.themes:
        target = _match(found, earlier, stored)
        if target is None:
            fresh.append(found)
        else:
            claimed[target.id].append(found)
    placed: list[tuple[Theme, list[theme_finder.FoundTheme]]] = []
    for theme_id, founds in claimed.items():
        stored[theme_id].phrase_list = _interleave([f.phrases for f in founds], theme_finder.PHRASES)
        placed.append((stored[theme_id], founds))
    for found in fresh:
        row = Theme(theme_set_id=theme_set_row.id)
        row.phrase_list = found.phrases
        db.session.add(row)
        placed.append((row, [found]))
    other = next((t for t in stored.values() if t.is_other), None)
    if result.other and other is None:
        other = Theme(theme_set_id=theme_set_row.id, is_other=True)
        db.session.add(other)
    db.session.flush()

    # Members: moved ones stay; the rest go where the computation put them.
    db.session.execute(delete(ThemeMember).where(ThemeMember.theme_set_id == theme_set_row.id,
                                                 ThemeMember.moved_at.is_(None)))
    gone = [ref for ref, theme_id in earlier.items() if ref not in present]
    for kind, column in (("c", ThemeMember.comment_id), ("p", ThemeMember.position_id)):
        ids = [ref[1] for ref in gone if ref[0] == kind]
        for start in range(0, len(ids), INSERT_BATCH):
            db.session.execute(delete(ThemeMember).where(ThemeMember.theme_set_id == theme_set_row.id,
                                                         column.in_(ids[start:start + INSERT_BATCH])))
    rows = []
    for row, founds in placed:
        for found in founds:
            quotes = set(found.quotes)
            rows.extend({"theme_set_id": theme_set_row.id, "theme_id": row.id, "fit": fit, "quote": ref in quotes,
                         **_columns(ref)} for ref, fit in found.members if ref not in moved)
    if other is not None:
        rows.extend({"theme_set_id": theme_set_row.id, "theme_id": other.id, "fit": None, "quote": False,
                     **_columns(ref)} for ref in result.other if ref not in moved)
    for start in range(0, len(rows), INSERT_BATCH):
        db.session.execute(insert(ThemeMember), rows[start:start + INSERT_BATCH])

    # Themes left without members disappear.
    used = {row.id for row, _founds in placed} | set(moved.values()) | ({other.id} if result.other else set())
    for row in stored.values():
        if row.id not in used:
            db.session.delete(row)
    theme_set_row.computed_at = utcnow()
    theme_set_row.computed_by_id = user_id
    theme_set_row.items = len(texts)
    db.session.commit()
    return Recomputed(theme_set_row, themes=len(placed), other=len(result.other), kept_moves=len(moved))


def section_of_scope(consultation: Consultation, scope: str) -> Section | None:
    """The section a scope names ("section-<id>"), None for the whole consultation."""
    if scope == WHOLE:
        return None
    found = db.session.get(Section, int(scope.removeprefix("section-")))
    if found is None or found.consultation_id != consultation.id:
        raise Refused("theme.no_section")
    return found


def run_job(job, progress) -> dict:
    """The "themes" job (consult.services.jobs): the scope's themes worked out again."""
    consultation = db.session.get(Consultation, job.consultation_id)
    done = recompute(consultation, section_of_scope(consultation, job.scope), job.requested_by_id, progress)
    return {"themes": done.themes, "other": done.other, "kept_moves": done.kept_moves}
