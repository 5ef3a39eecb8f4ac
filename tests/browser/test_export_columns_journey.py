"""A member finds each item's theme and a position's signer in the feedback table and in the export;
an editor who tries to conclude before the working group wrote the outcome's introduction is told why."""
from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from ..pages import DEMO
from ..test_export_columns import ISSUER, SIGNER, THEME, extra  # noqa: F401 - fixture
from ..test_exports import content  # noqa: F401 - fixture
from ..test_workgroup import add_member, set_status
from .test_participation_journey import sign_in


# noqa: F811
def test_member_sees_themes_and_signers_in_the_table_and_the_export(page, live_server, app, extra, make_user,
                                                                     check_accessibility):
    add_member(app, make_user(role="workgroup", email="tema@example.test"))
    sign_in(page, live_server, "lv", "tema@example.test")
    page.goto(f"{live_server}/lv/workgroup/{DEMO}/?per_page=100")
    comment = page.locator(f"#row-c{extra['latvian']}")
    expect(comment).to_contain_text(f"Tēma: {THEME}")
    position = page.locator(f"#row-p{extra['position']}")
    expect(position.locator(".tag-signature-valid")).to_have_text("Paraksts derīgs")
    expect(position.locator(".signature-line")).to_contain_text(f"Parakstītājs: {SIGNER}; sertifikāta izdevējs: "
                                                                f"{ISSUER}")
    check_accessibility(page)
    comment.get_by_role("link", name=THEME).click()
    expect(page.locator("h1")).to_have_text(THEME)

    page.goto(f"{live_server}/lv/workgroup/{DEMO}/export/")
    page.check("input[name=format][value=csv]")
    with page.expect_download() as download:
        page.locator("main form button[type=submit]").click()
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert rows[0][-5:] == ["Tēma", "Elektroniskais paraksts", "Parakstītājs", "Sertifikāta izdevējs",
                            "Parakstīšanas laiks (Rīgas laiks)"]
    signed = next(row for row in rows if row[2] == str(extra["position"]) and row[1] == "Viedoklis")
    assert signed[-5:] == [THEME, "Paraksts derīgs", SIGNER, ISSUER, "2024-01-15 11:30"]

    page.goto(f"{live_server}/en/workgroup/{DEMO}/?per_page=100")
    expect(page.locator(f"#row-c{extra['latvian']}")).to_contain_text(f"Theme: {THEME}")
    expect(page.locator(f"#row-p{extra['position']}").locator(".signature-line")).to_contain_text(
        f"Signed by {SIGNER}, certificate issued by {ISSUER}")
    check_accessibility(page)


def test_editor_cannot_conclude_before_the_working_group_wrote_the_introduction(page, live_server, app, demo,
                                                                               make_user, check_accessibility):
    set_status(app, "closed")
    make_user(role="editor", email="redaktors@example.test")
    sign_in(page, live_server, "lv", "redaktors@example.test")
    from consult.extensions import db
    from consult.models import Consultation
    with app.app_context():
        cid = db.session.query(Consultation).filter_by(slug=DEMO).one().id
    page.goto(f"{live_server}/lv/admin/consultations/{cid}/status/")
    page.locator("main a.button", has_text="Atzīmēt").first.click()
    expect(page).to_have_url(re.compile(r"/status/concluded/$"))
    expect(page.locator("main .flash-error")).to_contain_text(
        "Darba grupa vēl nav uzrakstījusi rezultātu ievadu abās valodās")
    expect(page.locator("main button[type=submit]")).to_have_count(0)
    check_accessibility(page)
    page.locator(".language-switch").click()
    expect(page.locator("main .flash-error")).to_contain_text("so the outcome cannot be published")
    check_accessibility(page)
    page.get_by_role("link", name="Back to the status").click()
    expect(page).to_have_url(re.compile(rf"/en/admin/consultations/{cid}/status/$"))
