"""The open-data API: only what is published, as the OpenAPI document says, cacheable, paged, limited."""
from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator

from consult.clock import utcnow
from consult.models import (
    Comment,
    Consultation,
    NewsItem,
    Organisation,
    Poll,
    PollOption,
    Position,
    Section,
    User,
    Vote,
)
from consult.models.poll import vote_choices

from .pages import CLOSED, DEMO

API = "/api/v1"


def _db():
    from consult.extensions import db
    return db


@pytest.fixture
def content(app, demo):
    """The demo plus comments, positions, a poll with votes and unpublished things of every kind."""
    db = _db()
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        section = db.session.query(Section).filter_by(consultation_id=consultation.id, number=2).one()
        paragraph = section.paragraphs[0]
        named = User(email="named.author@example.test", display_name="Līga Kalniņa", respondent_type="citizen")
        anonymous = User(email="quiet.author@example.test", display_name="Slēptais Vārds",
                         respondent_type="business")
        db.session.add_all([named, anonymous])
        hidden_section = Section(consultation_id=consultation.id, number=40, title_lv="Nepublicēta sadaļa",
                                 published_at=None)
        db.session.add(hidden_section)
        db.session.flush()
        ids = {}

        def comment(status, author, show_name=True, target=section, paragraph_id=None):
            item = Comment(consultation_id=consultation.id, section_id=target.id, author_id=author.id,
                           paragraph_id=paragraph_id, stance="proposes", body=f"Komentārs ({status})",
                           show_name=show_name, status=status, fingerprint=uuid.uuid4().hex,
                           idempotency_key=uuid.uuid4().hex)
            db.session.add(item)
            db.session.flush()
            return item.id

        ids["named"] = comment("approved", named, paragraph_id=paragraph.id)
        ids["anonymous"] = comment("approved", anonymous, show_name=False)
        ids["hidden_choice"] = comment("approved", named, show_name=False)
        ids["unpublished_section"] = comment("approved", named, target=hidden_section)
        ids["not_public"] = [comment(status, named) for status in ("pending", "rejected", "hidden", "withdrawn")]
        organisation = Organisation(name="Biedrība “Atbalsts”", kind="ngo", verified_at=utcnow())
        db.session.add(organisation)
        db.session.flush()
        positions = {}
        for status, publish_name in (("approved", True), ("approved", False), ("pending", True)):
            item = Position(consultation_id=consultation.id, organisation_id=organisation.id, author_id=named.id,
                            title=f"Viedoklis {status} {publish_name}", body="Teksts", status=status,
                            publish_name=publish_name, idempotency_key=uuid.uuid4().hex)
            db.session.add(item)
            db.session.flush()
            positions[(status, publish_name)] = item.id
        ids["positions"] = positions
        poll = Poll(consultation_id=consultation.id, question_lv="Vai piekrītat?", results_shown="always",
                    options=[PollOption(position=0, label_lv="Jā"), PollOption(position=1, label_lv="Nē")])
        future_poll = Poll(consultation_id=consultation.id, question_lv="Nākotnes aptauja",
                           opens_at=utcnow() + timedelta(days=3), options=[PollOption(label_lv="Jā")])
        secret_results = Poll(consultation_id=consultation.id, question_lv="Rezultāti pēc beigām",
                              results_shown="after_close", closes_at=utcnow() + timedelta(days=3),
                              options=[PollOption(label_lv="Jā")])
        db.session.add_all([poll, future_poll, secret_results])
        db.session.flush()
        vote = Vote(poll_id=poll.id, voter_key=f"user:{named.id}", user_id=named.id)
        db.session.add(vote)
        db.session.flush()
        db.session.execute(vote_choices.insert().values(vote_id=vote.id, option_id=poll.options[0].id))
        ids["poll"], ids["future_poll"], ids["secret_results"] = poll.id, future_poll.id, secret_results.id
        db.session.add(NewsItem(slug="future-news", title_lv="Nākotnes ziņa",
                                published_at=utcnow() + timedelta(days=1)))
        draft = Consultation(slug="secret-draft", title_lv="Slepens melnraksts", status="draft")
        db.session.add(draft)
        db.session.flush()
        db.session.add(Section(consultation_id=draft.id, number=1, title_lv="Melnraksta sadaļa",
                               published_at=utcnow() - timedelta(days=1)))
        db.session.add(Poll(consultation_id=draft.id, question_lv="Melnraksta aptauja",
                            options=[PollOption(label_lv="Jā")]))
        db.session.flush()
        ids["draft_poll"] = db.session.query(Poll).filter_by(question_lv="Melnraksta aptauja").one().id
        db.session.commit()
        ids["emails"] = [u.email for u in db.session.query(User)]
    return ids


