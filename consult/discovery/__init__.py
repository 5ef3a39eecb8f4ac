"""What machines look for at the root of a site: robots.txt, sitemap.xml and /.well-known/security.txt."""
from flask import Blueprint

bp = Blueprint("discovery", __name__)

from . import routes  # noqa: E402,F401
