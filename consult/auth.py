"""Who is signed in, and the one role check every staff route uses."""
from __future__ import annotations

import logging
import time
from functools import wraps

from flask import Flask, abort, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user, user_logged_in

from .clock import utcnow
from .extensions import db, login_manager
from .models import User

security_log = logging.getLogger("consult.security")


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "account.login"
    login_manager.session_protection = "basic"
    login_manager.login_message = None

    @login_manager.user_loader
    def _load_user(user_id: str):
        """The session names the user and their current session token; an old token is refused."""
        raw_id, _, token = user_id.partition(":")
        if not raw_id.isdigit() or not token or len(raw_id) > 12:
            return None
        user = db.session.get(User, int(raw_id))
        if user is None or user.session_token != token or not user.is_active:
            return None
        return user

    @user_logged_in.connect_via(app)
    def _stamp_sign_in(_app, user, **_extra):
        session["signed_in_at"] = session["seen_at"] = _now()

    @app.before_request
    def _end_old_sessions():
        """Sign out a session idle longer than SESSION_IDLE_MINUTES or older than SESSION_MAX_HOURS."""
        if "_user_id" not in session:
            return
        now = _now()
        signed_in = session.setdefault("signed_in_at", now)  # a session from before these stamps starts now
        seen = session.get("seen_at", signed_in)
        if (now - seen > app.config["SESSION_IDLE_MINUTES"] * 60
                or now - signed_in > app.config["SESSION_MAX_HOURS"] * 3600):
            logout_user()
            for key in ("signed_in_at", "seen_at"):
                session.pop(key, None)
            return
        if now - seen >= 60:  # a new cookie at most once a minute, not on every page
            session["seen_at"] = now


def _now() -> int:
    return int(time.time())


def _two_step_missing() -> bool:
    """Staff without two-step verification, on a site whose administrators require it."""
    if not current_user.is_staff or current_user.has_two_step:
        return False
    from .services.settings import two_step_required  # services import the models; imported late
    return two_step_required()


def require_role(*roles: str):
    """Only these roles (and admins) may use the view; others get 403, anonymous visitors the log-in page.

    When an administrator requires two-step verification for staff, a staff member without it
    is sent to set it up (the view does not run, whatever the method).
    """
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                security_log.warning("denied: at=%sZ user=%s role=%s %s %s",
                                     utcnow().isoformat(timespec="seconds"), current_user.id, current_user.role,
                                     request.method, request.path)
                abort(403)
            if _two_step_missing():
                from .i18n import current_language
                flash(_("Staff accounts must use two-step verification. Turn it on to continue."), "error")
                return redirect(url_for("account.two_step", lang=current_language()), code=303)
            return view(*args, **kwargs)
        wrapped.required_roles = roles
        return wrapped
    return decorator


def require_login(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)
    return wrapped
