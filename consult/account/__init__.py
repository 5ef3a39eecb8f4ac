"""Accounts: register, confirm, sign in and out, passwords, own activity, data export, deletion.

Thin views over services.accounts (validate, call, flash, redirect), all on the one blueprint `account`:
common (what every account page shares: not stored by browsers, the labels, the rate-limit keys, the
redirect after a form, the half-done sign-in kept in the session), sign_in (registration, confirming the
address, signing in with the second step's code, signing out), passwords (reset by e-mail, change, a
first password), email_address (changing the address), two_step (two-step verification and recovery
codes), own_data (activity, the data as a file, deleting the account), oidc (signing in and confirming
through the identity provider), forms, and cli (accounts made on the command line).
"""
from flask import Blueprint

from ..i18n import LANG_PREFIX

bp = Blueprint("account", __name__, url_prefix=LANG_PREFIX + "/account")

from . import common, email_address, oidc, own_data, passwords, sign_in, two_step  # noqa: E402,F401
