"""HTTP benchmark: gunicorn (2 workers) on SQLite and PostgreSQL, driven by wrk from 127.0.0.1.

    .venv/bin/python bench/load.py [--seconds 8] [--only sqlite|postgresql]

Loads the demo plus 200 approved comments on one section and 5,000 across the
consultation, then prints requests/s and p99 latency for /healthz (the framework
floor), the home page, the overview, the section page (anonymous, from the page
cache; signed in, from the rendering shared by signed-in readers with their CSRF token
and idempotency key filled in; and signed in as the author of a comment on that page,
the same with their report links cut out) and a poll page (anonymous and signed in),
each as a ratio to /healthz from the same run; a bare Flask app's /healthz
under the same gunicorn command, for comparison; and sustained comment submissions
per second, driven by wrk too (bench/post_comments.lua: 16 signed-in people posting
distinct comments over 16 connections; rate limits are off for this part, or they would
refuse almost all of it), with the errors and the accepted comments the database lost. Every measurement follows
an untimed one-second run of the same requests, so each worker has started, connected and
filled its caches: the figures are the steady state.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/consult_bench"
SLUG = "social-services-guidelines-2014-2020"
SECRET = "bench-secret-key"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(url: str, instance: str) -> dict:
    return {**os.environ, "CONSULT_DATABASE_URL": url, "CONSULT_SECRET_KEY": SECRET, "CONSULT_INSTANCE_DIR": instance,
            "CONSULT_UPLOAD_DIR": os.path.join(instance, "uploads"), "CONSULT_REDIS_URL": "",
            "CONSULT_RATELIMIT_ENABLED": "0", "CONSULT_MAIL_WORKER": "1"}


PAGES_WITH_IDS: dict[str, str] = {}   # addresses that depend on ids in the loaded content


def prepare(url: str, env: dict) -> list[tuple[str, str]]:
    """Migrates, loads the content and returns the session cookies and CSRF tokens of 100 signed-in people."""
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text
        admin = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS consult_bench"))
            connection.execute(text("CREATE DATABASE consult_bench"))
        admin.dispose()
    flask = [sys.executable, "-m", "flask", "--app", "consult"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([*flask, "demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    os.environ.update(env)
    from sqlalchemy import insert
    from werkzeug.security import generate_password_hash

    from consult import create_app
    from consult.extensions import db
    from consult.models import Comment, Consultation, Section, User
    app = create_app()
    cookies = []
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=SLUG).one()
        sections = db.session.query(Section).filter_by(consultation_id=consultation.id).all()
        password = generate_password_hash("bench password 1", method="scrypt:4096:8:1")
        users = [User(email=f"bench{i}@example.test", display_name=f"Dalībnieks {i}", password_hash=password,
                      email_confirmed_at=consultation.opens_at) for i in range(100)]
        db.session.add_all(users)
        db.session.commit()
        words = "sociālie pakalpojumi pašvaldība ģimene atbalsts kvalitāte pieejamība aprūpe budžets".split()
        rows = []
        for n in range(5200):
            section = sections[0] if n < 200 else random.choice(sections)
            rows.append({"consultation_id": consultation.id, "section_id": section.id, "author_id": users[n % 100].id,
                         "stance": random.choice(["supports", "objects", "proposes", "asks"]),
                         "body": " ".join(random.choices(words, k=30)) + f" ({n})", "status": "approved",
                         "needs_review": False, "fingerprint": f"bench{n}", "idempotency_key": f"bench{n}",
                         "show_name": n % 2 == 0, "language": "lv"})
        db.session.execute(insert(Comment), rows)
        db.session.commit()
        identities = [user.get_id() for user in users]
        from consult.models import Poll
        poll = db.session.query(Poll).filter_by(on_home=False).order_by(Poll.id).first()
        PAGES_WITH_IDS["poll"] = f"/lv/polls/{poll.id}/" if poll else ""
    # Outside the app context: each request must get its own `g`, or the CSRF token is shared.
    for identity in identities:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = identity
            session["_fresh"] = True
        # puts a CSRF token in the session
        page = client.get(f"/lv/consultations/{SLUG}/sections/1/").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        cookies.append((client.get_cookie("session").value, token))
    return cookies


def start_gunicorn(env: dict, port: int, app: str = "wsgi:app") -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                                "--no-control-socket", app],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    answered = 0
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                answered += 1
            connection.close()
            if answered >= 10:  # both workers have booted and answer
                return process
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def wrk(url: str, seconds: int, cookie: str | None = None) -> tuple[float, str]:
    command = ["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: session={cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+(\S+)", output).group(1)
    return rate, p99


def stored_comments(url: str) -> int:
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM comments")).scalar_one()
    engine.dispose()
    return count


def submit_comments(url: str, port: int, people: list[tuple[str, str]], seconds: int) -> tuple[float, int, int, int]:
    """wrk posts distinct comments for 16 signed-in people (bench/post_comments.lua).

    Returns submissions accepted per second, how many were accepted, how many got another
    answer or none, and how many accepted ones the database does not hold (lost).
    """
    path = f"/lv/consultations/{SLUG}/sections/2/comments/"
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as handle:
        handle.writelines(f"{cookie}\t{token}\n" for cookie, token in people[:16])
    before = stored_comments(url)
    try:
        output = subprocess.run(["wrk", "-t1", "-c16", f"-d{seconds}s", "-s", str(ROOT / "bench" / "post_comments.lua"),
                                 f"http://127.0.0.1:{port}{path}", "--", handle.name, f"r{random.randrange(10**9)}"],
                                capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(handle.name)
    stored = stored_comments(url) - before
    accepted, other = (int(n) for n in re.search(r"answers: 303=(\d+) other=(\d+)", output).groups())
    failed = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = other + (sum(int(n) for n in failed.groups()) if failed else 0)
    duration = float(re.search(r"requests in ([\d.]+)(m?s)", output).group(1))
    unit = re.search(r"requests in [\d.]+(m?s)", output).group(1)
    duration = duration / 1000 if unit == "ms" else duration
    return accepted / duration, accepted, errors, max(0, accepted - stored)


def bare_flask(env: dict, seconds: int) -> tuple[float, str]:
    """/healthz of the smallest Flask app (bench/bare_app.py) under the same gunicorn command."""
    port = free_port()
    process = start_gunicorn(env, port, "bench.bare_app:app")
    try:
        wrk(f"http://127.0.0.1:{port}/healthz", 1)
        return wrk(f"http://127.0.0.1:{port}/healthz", seconds)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def run(name: str, url: str, seconds: int) -> None:
    instance = tempfile.mkdtemp(prefix=f"consult-bench-{name}-")
    if url.startswith("sqlite"):
        url = f"sqlite:///{instance}/bench.db"
    env = environment(url, instance)
    cookies = prepare(url, env)
    bare, bare_p99 = bare_flask(env, seconds)
    port = free_port()
    process = start_gunicorn(env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        wrk(base + "/healthz", 1)  # warm-up: both workers import, connect and compile before anything is timed
        floor, floor_p99 = wrk(base + "/healthz", seconds)
        print(f"\n{name}: gunicorn -w 2, wrk -t1 -c8 -d{seconds}s, demo + 5,200 approved comments")
        print(f"  {'page':44} {'req/s':>8} {'p99':>9} {'× healthz':>10}")
        print(f"  {'bare Flask app, /healthz (for comparison)':44} {bare:8.0f} {bare_p99:>9} {bare / floor:10.2f}")
        print(f"  {'/healthz (framework floor)':44} {floor:8.0f} {floor_p99:>9} {1:10.2f}")
        # cookies[0] wrote comments shown on the first page of section 1, so their page is rendered
        # afresh; cookies[-1] wrote none there and shares the cached section body with other readers.
        pages = [("home /lv/", "/lv/", None),
                 ("overview", f"/lv/consultations/{SLUG}/", None),
                 ("section, 200 comments, anonymous", f"/lv/consultations/{SLUG}/sections/1/", None),
                 ("section, 200 comments, signed in", f"/lv/consultations/{SLUG}/sections/1/", cookies[-1][0]),
                 ("section, signed in, author on the page", f"/lv/consultations/{SLUG}/sections/1/", cookies[0][0])]
        if PAGES_WITH_IDS.get("poll"):
            pages += [("poll, anonymous", PAGES_WITH_IDS["poll"], None),
                      ("poll, signed in, not voted", PAGES_WITH_IDS["poll"], cookies[-1][0])]
        for label, path, cookie in pages:
            wrk(base + path, 1, cookie)  # warm-up: each worker renders and caches the page once, untimed
            rate, p99 = wrk(base + path, seconds, cookie)
            print(f"  {label:44} {rate:8.0f} {p99:>9} {rate / floor:10.2f}")
        rate, accepted, errors, lost = submit_comments(url, port, cookies, seconds)
        print(f"  {'comment submissions (16 people)':44} {rate:8.0f} {'':>9} {'':>10}  "
              f"accepted {accepted}, errors {errors}, lost {lost}")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        shutil.rmtree(instance, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    targets = [("sqlite", "sqlite"), ("postgresql", PG_URL)]
    for name, url in targets:
        if args.only and args.only != name:
            continue
        # Each database gets a fresh interpreter, so the app is configured from scratch.
        if len([t for t in targets if not args.only]) > 1:
            subprocess.run([sys.executable, __file__, "--seconds", str(args.seconds), "--only", name], check=True)
        else:
            run(name, url, args.seconds)


if __name__ == "__main__":
    main()
