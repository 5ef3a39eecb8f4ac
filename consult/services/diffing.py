"""What changed between two published versions of a draft, section by section, word by word.

The result is plain data (segments of text marked equal, insert or delete); the
template turns it into <ins>/<del> with escaped text, so no HTML is made here.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import Consultation, Paragraph, Section, Version
from . import publication

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
CHANGED, ADDED, REMOVED, UNCHANGED = "changed", "added", "removed", "unchanged"
# Above this many tokens on either side a paragraph is shown as replaced whole:
# difflib is quadratic in the worst case.
MAX_TOKENS = 20_000

# A number with its decimal comma or point (13,1; 15.0) is one token: it changes as a whole.
_TOKEN = re.compile(r"\s+|\d+(?:[.,]\d+)+(?!\w)|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Segment:
    kind: str
    text: str


def tokens(text: str) -> list[str]:
    """Words, runs of white space and single punctuation marks; joined they give the text back."""
    return _TOKEN.findall(text or "")


def word_diff(old: str, new: str) -> list[Segment]:
    """The changes from `old` to `new`, word by word; neighbouring pieces of one kind are merged."""
    a, b = tokens(old), tokens(new)
    if len(a) > MAX_TOKENS or len(b) > MAX_TOKENS:
        raw = [Segment(DELETE, old or ""), Segment(INSERT, new or "")] if old != new else [Segment(EQUAL, old)]
        return [s for s in raw if s.text]
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment(EQUAL, "".join(a[a1:a2])))
        else:
            if a2 > a1:
                segments.append(Segment(DELETE, "".join(a[a1:a2])))
            if b2 > b1:
                segments.append(Segment(INSERT, "".join(b[b1:b2])))
    return _tidy_spaces(_merge(_absorb_spaces(segments)))


def _absorb_spaces(segments: list[Segment]) -> list[Segment]:
    """A lone space between two changes joins them, so "a b" → "c d" reads as one change."""
    out = list(segments)
    for index in range(1, len(out) - 1):
        piece = out[index]
        if piece.kind == EQUAL and not piece.text.strip() and out[index - 1].kind != EQUAL \
                and out[index + 1].kind != EQUAL:
            out[index] = Segment("both", piece.text)
    result: list[Segment] = []
    for piece in out:
        if piece.kind == "both":
            result.append(Segment(DELETE, piece.text))
            result.append(Segment(INSERT, piece.text))
        else:
            result.append(piece)
    # Put deletions before insertions inside each run of changes.
    ordered: list[Segment] = []
    run: list[Segment] = []
    for piece in result + [Segment(EQUAL, "")]:
        if piece.kind == EQUAL:
            ordered += [p for p in run if p.kind == DELETE] + [p for p in run if p.kind == INSERT]
            run = []
            ordered.append(piece)
        else:
            run.append(piece)
    return [p for p in ordered if p.text]


def _tidy_spaces(segments: list[Segment]) -> list[Segment]:
    """A lone insertion or deletion starts at its first word: the space before it stays unmarked."""
    out = list(segments)
    for index in range(1, len(out)):
        piece, before = out[index], out[index - 1]
        following = out[index + 1] if index + 1 < len(out) else None
        lone = following is None or following.kind == EQUAL
        if piece.kind != EQUAL and before.kind == EQUAL and lone:
            stripped = piece.text.lstrip()
            lead = piece.text[:len(piece.text) - len(stripped)]
            if lead and stripped:
                out[index - 1] = Segment(EQUAL, before.text + lead)
                out[index] = Segment(piece.kind, stripped)
    return out


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for piece in segments:
        if merged and merged[-1].kind == piece.kind:
            merged[-1] = Segment(piece.kind, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


@dataclass
class ParagraphChange:
    number: int
    kind: str
    segments: list[Segment]


@dataclass
class SectionChange:
    section: Section
    kind: str
    paragraphs: list[ParagraphChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> list[ParagraphChange]:
        return [p for p in self.paragraphs if p.kind != UNCHANGED]


@dataclass
class VersionChanges:
    old: Version
    new: Version
    sections: list[SectionChange]
    used_fallback: bool = False

    @property
    def any_change(self) -> bool:
        return any(s.kind != UNCHANGED for s in self.sections)


def _text(paragraph: Paragraph, lang: str) -> tuple[str, bool]:
    if lang != "lv" and paragraph.text_en:
        return paragraph.text_en, False
    return paragraph.text_lv, lang != "lv"


def paragraph_change(old: Paragraph | None, new: Paragraph | None, lang: str) -> list[Segment]:
    """How a paragraph's wording changed from one version to another, word by word ([] without both)."""
    if old is None or new is None or old.id == new.id:
        return []
    return word_diff(_text(old, lang)[0], _text(new, lang)[0])


