"""The XLSX export: openpyxl's write-only workbook, a sheet per kind, typed dates, wrapped text, print setup."""
from __future__ import annotations

import re
from datetime import datetime

from ...clock import utcnow
from .cells import neutralise, riga_moment
from .columns import COL, COMMENT_SHEET, POSITION_SHEET
from .rows import Exporter
from .scope import FORMULA_STARTS, Progress

# Column widths in characters of the default font: numbers and codes narrow, texts wide. Every
# cell wraps, so a long label takes a second line instead of being cut off.
XLSX_WIDTHS = {"no": 6, "type": 11, "id": 8, "date": 17, "created_at": 17, "section": 9, "paragraph": 9,
               "version": 8, "stance": 13, "respondent_type": 15, "submitter": 18, "language": 8, "status": 13,
               "tags": 14, "subgroup": 16, "title": 28, "text": 60, "decision": 14, "justification_lv": 42,
               "justification_en": 42, "changed_paragraph": 12, "campaign": 11, "channel": 11, "theme": 20,
               "signature_status": 15, "signed_by": 18, "signature_issuer": 18, "signed_at": 17}
XLSX_DATE_FORMAT = "yyyy-mm-dd hh:mm"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(text: str) -> str:
    """A word usable as a sheet name: none of [ ] : * ? / \\ and at most 31 characters."""
    return _SHEET_NAME_FORBIDDEN.sub(" ", text).strip()[:31] or "Sheet"


def _print_setup(sheet) -> None:
    """A4 landscape, as wide as one page (as many pages down as it takes), the header row on every
    page, grid lines, and the sheet's name and page number in the footer.

    In a write-only sheet the sheet properties are written with the first row, so this comes first."""
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.worksheet import Worksheet

    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    setup = sheet.page_setup
    setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0          # 0: as many pages down as needed
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.25, footer=0.3)
    sheet.oddFooter.center.text = "&A – &P / &N"


# Row heights. Neither LibreOffice nor Excel fits a row's height to wrapped text when it opens a
# file, so each row gets a height for its longest text: lines × the default font's line height.
# A line is taken to hold a little fewer characters than the column width, so a wider fallback font
# (where Calibri is missing) still fits.
LINE_HEIGHT_PT = 15.0
CHARS_PER_WIDTH = 1.1
MAX_ROW_HEIGHT_PT = 409.0      # the largest height a spreadsheet row may have


