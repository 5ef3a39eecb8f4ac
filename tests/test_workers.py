"""Several gunicorn workers at once: no lost or failed comments, a killed worker loses no comment or
upload that was confirmed and leaves no half-stored upload once the sweep has run, and a Redis outage
never turns into errors."""
from __future__ import annotations

import http.cookiejar
import io
import os
import re
import shutil
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


def _start_gunicorn(app, tmp_path, redis_url: str = ""):
    port = _free_port()
    env = {**os.environ, "CONSULT_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "CONSULT_SECRET_KEY": app.config["SECRET_KEY"], "CONSULT_INSTANCE_DIR": str(tmp_path),
           "CONSULT_UPLOAD_DIR": app.config["UPLOAD_DIR"], "CONSULT_REDIS_URL": redis_url,
           "CONSULT_RATELIMIT_ENABLED": "1", "CONSULT_PROXY_COUNT": "0"}
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
    return base, process


def _stop(process) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=15)


@pytest.fixture
def gunicorn(app, tmp_path):
    base, process = _start_gunicorn(app, tmp_path)
    yield base, process
    _stop(process)


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


class Uploader(Person):
    """A signed-in editor or organisation representative sending PDFs, as the browser's multipart form would."""

    def _page(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=20).read().decode()

    def _post_multipart(self, path: str, fields: dict) -> tuple[int, str]:
        from werkzeug.datastructures import FileStorage
        from werkzeug.test import encode_multipart
        values = {key: FileStorage(io.BytesIO(value[0]), filename=value[1], content_type="application/pdf")
                  if isinstance(value, tuple) else value for key, value in fields.items()}
        boundary, body = encode_multipart(values)
        request = urllib.request.Request(self.base + path, data=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            response = self.opener.open(request, timeout=20)
            return response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")

    def upload_document(self, consultation_id: int, title: str, pdf: bytes) -> tuple[int, str]:
        path = f"/lv/admin/consultations/{consultation_id}/documents/"
        token = _hidden(self._page(path), "csrf_token")
        return self._post_multipart(path, {"csrf_token": token, "title_lv": title, "title_en": "",
                                           "file": (pdf, "Dokuments.pdf")})

    def upload_position(self, organisation_id: int, title: str, pdf: bytes) -> tuple[int, str]:
        path = f"/lv/consultations/{DEMO}/positions/new/"
        html = self._page(path)
        return self._post_multipart(path, {
            "csrf_token": _hidden(html, "csrf_token"), "idempotency_key": _hidden(html, "idempotency_key"),
            "organisation": str(organisation_id), "title": title, "body": "Viedoklis ar pielikumu.",
            "publish_name": "y", "attachment": (pdf, "Viedoklis.pdf")})


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]+)"', html).group(1)


def _workers(process) -> list[int]:
    return [int(pid) for pid in
            subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()]


def _uploads_setup(app, make_user, login, base, editors: int, representatives: int):
    """Editors of the demo consultation, and representatives of one verified organisation."""
    from consult.clock import utcnow
    from consult.extensions import db
    from consult.models import Consultation, Organisation, User
    editor_ids = [make_user(role="editor") for _ in range(editors)]
    representative_ids = [make_user(role="organisation") for _ in range(representatives)]
    with app.app_context():
        consultation_id = db.session.query(Consultation).filter_by(slug=DEMO).one().id
        organisation = Organisation(name="Biedrība “Pēc kļūmes”", kind="ngo", verified_at=utcnow(),
                                    representatives=[db.session.get(User, i) for i in representative_ids])
        db.session.add(organisation)
        db.session.commit()
        organisation_id = organisation.id
        db.session.remove()

    def signed_in(user_id):
        client = login(app.test_client(), user_id)
        client.get("/lv/")
        return Uploader(base, client.get_cookie("session").value)
    return (consultation_id, [signed_in(i) for i in editor_ids], organisation_id,
            [signed_in(i) for i in representative_ids])


def _open_temp_file(pid: int, upload_dir: str) -> str | None:
    """The temporary upload file the process has open (is writing), if any."""
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return None
    for descriptor in descriptors:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{descriptor}")
        except OSError:
            continue
        if os.path.dirname(target) == os.path.realpath(upload_dir) and target.endswith(".tmp"):
            return target
    return None


def _stop_a_writer(workers: list[int], upload_dir: str) -> tuple[int, str] | None:
    """A worker frozen (SIGSTOP) while it writes an upload, and that file; None when none is writing now."""
    for pid in workers:
        if _open_temp_file(pid, upload_dir) is None:
            continue
        os.kill(pid, signal.SIGSTOP)
        for _ in range(200):
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] in ("T", "t"):
                    break
            time.sleep(0.005)
        temp = _open_temp_file(pid, upload_dir)  # still writing, now that it cannot move on
        if temp is not None:
            return pid, temp
        os.kill(pid, signal.SIGCONT)
    return None


