"""Small things every admin route uses: finding the consultation, refusal messages."""
from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..i18n import current_language
from ..models import Consultation
from ..services import authoring

REFUSALS = {
    "slug": _l("Another item already uses this web address name. Choose a different one."),
    "status": _l("This status change is not possible from the current status."),
    "outcome_intro": _l("The working group has not yet written the outcome's introduction in both languages, so "
                        "the outcome cannot be published. The working group writes it and publishes the outcome "
                        "on its “Publish the outcome” page."),
    "closes_past": _l("The closing time has already passed. Set a later closing time before opening the "
                      "consultation."),
    "already_published": _l("This is already published."),
    "not_latest": _l("Only the newest version can be published."),
    "note_missing": _l("Write what changed (in Latvian) before publishing this version."),
    "no_text": _l("This version has no text yet: import or write the text first."),
    "section_number": _l("Another section already has this number."),
    "section_in_use": _l("This section has text or comments, so it cannot be deleted."),
    "paragraph": _l("The paragraph could not be added; please try again."),
    "paragraph_in_use": _l("Only the last paragraph can be deleted, and only while nobody has commented on it."),
    "plan_changed": _l("The draft has changed since the preview, so nothing was imported. Please import "
                       "the files again."),
    "version": _l("The version could not be created; please try again."),
    "role": _l("Choose a role."),
    "own_role": _l("You cannot change your own role. Ask another administrator."),
}


def refusal_message(refused: authoring.AuthoringRefused) -> str:
    if refused.code == "draft_exists":
        return _("Version %(number)d is not yet published: edit that one instead of starting another.",
                 number=refused.details["number"])
    return str(REFUSALS.get(refused.code) or _("This could not be done."))


def flash_refusal(refused: authoring.AuthoringRefused) -> None:
    flash(refusal_message(refused), "error")


def consultation_or_404(consultation_id: int) -> Consultation:
    found = authoring.consultation(consultation_id)
    if found is None:
        abort(404)
    return found


def page_arg() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


def confirm_delete(subject, field: str, heading: str, button: str, explanation: list[str], action: str, cancel: str,
                   middle: tuple[str, str], consultation: Consultation | None = None) -> str:
    """The page that asks before deleting `subject` (named by its `field`): the POST to `action` deletes."""
    from ..participation.forms import EmptyForm
    return render_template("admin/delete_confirm.html", subject=subject, field=field, heading=heading, button=button,
                           explanation=explanation, action=action, cancel=cancel, middle=middle,
                           consultation=consultation, form=EmptyForm(formdata=None))


def in_page_language(obj, field: str) -> str:
    """`field_<lang>` for the page language, else the Latvian one (as the admin templates' t())."""
    return getattr(obj, f"{field}_{current_language()}", "") or getattr(obj, f"{field}_lv")
