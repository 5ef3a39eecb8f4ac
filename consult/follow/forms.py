from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields import EmailField
from wtforms.validators import DataRequired

from ..account.forms import valid_email
from ..forms import BaseForm, HoneypotField, no_nul
from ..services.accounts import normalise_email


def _email_filter(value):
    return normalise_email(value) if value is not None else None


class FollowByEmailForm(BaseForm):
    email = EmailField(_l("E-mail address"), filters=[_email_filter], validators=[
        DataRequired(_l("Enter your e-mail address.")), no_nul, valid_email])
    website = HoneypotField(_l("Leave this field empty"))


class ButtonForm(BaseForm):
    """A form that is only a button (follow, stop following): the CSRF token is all it carries."""
