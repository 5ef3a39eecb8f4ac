"""The theme and electronic-signature columns of the working group's exports and feedback table, in both languages."""
from __future__ import annotations

import io
import json
from datetime import datetime

import pytest

from .pages import DEMO
from .test_exports import _cli_export, _csv_rows, content, member  # noqa: F401 - fixtures
from .test_workgroup import add_comment

SIGNED_AT = datetime(2024, 1, 15, 9, 30)   # UTC; 11:30 in Riga
THEME = "Atbalsts ģimenēm"
SIGNER = "Jānis Bērziņš"
HIDDEN_SIGNER = "Slepenais Parakstītājs"
ISSUER = "Testa sertifikātu centrs"

HEADERS = {
    "en": {"theme": "Theme", "status": "Electronic signature", "signer": "Signed by",
           "issuer": "Certificate authority", "time": "Signing time (Riga time)"},
    "lv": {"theme": "Tēma", "status": "Elektroniskais paraksts", "signer": "Parakstītājs",
           "issuer": "Sertifikāta izdevējs", "time": "Parakstīšanas laiks (Rīgas laiks)"},
}
WORDS = {
    "en": {"other": "Other", "valid": "Signature valid", "unverified": "Signed; signer not verified",
           "comment": "Comment", "position": "Position", "comments": "Comments", "positions": "Positions"},
    "lv": {"other": "Citi", "valid": "Paraksts derīgs", "unverified": "Parakstīts; parakstītājs nav pārbaudīts",
           "comment": "Komentārs", "position": "Viedoklis", "comments": "Komentāri", "positions": "Viedokļi"},
}


@pytest.fixture
def extra(app, content):  # noqa: F811 - the fixture imported above
    """A theme (named) and the unnamed "other" group in the whole consultation's set, a section's set
    that the exports leave aside, a comment in no theme, and signatures on both positions."""
    from consult.extensions import db
    from consult.models import Consultation, Position, PositionSignature, Section
    from consult.models.theme import Theme, ThemeMember, ThemeSet
    unthemed = add_comment(app, _author(app), body="Jauns komentārs pēc tēmu aprēķina", section=2)
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        whole = ThemeSet(consultation_id=consultation.id, scope="all", items=3)
        section = db.session.query(Section).filter_by(consultation_id=consultation.id, number=2).first()
        part = ThemeSet(consultation_id=consultation.id, section_id=section.id, scope=f"section-{section.id}")
        db.session.add_all([whole, part])
        db.session.flush()
        named = Theme(theme_set_id=whole.id, name=THEME, phrases="atbalsts\nģimenes")
        other = Theme(theme_set_id=whole.id, is_other=True)
        elsewhere = Theme(theme_set_id=part.id, name="Sadaļas tēma")
        db.session.add_all([named, other, elsewhere])
        db.session.flush()
        db.session.add_all([
            ThemeMember(theme_set_id=whole.id, theme_id=named.id, comment_id=content["latvian"]),
            ThemeMember(theme_set_id=whole.id, theme_id=named.id, position_id=content["position"]),
            ThemeMember(theme_set_id=whole.id, theme_id=other.id, comment_id=content["formula0"]),
            ThemeMember(theme_set_id=part.id, theme_id=elsewhere.id, comment_id=unthemed),
        ])
        signed = db.session.get(Position, content["position"])
        signed.signature_status = "valid"
        signed.signatures = [PositionSignature(signer_name=SIGNER, issuer_name=ISSUER, signed_at=SIGNED_AT,
                                               status="valid")]
        anonymous = db.session.get(Position, content["anonymous_position"])
        anonymous.signature_status = "unverified"
        anonymous.signatures = [PositionSignature(signer_name=HIDDEN_SIGNER, issuer_name="Cits centrs",
                                                  signed_at=None, status="unverified")]
        db.session.commit()
        return {**content, "unthemed": unthemed, "theme": named.id, "other": other.id}


