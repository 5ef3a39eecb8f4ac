"""What editors do: consultations, their status, sections, paragraphs, versions, imports,
subgroups, news, FAQ, documents and (admins only) people's roles.

Plain functions on plain values; each one that changes something commits, and
refuses with `Refused("authoring.…")` when the change would break a rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ..clock import utcnow
from ..extensions import db
from ..models import (
    Comment,
    Consultation,
    ConsultationStatus,
    Document,
    FaqItem,
    ModerationEvent,
    NewsItem,
    Paragraph,
    Position,
    Role,
    Section,
    Subgroup,
    User,
    Version,
)
from ..models.workgroup import member_subgroups
from . import ids, responses, uploads
from .importing import BilingualSection
from .refusals import Refused


def _get(model, object_id: int):
    return ids.get(model, object_id)


def _commit(code: str) -> None:
    """Commit; a unique constraint hit by a parallel request becomes a refusal, not a 500."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Refused(f"authoring.{code}") from None


# ---------------------------------------------------------------------------
# Consultations

CONSULTATION_FIELDS = ("slug", "title_lv", "title_en", "summary_lv", "summary_en", "institution_lv",
                       "institution_en", "opens_at", "closes_at", "moderation_mode")


def all_consultations() -> list[Consultation]:
    return list(db.session.scalars(select(Consultation).order_by(Consultation.created_at.desc(),
                                                                 Consultation.id.desc())))


def consultation(consultation_id: int) -> Consultation | None:
    return _get(Consultation, consultation_id)


