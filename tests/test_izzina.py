"""The izziņa (DOCX): its layout as python-docx and LibreOffice see it, campaigns, supports, wordings, languages."""
from __future__ import annotations

import os
import random
import re
import shutil
import subprocess

import pytest

from .pages import DEMO
from .test_workgroup import add_comment, add_member, add_position

EXPORT = f"/en/workgroup/{DEMO}/export/"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _export(runner, tmp_path, *extra, lang="en", name=None):
    output = tmp_path / (name or f"izzina-{lang}.docx")
    result = runner.invoke(args=["export", "--consultation", DEMO, "--format", "docx", "--lang", lang,
                                 "--output", str(output), *extra])
    assert result.exit_code == 0, result.output
    return output


def _document(path):
    from docx import Document
    return Document(str(path))


def _rows(path) -> list[list[str]]:
    """The table's rows below the header, as the texts of their five grid columns (a merged cell's
    text in each column it covers, as python-docx reads it)."""
    table = _document(path).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def _numbered(rows) -> list[list[str]]:
    """The rows that are proposals (they have a number), without section and count rows."""
    return [row for row in rows if re.fullmatch(r"\d+(\n[\d.]+)?", row[0])]


def _section_rows(rows) -> list[str]:
    """The titles of the section rows (one cell across the table)."""
    return [row[0] for row in rows if len(set(row)) == 1]


def _consultation(app):
    from consult.extensions import db
    from consult.models import Consultation
    return db.session.query(Consultation).filter_by(slug=DEMO).one()


def _answer(app, refs, decision="accepted", justification_lv="Ņemts vērā, punkts papildināts.",
            justification_en="Taken into account; the point was extended.", changed_paragraph=None):
    from consult.extensions import db
    from consult.models import User
    from consult.services import responses
    with app.app_context():
        user = db.session.query(User).order_by(User.id).first()
        responses.save_response(_consultation(app), refs, decision, justification_lv, justification_en,
                                changed_paragraph, user, approve=True)


def _publish_version_two(app, changes: dict, removed=()):
    """Publishes version 2 of the demo draft with the points in `changes` ((section, point) → a function of
    the old text, for both languages) reworded and the last point of each section in `removed` deleted;
    returns {(section, point): paragraph id}."""
    from consult.extensions import db
    from consult.models import Section
    from consult.services import authoring
    with app.app_context():
        consultation = _consultation(app)
        version = authoring.start_version(consultation)
        ids = {}
        for (section_number, number), rewrite in changes.items():
            section = db.session.query(Section).filter_by(consultation_id=consultation.id,
                                                          number=section_number).one()
            paragraph = authoring.paragraph(section, version, number)
            authoring.update_paragraph(paragraph, rewrite(paragraph.text_lv), rewrite(paragraph.text_en))
            ids[(section_number, number)] = paragraph.id
        for section_number in removed:
            section = db.session.query(Section).filter_by(consultation_id=consultation.id,
                                                          number=section_number).one()
            authoring.delete_last_paragraph(authoring.paragraphs(section, version)[-1])
        authoring.update_change_note(version, "Precizēti punkti.", "Points clarified.")
        authoring.publish_version(version)
        return ids


def _paragraph_text(app, section_number, number, version_number=1):
    from consult.extensions import db
    from consult.models import Paragraph, Section, Version
    with app.app_context():
        return db.session.query(Paragraph.text_lv).join(Section).join(Version).filter(
            Section.number == section_number, Paragraph.number == number, Version.number == version_number,
            Version.consultation_id == _consultation(app).id).scalar()


# Layout -----------------------------------------------------------------------------------------

def test_the_izzina_is_a4_landscape_with_five_columns_a_repeated_header_and_page_numbers(app, runner, demo,
                                                                                       make_user, tmp_path):
    from docx.enum.section import WD_ORIENT
    add_comment(app, make_user(), body="Lūdzu papildināt ar termiņiem.", section=2, paragraph=1)
    document = _document(_export(runner, tmp_path))
    page = document.sections[0]
    assert page.orientation == WD_ORIENT.LANDSCAPE
    assert abs(page.page_width.cm - 29.7) < 0.01 and abs(page.page_height.cm - 21.0) < 0.01, "A4, not Letter"
    table = document.tables[0]
    widths = [int(col.get(f"{W}w")) / 567 for col in table._tbl.tblGrid.findall(f"{W}gridCol")]
    assert len(widths) == 5
    number, draft, proposal, answer, final = widths
    assert number < 1.5 and number == min(widths), "No. is narrow"
    assert proposal == max(widths) and proposal > 2 * draft, "the proposals get most of the room"
    assert abs(sum(widths) - (29.7 - 2 * 1.5)) < 0.05, "the table fills the page between the margins"
    assert table._tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
    header = table.rows[0]
    assert header._tr.trPr.find(f"{W}tblHeader") is not None, "the header row repeats on each page"
    assert [cell.text for cell in header.cells] == [
        "No.", "Wording of the point in the draft commented on", "Proposal or objection, and who made it",
        "The institution's answer and its justification", "Final wording of the point"]
    footer = page.footer._element.xml
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer


