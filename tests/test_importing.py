"""Importing the draft from Markdown and DOCX: parsing, alignment of the languages, preview and confirm."""
from __future__ import annotations

import io
import zipfile

import pytest

from consult import refusals
from consult.services import importing
from consult.services.refusals import Refused
from consult.services.sanitize import render_markdown

from .conftest import csrf_token_from
from .test_admin import build_site, docx_bytes, snapshot
from .test_admin_uploads import post_multipart

MARKDOWN_LV = """# Sociālo pakalpojumu attīstības pamatnostādnes

## 1. Ievads

Pamatnostādnes nosaka **sociālo pakalpojumu** attīstību.

Tās izstrādāja darba grupa:

- valsts iestādes,
- pašvaldības.

## 2. Mērķi

| Rādītājs | 2014 | 2020 |
| --- | --- | --- |
| Klienti | 100 | 200 |

### Apakšmērķis

Vairāk pakalpojumu reģionos.
"""

MARKDOWN_EN = """# Guidelines for social services

## 1. Introduction

The guidelines set out how **social services** develop.

A working group drafted them:

- state institutions,
- municipalities.

## 2. Goals

| Indicator | 2014 | 2020 |
| --- | --- | --- |
| Clients | 100 | 200 |

### Sub-goal

More services in the regions.
"""


@pytest.fixture
def request_context(app):
    with app.test_request_context("/en/"):
        yield


# ---------------------------------------------------------------------------
# Markdown

def test_markdown_headings_become_sections_and_blocks_numbered_paragraphs(request_context):
    sections = importing.parse_markdown(MARKDOWN_LV.encode())
    assert [(s.number, s.title) for s in sections] == [(1, "Ievads"), (2, "Mērķi")]
    assert sections[0].paragraphs == [
        "Pamatnostādnes nosaka **sociālo pakalpojumu** attīstību.",
        "Tās izstrādāja darba grupa:",
        "- valsts iestādes,\n- pašvaldības.",
    ]
    table, sub = sections[1].paragraphs
    assert "<table>" in render_markdown(table) and "<td>Klienti</td>" in render_markdown(table)
    assert sub == "### Apakšmērķis\n\nVairāk pakalpojumu reģionos."


def test_markdown_with_only_level_one_headings(request_context):
    sections = importing.parse_markdown("# Pirmā\n\nTeksts.\n\n# Otrā\n\nVēl.\n\nUn vēl.\n".encode())
    assert [(s.title, len(s.paragraphs)) for s in sections] == [("Pirmā", 1), ("Otrā", 2)]


def test_markdown_code_fences_with_blank_lines_stay_one_paragraph(request_context):
    sections = importing.parse_markdown(b"## A\n\n```\nx\n\ny\n```\n\nTeksts.\n")
    assert len(sections[0].paragraphs) == 2


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"   \n\n  ", "The file is empty."),
    (b"Just some text\n\nwithout headings.", "no headings"),
    (b"### Too deep\n\ntext", "no headings"),
    (b"Teksts pirms.\n\n# Virsraksts\n\nTeksts.", "There is text before the first section heading"),
    (b"# A\n\n# B\n\ntext", "Section 1 (“A”) has no text under its heading."),
    (b"\xff\xfe\x00garbage\x00", "This is not a Markdown text file"),
    (b"# Virsraksts\n\n\xe9t\xe9", "not UTF-8"),
    (b"%PDF-1.4 not markdown", "This is not a Markdown text file"),
])
def test_bad_markdown_gets_a_clear_message(request_context, data, message):
    with pytest.raises(Refused) as problem:
        importing.parse_markdown(data)
    assert problem.value.code.startswith("importing.")
    assert message in refusals.message(problem.value)


# ---------------------------------------------------------------------------
# DOCX

