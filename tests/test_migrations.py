"""The schema comes only from migrations, and the models match it."""
from __future__ import annotations


def test_models_match_the_migrations(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from consult.extensions import db
    from consult.services.search import include_name  # the hand-made full-text index, as in migrations/env.py
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_name})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_demo_is_idempotent(app, runner):
    from consult.extensions import db
    from consult.models import Consultation, Document, NewsItem, Paragraph
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        counts = [db.session.query(model).count() for model in (Consultation, Paragraph, NewsItem, Document)]
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already present" in second.output
    with app.app_context():
        assert [db.session.query(model).count() for model in (Consultation, Paragraph, NewsItem, Document)] == counts
    assert counts[0] == 2


def test_demo_if_empty_leaves_a_used_database_alone(app, runner, demo):
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0 and "not loaded" in result.output


def test_demo_content_is_bilingual_and_complete(app, demo):
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        open_one = db.session.query(Consultation).filter_by(slug=demo).one()
        assert open_one.status == "open" and open_one.is_open
        assert len(open_one.sections) >= 6
        assert all(2 <= len(section.paragraphs) <= 4 for section in open_one.sections)
        assert all(section.title_en and section.title_lv for section in open_one.sections)
        assert len(open_one.subgroups) == 3
        closed = db.session.query(Consultation).filter_by(slug="riga-region-social-services-programme").one()
        assert closed.status == "closed" and not closed.is_open
