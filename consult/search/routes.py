from __future__ import annotations

import click
from flask import render_template, request

from ..extensions import db
from ..i18n import current_language, localized
from ..models import SearchKind
from ..services import publication
from ..services import search as search_service
from ..web import page_number
from . import bp
from .forms import KIND_LABELS, SearchForm


@bp.get("/search")
def search():
    form = SearchForm(formdata=request.args)
    consultations = publication.public_consultations()
    form.set_consultations(consultations, localized)
    if form.type.data not in SearchKind.ALL:
        form.type.data = ""
    chosen = next((c for c in consultations if c.slug == form.consultation.data), None)
    if chosen is None:
        form.consultation.data = ""
    results = None
    submitted = "q" in request.args
    if submitted and form.validate():
        results = search_service.search(form.q.data, current_language(), kind=form.type.data or None,
                                        consultation_id=chosen.id if chosen else None, page=page_number())
    elif not submitted:
        form.q.errors = []
    return render_template("search/results.html", form=form if submitted else None, search_form=form,
                           results=results, kind_labels=KIND_LABELS, chosen=chosen)


@bp.cli.command("reindex")
def reindex_command():
    """Rebuild the whole search index from the content."""
    count = search_service.reindex_all(db.session.connection())
    db.session.commit()
    click.echo(f"Search index rebuilt: {count} entries.")