def test_the_title_block_names_the_institution_period_and_counts(app, runner, demo, make_user, tmp_path):
    author = make_user()
    first = add_comment(app, author, body="Lūdzu papildināt ar termiņiem.", section=2, paragraph=1)
    add_comment(app, author, body="Kāpēc tikai līdz 2020. gadam?", section=2, paragraph=2, stance="asks")
    add_comment(app, author, body="Atbalstu.", section=2, paragraph=1, stance="supports")
    add_comment(app, author, body="Vēl nav publicēts.", section=2, status="pending")
    _answer(app, [f"c{first}"], "partly_accepted")
    document = _document(_export(runner, tmp_path))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Report on the proposals received in the public consultation" in text
    assert "Institution: Ministry of Welfare" in text
    assert re.search(r"Public consultation period: \d+ \w{3} \d{4}–\d+ \w{3} \d{4}", text), text
    assert "Received: 3 comments and positions; 2 proposals, objections and questions (2 rows in the table" in text
    assert ("Answers (rows of the table): taken into account 0; partly taken into account 1; not taken into account 0; "
            "noted 0; "
            "not answered yet 1") in text
    assert "Supporting comments without a proposal: 1 comment, counted for each point" in text
    assert "Campaigns: 0 campaigns" in text


def test_rows_are_grouped_by_section_and_point_with_the_point_wording_once(app, runner, demo, make_user, tmp_path):
    author = make_user(display_name="Jānis Ozoliņš")
    add_comment(app, author, body="Par sadaļu kopumā.", section=3)
    add_comment(app, author, body="Otrais par 2.1.", section=2, paragraph=1, show_name=True)
    add_comment(app, author, body="Pirmais par 3.2.", section=3, paragraph=2)
    add_comment(app, author, body="Pirmais par 2.1.", section=2, paragraph=1)
    path = _export(runner, tmp_path, lang="lv")
    rows = _rows(path)
    sections = _section_rows(rows)
    assert len(sections) == 2 and sections[0].startswith("2. ") and sections[1].startswith("3. "), sections
    numbered = _numbered(rows)
    assert [row[2] for row in numbered] == [
        "Jānis Ozoliņš: Otrais par 2.1.", "Iedzīvotājs: Pirmais par 2.1.", "Iedzīvotājs: Par sadaļu kopumā.",
        "Iedzīvotājs: Pirmais par 3.2."], "a name only where it is shown, otherwise the kind of respondent"
    assert [row[0] for row in numbered] == ["1\n2.1", "2\n2.1", "3", "4\n3.2"]
    point = _paragraph_text(app, 2, 1)
    assert numbered[0][1].startswith("2.1. ") and point[:40] in numbered[0][1]
    assert numbered[1][1] == numbered[0][1], "one merged cell for the point's rows"
    assert numbered[2][1] == "Sadaļa kopumā"
    assert all(row[4] == "Bez izmaiņām" for row in numbered), "no newer version: unchanged"
    assert all(row[3] == "Vēl nav atbildēts." for row in numbered)
    table = _document(path).tables[0]
    first, second = ([cell.find(f"{W}tcPr/{W}vMerge") for cell in table.rows[index]._tr.findall(f"{W}tc")]
                     for index in (2, 3))     # header, section 2, then the two rows on 2.1
    assert first[1].get(f"{W}val") == "restart" and first[4].get(f"{W}val") == "restart"
    assert second[1] is not None and second[1].get(f"{W}val") is None, "the second row continues the merged cell"


# Campaigns and supports ------------------------------------------------------------------------

def _campaign(app, make_user, count=5):
    from consult.services.synthetic import edited_copies
    author = make_user()
    return [add_comment(app, author, body=text, section=2) for text in edited_copies(random.Random(9), count)]


