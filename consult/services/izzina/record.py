"""What the izziņa holds, as plain data: the title block's figures, and the table's sections, points and rows with
their answers."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _

from ...models.workgroup import Decision
from .text import Block

Progress = Callable[[int], None] | None
NOT_ANSWERED = "none"
# The order of the answers in the title block and in a campaign's cell.
DECISION_ORDER = (Decision.ACCEPTED, Decision.PARTLY_ACCEPTED, Decision.NOT_ACCEPTED, Decision.EXPLAINED)
WHOLE_DRAFT = 0     # the "section number" of the group of positions on the whole draft
LABELS_LISTED = 8   # points named in "copies on …" and "changed points …" before an ellipsis


def decision_words() -> dict[str, str]:
    """The answers in the words of the Latvian izziņa (the site's decisions map onto them one to one)."""
    return {
        # i18n: the answer column of the izziņa: "Ņemts vērā"
        Decision.ACCEPTED: _("Taken into account"),
        # i18n: the answer column of the izziņa: "Daļēji ņemts vērā"
        Decision.PARTLY_ACCEPTED: _("Partly taken into account"),
        # i18n: the answer column of the izziņa: "Nav ņemts vērā"
        Decision.NOT_ACCEPTED: _("Not taken into account"),
        # i18n: the answer column of the izziņa for an explanation or a question: "Pieņemts zināšanai"
        Decision.EXPLAINED: _("Noted"),
    }


@dataclass
class Answer:
    decision: str               # a Decision, or NOT_ANSWERED
    justification: str = ""
    changed_id: int | None = None   # the paragraph of a newer version the response says changed
    changed_label: str = ""     # its label, "3.2"
    changed_version: int | None = None
    copies: int = 1             # how many of a campaign's copies it answers


@dataclass
class Row:
    """One numbered row: a comment, a position, or a campaign (once, with its copies)."""
    who: str
    text: list[Block]
    answers: list[Answer]
    copies: int = 1             # > 1 for a campaign
    campaign_id: int | None = None
    kind: str = "comment"       # comment, position, campaign

    @property
    def decision(self) -> str:
        """The answer that covers most of the row (a campaign may be answered in parts)."""
        best = max(self.answers, key=lambda a: (a.copies, a.decision != NOT_ANSWERED))
        return best.decision


@dataclass
class Group:
    """The rows on one point (or on a section as a whole, or on the whole draft)."""
    section: int                 # WHOLE_DRAFT for the whole draft
    paragraph: int | None        # None: the section (or the draft) as a whole
    version: int | None          # the version commented on
    draft: list[Block] = field(default_factory=list)
    final: list[Block] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    supports: int = 0            # supporting comments without a proposal, counted not listed

    @property
    def key(self) -> tuple:
        return (self.section, self.paragraph is not None, self.paragraph or 0, self.version or 0)

    @property
    def label(self) -> str:
        """"2.1" for a point, "2" for a section as a whole, "" for the whole draft."""
        if self.section == WHOLE_DRAFT:
            return ""
        return f"{self.section}.{self.paragraph}" if self.paragraph is not None else str(self.section)


@dataclass
class SectionBlock:
    number: int
    title: str
    groups: list[Group] = field(default_factory=list)


@dataclass
class Record:
    lang: str
    title: str
    institution: str
    period: str
    versions: str                # the versions commented on: "1" or "1, 2"
    final_version: str           # "final wording from version 2, published …", or "" when none is newer
    scope: str                   # "" for everything
    generated: str
    sections: list[SectionBlock]
    received: int = 0            # comments and positions in the scope
    proposals: int = 0           # of them, not plain supports
    rows: int = 0
    supports: int = 0
    supports_as_rows: bool = False
    campaigns: int = 0
    campaign_copies: int = 0
    by_decision: dict[str, int] = field(default_factory=dict)
