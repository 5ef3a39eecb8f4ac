"""Ids from outside (URLs, forms, files, the API): the one rule for which whole numbers can name a row."""
from __future__ import annotations

from ..extensions import db

MAX_ID = 2**31 - 1  # the largest id any of our integer columns can hold


def in_range(value) -> bool:
    """Whether `value` is a whole number a row's id can be (1 … MAX_ID); True and False are not ids."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def get(model, object_id):
    """The row of `model` with this id, or None — also for ids no column could hold, which the
    database would refuse rather than simply not find."""
    return db.session.get(model, object_id) if in_range(object_id) else None
