"""What a reader fills in on a section page: the comment form, its choices and its language field.

The form belongs to the page that shows it (site); participation handles what it sends, and its
form for editing a comment is CommentFields, the fields the two forms share."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from ..forms import BaseForm, HoneypotField, choices, max_chars, no_nul, normalise_text
from ..models import Stance
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


def language_field() -> RadioField:
    """Filled in with the page's language when the form is made (see the routes); the author may change it."""
    message = _l("Choose the language your comment is written in.")
    return RadioField(_l("Language of your comment"), choices=choices(LANGUAGE_CHOICES),
                      validators=[DataRequired(message=message)], invalid_choice_message=message)


class _CommentPlace(BaseForm):
    """Where a new comment goes: a paragraph, or a reply to a comment. Defined before CommentFields so
    that the comment form lists (and its error summary names) these fields first."""
    paragraph = SelectField(_l("What are you commenting on?"), validators=[Optional()], validate_choice=True)
    parent = HiddenField()


class CommentFields(BaseForm):
    """What a comment says and how it is signed: the fields of a new comment that its author may edit."""
    stance = RadioField(_l("Your view"), choices=choices(STANCE_CHOICES),
                        validators=[InputRequired(message=_l("Choose your view."))])
    body = TextAreaField(_l("Your comment"), filters=[normalise_text],
                         validators=[DataRequired(message=_l("Write your comment.")), no_nul,
                                     max_chars(MAX_COMMENT_CHARS)])
    language = language_field()
    publication = RadioField(_l("How should your comment be signed?"), choices=choices(PUBLICATION_CHOICES),
                             validators=[InputRequired(message=_l("Choose how your comment is signed."))])


class CommentForm(_CommentPlace, CommentFields):
    website = HoneypotField(_l("Leave this field empty"))
    idempotency_key = HiddenField()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("publication", "name")  # a new comment shows its author's name unless they choose
        super().__init__(*args, **kwargs)

    def set_paragraphs(self, section, paragraph_numbers, whole_label: str) -> None:
        self.paragraph.choices = choices([("", whole_label)] + [
            (str(number), _l("Paragraph %(label)s",
                             label=f"{section.number}.{number}")) for number in paragraph_numbers])
