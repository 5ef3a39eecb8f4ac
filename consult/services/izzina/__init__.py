"""The izziņa: the official record of a consultation's proposals and the institution's answers.

A Latvian institution sends it to the government with the draft. The layout is the one
institutions use: A4 landscape; a title block (institution, consultation, period and
the counts); then one table grouped by section and point, with the columns

    No. | the point as it stood in the version commented on | the proposal or objection
    and who made it | the institution's answer with its justification | the final wording

A campaign (the same text from many people, consult.services.campaigns) is one row
with its number of copies, so thirty copies do not repeat one justification thirty
times. Supporting comments without a proposal are one count per point, unless the
caller asks for them as rows. The draft and final wordings are one merged cell per
point, so a point's text is printed once however many proposals it drew.

The package: record (what the izziņa holds, as plain data), reading (`build_record` reads it: no
request, no DOCX), wording (a point's draft and final wording), text (the texts as paragraphs of
styled spans), docx_file (`write_izzina` writes the file).
"""
from __future__ import annotations

from .docx_file import (  # noqa: F401
    write_izzina,
)
from .reading import (  # noqa: F401
    build_record,
)
from .record import (  # noqa: F401
    DECISION_ORDER,
    LABELS_LISTED,
    NOT_ANSWERED,
    WHOLE_DRAFT,
    Answer,
    Group,
    Progress,
    Record,
    Row,
    SectionBlock,
    decision_words,
)
