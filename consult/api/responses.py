"""How /api/ answers: JSON always, errors included, readable from any web page.

Errors reach these answers two ways: raised inside an API view (the blueprint's handlers), or
raised by the router before any view runs — an unknown path, a method the API does not serve
(POST, TRACE, …). The router's errors belong to no blueprint, so the site's error pages would
answer them in HTML; consult.errors hands every error under /api/ to `http_error` instead.
"""
from __future__ import annotations

import json

from flask import Response, request
from werkzeug.exceptions import HTTPException

from . import RATE_LIMIT

PREFIX = "/api"
CACHE_CONTROL = "public, max-age=60"
# The API is read-only: these are all it ever allows (OPTIONS for CORS preflight).
ALLOWED_METHODS = "GET, HEAD, OPTIONS"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def is_api_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def json_response(data, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    response = Response(body, status=status, mimetype="application/json")
    if status == 200:
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.add_etag()
        response = response.make_conditional(request)
    else:
        response.headers["Cache-Control"] = "no-store"
    return response


def error_response(status: int, code: str, message: str) -> Response:
    return json_response({"error": {"status": status, "code": code, "message": message}}, status)


def cors(response: Response) -> Response:
    """Open data: any web page may read it (GET only, no cookies needed)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    response.headers["Access-Control-Max-Age"] = "86400"
    return response


ERROR_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 429: "too_many_requests"}
ERROR_MESSAGES = {
    404: "Nothing is published at this address.",
    405: "The API is read-only: use GET.",
    429: f"Too many requests: the limit is {RATE_LIMIT} per client. Wait a minute and try again.",
}


def http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if status >= 500:
        return server_error(error)
    response = error_response(status, ERROR_CODES.get(status, "error"),
                              ERROR_MESSAGES.get(status, error.description or "The request could not be answered."))
    if status == 405:
        # Whatever the router offered (it may know of other rules for the path), the API allows only reading.
        response.headers["Allow"] = ALLOWED_METHODS
    if status == 429:
        response.headers["Retry-After"] = "60"
    return response


def server_error(_error=None) -> Response:
    return error_response(500, "server_error", "Something went wrong on our side.")
