"""`flask --app consult users …`: accounts made by an administrator (the first admin too)."""
from __future__ import annotations

import click
from flask import Flask

from ..i18n import LANGUAGES
from ..models import RespondentType, Role
from ..services import accounts
from ..services.accounts import AccountError

MESSAGES = {
    "invalid_email": "That is not a valid e-mail address.",
    "bad_role": f"The role must be one of: {', '.join(Role.ALL)}.",
    "bad_respondent_type": f"The respondent type must be one of: {', '.join(RespondentType.ALL)}.",
    "bad_name": f"The display name must have 1 to {accounts.NAME_MAX_LENGTH} characters.",
    "exists": "An account with this e-mail address already exists.",
    "too_short": f"The password is too short: use at least {accounts.PASSWORD_MIN_LENGTH} characters.",
    "too_long": f"The password is too long: use at most {accounts.PASSWORD_MAX_LENGTH} characters.",
    "common": "The password is too common. Choose another one.",
    "not_found": "There is no account with this e-mail address.",
    "not_on": "This account does not use two-step verification.",
}


def register_user_commands(app: Flask) -> None:
    @app.cli.group("users")
    def users():
        """User accounts."""

    @users.command("create")
    @click.option("--email", required=True, help="The person's e-mail address (their sign-in name).")
    @click.option("--role", required=True, type=click.Choice(Role.ALL), help="What the person may do.")
    @click.option("--name", "display_name", default=None, help="Display name (default: the part before @).")
    @click.option("--language", type=click.Choice(LANGUAGES), default="lv", show_default=True,
                  help="Language of the e-mail the person receives.")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
                  help="Asked twice, hidden, when not given.")
    def create(email: str, role: str, display_name: str | None, language: str, password: str):
        """Create a confirmed account with the given role."""
        try:
            user = accounts.create_user(email=email, role=role, password=password, display_name=display_name,
                                        language=language)
        except AccountError as error:
            raise click.ClickException(MESSAGES.get(error.code, error.code)) from None
        click.echo(f"Created {user.role} account {user.email} (id {user.id}).")

    @users.command("two-step-off")
    @click.option("--email", required=True, help="The e-mail address of the account.")
    def two_step_off(email: str):
        """Turn two-step verification off for someone who has lost their authentication app.

        Every session of the account ends and the person is told by mail; they can turn it
        on again with a new key.
        """
        try:
            user = accounts.reset_two_step(email)
        except AccountError as error:
            raise click.ClickException(MESSAGES.get(error.code, error.code)) from None
        click.echo(f"Two-step verification is off for {user.email} (id {user.id}).")
