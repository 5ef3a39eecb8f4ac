from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..forms import BaseForm, choices, max_chars, no_nul, normalise_text
from ..models import Reason

REASON_CHOICES = [
    (Reason.OFF_TOPIC, _l("Off topic")),
    (Reason.OFFENSIVE, _l("Offensive or hateful")),
    (Reason.PERSONAL_DATA, _l("Contains personal data")),
    (Reason.SPAM, _l("Spam or advertising")),
    (Reason.DUPLICATE, _l("Duplicate")),
    (Reason.OTHER, _l("Other")),
]


class DecisionForm(BaseForm):
    """Reject or hide: a reason from the fixed list and an optional note to the author."""
    reason = SelectField(_l("Reason"), choices=choices([("", _l("Choose a reason"))] + REASON_CHOICES),
                         validators=[InputRequired(message=_l("Choose a reason."))])
    note = TextAreaField(_l("Note to the author (optional)"), filters=[normalise_text],
                         validators=[Optional(), no_nul, max_chars(1000)])

    def validate_reason(self, field):
        from wtforms.validators import ValidationError
        if field.data not in Reason.ALL:
            raise ValidationError(_l("Choose a reason."))
