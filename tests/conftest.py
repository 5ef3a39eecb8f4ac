"""Fixtures: one app and database for the run, emptied after every test.

The suite runs on SQLite by default and on PostgreSQL when
CONSULT_TEST_DATABASE_URL is set; the schema always comes from the migrations.
"""
from __future__ import annotations

import gc
import os
import re
import shutil
import threading
import warnings

import pytest
from sqlalchemy import create_engine, event, text

TEST_DATABASE_URL = os.environ.get("CONSULT_TEST_DATABASE_URL")


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    base = tmp_path_factory.mktemp("consult")
    os.environ["CONSULT_INSTANCE_DIR"] = str(base / "instance")
    url = TEST_DATABASE_URL or f"sqlite:///{base / 'test.db'}"
    if url.startswith("postgresql"):
        _reset_postgres(url)
    from consult import create_app
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "UPLOAD_DIR": str(base / "uploads"),
        "OUTBOX_DIR": str(base / "outbox"),
        "SECRET_KEY": "test-secret",
        # Still scrypt, with a smaller work factor than production so the suite stays quick.
        "PASSWORD_HASH_METHOD": "scrypt:4096:8:1",
        # Background jobs run at once, inside the request, so a page shows their result; the runners
        # themselves are tested in tests/test_jobs.py.
        "JOBS_RUNNER": "inline",
    })
    from flask_migrate import upgrade
    with app.app_context():
        upgrade()
    yield app
    from consult.extensions import db
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_database(request, app):
    """Every test starts from an empty database and an empty outbox."""
    yield
    # A background job a test left to the in-process thread finishes here, not during the next test.
    from consult.services import jobs
    jobs.wait_idle(app)
    from consult.extensions import db
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
    shutil.rmtree(app.config["OUTBOX_DIR"], ignore_errors=True)
    from consult.extensions import limiter
    with app.app_context():
        limiter.reset()
    # The test client keeps its own copies of uploads and streamed downloads until they are
    # garbage-collected; collect them here so they never surface in a later, unrelated test. What is still
    # alive afterwards is frozen out of later collections, so each one scans only this test's new objects
    # instead of the whole heap (a full collection per test cost minutes over the suite).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
    gc.freeze()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo(app):
    """The demo content, as `flask --app consult demo` loads it."""
    from consult.demo import load_demo
    with app.app_context():
        load_demo()
    return "social-services-guidelines-2014-2020"


@pytest.fixture
def count_queries(app):
    """Counts the SQL statements run inside the `with` block (the page cache is off meanwhile)."""
    from consult.extensions import db
    app.config["PAGE_CACHE"] = False

    class Counter:
        def __init__(self):
            self.count = 0
            self.statements = []

        def __enter__(self):
            self.count = 0
            self.statements = []
            event.listen(engine, "before_cursor_execute", self._record)
            return self

        def __exit__(self, *exc):
            event.remove(engine, "before_cursor_execute", self._record)

        def _record(self, _conn, _cursor, statement, *_args):
            self.count += 1
            self.statements.append(statement)

    with app.app_context():
        engine = db.engine
    yield Counter()
    app.config["PAGE_CACHE"] = True


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture(scope="session")
def live_server(app):
    """The app served over HTTP on 127.0.0.1, for the browser tests."""
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


PASSWORD = "correct horse battery staple"


@pytest.fixture
def make_user(app):
    """make_user(role="citizen", email=None, confirmed=True, …) → the user's id."""
    from werkzeug.security import generate_password_hash

    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import User
    counter = {"n": 0}
    password_hash = generate_password_hash(PASSWORD, method="scrypt:4096:8:1")

    def make(role="citizen", email=None, confirmed=True, display_name=None, language="lv",
             respondent_type="citizen", **fields):
        counter["n"] += 1
        with app.app_context():
            user = User(email=email or f"{role}{counter['n']}@example.test",
                        display_name=display_name or f"{role.title()} {counter['n']}",
                        password_hash=password_hash, role=role, language=language,
                        respondent_type=respondent_type, consent_at=utcnow(),
                        email_confirmed_at=utcnow() if confirmed else None, **fields)
            db.session.add(user)
            db.session.commit()
            return user.id
    return make


@pytest.fixture
def login(app):
    """login(client, user_id): signs the client in, as the log-in page would."""
    from consult.extensions import db
    from consult.models import User

    def sign_in(client, user_id):
        with app.app_context():
            user = db.session.get(User, user_id)
            token = user.get_id()
        with client.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        return client
    return sign_in


def form_post(client, url, data, page_url=None, **kwargs):
    """POSTs a form with the CSRF token taken from the page that shows it (page_url, or url)."""
    html = client.get(page_url or url).get_data(as_text=True)
    return client.post(url, data={**data, "csrf_token": csrf_token_from(html)}, **kwargs)


def outbox_messages(app):
    """The e-mails written to the outbox, oldest first, as email.message.EmailMessage."""
    import email
    import email.policy
    import pathlib
    outbox = pathlib.Path(app.config["OUTBOX_DIR"])
    if not outbox.exists():
        return []
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(outbox.glob("*.eml"))]


@pytest.fixture
def fake_smtp(app):
    """A mail server on 127.0.0.1 that keeps what it receives; the app delivers to it meanwhile."""
    from .fake_smtp import FakeSMTP
    server = FakeSMTP().start()
    saved = {key: app.config.get(key) for key in ("MAIL_URL", "MAIL_WORKER")}
    app.config.update(MAIL_URL=server.url, MAIL_WORKER=False)
    yield server
    app.config.update(saved)
    server.stop()
