"""The content model (SPEC §2). Import every model here so Alembic sees them all."""
from .consultation import Consultation, ConsultationStatus, Paragraph, Section, Subgroup, Version
from .content import Document, FaqItem, NewsItem

__all__ = [
    "Consultation", "ConsultationStatus", "Version", "Section", "Paragraph", "Subgroup",
    "NewsItem", "FaqItem", "Document",
]
