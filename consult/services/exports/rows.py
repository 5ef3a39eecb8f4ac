"""The export's rows: the Exporter reads the items in batches (yield_per) with everything a row shows, as
tuples in the order of columns.COLUMNS."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models import (
    Comment,
    Organisation,
    Paragraph,
    Position,
    PositionSignature,
    Response,
    ResponseStatus,
    Section,
    Subgroup,
    Tag,
    User,
    Version,
)
from ...models.organisation import position_sections
from ...models.workgroup import comment_tags, position_tags, response_comments, response_positions
from .. import feedback, polls, stored_themes
from .cells import _local_text, clean_text, riga_moment
from .columns import make_labels
from .scope import BATCH, RIGA, UTC, Progress, Scope


def _changed_label(section, paragraph, version) -> str:
    if section is None:
        return ""
    return f"{section}.{paragraph} (v{version})" if version else f"{section}.{paragraph}"


class Exporter:
    """Reads the rows of a scope, in the words of one language, as tuples in COLUMNS order.

    Texts people typed (and names, tags, justifications) are cleaned of characters XML
    cannot hold and of e-mail addresses; the spreadsheet writers neutralise formulas.
    """

    def __init__(self, scope: Scope, lang: str):
        self.scope = scope
        self.lang = lang if lang in ("lv", "en") else "lv"
        self.labels = make_labels(self.lang)
        with force_locale(self.lang):
            self.themes = stored_themes.ItemThemes(scope.consultation)
        self.filters = scope.filters()
        self.stats: dict[str, Counter] = {"stance": Counter(), "respondent": Counter(), "section": Counter(),
                                          "status": Counter(), "decision": Counter(), "kind": Counter()}

    # counting
    def count(self) -> int:
        comments = db.session.scalar(select(func.count(Comment.id)).where(
            *feedback.comment_conditions(self.scope.consultation, self.filters))) or 0
        return comments + self.count_positions()

    def count_positions(self) -> int:
        conditions = feedback.position_conditions(self.scope.consultation, self.filters)
        if conditions is None:
            return 0
        return db.session.scalar(select(func.count(Position.id)).where(*conditions)) or 0

    def text(self, value: str | None) -> str:
        """A typed text, cleaned."""
        return clean_text(value, self.labels.email_mask)

    def localised(self, obj, name: str) -> str:
        return (getattr(obj, f"{name}_{self.lang}", "") or getattr(obj, f"{name}_lv", "") or "") if obj else ""

    def _subgroup(self, name_lv: str | None, name_en: str | None) -> str:
        return self.text((name_en if self.lang == "en" and name_en else name_lv) or "")

    def _tags(self, table, column, ids) -> dict[int, tuple[str, ...]]:
        """Item id → its tag names, cleaned (a name may hold a comma, so the list is kept as a list)."""
        names: dict[int, list[str]] = {}
        for item_id, name in db.session.execute(
                select(table.c[column], Tag.name).join(Tag, Tag.id == table.c.tag_id)
                .where(table.c[column].in_(ids)).order_by(Tag.name)).all():
            names.setdefault(item_id, []).append(self.text(name))
        return {item_id: tuple(values) for item_id, values in names.items()}

    @staticmethod
    def _stream(statement):
        """Batches of plain rows from a server-side cursor (Core, not the ORM: no objects per row)."""
        result = db.session.connection().execution_options(stream_results=True, yield_per=BATCH).execute(statement)
        return result.partitions()

    def _count(self, kind: str, status: str, respondent: str, stance: str | None, section, decision) -> None:
        stats = self.stats
        stats["kind"][kind] += 1
        stats["status"][status] += 1
        stats["respondent"][respondent] += 1
        if stance:
            stats["stance"][stance] += 1
        stats["section"][str(section)] += 1
        stats["decision"][decision or "none"] += 1

    def campaigns(self) -> dict[int, int]:
        """Comment id → the id of its campaign (among the approved comments; see services.campaigns)."""
        from ..summary import campaign_members
        return campaign_members(self.scope.consultation)

    # comments
    def comment_rows(self, progress: Progress = None) -> Iterator[tuple]:
        changed_paragraph = aliased(Paragraph)
        changed_section = aliased(Section)
        changed_version = aliased(Version)
        statement = (
            select(Comment.id, Comment.created_at, Comment.body, Comment.stance, Comment.status, Comment.show_name,
                   Comment.language, Section.number, Paragraph.number, Version.number,
                   func.coalesce(Comment.sender_organisation, User.display_name),   # offline: the sender's own
                   func.coalesce(Comment.sender_type, User.respondent_type), User.deleted_at, Subgroup.name_lv,
                   Subgroup.name_en, Response.decision, Response.justification_lv, Response.justification_en,
                   changed_section.number, changed_paragraph.number, changed_version.number, Comment.channel)
            .join(Section, Section.id == Comment.section_id)
            .outerjoin(Paragraph, Paragraph.id == Comment.paragraph_id)
            .outerjoin(Version, Version.id == Comment.version_id)
            .join(User, User.id == Comment.author_id)
            .outerjoin(Subgroup, Subgroup.id == Comment.subgroup_id)
            .outerjoin(response_comments, response_comments.c.comment_id == Comment.id)
            # A draft response is no answer yet: the file may leave the working group.
            .outerjoin(Response, (Response.id == response_comments.c.response_id)
                       & (Response.status == ResponseStatus.APPROVED))
            .outerjoin(changed_paragraph, changed_paragraph.id == Response.changed_paragraph_id)
            .outerjoin(changed_section, changed_section.id == changed_paragraph.section_id)
            .outerjoin(changed_version, changed_version.id == changed_paragraph.version_id)
            .where(*feedback.comment_conditions(self.scope.consultation, self.filters))
            .order_by(Section.number, Paragraph.number.is_not(None), Paragraph.number, Comment.created_at, Comment.id)
            .execution_options(yield_per=BATCH))
        labels = self.labels
        stances, statuses = labels.stances, labels.statuses
        respondents, decisions = labels.respondents, labels.decisions
        kind = labels.comment
        text = self.text
        campaign_of = self.campaigns()
        number = 0
        for batch in self._stream(statement):
            tags = self._tags(comment_tags, "comment_id", [row[0] for row in batch])
            themes = self.themes.of(comment_ids=[row[0] for row in batch])
            for (comment_id, created, body, stance, status, show_name, language, section, paragraph, version,
                 display_name, respondent, deleted, subgroup_lv, subgroup_en, decision, justification_lv,
                 justification_en, changed_s, changed_p, changed_v, channel) in batch:
                number += 1
                self._count("comment", status, respondent, stance, section, decision)
                respondent_label = respondents.get(respondent, respondent)
                if show_name and deleted is None and display_name and "@" not in display_name:
                    submitter = text(display_name)
                else:
                    submitter = respondent_label
                local = created.replace(tzinfo=UTC).astimezone(RIGA)
                tag_list = tags.get(comment_id, ())
                theme = themes.get(f"c{comment_id}")
                yield (number, kind, comment_id, _local_text(local), section,
                       f"{section}.{paragraph}" if paragraph is not None else "", version,
                       stances.get(stance, stance), respondent_label, submitter, language,
                       statuses.get(status, status), ", ".join(tag_list),
                       self._subgroup(subgroup_lv, subgroup_en) if subgroup_lv else "", "", text(body),
                       decisions.get(decision, "") if decision else "", text(justification_lv),
                       text(justification_en), _changed_label(changed_s, changed_p, changed_v),
                       campaign_of.get(comment_id, ""), labels.channels.get(channel, channel),
                       theme.label if theme else "", "", "", "", "",
                       local, stance, respondent, status, decision, tag_list, (section,), None, channel,
                       theme.id if theme else None, None, ())
            if progress:
                progress(len(batch))

    # positions
    def position_rows(self, progress: Progress = None) -> Iterator[tuple]:
        conditions = feedback.position_conditions(self.scope.consultation, self.filters)
        if conditions is None:
            return
        changed_paragraph = aliased(Paragraph)
        changed_section = aliased(Section)
        changed_version = aliased(Version)
        statement = (
            select(Position.id, Position.created_at, Position.title, Position.body, Position.status,
                   Position.publish_name, Position.whole_draft, Position.language, Organisation.name, Version.number,
                   User.respondent_type, Subgroup.name_lv, Subgroup.name_en, Response.decision,
                   Response.justification_lv, Response.justification_en, changed_section.number,
                   changed_paragraph.number, changed_version.number, Position.signature_status)
            .join(Organisation, Organisation.id == Position.organisation_id)
            .outerjoin(Version, Version.id == Position.version_id)
            .join(User, User.id == Position.author_id)
            .outerjoin(Subgroup, Subgroup.id == Position.subgroup_id)
            .outerjoin(response_positions, response_positions.c.position_id == Position.id)
            .outerjoin(Response, (Response.id == response_positions.c.response_id)
                       & (Response.status == ResponseStatus.APPROVED))
            .outerjoin(changed_paragraph, changed_paragraph.id == Response.changed_paragraph_id)
            .outerjoin(changed_section, changed_section.id == changed_paragraph.section_id)
            .outerjoin(changed_version, changed_version.id == changed_paragraph.version_id)
            .where(*conditions).order_by(Position.created_at, Position.id).execution_options(yield_per=BATCH))
        labels = self.labels
        text = self.text
        number = 0
        for batch in self._stream(statement):
            ids = [row[0] for row in batch]
            tags = self._tags(position_tags, "position_id", ids)
            section_numbers: dict[int, list[str]] = {}
            for position_id, section_number in db.session.execute(
                    select(position_sections.c.position_id, Section.number)
                    .join(Section, Section.id == position_sections.c.section_id)
                    .where(position_sections.c.position_id.in_(ids)).order_by(Section.number)).all():
                section_numbers.setdefault(position_id, []).append(section_number)
            themes = self.themes.of(position_ids=ids)
            signatures = self._signatures(ids)
            for (position_id, created, title, body, status, publish_name, whole_draft, language, organisation,
                 version, respondent, subgroup_lv, subgroup_en, decision, justification_lv, justification_en,
                 changed_s, changed_p, changed_v, signature_status) in batch:
                number += 1
                numbers = tuple(section_numbers.get(position_id, ()))
                sections = ", ".join(str(n) for n in numbers)
                section = labels.whole_draft if whole_draft or not sections else sections
                self._count("position", status, respondent, None, section, decision)
                respondent_label = labels.respondents.get(respondent, respondent)
                local = created.replace(tzinfo=UTC).astimezone(RIGA)
                tag_list = tags.get(position_id, ())
                theme = themes.get(f"p{position_id}")
                # The signer is a person: named only where the organisation agreed to be named.
                signed = tuple((signer if publish_name else None, issuer, moment, code)
                               for signer, issuer, moment, code in signatures.get(position_id, ()))
                yield (number, labels.position, position_id, _local_text(local), section, "", version, "",
                       respondent_label, text(organisation) if publish_name else respondent_label, language,
                       labels.statuses.get(status, status), ", ".join(tag_list),
                       self._subgroup(subgroup_lv, subgroup_en) if subgroup_lv else "", text(title), text(body),
                       labels.decisions.get(decision, "") if decision else "", text(justification_lv),
                       text(justification_en), _changed_label(changed_s, changed_p, changed_v), "",
                       labels.channels["web"], theme.label if theme else "",
                       labels.signature_statuses.get(signature_status, "") if signature_status else "",
                       _joined(signer for signer, _i, _m, _c in signed),
                       _joined(issuer for _s, issuer, _m, _c in signed),
                       _joined(_local_text(moment) if moment else "" for _s, _i, moment, _c in signed),
                       local, None, respondent, status, decision, tag_list, numbers, bool(whole_draft), "web",
                       theme.id if theme else None, signature_status, signed)
            if progress:
                progress(len(batch))

    def _signatures(self, position_ids) -> dict[int, list[tuple[str, str, datetime | None, str]]]:
        """Position id → its signatures as checked at upload: (signer, certificate authority, signing time
        as an aware Riga datetime or None, status), texts cleaned."""
        found: dict[int, list[tuple[str, str, datetime | None, str]]] = {}
        for position_id, signer, issuer, signed_at, status in db.session.execute(
                select(PositionSignature.position_id, PositionSignature.signer_name, PositionSignature.issuer_name,
                       PositionSignature.signed_at, PositionSignature.status)
                .where(PositionSignature.position_id.in_(position_ids)).order_by(PositionSignature.id)):
            found.setdefault(position_id, []).append((self.text(signer), self.text(issuer), riga_moment(signed_at),
                                                      status))
        return found

    def rows(self, progress: Progress = None) -> Iterator[tuple]:
        yield from self.comment_rows(progress)
        yield from self.position_rows(progress)

    # polls
    def poll_rows(self) -> Iterator[dict]:
        for poll in polls.consultation_polls(self.scope.consultation):
            result = polls.results(poll)
            for option in result.options:
                yield {"poll_id": poll.id, "question": self.text(self.localised(poll, "question")),
                       "option": self.text(self.localised(option.option, "label")), "votes": option.votes,
                       "share": round(option.share, 4), "voters": result.voters}

    # figures of what was exported
    def summary_rows(self) -> list[tuple[str, str, int]]:
        """(group, label, count) for what was exported, in the order shown."""
        labels = self.labels
        words = labels.words
        rows: list[tuple[str, str, int]] = [
            ("", words["comments"], self.stats["kind"]["comment"]),
            ("", words["positions"], self.stats["kind"]["position"]),
        ]
        rows += [(words["by_stance"], labels.stances.get(code, code), count)
                 for code, count in sorted(self.stats["stance"].items())]
        rows += [(words["by_respondent"], labels.respondents.get(code, code), count)
                 for code, count in sorted(self.stats["respondent"].items())]
        rows += [(words["by_section"], code, count)
                 for code, count in sorted(self.stats["section"].items(), key=lambda i: _natural(i[0]))]
        rows += [(words["by_status"], labels.statuses.get(code, code), count)
                 for code, count in sorted(self.stats["status"].items())]
        rows += [(words["by_decision"], labels.decisions.get(code, words["not_answered"]), count)
                 for code, count in sorted(self.stats["decision"].items())]
        return rows

    def scope_text(self) -> str:
        words = self.labels.words
        parts = []
        if self.scope.section:
            parts.append(words["section_n"] % {"number": self.scope.section.number} + " "
                         + self.localised(self.scope.section, "title"))
        if self.scope.subgroup:
            parts.append(f"{words['subgroup']}: {self.localised(self.scope.subgroup, 'name')}")
        if self.scope.since:
            parts.append(f"{words['since']} {self.scope.since.isoformat()}")
        headers = self.labels.headers
        if self.scope.stance:
            parts.append(f"{headers['stance']}: {self.labels.stances[self.scope.stance]}")
        if self.scope.decision:
            parts.append(f"{headers['decision']}: "
                         f"{self.labels.decisions.get(self.scope.decision, words['not_answered'])}")
        if self.scope.campaign:
            parts.append(f"{headers['campaign']}: {self.scope.campaign.id}")
        return "; ".join(parts) or words["all"]


def _joined(values) -> str:
    """Several signatures' values in one cell, "; " between them; a missing one is "–", so the signers,
    authorities and times still line up; all missing: empty."""
    values = [value or "" for value in values]
    return "; ".join(value or "–" for value in values) if any(values) else ""


def _natural(text: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]

