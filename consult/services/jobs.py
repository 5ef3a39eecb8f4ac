"""Background jobs: the long computations (themes, campaigns) run outside web requests.

A job is a row of the jobs table (consult.models.job): its kind, consultation and scope,
its status (queued → running → done or failed) and its progress in percent. The state is in
the database so that every web process and every worker host sees the same; the queue only
carries the job's id.

Where a job runs:

* "rq": with CONSULT_REDIS_URL set, on an RQ queue in Redis; `flask --app consult worker`
  runs the jobs, on this host or any other that reaches the database and Redis;
* "thread": otherwise, one background thread of the web process, so `make run` needs nothing
  else (and when Redis cannot be reached, rather than refusing);
* "inline": at once, in the caller (tests).

CONSULT_JOBS_RUNNER chooses one explicitly. One job per kind, consultation and scope runs at a
time: asking again while one is queued or running returns that one.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import select

from ..clock import utcnow
from ..extensions import db
from ..models import Consultation, Job, JobStatus

log = logging.getLogger(__name__)

THEMES = "themes"
TEXTS = "texts"
KINDS = (THEMES, TEXTS)
# A queued or running job whose state has not moved for this long lost its worker (a restart, a
# crash): it no longer keeps a new one from starting.
STALE_AFTER = timedelta(minutes=30)
REPORT_EVERY = 0.5        # seconds between two progress writes, at most
QUEUE_NAME = "consult"
JOB_TIMEOUT = 60 * 60     # seconds an RQ worker lets one job run
ERROR_CHARS = 2000


def runner(app: Flask) -> str:
    chosen = app.config.get("JOBS_RUNNER")
    if chosen:
        return chosen
    return "rq" if app.config.get("REDIS_URL") else "thread"


# Reading ---------------------------------------------------------------------------------------

def _stale(job: Job) -> bool:
    return job.active and job.updated_at < utcnow() - STALE_AFTER


def active(consultation: Consultation, kind: str, scope: str = "all") -> Job | None:
    """The queued or running job of this kind and scope, if there is one that still moves."""
    job = db.session.scalar(select(Job).where(Job.consultation_id == consultation.id, Job.kind == kind,
                                              Job.scope == scope, Job.status.in_(JobStatus.ACTIVE))
                            .order_by(Job.id.desc()).limit(1))
    return None if job is None or _stale(job) else job


def latest(consultation: Consultation, kind: str, scope: str = "all", status: str | None = None) -> Job | None:
    """The newest job of this kind and scope (only those with `status` when given)."""
    query = select(Job).where(Job.consultation_id == consultation.id, Job.kind == kind, Job.scope == scope)
    if status is not None:
        query = query.where(Job.status == status)
    return db.session.scalar(query.order_by(Job.id.desc()).limit(1))


def result_of(job: Job | None) -> dict | None:
    return json.loads(job.result) if job is not None and job.result else None


# Starting --------------------------------------------------------------------------------------

def enqueue(consultation: Consultation, kind: str, scope: str = "all", user_id: int | None = None) -> Job:
    """Starts a job of this kind and scope, or returns the one that is already queued or running."""
    if kind not in KINDS:
        raise ValueError(kind)
    # The consultation's row is locked (PostgreSQL) so that two clicks at once start one job.
    db.session.scalar(select(Consultation.id).where(Consultation.id == consultation.id).with_for_update())
    running = active(consultation, kind, scope)
    if running is not None:
        db.session.commit()
        return running
    for stale in db.session.scalars(select(Job).where(Job.consultation_id == consultation.id, Job.kind == kind,
                                                      Job.scope == scope, Job.status.in_(JobStatus.ACTIVE))):
        stale.status, stale.finished_at, stale.error = JobStatus.FAILED, utcnow(), "stopped: no progress"
    job = Job(kind=kind, consultation_id=consultation.id, scope=scope, requested_by_id=user_id)
    db.session.add(job)
    db.session.commit()
    _submit(current_app._get_current_object(), job.id)
    return job


def _submit(app: Flask, job_id: int) -> None:
    how = runner(app)
    if how == "inline":
        run(job_id)
        return
    if how == "rq":
        try:
            _queue(app).enqueue("consult.services.jobs.run_queued", job_id, job_timeout=JOB_TIMEOUT,
                                result_ttl=0, failure_ttl=24 * 60 * 60, job_id=f"consult-job-{job_id}")
            return
        except Exception:  # noqa: BLE001  (Redis down: the work still gets done, here)
            log.warning("could not queue job %s in Redis; running it in this process", job_id, exc_info=True)
    _pool(app).submit(_run_in_app, app, job_id)


_pool_lock = threading.Lock()


def _pool(app: Flask) -> ThreadPoolExecutor:
    """The web process's one background thread: jobs run one after another, never two at once."""
    with _pool_lock:
        pool = app.extensions.get("consult_jobs_pool")
        if pool is None:
            pool = app.extensions["consult_jobs_pool"] = ThreadPoolExecutor(max_workers=1,
                                                                              thread_name_prefix="consult-job")
        return pool