def test_docx_headings_become_sections_and_tables_stay_tables(request_context):
    data = docx_bytes([
        ("Ievads", ["Pirmais punkts ar * zvaigzni un <b>tagu</b>.", "2014. gada pārskats."]),
        ("Finansējums", [[["Gads", "Summa"], ["2014", "1 000 | EUR"]], "Pēc tabulas."]),
    ], title="Pamatnostādnes")
    sections = importing.parse_docx(data)
    assert [(s.number, s.title, len(s.paragraphs)) for s in sections] == [(1, "Ievads", 2), (2, "Finansējums", 2)]
    first = render_markdown(sections[0].paragraphs[0])
    assert "Pirmais punkts ar * zvaigzni un &lt;b&gt;tagu&lt;/b&gt;." in first and "<b>" not in first
    assert render_markdown(sections[0].paragraphs[1]) == "<p>2014. gada pārskats.</p>\n"
    table = render_markdown(sections[1].paragraphs[0])
    assert "<table>" in table and "<th>Gads</th>" in table and "<td>1 000 | EUR</td>" in table


def test_docx_heading_2_sections_under_one_heading_1_title(request_context):
    import docx
    document = docx.Document()
    document.add_heading("Dokumenta nosaukums", level=1)
    for title in ("Pirmā", "Otrā"):
        document.add_heading(title, level=2)
        paragraph = document.add_paragraph("Teksts ar ")
        paragraph.add_run("treknu").bold = True
        paragraph.add_run(" vārdu.")
        document.add_paragraph("Punkts", style="List Bullet")
        document.add_paragraph("Vēl punkts", style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    sections = importing.parse_docx(out.getvalue())
    assert [s.title for s in sections] == ["Pirmā", "Otrā"]
    assert sections[0].paragraphs == ["Teksts ar **treknu** vārdu.", "- Punkts\n- Vēl punkts"]


def numbered_docx(blocks: list, levels=(("decimal", "%1."), ("decimal", "%1.%2."), ("lowerLetter", "%3)")),
                  restart_second_list: bool = False, heading_level_0: bool = False) -> bytes:
    """A Word document with real automatic numbering: its own definition in numbering.xml and numPr on
    each point, as Word writes a multi-level list. `blocks` are ("h", text) for a Heading 1,
    (level, text) for a numbered point, ("-", text) for a bullet and ("p", text) for plain text;
    `heading_level_0` links list level 0 to the headings, so the headings are "1.", "2." and the points
    "1.1.", as in many Latvian drafts. A ("restart", None) block starts a second list that restarts at 1."""
    import docx
    from docx.oxml import parse_xml
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    numbering = document.part.numbering_part.element
    lvl = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{kind}"/>'
                  f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                  f'<w:pPr><w:ind w:left="{(i + 1) * 567}" w:hanging="567"/></w:pPr></w:lvl>'
                  for i, (kind, text) in enumerate(levels))
    numbering.insert(0, parse_xml(f'<w:abstractNum {w} w:abstractNumId="90"><w:nsid w:val="1A2B3C4D"/>'
                                  f'<w:multiLevelType w:val="multilevel"/>{lvl}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {w} w:numId="91"><w:abstractNumId w:val="90"/>'
                               f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    num_id = "90"

    def number(paragraph, level):
        paragraph._p.get_or_add_pPr().insert(0, parse_xml(
            f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))

    for kind, text in blocks:
        if kind == "restart":
            num_id = "91"
        elif kind == "h":
            heading = document.add_paragraph(text, style="Heading 1")
            if heading_level_0:
                number(heading, 0)
        elif kind == "-":
            document.add_paragraph(text, style="List Bullet")
        elif kind == "p":
            document.add_paragraph(text)
        else:
            number(document.add_paragraph(text, style="List Paragraph"), kind)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_an_automatically_numbered_word_list_gives_one_paragraph_per_point_with_its_number(request_context):
    data = numbered_docx([
        ("h", "Vispārīgie jautājumi"),
        (0, "Noteikumi nosaka kārtību, kādā sniedz sociālos pakalpojumus."),
        (1, "Pakalpojumu sniedz pašvaldība."),
        (1, "Pakalpojumu var sniegt arī biedrība:"),
        (2, "ar reģistrētu pakalpojumu sniedzēju;"),
        (2, "ar līgumu."),
        (0, "Noteikumi stājas spēkā 2027. gada 1. janvārī."),
        ("h", "Noslēguma jautājumi"),
        (0, "Atzīt par spēku zaudējušiem iepriekšējos noteikumus."),
        ("p", "Ministre A. Bērziņa"),
    ])
    sections = importing.parse_docx(data)
    assert [s.title for s in sections] == ["Vispārīgie jautājumi", "Noslēguma jautājumi"]
    assert sections[0].paragraphs == [
        "1\\. Noteikumi nosaka kārtību, kādā sniedz sociālos pakalpojumus.",
        "1\\.1. Pakalpojumu sniedz pašvaldība.",
        "1\\.2. Pakalpojumu var sniegt arī biedrība:",
        "a) ar reģistrētu pakalpojumu sniedzēju;",
        "b) ar līgumu.",
        "2\\. Noteikumi stājas spēkā 2027. gada 1. janvārī.",
    ]
    # Numbering runs on across sections, as in the Word document.
    assert sections[1].paragraphs == ["3\\. Atzīt par spēku zaudējušiem iepriekšējos noteikumus.",
                                      "Ministre A. Bērziņa"]
    # Each shows its number as written, not as a Markdown list that would restart at 1.
    assert render_markdown(sections[0].paragraphs[2]) == "<p>1.2. Pakalpojumu var sniegt arī biedrība:</p>\n"
    assert render_markdown(sections[1].paragraphs[0]).startswith("<p>3. Atzīt")


def test_numbered_headings_count_in_the_list_so_points_read_1_1_and_2_1(request_context):
    data = numbered_docx([
        ("h", "Vispārīgie jautājumi"), (1, "Pirmais punkts."), (1, "Otrais punkts."),
        ("h", "Prasības"), (1, "Trešais punkts."), ("-", "aizzīme"), ("-", "vēl aizzīme"),
    ], heading_level_0=True)
    sections = importing.parse_docx(data)
    assert [s.title for s in sections] == ["Vispārīgie jautājumi", "Prasības"]
    assert sections[0].paragraphs == ["1\\.1. Pirmais punkts.", "1\\.2. Otrais punkts."]
    # Bullets are no numbered points: they stay one Markdown list.
    assert sections[1].paragraphs == ["2\\.1. Trešais punkts.", "- aizzīme\n- vēl aizzīme"]


def test_a_restarted_list_and_roman_or_legal_numbers(request_context):
    data = numbered_docx([("h", "A"), (0, "viens"), (1, "divi"), ("restart", None), (0, "no jauna"),
                          (1, "apakšpunkts")],
                         levels=(("upperRoman", "%1."), ("decimal", "%1.%2.")))
    sections = importing.parse_docx(data)
    assert sections[0].paragraphs == ["I. viens", "I.1. divi", "I. no jauna", "I.1. apakšpunkts"]


def test_broken_numbering_definitions_still_import(request_context):
    data = numbered_docx([("h", "A"), (0, "viens"), (1, "divi"), (5, "bez definīcijas")],
                         levels=(("decimal", "%1."), ("nonsense", "%9.%2.")))
    sections = importing.parse_docx(data)
    assert sections[0].paragraphs[0] == "1\\. viens"
    assert sections[0].paragraphs[1].endswith(" divi") and len(sections[0].paragraphs) == 3


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty."),
    (b"This is text, renamed to .docx", "This is not a Word document (.docx)"),
    (b"PK\x03\x04 broken zip", "This is not a Word document (.docx)"),
    (_zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "This is not a Word document (.docx)"),
    (_zip({"[Content_Types].xml": b"<Types>wordprocessingml.document.main+xml</Types>"}),
     "could not be read"),
])
def test_garbage_docx_gets_a_clear_message(request_context, data, message):
    with pytest.raises(Refused) as problem:
        importing.parse_docx(data)
    assert message in refusals.message(problem.value)