def test_a_campaign_is_one_row_with_its_number_of_copies_and_one_justification(app, runner, demo, make_user,
                                                                              tmp_path):
    copies = _campaign(app, make_user)
    alone = add_comment(app, make_user(), body="Pavisam cits komentārs par transportu laukos", section=2)
    _answer(app, [f"c{i}" for i in copies], "not_accepted", "Finansējums tiks noteikts valsts budžetā.",
            "The funding will be set in the state budget.")
    path = _export(runner, tmp_path)
    numbered = _numbered(_rows(path))
    assert len(numbered) == 2, "the campaign once and the other comment"
    campaign = next(row for row in numbered if "Campaign:" in row[2])
    assert campaign[2].startswith("Campaign: 5 copies (Resident 5)")
    assert "dienas centriem" in campaign[2], "the campaign's text"
    assert campaign[3] == "Not taken into account. The funding will be set in the state budget."
    xml = _document(path).tables[0]._tbl.xml
    assert xml.count("The funding will be set in the state budget.") == 1
    assert any(row[2].endswith("Pavisam cits komentārs par transportu laukos") for row in numbered), alone
    text = "\n".join(p.text for p in _document(path).paragraphs)
    assert "Campaigns: 1 campaign, 5 copies in all" in text
    assert "not taken into account 1;" in text and "not answered yet 1" in text


def test_a_campaign_answered_in_part_says_how_many_copies_each_answer_covers(app, runner, demo, make_user,
                                                                            tmp_path):
    copies = _campaign(app, make_user)
    _answer(app, [f"c{i}" for i in copies[:3]], "explained", "Skaidrojums.", "An explanation.")
    campaign = next(row for row in _numbered(_rows(_export(runner, tmp_path))) if "Campaign:" in row[2])
    assert campaign[3] == "Noted (3 copies). An explanation.\nNot answered yet: 2 copies."


def test_supports_without_a_proposal_are_one_count_per_point_unless_listed(app, runner, demo, make_user, tmp_path):
    author = make_user()
    add_comment(app, author, body="Lūdzu papildināt ar termiņiem.", section=2, paragraph=1)
    for body in ("Atbalstu.", "Pilnībā atbalstu šo punktu.", "Labi uzrakstīts."):
        add_comment(app, author, body=body, section=2, paragraph=1, stance="supports")
    add_comment(app, author, body="Atbalstu arī šo.", section=2, paragraph=2, stance="supports")
    rows = _rows(_export(runner, tmp_path))
    assert len(_numbered(rows)) == 1
    counts = [row[2] for row in rows if row[2].startswith("Supported without a proposal")]
    assert counts == ["Supported without a proposal: 3 comments.", "Supported without a proposal: 1 comment."]
    point_only = next(row for row in rows if row[2] == "Supported without a proposal: 1 comment.")
    assert point_only[1].startswith("2.2. "), "a point with supports only still shows its wording"
    listed = _rows(_export(runner, tmp_path, "--supports-as-rows", name="listed.docx"))
    assert len(_numbered(listed)) == 5
    assert not any(row[2].startswith("Supported without a proposal") for row in listed)
    assert any(row[2].endswith(": Labi uzrakstīts.") for row in listed)


def test_positions_show_the_organisation_where_published_and_the_whole_draft_first(app, runner, demo, make_user,
                                                                                  tmp_path):
    author = make_user(role="organisation", display_name="Org Pārstāvis")
    add_position(app, author, organisation="Biedrība “Ģimeņu atbalsts”", sections=(2, 3), title="Par 2. un 3.")
    add_position(app, author, organisation="Slepenā biedrība", publish_name=False, title="Par visu")
    add_comment(app, make_user(), body="Par sadaļu kopumā.", section=2)
    rows = _rows(_export(runner, tmp_path))
    assert rows[0][0] == "Whole draft" and rows[1][1] == "The draft as a whole"
    assert rows[1][2].startswith("Non-governmental organisation: Par visu")
    assert "Slepenā biedrība" not in "".join(cell for row in rows for cell in row)
    named = [row for row in _numbered(rows) if "Ģimeņu atbalsts" in row[2]]
    assert len(named) == 1, "a position on two sections is one row"
    assert named[0][2].startswith("Biedrība “Ģimeņu atbalsts” (sections 2, 3): Par 2. un 3.")


# Wordings ---------------------------------------------------------------------------------------

