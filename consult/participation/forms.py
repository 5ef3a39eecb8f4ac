from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from ..forms import BaseForm, HoneypotField, choices, max_chars, no_nul, normalise_text
from ..models import Reason, Stance
from ..services.comments import MAX_COMMENT_CHARS

STANCE_CHOICES = [
    (Stance.SUPPORTS, _l("I support it")),
    (Stance.OBJECTS, _l("I object to it")),
    (Stance.PROPOSES, _l("I propose a change")),
    (Stance.ASKS, _l("I have a question")),
]
PUBLICATION_CHOICES = [
    ("name", _l("Show my name")),
    ("type", _l("Show only my respondent type (for example “resident”)")),
]
# The language a comment is written in: its text carries it as lang=, so screen readers pronounce it right.
LANGUAGE_CHOICES = [
    ("lv", _l("Latvian")),
    ("en", _l("English")),
]
REPORT_REASONS = [
    (Reason.OFFENSIVE, _l("Offensive or hateful")),
    (Reason.PERSONAL_DATA, _l("Contains personal data")),
    (Reason.SPAM, _l("Spam or advertising")),
    (Reason.OFF_TOPIC, _l("Off topic")),
    (Reason.OTHER, _l("Something else")),
]


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


def language_field() -> RadioField:
    """Filled in with the page's language when the form is made (see the routes); the author may change it."""
    message = _l("Choose the language your comment is written in.")
    return RadioField(_l("Language of your comment"), choices=choices(LANGUAGE_CHOICES),
                      validators=[DataRequired(message=message)], invalid_choice_message=message)


class CommentForm(BaseForm):
    paragraph = SelectField(_l("What are you commenting on?"), validators=[Optional()], validate_choice=True)
    parent = HiddenField()
    stance = RadioField(_l("Your view"), choices=choices(STANCE_CHOICES),
                        validators=[InputRequired(message=_l("Choose your view."))])
    body = TextAreaField(_l("Your comment"), filters=[normalise_text],
                         validators=[DataRequired(message=_l("Write your comment.")), no_nul,
                                     max_chars(MAX_COMMENT_CHARS)])
    language = language_field()
    publication = RadioField(_l("How should your comment be signed?"), choices=choices(PUBLICATION_CHOICES), default="name",
                             validators=[InputRequired(message=_l("Choose how your comment is signed."))])
    website = HoneypotField(_l("Leave this field empty"))
    idempotency_key = HiddenField()

    def set_paragraphs(self, section, paragraph_numbers, whole_label: str) -> None:
        self.paragraph.choices = choices([("", whole_label)] + [
            (str(number), _l("Paragraph %(label)s", label=f"{section.number}.{number}")) for number in paragraph_numbers])


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