def test_docx_without_headings_gets_a_clear_message(request_context):
    import docx
    document = docx.Document()
    document.add_paragraph("Tikai teksts.")
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(Refused) as problem:
        importing.parse_docx(out.getvalue())
    assert "no headings" in refusals.message(problem.value)


def test_the_file_name_decides_the_format(request_context):
    with pytest.raises(Refused) as problem:
        importing.parse_file(b"# A\n\ntext", "draft.pdf")
    assert "Choose a Markdown file" in refusals.message(problem.value)
    with pytest.raises(Refused) as problem:
        importing.parse_file(b"# A\n\ntext", "draft.docx")
    assert "not a Word document" in refusals.message(problem.value)
    assert importing.parse_file(b"# A\n\ntext", "draft.MD")[0].title == "A"


# ---------------------------------------------------------------------------
# The two languages

def test_misaligned_languages_say_where(request_context):
    lv = importing.parse_markdown(b"# A\n\n1\n\n2\n\n# B\n\n1\n\n# C\n\n1\n\n2\n\n3\n\n4\n")
    en = importing.parse_markdown(b"# A\n\n1\n\n2\n\n# B\n\n1\n\n# C\n\n1\n\n2\n\n3\n")
    assert importing.alignment_problems(lv, en) == ["Section 3 has 4 paragraphs in Latvian and 3 in English."]
    shorter = importing.parse_markdown(b"# A\n\n1\n\n2\n")
    problems = importing.alignment_problems(lv, shorter)
    assert problems == ["The Latvian text has 3 sections and the English text has 1."]
    assert importing.alignment_problems(lv, lv) == []


