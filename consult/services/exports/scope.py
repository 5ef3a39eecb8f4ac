"""What an export covers and how it is asked for: formats, the checked parameters (Scope) and the file name."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ...clock import utcnow
from ...extensions import db
from ...models import Consultation, Decision, Section, Stance, Status, Subgroup
from .. import feedback
from ..refusals import Refused

if TYPE_CHECKING:
    from ..campaigns import Campaign


FORMATS = ("csv", "xlsx", "docx", "json")
DELIMITERS = (",", ";")
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}
BATCH = 1000
CHUNK = 64 * 1024
RIGA = ZoneInfo("Europe/Riga")
UTC = ZoneInfo("UTC")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
Progress = Callable[[int], None] | None


# Scope -----------------------------------------------------------------------------------------

@dataclass
class Scope:
    """What an export holds: the consultation, and the same limits the feedback table offers."""
    consultation: Consultation
    section: Section | None = None
    subgroup: Subgroup | None = None
    since: date | None = None
    all_statuses: bool = False
    stance: str | None = None          # a Stance code
    decision: str | None = None        # a Decision code, or feedback.NOT_ANSWERED
    campaign: Campaign | None = None   # one of the consultation's campaigns (services.campaigns)

    def filters(self) -> feedback.Filters:
        return feedback.Filters(
            status=feedback.ALL_STATUSES if self.all_statuses else Status.APPROVED,
            section=self.section.number if self.section else None,
            subgroup_id=self.subgroup.id if self.subgroup else None,
            date_from=self.since, stance=self.stance, decision=self.decision,
            campaign_ids=list(self.campaign.ids) if self.campaign else None, approved_only=True)

    def slug(self) -> str:
        parts = [self.consultation.slug]
        if self.section:
            parts.append(f"section-{self.section.number}")
        if self.subgroup:
            parts.append(f"subgroup-{self.subgroup.id}")
        if self.since:
            parts.append(f"since-{self.since.isoformat()}")
        if self.stance:
            parts.append(self.stance)
        if self.decision:
            parts.append("not-answered" if self.decision == feedback.NOT_ANSWERED else self.decision)
        if self.campaign:
            parts.append(f"campaign-{self.campaign.id}")
        return "-".join(parts)


def parse_since(raw) -> date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise Refused("export.since", field="since")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused("export.since", field="since") from None


def _positive_int(raw, field_name: str) -> int | None:
    if raw in (None, ""):
        return None
    text = str(raw).strip()
    if not text.isdigit() or len(text) > 9 or int(text) == 0:
        raise Refused(f"export.{field_name}", field=field_name)
    return int(text)


def make_scope(consultation: Consultation, section=None, subgroup=None, since=None,
               all_statuses: bool = False, stance=None, decision=None, campaign=None) -> Scope:
    """Checks the scope against the consultation; refuses ("export.<input>") naming the bad input.

    Unlike the table's filter form, which quietly ignores a value it does not know, an
    export refuses it: a file that silently holds everything instead of what was asked
    for would be taken for the asked-for subset."""
    scope = Scope(consultation, all_statuses=bool(all_statuses))
    number = _positive_int(section, "section")
    if number is not None:
        scope.section = db.session.scalar(select(Section).where(Section.consultation_id == consultation.id,
                                                                Section.number == number))
        if scope.section is None:
            raise Refused("export.section", field="section")
    subgroup_id = _positive_int(subgroup, "subgroup")
    if subgroup_id is not None:
        scope.subgroup = feedback.subgroup(consultation, subgroup_id)
        if scope.subgroup is None:
            raise Refused("export.subgroup", field="subgroup")
    scope.since = parse_since(since)
    scope.stance = _one_of(stance, Stance.ALL, "stance")
    scope.decision = _one_of(decision, (*Decision.ALL, feedback.NOT_ANSWERED), "decision")
    campaign_id = _positive_int(campaign, "campaign")
    if campaign_id is not None:
        from ..summary import analyse_texts
        scope.campaign = next((c for c in analyse_texts(consultation).campaigns if c.id == campaign_id), None)
        if scope.campaign is None:
            raise Refused("export.campaign", field="campaign")
    return scope


def _one_of(raw, codes, field_name: str) -> str | None:
    if raw in (None, ""):
        return None
    text = str(raw).strip()
    if text not in codes:
        raise Refused(f"export.{field_name}", field=field_name)
    return text


def check_delimiter(delimiter: str | None) -> str:
    """The CSV column separator: a comma, or a semicolon for spreadsheet programs with Latvian regional
    settings (they take the comma for the decimal separator and expect columns split by semicolons)."""
    if delimiter in (None, ""):
        return ","
    if delimiter not in DELIMITERS:
        raise Refused("export.delimiter", field="delimiter")
    return delimiter


def check_format(fmt: str | None) -> str:
    if fmt not in FORMATS:
        raise Refused("export.format", field="format")
    return fmt


def filename(scope: Scope, fmt: str, lang: str) -> str:
    """An ASCII file name for Content-Disposition: letters, digits, dots and hyphens only. It ends in
    the export's language (…-2014-03-21-lv.xlsx), so the Latvian and English files can sit side by side."""
    lang = lang if lang in ("lv", "en") else "lv"
    name = re.sub(r"[^A-Za-z0-9.-]+", "-", f"{scope.slug()}-{utcnow().date().isoformat()}")
    return f"{name.strip('-')[:150] or 'export'}-{lang}.{fmt}"
