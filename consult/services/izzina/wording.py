"""A point's wording in the version commented on, and its final wording with the words added since marked."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _

from ...models import Version
from .record import LABELS_LISTED, WHOLE_DRAFT, Group
from .text import Block, Span, lead, markdown_blocks, marked_changes

if TYPE_CHECKING:
    from .reading import _Reader


class _Wording:
    """The draft's wording of a point in the version commented on, and its final wording."""

    def __init__(self, reader: _Reader, newest: Version | None, commented: set[int]):
        self.reader = reader
        self.newest = newest.number if newest is not None else None
        # Only when people commented on more than one version does a point say which one.
        self.multiple = len(commented) > 1

    def _version_note(self, version: int | None, before_text: bool = False) -> Span:
        if not (self.multiple and version):
            return ("", "")
        note = "(" + _("version %(number)s", number=version) + ")"
        return (note + " ", "i") if before_text else (" " + note, "i")

    def _section_texts(self, version: int | None, section: int | None) -> dict[tuple[int, int], str]:
        return {(s, n): " ".join(t.split()) for s, n, v, t in self.reader.paragraphs.values()
                if v == version and (section is None or s == section)}

    def fill(self, group: Group, key: tuple, lang: str) -> None:
        paragraph_id = key[1]
        if paragraph_id is not None:
            section, number, version, text = self.reader.paragraphs[paragraph_id]
            label = f"{section}.{number}."
            group.draft = lead(markdown_blocks(self.reader.text(text)),
                                [(label + " ", "b"), self._version_note(version, before_text=True)])
            group.final = self._final_point(group, section, number, version, text)
            return
        if group.section == WHOLE_DRAFT:
            group.draft = [[(_("The draft as a whole"), "i"), self._version_note(group.version)]]
        else:
            group.draft = [[(_("The section as a whole"), "i"), self._version_note(group.version)]]
        group.final = self._final_many(None if group.section == WHOLE_DRAFT else group.section, group.version)

    def _unchanged(self) -> list[Block]:
        return [[(_("Unchanged"), "i")]]

    def _final_point(self, group: Group, section: int, number: int, version: int, text: str) -> list[Block]:
        """The newest published version's wording of the point: the points the answers name as changed,
        otherwise the point with the same number."""
        if self.newest is None or version is None or self.newest <= version:
            return self._unchanged()
        paragraphs = self.reader.paragraphs
        named = [answer.changed_id for row in group.rows for answer in row.answers if answer.changed_id]
        targets = list(dict.fromkeys(pid for pid in named if paragraphs[pid][2] == self.newest))
        if not targets:
            same = self.reader.by_place.get((self.newest, section, number))
            if same is None:
                return [[(_("The point was removed in version %(number)s.", number=self.newest), "i")]]
            if " ".join(paragraphs[same][3].split()) == " ".join(text.split()):
                return self._unchanged()
            targets = [same]
        blocks: list[Block] = []
        for pid in targets:
            s, n, _v, new_text = paragraphs[pid]
            new_blocks = marked_changes(markdown_blocks(self.reader.text(text)),
                                        markdown_blocks(self.reader.text(new_text)))
            blocks += lead(new_blocks, [(f"{s}.{n}. ", "b")])
        return blocks

    def _final_many(self, section: int | None, version: int | None) -> list[Block]:
        """For a section (or the draft) as a whole: unchanged, or which points changed."""
        if self.newest is None or version is None or self.newest <= version:
            return self._unchanged()
        before, after = self._section_texts(version, section), self._section_texts(self.newest, section)
        changed = sorted(place for place in before.keys() | after.keys() if before.get(place) != after.get(place))
        if not changed:
            return self._unchanged()
        labels = [f"{s}.{n}" for s, n in changed]
        listed = ", ".join(labels[:LABELS_LISTED]) + (" …" if len(labels) > LABELS_LISTED else "")
        return [[(_("Changed in version %(number)s: points %(points)s", number=self.newest, points=listed), "i")]]