def test_preview_token_round_trip_and_tampering(app):
    payload = {"consultation": 1, "sections": [[1, "Ā", "A", [["ā", "a"]]]]}
    token = importing.encode_preview("secret", payload)
    assert importing.decode_preview("secret", token) == payload
    assert importing.decode_preview("other secret", token) is None
    assert importing.decode_preview("secret", token[:-3] + "abc") is None
    assert importing.decode_preview("secret", "") is None
    assert importing.decode_preview("secret", "x" * (importing.MAX_TOKEN_CHARS + 1)) is None
    assert importing.decode_preview("secret", token, max_age=-1) is None


# ---------------------------------------------------------------------------
# Through the admin pages

@pytest.fixture
def empty_consultation(app, make_user, client, login):
    from consult.extensions import db
    from consult.services import authoring
    login(client, make_user(role="editor"))
    with app.app_context():
        item = authoring.create_consultation({"slug": "draft-one", "title_lv": "Projekts", "moderation_mode": "pre"})
        consultation_id = item.id
        db.session.remove()
    return consultation_id


def _upload(client, consultation_id, lv, en=None, names=("lv.md", "en.md"), **extra):
    url = f"/en/admin/consultations/{consultation_id}/import/"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    data = {"csrf_token": token, **extra}
    if lv is not None:
        data["file_lv"] = (lv, names[0])
    if en is not None:
        data["file_en"] = (en, names[1])
    return post_multipart(client, url, data)


def _confirm(client, consultation_id, preview_html, token=None):
    hidden = token if token is not None else \
        preview_html.split('name="token" type="hidden" value="', 1)[1].split('"', 1)[0]
    return client.post(f"/en/admin/consultations/{consultation_id}/import/confirm/",
                       data={"csrf_token": csrf_token_from(preview_html), "token": hidden})


def _texts(app, consultation_id):
    from consult.extensions import db
    from consult.models import Paragraph, Section, Version
    with app.app_context():
        rows = db.session.query(Section.number, Version.number, Paragraph.number, Paragraph.text_lv,
                                Paragraph.text_en).join(Paragraph, Paragraph.section_id == Section.id) \
            .join(Version, Version.id == Paragraph.version_id).filter(Section.consultation_id == consultation_id) \
            .order_by(Version.number, Section.number, Paragraph.number).all()
        db.session.remove()
    return [tuple(r) for r in rows]


