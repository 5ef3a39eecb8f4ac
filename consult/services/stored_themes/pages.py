"""What the pages show: each theme with its counts and quotes, a theme's members page by page, and the theme of each
item in the table and exports."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext, pgettext
from sqlalchemy import exists, func, select

from ...extensions import db
from ...models import Comment, Consultation, Position, RespondentType, Section, Stance, Status, User
from ...models.organisation import position_sections
from ...models.theme import Theme, ThemeMember, ThemeSet
from .. import themes as theme_finder
from .lookup import default_label, theme_set
from .recomputing import INSERT_BATCH

MEMBERS_PER_PAGE = 50


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