def _author(app):
    from consult.extensions import db
    from consult.models import User
    with app.app_context():
        return db.session.query(User).filter_by(email="janis.ozolins@example.test").one().id


@pytest.mark.parametrize("lang", ["en", "lv"])
def test_csv_has_the_theme_and_the_signature_columns(app, runner, extra, tmp_path, lang):
    result, output = _cli_export(runner, tmp_path, "csv", "--lang", lang)
    assert result.exit_code == 0, result.output
    rows = _csv_rows(output.read_bytes())
    header, h, w = rows[0], HEADERS[lang], WORDS[lang]
    assert header[-5:] == [h["theme"], h["status"], h["signer"], h["issuer"], h["time"]]
    by_id = {(row[1], row[2]): dict(zip(header, row)) for row in rows[1:]}
    comment = lambda key: by_id[(w["comment"], str(extra[key]))]   # noqa: E731
    position = lambda key: by_id[(w["position"], str(extra[key]))]  # noqa: E731
    assert comment("latvian")[h["theme"]] == THEME
    assert comment("formula0")[h["theme"]] == w["other"], "the unnamed group in the export's language"
    assert comment("formula1")[h["theme"]] == "" and comment("unthemed")[h["theme"]] == "", \
        "no theme in the whole consultation's set: empty (a section's set is not the export's)"
    assert all(comment("latvian")[h[key]] == "" for key in ("status", "signer", "issuer", "time"))
    signed = position("position")
    assert signed[h["theme"]] == THEME
    assert (signed[h["status"]], signed[h["signer"]], signed[h["issuer"]], signed[h["time"]]) == \
        (w["valid"], SIGNER, ISSUER, "2024-01-15 11:30")
    anonymous = position("anonymous_position")
    assert (anonymous[h["status"]], anonymous[h["signer"]], anonymous[h["issuer"]], anonymous[h["time"]]) == \
        (w["unverified"], "", "Cits centrs", ""), "the signer is not named where the organisation is not"
    assert HIDDEN_SIGNER not in output.read_bytes().decode("utf-8-sig")


@pytest.mark.parametrize("lang", ["en", "lv"])
def test_xlsx_sheets_have_the_theme_and_the_positions_sheet_the_signatures(app, runner, extra, tmp_path, lang):
    from openpyxl import load_workbook
    result, output = _cli_export(runner, tmp_path, "xlsx", "--lang", lang)
    assert result.exit_code == 0, result.output
    workbook = load_workbook(output)
    h, w = HEADERS[lang], WORDS[lang]
    comments = list(workbook[w["comments"]].iter_rows(values_only=True))
    header = comments[0]
    assert h["theme"] in header and h["status"] not in header, "signatures belong to positions"
    themes = {row[0]: row[header.index(h["theme"])] for row in comments[1:]}
    assert themes[extra["latvian"]] == THEME and themes[extra["formula0"]] == w["other"]
    assert themes[extra["formula1"]] is None and themes[extra["unthemed"]] is None
    positions = list(workbook[w["positions"]].iter_rows(values_only=True))
    header = positions[0]
    rows = {row[0]: dict(zip(header, row)) for row in positions[1:]}
    signed = rows[extra["position"]]
    assert (signed[h["theme"]], signed[h["status"]], signed[h["signer"]], signed[h["issuer"]], signed[h["time"]]) \
        == (THEME, w["valid"], SIGNER, ISSUER, "2024-01-15 11:30")
    anonymous = rows[extra["anonymous_position"]]
    assert (anonymous[h["theme"]], anonymous[h["status"]], anonymous[h["signer"]]) == (None, w["unverified"], None)
    values = [str(c.value) for s in workbook.worksheets for r in s.iter_rows() for c in r if c.value is not None]
    assert not any(HIDDEN_SIGNER in value for value in values)
    assert workbook[w["positions"]].auto_filter.ref.endswith(f"{len(positions)}")


