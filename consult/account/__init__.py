"""Accounts: register, confirm, sign in and out, passwords, own activity, data export, deletion."""
from flask import Blueprint

from ..i18n import LANG_PREFIX

bp = Blueprint("account", __name__, url_prefix=LANG_PREFIX + "/account")

from . import oidc, routes  # noqa: E402,F401