def test_markdown_import_previews_first_and_saves_only_on_confirm(app, client, empty_consultation):
    response = _upload(client, empty_consultation, MARKDOWN_LV.encode(), MARKDOWN_EN.encode())
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Preview of the import" in html and "<td>Klienti</td>" in html and "<td>Clients</td>" in html
    assert "version 1" in html
    assert _texts(app, empty_consultation) == []
    confirmed = _confirm(client, empty_consultation, html)
    assert confirmed.status_code == 303 and confirmed.headers["Location"].endswith("/sections/")
    texts = _texts(app, empty_consultation)
    assert len(texts) == 5 and texts[0] == (1, 1, 1, "Pamatnostādnes nosaka **sociālo pakalpojumu** attīstību.",
                                            "The guidelines set out how **social services** develop.")
    # Confirming the same preview again does not import twice.
    again = _confirm(client, empty_consultation, html)
    assert again.status_code == 303
    assert len(_texts(app, empty_consultation)) == 5


def test_misaligned_files_are_refused_with_a_message_saying_where(app, client, empty_consultation):
    en = MARKDOWN_EN.replace("More services in the regions.\n", "More services.\n\nIn the regions.\n")
    response = _upload(client, empty_consultation, MARKDOWN_LV.encode(), en.encode(),
                       change_note_lv="paliek")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Section 2 has 2 paragraphs in Latvian and 3 in English." in html
    assert 'id="file_en-error"' in html and "<title>Error:" in html
    assert _texts(app, empty_consultation) == []


@pytest.mark.parametrize("text, line", [
    ("# Nosaukums\n\n## Ievads\n\nTeksts.\n\n## \n\nVēl teksts.\n", 7),
    ("## Ievads\n\nTeksts.\n\n#\n", 5),
    ("## Ievads\n\n> ###\n", 3),
])
def test_a_markdown_heading_with_no_text_is_refused_saying_which_line(request_context, text, line):
    assert importing.empty_heading_line(text) == line
    with pytest.raises(Refused) as problem:
        importing.parse_markdown(text.encode())
    assert problem.value.details == {"line": line}
    assert f"Line {line} is a heading with no text" in refusals.message(problem.value)


def test_an_empty_heading_is_refused_in_the_preview_and_nothing_is_saved(app, client, empty_consultation):
    before = snapshot(app)
    en = MARKDOWN_EN.replace("### Sub-goal", "### ")
    response = _upload(client, empty_consultation, MARKDOWN_LV.encode(), en.encode())
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Line 18 is a heading with no text" in html and 'id="file_en-error"' in html
    assert "Preview of the import" not in html and snapshot(app) == before
    lv = MARKDOWN_LV.replace("## 2. Mērķi", "##")
    response = _upload(client, empty_consultation, lv.encode())
    assert "Line 12 is a heading with no text" in response.get_data(as_text=True)


def test_a_numbered_word_draft_imports_one_paragraph_per_point(app, client, empty_consultation):
    lv = numbered_docx([("h", "Vispārīgie jautājumi"), (0, "Pirmais."), (1, "Apakšpunkts."), (0, "Otrais.")])
    en = numbered_docx([("h", "General provisions"), (0, "First."), (1, "Sub-point."), (0, "Second.")])
    preview = _upload(client, empty_consultation, lv, en, names=("lv.docx", "en.docx"))
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "1.1. Apakšpunkts." in html and "1.1. Sub-point." in html
    assert _confirm(client, empty_consultation, html).status_code == 303
    assert _texts(app, empty_consultation) == [
        (1, 1, 1, "1\\. Pirmais.", "1\\. First."), (1, 1, 2, "1\\.1. Apakšpunkts.", "1\\.1. Sub-point."),
        (1, 1, 3, "2\\. Otrais.", "2\\. Second.")]


