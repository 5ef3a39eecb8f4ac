"""The texts of the izziņa as paragraphs of styled spans, ready for any word processor format.

The draft is the editors' Markdown; in a table cell it becomes plain paragraphs with
bold and italics kept. The final wording marks the words added since the version
commented on (consult.services.diffing finds them).
"""
from __future__ import annotations

Span = tuple[str, str]          # (text, style): letters b (bold), i (italic), u (underlined), or ""
Block = list[Span]              # one paragraph of a cell


def plain_blocks(text: str) -> list[Block]:
    """People's plain text: blank lines separate paragraphs; single line breaks stay inside one."""
    blocks = [part.strip("\n") for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]
    return [[(block, "")] for block in blocks] or [[("", "")]]


def lead(blocks: list[Block], spans: Block) -> list[Block]:
    """The spans put before the first paragraph (a label such as "2.1." or "Resident:")."""
    blocks = [list(b) for b in blocks] or [[]]
    blocks[0] = list(spans) + blocks[0]
    return blocks


def text_length(blocks: list[Block]) -> int:
    return sum(len(text) for block in blocks for text, _style in block)


def markdown_blocks(source: str) -> list[Block]:
    """The editors' Markdown as plain paragraphs: bold and italics kept, list items with their marks,
    table rows as cells separated by " | " (a table inside a table cell would not fit the column)."""
    from markdown_it import MarkdownIt
    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(source or "")
    blocks: list[Block] = []
    lists: list[list] = []      # [kind, counter] of each open list
    mark: str | None = None     # the list mark waiting for the item's first paragraph
    row: list[Block] | None = None
    heading = False             # inside a heading or a table's header cell: bold
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append([kind, int(token.attrGet("start") or 1) - 1])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            lists[-1][1] += 1
            indent = "  " * (len(lists) - 1)
            mark = indent + ("– " if lists[-1][0] == "bullet_list_open" else f"{lists[-1][1]}. ")
        elif kind in ("heading_open", "th_open"):
            heading = True
        elif kind in ("heading_close", "th_close"):
            heading = False             # inside a heading or a table's header cell: bold
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            joined: Block = []
            for index, cell in enumerate(row):
                joined += ([(" | ", "")] if index else []) + cell
            blocks.append(_merged(joined))
            row = None
        elif kind in ("fence", "code_block"):
            blocks.append([(token.content.rstrip("\n"), "")])
        elif kind == "inline":
            spans = _inline_spans(token.children or [], bold=heading)
            if row is not None:
                row.append(spans)
            else:
                blocks.append(_merged(([(mark, "")] if mark else []) + spans))
                mark = None
    return blocks or [[("", "")]]


def _merged(spans: Block) -> Block:
    """Neighbouring spans of one style joined (fewer runs in the file)."""
    out: Block = []
    for text, style in spans:
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + text, style)
        elif text:
            out.append((text, style))
    return out


def _inline_spans(children, bold: bool = False) -> Block:
    spans: Block = []
    strong, emphasis = int(bold), 0
    for child in children:
        kind = child.type
        if kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong -= 1
        elif kind == "em_open":
            emphasis += 1
        elif kind == "em_close":
            emphasis -= 1
        elif kind in ("text", "code_inline", "softbreak", "hardbreak", "image"):
            text = {"softbreak": " ", "hardbreak": "\n"}.get(kind, child.content)
            style = ("b" if strong else "") + ("i" if emphasis else "")
            if spans and spans[-1][1] == style:
                spans[-1] = (spans[-1][0] + text, style)
            else:
                spans.append((text, style))
    return spans


def marked_changes(old: list[Block], new: list[Block]) -> list[Block]:
    """The new wording with the words added since the old one in bold and underlined ("bu"),
    paragraph by paragraph. Formatted text (bold, lists …) is shown as it is, unmarked: marks
    inside it would be ambiguous."""
    from ..diffing import INSERT, word_diff
    plain = all(style == "" for block in old + new for _text, style in block)
    if not plain or len(old) != len(new):
        return new
    marked: list[Block] = []
    for before, after in zip(old, new):
        spans: Block = []
        for segment in word_diff("".join(t for t, _s in before), "".join(t for t, _s in after)):
            if segment.kind == INSERT:
                spans.append((segment.text, "bu"))
            elif segment.kind != "delete":
                spans.append((segment.text, ""))
        marked.append(spans or [("", "")])
    return marked