def slug_taken(slug: str, exclude_id: int | None = None) -> bool:
    query = select(Consultation.id).where(Consultation.slug == slug)
    if exclude_id:
        query = query.where(Consultation.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def create_consultation(values: dict) -> Consultation:
    """A new consultation in draft, with an empty version 1 ready for its text."""
    item = Consultation(status=ConsultationStatus.DRAFT,
                        **{k: values[k] for k in CONSULTATION_FIELDS if k in values})
    item.versions.append(Version(number=1))
    db.session.add(item)
    _commit("slug")
    return item


def update_consultation(item: Consultation, values: dict) -> None:
    for key in CONSULTATION_FIELDS:
        if key in values:
            setattr(item, key, values[key])
    _commit("slug")


# draft → open → closed → concluded, and one step back where a mistake needs undoing.
STATUS_STEPS = {
    ConsultationStatus.DRAFT: (ConsultationStatus.OPEN,),
    ConsultationStatus.OPEN: (ConsultationStatus.CLOSED, ConsultationStatus.DRAFT),
    ConsultationStatus.CLOSED: (ConsultationStatus.CONCLUDED, ConsultationStatus.OPEN),
    ConsultationStatus.CONCLUDED: (ConsultationStatus.CLOSED,),
}


def has_outcome_introduction(item: Consultation) -> bool:
    """Whether the working group has written the outcome's introduction in both languages."""
    return bool((item.outcome_intro_lv or "").strip() and (item.outcome_intro_en or "").strip())


def change_status(item: Consultation, target: str, now: datetime | None = None, actor: User | None = None) -> int:
    """Move to the next (or back to the previous) status; dates follow what really happened.

    Concluding publishes the outcome (responses.publish_outcome): the authors of answered proposals
    are e-mailed. It needs the working group's introduction in both languages ("outcome_intro").
    Returns how many were mailed (0 for every other step).
    """
    if target not in STATUS_STEPS.get(item.status, ()):
        raise Refused("authoring.status")
    now = now or utcnow()
    if target == ConsultationStatus.CONCLUDED:
        # The public outcome opens with the working group's introduction in both languages, and the
        # working group's publish form requires it; concluding here must not publish an outcome without it.
        if not has_outcome_introduction(item):
            raise Refused("authoring.outcome_intro")
        return responses.publish_outcome(item, actor, now)
    if target == ConsultationStatus.OPEN:
        if item.opens_at is None:
            item.opens_at = now.replace(microsecond=0)
        if item.closes_at is not None and item.closes_at <= now:
            raise Refused("authoring.closes_past")
    elif target == ConsultationStatus.CLOSED and item.status == ConsultationStatus.OPEN:
        if item.closes_at is None or item.closes_at > now:
            item.closes_at = now.replace(microsecond=0)
    elif item.status == ConsultationStatus.CONCLUDED:
        item.concluded_at = None
    item.status = target
    db.session.commit()
    return 0


# ---------------------------------------------------------------------------
# Versions

def versions(item: Consultation) -> list[Version]:
    return list(db.session.scalars(select(Version).where(Version.consultation_id == item.id)
                                   .order_by(Version.number)))


def latest_version(item: Consultation) -> Version | None:
    return db.session.scalar(select(Version).where(Version.consultation_id == item.id)
                             .order_by(Version.number.desc()).limit(1))


def draft_version(item: Consultation) -> Version | None:
    """The version editors write in: the newest one, while it is not yet public."""
    latest = latest_version(item)
    return latest if latest is not None and not latest.is_published() else None


def version(item: Consultation, number: int) -> Version | None:
    if not 0 < number < 1_000_000:
        return None
    return db.session.scalar(select(Version).where(Version.consultation_id == item.id, Version.number == number))


def has_text(item: Consultation) -> bool:
    return db.session.scalar(select(Paragraph.id).join(Section).where(Section.consultation_id == item.id)
                             .limit(1)) is not None


def start_version(item: Consultation) -> Version:
    """The next version, starting as a copy of the newest one, to be edited and then published."""
    latest = latest_version(item)
    if latest is None:
        new = Version(number=1)
        item.versions.append(new)
        _commit("version")
        return new
    if not latest.is_published():
        raise Refused("authoring.draft_exists", number=latest.number)
    new = Version(consultation_id=item.id, number=latest.number + 1)
    db.session.add(new)
    db.session.flush()
    for paragraph in db.session.scalars(select(Paragraph).where(Paragraph.version_id == latest.id)):
        db.session.add(Paragraph(section_id=paragraph.section_id, version_id=new.id, number=paragraph.number,
                                 text_lv=paragraph.text_lv, text_en=paragraph.text_en))
    _commit("version")
    return new


def update_change_note(version_: Version, note_lv: str, note_en: str) -> None:
    version_.change_note_lv = note_lv
    version_.change_note_en = note_en
    db.session.commit()


def publish_version(version_: Version, now: datetime | None = None) -> None:
    """Make a draft version the one visitors read. A revised version needs its change note."""
    now = now or utcnow()
    if version_.is_published(now):
        raise Refused("authoring.already_published")
    latest = latest_version(version_.consultation)
    if latest is not None and latest.id != version_.id:
        raise Refused("authoring.not_latest")
    if version_.number > 1 and not (version_.change_note_lv or "").strip():
        raise Refused("authoring.note_missing")
    if not db.session.scalar(select(Paragraph.id).where(Paragraph.version_id == version_.id).limit(1)):
        raise Refused("authoring.no_text")
    version_.published_at = now.replace(microsecond=0)
    db.session.commit()


def version_paragraph_counts(item: Consultation) -> dict[int, int]:
    rows = db.session.execute(select(Paragraph.version_id, func.count()).join(Version)
                              .where(Version.consultation_id == item.id).group_by(Paragraph.version_id))
    return {version_id: count for version_id, count in rows}


# ---------------------------------------------------------------------------
# Sections and paragraphs

def sections(item: Consultation) -> list[Section]:
    return list(db.session.scalars(select(Section).where(Section.consultation_id == item.id)
                                   .order_by(Section.number)))


def section(item: Consultation, number: int) -> Section | None:
    if not ids.in_range(number):
        return None
    return db.session.scalar(select(Section).where(Section.consultation_id == item.id, Section.number == number))


def section_number_taken(item: Consultation, number: int, exclude_id: int | None = None) -> bool:
    query = select(Section.id).where(Section.consultation_id == item.id, Section.number == number)
    if exclude_id:
        query = query.where(Section.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def _text_goes_public_with(item: Consultation, published_at: datetime | None) -> bool:
    """Version 1 becomes public with the first section, if no version has a time of its own yet.

    Returns True when it did so.
    """
    if published_at is None:
        return False
    first = db.session.scalar(select(Version).where(Version.consultation_id == item.id)
                              .order_by(Version.number).limit(1))
    if first is None or first.number != 1:
        return False
    others_live = db.session.scalar(select(Version.id).where(
        Version.consultation_id == item.id, Version.number > 1, Version.published_at.is_not(None)).limit(1))
    if others_live:
        return False
    if first.published_at is None or first.published_at > published_at:
        first.published_at = published_at
        return True
    return False


def add_section(item: Consultation, number: int, title_lv: str, title_en: str,
                published_at: datetime | None) -> tuple[Section, bool]:
    new = Section(consultation_id=item.id, number=number, title_lv=title_lv, title_en=title_en,
                  published_at=published_at)
    db.session.add(new)
    text_published = _text_goes_public_with(item, published_at)
    _commit("section_number")
    return new, text_published


def update_section(item: Section, number: int, title_lv: str, title_en: str,
                   published_at: datetime | None) -> bool:
    item.number, item.title_lv, item.title_en, item.published_at = number, title_lv, title_en, published_at
    text_published = _text_goes_public_with(item.consultation, published_at)
    _commit("section_number")
    return text_published


def publish_section_now(item: Section, now: datetime | None = None) -> bool:
    """Publish at once; returns True when version 1 of the text was published with it."""
    now = (now or utcnow()).replace(microsecond=0)
    if item.is_published(now):
        raise Refused("authoring.already_published")
    item.published_at = now
    text_published = _text_goes_public_with(item.consultation, now)
    db.session.commit()
    return text_published


def delete_section(item: Section) -> None:
    """Only a section without text in any version and without comments can go."""
    if db.session.scalar(select(Paragraph.id).where(Paragraph.section_id == item.id).limit(1)) or \
            db.session.scalar(select(Comment.id).where(Comment.section_id == item.id).limit(1)):
        raise Refused("authoring.section_in_use")
    db.session.delete(item)
    db.session.commit()


def section_paragraph_counts(item: Consultation, version_: Version | None) -> dict[int, int]:
    if version_ is None:
        return {}
    rows = db.session.execute(select(Paragraph.section_id, func.count()).where(Paragraph.version_id == version_.id)
                              .group_by(Paragraph.section_id))
    return {section_id: count for section_id, count in rows}


def paragraphs(item: Section, version_: Version | None) -> list[Paragraph]:
    if version_ is None:
        return []
    return list(db.session.scalars(select(Paragraph).where(Paragraph.section_id == item.id,
                                                           Paragraph.version_id == version_.id)
                                   .order_by(Paragraph.number)))


def paragraph(item: Section, version_: Version, number: int) -> Paragraph | None:
    if not ids.in_range(number):
        return None
    return db.session.scalar(select(Paragraph).where(Paragraph.section_id == item.id,
                                                     Paragraph.version_id == version_.id,
                                                     Paragraph.number == number))


def add_paragraph(item: Section, version_: Version, text_lv: str, text_en: str) -> Paragraph:
    """A new paragraph at the end, so the numbers of the others never move."""
    last = db.session.scalar(select(func.max(Paragraph.number)).where(
        Paragraph.section_id == item.id, Paragraph.version_id == version_.id)) or 0
    new = Paragraph(section_id=item.id, version_id=version_.id, number=last + 1, text_lv=text_lv, text_en=text_en)
    db.session.add(new)
    _commit("paragraph")
    return new


def update_paragraph(item: Paragraph, text_lv: str, text_en: str) -> None:
    item.text_lv, item.text_en = text_lv, text_en
    db.session.commit()


def delete_last_paragraph(item: Paragraph) -> None:
    """Only the last paragraph of a draft can go: the numbers of the others stay stable."""
    last = db.session.scalar(select(func.max(Paragraph.number)).where(
        Paragraph.section_id == item.section_id, Paragraph.version_id == item.version_id))
    if item.number != last or db.session.scalar(select(Comment.id).where(Comment.paragraph_id == item.id)
                                                .limit(1)):
        raise Refused("authoring.paragraph_in_use")
    db.session.delete(item)
    db.session.commit()


# ---------------------------------------------------------------------------
# Import

FILL, REPLACE, CREATE = "fill", "replace", "create"


@dataclass(frozen=True)
class ImportPlan:
    """What confirming an import will do: fill version 1, replace a draft's text, or create a version."""
    action: str
    version_number: int

    @property
    def needs_note(self) -> bool:
        return self.version_number > 1

    def as_list(self) -> list:
        return [self.action, self.version_number]


def import_plan(item: Consultation) -> ImportPlan:
    latest = latest_version(item)
    if not has_text(item):
        return ImportPlan(FILL, latest.number if latest else 1)
    if latest is not None and not latest.is_published():
        return ImportPlan(REPLACE, latest.number)
    return ImportPlan(CREATE, (latest.number if latest else 0) + 1)


def titles_kept(item: Consultation, imported: list[BilingualSection], plan: ImportPlan) -> list[Section]:
    """Published sections whose title differs from the file's: an import does not change those."""
    if plan.action == FILL:
        return []
    by_number = {s.number: s for s in sections(item)}
    kept = []
    for new in imported:
        old = by_number.get(new.number)
        if old is not None and old.is_published() and (old.title_lv != new.title_lv or
                                                       (new.title_en and old.title_en != new.title_en)):
            kept.append(old)
    return kept


def apply_import(item: Consultation, imported: list[BilingualSection], plan: ImportPlan,
                 note_lv: str = "", note_en: str = "") -> Version:
    """Store an imported draft as `plan` says; refuses when the draft changed since the preview."""
    if import_plan(item) != plan:
        raise Refused("authoring.plan_changed")
    if plan.action == CREATE:
        target = Version(consultation_id=item.id, number=plan.version_number)
        db.session.add(target)
        db.session.flush()
    else:
        target = version(item, plan.version_number)
        if target is None:
            target = Version(consultation_id=item.id, number=plan.version_number)
            db.session.add(target)
            db.session.flush()
        for old in db.session.scalars(select(Paragraph).where(Paragraph.version_id == target.id)):
            db.session.delete(old)
        db.session.flush()
    if plan.needs_note or note_lv or note_en:
        target.change_note_lv, target.change_note_en = note_lv, note_en
    existing = {s.number: s for s in sections(item)}
    for new in imported:
        current = existing.get(new.number)
        if current is None:
            current = Section(consultation_id=item.id, number=new.number, title_lv=new.title_lv,
                              title_en=new.title_en)
            db.session.add(current)
            db.session.flush()
        elif plan.action == FILL or not current.is_published():
            current.title_lv, current.title_en = new.title_lv, new.title_en
        for number, (text_lv, text_en) in enumerate(new.paragraphs, start=1):
            db.session.add(Paragraph(section_id=current.id, version_id=target.id, number=number,
                                     text_lv=text_lv, text_en=text_en))
    _commit("plan_changed")
    return target


# ---------------------------------------------------------------------------
# Subgroups

def subgroup(item: Consultation, subgroup_id: int) -> Subgroup | None:
    found = _get(Subgroup, subgroup_id)
    return found if found is not None and found.consultation_id == item.id else None


def save_subgroup(item: Consultation, group: Subgroup | None, values: dict, section_ids: list[int]) -> Subgroup:
    if group is None:
        group = Subgroup(consultation_id=item.id)
        db.session.add(group)
    for key in ("name_lv", "name_en", "description_lv", "description_en", "position"):
        setattr(group, key, values[key])
    group.sections = [s for s in sections(item) if s.id in set(section_ids)]
    db.session.commit()
    return group


@dataclass(frozen=True)
class SubgroupUse:
    """What deleting a subgroup touches: members leave it, assigned proposals become unassigned."""
    members: int
    comments: int
    positions: int


def subgroup_use(group: Subgroup) -> SubgroupUse:
    return SubgroupUse(
        db.session.scalar(select(func.count()).select_from(member_subgroups)
                          .where(member_subgroups.c.subgroup_id == group.id)) or 0,
        db.session.scalar(select(func.count(Comment.id)).where(Comment.subgroup_id == group.id)) or 0,
        db.session.scalar(select(func.count(Position.id)).where(Position.subgroup_id == group.id)) or 0)


def delete_subgroup(group: Subgroup) -> None:
    """The members stay in the working group and the proposals stay; the database unlinks them
    (ON DELETE CASCADE for memberships and sections, SET NULL for assigned comments and positions)."""
    db.session.delete(group)
    db.session.commit()


# ---------------------------------------------------------------------------
# News and FAQ

def all_news() -> list[NewsItem]:
    return list(db.session.scalars(select(NewsItem).order_by(NewsItem.published_at.desc().nulls_first(),
                                                             NewsItem.id.desc())))


def news_item(item_id: int) -> NewsItem | None:
    return _get(NewsItem, item_id)


def news_slug_taken(slug: str, exclude_id: int | None = None) -> bool:
    query = select(NewsItem.id).where(NewsItem.slug == slug)
    if exclude_id:
        query = query.where(NewsItem.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def save_news(item: NewsItem | None, values: dict) -> NewsItem:
    if item is None:
        item = NewsItem()
        db.session.add(item)
    for key in ("slug", "title_lv", "title_en", "body_lv", "body_en", "consultation_id", "published_at"):
        setattr(item, key, values[key])
    _commit("slug")
    return item


def delete_news(item: NewsItem) -> None:
    """Deleted through the session, so the search index and the page cache follow (their session events)."""
    db.session.delete(item)
    db.session.commit()


def all_faq() -> list[FaqItem]:
    return list(db.session.scalars(select(FaqItem).order_by(FaqItem.consultation_id.nulls_first(),
                                                            FaqItem.position, FaqItem.id)))


def faq_item(item_id: int) -> FaqItem | None:
    return _get(FaqItem, item_id)


def save_faq(item: FaqItem | None, values: dict) -> FaqItem:
    if item is None:
        item = FaqItem()
        db.session.add(item)
    for key in ("consultation_id", "position", "question_lv", "question_en", "answer_lv", "answer_en"):
        setattr(item, key, values[key])
    db.session.commit()
    return item


def delete_faq(item: FaqItem) -> None:
    db.session.delete(item)
    db.session.commit()


# ---------------------------------------------------------------------------
# Documents

def documents(item: Consultation) -> list[Document]:
    return list(db.session.scalars(select(Document).where(Document.consultation_id == item.id)
                                   .order_by(Document.position, Document.id)))


def document(item: Consultation, document_id: int) -> Document | None:
    found = _get(Document, document_id)
    return found if found is not None and found.consultation_id == item.id else None


def add_document(item: Consultation, checked: uploads.CheckedFile, title_lv: str, title_en: str,
                 upload_dir: str) -> Document:
    """Write and fsync the file under a temporary name, commit the row, then rename it into place."""
    staged = uploads.StagedFile(upload_dir, checked.data)
    position = (db.session.scalar(select(func.max(Document.position)).where(Document.consultation_id == item.id))
                or 0) + 1
    row = Document(consultation_id=item.id, position=position, title_lv=title_lv, title_en=title_en,
                   file_name=checked.display_name, content_type=checked.kind.content_type,
                   size_bytes=checked.size, stored_name=staged.stored_name)
    db.session.add(row)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        staged.discard()
        raise
    staged.commit()
    return row


def delete_document(row: Document, upload_dir: str) -> None:
    stored_name = row.stored_name
    db.session.delete(row)
    db.session.commit()
    uploads.remove_stored(upload_dir, stored_name)


# ---------------------------------------------------------------------------
# People and roles (admins only)

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