@pytest.mark.parametrize("lv, name, message", [
    (None, "lv.md", "Choose the file with the Latvian text."),
    (b"", "lv.md", "The file is empty."),
    (b"plain text", "lv.md", "no headings"),
    (b"plain text", "lv.docx", "This is not a Word document"),
    (b"%PDF-1.4", "lv.pdf", "Choose a Markdown file"),
    (b"\x00\x01\x02", "lv.md", "not a Markdown text file"),
])
def test_bad_files_are_refused_and_nothing_is_saved(app, client, empty_consultation, lv, name, message):
    before = snapshot(app)
    response = _upload(client, empty_consultation, lv, names=(name, "en.md"))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_an_oversized_file_gets_a_message(app, client, empty_consultation):
    big = b"# A\n\n" + b"x" * (importing.MAX_FILE_BYTES + 10)
    response = _upload(client, empty_consultation, big)
    assert response.status_code == 400
    assert "larger than 12 MB" in response.get_data(as_text=True)


def test_two_files_over_the_limit_each_get_the_limit_beside_their_field(app, client, empty_consultation):
    before = snapshot(app)
    big = b"# A\n\n" + b"x" * (20 * 1024 * 1024)
    response = _upload(client, empty_consultation, big, big)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert html.count("The file is larger than 12 MB.") >= 2
    assert 'id="file_lv-error"' in html and 'id="file_en-error"' in html and "up to 12 MB" in html
    assert snapshot(app) == before


def test_a_tampered_or_foreign_preview_is_refused(app, client, empty_consultation):
    html = _upload(client, empty_consultation, MARKDOWN_LV.encode()).get_data(as_text=True)
    forged = importing.encode_preview("not the key", {"consultation": empty_consultation})
    response = _confirm(client, empty_consultation, html, token=forged)
    assert response.status_code == 303 and response.headers["Location"].endswith("/import/")
    assert _texts(app, empty_consultation) == []
    token = html.split('name="token" type="hidden" value="', 1)[1].split('"', 1)[0]
    payload = importing.decode_preview(app.secret_key, token)
    foreign = importing.encode_preview(app.secret_key, {**payload, "consultation": empty_consultation + 1})
    assert _confirm(client, empty_consultation, html, token=foreign).status_code == 303
    assert _texts(app, empty_consultation) == []
    # The same token from another editor's session is refused too.
    payload["user"] = payload["user"] + 1000
    assert _confirm(client, empty_consultation, html,
                    token=importing.encode_preview(app.secret_key, payload)).status_code == 303
    assert _texts(app, empty_consultation) == []


def test_docx_import_into_a_published_draft_creates_version_2_with_a_change_note(app, client, make_user, login):
    ids = build_site(app, make_user)
    login(client, make_user(role="editor"))
    cid = ids["consultation"]
    from consult.extensions import db
    from consult.services import authoring
    with app.app_context():
        authoring.publish_version(authoring.version(authoring.consultation(cid), 1))
        db.session.remove()
    lv = docx_bytes([("Ievads", ["Pirmais punkts, labots."]), ("Mērķi", ["Otrais punkts."]),
                     ("Jauna sadaļa", [[["A", "B"], ["1", "2"]]])])
    en = docx_bytes([("Introduction", ["First paragraph, revised."]), ("Goals", ["Second paragraph."]),
                     ("New section", [[["A", "B"], ["1", "2"]]])])
    missing_note = _upload(client, cid, lv, en, names=("lv.docx", "en.docx"))
    assert missing_note.status_code == 400
    assert "Describe what changed in this version, in Latvian." in missing_note.get_data(as_text=True)
    preview = _upload(client, cid, lv, en, names=("lv.docx", "en.docx"), change_note_lv="Labots 1.1.",
                      change_note_en="1.1 revised.")
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "creates version 2" in html and "Labots 1.1." in html
    assert _confirm(client, cid, html).status_code == 303
    texts = _texts(app, cid)
    assert (1, 2, 1, "Pirmais punkts, labots.", "First paragraph, revised.") in texts
    assert (1, 1, 1, "Pirmais punkts.", "First paragraph.") in texts     # version 1 is kept
    assert any(t[0] == 3 and "| A | B |" in t[3] for t in texts)
    with app.app_context():
        version = authoring.version(authoring.consultation(cid), 2)
        assert version.published_at is None and version.change_note_lv == "Labots 1.1."
        assert [s.title_en for s in authoring.sections(authoring.consultation(cid))] == \
            ["Introduction", "Goals", "New section"]
        db.session.remove()
