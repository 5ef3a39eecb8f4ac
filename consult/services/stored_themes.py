"""Themes as the working group sees them: worked out, stored, edited, and worked out again.

consult.services.themes groups texts; this module keeps its result in the theme tables
(consult.models.theme) for a scope, the whole consultation or one section, and lets
members rename a theme, merge two and move comments or positions between themes.

Working the themes out again keeps those edits:

* each newly found theme is matched to the stored theme that most of its members were in
  before (among the members that were in a theme other than "other"), when that is at
  least half of them; it then keeps the stored theme's id and name, and only its key
  phrases are renewed. Several new themes matched to one stored theme join it again, so
  a merge stays a merge and a theme the computation would now split stays whole;
* members a person moved stay in the theme they were moved to;
* a stored theme that nothing matches and nobody moved anything into disappears.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from flask_babel import gettext, pgettext
from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..clock import utcnow
from ..extensions import db
from ..models import Comment, Consultation, Position, RespondentType, Section, Stance, Status, User
from ..models.organisation import position_sections
from ..models.theme import NAME_MAX_CHARS, Theme, ThemeMember, ThemeSet
from . import ids
from . import themes as theme_finder
from .feedback import normalise_tag
from .refusals import Refused

WHOLE = "all"
MATCH_SHARE = 0.5      # share of a new theme's earlier members that must come from one stored theme
LABEL_PHRASES = 3      # key phrases that name a theme nobody has named
MEMBERS_PER_PAGE = 50
INSERT_BATCH = 5000


def scope_of(section: Section | None) -> str:
    return WHOLE if section is None else f"section-{section.id}"


def default_label(theme: Theme) -> str:
    """The theme's name, or its first key phrases; empty for an unnamed "other" group."""
    return theme.name or ", ".join(theme.phrase_list[:LABEL_PHRASES])


def _ref(comment_id, position_id) -> tuple[str, int]:
    return ("c", comment_id) if comment_id is not None else ("p", position_id)


def _columns(ref: tuple[str, int]) -> dict:
    return {"comment_id": ref[1], "position_id": None} if ref[0] == "c" else {"comment_id": None,
                                                                               "position_id": ref[1]}


# Reading -----------------------------------------------------------------------------------

def theme_set(consultation: Consultation, section: Section | None = None) -> ThemeSet | None:
    return db.session.scalar(select(ThemeSet).where(ThemeSet.consultation_id == consultation.id,
                                                    ThemeSet.scope == scope_of(section)))


def theme(consultation: Consultation, theme_id: int | None) -> Theme | None:
    """A theme of this consultation (any scope) by id, or None."""
    if theme_id is None or not ids.in_range(theme_id):
        return None
    return db.session.scalar(select(Theme).join(ThemeSet, ThemeSet.id == Theme.theme_set_id).where(
        Theme.id == theme_id, ThemeSet.consultation_id == consultation.id))


def consultation_themes(consultation: Consultation) -> list[tuple[Theme, Section | None]]:
    """Every theme of the consultation with the section its set is for (None: the whole consultation),
    the whole consultation's first: for the feedback table's filter."""
    rows = db.session.execute(
        select(Theme, Section).join(ThemeSet, ThemeSet.id == Theme.theme_set_id)
        .outerjoin(Section, Section.id == ThemeSet.section_id)
        .where(ThemeSet.consultation_id == consultation.id)
        .order_by(Section.number.is_not(None), Section.number, Theme.is_other, Theme.id)).all()
    return [(row[0], row[1]) for row in rows]


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


# Working the themes out ---------------------------------------------------------------------

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


# Editing --------------------------------------------------------------------------------------

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
    from .feedback import split_refs
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


# What the pages show -----------------------------------------------------------------------------

@dataclass
class Quote:
    ref: str           # "c12" or "p3"
    item_id: int
    text: str
    language: str


@dataclass
class ThemeView:
    theme: Theme
    comments: int = 0
    positions: int = 0
    by_stance: list[tuple[str, int]] = field(default_factory=list)       # comments only, in Stance.ALL order
    by_respondent: list[tuple[str, int]] = field(default_factory=list)   # comments and positions
    quotes: list[Quote] = field(default_factory=list)

    @property
    def size(self) -> int:
        return self.comments + self.positions


