"""deploy/nginx/consult.conf as it is shipped, in front of gunicorn: TLS, redirects, compression, and
static files served by nginx itself under their hashed names with a year's cache."""
from __future__ import annotations

import datetime
import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .pages import DEMO

ROOT = Path(__file__).resolve().parent.parent
SITE = "konsultacijas.example.lv"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(
    not os.path.exists(NGINX) and not os.environ.get("CONSULT_REQUIRE_BROWSER"),
    reason="nginx is not installed (Debian: apt-get install nginx)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int) -> None:
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, SITE)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=2))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(SITE)]), critical=False)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "site.pem", folder / "site.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _site_config(folder: Path, app_port: int, http_port: int, https_port: int) -> str:
    """The shipped file with only its addresses and paths changed for this machine."""
    cert, key = _certificate(folder)
    text = (ROOT / "deploy/nginx/consult.conf").read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "    listen 80;\n": f"    listen 127.0.0.1:{http_port};\n",
        "    listen 443 ssl http2;\n": f"    listen 127.0.0.1:{https_port} ssl http2;\n",
        "    listen [::]:80;\n": "",
        "    listen [::]:443 ssl http2;\n": "",
        f"/etc/ssl/certs/{SITE}.pem": str(cert),
        f"/etc/ssl/private/{SITE}.key": str(key),
        "root /srv/consult;": f"root {folder};",
    }
    for old, new in replacements.items():
        assert old in text, f"deploy/nginx/consult.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


@pytest.fixture
def behind_nginx(app, demo, tmp_path):
    """gunicorn serving the test database, nginx in front of it; yields (https port, http port, app log)."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "consult", "collect-static", str(tmp_path / "static")],
                   cwd=ROOT, check=True, capture_output=True,
                   env={**os.environ, "CONSULT_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"]})
    app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
    app_log = tmp_path / "gunicorn-access.log"
    env = {**os.environ, "CONSULT_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "CONSULT_SECRET_KEY": app.config["SECRET_KEY"], "CONSULT_INSTANCE_DIR": str(tmp_path),
           "CONSULT_UPLOAD_DIR": app.config["UPLOAD_DIR"], "CONSULT_REDIS_URL": "", "CONSULT_PROXY_COUNT": "1"}
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{app_port}", "--no-control-socket",
         "--access-logfile", str(app_log), "wsgi:app"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    (tmp_path / "consult.conf").write_text(_site_config(tmp_path, app_port, http_port, https_port))
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / name).mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""   # test folders are private to their owner
    (tmp_path / "nginx.conf").write_text(f"""{user}daemon off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/nginx-error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp_path}/nginx-access.log;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/consult.conf;
}}
""")
    nginx = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_for(app_port)
        _wait_for(https_port)
        yield https_port, http_port, app_log
    finally:
        for process in (nginx, gunicorn):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)


def _get(port: int, path: str, tls: bool = True, **headers) -> tuple[http.client.HTTPResponse, bytes]:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE   # the test's own self-signed certificate
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=20)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request("GET", path, headers={"Host": SITE, **headers})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_pages_and_static_files_through_the_shipped_nginx_configuration(behind_nginx):
    https_port, http_port, app_log = behind_nginx

    response, _ = _get(http_port, "/lv/", tls=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{SITE}/lv/"

    response, body = _get(https_port, f"/lv/consultations/{DEMO}/", **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    page = gzip.decompress(body).decode()
    assert "<html" in page and 'lang="lv"' in page
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000"

    stylesheet = re.search(r'href="(/static/site\.[0-9a-f]{12}\.css)"', page).group(1)
    response, body = _get(https_port, stylesheet, **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert response.getheader("Content-Encoding") == "gzip"
    assert b"{" in gzip.decompress(body)

    response, _ = _get(https_port, "/static/site.css")
    assert response.status == 200 and response.getheader("Cache-Control") == "no-cache"

    # A hash that was never written goes on to the app, which refuses it.
    response, _ = _get(https_port, "/static/site.000000000000.css")
    assert response.status == 404

    # gunicorn writes its access log a moment after answering: wait (briefly) for the last line.
    for _ in range(50):
        requests_to_the_app = app_log.read_text()
        if "/static/site.000000000000.css" in requests_to_the_app:
            break
        time.sleep(0.1)
    assert f"/lv/consultations/{DEMO}/" in requests_to_the_app
    assert stylesheet not in requests_to_the_app and "/static/site.css" not in requests_to_the_app
    assert "/static/site.000000000000.css" in requests_to_the_app