@pytest.mark.parametrize("lang", ["en", "lv"])
def test_json_has_the_theme_id_and_label_and_each_signature(app, runner, extra, tmp_path, lang):
    result, output = _cli_export(runner, tmp_path, "json", "--lang", lang)
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text(encoding="utf-8"))
    w = WORDS[lang]
    comments = {item["id"]: item for item in data["comments"]}
    assert (comments[extra["latvian"]]["theme"], comments[extra["latvian"]]["theme_label"]) == (extra["theme"], THEME)
    assert (comments[extra["formula0"]]["theme"], comments[extra["formula0"]]["theme_label"]) == \
        (extra["other"], w["other"])
    assert (comments[extra["unthemed"]]["theme"], comments[extra["unthemed"]]["theme_label"]) == (None, None)
    assert "signatures" not in comments[extra["latvian"]]
    positions = {item["id"]: item for item in data["positions"]}
    signed = positions[extra["position"]]
    assert (signed["theme"], signed["theme_label"]) == (extra["theme"], THEME)
    assert (signed["signature_status"], signed["signature_status_label"]) == ("valid", w["valid"])
    assert signed["signatures"] == [{"signer": SIGNER, "issuer": ISSUER, "signed_at": "2024-01-15T11:30:00+02:00",
                                     "status": "valid", "status_label": w["valid"]}]
    anonymous = positions[extra["anonymous_position"]]
    assert anonymous["theme"] is None and anonymous["signature_status"] == "unverified"
    assert anonymous["signatures"] == [{"signer": None, "issuer": "Cits centrs", "signed_at": None,
                                        "status": "unverified", "status_label": w["unverified"]}]
    assert HIDDEN_SIGNER not in output.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, named, unnamed", [
    ("en", f"Signed by {SIGNER}, certificate issued by {ISSUER}, 2024-01-15 11:30 — signature valid.",
     "Signed electronically, certificate issued by Cits centrs — signed; signer not verified."),
    ("lv", f"Parakstītājs: {SIGNER}; sertifikāta izdevējs: {ISSUER}, 2024-01-15 11:30 — paraksts derīgs.",
     "Parakstīts elektroniski; sertifikāta izdevējs: Cits centrs — parakstīts; parakstītājs nav pārbaudīts."),
])
def test_the_izzina_says_who_signed_under_the_organisations_name(app, runner, extra, tmp_path, lang, named, unnamed):
    from docx import Document
    result, output = _cli_export(runner, tmp_path, "docx", "--lang", lang)
    assert result.exit_code == 0, result.output
    cells = [row.cells[2] for row in Document(str(output)).tables[0].rows[1:]]
    signed = next(cell for cell in cells if "Biedrība “Ģimeņu atbalsts”" in cell.text)
    assert signed.paragraphs[0].text == f"Biedrība “Ģimeņu atbalsts”: {named}"
    assert signed.paragraphs[1].text == "Biedrības viedoklis", "the title follows on its own line"
    anonymous = next(cell for cell in cells if "Anonīms viedoklis" in cell.text)
    assert anonymous.paragraphs[0].text.endswith(": " + unnamed)
    assert not any(HIDDEN_SIGNER in cell.text for cell in cells)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "docx"])
def test_web_exports_in_latvian_carry_the_columns(app, extra, member, fmt):  # noqa: F811
    response = member.get(f"/lv/workgroup/{DEMO}/export/?format={fmt}")
    assert response.status_code == 200
    data = response.get_data()
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        assert "Tēma" in text and "Paraksts derīgs" in text and "Citi" in text
    elif fmt == "json":
        text = data.decode("utf-8")
        assert '"theme_label": "Citi"' in text and '"signature_status_label": "Paraksts derīgs"' in text
    elif fmt == "xlsx":
        from openpyxl import load_workbook
        workbook = load_workbook(io.BytesIO(data))
        assert "Tēma" in next(workbook["Komentāri"].iter_rows(values_only=True))
        assert "Parakstītājs" in next(workbook["Viedokļi"].iter_rows(values_only=True))
    else:
        from docx import Document
        document = Document(io.BytesIO(data))
        assert any(f"Parakstītājs: {SIGNER}" in row.cells[2].text for row in document.tables[0].rows)
    assert HIDDEN_SIGNER.encode("utf-8") not in data