def get_json(client, path, status=200, **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == status, (path, response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    return response.get_json()


# --- The OpenAPI document against the real answers -------------------------------------------

def _document(client):
    return get_json(client, f"{API}/openapi.json")


def _template_for(document, path: str) -> str:
    relative = path.split("?")[0].removeprefix(API) or "/"
    for template in document["paths"]:
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, relative):
            return template
    raise AssertionError(f"{path} is not in the OpenAPI document")


def check_against_document(document, path: str, status: int, body) -> None:
    operation = document["paths"][_template_for(document, path)]["get"]
    assert str(status) in operation["responses"], (path, status)
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": document["components"]},
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(body), key=str)
    assert not errors, f"{path}: {errors[0].message} at {list(errors[0].absolute_path)}"


def walk(client, content) -> dict[str, tuple[int, object]]:
    """Every kind of answer the API gives for this content: path → (status, JSON)."""
    answers = {}

    def fetch(path, status=200):
        answers[path] = (status, get_json(client, path, status))
        return answers[path][1]

    fetch(f"{API}/")
    for status in ("", "?status=open", "?status=closed"):
        fetch(f"{API}/consultations{status}")
    page = fetch(f"{API}/consultations?limit=1")
    fetch(f"{API}/consultations?limit=1&cursor={page['next_cursor']}")
    for slug in (DEMO, CLOSED):
        detail = fetch(f"{API}/consultations/{slug}")
        fetch(f"{API}/consultations/{slug}/sections")
        for section in detail["sections"]:
            fetch(f"{API}/consultations/{slug}/sections/{section['number']}")
        fetch(f"{API}/consultations/{slug}/comments")
        fetch(f"{API}/consultations/{slug}/comments?section=2&limit=2")
        fetch(f"{API}/consultations/{slug}/positions")
        for poll in fetch(f"{API}/consultations/{slug}/polls")["items"]:
            fetch(f"{API}/polls/{poll['id']}")
    fetch(f"{API}/news")
    fetch(f"{API}/news?limit=2")
    fetch(f"{API}/consultations/no-such", 404)
    fetch(f"{API}/consultations/{DEMO}/sections/40", 404)
    fetch(f"{API}/consultations?cursor=forged", 404)
    fetch(f"{API}/consultations?cursor=")
    fetch(f"{API}/consultations?status=", 400)
    fetch(f"{API}/consultations?limit=0", 400)
    fetch(f"{API}/consultations/{DEMO}/comments?section=x", 400)
    fetch(f"{API}/polls/{content['future_poll']}", 404)
    return answers


def test_every_answer_matches_the_openapi_document(client, content):
    document = _document(client)
    answers = walk(client, content)
    assert len(answers) > 25
    for path, (status, body) in answers.items():
        check_against_document(document, path, status, body)


def test_the_openapi_document_describes_exactly_the_routes(app, client):
    document = _document(client)
    assert document["openapi"] == "3.1.0"
    assert document["servers"][0]["url"].endswith("/api/v1")
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).removeprefix(API) or "/"
            served.add(path)
    assert served == set(document["paths"])
    for template, item in document["paths"].items():
        for name in re.findall(r"\{(\w+)\}", template):
            parameters = [p if "$ref" not in p else document["components"]["parameters"][p["$ref"].split("/")[-1]]
                          for p in item["get"].get("parameters", [])]
            assert any(p["name"] == name and p["in"] == "path" for p in parameters), (template, name)
    # Every $ref points at something that exists.
    text = json.dumps(document)
    for ref in set(re.findall(r'"\$ref": "#/components/(\w+)/(\w+)"', text)):
        assert ref[1] in document["components"][ref[0]], ref


# --- Privacy and publication -----------------------------------------------------------------

def test_no_email_address_or_user_id_is_ever_in_the_api(client, content):
    answers = walk(client, content)
    text = json.dumps([body for _status, body in answers.values()], ensure_ascii=False)
    for email in content["emails"]:
        assert email not in text
    assert "@" not in text
    for key in ("email", "author_id", "user_id", "password", "voter_key", "moderation_note", "fingerprint"):
        assert f'"{key}"' not in text


