"""News, FAQ and documents: content around a consultation (or the whole site)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .consultation import Consultation
from .publishing import Published


class NewsItem(Published, db.Model):
    __tablename__ = "news_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="SET NULL"), index=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title_lv: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    body_lv: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(index=True)

    consultation: Mapped[Consultation | None] = relationship()


class FaqItem(db.Model):
    __tablename__ = "faq_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    question_lv: Mapped[str] = mapped_column(String(500))
    question_en: Mapped[str] = mapped_column(String(500), default="")
    answer_lv: Mapped[str] = mapped_column(Text, default="")
    answer_en: Mapped[str] = mapped_column(Text, default="")

    consultation: Mapped[Consultation | None] = relationship()


class Document(db.Model):
    """An attachment: its file lives in the upload directory under a random name."""
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title_lv: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int]
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation] = relationship()

    @property
    def type_label(self) -> str:
        """PDF, DOCX … taken from the display name's extension."""
        return self.file_name.rsplit(".", 1)[-1].upper() if "." in self.file_name else ""
