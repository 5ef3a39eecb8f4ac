"""The page for people that explains the open-data API: /<lang>/api/."""
from __future__ import annotations

from flask import render_template

from ..services import publication
from ..urls import public_url
from . import docs_bp


@docs_bp.get("/api/")
def documentation():
    consultations = publication.public_consultations()
    example = consultations[0].slug if consultations else "SLUG"
    return render_template("api/docs.html", example=example, base=public_url("api.index").rstrip("/"))
