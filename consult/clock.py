"""Time: stored as naive UTC in the database, shown in Europe/Riga by Babel."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
