"""The izziņa as a DOCX file: A4 landscape, the title block, the table, page numbers.

The table is written as WordprocessingML directly (python-docx builds the document
around it): one string for thousands of rows is far quicker than python-docx's cell
objects, and it gives what python-docx has no API for — vertically merged cells for a
point's wordings, a header row repeated on each page (w:tblHeader) and fixed column
widths that LibreOffice and Word both keep.
"""
from __future__ import annotations

import re

from flask_babel import force_locale, format_decimal, ngettext
from flask_babel import gettext as _

from ..exports import Scope
from .reading import build_record
from .record import DECISION_ORDER, NOT_ANSWERED, WHOLE_DRAFT, Group, Progress, Record, Row, decision_words
from .text import Block, text_length

CM = 567                      # twentieths of a point (twips) in a centimetre
PAGE_CM = (29.7, 21.0)        # A4 landscape
MARGIN_CM = 1.5
# No. | draft wording | proposal and who | answer and justification | final wording: 26.7 cm in all.
# The wordings are one merged cell per point, so they need less room than the rows beside them;
# the proposal and answer columns share the rest by how much text each holds (column_widths).
NUMBER_CM, DRAFT_CM = 1.1, 4.0   # No. holds five digits (100,000 rows) without wrapping
FINAL_CM = (2.6, 3.6)         # every point unchanged / some point has a new wording
ANSWER_SHARE = (0.27, 0.45)   # the least and most of the shared width the answers get
FONT = "Times New Roman"      # the font of Latvian official documents
TEXT_PT = 8                   # the table's text: 3,000 comments stay well under 200 pages
TITLE_PT = 10                 # the title block
# A row with no more text than this (proposal, answer) moves to the next page whole rather than
# leaving a line or two behind; longer rows may break, or they would leave half pages empty.
KEEP_CHARS = (700, 400)
HEADER_FILL, SECTION_FILL = "D9D9D9", "F2F2F2"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape(text: str) -> str:
    """Text for an XML element: markup escaped, and characters XML cannot hold replaced (the texts
    people typed are cleaned before, this keeps any other text from breaking the file)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _NOT_IN_XML.sub("\ufffd", text)


def _run(text: str, style: str = "") -> str:
    if not text:
        return ""
    props = ("<w:b/>" if "b" in style else "") + ("<w:i/>" if "i" in style else "")
    props += '<w:u w:val="single"/>' if "u" in style else ""
    pieces = text.split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{_escape(piece)}</w:t>' for piece in pieces)
    return f"<w:r>{'<w:rPr>' + props + '</w:rPr>' if props else ''}{body}</w:r>"


def _paragraph(spans: Block, align: str | None = None, keep_next: bool = False) -> str:
    props = ("<w:keepNext/>" if keep_next else "") + (f'<w:jc w:val="{align}"/>' if align else "")
    return f"<w:p>{'<w:pPr>' + props + '</w:pPr>' if props else ''}{''.join(_run(t, s) for t, s in spans)}</w:p>"


def _cell(width_cm: float, blocks: list[Block] | None, span: int = 1, merge: str | None = None,
          fill: str | None = None, align: str | None = None, keep_next: bool = False) -> str:
    """A table cell; merge is "restart" or "continue" for a cell merged with the ones below or above;
    keep_next keeps its row on the page of the next row (a section's title is never left alone)."""
    props = f'<w:tcW w:w="{round(width_cm * CM)}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if merge == "restart":
        props += '<w:vMerge w:val="restart"/>'
    elif merge == "continue":
        props += "<w:vMerge/>"
    if fill:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    paragraphs = "".join(_paragraph(block, align, keep_next) for block in (blocks or [[]]))
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"


def _row(cells: list[str], header: bool = False, keep: bool = False) -> str:
    """A table row; the header row repeats on every page, and a short row (keep) is not split."""
    props = ("<w:tblHeader/>" if header else "") + ("<w:cantSplit/>" if header or keep else "")
    return f"<w:tr>{'<w:trPr>' + props + '</w:trPr>' if props else ''}{''.join(cells)}</w:tr>"


def _answer_blocks(row: Row, group: Group, words: dict[str, str]) -> list[Block]:
    own = group.label if group.paragraph is not None else None
    blocks: list[Block] = []
    for answer in row.answers:
        if answer.decision == NOT_ANSWERED:
            text = (ngettext("Not answered yet: %(count)s copy.", "Not answered yet: %(count)s copies.",
                             answer.copies, count=format_decimal(answer.copies))
                    if row.copies > 1 and len(row.answers) > 1 else _("Not answered yet."))
            blocks.append([(text, "i")])
            continue
        head = words[answer.decision]
        if row.copies > 1 and len(row.answers) > 1:
            head += " (" + ngettext("%(count)s copy", "%(count)s copies", answer.copies,
                                    count=format_decimal(answer.copies)) + ")"
        blocks.append([(head + ". ", "b"), (answer.justification, "")])
        if answer.changed_label and answer.changed_label != own:
            blocks.append([(_("Changed: point %(label)s of version %(version)s.", label=answer.changed_label,
                              version=answer.changed_version), "i")])
    return blocks


def column_widths(record: Record) -> tuple[float, ...]:
    """The five column widths in cm: No. narrow, the texts by how much of them there is. With few answers
    yet, the proposals get most of the room (fewer pages); a fully answered izziņa widens the answers."""
    proposals = answers = 0
    changed = False
    for section in record.sections:
        for group in section.groups:
            changed = changed or text_length(group.final) > len(_("Unchanged")) + 1
            for row in group.rows:
                proposals += text_length(row.text)
                answers += sum(len(answer.justification) + 20 for answer in row.answers)
    final = FINAL_CM[1] if changed else FINAL_CM[0]
    shared = PAGE_CM[0] - 2 * MARGIN_CM - NUMBER_CM - DRAFT_CM - final
    share = min(ANSWER_SHARE[1], max(ANSWER_SHARE[0], answers / max(1, proposals + answers)))
    answer = round(shared * share, 1)
    return (NUMBER_CM, DRAFT_CM, round(shared - answer, 1), answer, final)


def _table_xml(record: Record) -> str:
    words = decision_words()
    widths = column_widths(record)
    total = round(sum(widths) * CM)
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    parts = [
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{total}" w:type="dxa"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="17" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
        '<w:bottom w:w="17" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{round(width * CM)}"/>' for width in widths) + "</w:tblGrid>"]
    headers = [_("No."), _("Wording of the point in the draft commented on"),
               _("Proposal or objection, and who made it"),
               _("The institution's answer and its justification"),
               _("Final wording of the point")]
    parts.append(_row([_cell(width, [[(text, "b")]], fill=HEADER_FILL, align="center")
                       for width, text in zip(widths, headers)], header=True))
    number = 0
    for section in record.sections:
        title = (section.title if section.number == WHOLE_DRAFT
                 else f"{section.number}. {section.title}".strip())
        parts.append(_row([_cell(sum(widths), [[(title, "b")]], span=5, fill=SECTION_FILL, keep_next=True)],
                          keep=True))
        for group in section.groups:
            lines: list[tuple[list[str], bool]] = []
            for row in group.rows:
                number += 1
                # The point's label under the number: the merged wording cell is blank on later pages.
                place = [[(str(number), "")]] + ([[(group.label, "i")]] if group.paragraph is not None else [])
                answer = _answer_blocks(row, group, words)
                short = text_length(row.text) <= KEEP_CHARS[0] and text_length(answer) <= KEEP_CHARS[1]
                lines.append(([_cell(widths[0], place, align="center"), None, _cell(widths[2], row.text),
                               _cell(widths[3], answer), None], short))
            if group.supports:
                text = ngettext("Supported without a proposal: %(count)s comment.",
                                "Supported without a proposal: %(count)s comments.", group.supports,
                                count=format_decimal(group.supports))
                lines.append(([_cell(widths[0], None), None, _cell(widths[2] + widths[3], [[(text, "i")]], span=2),
                               None], True))
            for index, (cells, keep) in enumerate(lines):
                merge = "restart" if index == 0 else "continue"
                cells[1] = _cell(widths[1], group.draft if index == 0 else None, merge=merge)
                cells[-1] = _cell(widths[4], group.final if index == 0 else None, merge=merge)
                parts.append(_row(cells, keep=keep))
    parts.append("</w:tbl>")
    return "".join(parts)