def test_comment_authors_are_shown_only_as_they_chose(client, content):
    items = {c["id"]: c for c in get_json(client, f"{API}/consultations/{DEMO}/comments")["items"]}
    assert items[content["named"]]["author"] == {"name": "Līga Kalniņa", "respondent_type": None}
    assert items[content["named"]]["paragraph"] == "2.1"
    assert items[content["anonymous"]]["author"] == {"name": None, "respondent_type": "business"}
    assert items[content["hidden_choice"]]["author"] == {"name": None, "respondent_type": "citizen"}
    assert "Slēptais Vārds" not in json.dumps(items, ensure_ascii=False)


def test_nothing_unpublished_is_in_the_api(client, content):
    comments = {c["id"] for c in get_json(client, f"{API}/consultations/{DEMO}/comments")["items"]}
    assert comments == {content["named"], content["anonymous"], content["hidden_choice"]}
    positions = get_json(client, f"{API}/consultations/{DEMO}/positions")["items"]
    assert {p["id"] for p in positions} == {content["positions"][("approved", True)],
                                           content["positions"][("approved", False)]}
    assert {p["organisation"]["name"] for p in positions} == {"Biedrība “Atbalsts”", None}
    sections = [s["number"] for s in get_json(client, f"{API}/consultations/{DEMO}/sections")["items"]]
    assert 40 not in sections and sections
    assert 40 not in [s["number"] for s in get_json(client, f"{API}/consultations/{DEMO}")["sections"]]
    slugs = [c["slug"] for c in get_json(client, f"{API}/consultations")["items"]]
    assert "secret-draft" not in slugs and DEMO in slugs
    for path in ("", "/sections", "/sections/1", "/comments", "/positions", "/polls"):
        assert get_json(client, f"{API}/consultations/secret-draft{path}", 404)["error"]["code"] == "not_found"
    assert get_json(client, f"{API}/polls/{content['draft_poll']}", 404)
    assert get_json(client, f"{API}/polls/{content['future_poll']}", 404)
    news = [n["slug"] for n in get_json(client, f"{API}/news")["items"]]
    assert "future-news" not in news and news
    polls = get_json(client, f"{API}/consultations/{DEMO}/polls")["items"]
    assert content["future_poll"] not in [p["id"] for p in polls]


def test_poll_results_appear_only_when_the_poll_shows_them(client, content):
    poll = get_json(client, f"{API}/polls/{content['poll']}")
    assert poll["results"]["voters"] == 1
    assert [o["votes"] for o in poll["results"]["options"]] == [1, 0]
    assert get_json(client, f"{API}/polls/{content['secret_results']}")["results"] is None
    listed = {p["id"]: p for p in get_json(client, f"{API}/consultations/{DEMO}/polls")["items"]}
    assert listed[content["secret_results"]]["results"] is None and listed[content["poll"]]["results"]


# --- HTTP behaviour --------------------------------------------------------------------------

