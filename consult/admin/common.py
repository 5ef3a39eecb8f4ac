"""Small things every admin route uses: finding the consultation, refusal messages, asking before deleting."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from flask import abort, flash, redirect, render_template, request

from .. import refusals
from ..i18n import current_language
from ..models import Consultation
from ..services import authoring
from ..services.refusals import Refused

T = TypeVar("T")



def refusal_message(refused: Refused) -> str:
    return refusals.message(refused)


def flash_refusal(refused: Refused) -> None:
    flash(refusals.message(refused), "error")


def found_or_404(found: T | None) -> T:
    if found is None:
        abort(404)
    return found


def consultation_or_404(consultation_id: int) -> Consultation:
    return found_or_404(authoring.consultation(consultation_id))



def confirm_delete(subject, field: str, heading: str, button: str, explanation: list[str], action: str, cancel: str,
                   middle: tuple[str, str], consultation: Consultation | None = None, detail: str = "") -> str:
    """The page that asks before deleting `subject` (named by its `field`, then `detail` in brackets): the POST
    to `action` deletes."""
    from ..web import EmptyForm
    return render_template("admin/delete_confirm.html", subject=subject, field=field, heading=heading, button=button,
                           explanation=explanation, action=action, cancel=cancel, middle=middle,
                           consultation=consultation, detail=detail, form=EmptyForm(formdata=None))


def deleted(delete: Callable[[], object], message: str, done: str):
    """The POST of a confirmed deletion: only with its form's token does `delete()` run; then `message` is
    shown at `done`."""
    from ..web import EmptyForm
    if not EmptyForm().validate_on_submit():
        abort(400)
    delete()
    flash(message, "success")
    return redirect(done, code=303)


def form_page(template: str, item, make_form: Callable, save: Callable):
    """An item's form (`item` None for a new one): GET shows it filled from the item, POST hands it to `save`."""
    if request.method == "POST":
        return save(item)
    return render_template(template, item=item, form=make_form(item, formdata=False))


def fill_form(form, item, fields: Iterable[str]) -> None:
    for key in fields:
        getattr(form, key).data = getattr(item, key)


def form_values(form, fields: Iterable[str]) -> dict[str, str]:
    return {key: getattr(form, key).data or "" for key in fields}


def in_page_language(obj, field: str) -> str:
    """`field_<lang>` for the page language, else the Latvian one (as the admin templates' t())."""
    return getattr(obj, f"{field}_{current_language()}", "") or getattr(obj, f"{field}_lv")
