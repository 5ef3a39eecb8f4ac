"""Background jobs: the in-process thread, RQ on the real Redis, one job at a time, progress, failures,
and the pages that start them and show their state."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from .conftest import csrf_token_from, form_post
from .pages import DEMO
from .test_themes_pages import add_subjects, member  # noqa: F401  (the fixture)

BASE = f"/lv/workgroup/{DEMO}/"
SUMMARY = BASE + "summary/"
REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def runner_config(app):
    """Sets the job runner (and Redis) for one test, and puts the test settings back after it."""
    saved = {key: app.config.get(key) for key in ("JOBS_RUNNER", "REDIS_URL", "JOBS_QUEUE")}

    def use(**values):
        app.config.update(values)
    yield use
    app.config.update(saved)


def _consultation():
    from consult.extensions import db
    from consult.models import Consultation
    return db.session.query(Consultation).filter_by(slug=DEMO).one()


def _jobs(app):
    from consult.extensions import db
    from consult.models import Job
    with app.app_context():
        return [(job.kind, job.scope, job.status, job.progress) for job in db.session.query(Job).order_by(Job.id)]


def _theme_count(app) -> int:
    from consult.extensions import db
    from consult.models import Theme
    with app.app_context():
        return db.session.query(Theme).count()


# The runners ------------------------------------------------------------------------------------------

def test_the_in_process_thread_runs_a_job_in_the_background(app, demo, make_user, runner_config):
    from consult.services import jobs
    add_subjects(app, make_user)
    runner_config(JOBS_RUNNER="thread", REDIS_URL=None)
    with app.app_context():
        job = jobs.enqueue(_consultation(), jobs.THEMES)
        job_id = job.id
    jobs.wait_idle(app)
    with app.app_context():
        from consult.extensions import db
        from consult.models import Job
        done = db.session.get(Job, job_id)
        assert done.status == "done" and done.progress == 100 and done.started_at and done.finished_at
        assert jobs.result_of(done)["themes"] == 3
    assert _theme_count(app) == 4   # three subjects and the "other" group


def test_without_redis_the_default_runner_is_the_thread(app):
    from consult.services import jobs
    assert jobs.runner(type("App", (), {"config": {"REDIS_URL": None}})) == "thread"
    assert jobs.runner(type("App", (), {"config": {"REDIS_URL": REDIS}})) == "rq"
    assert jobs.runner(type("App", (), {"config": {"REDIS_URL": REDIS, "JOBS_RUNNER": "thread"}})) == "thread"


def test_rq_queues_the_job_and_a_simple_worker_in_burst_mode_runs_it(app, demo, make_user, runner_config):
    pytest.importorskip("rq")
    from rq import Queue

    from consult.services import jobs
    queue_name = f"consult-test-{uuid.uuid4().hex[:12]}"   # our own keys in the shared Redis
    runner_config(JOBS_RUNNER="rq", REDIS_URL=REDIS, JOBS_QUEUE=queue_name)
    add_subjects(app, make_user)
    queue = Queue(queue_name, connection=jobs.redis_connection(app))
    try:
        with app.app_context():
            job = jobs.enqueue(_consultation(), jobs.THEMES)
            assert job.status == "queued" and queue.count == 1   # waiting for a worker
            assert jobs.enqueue(_consultation(), jobs.THEMES).id == job.id and queue.count == 1
            jobs.work(app, burst=True)
        assert queue.count == 0
        assert _jobs(app) == [("themes", "all", "done", 100)]
        assert _theme_count(app) == 4
    finally:
        queue.empty()
        queue.delete(delete_jobs=True)


def test_when_redis_cannot_be_reached_the_job_runs_in_the_process(app, demo, make_user, runner_config):
    pytest.importorskip("rq")
    from consult.services import jobs
    runner_config(JOBS_RUNNER="rq", REDIS_URL="redis://127.0.0.1:1/0", JOBS_QUEUE="consult-test-unreachable")
    add_subjects(app, make_user)
    with app.app_context():
        jobs.enqueue(_consultation(), jobs.THEMES)
    jobs.wait_idle(app)
    assert _jobs(app) == [("themes", "all", "done", 100)]


# One at a time, progress, failures ---------------------------------------------------------------------

def test_a_job_that_is_queued_or_running_is_not_started_twice(app, demo, runner_config):
    from consult.extensions import db
    from consult.models import Job
    from consult.services import jobs
    with app.app_context():
        consultation = _consultation()
        db.session.add(Job(kind=jobs.THEMES, consultation_id=consultation.id, scope="all", status="running",
                           progress=40))
        db.session.commit()
        assert jobs.enqueue(consultation, jobs.THEMES).progress == 40
        # Another scope or kind is another job.
        assert jobs.enqueue(consultation, jobs.THEMES, "section-999999").status == "failed"   # no such section
    assert [row[:3] for row in _jobs(app)] == [("themes", "all", "running"), ("themes", "section-999999", "failed")]


def test_a_job_that_stopped_moving_no_longer_blocks_a_new_one(app, demo):
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Job
    from consult.services import jobs
    with app.app_context():
        consultation = _consultation()
        long_ago = utcnow() - jobs.STALE_AFTER - timedelta(minutes=1)
        db.session.add(Job(kind=jobs.TEXTS, consultation_id=consultation.id, status="running", progress=10,
                           created_at=long_ago, updated_at=long_ago))
        db.session.commit()
        assert jobs.active(consultation, jobs.TEXTS) is None
        assert jobs.enqueue(consultation, jobs.TEXTS).status == "done"
    assert [row[2] for row in _jobs(app)] == ["failed", "done"]


def test_progress_is_written_as_the_work_goes_on(app, demo, make_user, monkeypatch):
    from consult.services import jobs, themes
    add_subjects(app, make_user)
    seen = []
    original = themes.find_themes

    def watched(texts, progress=None):
        def report(share):
            progress(share)
            seen.append(progress.job.progress)
        return original(texts, report)
    monkeypatch.setattr(themes, "find_themes", watched)
    monkeypatch.setattr(jobs, "REPORT_EVERY", 0)
    with app.app_context():
        job = jobs.enqueue(_consultation(), jobs.THEMES)
        assert job.status == "done" and job.progress == 100
    assert seen == sorted(seen) and seen[0] >= 10 and seen[-1] < 100 and len(set(seen)) >= 3


def test_a_failed_job_keeps_its_error_and_the_page_says_so_in_both_languages(app, member, make_user,
                                                                             monkeypatch):
    from consult.services import stored_themes
    add_subjects(app, make_user)

    def broken(*args, **kwargs):
        raise RuntimeError("the computation broke")
    monkeypatch.setattr(stored_themes.recomputing, "recompute", broken)
    response = form_post(member, BASE + "themes/recompute/", {"section": ""}, page_url=SUMMARY,
                         follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Pēdējais aprēķina mēģinājums neizdevās" in html and "the computation broke" not in html
    assert "Noteikt tēmas</button>" in html   # trying again is possible
    english = member.get(SUMMARY.replace("/lv/", "/en/")).get_data(as_text=True)
    assert "The last attempt to work this out failed." in english
    from consult.extensions import db
    from consult.models import Job
    with app.app_context():
        job = db.session.query(Job).filter_by(kind="themes").one()
        assert job.status == "failed" and "the computation broke" in job.error


# The pages ------------------------------------------------------------------------------------------

def _running_job(app, kind, progress, scope="all", status="running"):
    from consult.extensions import db
    from consult.models import Job
    with app.app_context():
        db.session.add(Job(kind=kind, consultation_id=_consultation().id, scope=scope, status=status,
                           progress=progress))
        db.session.commit()


def test_while_the_themes_run_the_page_shows_the_last_result_and_a_progress_bar(app, member, make_user):
    from consult.services import jobs
    add_subjects(app, make_user)
    form_post(member, BASE + "themes/recompute/", {"section": ""}, page_url=SUMMARY)
    _running_job(app, jobs.THEMES, 42)
    html = member.get(SUMMARY).get_data(as_text=True)
    section = html[html.index('id="themes"'):html.index('id="time-heading"')]
    assert '<progress id="themes-job-bar" max="100" value="42">' in section and "Paveikti 42%" in section
    assert "Noteikt tēmas no jauna</button>" not in section       # no second job while one runs
    assert section.count('class="theme-card"') == 4                # the last result stays
    assert 'href="/lv/workgroup/' + DEMO + '/summary/">Pārlādēt lapu' in section   # a reload link, no script needed
    before = _jobs(app)
    token = csrf_token_from(html)
    assert member.post(BASE + "themes/recompute/", data={"csrf_token": token, "section": ""}).status_code == 303
    assert _jobs(app) == before                                   # a second click starts nothing
    english = member.get(SUMMARY.replace("/lv/", "/en/")).get_data(as_text=True)
    assert "42% done" in english and "Being worked out…" in english


def test_the_theme_page_has_the_button_and_the_progress_too(app, member, make_user):
    from consult.extensions import db
    from consult.models import Theme
    from consult.services import jobs
    add_subjects(app, make_user)
    form_post(member, BASE + "themes/recompute/", {"section": ""}, page_url=SUMMARY)
    with app.app_context():
        theme_id = db.session.query(Theme).filter_by(is_other=False).first().id
    url = f"{BASE}themes/{theme_id}/"
    html = member.get(url).get_data(as_text=True)
    assert "Noteikt tēmas no jauna</button>" in html
    response = form_post(member, BASE + "themes/recompute/", {"section": "", "back_to_theme": str(theme_id)},
                         page_url=url)
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    _running_job(app, jobs.THEMES, 7, status="queued")
    html = member.get(url).get_data(as_text=True)
    assert 'value="7"' in html and "Gaida savu kārtu…" in html and "Noteikt tēmas no jauna</button>" not in html


def test_the_summary_shows_campaigns_from_the_background_job_and_when_they_were_worked_out(app, member, make_user):
    from consult.services import jobs

    from .test_workgroup import add_comment
    citizen = make_user()
    for _ in range(3):
        add_comment(app, citizen, body="Prasām dienas centrus visos novados, tas ir ļoti svarīgi!", section=1)
    html = member.get(SUMMARY).get_data(as_text=True)
    assert "Kampaņas un biežākie vārdi, kā noteikts" in html and "Noteikt kampaņas no jauna</button>" in html
    assert [row[:3] for row in _jobs(app)] == [("texts", "all", "done")]
    member.get(SUMMARY)
    assert len(_jobs(app)) == 1                    # nothing changed: no new job
    add_comment(app, citizen, body="Cits komentārs par sociālo darbinieku atalgojumu laukos.", section=2)
    _running_job(app, jobs.TEXTS, 30)              # as if a worker were on it
    html = member.get(SUMMARY).get_data(as_text=True)
    assert "Kopš tā laika komentāri ir mainījušies." in html and 'id="texts-job-bar"' in html
    assert len(_jobs(app)) == 2
    campaign = html[html.index('id="campaigns-heading"'):]
    assert "Prasām dienas centrus" in campaign     # the last result meanwhile


def test_the_campaign_page_reads_the_stored_result(app, member, make_user):
    from .test_workgroup import add_comment
    citizen = make_user()
    text = "Prasām dienas centrus visos novados, tas ir ļoti svarīgi sociālajiem darbiniekiem!"
    ids = [add_comment(app, citizen, body=body, section=1) for body in (text, text, text + " Paldies.")]
    member.get(SUMMARY)
    html = member.get(f"{BASE}campaigns/{ids[0]}/").get_data(as_text=True)
    # The copies' texts come from the comments table, the campaign from the stored result.
    assert f'id="copy-{ids[2]}"' in html and "Paldies.</ins>" in html
    assert member.get(f"{BASE}campaigns/{ids[0] + 100}/").status_code == 404


def test_the_campaign_button_starts_a_job(app, member, make_user):
    response = form_post(member, BASE + "summary/recompute/", {}, page_url=SUMMARY)
    assert response.status_code == 303 and response.headers["Location"].endswith("/summary/#texts")
    assert [row[:3] for row in _jobs(app)] == [("texts", "all", "done")] * 2


@pytest.mark.parametrize("role", ["citizen", "organisation", "moderator", "editor", "outsider"])
def test_wrong_roles_and_non_members_cannot_start_jobs(app, demo, make_user, login, role):
    client = app.test_client()
    login(client, make_user(role="workgroup" if role == "outsider" else role))
    token = csrf_token_from(client.get("/lv/").get_data(as_text=True))
    for url in (BASE + "summary/recompute/", BASE + "themes/recompute/"):
        assert client.post(url, data={"csrf_token": token, "section": ""}).status_code == 403, (role, url)
    assert client.get(SUMMARY).status_code == 403
    assert _jobs(app) == []


def test_anonymous_visitors_and_posts_without_a_token_start_nothing(app, member):
    anonymous = app.test_client()
    assert anonymous.post(BASE + "summary/recompute/").status_code in (302, 400)
    assert member.post(BASE + "summary/recompute/").status_code == 400
    assert member.get(BASE + "summary/recompute/").status_code == 405
    assert _jobs(app) == []


def test_the_worker_command_needs_redis(app, runner_config):
    runner_config(REDIS_URL=None)
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "CONSULT_REDIS_URL is not set" in result.output


def test_past_the_inline_limit_pages_and_exports_leave_the_campaigns_to_the_background(
        app, member, make_user, runner_config, monkeypatch):
    import csv
    import io
    import threading

    from consult.services import jobs, summary

    from .test_workgroup import add_comment
    citizen = make_user()
    text = "Prasām dienas centrus visos novados, tas ir ļoti svarīgi sociālajiem darbiniekiem!"
    ids = [add_comment(app, citizen, body=body, section=1) for body in (text, text, text + " Paldies.")]
    monkeypatch.setattr(summary, "INLINE_LIMIT", 2)
    runner_config(JOBS_RUNNER="thread", REDIS_URL=None)
    worked_out_in = []
    compute = summary._compute_texts
    monkeypatch.setattr(summary, "_compute_texts", lambda *args, **kwargs: (
        worked_out_in.append(threading.current_thread().name), compute(*args, **kwargs))[1])

    def campaigns_in_export():
        response = member.get(f"/en/workgroup/{DEMO}/export/?format=csv&delimiter=,")
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
        return {row["Campaign"] for row in rows if row["Campaign"]}

    first = campaigns_in_export()          # no result yet: the export does not wait for one
    jobs.wait_idle(app)
    assert campaigns_in_export() == {str(ids[0])}
    assert member.get(BASE).status_code == 200
    assert worked_out_in and all(name.startswith("consult-job") for name in worked_out_in)
    assert first in (set(), {str(ids[0])})  # the job may already have finished when the file is written


def test_an_export_reads_the_campaign_members_from_the_stored_result_without_its_texts(app, member, make_user,
                                                                                         monkeypatch):
    """A process that keeps no analysis (a new worker, the export command) reads the job's stored result for
    the campaign column, members only: neither worked out again nor parsed into campaigns with their texts."""
    from consult.services import summary

    from .test_workgroup import add_comment
    citizen = make_user()
    text = "Prasām dienas centrus visos novados, tas ir ļoti svarīgi sociālajiem darbiniekiem!"
    ids = [add_comment(app, citizen, body=body, section=1) for body in (text, text, text + " Paldies.")]
    alone = add_comment(app, citizen, body="Cits komentārs par sociālo darbinieku atalgojumu laukos.", section=2)
    member.get(SUMMARY)
    assert [row[:3] for row in _jobs(app)] == [("texts", "all", "done")]
    summary._cache.clear()

    def refuse(*_args, **_kwargs):
        raise AssertionError("the stored result should have been enough")
    monkeypatch.setattr(summary, "_compute_texts", refuse)
    monkeypatch.setattr(summary, "_from_json", refuse)
    with app.app_context():
        members = summary.campaign_members(_consultation())
    assert members == {i: ids[0] for i in ids} and alone not in members
    add_comment(app, citizen, body=text, section=1)       # the stored result is now out of date
    summary._cache.clear()
    monkeypatch.setattr(summary, "INLINE_LIMIT", 2)     # past the limit the old members stand in, still light
    with app.app_context():
        assert summary.campaign_members(_consultation()) == {i: ids[0] for i in ids}
    monkeypatch.undo()
    summary._cache.clear()
    with app.app_context():                            # within it the campaign is worked out afresh
        assert len(summary.campaign_members(_consultation())) == 4