def test_answers_have_an_etag_and_answer_304(client, content):
    response = client.get(f"{API}/consultations/{DEMO}")
    assert response.headers["Cache-Control"] == "public, max-age=60"
    etag = response.headers["ETag"]
    again = client.get(f"{API}/consultations/{DEMO}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    changed = client.get(f"{API}/consultations/{CLOSED}", headers={"If-None-Match": etag})
    assert changed.status_code == 200


def test_cursor_paging_returns_every_item_once(client, content):
    seen, cursor, pages = [], None, 0
    while True:
        query = {"limit": "1"} | ({"cursor": cursor} if cursor else {})
        page = get_json(client, f"{API}/consultations/{DEMO}/comments", query_string=query)
        seen += [c["id"] for c in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and seen == sorted(seen) and len(set(seen)) == 3


@pytest.mark.parametrize("query, code", [
    ("limit=0", "bad_limit"), ("limit=101", "bad_limit"), ("limit=-1", "bad_limit"), ("limit=x", "bad_limit"),
    ("limit=", "bad_limit"), ("section=0", "bad_section"), ("section=", "bad_section"),
    ("section=2147483648", "bad_section"), ("section=%27%20OR%20%271%27%3D%271", "bad_section"),
])
def test_bad_parameters_get_a_json_400(client, content, query, code):
    """Outside what the parameter's schema allows, an empty value included, is a 400."""
    body = get_json(client, f"{API}/consultations/{DEMO}/comments?{query}", 400)
    assert body["error"]["code"] == code and body["error"]["status"] == 400


@pytest.mark.parametrize("status", ["", "draft", "concluded ", "OPEN", "bogus"])
def test_a_status_outside_the_enum_gets_a_json_400(client, content, status):
    body = get_json(client, f"{API}/consultations", 400, query_string={"status": status})
    assert body["error"]["code"] == "bad_status"


def test_each_public_status_filters_the_consultations(client, content):
    every = {c["slug"] for c in get_json(client, f"{API}/consultations")["items"]}
    by_status = {status: {c["slug"] for c in get_json(client, f"{API}/consultations?status={status}")["items"]}
                 for status in ("open", "closed", "concluded")}
    assert DEMO in by_status["open"] and CLOSED in by_status["closed"]
    assert set().union(*by_status.values()) == every


def test_an_empty_cursor_is_the_first_page(client, content):
    """The cursor's schema is any string, so an empty one is valid: it means no cursor."""
    first = get_json(client, f"{API}/consultations/{DEMO}/comments?limit=1")
    assert get_json(client, f"{API}/consultations/{DEMO}/comments?limit=1&cursor=") == first
    assert get_json(client, f"{API}/news?cursor=") == get_json(client, f"{API}/news")


@pytest.mark.parametrize("cursor", ["abc", "MQ", "MQ.forged", "x" * 500])
def test_a_cursor_the_list_never_gave_out_gets_a_json_404(client, content, cursor):
    """Any string is a well-formed cursor, so an unknown one names a page that does not exist."""
    body = get_json(client, f"{API}/consultations/{DEMO}/comments", 404, query_string={"cursor": cursor})
    assert body["error"] == {"status": 404, "code": "bad_cursor", "message": body["error"]["message"]}
    assert "next_cursor" in body["error"]["message"]


def test_a_cursor_works_only_where_it_was_made(client, content):
    cursor = get_json(client, f"{API}/news?limit=1")["next_cursor"]
    assert cursor
    assert get_json(client, f"{API}/news?limit=1&cursor={cursor}")["items"]
    assert get_json(client, f"{API}/consultations?cursor={cursor}", 404)["error"]["code"] == "bad_cursor"


UNKNOWN_PATHS = ("/api", "/api/", "/api/v2/consultations", f"{API}/nothing", f"{API}/consultations/{DEMO}/secrets",
                 f"{API}/consultations/{DEMO}/sections/x", f"{API}/polls/-1")


def _is_json_error(response, status: int, code: str) -> bool:
    body = response.get_json(silent=True) or {}
    return (response.status_code == status and response.mimetype == "application/json"
            and body.get("error", {}).get("code") == code and body["error"]["status"] == status
            and response.headers["Access-Control-Allow-Origin"] == "*")


def test_unknown_paths_get_a_json_404_whatever_the_method(client, content):
    for path in UNKNOWN_PATHS:
        for method in ("GET", "POST", "DELETE", "TRACE"):
            response = client.open(path, method=method)
            assert _is_json_error(response, 404, "not_found"), (method, path, response.status_code)


def test_other_methods_get_a_json_405_with_allow(client, content):
    """POST, PUT, PATCH, DELETE, TRACE… on every address of the document: JSON, with the methods it allows."""
    document = _document(client)
    poll = get_json(client, f"{API}/consultations/{DEMO}/polls")["items"][0]["id"]
    values = {"slug": DEMO, "number": "1", "poll_id": str(poll)}
    for template in document["paths"]:
        path = API + re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)
        assert client.get(path).status_code == 200, path
        for method in ("POST", "PUT", "PATCH", "DELETE", "TRACE", "QUERY"):
            response = client.open(path, method=method, data={"x": "y"})
            assert _is_json_error(response, 405, "method_not_allowed"), (method, path, response.status_code)
            assert response.headers["Allow"] == "GET, HEAD, OPTIONS", (method, path)


def test_a_server_error_in_the_api_is_json(app, client, content, monkeypatch):
    def broken():
        raise RuntimeError("a bug")
    monkeypatch.setitem(app.view_functions, "api.news", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get(f"{API}/news")
    assert _is_json_error(response, 500, "server_error")
    assert "a bug" not in response.get_data(as_text=True)


def test_the_site_outside_the_api_still_answers_in_html_and_says_what_is_allowed(client, content):
    response = client.open("/lv/", method="TRACE")
    assert response.status_code == 405 and response.mimetype == "text/html"
    assert "GET" in response.headers["Allow"] and "TRACE" not in response.headers["Allow"]
    missing = client.get("/lv/nothing-here")
    assert missing.status_code == 404 and missing.mimetype == "text/html"


def test_cors_is_open_for_reading(client, content):
    response = client.get(f"{API}/consultations")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.open(f"{API}/consultations", method="OPTIONS",
                            headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200 and preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_the_api_is_rate_limited_with_a_json_429(client, demo):
    for _ in range(120):
        assert client.get(f"{API}/").status_code == 200
    response = client.get(f"{API}/news")
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "too_many_requests"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_query_count_does_not_grow_with_the_page_size(app, client, content, count_queries):
    db = _db()
    with app.app_context():
        consultation = db.session.query(Consultation).filter_by(slug=DEMO).one()
        for number in range(30):
            author = User(email=f"many{number}@example.test", display_name=f"Autors {number}")
            db.session.add(author)
            db.session.flush()
            db.session.add(Comment(consultation_id=consultation.id, section_id=consultation.sections[number % 3].id,
                                   author_id=author.id, stance="supports", body=f"Nr. {number}", status="approved",
                                   show_name=bool(number % 2), fingerprint=uuid.uuid4().hex,
                                   idempotency_key=uuid.uuid4().hex))
        db.session.commit()
    with count_queries as few:
        assert len(get_json(client, f"{API}/consultations/{DEMO}/comments?limit=2")["items"]) == 2
    with count_queries as many:
        assert len(get_json(client, f"{API}/consultations/{DEMO}/comments?limit=30")["items"]) == 30
    assert few.count == many.count
    with count_queries as positions:
        get_json(client, f"{API}/consultations/{DEMO}/positions")
    with count_queries as one_position:
        get_json(client, f"{API}/consultations/{DEMO}/positions?limit=1")
    assert positions.count == one_position.count


def test_the_documentation_page_exists_in_both_languages(client, demo, tmp_path):
    from .test_html_valid import check_html
    pages = {}
    for lang in ("lv", "en"):
        response = client.get(f"/{lang}/api/")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert f'<html lang="{lang}"' in html and f'href="{API}/openapi.json"' in html
        pages[f"/{lang}/api/"] = html
    assert check_html(pages, tmp_path) == []


# --- Behind a reverse proxy ------------------------------------------------------------------

def _app_behind(app, tmp_path, monkeypatch, proxies: int):
    """A second app on the same database, with CONSULT_PROXY_COUNT = proxies and a page that shows
    what it took the request to be."""
    from flask import request

    from consult import create_app
    monkeypatch.setenv("CONSULT_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("CONSULT_PROXY_COUNT", str(proxies))
    proxied = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                          "SECRET_KEY": "test-secret"})

    @proxied.get("/_seen")
    def seen():
        return {"addr": request.remote_addr, "scheme": request.scheme, "host": request.host}
    return proxied


FORWARDED = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "konsultacijas.example.lv"}


def test_behind_one_proxy_the_client_is_what_the_proxy_says(app, tmp_path, monkeypatch):
    client = _app_behind(app, tmp_path, monkeypatch, 1).test_client()
    seen = client.get("/_seen", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.2"}).get_json()
    # Only the value the proxy appended counts; 203.0.113.9 is what the client itself claimed.
    assert seen == {"addr": "198.51.100.7", "scheme": "https", "host": "konsultacijas.example.lv"}


def test_behind_two_proxies_the_second_value_from_the_right_counts(app, tmp_path, monkeypatch):
    client = _app_behind(app, tmp_path, monkeypatch, 2).test_client()
    headers = {"X-Forwarded-For": "192.0.2.1, 203.0.113.9, 198.51.100.7"}
    assert client.get("/_seen", headers=headers).get_json()["addr"] == "203.0.113.9"


def test_without_a_proxy_forwarded_headers_are_ignored(app, tmp_path, monkeypatch):
    client = _app_behind(app, tmp_path, monkeypatch, 0).test_client()
    seen = client.get("/_seen", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.2"}).get_json()
    assert seen == {"addr": "10.0.0.2", "scheme": "http", "host": "localhost"}


def test_behind_a_proxy_the_api_limits_each_client_not_the_proxy(app, demo, tmp_path, monkeypatch):
    proxied = _app_behind(app, tmp_path, monkeypatch, 1)
    client = proxied.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.2"  # the proxy
    first, second = {"X-Forwarded-For": "198.51.100.7"}, {"X-Forwarded-For": "198.51.100.8"}
    for _ in range(120):
        assert client.get(f"{API}/", headers=first).status_code == 200
    assert client.get(f"{API}/", headers=first).status_code == 429
    assert client.get(f"{API}/", headers=second).status_code == 200
