"""What every part of authoring shares: a row by its id, and a commit that refuses on a lost race."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ...extensions import db
from .. import ids
from ..refusals import Refused


def _get(model, object_id: int):
    return ids.get(model, object_id)


def _commit(code: str) -> None:
    """Commit; a unique constraint hit by a parallel request becomes a refusal, not a 500."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Refused(f"authoring.{code}") from None
