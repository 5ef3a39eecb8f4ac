"""Versions of the draft: starting, noting and publishing one, and importing a whole draft into one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from ...clock import utcnow
from ...extensions import db
from ...models import Consultation, Paragraph, Section, Version
from ..importing import BilingualSection
from ..refusals import Refused
from .common import _commit
from .sections import sections


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
