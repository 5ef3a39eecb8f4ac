"""Account forms: register, sign in, passwords, e-mail address, two-step verification, delete.

Labels and messages are lazy strings.
"""
from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, RadioField, StringField
from wtforms.fields import EmailField, SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, StopValidation, ValidationError

from .. import refusals
from ..forms import BaseForm, HoneypotField, max_chars, no_nul, normalise_name
from ..labels import RESPONDENT_TYPES
from ..models import RespondentType
from ..services import accounts

RESPONDENT_TYPE_LABELS = RESPONDENT_TYPES


def _email_filter(value):
    return accounts.normalise_email(value) if value is not None else None


def valid_email(_form, field) -> None:
    if field.data and not accounts.is_valid_email(field.data):
        raise StopValidation(_l("Enter an e-mail address in the right format, like name@example.com."))


def strong_password(_form, field) -> None:
    problem = accounts.password_problem(field.data or "")
    if problem:
        raise StopValidation(refusals.message(problem))


def same_as(other_name: str, message):
    def check(form, field):
        if field.data != form[other_name].data:
            raise ValidationError(message)
    return check


def code_format(_form, field) -> None:
    if not accounts.is_code_format(field.data or ""):
        raise StopValidation(gettext("Enter the %(num)d digits of the code.", num=accounts.TOTP_DIGITS))


def _code_field():
    # Numeric keyboard on phones; "one-time-code" lets the phone offer a code it has just seen.
    return StringField(_l("Code from your authentication app"), filters=[accounts.normalise_code],
                       validators=[DataRequired(_l("Enter the code from your authentication app.")), code_format],
                       render_kw={"inputmode": "numeric", "spellcheck": "false"})


def code_or_recovery_format(_form, field) -> None:
    value = field.data or ""
    if not accounts.is_code_format(value) and not accounts.is_recovery_code_format(value):
        raise StopValidation(gettext("Enter the %(num)d digits of the code, or the %(recovery)d digits of a "
                                     "recovery code.", num=accounts.TOTP_DIGITS, recovery=accounts.RECOVERY_DIGITS))


def _code_or_recovery_field():
    """A code from the app, or one of the recovery codes when the app is not at hand."""
    return StringField(_l("Code from your authentication app or a recovery code"), filters=[accounts.normalise_code],
                       validators=[DataRequired(_l("Enter the code from your authentication app.")),
                                   code_or_recovery_format],
                       render_kw={"inputmode": "numeric", "spellcheck": "false"})


def _email_field(label=None):
    return EmailField(label or _l("E-mail address"), filters=[_email_filter], validators=[
        DataRequired(_l("Enter your e-mail address.")), no_nul, valid_email])


def _new_password_field(label):
    return PasswordField(label, validators=[InputRequired(_l("Enter a password.")), no_nul, strong_password])


class RegisterForm(BaseForm):
    display_name = StringField(_l("Your name"), filters=[normalise_name], validators=[
        DataRequired(_l("Enter your name.")), no_nul, max_chars(accounts.NAME_MAX_LENGTH)])
    email = _email_field()
    password = _new_password_field(_l("Password"))
    respondent_type = RadioField(
        _l("You take part as"), choices=[SelectChoice(value, label) for value,
                                         label in RESPONDENT_TYPE_LABELS.items()], validate_choice=False,
        validators=[InputRequired(_l("Choose how you take part.")),
                    AnyOf(RespondentType.ALL, message=_l("Choose how you take part."))])
    consent = BooleanField(_l("I have read the privacy notice and agree that my data is used as it describes."),
                           validators=[DataRequired(_l("To create an account, agree to the privacy notice."))])
    website = HoneypotField(_l("Leave this field empty"))


class LoginForm(BaseForm):
    email = EmailField(_l("E-mail address"), filters=[_email_filter],
                       validators=[DataRequired(_l("Enter your e-mail address."))])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter your password."))])
    next = HiddenField()


class ResetRequestForm(BaseForm):
    email = _email_field()


class ResetPasswordForm(BaseForm):
    password = _new_password_field(_l("New password"))
    password_again = PasswordField(_l("New password again"), validators=[
        InputRequired(_l("Enter the new password again.")),
        same_as("password", _l("The two passwords are not the same."))])


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[
        InputRequired(_l("Enter your current password."))])
    password = _new_password_field(_l("New password"))
    password_again = PasswordField(_l("New password again"), validators=[
        InputRequired(_l("Enter the new password again.")),
        same_as("password", _l("The two passwords are not the same."))])


class SetPasswordForm(BaseForm):
    """The first password of an account made through the identity provider, once its owner has
    confirmed there that it is them: it has no current password to ask for."""
    password = _new_password_field(_l("New password"))
    password_again = PasswordField(_l("New password again"), validators=[
        InputRequired(_l("Enter the new password again.")),
        same_as("password", _l("The two passwords are not the same."))])


class NewEmailForm(BaseForm):
    """The e-mail change of an account without a password: its owner confirms at the identity provider."""
    email = EmailField(_l("New e-mail address"), filters=[_email_filter], validators=[
        DataRequired(_l("Enter the new e-mail address.")), no_nul, valid_email])


class ChangeEmailForm(NewEmailForm):
    current_password = PasswordField(_l("Current password"), validators=[
        InputRequired(_l("Enter your current password."))])


class SignInCodeForm(BaseForm):
    code = _code_or_recovery_field()


class EnableTwoStepForm(BaseForm):
    code = _code_field()


class DisableTwoStepForm(BaseForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(_l("Enter your password."))])
    code = _code_or_recovery_field()


class DisableTwoStepWithoutPasswordForm(BaseForm):
    """Turning two-step verification off for an account without a password: a code here, then a fresh
    sign-in at the identity provider instead of the password."""
    code = _code_or_recovery_field()


class RecoveryCodesForm(BaseForm):
    """Making a new set of recovery codes needs the password: a session left open must not be enough."""
    password = PasswordField(_l("Your password"), validators=[InputRequired(_l("Enter your password."))])


def _delete_confirm_field() -> BooleanField:
    return BooleanField(_l("I understand that my account will be deleted and this cannot be undone."), validators=[
        DataRequired(_l("Tick the box to confirm that you want to delete your account."))])


class DeleteAccountForm(BaseForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(_l("Enter your password."))])
    confirm = _delete_confirm_field()


class DeleteWithoutPasswordForm(BaseForm):
    """The deletion of an account without a password: its owner confirms at the identity provider."""
    confirm = _delete_confirm_field()


class ButtonForm(BaseForm):
    """A form with nothing but its CSRF token, for POST-only buttons."""
