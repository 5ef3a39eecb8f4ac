"""Forms of taking part beyond the section page's comment form: editing and reporting a comment."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from ..forms import BaseForm, choices, max_chars, no_nul, normalise_text
from ..models import Reason
from ..services.comments import MAX_COMMENT_CHARS
from ..site.comment_form import PUBLICATION_CHOICES, STANCE_CHOICES, language_field

REPORT_REASONS = [
    (Reason.OFFENSIVE, _l("Offensive or hateful")),
    (Reason.PERSONAL_DATA, _l("Contains personal data")),
    (Reason.SPAM, _l("Spam or advertising")),
    (Reason.OFF_TOPIC, _l("Off topic")),
    (Reason.OTHER, _l("Something else")),
]


class EditCommentForm(BaseForm):
    stance = RadioField(_l("Your view"), choices=choices(STANCE_CHOICES),
                        validators=[InputRequired(message=_l("Choose your view."))])
    body = TextAreaField(_l("Your comment"), filters=[normalise_text],
                         validators=[DataRequired(message=_l("Write your comment.")), no_nul,
                                     max_chars(MAX_COMMENT_CHARS)])
    language = language_field()
    publication = RadioField(_l("How should your comment be signed?"), choices=choices(PUBLICATION_CHOICES),
                             validators=[InputRequired(message=_l("Choose how your comment is signed."))])


class ReportForm(BaseForm):
    reason = RadioField(_l("What is wrong with this comment?"), choices=choices(REPORT_REASONS),
                        validators=[InputRequired(message=_l("Choose a reason."))])
    note = TextAreaField(_l("Anything the moderators should know (optional)"), filters=[normalise_text],
                         validators=[Optional(), no_nul, max_chars(1000)])


