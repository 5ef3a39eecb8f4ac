"""Words for the stored codes (stance, status, reason, respondent type), in the page language."""
from __future__ import annotations

from collections.abc import Mapping

from flask import Flask
from flask_babel import lazy_gettext as _l

from .i18n import fast_gettext

STANCES = {
    "supports": _l("Supports"),
    "objects": _l("Objects"),
    "proposes": _l("Proposes a change"),
    "asks": _l("Asks a question"),
}
STATUSES = {
    "pending": _l("Waiting for moderation"),
    "approved": _l("Published"),
    "rejected": _l("Rejected"),
    "hidden": _l("Hidden by a moderator"),
    "withdrawn": _l("Withdrawn"),
}
REASONS = {
    "off_topic": _l("off topic"),
    "offensive": _l("offensive or hateful"),
    "personal_data": _l("contains personal data"),
    "spam": _l("spam or advertising"),
    "duplicate": _l("duplicate"),
    "other": _l("other reason"),
    "reported": _l("reported by several readers, waiting for a moderator"),
}
RESPONDENT_TYPES = {
    "citizen": _l("Resident"),
    "organisation": _l("Organisation representative"),
    "municipality": _l("Municipality"),
    "business": _l("Business"),
    "academic": _l("Academic"),
    "other": _l("Other"),
}
# How a comment reached the consultation (models.Channel): staff enter the offline ones.
CHANNELS = {
    "web": _l("This site"),
    "letter": _l("Letter"),
    "email": _l("E-mail"),
    "meeting": _l("Meeting"),
}
ORGANISATION_KINDS = {
    "ngo": _l("Non-governmental organisation"),
    "municipality": _l("Municipality"),
    "social_partner": _l("Social partner"),
    "business": _l("Business"),
    "academic": _l("Academic institution"),
    "other": _l("Other"),
}
# i18n: shown instead of an organisation's name on a position whose author did not agree to publish it
NAMELESS_ORGANISATIONS = {**ORGANISATION_KINDS, "other": _l("An organisation")}
# What the check of a position's electronic signatures found (services/signatures.py).
SIGNATURE_STATUSES = {
    "valid": _l("Signature valid"),
    "unverified": _l("Signed; signer not verified"),
    "untrusted": _l("Signer not trusted"),
    "expired": _l("Certificate expired"),
    "broken": _l("Signature broken"),
}
SIGNATURE_EXPLANATIONS = {
    "valid": _l("the signature is intact and the certificate comes from a trusted certificate authority."),
    "unverified": _l("the signature is intact; this site has no list of trusted certificate authorities, so who signed "
                     "is not verified."),
    "untrusted": _l("the signature is intact, but the certificate does not come from a certificate authority this site "
                    "trusts."),
    "expired": _l("the certificate was not valid at the time of signing."),
    "broken": _l("the document was changed after signing, or the signature does not match it."),
}
ROLES = {
    "citizen": _l("Citizen"),
    "organisation": _l("Organisation representative"),
    "moderator": _l("Moderator"),
    "workgroup": _l("Working-group member"),
    "editor": _l("Editor"),
    "admin": _l("Administrator"),
}


class LabelTable(Mapping):
    """A label table for templates, translated through the request's cached catalog.

    Each lazy string would look the catalog up again, once for every comment on a page.
    """

    def __init__(self, labels: dict):
        self._messages = {key: label._args[0] for key, label in labels.items()}  # the English msgids

    def __getitem__(self, key: str) -> str:
        return fast_gettext(self._messages[key])

    def __iter__(self):
        return iter(self._messages)

    def __len__(self) -> int:
        return len(self._messages)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        STANCE_LABELS=LabelTable(STANCES), STATUS_LABELS=LabelTable(STATUSES), REASON_LABELS=LabelTable(REASONS),
        RESPONDENT_LABELS=LabelTable(RESPONDENT_TYPES), ROLE_LABELS=LabelTable(ROLES),
        CHANNEL_LABELS=LabelTable(CHANNELS),
        NAMELESS_ORGANISATION_LABELS=LabelTable(NAMELESS_ORGANISATIONS),
        SIGNATURE_STATUS_LABELS=LabelTable(SIGNATURE_STATUSES),
        SIGNATURE_STATUS_EXPLANATIONS=LabelTable(SIGNATURE_EXPLANATIONS),
        ORGANISATION_KIND_LABELS=LabelTable(ORGANISATION_KINDS))
