"""`flask --app consult users …`: accounts made by an administrator (the first admin too)."""
from __future__ import annotations

import click
from flask import Flask

from .. import refusals
from ..i18n import LANGUAGES
from ..models import Role
from ..services import accounts
from ..services.refusals import Refused


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
        except Refused as refused:
            raise click.ClickException(refusals.english(refused)) from None
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
        except Refused as refused:
            raise click.ClickException(refusals.english(refused)) from None
        click.echo(f"Two-step verification is off for {user.email} (id {user.id}).")
