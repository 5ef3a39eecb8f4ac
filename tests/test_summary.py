"""The summary page: figures by day, section, paragraph, stance and respondent type; keywords; campaigns."""
from __future__ import annotations

import re
from datetime import timedelta

from .pages import DEMO
from .test_workgroup import add_comment, add_member, add_position

SUMMARY = f"/lv/workgroup/{DEMO}/summary/"


def test_keywords_keep_diacritics_and_drop_short_and_stop_words():
    from consult.services.keywords import top_keywords, words
    assert words("Ģimenēm un bērniem ir jāsaņem ATBALSTS, kas arī ir ļoti svarīgs.") == [
        "ģimenēm", "bērniem", "jāsaņem", "atbalsts", "svarīgs"]
    assert words("The municipality should provide more support, which is also important") == [
        "municipality", "provide", "support", "important"]
    top = top_keywords(["Ģimenēm ģimenēm ģimenēm", "Ģimenēm un bērniem", "Bērniem"])
    assert top == [("bērniem", 2), ("ģimenēm", 2)], "each text counts a word once"


def test_the_summary_counts_are_right(app, demo, make_user, login):
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Consultation
    from consult.services.summary import build_summary
    citizen = make_user(respondent_type="citizen")
    academic = make_user(respondent_type="academic")
    now = utcnow()
    add_comment(app, citizen, body="Prasām dienas centrus visos novados!", section=1, paragraph=1,
                stance="objects", created_at=now - timedelta(days=2))
    add_comment(app, academic, body="prasām dienas centrus visos novados", section=1, paragraph=1,
                stance="objects", created_at=now - timedelta(days=2))
    add_comment(app, citizen, body="Atbalstu sociālo darbinieku algu celšanu.", section=2, stance="supports",
                created_at=now)
    add_comment(app, citizen, body="Noraidīts", status="rejected")
    add_comment(app, citizen, body="Gaida", status="pending")
    add_position(app, make_user(role="organisation"))
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        from consult.models import Comment
        rejected = db.session.query(Comment).filter_by(status="rejected").one()
        rejected.moderation_reason = "spam"
        db.session.commit()
        summary = build_summary(consultation)
        assert summary.comments == 3 and summary.distinct_comments == 2 and summary.positions == 1
        assert summary.participants == 3
        assert [count for _day, count in summary.per_day] == [2, 0, 2]
        by_section = {section.number: (count, distinct) for section, count, distinct in summary.by_section}
        assert by_section[1] == (2, 1) and by_section[2] == (1, 1)
        assert dict(summary.by_paragraph) == {"1.1": 2}
        assert dict(summary.by_stance) == {"supports": 1, "objects": 2, "proposes": 0, "asks": 0}
        assert dict(summary.by_respondent)["academic"] == 1 and dict(summary.by_respondent)["citizen"] == 2
        assert summary.moderation["received"] == 6 and summary.moderation["rejected"] == 1
        assert summary.rejected_by_reason == [("spam", 1)]
        assert summary.campaign_count == 1 and summary.campaigns[0][0].size == 2
        section1 = next(s for s, _c, _d in summary.by_section if s.number == 1)
        assert ("dienas", 1) in summary.keywords[section1.id] and ("centrus", 1) in summary.keywords[section1.id]


def test_the_summary_page_draws_charts_with_tables_and_no_inline_styles(app, demo, make_user, login):
    member = make_user(role="workgroup")
    add_member(app, member)
    add_comment(app, make_user(), body="Ģimenēm vajag vairāk atbalsta laukos.", section=3, paragraph=1)
    client = app.test_client()
    login(client, member)
    response = client.get(SUMMARY)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    svgs = re.findall(r"<svg[^>]*>", html)
    assert len(svgs) >= 5
    assert all('role="img"' in svg and "aria-labelledby" in svg for svg in svgs)
    assert html.count("<title id=") == len(svgs)
    assert html.count("<table") >= len(svgs)
    assert "style=" not in html
    assert "ģimenēm" in html


def test_the_summary_query_count_does_not_grow_with_comments(app, demo, make_user, login, count_queries):
    member = make_user(role="workgroup")
    add_member(app, member)
    client = app.test_client()
    login(client, member)
    author = make_user()
    add_comment(app, author, body="Pirmais")
    client.get(SUMMARY)
    with count_queries as small:
        client.get(SUMMARY)
    for i in range(40):
        add_comment(app, author, body=f"Komentārs {i} par tēmu {i * 7}", section=1 + i % 5, paragraph=1 + i % 2)
    client.get(SUMMARY)
    with count_queries as large:
        client.get(SUMMARY)
    assert large.count == small.count
