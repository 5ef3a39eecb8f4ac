"""The search form: a GET form (nothing changes, so no CSRF token), with the same messages as every form."""
from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField
from wtforms.validators import DataRequired

from ..forms import BaseForm, choices, max_chars, no_nul
from ..models import SearchKind
from ..services.search import MAX_QUERY_CHARS

KIND_LABELS = {
    SearchKind.CONSULTATION: _l("Consultations"),
    SearchKind.SECTION: _l("Sections of drafts"),
    SearchKind.NEWS: _l("News"),
    SearchKind.FAQ: _l("Questions and answers"),
    SearchKind.POSITION: _l("Positions of organisations"),
    SearchKind.COMMENT: _l("Comments"),
}


def normalise_query(value: str | None) -> str | None:
    """NFC, one line; control characters other than NUL become spaces (NUL gets a message)."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value)
    value = "".join(" " if unicodedata.category(ch) == "Cc" and ch != "\x00" else ch for ch in value)
    return " ".join(value.split())


class SearchForm(BaseForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Search for"), filters=[normalise_query], validators=[
        DataRequired(_l("Enter a word or words to search for.")), no_nul, max_chars(MAX_QUERY_CHARS)])
    type = SelectField(_l("Type of result"), validate_choice=False,
                       choices=choices([("", _l("All types")), *KIND_LABELS.items()]))
    consultation = SelectField(_l("Consultation"), validate_choice=False)

    def set_consultations(self, consultations, localized) -> None:
        self.consultation.choices = choices(
            [("", _l("All consultations"))] + [(c.slug, localized(c, "title")) for c in consultations])