def _title_lines(record: Record) -> list[Block]:
    words = decision_words()

    def line(label: str, value: str) -> Block:
        return [(label + ": ", "b"), (value, "")]

    lines = [line(_("Institution"), record.institution or "—"),
             line(_("Public consultation period"), record.period or "—")]
    versions = record.versions or "—"
    if record.final_version:
        versions += "; " + record.final_version
    lines.append(line(_("Draft version commented on"), versions))
    if record.scope:
        lines.append(line(_("Scope"), record.scope))
    received = ngettext("%(count)s comment or position", "%(count)s comments and positions", record.received,
                        count=format_decimal(record.received))
    proposals = ngettext("%(count)s proposal, objection or question", "%(count)s proposals, objections and questions",
                         record.proposals, count=format_decimal(record.proposals))
    rows = ngettext("%(count)s row in the table", "%(count)s rows in the table", record.rows,
                    count=format_decimal(record.rows))
    lines.append(line(_("Received"), f"{received}; {proposals} ({rows}, " + _("each campaign is one row") + ")"))
    answers = [f"{words[code][:1].lower()}{words[code][1:]} {format_decimal(record.by_decision.get(code, 0))}"
               for code in DECISION_ORDER]
    answers.append(_("not answered yet") + f" {format_decimal(record.by_decision.get(NOT_ANSWERED, 0))}")
    lines.append(line(_("Answers (rows of the table)"), "; ".join(answers)))
    if record.supports_as_rows:
        lines.append(line(_("Supporting comments without a proposal"), _("listed in the table")))
    else:
        lines.append(line(_("Supporting comments without a proposal"),
                          ngettext("%(count)s comment, counted for each point",
                                   "%(count)s comments, counted for each point",
                                   record.supports, count=format_decimal(record.supports))))
    lines.append(line(_("Campaigns"), ngettext("%(count)s campaign", "%(count)s campaigns", record.campaigns,
                                               count=format_decimal(record.campaigns))
                      + (", " + ngettext("%(count)s copy in all", "%(count)s copies in all", record.campaign_copies,
                                         count=format_decimal(record.campaign_copies))
                         if record.campaigns else "")))
    if record.final_version:
        lines.append([(_("In the final wording, words added since the version commented on are in bold and "
                         "underlined."), "i")])
    lines.append(line(_("Prepared"), record.generated))
    return lines