def test_the_final_wording_comes_from_the_newest_version_or_says_unchanged(app, runner, demo, make_user, tmp_path):
    author = make_user()
    on_changed = add_comment(app, author, body="Lūdzu minēt arī nedēļas nogales.", section=2, paragraph=1)
    add_comment(app, author, body="Par 2.2.", section=2, paragraph=2)
    add_comment(app, author, body="Par pēdējo punktu.", section=3, paragraph=4)
    add_comment(app, author, body="Par sadaļu kopumā.", section=2)
    ids = _publish_version_two(app, {(2, 1): lambda old: old + " Pakalpojumi pieejami arī nedēļas nogalēs."},
                               removed=(3,))
    _answer(app, [f"c{on_changed}"], "accepted", changed_paragraph=ids[(2, 1)])
    path = _export(runner, tmp_path)
    by_text = {row[2].split(": ", 1)[1]: row for row in _numbered(_rows(path))}
    changed = by_text["Lūdzu minēt arī nedēļas nogales."]
    assert changed[4].startswith("2.1. ") and changed[4].endswith("Pakalpojumi pieejami arī nedēļas nogalēs.")
    assert changed[1].startswith("2.1. ") and "nedēļas nogalēs" not in changed[1], "the wording commented on"
    assert changed[3] == "Taken into account. Taken into account; the point was extended."
    assert by_text["Par 2.2."][4] == "Unchanged"
    assert by_text["Par pēdējo punktu."][4] == "The point was removed in version 2."
    assert by_text["Par sadaļu kopumā."][4] == "Changed in version 2: points 2.1"
    table = _document(path).tables[0]
    added = [run for run in table._tbl.iter(f"{W}r") if run.find(f"{W}rPr/{W}u") is not None]
    marked = "".join(text.text for run in added for text in run.iter(f"{W}t")).strip()
    assert marked == "Pakalpojumi pieejami arī nedēļas nogalēs.", "the words added are marked, nothing else"
    text = "\n".join(p.text for p in _document(path).paragraphs)
    assert "Draft version commented on: 1; final wording from version 2, published" in text


def test_a_response_naming_another_point_gives_that_point_as_the_final_wording(app, runner, demo, make_user,
                                                                              tmp_path):
    comment = add_comment(app, make_user(), body="Šo vajadzētu pārcelt uz 2.3.", section=2, paragraph=2)
    ids = _publish_version_two(app, {(2, 3): lambda _old: "Jauns 2.3. punkta teksts."})
    _answer(app, [f"c{comment}"], "accepted", changed_paragraph=ids[(2, 3)])
    row = _numbered(_rows(_export(runner, tmp_path)))[0]
    assert row[4] == "2.3. Jauns 2.3. punkta teksts."
    assert row[3].endswith("Changed: point 2.3 of version 2.")


def test_the_drafts_markdown_becomes_paragraphs_with_bold_italics_lists_and_table_rows():
    from consult.services.izzina.text import markdown_blocks
    blocks = markdown_blocks("Teksts ar **treknu** un *slīprakstu*.\n\n- pirmais\n- otrais\n\n1. viens\n\n"
                             "| Gads | Summa |\n|---|---|\n| 2014 | 13,1 |\n\n<b>nav HTML</b>")
    assert blocks == [
        [("Teksts ar ", ""), ("treknu", "b"), (" un ", ""), ("slīprakstu", "i"), (".", "")],
        [("– pirmais", "")], [("– otrais", "")], [("1. viens", "")],
        [("Gads", "b"), (" | ", ""), ("Summa", "b")], [("2014 | 13,1", "")],
        [("<b>nav HTML</b>", "")]]


def test_only_the_added_words_of_plain_text_are_marked():
    from consult.services.izzina.text import marked_changes
    old, new = [[("Pakalpojumi pieejami darbdienās.", "")]], [[("Pakalpojumi pieejami arī brīvdienās.", "")]]
    assert marked_changes(old, new) == [[("Pakalpojumi pieejami ", ""), ("arī brīvdienās", "bu"), (".", "")]]
    formatted = [[("Pakalpojumi ", ""), ("vienmēr", "b")]]
    assert marked_changes(old, formatted) == formatted, "formatted text is shown as it is"


# Languages, options, access ---------------------------------------------------------------------

