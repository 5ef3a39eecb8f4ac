"""Every working-group, admin-workgroup and outcome page is valid HTML (Nu Html Checker), in both languages."""
from __future__ import annotations

import io

from .conftest import csrf_token_from, form_post
from .pages import DEMO, PUBLISH
from .test_html_valid import check_html
from .test_workgroup import add_comment, add_member, add_position, set_status


def test_working_group_pages_are_valid_html(app, demo, make_user, login, tmp_path):
    from consult.extensions import db
    from consult.models import Consultation, Response
    member = make_user(role="admin", display_name="Darba grupas vadītāja")
    add_member(app, member, subgroups=(0,))
    make_user(role="workgroup", email="otra@example.test")
    client = app.test_client()
    login(client, member)
    author = make_user(display_name="Ēriks Šķēle")
    first = add_comment(app, author, body="Prasām vairāk dienas centru <b>tūlīt</b>!", section=1, paragraph=1,
                        show_name=True)
    add_comment(app, author, body="prasām vairāk dienas centru tūlīt", section=1)
    add_comment(app, author, body="=HYPERLINK(\"http://evil.example\")", section=2)
    position = add_position(app, make_user(role="organisation"), sections=(1, 2))
    with app.app_context():   # offline submissions, as the working group enters them
        from consult.services.submissions import import_file
        import_file(db.session.query(Consultation).filter_by(slug=DEMO).one(), (
            "section,paragraph,text,organisation,received date,channel\n"
            "1,1,Vēstule par termiņiem.,Biedrība „Ābele”,2026-03-02,letter\n"
            "2,,Sanāksmē teiktais.,,2026-03-03,meeting\n").encode(), "a.csv")
    table = f"/lv/workgroup/{DEMO}/"
    form_post(client, table + "bulk/", {"items": [f"c{first}", f"p{position}"], "action": "tag", "tag": "Ātri"},
              page_url=table)
    form_post(client, f"{table}responses/new/?items=c{first}", {"items": [f"c{first}"], "decision": "accepted",
                                                                "justification_lv": "Ņemts vērā."})
    with app.app_context():
        response_id = db.session.query(Response).one().id
        cid = db.session.query(Consultation).filter_by(slug=DEMO).one().id
    pages = {}
    for lang in ("lv", "en"):
        base = f"/{lang}/workgroup/{DEMO}/"
        for path in ("/{lang}/workgroup/", base, base + "?status=all&per_page=50", base + "?date_from=bad",
                     base + "summary/", base + "export/", base + "submissions/", base + "export/?format=pdf&since=x",
                     base + "export/?format=csv&stance=x&decision=y&campaign=9&delimiter=%7C", base + "publish/",
                     f"{base}responses/new/?items=c{first}&items=p{position}", f"{base}responses/{response_id}/",
                     f"{base}responses/bulk/?stance=proposes", base + "?assignee=me&decision=draft",
                     f"/{lang}/admin/workgroups/", f"/{lang}/admin/workgroups/{cid}/"):
            url = path.format(lang=lang)
            response = client.get(url)
            assert response.status_code in (200, 400), (url, response.status_code)
            pages[url] = response.get_data(as_text=True)
        token = csrf_token_from(pages[base])
        pages[f"{base}bulk/ (errors)"] = client.post(base + "bulk/", data={"csrf_token": token, "action": "tag",
                                                                           "tag": ""}).get_data(as_text=True)
        pages[f"{base}responses/new/ (errors)"] = client.post(
            f"{base}responses/new/?items=c{first}",
            data={"csrf_token": token, "items": [f"c{first}"], "decision": "", "justification_lv": ""},
        ).get_data(as_text=True)
        pages[f"{base}responses/bulk/ (confirm)"] = client.post(f"{base}responses/bulk/?stance=proposes", data={
            "csrf_token": token, "decision": "explained", "justification_lv": "Skaidrots.", "then": "draft"}
        ).get_data(as_text=True)
        pages[f"{base}responses/bulk/ (changed)"] = client.post(f"{base}responses/bulk/?stance=proposes", data={
            "csrf_token": token, "decision": "explained", "justification_lv": "Skaidrots.", "then": "draft",
            "step": "confirm", "confirmed_count": "1"}).get_data(as_text=True)
        pages[f"{base}responses/send-back/ (errors)"] = client.post(
            f"{base}responses/{response_id}/send-back/", data={"csrf_token": token, "note": ""}).get_data(as_text=True)
        pages[f"{base}submissions/ (errors)"] = client.post(base + "submissions/", data={
            "csrf_token": token, "section": "99", "received_date": "x", "text": "<b>vēstule</b>"},
        ).get_data(as_text=True)
        pages[f"{base}submissions/import/ (errors)"] = client.post(
            base + "submissions/import/", content_type="multipart/form-data", data={
                "csrf_token": token, "file": (io.BytesIO(b"section,text,received date,channel\n1,=1,x,fax\n"),
                                              "a.csv")},
        ).get_data(as_text=True)
        pages[f"/{lang}/admin/workgroups/{cid}/ (errors)"] = client.post(
            f"/{lang}/admin/workgroups/{cid}/", data={"csrf_token": token, "email": "nav@example.test"}
        ).get_data(as_text=True)
    set_status(app, "closed")
    form_post(client, f"/lv/workgroup/{DEMO}/publish/", PUBLISH)
    for lang in ("lv", "en"):
        pages[f"/{lang}/consultations/{DEMO}/outcome/"] = client.get(
            f"/{lang}/consultations/{DEMO}/outcome/").get_data(as_text=True)
        pages[f"/{lang}/consultations/{DEMO}/"] = client.get(f"/{lang}/consultations/{DEMO}/").get_data(as_text=True)
    assert all("style=" not in html for html in pages.values())
    assert check_html(pages, tmp_path) == []