def _stored_uploads(app) -> list[tuple[str, str]]:
    """(title, stored name) of every document and every position with a PDF."""
    from consult.extensions import db
    from consult.models import Document, Position
    with app.app_context():
        db.session.remove()
        rows = [(d.title_lv, d.stored_name) for d in db.session.query(Document)]
        rows += [(p.title, p.attachment_stored) for p in db.session.query(Position) if p.attachment_stored is not None]
        db.session.remove()
        return rows


@pytest.mark.parametrize("target", ["writing an upload", "any"])
def test_a_killed_worker_loses_no_confirmed_comment_or_upload(app, demo, make_user, login, gunicorn, target):
    """kill -9 one worker during a burst of comment posts and uploads: every post that got a success answer is
    stored, no half-stored upload remains once the sweep has run, and the site keeps answering.

    The worker killed is one caught writing an upload's file (the worst moment for an upload), or whichever
    worker, at whatever it is doing (a comment, an upload at any step, nothing)."""
    from consult.demo import minimal_pdf
    from consult.services import uploads
    base, process = gunicorn
    upload_dir = app.config["UPLOAD_DIR"]
    people = _people(app, make_user, login, base, 32)
    consultation_id, editors, organisation_id, representatives = _uploads_setup(app, make_user, login, base, 4, 4)
    comments: dict[str, int] = {}
    sent: dict[str, bytes] = {}  # title → the PDF's bytes, for every upload attempted
    answers: dict[str, tuple[int, str]] = {}
    expected_location = {"document": f"/lv/admin/consultations/{consultation_id}/documents/",
                         "position": f"/lv/consultations/{DEMO}/positions/"}
    kinds: dict[str, str] = {}
    start = threading.Barrier(len(people) + len(editors) + len(representatives) + 1)

    def comment(index, person):
        start.wait(timeout=20)
        body = f"Komentārs pirms un pēc kļūmes {index}"
        try:
            comments[body] = person.post(body)
        except OSError:
            comments[body] = 0  # the connection died with the worker: not confirmed

    def upload(kind, index, uploader):
        start.wait(timeout=20)
        for round_ in range(2):
            title = f"Augšupielāde {kind} {index}.{round_} — ā č ž"
            # About 1 MB, different for every upload, so a mix-up or a half-written file shows.
            pdf = minimal_pdf([f"{kind} {index}.{round_} line {n}" for n in range(40000)])
            sent[title], kinds[title] = pdf, kind
            try:
                if kind == "document":
                    answers[title] = uploader.upload_document(consultation_id, title, pdf)
                else:
                    answers[title] = uploader.upload_position(organisation_id, title, pdf)
            except OSError:
                answers[title] = (0, "")

    threads = [threading.Thread(target=comment, args=pair, daemon=True) for pair in enumerate(people)]
    threads += [threading.Thread(target=upload, args=("document", i, u), daemon=True) for i, u in enumerate(editors)]
    threads += [threading.Thread(target=upload, args=("position", i, u), daemon=True)
                for i, u in enumerate(representatives)]
    for thread in threads:
        thread.start()
    workers = _workers(process)
    assert len(workers) == 4
    start.wait(timeout=20)
    deadline = time.monotonic() + 10  # mid-burst: once a few answers are in, with much still in flight
    while len(comments) + len(answers) < 8 and time.monotonic() < deadline:
        time.sleep(0.01)
    deadline = time.monotonic() + 3
    caught = None
    while (target == "writing an upload" and caught is None and time.monotonic() < deadline
           and len(answers) < len(editors + representatives) * 2):
        caught = _stop_a_writer(workers, upload_dir)
    if target == "writing an upload" and os.path.isdir(f"/proc/{workers[0]}/fd"):
        assert caught, "no worker was caught writing an upload"
    victim, stranded = caught or (workers[0], None)
    os.kill(victim, signal.SIGKILL)
    finish = time.monotonic() + 25
    for thread in threads:
        thread.join(timeout=max(0.0, finish - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "a request never got an answer"

    # Comments: a success answer means stored.
    assert all(status in (0, 302, 303) for status in comments.values()), comments
    confirmed_comments = {body for body, status in comments.items() if status in (302, 303)}
    assert confirmed_comments <= _stored(app)
    # Uploads: a success answer is a 303 to the page the upload belongs on, and means stored, bytes and all.
    assert len(answers) == len(sent) == 16
    assert all(status in (0, 303) for status, _location in answers.values()), answers
    confirmed_uploads = {title for title, (status, location) in answers.items() if status == 303}
    for title in confirmed_uploads:
        assert urllib.parse.urlsplit(answers[title][1]).path == expected_location[kinds[title]]
    # Only the one request the killed worker was serving can be lost.
    assert sum(1 for s in comments.values() if s == 0) + sum(1 for s, _ in answers.values() if s == 0) <= 1
    rows = _stored_uploads(app)
    ours = {title: stored_name for title, stored_name in rows if title in sent}
    assert len(ours) == len([title for title, _ in rows if title in sent])  # one row per upload at most
    assert confirmed_uploads <= set(ours)
    for title in confirmed_uploads:
        assert (Path(upload_dir) / ours[title]).read_bytes() == sent[title]
    # Every row has its file: in place, or (the worker died between committing the row and the
    # rename) complete under its temporary name, for the sweep to put in place.
    for title, stored_name in rows:
        path = Path(upload_dir) / stored_name
        if not path.exists():
            path = path.with_name(stored_name + uploads.TEMP_SUFFIX)
        assert path.is_file(), f"the file of {title!r} is missing"
        if title in sent:
            assert path.read_bytes() == sent[title]
    if stranded:  # the file the killed worker was writing stays behind, and no row names it
        assert os.path.isfile(stranded)
        assert os.path.basename(stranded).removesuffix(uploads.TEMP_SUFFIX) not in {name for _, name in rows}

    # The sweep, with no grace (nothing is in flight any more), leaves no half-state behind.
    result = app.test_cli_runner().invoke(args=["sweep-uploads", "--older-than", "0"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"(Restored \d+ file\(s\) [^\n]+\n)?Removed \d+ orphaned upload file\(s\)\.\n", result.output)
    rows = _stored_uploads(app)
    assert sorted(os.listdir(upload_dir)) == sorted(name for _, name in rows)  # no orphan, no temp, none missing
    assert not (stranded and os.path.exists(stranded))
    for title, stored_name in rows:
        if title in sent:
            assert (Path(upload_dir) / stored_name).read_bytes() == sent[title]

    # The site keeps answering, with a worker in place of the killed one; the files download as sent.
    assert urllib.request.urlopen(base + "/healthz", timeout=10).read() == b"ok"
    for _ in range(100):
        if len(_workers(process)) == 4:
            break
        time.sleep(0.1)
    assert len(_workers(process)) == 4 and victim not in _workers(process)
    from consult.extensions import db
    from consult.models import Document
    with app.app_context():
        documents = {d.title_lv: d.id for d in db.session.query(Document)}
        db.session.remove()
    for title in [t for t in confirmed_uploads if kinds[t] == "document"][:2]:
        download = urllib.request.urlopen(f"{base}/lv/documents/{documents[title]}/", timeout=10)
        assert download.read() == sent[title]
    assert people[0].post("Vēl viens komentārs pēc kļūmes") in (302, 303)


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


@pytest.fixture
def private_redis(tmp_path):
    """A Redis server of this test's own, so stopping it disturbs nothing else."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen([server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0", process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def _login_attempt(base: str, email: str, forwarded_for: str | None = None) -> int:
    """A fresh browser opens the log-in page and sends a wrong password; returns the status."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
    html = opener.open(base + "/en/account/login/", timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    request = urllib.request.Request(base + "/en/account/login/", data=urllib.parse.urlencode(
        {"csrf_token": token, "email": email, "password": "not the password"}).encode())
    if forwarded_for:
        request.add_header("X-Forwarded-For", forwarded_for)
    try:
        return opener.open(request, timeout=30).status
    except urllib.error.HTTPError as error:
        return error.code


def test_rate_limits_hold_across_four_workers_and_survive_redis_stopping(app, demo, tmp_path, private_redis):
    """Limits are counted in Redis, so four workers do not multiply them; a forged X-Forwarded-For does
    not reset them; when Redis stops mid-run the workers fall back to memory and answer without errors."""
    redis_url, redis_process = private_redis
    base, process = _start_gunicorn(app, tmp_path, redis_url=redis_url)
    try:
        # Five log-in attempts a minute for one address, whichever worker answers.
        statuses = [_login_attempt(base, "someone@example.test", forwarded_for=f"203.0.113.{n}") for n in range(12)]
        assert statuses.count(200) == 5 and statuses.count(429) == 7, statuses
        # Thirty a minute from one client: changing the claimed address in X-Forwarded-For does not help.
        statuses = [_login_attempt(base, f"person{n}@example.test", forwarded_for=f"198.51.100.{n}")
                    for n in range(26)]
        assert statuses[:18] == [200] * 18 and statuses[-1] == 429, statuses
        redis_process.kill()
        redis_process.wait(timeout=10)
        after = [_login_attempt(base, f"later{n}@example.test") for n in range(8)]
        assert 500 not in after and set(after) <= {200, 429}, after
        assert urllib.request.urlopen(base + SECTION, timeout=30).status == 200
        assert urllib.request.urlopen(base + "/healthz", timeout=30).status == 200
    finally:
        _stop(process)
