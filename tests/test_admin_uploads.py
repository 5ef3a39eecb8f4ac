"""Documents: checked by content, named safely, stored atomically outside static/, shown with type and size."""
from __future__ import annotations

import io
import os
import zipfile

import pytest

from consult.demo import minimal_pdf
from consult.services import uploads
from consult.services.refusals import Refused

from .conftest import csrf_token_from
from .test_admin import build_site, docx_bytes, snapshot


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def _ole2(stream_name: str) -> bytes:
    """Just enough of a compound file: the magic number and a directory entry naming the stream."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + stream_name.encode("utf-16-le") + b"\x00" * 64


XLSX = _zip({"[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument'
                                    b'.spreadsheetml.sheet.main+xml"/></Types>', "xl/workbook.xml": b"<x/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})


@pytest.mark.parametrize("data, name, kind", [
    (minimal_pdf(["Hello"]), "a.pdf", "pdf"),
    (docx_bytes([("A", ["b"])]), "a.docx", "docx"),
    (XLSX, "a.xlsx", "xlsx"),
    (ODT, "a.odt", "odt"),
    (ODS, "a.ods", "ods"),
    (_ole2("WordDocument"), "a.doc", "doc"),
    (_ole2("Workbook"), "a.xls", "xls"),
])
def test_real_files_are_recognised_by_their_content(data, name, kind):
    checked = uploads.check_document(data, name)
    assert checked.kind.extension == kind and checked.display_name == name and checked.size == len(data)


@pytest.mark.parametrize("data, name, code", [
    (b"Just text, renamed.", "report.pdf", "type"),
    (b"<!doctype html><script>alert(1)</script>", "page.pdf", "type"),
    (b"<!doctype html><script>alert(1)</script>", "page.html", "type"),
    (b"", "empty.pdf", "empty"),
    (b"%PDF-1.4 but never ends", "cut.pdf", "type"),
    (b"PK\x03\x04 not a real zip", "a.docx", "type"),
    (_zip({"readme.txt": b"hi"}), "a.docx", "type"),
    (_ole2("SomethingElse"), "a.doc", "type"),
    (XLSX, "table.docx", "mismatch"),
    (minimal_pdf(["x"]), "report.docx", "mismatch"),
])
def test_files_that_are_not_what_they_say_are_refused(data, name, code):
    with pytest.raises(Refused) as refused:
        uploads.check_document(data, name)
    assert refused.value.code == f"upload.{code}"


def test_a_file_over_25_mb_is_refused():
    with pytest.raises(Refused) as refused:
        uploads.read_limited(io.BytesIO(b"%PDF-" + b"0" * uploads.MAX_UPLOAD_BYTES))
    assert refused.value.code == "upload.too_large"
    assert len(uploads.read_limited(io.BytesIO(b"x" * 100))) == 100


@pytest.mark.parametrize("raw, shown", [
    ("Pārskats par 2013. gadu.pdf", "Pārskats par 2013. gadu.pdf"),
    ("C:\\Users\\anna\\Darbs\\Ziņojums.pdf", "Ziņojums.pdf"),
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("evil\r\nSet-Cookie: x.pdf", "evil Set-Cookie: x.pdf"),
    ("\u202egnp.pdf", "gnp.pdf"),
    ("zero\u200bwidth\ufeff.pdf", "zerowidth.pdf"),
    ("", "document"),
    ("...", "document"),
])
def test_display_names_keep_latvian_letters_and_lose_paths_and_invisible_characters(raw, shown):
    assert uploads.clean_display_name(raw) == shown


def test_a_display_name_without_the_right_extension_gets_it():
    assert uploads.check_document(minimal_pdf(["x"]), "Pārskats").display_name == "Pārskats.pdf"
    assert len(uploads.clean_display_name("ā" * 500 + ".pdf")) == 200


def test_stored_files_are_written_atomically(tmp_path):
    staged = uploads.StagedFile(str(tmp_path), b"data")
    assert os.listdir(tmp_path) == [staged.stored_name + ".tmp"]
    assert staged.commit() == staged.stored_name
    assert os.listdir(tmp_path) == [staged.stored_name] and len(staged.stored_name) == 32
    other = uploads.StagedFile(str(tmp_path), b"more")
    other.discard()
    assert os.listdir(tmp_path) == [staged.stored_name]
    os.utime(tmp_path / staged.stored_name, (0, 0))
    assert uploads.sweep_orphans(str(tmp_path), known=set()) == [staged.stored_name]


# ---------------------------------------------------------------------------
# Through the documents page

@pytest.fixture
def site(app, make_user, client, login):
    ids = build_site(app, make_user)
    login(client, make_user(role="editor"))
    return ids


def _upload(client, cid, data, name, title="Ziņojums"):
    url = f"/en/admin/consultations/{cid}/documents/"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return post_multipart(client, url, {"csrf_token": token, "title_lv": title, "title_en": "Report",
                                        "file": (data, name)})


def post_multipart(client, url, fields: dict):
    """POSTs a multipart form encoded in memory (large bodies leave no temporary file open)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart
    values = {key: FileStorage(io.BytesIO(value[0]), filename=value[1]) if isinstance(value, tuple) else value
              for key, value in fields.items()}
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_editor_uploads_a_pdf_and_it_is_stored_outside_static(app, client, site):
    response = _upload(client, site["consultation"], minimal_pdf(["Report"]), "Gada pārskats.pdf")
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Gada pārskats.pdf" in html and "PDF" in html
    from consult.extensions import db
    from consult.models import Document
    with app.app_context():
        document = db.session.query(Document).filter_by(file_name="Gada pārskats.pdf").one()
        stored = os.path.join(app.config["UPLOAD_DIR"], document.stored_name)
        assert os.path.isfile(stored) and "static" not in stored
        assert document.content_type == "application/pdf"
        document_id = document.id
    download = client.get(f"/en/admin/consultations/{site['consultation']}/documents/{document_id}/download/")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Content-Security-Policy"] == "sandbox"
    download.close()


