"""Offline submissions: proposals that came by letter, by e-mail or at a meeting, entered by staff.

Staff add one on the working group's page, or many from a CSV or XLSX file (the same
page, or `flask --app consult import-submissions`). Each becomes a comment with its
channel, the day it was received and its sender's respondent type and organisation,
and from then on goes the way of every comment: moderation, the feedback table,
campaigns, exports and the summary, which counts the channels apart.

A file is read and checked whole before anything is stored: the import is all or
nothing, in one transaction, and every refused line is named with its number and
the reason. What is refused:

* a file over MAX_FILE_BYTES, a CSV that is not UTF-8, an XLSX that does not open;
* a column heading this module does not know, one given twice, a required one missing;
* per line: an unknown section or paragraph, stance, respondent type or channel, a
  date that is not one or lies in the future, an empty or too long text, and any
  cell that starts with = + - @ (or a tab or carriage return before them), which a
  spreadsheet program would run as a formula when the data travels on.

The same checks serve the page's form for one submission, so it shows the same
messages beside its fields. Each problem is a Refused("submission.<reason>") naming its
field (the column), its line and what the message needs; several come together in one
Refused("submission.problems", problems=[…]). consult/refusals.py words them: the page
in its language, the command line in the language it is given.

Offline senders have no account. Every offline submission has as its author one
placeholder account (`offline_sender`), which nobody can sign in to and which is
never shown: the comment's own sender_type and sender_organisation say who sent it.

The package: columns (the file's columns, the limits, a problem's shape), reading (a file into lines of
cells), checking (each submission's values), storing (the placeholder sender, one submission or a file).
"""
from __future__ import annotations

from .checking import (  # noqa: F401
    Submission,
    check_table,
    check_values,
)
from .columns import (  # noqa: F401
    COLUMN_NAMES,
    COLUMNS,
    FORMULA_STARTS,
    HEADINGS,
    MAX_FILE_BYTES,
    MAX_ORGANISATION_CHARS,
    MAX_ROWS,
    MAX_TEXT_CHARS,
    PAGE_MAX_ROWS,
    REQUIRED,
    RIGA,
    SENDER_NAME,
    SENDER_SETTING,
)
from .reading import (  # noqa: F401
    Table,
    read_table,
    too_large,
)
from .storing import (  # noqa: F401
    add_submission,
    import_file,
    is_offline_sender,
    offline_sender,
)
