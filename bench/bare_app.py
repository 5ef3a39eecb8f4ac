"""The smallest Flask app, served by the same gunicorn command as consult, for comparison.

bench/load.py measures it beside consult's /healthz, so the cost of consult's own
request handling (security headers, session, locale, one SQL query) shows.
"""
from flask import Flask

app = Flask(__name__)


@app.get("/healthz")
def healthz():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