def test_both_languages_have_their_own_words_and_the_decisions_of_the_izzina(app, runner, demo, make_user,
                                                                             tmp_path):
    comments = [add_comment(app, make_user(), body=f"Priekšlikums {i}.", section=2, paragraph=1) for i in range(4)]
    for comment, decision in zip(comments, ("accepted", "partly_accepted", "not_accepted", "explained")):
        _answer(app, [f"c{comment}"], decision)
    words = {}
    for lang in ("lv", "en"):
        path = _export(runner, tmp_path, lang=lang)
        document = _document(path)
        words[lang] = ([cell.text for cell in document.tables[0].rows[0].cells],
                       [row[3].split(".")[0] for row in _numbered(_rows(path))], document.paragraphs[0].text,
                       document.core_properties.language)
    assert words["lv"] == (
        ["Nr.", "Punkta redakcija komentētajā projektā", "Priekšlikums vai iebildums un tā iesniedzējs",
         "Iestādes atbilde un tās pamatojums", "Punkta galīgā redakcija"],
        ["Ņemts vērā", "Daļēji ņemts vērā", "Nav ņemts vērā", "Pieņemts zināšanai"],
        "Izziņa par sabiedriskajā konsultācijā saņemtajiem priekšlikumiem", "lv-LV")
    assert words["en"][1:] == (
        ["Taken into account", "Partly taken into account", "Not taken into account", "Noted"],
        "Report on the proposals received in the public consultation", "en-GB")


@pytest.fixture
def member(app, demo, make_user, login):
    user_id = make_user(role="workgroup", email="wg@example.test")
    add_member(app, user_id)
    return login(app.test_client(), user_id)


def test_the_export_page_downloads_the_izzina_with_the_supports_switch(app, demo, make_user, member):
    author = make_user()
    add_comment(app, author, body="Lūdzu papildināt.", section=2, paragraph=1)
    add_comment(app, author, body="Atbalstu.", section=2, paragraph=1, stance="supports")
    html = member.get(EXPORT).get_data(as_text=True)
    assert 'for="supports_as_rows"' in html
    import io

    from docx import Document
    for query, numbered in (("", 1), ("&supports_as_rows=y", 2)):
        response = member.get(f"/lv/workgroup/{DEMO}/export/?format=docx{query}")
        assert response.status_code == 200
        table = Document(io.BytesIO(response.get_data())).tables[0]
        assert table.rows[0].cells[0].text == "Nr.", "the page's language"
        assert len(_numbered([[c.text for c in r.cells] for r in table.rows[1:]])) == numbered


@pytest.mark.parametrize("role", ["citizen", "moderator", "editor", "workgroup"])
def test_people_outside_the_working_group_get_403_and_no_izzina(app, demo, make_user, login, role):
    add_comment(app, make_user(), body="Lūdzu papildināt.", section=2, paragraph=1)
    client = login(app.test_client(), make_user(role=role))
    response = client.get(EXPORT + "?format=docx&supports_as_rows=y")
    assert response.status_code == 403
    assert "Content-Disposition" not in response.headers and not response.get_data().startswith(b"PK")


# As an official opens it: LibreOffice ----------------------------------------------------------

def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CONSULT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CONSULT_REQUIRE_BROWSER=1 but {name} is missing (libreoffice-writer, poppler-utils)")
        pytest.skip(f"{name} is not installed (Debian: libreoffice-writer and poppler-utils)")
    return path


def _pdf(docx_path, tmp_path):
    """The DOCX converted by LibreOffice, with a profile of its own (another soffice may be running)."""
    soffice = _tool("soffice")
    _tool("pdfinfo")
    profile = tmp_path / "libreoffice-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx_path)], check=True, capture_output=True, timeout=300)
    pdf = docx_path.with_suffix(".pdf")
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


def _pdfinfo(pdf) -> tuple[int, float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    width, height = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups())
    return pages, width, height


def test_libreoffice_prints_it_on_a4_landscape_pages_with_the_header_on_each(app, runner, demo, tmp_path):
    from consult.services.synthetic import add_synthetic_comments
    with app.app_context():
        add_synthetic_comments(200, seed=7)
    path = _export(runner, tmp_path)
    rows = len(_numbered(_rows(path)))
    pdf = _pdf(path, tmp_path)
    pages, width, height = _pdfinfo(pdf)
    assert abs(width - 841.89) < 1 and abs(height - 595.28) < 1, "A4 landscape (297 × 210 mm)"
    # The demo with 3,000 comments gives about 13 rows a page (README); a layout that wastes room
    # (a row per support, six equal columns, Letter paper) gives 3 or 4.
    assert 2 <= pages <= 2 + rows / 8, (pages, rows)
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], check=True, capture_output=True,
                            text=True).stdout
    assert "Proposal or objection, and who made it" in second, "the header row repeats on page 2"
    assert f"Page 2 of {pages}" in second
