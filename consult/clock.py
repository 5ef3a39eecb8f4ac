"""Time: stored as naive UTC in the database, shown in Europe/Riga by Babel."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
