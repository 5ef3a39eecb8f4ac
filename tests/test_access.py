"""A walk over every staff route × every role × every method: the wrong role gets 403 and nothing changes."""
from __future__ import annotations

import pytest
from werkzeug.routing import AnyConverter, IntegerConverter

from consult.models import Role

from .conftest import csrf_token_from

STAFF_PREFIXES = ("moderation.", "admin.", "admin_organisations.", "admin_workgroups.", "workgroup.")


def staff_routes(app):
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(STAFF_PREFIXES):
            continue
        values = {}
        for name, converter in rule._converters.items():
            if isinstance(converter, AnyConverter):
                values[name] = "lv" if name == "lang" else sorted(converter.items)[0]
            else:
                values[name] = 1 if isinstance(converter, IntegerConverter) else "x"
        with app.test_request_context():
            from flask import url_for
            url = url_for(rule.endpoint, **values)
        view = app.view_functions[rule.endpoint]
        roles = getattr(view, "required_roles", None)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, url, roles))
    return routes


def _snapshot(app):
    from consult.extensions import db
    with app.app_context():
        return {table.name: db.session.execute(table.select()).fetchall() for table in db.metadata.sorted_tables
                if table.name not in ("moderation_events",)}


def test_every_staff_route_declares_its_roles(app):
    missing = [(endpoint, method) for endpoint, method, _url, roles in staff_routes(app) if not roles]
    assert missing == []


@pytest.mark.parametrize("role", [None, *Role.ALL])
def test_wrong_role_gets_403_on_every_staff_route(app, demo, make_user, login, role):
    client = app.test_client()
    token = None
    if role is not None:
        login(client, make_user(role=role))
        token = csrf_token_from(client.get("/lv/").get_data(as_text=True))
    before = _snapshot(app)
    checked = 0
    for endpoint, method, url, roles in staff_routes(app):
        allowed = role is not None and (role == Role.ADMIN or role in roles)
        if allowed:
            continue
        data = {"csrf_token": token} if token and method != "GET" else None
        response = client.open(url, method=method, data=data)
        if role is None:
            assert response.status_code in (302, 400), (endpoint, method, response.status_code)
            if response.status_code == 302:
                assert "/account/login/" in response.headers["Location"]
        else:
            assert response.status_code == 403, (endpoint, method, response.status_code)
        checked += 1
    assert _snapshot(app) == before
    if role in (None, Role.CITIZEN, Role.ORGANISATION):
        assert checked > 0


def test_a_denied_staff_request_is_logged_with_who_what_and_when(app, demo, make_user, login, caplog):
    import logging
    import re
    user_id = make_user(role="citizen")
    client = login(app.test_client(), user_id)
    with caplog.at_level(logging.WARNING, logger="consult.security"):
        assert client.get("/lv/moderation/").status_code == 403
    [record] = [r for r in caplog.records if r.name == "consult.security"]
    message = record.getMessage()
    assert f"user={user_id} role=citizen GET /lv/moderation/" in message
    assert re.search(r"at=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", message)
