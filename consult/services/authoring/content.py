"""News, the FAQ and a consultation's documents."""
from __future__ import annotations

from sqlalchemy import func, select

from ...extensions import db
from ...models import Consultation, Document, FaqItem, NewsItem
from .. import uploads
from .common import _commit, _get


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
