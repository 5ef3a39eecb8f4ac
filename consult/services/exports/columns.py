"""The export's columns, in the order every row holds them, and their labels in the export's language."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _

from ...labels import CHANNELS, RESPONDENT_TYPES, SIGNATURE_STATUSES, STANCES, STATUSES

# Every row is a tuple in this order; each format picks its columns. The first columns are words
# in the export's language (CSV, the spreadsheet, the DOCX table); the last ones hold the same
# facts as codes and typed values (JSON, and the spreadsheet's date cells).
LABELLED_COLUMNS = ("no", "type", "id", "date", "section", "paragraph", "version", "stance", "respondent_type",
                    "submitter", "language", "status", "tags", "subgroup", "title", "text", "decision",
                    "justification_lv", "justification_en", "changed_paragraph", "campaign", "channel", "theme",
                    # a position's electronic signatures (services.signatures), several joined by "; "
                    "signature_status", "signed_by", "signature_issuer", "signed_at")
TYPED_COLUMNS = ("created_at",       # an aware datetime in Europe/Riga
                 "stance_code", "respondent_code", "status_code", "decision_code",   # codes, or None
                 "tag_list",         # the tag names, a tuple
                 "section_list",     # section numbers, a tuple (a position may name several)
                 "whole_draft",      # a position on the whole draft: True; comments: None
                 "channel_code",     # web, letter, email or meeting
                 "theme_id",         # the item's theme in the whole consultation's set, or None
                 "signature_status_code",   # a position's worst signature status, or None
                 "signature_list")   # a position's signatures: (signer or None, issuer, aware datetime, status)
COLUMNS = LABELLED_COLUMNS + TYPED_COLUMNS
COL = {name: index for index, name in enumerate(COLUMNS)}
CSV_COLUMNS = LABELLED_COLUMNS
# The spreadsheet numbers its rows itself, so the sheets leave out "No."; the text columns come
# early, so a printed page (fitted to one page wide) shows them at a readable size.
COMMENT_SHEET = ("id", "created_at", "section", "paragraph", "stance", "respondent_type", "submitter", "channel",
                 "text",
                 "decision", "justification_lv", "justification_en", "changed_paragraph", "campaign", "theme", "tags",
                 "subgroup", "status", "version")
POSITION_SHEET = ("id", "created_at", "section", "respondent_type", "submitter", "title", "text", "decision",
                  "justification_lv", "justification_en", "changed_paragraph", "theme", "tags", "subgroup", "status",
                  "signature_status", "signed_by", "signature_issuer", "signed_at", "version")


def column_headers() -> dict[str, str]:
    """Column headers in the current locale."""
    headers = {
        "no": _("No."), "type": _("Type"), "id": _("ID"), "date": _("Date (Riga time)"), "section": _("Section"),
        "paragraph": _("Paragraph"), "version": _("Version"), "stance": _("Stance"),
        "respondent_type": _("Respondent type"), "submitter": _("Submitter"), "channel": _("Channel"),
        "language": _("Language"),
        "status": _("Moderation status"), "tags": _("Tags"), "subgroup": _("Subgroup"), "title": _("Title"),
        "text": _("Proposal"), "decision": _("Decision"), "justification_lv": _("Justification (Latvian)"),
        "justification_en": _("Justification (English)"), "changed_paragraph": _("Changed paragraph"),
        # i18n: the id of the campaign (the same or nearly the same text from many people) a comment is in
        "campaign": _("Campaign"),
        "theme": _("Theme"),
        # i18n: what the check of a position's electronic signature found, e.g. "Signature valid"
        "signature_status": _("Electronic signature"),
        "signed_by": _("Signed by"), "signature_issuer": _("Certificate authority"),
        "signed_at": _("Signing time (Riga time)"),
    }
    headers["created_at"] = headers["date"]
    return headers


def decision_labels() -> dict[str, str]:
    from ..responses import DECISION_LABELS
    return {code: str(label) for code, label in DECISION_LABELS.items()}


@dataclass
class Labels:
    """Every word the rows need, translated once (not per row)."""
    lang: str
    headers: dict[str, str]
    stances: dict[str, str]
    statuses: dict[str, str]
    respondents: dict[str, str]
    decisions: dict[str, str]
    comment: str
    position: str
    whole_draft: str
    email_mask: str
    words: dict[str, str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    signature_statuses: dict[str, str] = field(default_factory=dict)


def make_labels(lang: str) -> Labels:
    with force_locale(lang):
        return Labels(
            lang=lang, headers=column_headers(),
            stances={k: str(v) for k, v in STANCES.items()},
            statuses={k: str(v) for k, v in STATUSES.items()},
            respondents={k: str(v) for k, v in RESPONDENT_TYPES.items()},
            channels={k: str(v) for k, v in CHANNELS.items()},
            signature_statuses={k: str(v) for k, v in SIGNATURE_STATUSES.items()},
            decisions=decision_labels(),
            comment=_("Comment"), position=_("Position"), whole_draft=_("Whole draft"),
            email_mask=_("[e-mail address removed]"),
            words={
                "figure": _("Figure"), "value": _("Value"), "comments": _("Comments"), "positions": _("Positions"),
                "by_stance": _("By stance"), "by_respondent": _("By respondent type"),
                "by_section": _("By section"), "by_status": _("By moderation status"),
                "by_decision": _("By decision"), "not_answered": _("Not answered"), "poll": _("Poll"),
                "answer": _("Answer"), "votes": _("Votes"), "share": _("Share"), "voters": _("Voters"),
                "scope": _("Scope"), "generated": _("Generated"), "consultation": _("Consultation"),
                "all": _("Everything"), "since": _("Since"),
                "section_n": _("Section %(number)s"), "subgroup": _("Subgroup"),
                # i18n: names of the sheets of the XLSX export (at most 31 characters)
                "polls": _("Polls"), "summary": _("Summary"),
                "group": _("Group"), "time_zone": _("Time zone"),
            })
