"""Forms of taking part beyond the section page's comment form: editing and reporting a comment."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..forms import BaseForm, choices, max_chars, no_nul, normalise_text
from ..models import Reason
from ..site.comment_form import CommentFields

REPORT_REASONS = [
    (Reason.OFFENSIVE, _l("Offensive or hateful")),
    (Reason.PERSONAL_DATA, _l("Contains personal data")),
    (Reason.SPAM, _l("Spam or advertising")),
    (Reason.OFF_TOPIC, _l("Off topic")),
    (Reason.OTHER, _l("Something else")),
]


class EditCommentForm(CommentFields):
    """A comment's author changes what it says and how it is signed; where it goes stays."""


class ReportForm(BaseForm):
    reason = RadioField(_l("What is wrong with this comment?"), choices=choices(REPORT_REASONS),
                        validators=[InputRequired(message=_l("Choose a reason."))])
    note = TextAreaField(_l("Anything the moderators should know (optional)"), filters=[normalise_text],
                         validators=[Optional(), no_nul, max_chars(1000)])


