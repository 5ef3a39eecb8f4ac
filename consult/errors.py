"""Error pages in the language of the URL, never a stack trace; under /api/, JSON instead."""
from __future__ import annotations

import functools

from flask import Flask, current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from . import i18n
from .api import responses as api_responses

# Sign-in pages whose attempts are counted: a person stopped there is shown the way back and the way out.
SIGN_IN_ENDPOINTS = ("account.login", "account.login_code")


def _page_language() -> str:
    if getattr(g, "lang", None) is None:
        g.lang = i18n.language_from_path(request.path) or i18n.best_language()
    return g.lang


def _render(status: int, title: str, message: str, back: str | None = None,
            links: list[tuple[str, str]] | None = None):
    _page_language()
    return render_template("errors/error.html", status=status, title=title, message=message, back=back,
                           links=links or []), status


def _signed_in_locked_out():
    """Too many sign-in attempts: say for how long, and link back to sign-in and to a new password."""
    lang = _page_language()
    return _render(429, _("Too many sign-in attempts"),
                   _("To protect the account, signing in is paused for a while. Try again in a few minutes, "
                     "or set a new password if you have forgotten it."),
                   links=[(_("Back to sign in"), url_for("account.login", lang=lang)),
                          (_("Set a new password"), url_for("account.reset_request", lang=lang))])


def _api_answers_its_own(handler):
    """Under /api/ an error is answered as the API answers (JSON), even one the router raised before
    any API view ran (an unknown path, a method the API does not serve): those belong to no blueprint."""
    @functools.wraps(handler)
    def wrapper(error):
        if api_responses.is_api_path(request.path):
            answer = api_responses.http_error(error) if isinstance(error, HTTPException) \
                else api_responses.server_error(error)
            return api_responses.cors(answer)
        return handler(error)
    return wrapper


def init_app(app: Flask) -> None:
    def handles(code_or_exception):
        def register(handler):
            app.register_error_handler(code_or_exception, _api_answers_its_own(handler))
            return handler
        return register

    @handles(404)
    def not_found(_error):
        return _render(404, _("Page not found"),
                       _("We could not find this page. Check the address, or start again from the home page."))

    @handles(CSRFError)
    def csrf_error(_error):
        return _render(400, _("The form has expired"),
                       _("Your form could not be accepted because it had expired or came from elsewhere. "
                         "Go back, reload the page and send it again."))

    @handles(405)
    def method_not_allowed(error):
        body, status = _render(405, _("Not allowed"), _("This address does not accept that kind of request."))
        # RFC 9110 (15.5.6): a 405 says which methods the address does accept.
        allowed = error.valid_methods if isinstance(error, MethodNotAllowed) else None
        return body, status, {"Allow": ", ".join(allowed)} if allowed else {}

    @handles(413)
    def too_large(_error):
        # Files over a form's own limit come back to the form (uploads_limit); this is the whole request.
        from .uploads_limit import megabytes
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        return _render(413, _("Too large"),
                       _("What you sent is larger than this site accepts: %(size)s MB at most in one go.",
                         size=megabytes(limit)),
                       back=request.path if request.mimetype == "multipart/form-data" else None)

    @handles(429)
    def too_many(_error):
        if request.endpoint in SIGN_IN_ENDPOINTS:
            return _signed_in_locked_out()
        return _render(429, _("Too many attempts"), _("Please wait a minute and try again."))

    @handles(HTTPException)
    def other_http_error(error: HTTPException):
        return _render(error.code or 500, _("Something went wrong"), _("The request could not be completed."))

    @handles(500)
    def server_error(_error):
        return _render(500, _("Something went wrong"),
                       _("An error on our side stopped this page. Please try again later."))
