"""The administration area, under /<lang>/admin/: everything editors and administrators change.

What lives here: the consultations, their draft (sections, paragraphs, versions, imports), subgroups and
documents; news and questions and answers; and, for administrators only, users and roles, security
settings, working groups (`workgroups`, its own blueprint `admin_workgroups`) and the verification of
organisations (`organisations`, blueprint `admin_organisations`). The pages are in templates/admin/.

What it may import: the services (consult/services/), which do all the reading and writing of data, the
models for their names and constants, and the shared web pieces (auth, forms, i18n, web: EmptyForm, never_stored,
page_number). Nothing outside this package imports from it except the application factory, through
`register`, so the public site and the API never depend on administration code.
"""
from flask import Blueprint, Flask

from ..i18n import LANG_PREFIX
from ..web import never_stored

# Admin pages show unpublished work and personal data: no cache may keep them.
bp = never_stored(Blueprint("admin", __name__, url_prefix=LANG_PREFIX + "/admin"))

from . import consultations, content, documents, organisations, sections, security, users, workgroups  # noqa: E402,F401


def register(app: Flask) -> None:
    for blueprint in (bp, organisations.bp, workgroups.bp):
        app.register_blueprint(blueprint)