def _page_number_xml() -> str:
    """"Page 3 of 120" in the footer, with PAGE and NUMPAGES fields the word processor fills in."""
    template = _("Page %(page)d of %(pages)d")
    pieces = re.split(r"(%\((?:page|pages)\)d)", template)
    runs = []
    for piece in pieces:
        if piece in ("%(page)d", "%(pages)d"):
            instruction = "PAGE" if piece == "%(page)d" else "NUMPAGES"
            runs.append(f'<w:fldSimple w:instr=" {instruction} "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        elif piece:
            runs.append(_run(piece))
    return f'<w:p xmlns:w="{W_NS}"><w:pPr><w:jc w:val="center"/></w:pPr>{"".join(runs)}</w:p>'


def izzina_document(record: Record):
    """The python-docx Document of a record (strings in the current locale)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    page = document.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(page, side, Cm(MARGIN_CM))
    page.header_distance, page.footer_distance = Cm(0.8), Cm(0.7)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(TEXT_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    language = normal.element.get_or_add_rPr().find(qn("w:lang"))
    if language is None:
        language = parse_xml(f'<w:lang xmlns:w="{W_NS}"/>')
        normal.element.get_or_add_rPr().append(language)
    language.set(qn("w:val"), "lv-LV" if record.lang == "lv" else "en-GB")
    normal.paragraph_format.space_after, normal.paragraph_format.space_before = Pt(0), Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    document.core_properties.title = _("Report on the proposals received in the public consultation")
    document.core_properties.language = "lv-LV" if record.lang == "lv" else "en-GB"

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(_("Report on the proposals received in the public consultation"))
    run.bold, run.font.size = True, Pt(13)
    name = document.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name.paragraph_format.space_after = Pt(6)
    run = name.add_run(record.title)
    run.bold, run.font.size = True, Pt(11)
    for spans in _title_lines(record):
        paragraph = document.add_paragraph()
        for text, style in spans:
            run = paragraph.add_run(text)
            run.bold, run.italic, run.font.size = "b" in style, "i" in style, Pt(TITLE_PT)
    document.add_paragraph().paragraph_format.space_after = Pt(4)
    # Word wants a paragraph after a table at the end of the body; it is kept one point high.
    closing = document.add_paragraph()
    closing.paragraph_format.line_spacing = Pt(1)
    closing._p.addprevious(parse_xml(_table_xml(record)))
    footer = page.footer
    footer.is_linked_to_previous = False
    footer_paragraph = footer.paragraphs[0]._p
    footer_paragraph.addprevious(parse_xml(_page_number_xml()))
    footer_paragraph.getparent().remove(footer_paragraph)
    return document


def write_izzina(scope: Scope, lang: str, target, progress: Progress = None, supports_as_rows: bool = False) -> None:
    """Writes the izziņa of the scope as DOCX to a binary file object."""
    record = build_record(scope, lang, supports_as_rows, progress)
    with force_locale(record.lang):
        document = izzina_document(record)
    document.save(target)
