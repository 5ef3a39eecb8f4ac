"""Demo content: the social-services guidelines consultation and a closed regional one.

Loading is idempotent: what already exists (by slug) is left as it is.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from .clock import utcnow
from .demo_content import CONSULTATIONS, POLLS, SITE_FAQ, SITE_NEWS
from .extensions import db
from .models import Consultation, Document, FaqItem, NewsItem, Paragraph, Poll, PollOption, Section, Subgroup, Version
from .services.uploads import store_file


def minimal_pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF showing ASCII lines of text."""
    safe = [line.encode("ascii", "replace").decode().replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            for line in lines]
    stream = "BT /F1 12 Tf 72 760 Td 16 TL " + " ".join(f"({line}) '" for line in safe) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _days(offset: int, now: datetime) -> datetime:
    return (now + timedelta(days=offset)).replace(microsecond=0)


def _news(item: dict, consultation: Consultation | None) -> None:
    if db.session.scalar(select(NewsItem.id).where(NewsItem.slug == item["slug"])):
        return
    published = datetime.combine(date.fromisoformat(item["date"]), datetime.min.time()).replace(hour=9)
    db.session.add(NewsItem(
        consultation=consultation, slug=item["slug"], published_at=published,
        title_lv=item["title"]["lv"], title_en=item["title"]["en"],
        body_lv=item["body"]["lv"], body_en=item["body"]["en"]))


def _consultation(data: dict, now: datetime) -> Consultation | None:
    if db.session.scalar(select(Consultation.id).where(Consultation.slug == data["slug"])):
        return None
    opens_at = _days(data["opens_in_days"], now)
    consultation = Consultation(
        slug=data["slug"], status=data["status"], moderation_mode=data["moderation_mode"],
        title_lv=data["title"]["lv"], title_en=data["title"]["en"],
        summary_lv=data["summary"]["lv"], summary_en=data["summary"]["en"],
        institution_lv=data["institution"]["lv"], institution_en=data["institution"]["en"],
        opens_at=opens_at, closes_at=_days(data["closes_in_days"], now))
    db.session.add(consultation)
    versions = []
    for item in data["versions"]:
        version = Version(number=item["number"], change_note_lv=item["change_note"]["lv"],
                          change_note_en=item["change_note"]["en"],
                          published_at=_days(item["published_in_days"], now))
        consultation.versions.append(version)
        versions.append(version)
    sections = {}
    for item in data["sections"]:
        section = Section(number=item["number"], title_lv=item["title"]["lv"], title_en=item["title"]["en"],
                          published_at=opens_at)
        consultation.sections.append(section)
        sections[item["number"]] = section
        for number, text in enumerate(item["paragraphs"], start=1):
            section.paragraphs.append(Paragraph(number=number, version=versions[-1],
                                                text_lv=text["lv"], text_en=text["en"]))
    for position, item in enumerate(data["subgroups"]):
        consultation.subgroups.append(Subgroup(
            position=position, name_lv=item["name"]["lv"], name_en=item["name"]["en"],
            description_lv=item["description"]["lv"], description_en=item["description"]["en"],
            sections=[sections[n] for n in item["sections"]]))
    for position, item in enumerate(data["faq"]):
        db.session.add(FaqItem(consultation=consultation, position=position,
                               question_lv=item["question"]["lv"], question_en=item["question"]["en"],
                               answer_lv=item["answer"]["lv"], answer_en=item["answer"]["en"]))
    for position, item in enumerate(data["documents"]):
        content = minimal_pdf(item["text"].splitlines() or [item["filename"]])
        db.session.add(Document(consultation=consultation, position=position,
                                title_lv=item["title"]["lv"], title_en=item["title"]["en"],
                                file_name=item["filename"], content_type="application/pdf",
                                size_bytes=len(content), stored_name=store_file(current_app.config["UPLOAD_DIR"],
                                                                                content),
                                created_at=opens_at))
    for item in data["news"]:
        _news(item, consultation)
    return consultation


def _poll(data: dict, now: datetime) -> None:
    if db.session.scalar(select(Poll.id).where(Poll.question_lv == data["question"]["lv"])):
        return
    consultation = None
    if data["consultation"]:
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == data["consultation"]))
    db.session.add(Poll(
        consultation=consultation, on_home=data["on_home"], voters=data["voters"],
        results_shown=data["results_shown"], multiple=data["multiple"],
        opens_at=_days(data["opens_in_days"], now), closes_at=_days(data["closes_in_days"], now),
        question_lv=data["question"]["lv"], question_en=data["question"]["en"],
        options=[PollOption(position=i, label_lv=o["lv"], label_en=o["en"]) for i, o in enumerate(data["options"])]))


def database_is_empty() -> bool:
    return db.session.scalar(select(Consultation.id).limit(1)) is None


def load_demo() -> list[str]:
    """Add whatever part of the demo content is missing; returns the slugs added."""
    now = utcnow()
    added = []
    for data in CONSULTATIONS:
        if _consultation(data, now) is not None:
            added.append(data["slug"])
    for item in SITE_NEWS:
        _news(item, None)
    db.session.flush()
    for item in POLLS:
        _poll(item, now)
    if not db.session.scalar(select(FaqItem.id).where(FaqItem.consultation_id.is_(None)).limit(1)):
        for position, item in enumerate(SITE_FAQ):
            db.session.add(FaqItem(position=position, question_lv=item["question"]["lv"],
                                   question_en=item["question"]["en"], answer_lv=item["answer"]["lv"],
                                   answer_en=item["answer"]["en"]))
    db.session.commit()
    return added
