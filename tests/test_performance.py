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


def _add_comments(app, author_ids, approved: int, replies: int, pending_by=None):
    from consult.extensions import db
    from consult.models import Comment, Consultation, Section
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        section = db.session.query(Section).filter_by(consultation_id=consultation.id, number=1).one()
        paragraph = section.paragraphs[0]
        made = []
        for n in range(approved):
            comment = Comment(consultation_id=consultation.id, section_id=section.id,
                              author_id=author_ids[n % len(author_ids)],
                              paragraph_id=paragraph.id if n % 2 else None, stance="supports", body=f"Komentārs {n}",
                              status="approved", needs_review=False, fingerprint=f"c{n}-{len(made)}",
                              idempotency_key=f"c{n}-{approved}", show_name=bool(n % 3), language="lv")
            db.session.add(comment)
            made.append(comment)
        db.session.flush()
        for n in range(replies):
            db.session.add(Comment(consultation_id=consultation.id, section_id=section.id,
                                   author_id=author_ids[(n + 1) % len(author_ids)], parent_id=made[n % len(made)].id,
                                   stance="asks", body=f"Atbilde {n}", status="approved", needs_review=False,
                                   fingerprint=f"r{n}-{approved}", idempotency_key=f"r{n}-{approved}",
                                   show_name=True, language="lv"))
        if pending_by:
            for n in range(approved // 10):
                db.session.add(Comment(consultation_id=consultation.id, section_id=section.id, author_id=pending_by,
                                       stance="objects", body=f"Gaida {n} {approved}", status="pending",
                                       fingerprint=f"p{n}-{approved}", idempotency_key=f"p{n}-{approved}",
                                       show_name=True, language="lv"))
        db.session.commit()


def test_signed_in_section_page_query_count_does_not_grow_with_comments(app, demo, make_user, login, count_queries):
    """Rendered in full (no page or fragment cache): threads, replies, authors and the reader's pending items."""
    authors = [make_user() for _ in range(5)]
    reader = make_user()
    client = login(app.test_client(), reader)
    path = f"/lv/consultations/{DEMO}/sections/1/"
    _add_comments(app, authors, approved=10, replies=2, pending_by=reader)   # one of the reader's waits
    before = _queries(client, count_queries, path)
    _add_comments(app, authors + [reader], approved=60, replies=40, pending_by=reader)
    after = _queries(client, count_queries, path)
    assert after == before, (before, after)
    assert after <= 14