def compare_paragraphs(old: dict[int, str], new: dict[int, str]) -> list[ParagraphChange]:
    """Paragraphs matched by number: changed, added, removed or unchanged."""
    changes = []
    for number in sorted(set(old) | set(new)):
        if number not in old:
            changes.append(ParagraphChange(number, ADDED, [Segment(INSERT, new[number])]))
        elif number not in new:
            changes.append(ParagraphChange(number, REMOVED, [Segment(DELETE, old[number])]))
        elif old[number] == new[number]:
            changes.append(ParagraphChange(number, UNCHANGED, [Segment(EQUAL, new[number])]))
        else:
            changes.append(ParagraphChange(number, CHANGED, word_diff(old[number], new[number])))
    return changes


@dataclass(frozen=True)
class ParagraphText:
    """A paragraph of some version, as plain values: enough to tell whether its text changed."""
    id: int
    number: int
    text_lv: str
    text_en: str

    @property
    def key(self) -> tuple[str, str]:
        # Line endings and the white space around the text are not a change a reader can see.
        return (_normal(self.text_lv), _normal(self.text_en))


def _normal(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").strip()


def follow_unchanged(earlier: Iterable[ParagraphText], current: Iterable[ParagraphText]) -> dict[int, int]:
    """Which current paragraph each earlier paragraph of the same section lives on as, by id.

    A paragraph follows only when its text did not change in either language, so a comment is
    never shown against words its author did not read; it may have moved to another number
    (a paragraph inserted before it). When the same text appears more than once, the one with
    the same number wins, then the nearest. Current paragraphs map to themselves.
    """
    by_text: dict[tuple[str, str], list[ParagraphText]] = {}
    result: dict[int, int] = {}
    for paragraph in current:
        by_text.setdefault(paragraph.key, []).append(paragraph)
        result[paragraph.id] = paragraph.id
    for paragraph in earlier:
        if paragraph.id in result:
            continue
        candidates = by_text.get(paragraph.key)
        if candidates:
            best = min(candidates, key=lambda c: (abs(c.number - paragraph.number), c.number))
            result[paragraph.id] = best.id
    return result


def published_version(consultation: Consultation, number: int) -> Version | None:
    if not 0 < number < 1_000_000:
        return None
    return db.session.scalar(select(Version).where(
        Version.consultation_id == consultation.id, Version.number == number, Version.is_published()))


def earlier_published_version(consultation: Consultation, version: Version | None) -> Version | None:
    """The published version just before `version` (one query; none before version 1)."""
    if version is None or version.number <= 1:
        return None
    return db.session.scalar(select(Version).where(
        Version.consultation_id == consultation.id, Version.number < version.number, Version.is_published())
        .order_by(Version.number.desc()).limit(1))


def version_changes(consultation: Consultation, old: Version, new: Version, lang: str) -> VersionChanges:
    """Every published section, with its paragraphs compared between the two versions.

    Three queries, whatever the size of the draft.
    """
    sections = publication.published_sections(consultation)
    paragraphs = db.session.scalars(select(Paragraph).where(
        Paragraph.section_id.in_([s.id for s in sections] or [0]),
        Paragraph.version_id.in_([old.id, new.id])).order_by(Paragraph.number))
    texts: dict[tuple[int, int], dict[int, str]] = {}
    fallback = False
    for paragraph in paragraphs:
        text, fell_back = _text(paragraph, lang)
        fallback = fallback or fell_back
        texts.setdefault((paragraph.section_id, paragraph.version_id), {})[paragraph.number] = text
    result = []
    for section in sections:
        before = texts.get((section.id, old.id), {})
        after = texts.get((section.id, new.id), {})
        if not before and not after:
            continue
        changes = compare_paragraphs(before, after)
        if not before:
            kind = ADDED
        elif not after:
            kind = REMOVED
        elif all(c.kind == UNCHANGED for c in changes):
            kind = UNCHANGED
        else:
            kind = CHANGED
        result.append(SectionChange(section=section, kind=kind, paragraphs=changes,
                                    unchanged=sum(1 for c in changes if c.kind == UNCHANGED)))
    return VersionChanges(old=old, new=new, sections=result, used_fallback=fallback)


def parse_range(spec: str) -> tuple[int, int] | None:
    """"1..2" → (1, 2); anything else (or the same number twice) → None."""
    match = re.fullmatch(r"([1-9][0-9]{0,5})\.\.([1-9][0-9]{0,5})", spec or "")
    if not match:
        return None
    a, b = int(match.group(1)), int(match.group(2))
    return (a, b) if a != b else None
