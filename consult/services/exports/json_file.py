"""The JSON export: stable codes and typed values, streamed."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from ...clock import utcnow
from .columns import COL
from .rows import Exporter
from .scope import RIGA, UTC, Progress

# The JSON export's fields are listed in README.md ("Export JSON"); raise this when one changes meaning.
JSON_FORMAT_VERSION = 2


def iso_time(moment: datetime | None) -> str | None:
    """ISO 8601 with the Riga offset, e.g. 2014-03-21T14:05:00+02:00 (None stays None)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC).astimezone(RIGA)
    return moment.isoformat(timespec="seconds")


def json_chunks(exporter: Exporter, progress: Progress = None) -> Iterator[bytes]:
    """One JSON document, written piece by piece: consultation, scope, comments, positions, polls, summary.

    Stance, status, respondent type and decision are stable codes with the label in the
    export's language beside them; times are ISO 8601 with their offset; a missing value is
    null. Texts are as people wrote them: JSON is data, not a spreadsheet, so nothing is prefixed."""
    consultation = exporter.scope.consultation
    scope = exporter.scope
    head = {
        "format_version": JSON_FORMAT_VERSION,
        "consultation": {"slug": consultation.slug, "title": exporter.localised(consultation, "title"),
                         "status": consultation.status},
        "language": exporter.lang,
        "generated_at": iso_time(utcnow()),
        "time_zone": "Europe/Riga",
        "scope": {"section": scope.section.number if scope.section else None,
                  "subgroup": scope.subgroup.id if scope.subgroup else None,
                  "since": scope.since.isoformat() if scope.since else None,
                  "all_statuses": scope.all_statuses,
                  "stance": scope.stance, "decision": scope.decision,
                  "campaign": scope.campaign.id if scope.campaign else None},
    }
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "comments": [').encode("utf-8")
    for name, rows, item in (("comments", exporter.comment_rows(progress), _json_comment),
                             ("positions", exporter.position_rows(progress),
                              lambda row: _json_position(row, exporter.labels.signature_statuses))):
        if name == "positions":
            yield b'], "positions": ['
        parts = []
        first = True
        for row in rows:
            parts.append(("" if first else ",") + json.dumps(item(row), ensure_ascii=False))
            first = False
            if len(parts) >= 500:
                yield "".join(parts).encode("utf-8")
                parts = []
        if parts:
            yield "".join(parts).encode("utf-8")
    poll_rows = list(exporter.poll_rows())
    summary = [{"group": g or None, "label": label, "count": count} for g, label, count in exporter.summary_rows()]
    yield ('], "polls": ' + json.dumps(poll_rows, ensure_ascii=False) + ', "summary": '
           + json.dumps(summary, ensure_ascii=False) + "}").encode("utf-8")


def _or_none(value):
    """An empty text or a missing number is null in JSON."""
    return None if value is None or value == "" else value


def _json_common(row: tuple) -> dict:
    decision = row[COL["decision_code"]]
    return {
        "id": row[COL["id"]],
        "created_at": iso_time(row[COL["created_at"]]),
        "version": _or_none(row[COL["version"]]),
        "respondent_type": row[COL["respondent_code"]],
        "respondent_type_label": _or_none(row[COL["respondent_type"]]),
        "submitter": _or_none(row[COL["submitter"]]),
        "language": _or_none(row[COL["language"]]),
        "status": row[COL["status_code"]],
        "status_label": _or_none(row[COL["status"]]),
        "tags": list(row[COL["tag_list"]]),
        "subgroup": _or_none(row[COL["subgroup"]]),
        "text": _or_none(row[COL["text"]]),
        "decision": decision,
        "decision_label": _or_none(row[COL["decision"]]) if decision else None,
        "justification_lv": _or_none(row[COL["justification_lv"]]),
        "justification_en": _or_none(row[COL["justification_en"]]),
        "changed_paragraph": _or_none(row[COL["changed_paragraph"]]),
        "channel": row[COL["channel_code"]],
        "channel_label": _or_none(row[COL["channel"]]),
        "theme": row[COL["theme_id"]],
        "theme_label": _or_none(row[COL["theme"]]) if row[COL["theme_id"]] is not None else None,
    }


def _json_comment(row: tuple) -> dict:
    item = _json_common(row)
    item.update({
        "section": row[COL["section"]],
        "paragraph": _or_none(row[COL["paragraph"]]),
        "stance": row[COL["stance_code"]],
        "stance_label": _or_none(row[COL["stance"]]),
        "campaign": _or_none(row[COL["campaign"]]),
    })
    return item


def _json_position(row: tuple, signature_statuses: dict[str, str]) -> dict:
    item = _json_common(row)
    item.update({
        "sections": list(row[COL["section_list"]]),
        "whole_draft": row[COL["whole_draft"]],
        "title": _or_none(row[COL["title"]]),
        "signature_status": row[COL["signature_status_code"]],
        "signature_status_label": _or_none(row[COL["signature_status"]]),
        "signatures": [{"signer": signer, "issuer": _or_none(issuer), "signed_at": iso_time(moment),
                        "status": status, "status_label": signature_statuses.get(status, status)}
                       for signer, issuer, moment, status in row[COL["signature_list"]]],
    })
    return item