def text_lines(text: str, per_line: int) -> int:
    """Lines a wrapped text takes in a column holding `per_line` characters (words may move whole)."""
    if len(text) <= per_line and "\n" not in text:
        return 1
    return sum(len(part) // per_line + 1 for part in text.split("\n"))


class _Book:
    """A write-only workbook whose sheets are tables: bold wrapped header row, an autofilter over
    the rows written, a frozen header, a print set-up; texts neutralised and wrapped, datetimes as
    date cells. Styles are made once and shared among cells (one per cell would cost a lookup each)."""

    def __init__(self):
        from openpyxl import Workbook
        from openpyxl.cell import Cell
        from openpyxl.styles import Alignment, Font
        from openpyxl.worksheet.dimensions import RowDimension

        self.workbook = Workbook(write_only=True)
        self.Cell = Cell
        self.RowDimension = RowDimension
        probe = self.workbook.create_sheet("styles")   # styles belong to the workbook; a cell makes them
        top = Alignment(vertical="top")

        def style(**attributes):
            cell = Cell(probe, row=1, column=1)
            for name, value in attributes.items():
                setattr(cell, name, value)
            return cell._style

        self.header_style = style(font=Font(bold=True), alignment=Alignment(wrap_text=True, vertical="top"))
        self.text_style = style(alignment=Alignment(wrap_text=True, vertical="top"))
        self.number_style = style(alignment=top)
        self.date_style = style(number_format=XLSX_DATE_FORMAT, alignment=top)
        self.share_style = style(number_format="0.0%", alignment=top)
        self.workbook.remove(probe)
        self.sheet = None
        self.columns = 0
        self.rows = 0
        self.per_line: list[int] = []

    def new_sheet(self, title: str, headers, widths) -> None:
        from openpyxl.utils import get_column_letter
        self.close_sheet()
        sheet = self.sheet = self.workbook.create_sheet(sheet_name(title))
        sheet.freeze_panes = "A2"
        _print_setup(sheet)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        self.per_line = [max(1, int(width * CHARS_PER_WIDTH)) for width in widths]
        self.columns, self.rows = len(headers), 0
        Cell, array = self.Cell, self.header_style
        self._set_height(max(text_lines(str(v), n) for v, n in zip(headers, self.per_line)), 1)
        sheet.append([Cell(sheet, row=1, column=1, value=neutralise(v), style_array=array) for v in headers])
        sheet.row_dimensions.pop(1, None)

    def append(self, values, share_column: int | None = None) -> None:
        """One row: empty values are left out, datetimes lose their zone (a spreadsheet's dates have
        none; the rows carry Riga time)."""
        Cell, sheet, starts, per_line = self.Cell, self.sheet, FORMULA_STARTS, self.per_line
        text_style, number_style = self.text_style, self.number_style
        row = []
        lines = 1
        for index, value in enumerate(values):
            if value is None or value == "":
                row.append(None)
            elif value.__class__ is str:
                if len(value) > per_line[index] or "\n" in value:
                    lines = max(lines, text_lines(value, per_line[index]))
                row.append(Cell(sheet, row=1, column=1, value=("'" + value) if value.startswith(starts) else value,
                                style_array=text_style))
            elif isinstance(value, datetime):
                row.append(Cell(sheet, row=1, column=1, value=value.replace(tzinfo=None),
                                style_array=self.date_style))
            else:
                row.append(Cell(sheet, row=1, column=1, value=value,
                                style_array=self.share_style if index == share_column else number_style))
        self.rows += 1
        index = self.rows + 1
        tall = self._set_height(lines, index)
        sheet.append(row)
        if tall:
            # The row is written at once; dropping its dimension keeps memory flat however many rows.
            del sheet.row_dimensions[index]

    def _set_height(self, lines: int, index: int) -> bool:
        if lines <= 1:
            return False
        self.sheet.row_dimensions[index] = self.RowDimension(
            self.sheet, index=index, ht=min(MAX_ROW_HEIGHT_PT, lines * LINE_HEIGHT_PT))
        return True

    def close_sheet(self) -> None:
        """The autofilter covers the header and every row written (known only now; it is written at the end)."""
        from openpyxl.utils import get_column_letter
        if self.sheet is not None:
            self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.columns)}{self.rows + 1}"
        self.sheet = None

    def save(self, target) -> None:
        self.close_sheet()
        self.workbook.save(target)


def write_xlsx(exporter: Exporter, target, progress: Progress = None) -> None:
    """Sheets Comments, Positions, Polls and Summary, named in the export's language, written row by
    row (openpyxl write-only, so memory stays flat); each sheet is a filterable, printable table."""
    book = _Book()
    labels = exporter.labels
    words = labels.words
    for title, columns, rows in ((words["comments"], COMMENT_SHEET, exporter.comment_rows(progress)),
                                 (words["positions"], POSITION_SHEET, exporter.position_rows(progress))):
        book.new_sheet(title, [labels.headers[c] for c in columns], [XLSX_WIDTHS[c] for c in columns])
        picks = [COL[c] for c in columns]
        append = book.append
        for row in rows:
            append([row[i] for i in picks])

    book.new_sheet(words["polls"], [words["poll"], words["answer"], words["votes"], words["share"],
                                    words["voters"]], (60, 40, 10, 10, 10))
    for row in exporter.poll_rows():
        book.append([row["question"], row["option"], row["votes"], row["share"], row["voters"]], share_column=3)

    book.new_sheet(words["summary"], [words["group"], words["figure"], words["value"]], (24, 40, 60))
    consultation = exporter.scope.consultation
    book.append(["", words["consultation"], exporter.text(exporter.localised(consultation, "title"))])
    book.append(["", words["scope"], exporter.scope_text()])
    book.append(["", words["generated"], riga_moment(utcnow())])
    book.append(["", words["time_zone"], "Europe/Riga"])
    for group, label, count in exporter.summary_rows():
        book.append([group, label, count])
    book.save(target)
