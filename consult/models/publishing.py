"""The publication rule of versions, sections and news, stated once.

A row is published once its publication time has come: no time is a draft, a time still ahead is
scheduled. `is_published` says so of a loaded row (`section.is_published()`) and, called on the class,
gives the same test as SQL for a query (`select(Section).where(Section.is_published(now))`).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_
from sqlalchemy.ext.hybrid import hybrid_method

from ..clock import utcnow


class Published:
    """For a model with a nullable `published_at` column (naive UTC, as every time in the database)."""

    @hybrid_method
    def is_published(self, now: datetime | None = None) -> bool:
        return self.published_at is not None and self.published_at <= (now or utcnow())

    @is_published.expression
    def is_published(cls, now: datetime | None = None):
        return and_(cls.published_at.is_not(None), cls.published_at <= (now or utcnow()))
