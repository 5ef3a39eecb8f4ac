"""Following a consultation: double opt-in, an unsubscribe link in every message, at most one e-mail a day.

What followers hear about is recorded as ConsultationEvent rows by session events
(events.py) whenever a consultation opens, closes or is concluded, a section or a new
version of the draft is published — whichever code makes the change. The
`flask --app consult send-follow-mail` command (run it from cron, e.g. hourly) then
sends each address one message with everything new for all the consultations it
follows, and never a second one on the same day (Europe/Riga).

The package: following (following and unfollowing, the links and their tokens), mailing (the daily
message and its command, the public list of events), events (the session events that record them).
"""
from __future__ import annotations

from .events import (  # noqa: F401
    install_listeners,
)
from .following import (  # noqa: F401
    CONFIRM_MAX_AGE,
    CONFIRM_SALT,
    RESEND_AFTER,
    UNSUBSCRIBE_SALT,
    confirm_follow,
    confirmation_token,
    follow_as_user,
    follows_for_token,
    link,
    request_follow,
    unfollow_as_user,
    unsubscribe,
    unsubscribe_token,
    user_follow,
)
from .mailing import (  # noqa: F401
    LOCAL_TIMEZONE,
    Block,
    list_unsubscribe_headers,
    public_events,
    register_commands,
    send_follow_mail,
)
