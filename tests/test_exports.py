"""Digest exports: each file opened with its own library; privacy, formula injection, scopes, bad input."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from .pages import DEMO
from .test_workgroup import add_comment, add_member, add_position, approve_all

EXPORT = f"/en/workgroup/{DEMO}/export/"
LATVIAN = "Ģimenēm ar bērniem jāsaņem atbalsts: ā č ē ģ ī ķ ļ ņ š ū ž — «pēdiņas» un 2014.–2020. gads."
FORMULAS = json.loads((Path(__file__).parent / "data" / "hostile_inputs.json").read_text(encoding="utf-8"))[
    "inputs"]["formula"] + ["-2+3", "+371 2000000"]


@pytest.fixture
def content(app, demo, make_user):
    """Comments with Latvian text, hostile formulas, a hidden name and a shown one, and a position."""
    shown = make_user(display_name="Jānis Ozoliņš", email="janis.ozolins@example.test", respondent_type="citizen")
    hidden = make_user(display_name="Slepena Persona", email="slepena@example.test", respondent_type="academic")
    ids = {"latvian": add_comment(app, shown, body=LATVIAN, section=2, paragraph=1, show_name=True)}
    for i, formula in enumerate(FORMULAS):
        ids[f"formula{i}"] = add_comment(app, hidden, body=formula, section=1, show_name=False)
    ids["pending"] = add_comment(app, hidden, body="Vēl nav publicēts", status="pending")
    org_author = make_user(role="organisation", email="org@example.test", display_name="Org Pārstāvis")
    ids["position"] = add_position(app, org_author, organisation="Biedrība “Ģimeņu atbalsts”", sections=(2,))
    ids["anonymous_position"] = add_position(app, org_author, organisation="Slepenā biedrība", publish_name=False,
                                             title="Anonīms viedoklis")
    return ids


@pytest.fixture
def member(app, demo, make_user, login):
    user_id = make_user(role="workgroup", email="wg@example.test")
    add_member(app, user_id)
    client = app.test_client()
    login(client, user_id)
    return client


def _cli_export(runner, tmp_path, fmt, *extra, name=None):
    output = tmp_path / (name or f"export.{fmt}")
    result = runner.invoke(args=["export", "--consultation", DEMO, "--format", fmt, "--output", str(output), *extra])
    return result, output


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_has_a_bom_one_row_per_item_and_latvian_text_byte_for_byte(app, runner, content, tmp_path):
    result, output = _cli_export(runner, tmp_path, "csv", "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = _csv_rows(output.read_bytes())
    header = rows[0]
    assert header[:4] == ["No.", "Type", "ID", "Date (Riga time)"]
    for column in ("Section", "Paragraph", "Version", "Stance", "Respondent type", "Moderation status", "Tags",
                   "Subgroup", "Decision", "Justification (Latvian)"):
        assert column in header
    body = rows[1:]
    assert len(body) == 1 + len(FORMULAS) + 2, "approved comments and positions, not the pending one"
    by_id = {(row[1], row[2]): dict(zip(header, row)) for row in body}
    latvian = by_id[("Comment", str(content["latvian"]))]
    assert latvian["Proposal"] == LATVIAN
    assert LATVIAN.encode("utf-8") in output.read_bytes()
    assert latvian["Paragraph"] == "2.1" and latvian["Section"] == "2" and latvian["Version"] == "1"
    assert latvian["Submitter"] == "Jānis Ozoliņš"


def test_csv_and_xlsx_neutralise_formulas(app, runner, content, tmp_path):
    from openpyxl import load_workbook
    result, output = _cli_export(runner, tmp_path, "csv")
    assert result.exit_code == 0, result.output
    cells = [cell for row in _csv_rows(output.read_bytes()) for cell in row]
    for formula in FORMULAS:
        assert "'" + formula in cells, formula
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    result, output = _cli_export(runner, tmp_path, "xlsx")
    assert result.exit_code == 0, result.output
    workbook = load_workbook(output)
    values = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    for formula in FORMULAS:
        assert "'" + formula in values, formula


def test_no_email_address_and_names_only_where_people_agreed(app, runner, content, tmp_path, make_user):
    add_comment(app, make_user(display_name="Pēteris"), body="Rakstiet man: peteris.k@example.lv, paldies!",
                show_name=True)
    for fmt in ("csv", "xlsx", "docx", "json"):
        result, output = _cli_export(runner, tmp_path, fmt, "--all-statuses")
        assert result.exit_code == 0, result.output
        text = _all_text(fmt, output)
        for secret in ("janis.ozolins@example.test", "slepena@example.test", "org@example.test", "@example",
                       "peteris.k@example.lv", "Slepena Persona", "Org Pārstāvis", "Slepenā biedrība"):
            assert secret not in text, (fmt, secret)
        for shown in ("Jānis Ozoliņš", "Biedrība “Ģimeņu atbalsts”", "Pēteris", LATVIAN):
            assert shown in text, (fmt, shown)


def _all_text(fmt: str, path: Path) -> str:
    if fmt in ("csv", "json"):
        return path.read_bytes().decode("utf-8-sig")
    if fmt == "xlsx":
        from openpyxl import load_workbook
        workbook = load_workbook(path)
        return "\n".join(str(c.value) for s in workbook.worksheets for r in s.iter_rows() for c in r
                         if c.value is not None)
    from docx import Document
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_xlsx_has_the_four_sheets_and_one_row_per_item(app, runner, content, tmp_path):
    from openpyxl import load_workbook
    result, output = _cli_export(runner, tmp_path, "xlsx", "--lang", "en")
    assert result.exit_code == 0, result.output
    workbook = load_workbook(output)
    assert workbook.sheetnames == ["Comments", "Positions", "Polls", "Summary"]
    comments = list(workbook["Comments"].iter_rows(values_only=True))
    header = comments[0]
    assert header[:3] == ("ID", "Date (Riga time)", "Section") and "Justification (Latvian)" in header
    assert len(comments) == 1 + 1 + len(FORMULAS)
    row = next(dict(zip(header, r)) for r in comments[1:] if r[0] == content["latvian"])
    assert row["Proposal"] == LATVIAN and row["Paragraph"] == "2.1" and row["Stance"] == "Proposes a change"
    positions = list(workbook["Positions"].iter_rows(values_only=True))
    assert len(positions) == 3
    header = positions[0]
    named = next(dict(zip(header, r)) for r in positions[1:] if r[0] == content["position"])
    anonymous = next(dict(zip(header, r)) for r in positions[1:] if r[0] == content["anonymous_position"])
    assert named["Submitter"] == "Biedrība “Ģimeņu atbalsts”" and named["Section"] == "2"
    assert anonymous["Submitter"] == "Resident" and anonymous["Section"] == "Whole draft"
    summary = {r[1]: r[2] for r in workbook["Summary"].iter_rows(values_only=True) if not r[0]}
    assert summary["Comments"] == 1 + len(FORMULAS) and summary["Positions"] == 2
    assert list(workbook["Polls"].iter_rows(values_only=True))[0] == ("Poll", "Answer", "Votes", "Share", "Voters")


def test_docx_is_the_izzina_of_the_scope(app, runner, content, tmp_path):
    """The izziņa's layout is tested in tests/test_izzina.py; here: the export's scope reaches it."""
    from docx import Document
    result, output = _cli_export(runner, tmp_path, "docx", "--section", "2", "--lang", "lv")
    assert result.exit_code == 0, result.output
    table = Document(str(output)).tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert len(header) == 5 and header[0] == "Nr."
    proposals = [row.cells[2].text for row in table.rows[1:]]
    assert "Jānis Ozoliņš: " + LATVIAN in proposals
    assert any("Biedrība “Ģimeņu atbalsts”" in text for text in proposals), "the position on section 2"
    assert not any(formula in text for formula in FORMULAS for text in proposals), "section 1 is left out"


def test_json_holds_comments_positions_polls_and_a_summary(app, runner, content, tmp_path):
    result, output = _cli_export(runner, tmp_path, "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["consultation"]["slug"] == DEMO and data["language"] == "en"
    assert len(data["comments"]) == 1 + len(FORMULAS) and len(data["positions"]) == 2
    latvian = next(c for c in data["comments"] if c["id"] == content["latvian"])
    assert latvian["text"] == LATVIAN and latvian["paragraph"] == "2.1" and latvian["section"] == 2
    assert any(item["label"] == "Comments" for item in data["summary"])
    assert isinstance(data["polls"], list)


def test_responses_tags_and_subgroups_appear_in_the_export(app, runner, content, tmp_path, member):
    from consult.extensions import db
    from consult.models import Consultation

    from .conftest import form_post
    table = f"/lv/workgroup/{DEMO}/"
    with app.app_context():
        subgroup = db.session.query(Consultation).filter_by(slug=DEMO).one().subgroups[0]
        subgroup_id, subgroup_name = subgroup.id, subgroup.name_en
    ref = f"c{content['latvian']}"
    form_post(member, table + "bulk/", {"items": [ref], "action": "tag", "tag": "Bērni"}, page_url=table)
    form_post(member, table + "bulk/", {"items": [ref], "action": "assign", "subgroup": str(subgroup_id)},
              page_url=table)
    form_post(member, f"{table}responses/new/?items={ref}", {"items": [ref], "decision": "accepted",
                                                             "justification_lv": "Ņemts vērā pilnībā."})
    approve_all(app)
    result, output = _cli_export(runner, tmp_path, "csv", "--lang", "en", "--subgroup", str(subgroup_id))
    assert result.exit_code == 0, result.output
    rows = _csv_rows(output.read_bytes())
    body = [dict(zip(rows[0], r)) for r in rows[1:]]
    row = next(r for r in body if r["ID"] == str(content["latvian"]) and r["Type"] == "Comment")
    assert row["Tags"] == "Bērni" and row["Subgroup"] == subgroup_name
    assert row["Decision"] == "Accepted" and row["Justification (Latvian)"] == "Ņemts vērā pilnībā."


def test_an_empty_scope_gives_valid_files_with_headers_only(app, runner, content, tmp_path):
    from docx import Document
    from openpyxl import load_workbook
    future = "2999-01-01"
    result, output = _cli_export(runner, tmp_path, "csv", "--since", future)
    assert result.exit_code == 0 and len(_csv_rows(output.read_bytes())) == 1
    result, output = _cli_export(runner, tmp_path, "xlsx", "--since", future)
    workbook = load_workbook(output)
    comments, positions = workbook.worksheets[:2]
    assert len(list(comments.iter_rows())) == 1 and len(list(positions.iter_rows())) == 1
    result, output = _cli_export(runner, tmp_path, "docx", "--since", future)
    assert len(Document(str(output)).tables[0].rows) == 1
    result, output = _cli_export(runner, tmp_path, "json", "--since", future)
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["comments"] == [] and data["positions"] == []


@pytest.mark.parametrize("extra, message", [
    (["--format", "pdf"], "Invalid value for '--format'"),
    (["--format", "csv", "--section", "99"], "--section 99: Choose a section of this consultation."),
    (["--format", "csv", "--section", "abc"], "Invalid value for '--section'"),
    (["--format", "csv", "--subgroup", "123456"], "--subgroup 123456: Choose a subgroup of this consultation."),
    (["--format", "csv", "--since", "21.03.2014"], "--since 21.03.2014: Enter a date as year-month-day"),
    (["--format", "csv", "--lang", "de"], "Invalid value for '--lang'"),
])
def test_cli_refuses_unknown_formats_and_scopes_with_exit_code_2_and_no_file(app, runner, demo, tmp_path, extra,
                                                                              message):
    output = tmp_path / "out.file"
    result = runner.invoke(args=["export", "--consultation", DEMO, "--output", str(output), *extra])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not output.exists() and list(tmp_path.iterdir()) == []


def test_cli_refuses_an_unknown_consultation(app, runner, demo, tmp_path):
    result = runner.invoke(args=["export", "--consultation", "nav", "--format", "csv", "--output",
                                 str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "no consultation" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt, mimetype, magic", [
    ("csv", "text/csv", b"\xef\xbb\xbf"), ("xlsx", "application/vnd.openxmlformats", b"PK"),
    ("docx", "application/vnd.openxmlformats", b"PK"), ("json", "application/json", b"{"),
])
def test_web_downloads_stream_with_no_store(app, content, member, fmt, mimetype, magic):
    response = member.get(EXPORT + f"?format={fmt}&section=&subgroup=&since=")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype.startswith(mimetype)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    data = response.get_data()
    assert data.startswith(magic)
    assert b"wg@example.test" not in data


@pytest.mark.parametrize("query, field, message", [
    ("?format=pdf", "format", "Choose one of the formats"),
    ("?section=", "format", "Choose a format"),
    ("?format=csv&section=99", "section", "Choose a section of this consultation"),
    ("?format=csv&subgroup=987654", "subgroup", "Choose a subgroup of this consultation"),
    ("?format=csv&since=2014-99-99", "since", "year-month-day"),
])
def test_web_refuses_bad_export_options_beside_the_field(app, content, member, query, field, message):
    response = member.get(EXPORT + query)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Content-Disposition" not in response.headers
    assert f'id="{field}-error"' in html and message in html
    assert 'class="error-summary"' in html


def test_web_export_follows_the_page_language_and_the_since_scope(app, content, member, make_user):
    from consult.clock import utcnow
    old = add_comment(app, make_user(), body="Sens komentārs", created_at=utcnow() - timedelta(days=30))
    since = (utcnow() - timedelta(days=1)).date().isoformat()
    data = member.get(f"/en/workgroup/{DEMO}/export/?format=csv&since={since}").get_data()
    rows = _csv_rows(data)
    assert rows[0][:2] == ["No.", "Type"]
    assert str(old) not in [r[2] for r in rows[1:]]
    assert len(rows) == 1 + 1 + len(FORMULAS) + 2


def test_the_export_page_is_a_labelled_form(member):
    html = member.get(EXPORT).get_data(as_text=True)
    for field in ("format-0", "section", "subgroup", "since", "all_statuses"):
        assert f'for="{field}"' in html, field


def test_exports_carry_each_comments_campaign(app, runner, demo, make_user, tmp_path):
    import random

    from consult.services.synthetic import edited_copies
    author = make_user()
    copies = [add_comment(app, author, body=text, section=2) for text in edited_copies(random.Random(9), 5)]
    alone = add_comment(app, author, body="Pavisam cits komentārs par transportu laukos", section=2)
    result, output = _cli_export(runner, tmp_path, "csv", "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = _csv_rows(output.read_bytes())
    header = rows[0]
    assert header[-7:] == ["Campaign", "Channel", "Theme", "Electronic signature", "Signed by",
                           "Certificate authority", "Signing time (Riga time)"]
    by_id = {row[2]: dict(zip(header, row)) for row in rows[1:]}
    assert all(by_id[str(i)]["Campaign"] == str(copies[0]) for i in copies)
    assert by_id[str(alone)]["Campaign"] == ""
    result, output = _cli_export(runner, tmp_path, "json")
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text(encoding="utf-8"))
    items = data["comments"]
    assert items and {item["id"]: item["campaign"] for item in items if item["id"] in copies} == \
        {i: copies[0] for i in copies}


# Exports for analysts: the spreadsheet as a filterable, printable table; CSV for Latvian settings;
# JSON with codes; exports limited like the table; file names with the language.

WINTER = datetime(2024, 1, 15, 9, 30)      # UTC; 11:30 in Riga (+02:00)
SUMMER = datetime(2024, 7, 1, 9, 30)       # UTC; 12:30 in Riga (+03:00)
LONG = "Garš priekšlikums par sociālo pakalpojumu pieejamību laukos; " * 12


@pytest.fixture
def dated(app, demo, make_user):
    """Comments at known moments in winter and summer time, one of them long, with different stances."""
    author = make_user(respondent_type="municipality")
    return {"winter": add_comment(app, author, body="Ziemā rakstīts komentārs", section=1, stance="objects",
                                  created_at=WINTER),
            "summer": add_comment(app, author, body=LONG, section=2, paragraph=1, stance="proposes",
                                  created_at=SUMMER)}


def _xlsx(runner, tmp_path, *extra):
    from openpyxl import load_workbook
    result, output = _cli_export(runner, tmp_path, "xlsx", *extra)
    assert result.exit_code == 0, result.output
    return load_workbook(output)


def _rows(sheet) -> list[dict]:
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:]]


def test_latvian_xlsx_names_its_sheets_and_columns_in_latvian(app, runner, content, dated, tmp_path):
    workbook = _xlsx(runner, tmp_path, "--lang", "lv")
    assert workbook.sheetnames == ["Komentāri", "Viedokļi", "Aptaujas", "Kopsavilkums"]
    header = [cell.value for cell in next(workbook["Komentāri"].iter_rows())]
    for column in ("ID", "Datums (Rīgas laiks)", "Sadaļa", "Punkts", "Nostāja", "Priekšlikums", "Lēmums",
                   "Pamatojums (latviešu valodā)", "Kampaņa"):
        assert column in header, column
    assert not {"Comments", "Date", "Proposal", "Decision"} & set(header)
    summary = [row[1] for row in workbook["Kopsavilkums"].iter_rows(values_only=True)]
    assert summary[0] == "Rādītājs" and "Laika josla" in summary


def test_every_sheet_is_a_table_with_an_autofilter_over_all_its_rows(app, runner, content, dated, tmp_path):
    from openpyxl.utils import get_column_letter
    workbook = _xlsx(runner, tmp_path, "--lang", "en")
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(rows[0]))}{len(rows)}", sheet.title
        assert sheet.freeze_panes == "A2"
    assert len(list(workbook["Comments"].iter_rows())) == 1 + 1 + len(FORMULAS) + 2


def test_xlsx_dates_are_date_cells_in_riga_time(app, runner, dated, tmp_path):
    workbook = _xlsx(runner, tmp_path, "--lang", "en")
    by_id = {row["ID"].value: row for row in _rows(workbook["Comments"])}
    for key, local in (("winter", datetime(2024, 1, 15, 11, 30)), ("summer", datetime(2024, 7, 1, 12, 30))):
        cell = by_id[dated[key]]["Date (Riga time)"]
        assert cell.is_date and isinstance(cell.value, datetime), (key, cell.data_type)
        assert cell.value == local, key
        assert cell.number_format == "yyyy-mm-dd hh:mm"
    generated = next(row for row in _rows(workbook["Summary"]) if row["Figure"].value == "Generated")
    assert isinstance(generated["Value"].value, datetime) and generated["Value"].is_date


def test_xlsx_wraps_long_text_in_wide_columns_and_makes_the_row_tall_enough(app, runner, dated, tmp_path):
    from openpyxl.utils import get_column_letter
    sheet = _xlsx(runner, tmp_path, "--lang", "en")["Comments"]
    header = [cell.value for cell in next(sheet.iter_rows())]
    width = {name: sheet.column_dimensions[get_column_letter(i)].width for i, name in enumerate(header, start=1)}
    assert width["Proposal"] >= 50 and width["Justification (Latvian)"] >= 30
    assert width["ID"] <= 10 and width["Section"] <= 10
    row = next(r for r in _rows(sheet) if r["ID"].value == dated["summer"])
    assert row["Proposal"].value == LONG
    assert row["Proposal"].alignment.wrap_text and row["Proposal"].alignment.vertical == "top"
    height = sheet.row_dimensions[row["Proposal"].row].height
    assert height and height >= 15 * (len(LONG) // int(width["Proposal"] * 1.2)), height
    short = next(r for r in _rows(sheet) if r["ID"].value == dated["winter"])
    assert sheet.row_dimensions[short["Proposal"].row].height is None, "a one-line row keeps the default height"


def test_xlsx_prints_a4_landscape_one_page_wide_with_the_header_row_repeated(app, runner, content, tmp_path):
    workbook = _xlsx(runner, tmp_path, "--lang", "lv")
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
        assert sheet.print_title_rows == "$1:$1"
        assert "&P" in sheet.oddFooter.center.text


def test_libreoffice_prints_each_sheet_of_a_small_export_on_one_a4_landscape_page(app, runner, content, tmp_path):
    """Four sheets of a few rows → four pages: a sheet wider than the page would spread over several."""
    import shutil
    import subprocess
    if not (shutil.which("soffice") and shutil.which("pdfinfo")):
        pytest.skip("LibreOffice (soffice) and poppler-utils (pdfinfo) are needed to print the spreadsheet")
    result, output = _cli_export(runner, tmp_path, "xlsx", "--lang", "lv")
    assert result.exit_code == 0, result.output
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(output)], check=True, capture_output=True, timeout=180)
    info = subprocess.run(["pdfinfo", str(output.with_suffix(".pdf"))], check=True, capture_output=True,
                          text=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert int(fields["Pages"]) == 4
    width, height = (float(v) for v in fields["Page size"].split("pts")[0].split(" x "))
    assert (round(width), round(height)) == (842, 595), "A4 landscape"


def test_csv_can_separate_columns_with_semicolons_and_keeps_the_bom(app, runner, content, dated, make_user,
                                                                     tmp_path):
    tricky = add_comment(app, make_user(), body="Viens; divi, trīs \"pēdiņās\"", section=1)
    result, output = _cli_export(runner, tmp_path, "csv", "--lang", "en", "--delimiter", ";", name="semi.csv")
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("No.;Type;ID;Date (Riga time);")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert all(len(row) == len(rows[0]) for row in rows)
    by_id = {row[2]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert by_id[str(tricky)]["Proposal"] == "Viens; divi, trīs \"pēdiņās\""
    assert by_id[str(dated["winter"])]["Date (Riga time)"] == "2024-01-15 11:30"
    result, output = _cli_export(runner, tmp_path, "csv", "--lang", "en", name="comma.csv")
    assert output.read_bytes().decode("utf-8-sig").splitlines()[0].startswith("No.,Type,ID,")


def test_the_export_page_offers_the_semicolon(app, content, member):
    import re
    html = member.get(EXPORT).get_data(as_text=True)
    assert 'for="delimiter-0"' in html and 'for="delimiter-1"' in html
    comma = re.search(r'<input[^>]*id="delimiter-0"[^>]*>', html).group(0)
    assert 'value=","' in comma and "checked" in comma, "the comma is the default"
    for field in ("stance", "decision", "campaign"):
        assert f'for="{field}"' in html, field
    response = member.get(EXPORT + "?format=csv&delimiter=%3B")
    assert response.status_code == 200
    assert response.get_data().decode("utf-8-sig").splitlines()[0].startswith("No.;Type;")


def test_json_has_codes_with_labels_times_with_offsets_and_nulls(app, runner, content, dated, member, tmp_path):
    import re

    from .conftest import form_post
    table = f"/lv/workgroup/{DEMO}/"
    ref = f"c{dated['summer']}"
    form_post(member, f"{table}responses/new/?items={ref}", {"items": [ref], "decision": "partly_accepted",
                                                             "justification_lv": "Daļēji ņemts vērā."})
    approve_all(app)
    result, output = _cli_export(runner, tmp_path, "json", "--lang", "lv")
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["format_version"] == 2 and data["time_zone"] == "Europe/Riga"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[23]:00", data["generated_at"])
    comments = {item["id"]: item for item in data["comments"]}
    winter, summer = comments[dated["winter"]], comments[dated["summer"]]
    assert winter["created_at"] == "2024-01-15T11:30:00+02:00"
    assert summer["created_at"] == "2024-07-01T12:30:00+03:00"
    assert (winter["stance"], winter["stance_label"]) == ("objects", "Iebilst")
    assert (summer["stance"], summer["stance_label"]) == ("proposes", "Ierosina izmaiņas")
    assert (summer["decision"], summer["decision_label"]) == ("partly_accepted", "Daļēji ņemts vērā")
    assert summer["justification_lv"] == "Daļēji ņemts vērā." and summer["justification_en"] is None
    assert (winter["status"], winter["respondent_type"]) == ("approved", "municipality")
    assert winter["status_label"] == "Publicēts"
    for missing in ("decision", "decision_label", "paragraph", "subgroup", "justification_lv", "changed_paragraph",
                    "campaign"):
        assert missing in winter and winter[missing] is None, missing
    assert winter["tags"] == [] and summer["paragraph"] == "2.1" and winter["section"] == 1
    positions = {item["id"]: item for item in data["positions"]}
    named, anonymous = positions[content["position"]], positions[content["anonymous_position"]]
    assert (named["sections"], named["whole_draft"]) == ([2], False)
    assert (anonymous["sections"], anonymous["whole_draft"]) == ([], True)
    assert named["decision"] is None and named["title"] == "Biedrības viedoklis"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[23]:00", named["created_at"])
    assert "stance" not in named


def test_exports_are_limited_by_stance_decision_and_campaign(app, runner, content, dated, member, make_user,
                                                             tmp_path):
    import random

    from consult.services.synthetic import edited_copies

    from .conftest import form_post
    author = make_user()
    copies = [add_comment(app, author, body=text, section=3) for text in edited_copies(random.Random(4), 4)]
    table = f"/lv/workgroup/{DEMO}/"
    ref = f"c{dated['winter']}"
    form_post(member, f"{table}responses/new/?items={ref}", {"items": [ref], "decision": "not_accepted",
                                                             "justification_lv": "Nav ņemts vērā."})
    approve_all(app)

    def ids(*extra):
        result, output = _cli_export(runner, tmp_path, "json", *extra)
        assert result.exit_code == 0, result.output
        data = json.loads(output.read_text(encoding="utf-8"))
        return {c["id"] for c in data["comments"]}, {p["id"] for p in data["positions"]}, data["scope"]

    comments, positions, scope = ids("--stance", "objects")
    assert comments == {dated["winter"]} and positions == set() and scope["stance"] == "objects"
    comments, positions, _ = ids("--decision", "not_accepted")
    assert comments == {dated["winter"]} and positions == set()
    comments, positions, _ = ids("--decision", "none")
    assert dated["winter"] not in comments and dated["summer"] in comments and len(positions) == 2
    comments, positions, scope = ids("--campaign", str(copies[0]))
    assert comments == set(copies) and positions == set() and scope["campaign"] == copies[0]
    comments, _, _ = ids("--campaign", str(copies[0]), "--stance", "objects")
    assert comments == set()
    data = member.get(EXPORT + f"?format=csv&stance=proposes&decision=none&campaign={copies[0]}").get_data()
    assert {row[2] for row in _csv_rows(data)[1:]} == {str(i) for i in copies}
    workbook_data = member.get(EXPORT + "?format=xlsx&stance=objects").get_data()
    from openpyxl import load_workbook
    workbook = load_workbook(io.BytesIO(workbook_data))
    assert [row["ID"].value for row in _rows(workbook["Comments"])] == [dated["winter"]]
    scope_row = next(r for r in _rows(workbook["Summary"]) if r["Figure"].value == "Scope")
    assert scope_row["Value"].value == "Stance: Objects"


@pytest.mark.parametrize("extra, message", [
    (["--stance", "happy"], "'happy' is not one of 'supports', 'objects', 'proposes', 'asks'"),
    (["--decision", "maybe"], "'maybe' is not one of 'accepted', 'partly_accepted', 'not_accepted', 'explained', "
                              "'none'"),
    (["--campaign", "987654"], "--campaign 987654: Choose a campaign of this consultation"),
    (["--campaign", "x"], "--campaign x: Choose a campaign of this consultation"),
    (["--delimiter", "|"], "'|' is not one of ',', ';'"),
])
def test_cli_refuses_an_unknown_filter_and_writes_nothing(app, runner, content, tmp_path, extra, message):
    output = tmp_path / "out.csv"
    result = runner.invoke(args=["export", "--consultation", DEMO, "--format", "csv", "--output", str(output),
                                 *extra])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("query, field, message", [
    ("?format=csv&stance=happy", "stance", "Choose a stance from the list"),
    ("?format=xlsx&decision=maybe", "decision", "Choose a response from the list"),
    ("?format=json&campaign=987654", "campaign", "Choose a campaign of this consultation"),
    ("?format=csv&campaign=-1", "campaign", "Choose a campaign of this consultation"),
    ("?format=csv&delimiter=%7C", "delimiter", "Choose a comma or a semicolon"),
])
def test_web_refuses_an_unknown_filter_beside_the_field_and_sends_no_file(app, content, member, query, field,
                                                                          message):
    response = member.get(EXPORT + query)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Content-Disposition" not in response.headers
    assert f'id="{field}-error"' in html and message in html
    assert 'class="error-summary"' in html


def test_the_latvian_refusal_is_in_latvian(app, content, member):
    html = member.get(f"/lv/workgroup/{DEMO}/export/?format=csv&stance=happy").get_data(as_text=True)
    assert "Izvēlieties nostāju sarakstā." in html


@pytest.mark.parametrize("role", ["citizen", "moderator", "editor", "workgroup"])
def test_other_roles_and_non_members_get_403_and_no_file(app, content, make_user, login, role):
    client = app.test_client()
    login(client, make_user(role=role))   # a working-group user, but not in this consultation's group
    response = client.get(EXPORT + "?format=csv&stance=proposes&decision=none&delimiter=%3B")
    assert response.status_code == 403
    assert "Content-Disposition" not in response.headers
    assert b"Proposal" not in response.get_data()


def test_file_names_carry_the_language_and_the_filters(app, content, member, runner, tmp_path, monkeypatch):
    disposition = member.get(f"/lv/workgroup/{DEMO}/export/?format=xlsx").headers["Content-Disposition"]
    assert disposition.endswith('-lv.xlsx"'), disposition
    disposition = member.get(EXPORT + "?format=csv&stance=proposes&decision=none").headers["Content-Disposition"]
    assert "-proposes-not-answered-" in disposition and disposition.endswith('-en.csv"'), disposition
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=["export", "--consultation", DEMO, "--format", "json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    written = list(tmp_path.iterdir())
    assert len(written) == 1 and written[0].name.startswith(DEMO) and written[0].name.endswith("-en.json")