@pytest.mark.parametrize("lang, theme_word, signed_by", [
    ("en", "Theme:", f"Signed by {SIGNER}, certificate issued by {ISSUER}"),
    ("lv", "Tēma:", f"Parakstītājs: {SIGNER}; sertifikāta izdevējs: {ISSUER}"),
])
def test_the_feedback_table_shows_the_theme_and_who_signed(app, extra, member, lang, theme_word, signed_by):  # noqa: F811
    html = member.get(f"/{lang}/workgroup/{DEMO}/?per_page=100").get_data(as_text=True)
    link = f'href="/{lang}/workgroup/{DEMO}/themes/{extra["theme"]}/">{THEME}</a>'
    row = html.split(f'id="row-c{extra["latvian"]}"', 1)[1].split("</tr>", 1)[0]
    assert theme_word in row and link in row
    row = html.split(f'id="row-c{extra["unthemed"]}"', 1)[1].split("</tr>", 1)[0]
    assert theme_word not in row
    row = html.split(f'id="row-p{extra["position"]}"', 1)[1].split("</tr>", 1)[0]
    assert signed_by in row and 'datetime="2024-01-15T09:30:00Z"' in row
    assert WORDS[lang]["valid"] in row and link in row


@pytest.mark.parametrize("role", ["citizen", "organisation", "moderator", "editor", "workgroup"])
def test_other_roles_see_neither_the_table_nor_the_columns(app, extra, make_user, login, role):
    client = login(app.test_client(), make_user(role=role))   # a working-group user, but not in this group
    for url in (f"/lv/workgroup/{DEMO}/", f"/lv/workgroup/{DEMO}/export/?format=json"):
        response = client.get(url)
        assert response.status_code == 403
        assert THEME.encode("utf-8") not in response.get_data() and SIGNER.encode("utf-8") not in response.get_data()


def test_several_signatures_line_up_in_their_cells(app, runner, extra, tmp_path):
    from consult.extensions import db
    from consult.models import Position, PositionSignature
    with app.app_context():
        position = db.session.get(Position, extra["position"])
        position.signatures.append(PositionSignature(signer_name="Otrā Parakstītāja", issuer_name="",
                                                     signed_at=None, status="broken"))
        position.signature_status = "broken"
        db.session.commit()
    result, output = _cli_export(runner, tmp_path, "csv", "--lang", "lv")
    assert result.exit_code == 0, result.output
    rows = _csv_rows(output.read_bytes())
    signed = next(row for row in rows if row[1] == "Viedoklis" and row[2] == str(extra["position"]))
    assert signed[-4:] == ["Paraksts bojāts", f"{SIGNER}; Otrā Parakstītāja", f"{ISSUER}; –",
                           "2024-01-15 11:30; –"], "the worst status; each signer beside their authority and time"


def test_the_table_with_themes_and_signers_and_the_refused_conclusion_are_valid_html(app, extra, member, make_user,  # noqa: F811
                                                                                     login):
    from consult.extensions import db
    from consult.models import Consultation

    from .test_html_valid import check_html
    from .test_workgroup import set_status
    set_status(app, "closed")
    with app.app_context():
        cid = db.session.query(Consultation).filter_by(slug=DEMO).one().id
    editor = login(app.test_client(), make_user(role="editor"))
    pages = {}
    for lang in ("lv", "en"):
        pages[f"table {lang}"] = member.get(f"/{lang}/workgroup/{DEMO}/?per_page=100").get_data(as_text=True)
        pages[f"conclude {lang}"] = editor.get(f"/{lang}/admin/consultations/{cid}/status/concluded/") \
            .get_data(as_text=True)
    assert "signature-line" in pages["table lv"] and "flash-error" in pages["conclude en"]
    assert check_html(pages) == []