def _run_in_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        run(job_id)


def redis_connection(app: Flask):
    import redis
    return redis.Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=2)


def _queue(app: Flask):
    from rq import Queue
    return Queue(app.config.get("JOBS_QUEUE") or QUEUE_NAME, connection=redis_connection(app))


def run_queued(job_id: int) -> None:
    """What an RQ worker runs: the job, in the app of `flask --app consult worker` (or a new one)."""
    try:
        app = current_app._get_current_object()
    except RuntimeError:
        from .. import create_app
        app = create_app()
    _run_in_app(app, job_id)


# Running ---------------------------------------------------------------------------------------

class Progress:
    """Reports a job's progress. The computation calls it with a share (0–1) of its current step;
    steps are set with `step(start, end)` in percent. Writes are committed with the job's session,
    so the computations report progress only while they read and compute, before they write."""

    def __init__(self, job: Job):
        self.job = job
        self.start, self.end = 0, 100
        self._written = 0.0

    def step(self, start: int, end: int) -> Progress:
        self.start, self.end = start, end
        self(0.0)
        return self

    def __call__(self, share: float) -> None:
        percent = int(self.start + (self.end - self.start) * min(max(share, 0.0), 1.0))
        now = time.monotonic()
        if percent <= self.job.progress or (now - self._written < REPORT_EVERY and percent < self.end):
            return
        self.job.progress = min(percent, 99)
        self.job.updated_at = utcnow()
        db.session.commit()
        self._written = now


def _handler(kind: str) -> Callable[[Job, Progress], dict]:
    if kind == THEMES:
        from .stored_themes import run_job
    else:
        from .summary import run_job
    return run_job


def run(job_id: int) -> None:
    """Runs a queued job to its end: done with its result, or failed with the error kept."""
    job = db.session.get(Job, job_id)
    if job is None or job.status != JobStatus.QUEUED:
        return   # deleted with its consultation, or taken already
    job.status, job.started_at, job.updated_at = JobStatus.RUNNING, utcnow(), utcnow()
    db.session.commit()
    try:
        result = _handler(job.kind)(job, Progress(job))
    except Exception as error:  # noqa: BLE001  (a failed job is shown as failed, never raised at a page)
        log.exception("job %s (%s) failed", job_id, job.kind)
        db.session.rollback()
        job = db.session.get(Job, job_id)
        if job is None:
            return
        job.status, job.error = JobStatus.FAILED, f"{type(error).__name__}: {error}"[:ERROR_CHARS]
    else:
        job = db.session.get(Job, job_id)
        if job is None:
            return
        job.status, job.progress = JobStatus.DONE, 100
        job.result = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
    job.finished_at = job.updated_at = utcnow()
    db.session.commit()


def wait_idle(app: Flask, timeout: float = 60) -> None:
    """Waits until the in-process thread has run what it was given (for the CLI and tests)."""
    pool = app.extensions.get("consult_jobs_pool")
    if pool is not None:
        pool.submit(lambda: None).result(timeout=timeout)


def work(app: Flask, burst: bool = False) -> None:
    """`flask --app consult worker`: runs the queued jobs. A SimpleWorker runs them in this
    process, in this app, so the database pool and the text layer's word lists are made once."""
    from rq import SimpleWorker
    worker = SimpleWorker([_queue(app)], connection=redis_connection(app))
    worker.work(burst=burst, with_scheduler=False)
