"""Cell values every format shares: formulas neutralised, e-mail addresses masked, times in Riga."""
from __future__ import annotations

from datetime import datetime

from .scope import _EMAIL, _ILLEGAL_XML, FORMULA_STARTS, RIGA, UTC

# Cell values -----------------------------------------------------------------------------------

def neutralise(value):
    """A text a spreadsheet would treat as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def clean_text(value: str | None, email_mask: str = "[…]") -> str:
    """Characters XML cannot hold are replaced; e-mail addresses are masked."""
    if not value:
        return ""
    value = _ILLEGAL_XML.sub("\ufffd", value)
    return _EMAIL.sub(email_mask, value) if "@" in value else value


def riga_time(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(RIGA).replace(tzinfo=None)


def riga_moment(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) moment as an aware datetime in Europe/Riga: its offset says +02:00 or +03:00."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(RIGA)


def _local_text(local: datetime) -> str:
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def date_text(moment: datetime | None) -> str:
    """2014-03-21 14:05 in Riga time (a text: spreadsheets show it as it is, and it is quick to write)."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=UTC).astimezone(RIGA)
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


# Rows ------------------------------------------------------------------------------------------
