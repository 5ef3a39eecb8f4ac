"""A working-group member filters the feedback, tags it, answers two identical proposals and exports a digest."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import expect

from ..conftest import PASSWORD
from ..pages import DEMO
from ..test_workgroup import add_comment, add_member, add_position


def test_member_filters_tags_answers_and_exports(page, live_server, app, demo, make_user, check_accessibility):
    member = make_user(role="workgroup", email="darba.grupa@example.test", display_name="Inese")
    add_member(app, member, subgroups=(0,))
    citizen = make_user(display_name="Māra Liepiņa")
    first = add_comment(app, citizen, body="Prasām vairāk dienas centru laukos!", section=1, paragraph=1,
                        stance="proposes", show_name=True)
    second = add_comment(app, make_user(), body="prasām vairāk dienas centru laukos", section=1, stance="proposes")
    add_comment(app, make_user(), body="Atbalstu pamatnostādnes kopumā.", section=2, stance="supports")
    add_position(app, make_user(role="organisation"), organisation="Biedrība “Sociālais tīkls”")

    page.goto(f"{live_server}/lv/account/login/")
    page.fill("#email", "darba.grupa@example.test")
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.locator(".account-nav a", has_text=re.compile("Working group|Darba grupa")).click()
    expect(page.locator("h1")).to_be_visible()
    check_accessibility(page)
    page.locator(f"a[href='/lv/workgroup/{DEMO}/']").first.click()
    expect(page.locator(".feedback-table")).to_be_visible()
    check_accessibility(page)

    # Filter: proposals only.
    page.locator(".filter-panel summary").click()
    page.select_option("#stance", "proposes")
    page.locator(".filter-panel button[type=submit]").click()
    expect(page.locator(".feedback-table tbody tr")).to_have_count(2)
    check_accessibility(page)

    # Tag both, with a message first when nothing is selected.
    page.fill("#bulk-tag", "Dienas centri")
    page.locator("button[value=tag]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#bulk-tag")).to_have_value("Dienas centri")
    check_accessibility(page)
    page.check(f"#select-c{first}")
    page.check(f"#select-c{second}")
    page.fill("#bulk-tag", "Dienas centri")
    page.locator("button[value=tag]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".label-tag").first).to_have_text("Dienas centri")
    check_accessibility(page)

    # Answer both together.
    page.check(f"#select-c{first}")
    page.check(f"#select-c{second}")
    page.locator("button[value=answer]").click()
    expect(page.locator("h1")).to_be_visible()
    check_accessibility(page)
    page.locator("main form.response-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^(Kļūda|Error):"))
    check_accessibility(page)
    page.check("#decision-1")
    page.fill("#justification_lv", "Daļēji ņemts vērā: dienas centri tiks attīstīti novadu centros.")
    page.locator("main form.response-form button[type=submit]").click()
    expect(page.locator(".decision-partly_accepted")).to_have_count(2)
    check_accessibility(page)

    # The narrow screen: the table becomes a list of cards and stays accessible.
    page.set_viewport_size({"width": 390, "height": 844})
    check_accessibility(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Summary, then the export in CSV.
    page.locator(".sub-nav a", has_text=re.compile("Summary|Kopsavilkums")).click()
    expect(page.locator("svg.chart").first).to_be_visible()
    check_accessibility(page)
    page.locator(".sub-nav a", has_text=re.compile("Export|Eksports")).click()
    check_accessibility(page)
    page.check("input[name=format][value=csv]")
    page.check("input[name=delimiter][value=';']")
    with page.expect_download() as download_info:
        page.locator("main form button[type=submit]").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-lv.csv")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 4
    assert any("Prasām vairāk dienas centru laukos!" in row for row in rows)
    assert any("Dienas centri" in row for row in rows)
    assert b"@example.test" not in data

    # A bad option gets a message beside the field and no file.
    page.goto(f"{live_server}/lv/workgroup/{DEMO}/export/?format=pdf")
    expect(page.locator("#format-error")).to_be_visible()
    check_accessibility(page)
    page.goto(f"{live_server}/lv/workgroup/{DEMO}/export/?format=csv&stance=laimīgs")
    expect(page.locator("#stance-error")).to_contain_text("Izvēlieties nostāju sarakstā.")
    check_accessibility(page)
