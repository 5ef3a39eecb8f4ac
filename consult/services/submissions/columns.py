"""The import file's columns, the limits, and a problem: a Refused naming its line and column."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from ...models import Channel
from ..refusals import Refused

RIGA = ZoneInfo("Europe/Riga")
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000            # per file on the command line
PAGE_MAX_ROWS = 5_000        # per file uploaded on the page: stored well inside a web request's time
MAX_TEXT_CHARS = 50_000      # a letter may be several pages; the site's own comments stop at 5,000
MAX_ORGANISATION_CHARS = 200
# Characters that make a spreadsheet cell a formula (OWASP "CSV injection"); the exports neutralise them too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SENDER_SETTING = "offline_sender"
SENDER_NAME = "Offline senders"

# The columns, in the order of the README and of the template file. Headings may be written in
# English or Latvian, in any case, with or without diacritics, "_" or "-" for spaces.
COLUMNS = ("section", "paragraph", "stance", "text", "respondent_type", "organisation", "received_date", "channel",
           "language")
REQUIRED = ("section", "text", "received_date", "channel")
HEADINGS = {
    "section": ("section", "sadaļa"),
    "paragraph": ("paragraph", "punkts"),
    "stance": ("stance", "nostāja"),
    "text": ("text", "teksts", "proposal", "priekšlikums"),
    "respondent_type": ("respondent type", "respondenta veids"),
    "organisation": ("organisation", "organization", "organizācija"),
    "received_date": ("received date", "date received", "received", "saņemšanas datums", "saņemts"),
    "channel": ("channel", "kanāls", "saņemšanas veids"),
    "language": ("language", "valoda"),
}
# i18n: the names of the import file's columns, as the README and the messages give them
COLUMN_NAMES = {
    "section": _l("section"), "paragraph": _l("paragraph"), "stance": _l("stance"), "text": _l("text"),
    "respondent_type": _l("respondent type"), "organisation": _l("organisation"),
    "received_date": _l("received date"), "channel": _l("channel"), "language": _l("language"),
}
# Words for the values besides the codes and the labels the site shows in either language.
_EXTRA_VALUES = {
    "channel": {"e-mail": Channel.EMAIL, "epasts": Channel.EMAIL, "e-pasts": Channel.EMAIL,
                "vēstule": Channel.LETTER, "sanāksme": Channel.MEETING, "tikšanās": Channel.MEETING},
    "language": {"latvian": "lv", "latviešu": "lv", "latviski": "lv", "english": "en", "angļu": "en",
                 "angliski": "en"},
}

# i18n: the values a stance cell may hold (the codes; either language's labels work too)
_STANCE_WORDS = _l("supports, objects, proposes, asks")
# i18n: the values a respondent type cell may hold (the codes; either language's labels work too)
_RESPONDENT_WORDS = _l("citizen, organisation, municipality, business, academic, other")


def _problem(code: str, line: int | None = None, column: str | None = None, heading: str | None = None,
             **params) -> Refused:
    """One reason a file or a submission is refused: `line` is the file's line (1 holds the headings; a
    spreadsheet's row number), None for the file as a whole or for the page's form; `column` a COLUMNS key
    (the form's field of the same name), or None for the whole line; `heading` the column's heading as the
    file writes it."""
    return Refused(code, field=column, line=line, heading=heading, **params)


def _refused(problems: list[Refused]) -> Refused:
    """The problems of one file or one form, refused together."""
    return Refused("submission.problems", problems=problems)
