"""Pages run a fixed number of SQL queries, whatever the amount of content."""
from __future__ import annotations

from .pages import DEMO


def _add_content(app, sections: int, paragraphs: int, news: int):
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Consultation, Document, FaqItem, NewsItem, Paragraph, Section
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        version = consultation.versions[-1]
        base = max(s.number for s in consultation.sections)
        for offset in range(1, sections + 1):
            section = Section(number=base + offset, title_lv=f"Sadaļa {offset}", published_at=utcnow())
            consultation.sections.append(section)
            for number in range(1, paragraphs + 1):
                section.paragraphs.append(Paragraph(number=number, version=version, text_lv=f"Punkts {number}"))
            section.subgroups = list(consultation.subgroups)
        first = db.session.query(Section).filter_by(consultation_id=consultation.id, number=1).one()
        for number in range(100, 100 + paragraphs):
            first.paragraphs.append(Paragraph(number=number, version=version, text_lv=f"Vēl {number}"))
        for i in range(news):
            db.session.add(NewsItem(consultation=consultation, slug=f"extra-{i}", title_lv=f"Ziņa {i}",
                                    published_at=utcnow()))
            db.session.add(FaqItem(consultation=consultation, question_lv=f"Jautājums {i}?"))
            db.session.add(Document(consultation=consultation, title_lv=f"Dokuments {i}", file_name="x.pdf",
                                    content_type="application/pdf", size_bytes=1000 + i, stored_name=f"extra{i}"))
        db.session.commit()


def _queries(client, count_queries, path):
    client.get(path)  # warm up
    with count_queries as counter:
        assert client.get(path).status_code == 200
    return counter.count


def test_overview_and_section_query_counts_do_not_grow_with_content(app, client, demo, count_queries):
    pages = [f"/lv/consultations/{DEMO}/", f"/en/consultations/{DEMO}/sections/1/",
             f"/en/consultations/{DEMO}/working-group/", "/lv/", "/en/news/"]
    before = {path: _queries(client, count_queries, path) for path in pages}
    _add_content(app, sections=20, paragraphs=15, news=20)
    after = {path: _queries(client, count_queries, path) for path in pages}
    print("SQL queries per page (small → large content):",
          {path: (before[path], after[path]) for path in pages})
    assert after == before
    assert max(after.values()) <= 16