@pytest.mark.parametrize("data, name, message", [
    (b"Not a PDF at all", "fake.pdf", "This file is not a PDF, Word, Excel or OpenDocument file."),
    (b"<html><body>hi</body></html>", "page.html", "This file is not a PDF, Word, Excel or OpenDocument file."),
    (b"", "empty.pdf", "The file is empty."),
    (XLSX, "table.docx", "The file&#39;s name says DOCX, but its content is XLSX."),
])
def test_bad_uploads_get_a_message_beside_the_field(app, client, site, data, name, message):
    before = snapshot(app)
    files_before = sorted(os.listdir(app.config["UPLOAD_DIR"]))
    response = _upload(client, site["consultation"], data, name)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'id="file-error"' in html and "<title>Error:" in html
    assert 'value="Ziņojums"' in html
    assert snapshot(app) == before
    assert sorted(os.listdir(app.config["UPLOAD_DIR"])) == files_before


def test_an_upload_just_over_25_mb_gets_a_message_not_a_413(app, client, site):
    data = minimal_pdf(["x"])
    big = data[:-6] + b" " * (uploads.MAX_UPLOAD_BYTES + 1 - len(data)) + data[-6:]
    response = _upload(client, site["consultation"], big, "big.pdf")
    assert response.status_code == 400
    assert "The file is larger than 25 MB." in response.get_data(as_text=True)


@pytest.mark.parametrize("lang, message", [("en", "The file is larger than 25 MB."),
                                            ("lv", "Fails ir lielāks par 25 MB.")])
def test_a_file_far_over_the_limit_keeps_the_form_and_says_the_limit_beside_the_field(app, client, site, lang,
                                                                                      message):
    url = f"/{lang}/admin/consultations/{site['consultation']}/documents/"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    before = snapshot(app)
    files_before = sorted(os.listdir(app.config["UPLOAD_DIR"]))
    response = post_multipart(client, url, {"csrf_token": token, "title_lv": "Milzīgs",
                                            "file": (b"%PDF-" + b"0" * (40 * 1024 * 1024), "huge.pdf")})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'id="file-error"' in html and 'value="Milzīgs"' in html
    assert snapshot(app) == before and sorted(os.listdir(app.config["UPLOAD_DIR"])) == files_before


def test_a_request_over_the_site_limit_gets_a_page_with_the_limit_and_a_way_back(app, client, site, monkeypatch):
    url = f"/lv/admin/consultations/{site['consultation']}/documents/"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    before = snapshot(app)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", int(2.5 * 1024 * 1024))
    response = post_multipart(client, url, {"csrf_token": token, "title_lv": "Milzīgs",
                                            "file": (b"%PDF-" + b"0" * (3 * 1024 * 1024), "huge.pdf")})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "2,5 MB" in html and f'<a href="/lv/admin/consultations/{site["consultation"]}/documents/">' in html
    assert snapshot(app) == before


def test_sizes_are_written_for_the_page_language(app):
    from consult.uploads_limit import FILE_CAP, LIMITS, megabytes
    with app.test_request_context("/lv/"):
        from flask import g
        g.lang = "lv"
        assert [megabytes(n) for n in (12 * 1024 * 1024, int(2.5 * 1024 * 1024), 1500 * 1024 * 1024)] == \
            ["12", "2,5", "1\xa0500"]
    with app.test_request_context("/en/"):
        assert megabytes(int(2.5 * 1024 * 1024)) == "2.5" and megabytes(1500 * 1024 * 1024) == "1,500"
    assert FILE_CAP > max(LIMITS.values()) and app.config["MAX_CONTENT_LENGTH"] > 2 * FILE_CAP


def test_deleting_a_document_asks_first_and_removes_the_file(app, client, site):
    from consult.extensions import db
    from consult.models import Document
    with app.app_context():
        stored = db.session.get(Document, site["document"]).stored_name
    url = f"/en/admin/consultations/{site['consultation']}/documents/{site['document']}/delete/"
    page = client.get(url)
    assert page.status_code == 200 and "Delete a document?" in page.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token_from(page.get_data(as_text=True))})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Document, site["document"]) is None
    assert not os.path.exists(os.path.join(app.config["UPLOAD_DIR"], stored))


def test_a_citizen_sending_a_large_file_to_the_documents_page_gets_403(app, client, make_user, login):
    ids = build_site(app, make_user)
    login(client, make_user(role="citizen"))
    before = snapshot(app)
    token = csrf_token_from(client.get("/en/account/").get_data(as_text=True))
    response = post_multipart(client, f"/en/admin/consultations/{ids['consultation']}/documents/",
                              {"csrf_token": token, "title_lv": "Milzīgs",
                               "file": (b"%PDF-" + b"0" * (30 * 1024 * 1024), "huge.pdf")})
    assert response.status_code == 403
    assert snapshot(app) == before