@dataclass
class Overview:
    theme_set: ThemeSet | None
    themes: list[ThemeView]     # largest first, the "other" group last
    items_now: int              # approved comments and positions in the scope now

    @property
    def changed_since(self) -> bool:
        return self.theme_set is not None and self.theme_set.items != self.items_now


def _approved_members(theme_ids, model):
    column = ThemeMember.comment_id if model is Comment else ThemeMember.position_id
    return (select(ThemeMember.theme_id).join(model, model.id == column)
            .where(ThemeMember.theme_id.in_(theme_ids), model.status == Status.APPROVED))


def _count_scope(consultation: Consultation, section: Section | None) -> int:
    comments = select(func.count(Comment.id)).where(Comment.consultation_id == consultation.id,
                                                     Comment.status == Status.APPROVED)
    positions = select(func.count(Position.id)).where(Position.consultation_id == consultation.id,
                                                       Position.status == Status.APPROVED)
    if section is not None:
        comments = comments.where(Comment.section_id == section.id)
        positions = positions.where(exists().where(position_sections.c.position_id == Position.id,
                                                   position_sections.c.section_id == section.id))
    return (db.session.scalar(comments) or 0) + (db.session.scalar(positions) or 0)


def views(themes: list[Theme], quote_chars: int = 400) -> list[ThemeView]:
    """Sizes, splits and quotes of the themes, counting only items that are still approved, in a
    fixed number of queries; largest first, the "other" group last."""
    result = {t.id: ThemeView(t) for t in themes}
    if not result:
        return []
    ids = list(result)
    for theme_id, stance, count in db.session.execute(
            _approved_members(ids, Comment).add_columns(Comment.stance, func.count())
            .group_by(ThemeMember.theme_id, Comment.stance)):
        result[theme_id].comments += count
        result[theme_id].by_stance.append((stance, count))
    respondents: dict[int, Counter] = defaultdict(Counter)
    for model in (Comment, Position):
        for theme_id, respondent, count in db.session.execute(
                _approved_members(ids, model).join(User, User.id == model.author_id)
                .add_columns(User.respondent_type, func.count()).group_by(ThemeMember.theme_id, User.respondent_type)):
            respondents[theme_id][respondent] += count
            if model is Position:
                result[theme_id].positions += count
    for theme_id, view in result.items():
        view.by_stance.sort(key=lambda item: Stance.ALL.index(item[0]) if item[0] in Stance.ALL else 99)
        view.by_respondent = sorted(respondents[theme_id].items(), key=lambda item: (
            RespondentType.ALL.index(item[0]) if item[0] in RespondentType.ALL else 99, item[0]))
    for theme_id, fit, item_id, text, language in db.session.execute(
            _approved_members(ids, Comment).where(ThemeMember.quote.is_(True))
            .add_columns(ThemeMember.fit, Comment.id, func.substr(Comment.body, 1, quote_chars + 1),
                         Comment.language)):
        result[theme_id].quotes.append((fit or 0, Quote(f"c{item_id}", item_id, text, language)))
    for theme_id, fit, item_id, title, text, language in db.session.execute(
            _approved_members(ids, Position).where(ThemeMember.quote.is_(True))
            .add_columns(ThemeMember.fit, Position.id, Position.title, func.substr(Position.body, 1, quote_chars + 1),
                         Position.language)):
        result[theme_id].quotes.append((fit or 0, Quote(f"p{item_id}", item_id, f"{title}: {text}", language)))
    for view in result.values():
        view.quotes = [quote for _fit, quote in sorted(view.quotes, key=lambda item: (-item[0], item[1].ref))][
            :theme_finder.QUOTES]
    return sorted(result.values(), key=lambda v: (v.theme.is_other, -v.size, v.theme.id))


def overview(consultation: Consultation, section: Section | None = None) -> Overview:
    found = theme_set(consultation, section)
    themes = list(db.session.scalars(select(Theme).where(Theme.theme_set_id == found.id))) if found else []
    return Overview(found, views(themes), _count_scope(consultation, section))


def set_themes(theme_set_row: ThemeSet) -> list[Theme]:
    return list(db.session.scalars(select(Theme).where(Theme.theme_set_id == theme_set_row.id)
                                   .order_by(Theme.is_other, Theme.id)))


