"""Generated feedback for load tests: `flask --app consult demo --synthetic N`.

Adds N approved comments in Latvian (with diacritics), spread over the open demo
consultation's published sections and paragraphs (or, with `--consultations K`, evenly
over it and K-1 open copies of it), over the days it has been open,
with varied stances and respondent types. A few percent are copies of three campaign
texts (with changed case and punctuation, or one extra word), so campaign detection
has something to find. Authors are 500 generated accounts, reused across runs; they
have no password and cannot sign in. Rows go in a few thousand at a time with their search
index rows: PostgreSQL's COPY (1,000,000 in a few minutes), batched INSERTs on SQLite.

The package: texts (the generated Latvian comments, campaign copies, a letter sent many times with
the usual edits), loading (the accounts, the copies of the consultation, the rows written in bulk).
"""
from __future__ import annotations

from .loading import (  # noqa: F401
    BATCH,
    CAMPAIGN_SHARE,
    COMMENT_COLUMNS,
    DEMO_SLUG,
    EMAIL_DOMAIN,
    ENTRY_COLUMNS,
    RESPONDENT_WEIGHTS,
    STANCE_WEIGHTS,
    USERS,
    add_synthetic_comments,
    copy_slug,
)
from .texts import (  # noqa: F401
    ADDED_SENTENCES,
    CAMPAIGNS,
    DETAILS,
    EDITS,
    GREETINGS,
    LETTER_BODY,
    LETTER_GREETING,
    LETTER_SIGNATURE,
    OPENERS,
    PLACES,
    PREDICATES,
    SIGNATURES,
    SUBJECTS,
    campaign_text,
    comment_text,
    edited_copies,
    edited_copy,
    same_subject_comments,
)
