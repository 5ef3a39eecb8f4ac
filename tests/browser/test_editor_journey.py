"""An editor imports the draft from Word in both languages, publishes it section by section,
then publishes a revised version; a visitor sees only what is published and what changed."""
from __future__ import annotations

import io
import re

from playwright.sync_api import expect

from ..conftest import PASSWORD


def _docx(path, title: str, sections: list[tuple[str, list]]) -> str:
    import docx
    document = docx.Document()
    document.add_heading(title, level=0)
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        for item in paragraphs:
            if isinstance(item, list):
                table = document.add_table(rows=len(item), cols=len(item[0]))
                for r, row in enumerate(item):
                    for c, value in enumerate(row):
                        table.cell(r, c).text = value
            else:
                document.add_paragraph(item)
    out = io.BytesIO()
    document.save(out)
    path.write_bytes(out.getvalue())
    return str(path)


def _drafts(tmp_path, revised: bool = False) -> tuple[str, str]:
    goal_lv = "Attīstīt sociālos pakalpojumus visos reģionos." if revised else \
        "Attīstīt sociālos pakalpojumus reģionos."
    goal_en = "Develop social services in every region." if revised else "Develop social services in the regions."
    suffix = "-v2" if revised else ""
    lv = _docx(tmp_path / f"pamatnostadnes{suffix}.docx", "Pamatnostādnes", [
        ("Ievads", ["Pamatnostādnes izstrādāja darba grupa.", [["Gads", "Klienti"], ["2014", "100"]]]),
        ("Mērķi", [goal_lv]),
    ])
    en = _docx(tmp_path / f"guidelines{suffix}.docx", "Guidelines", [
        ("Introduction", ["A working group drafted the guidelines.", [["Year", "Clients"], ["2014", "100"]]]),
        ("Goals", [goal_en]),
    ])
    return lv, en


def _sign_in(page, live_server, app, email, user_id, login):
    """Through the log-in page when there is one, otherwise with a session cookie."""
    response = page.goto(live_server + "/en/account/login/")
    if response.status == 200 and page.locator("#email").count() and page.locator("#password").count():
        page.fill("#email", email)
        page.fill("#password", PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".account-nav")).to_contain_text("Administration")
        return
    client = app.test_client()
    login(client, user_id)
    client.get("/en/")
    page.context.add_cookies([{"name": "session", "value": client.get_cookie("session").value, "url": live_server}])


def test_editor_imports_publishes_section_by_section_and_revises(
        page, browser, live_server, app, make_user, login, check_accessibility, tmp_path):
    editor = make_user(role="editor", email="editor@example.test", display_name="Redaktore")
    _sign_in(page, live_server, app, "editor@example.test", editor, login)

    # A new consultation.
    page.goto(live_server + "/en/admin/")
    check_accessibility(page)
    page.get_by_role("link", name="New consultation").click()
    check_accessibility(page)
    page.fill("#slug", "guidelines-2026")
    page.fill("#title_lv", "Sociālo pakalpojumu pamatnostādnes")
    page.fill("#title_en", "Social services guidelines")
    page.fill("#opens_date", "2020-01-01")
    page.fill("#opens_time", "09:00")
    page.fill("#closes_date", "2019-12-01")
    page.fill("#closes_time", "09:00")
    page.get_by_role("button", name="Create the consultation").click()
    expect(page).to_have_title(re.compile("^Error:"))
    expect(page.locator("#closes_date-error")).to_contain_text("after the opening time")
    check_accessibility(page)
    page.fill("#closes_date", "2099-12-01")
    page.get_by_role("button", name="Create the consultation").click()
    expect(page.locator(".flash")).to_contain_text("Consultation created")
    check_accessibility(page)

    # Open it, through the confirmation page.
    page.get_by_role("link", name="Status", exact=True).click()
    check_accessibility(page)
    page.get_by_role("link", name="Open for comments").click()
    expect(page.locator("h1")).to_have_text("Open for comments?")
    check_accessibility(page)
    page.get_by_role("button", name="Open for comments").click()
    expect(page.locator(".tag-open")).to_be_visible()

    # Import the draft from Word, in both languages; look at the preview, then confirm.
    lv, en = _drafts(tmp_path)
    page.get_by_role("link", name="Import the draft").first.click()
    check_accessibility(page)
    page.set_input_files("#file_lv", lv)
    page.set_input_files("#file_en", en)
    page.get_by_role("button", name="Preview the import").click()
    expect(page.locator("h1")).to_have_text("Preview of the import")
    expect(page.locator(".preview-section table").first).to_contain_text("Klienti")
    check_accessibility(page)
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.locator(".flash")).to_contain_text("Imported 2 sections into version 1.")
    check_accessibility(page)

    # Publish section 1 only.
    page.get_by_role("button", name="Publish now (Section 1)").click()
    expect(page.locator(".flash").first).to_contain_text("Section 1 is published.")
    check_accessibility(page)

    visitor = browser.new_context()
    public = visitor.new_page()
    public.goto(live_server + "/en/consultations/guidelines-2026/")
    expect(public.locator(".section-list a")).to_have_count(1)
    expect(public.locator(".section-list")).to_contain_text("not yet published")
    public.locator(".section-list a").click()
    expect(public.locator("h1")).to_contain_text("Introduction")
    expect(public.locator(".paragraph-text table")).to_contain_text("Clients")
    assert public.goto(live_server + "/en/consultations/guidelines-2026/sections/2/").status == 404

    # Publish section 2, then a revised version 2.
    page.get_by_role("link", name="Goals").click()
    check_accessibility(page)
    page.get_by_role("button", name="Publish this section now").click()
    expect(page.locator(".flash").first).to_contain_text("Section 2 is published.")
    page.locator(".breadcrumbs").get_by_role("link", name="Sections").click()
    lv2, en2 = _drafts(tmp_path, revised=True)
    page.get_by_role("link", name="Import the draft").first.click()
    expect(page.locator(".callout")).to_contain_text("creates version 2")
    page.set_input_files("#file_lv", lv2)
    page.set_input_files("#file_en", en2)
    page.fill("#change_note_lv", "Mērķis attiecas uz visiem reģioniem.")
    page.fill("#change_note_en", "The goal now covers every region.")
    page.get_by_role("button", name="Preview the import").click()
    check_accessibility(page)
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.locator(".flash")).to_contain_text("into version 2")
    page.get_by_role("link", name="Versions", exact=True).first.click()
    check_accessibility(page)
    page.get_by_role("link", name="Publish (Version 2)").click()
    check_accessibility(page)
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.locator(".flash")).to_contain_text("Version 2 is published")

    # The visitor finds what changed.
    public.goto(live_server + "/en/consultations/guidelines-2026/")
    public.get_by_role("link", name="What changed since version 1").click()
    expect(public).to_have_url(re.compile(r"/versions/1\.\.2/$"))
    expect(public.locator("h1")).to_have_text("What changed from version 1 to version 2")
    expect(public.locator("#d-2\\.1 ins")).to_contain_text("every")
    expect(public.locator("#d-2\\.1 del")).to_contain_text("the")
    expect(public.locator("#d-2\\.1 ins .visually-hidden")).to_have_text("added:")
    expect(public.locator(".callout")).to_contain_text("The goal now covers every region.")
    check_accessibility(public)
    public.goto(live_server + "/en/consultations/guidelines-2026/sections/2/")
    expect(public.locator(".paragraph-text").first).to_contain_text("in every region")
    visitor.close()
