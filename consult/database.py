"""Database engine settings that SQLAlchemy cannot express in a URL."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from .extensions import db


def configure(app: Flask) -> None:
    """Engine options, set before the engine is created."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    # The driver opens a transaction only before a write, and then as BEGIN IMMEDIATE: the
    # write lock is taken up front (waiting up to the timeout), so two workers never
    # deadlock upgrading a read lock, and reads take no lock at all.
    connect_args.setdefault("isolation_level", "IMMEDIATE")
    connect_args.setdefault("timeout", 15)
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def init_app(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        # WAL lets readers work beside a writer; the busy timeout makes a second
        # writer wait instead of failing with "database is locked".
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
