"""Background jobs: long computations (themes, campaigns) that never run inside a web request.

The state lives here, in the database, so every web process and every worker host reads
the same progress; the queue (RQ on Redis, or a thread of the web process) only carries
the job's id. See consult.services.jobs.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .consultation import Consultation


class JobStatus:
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    ACTIVE = (QUEUED, RUNNING)
    ALL = (QUEUED, RUNNING, DONE, FAILED)


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_consultation_kind_scope", "consultation_id", "kind", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))                 # "themes" or "texts" (campaigns, keywords)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(30), default="all")   # as ThemeSet.scope
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)               # percent, 0–100
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Moved on at every progress report: a running job that stops moving has lost its worker.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    error: Mapped[str | None] = mapped_column(Text)                # for the logs and admins, never shown as is
    result: Mapped[str | None] = mapped_column(Text)               # JSON, the kind's own

    consultation: Mapped[Consultation] = relationship()

    @property
    def active(self) -> bool:
        return self.status in JobStatus.ACTIVE
