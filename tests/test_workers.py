"""Several gunicorn workers at once: no lost or failed comments, a killed worker loses nothing that
was confirmed, and a Redis outage never turns into errors."""
from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from consult.models import Comment

from .pages import DEMO

ROOT = Path(__file__).resolve().parent.parent
SECTION = f"/lv/consultations/{DEMO}/sections/1/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(app, tmp_path):
    port = _free_port()
    env = {**os.environ, "CONSULT_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "CONSULT_SECRET_KEY": app.config["SECRET_KEY"], "CONSULT_INSTANCE_DIR": str(tmp_path),
           "CONSULT_UPLOAD_DIR": app.config["UPLOAD_DIR"], "CONSULT_REDIS_URL": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "4", "-b", f"127.0.0.1:{port}", "--no-control-socket",
         "--graceful-timeout", "5", "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    yield base, process
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=15)


class Person:
    """A signed-in browser: its own cookies, its own CSRF token."""

    def __init__(self, base: str, session_cookie: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect())
        cookie = http.cookiejar.Cookie(0, "session", session_cookie, None, False, "127.0.0.1", False, False, "/",
                                       True, False, None, True, None, None, {})
        self.jar.set_cookie(cookie)

    def form(self):
        html = self.opener.open(self.base + SECTION, timeout=30).read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        key = re.search(r'name="idempotency_key" type="hidden" value="([^"]+)"', html).group(1)
        return token, key

    def post(self, body: str) -> int:
        token, key = self.form()
        data = urllib.parse.urlencode({"csrf_token": token, "idempotency_key": key, "stance": "supports",
                                       "body": body, "paragraph": "", "publication": "name"}).encode()
        try:
            return self.opener.open(self.base + SECTION + "comments/", data=data, timeout=60).status
        except urllib.error.HTTPError as error:
            return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _people(app, make_user, login, base, count):
    people = []
    for _ in range(count):
        client = login(app.test_client(), make_user())
        client.get("/lv/")
        people.append(Person(base, client.get_cookie("session").value))
    return people


def _stored(app):
    from consult.extensions import db
    with app.app_context():
        db.session.remove()
        return {c.body for c in db.session.query(Comment)}


def test_fifty_concurrent_comments_on_four_workers_all_stored(app, demo, make_user, login, gunicorn):
    base, _process = gunicorn
    people = _people(app, make_user, login, base, 50)
    results: dict[str, int] = {}
    start = threading.Barrier(len(people))

    def run(index, person):
        start.wait()
        body = f"Vienlaicīgs komentārs nr. {index} — ā č ž"
        results[body] = person.post(body)
    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(results.values())) == [302] or sorted(set(results.values())) == [303]
    assert _stored(app) == set(results)


def test_a_killed_worker_loses_no_confirmed_comment(app, demo, make_user, login, gunicorn):
    base, process = gunicorn
    people = _people(app, make_user, login, base, 40)
    results: dict[str, int] = {}

    def run(index, person):
        body = f"Komentārs pirms un pēc kļūmes {index}"
        try:
            results[body] = person.post(body)
        except OSError:
            results[body] = 0  # the connection died with the worker: not confirmed
    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(people)]
    for thread in threads[:20]:
        thread.start()
    workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    if workers:
        os.kill(int(workers[0]), signal.SIGKILL)
    for thread in threads[20:]:
        thread.start()
    for thread in threads:
        thread.join()
    confirmed = {body for body, status in results.items() if status in (302, 303)}
    assert len(confirmed) >= 20
    assert confirmed <= _stored(app)
    assert all(status in (0, 302, 303) for status in results.values())
    assert urllib.request.urlopen(base + "/healthz", timeout=10).read() == b"ok"


def test_redis_outage_falls_back_without_errors(app, demo, make_user, login):
    """Rate limits and the page cache keep working in memory when Redis does not answer."""
    from consult import create_app
    port = _free_port()
    broken = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TESTING": True,
                         "SECRET_KEY": app.config["SECRET_KEY"], "REDIS_URL": f"redis://127.0.0.1:{port}/0",
                         "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{port}/0",
                         "UPLOAD_DIR": app.config["UPLOAD_DIR"], "OUTBOX_DIR": app.config["OUTBOX_DIR"]})
    client = broken.test_client()
    try:
        for path in ("/lv/", SECTION, "/en/news/", "/healthz"):
            assert client.get(path).status_code == 200
        from .conftest import form_post
        statuses = [form_post(client, "/en/account/login/", {"email": "x@example.test", "password": "y"}).status_code
                    for _ in range(7)]
        assert 500 not in statuses and statuses[0] == 200
        assert statuses[-1] == 429  # the in-memory fallback still throttles
    finally:
        from consult.extensions import limiter
        limiter.init_app(app)  # one Limiter per process: give it back to the test app
