"""News and questions and answers, for the whole site or tied to one consultation."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth import require_role
from ..models import Role
from ..services import authoring
from ..services.refusals import Refused
from . import bp
from .common import (
    confirm_delete,
    deleted,
    fill_form,
    form_page,
    form_values,
    found_or_404,
    in_page_language,
    refusal_message,
)
from .forms import FaqForm, NewsForm, choices

NEWS_FIELDS = ("slug", "title_lv", "title_en", "body_lv", "body_en")
FAQ_FIELDS = ("question_lv", "question_en", "answer_lv", "answer_en")


def _consultation_choices(field) -> None:
    field.choices = choices([("", _l("None (the whole site)"))] + [
        (str(c.id), in_page_language(c, "title")) for c in authoring.all_consultations()])


def _consultation_id(field) -> int | None:
    return int(field.data) if field.data else None


def _content_form(form_class, fields, item, formdata):
    """A news or question form with its consultation choices; for GET, filled from `item`."""
    form = form_class() if formdata else form_class(formdata=None)
    _consultation_choices(form.consultation)
    if item is not None and not formdata:
        fill_form(form, item, fields)
        form.consultation.data = str(item.consultation_id) if item.consultation_id else ""
    return form


# ---------------------------------------------------------------------------
# News

@bp.get("/news/")
@require_role(Role.EDITOR)
def news():
    return render_template("admin/news.html", items=authoring.all_news())


def _news_form(item=None, formdata=True) -> NewsForm:
    form = _content_form(NewsForm, NEWS_FIELDS, item, formdata)
    if item is not None and not formdata:
        form.fill_when("publish", item.published_at)
    return form


def _save_news(item=None):
    form = _news_form(item)
    valid = form.validate_on_submit()
    published_at = form.read_when("publish")
    if valid and not form.publish_date.errors and not form.publish_time.errors and form.past_time_confirmed(
            "publish", published_at, item.published_at if item else None):
        if authoring.news_slug_taken(form.slug.data, exclude_id=item.id if item else None):
            form.slug.errors.append(_l("Another news item already uses this web address name. "
                                       "Choose a different one."))
        else:
            values = form_values(form, NEWS_FIELDS)
            values.update(consultation_id=_consultation_id(form.consultation), published_at=published_at)
            try:
                authoring.save_news(item, values)
            except Refused as refused:
                form.slug.errors.append(refusal_message(refused))
            else:
                flash(_("News item saved."), "success")
                return redirect(url_for("admin.news"), code=303)
    return render_template("admin/news_form.html", item=item, form=form), 400


@bp.route("/news/new/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def new_news():
    return form_page("admin/news_form.html", None, _news_form, _save_news)


@bp.route("/news/<id:item_id>/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def edit_news(item_id: int):
    return form_page("admin/news_form.html", found_or_404(authoring.news_item(item_id)), _news_form, _save_news)


@bp.route("/news/<id:item_id>/delete/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def delete_news(item_id: int):
    item = found_or_404(authoring.news_item(item_id))
    if request.method == "GET":
        return confirm_delete(
            item, "title", _("Delete a news item"), _("Delete the news item"),
            [_("The news item is removed from the site for good: from the news list, the search and the news feed.")],
            action=url_for("admin.delete_news", item_id=item.id), cancel=url_for("admin.edit_news", item_id=item.id),
            middle=(_("News"), url_for("admin.news")))
    return deleted(lambda: authoring.delete_news(item),
                   _("News item “%(title)s” deleted.", title=in_page_language(item, "title")), url_for("admin.news"))


# ---------------------------------------------------------------------------
# Questions and answers

@bp.get("/faq/")
@require_role(Role.EDITOR)
def faq():
    return render_template("admin/faq.html", items=authoring.all_faq())


def _faq_form(item=None, formdata=True) -> FaqForm:
    form = _content_form(FaqForm, FAQ_FIELDS, item, formdata)
    if item is not None and not formdata:
        form.position.data = str(item.position)
    return form


def _save_faq(item=None):
    form = _faq_form(item)
    if form.validate_on_submit():
        values = form_values(form, FAQ_FIELDS)
        values.update(consultation_id=_consultation_id(form.consultation),
                      position=int(form.position.data) if form.position.data else 0)
        authoring.save_faq(item, values)
        flash(_("Question saved."), "success")
        return redirect(url_for("admin.faq"), code=303)
    return render_template("admin/faq_form.html", item=item, form=form), 400


@bp.route("/faq/new/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def new_faq():
    return form_page("admin/faq_form.html", None, _faq_form, _save_faq)


@bp.route("/faq/<id:item_id>/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def edit_faq(item_id: int):
    return form_page("admin/faq_form.html", found_or_404(authoring.faq_item(item_id)), _faq_form, _save_faq)


@bp.route("/faq/<id:item_id>/delete/", methods=["GET", "POST"])
@require_role(Role.EDITOR)
def delete_faq(item_id: int):
    item = found_or_404(authoring.faq_item(item_id))
    if request.method == "GET":
        return confirm_delete(
            item, "question", _("Delete a question"), _("Delete the question"),
            [_("The question and its answer are removed from the site for good.")],
            action=url_for("admin.delete_faq", item_id=item.id), cancel=url_for("admin.edit_faq", item_id=item.id),
            middle=(_("Questions and answers"), url_for("admin.faq")))
    return deleted(lambda: authoring.delete_faq(item), _("Question deleted."), url_for("admin.faq"))