@dataclass
class MemberPage:
    refs: list[str]     # "c12", "p3": the page's members, best fitting first (moved ones last)
    total: int
    page: int
    per_page: int = MEMBERS_PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def members_page(found: Theme, page: int = 1, per_page: int = MEMBERS_PER_PAGE) -> MemberPage:
    """The theme's approved members, a page at a time."""
    approved = (exists().where(Comment.id == ThemeMember.comment_id, Comment.status == Status.APPROVED)
                | exists().where(Position.id == ThemeMember.position_id, Position.status == Status.APPROVED))
    condition = (ThemeMember.theme_id == found.id, approved)
    total = db.session.scalar(select(func.count(ThemeMember.id)).where(*condition)) or 0
    rows = db.session.execute(
        select(ThemeMember.comment_id, ThemeMember.position_id).where(*condition)
        .order_by(ThemeMember.fit.is_(None), ThemeMember.fit.desc(), ThemeMember.id)
        .limit(per_page).offset((page - 1) * per_page)).all()
    return MemberPage([("c" if c is not None else "p") + str(c if c is not None else p) for c, p in rows],
                      total, page, per_page)


def member_ids(found: Theme) -> tuple[list[int], list[int]]:
    """The theme's comment ids and position ids (oldest first), for the analysis JSON."""
    comments, positions = [], []
    for comment_id, position_id in db.session.execute(
            select(ThemeMember.comment_id, ThemeMember.position_id).where(ThemeMember.theme_id == found.id)
            .order_by(ThemeMember.comment_id, ThemeMember.position_id)):
        (comments if comment_id is not None else positions).append(comment_id if comment_id is not None
                                                                   else position_id)
    return sorted(comments), sorted(positions)


def display_label(theme: Theme) -> str:
    """A theme's name in the current locale: the working group's name, its key phrases, or "Other".

    A name and key phrases are in the words people wrote, so they are the same in both languages;
    only the unnamed "other" group and a theme with neither get words of the locale."""
    if theme.is_other and not theme.name:
        return pgettext("theme", "Other")
    return default_label(theme) or gettext("Theme %(id)d", id=theme.id)


@dataclass(frozen=True)
class ItemTheme:
    id: int
    label: str


class ItemThemes:
    """The themes of comments and positions in the whole consultation's set, looked up a batch at a
    time (an export reads its rows in batches; the feedback table one page). The labels are made
    once, in the locale current when this is created. An item the themes were last worked out
    without (newer, or not approved then) has no theme."""

    def __init__(self, consultation: Consultation, themes: list[Theme] | None = None):
        """`themes`: the whole consultation's themes when the caller has them already (saves a query)."""
        if themes is None:
            found = theme_set(consultation)
            themes = set_themes(found) if found is not None else []
        self.theme_set_id = themes[0].theme_set_id if themes else None
        self.themes = {t.id: ItemTheme(t.id, display_label(t)) for t in themes}

    def of(self, comment_ids=(), position_ids=()) -> dict[str, ItemTheme]:
        """"c12"/"p3" → its theme, for the given wanted (those without a theme are left out)."""
        if not self.themes or not (comment_ids or position_ids):
            return {}
        found: dict[str, ItemTheme] = {}
        for kind, column, wanted in (("c", ThemeMember.comment_id, list(comment_ids)),
                                  ("p", ThemeMember.position_id, list(position_ids))):
            for start in range(0, len(wanted), INSERT_BATCH):
                for theme_id, item_id in db.session.execute(
                        select(ThemeMember.theme_id, column).where(ThemeMember.theme_set_id == self.theme_set_id,
                                                                   column.in_(wanted[start:start + INSERT_BATCH]))):
                    if theme_id in self.themes:
                        found[f"{kind}{item_id}"] = self.themes[theme_id]
        return found


def labels_by_item(consultation: Consultation) -> dict[str, str]:
    """"c12"/"p3" → the name of its theme in the whole consultation's set, for every member (no words of
    a locale: empty for the unnamed "other" group; the exports use ItemThemes)."""
    found = theme_set(consultation)
    if found is None:
        return {}
    names = {t.id: default_label(t) for t in set_themes(found)}
    return {("c" if c is not None else "p") + str(c if c is not None else p): names.get(theme_id, "")
            for theme_id, c, p in db.session.execute(
                select(ThemeMember.theme_id, ThemeMember.comment_id, ThemeMember.position_id)
                .where(ThemeMember.theme_set_id == found.id))}
