"""The OpenAPI 3.1 description of /api/v1/ (its schemas are JSON Schema 2020-12).

The tests check every real answer of the API against these schemas, and every route
of the API blueprint against these paths, so the two cannot drift apart. The schemas
forbid properties they do not list: nothing undocumented (an e-mail address, a user
id) can slip into an answer without a test failing.
"""
from __future__ import annotations

from copy import deepcopy

from ..models import Channel, ConsultationStatus, OrganisationKind, RespondentType, Stance
from ..services.ids import MAX_ID
from ..services.signatures import STATUSES as SIGNATURE_STATUSES


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required: list[str] | None = None, description: str = "") -> dict:
    schema = {"type": "object", "properties": properties,
              "required": list(properties) if required is None else required, "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
INTEGER = {"type": "integer"}
# Ids and numbers in a request: the largest our integer columns hold.
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
DATE_TIME = {"type": "string", "format": "date-time", "description": "UTC, RFC 3339"}
NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time", "description": "UTC, RFC 3339"}
URL = {"type": "string", "format": "uri"}
HTML_LINKS = _object({"lv": URL, "en": URL}, description="The page for people, in Latvian and in English.")
LANGUAGE = {"type": "string", "enum": ["lv", "en"]}

SCHEMAS = {
    "Text": _object({"lv": STRING, "en": NULLABLE_STRING},
                    description="A text in Latvian and English; English is null where it has not been written. "
                                "Summaries, paragraphs, news bodies and change notes are Markdown."),
    "Error": _object({"error": _object({"status": INTEGER, "code": STRING, "message": STRING})}),
    "Index": _object({
        "name": STRING, "version": STRING, "description": STRING,
        "links": _object({"openapi": URL, "documentation": HTML_LINKS, "consultations": URL, "news": URL}),
    }),
    "Consultation": _object({
        "id": INTEGER, "slug": STRING,
        "status": {"type": "string", "enum": list(ConsultationStatus.PUBLIC)},
        "title": _ref("Text"), "summary": _ref("Text"), "institution": _ref("Text"),
        "moderation_mode": {"type": "string", "enum": ["pre", "post"],
                            "description": "pre: comments are published after a moderator approves them; "
                                           "post: at once, moderated afterwards."},
        "opens_at": NULLABLE_DATE_TIME, "closes_at": NULLABLE_DATE_TIME, "concluded_at": NULLABLE_DATE_TIME,
        "links": _object({"self": URL, "html": HTML_LINKS, "sections": URL, "comments": URL, "positions": URL,
                          "polls": URL}),
    }),
    "Version": _object({"number": INTEGER, "published_at": DATE_TIME, "change_note": _ref("Text")}),
    "SectionSummary": _object({
        "number": INTEGER, "title": _ref("Text"), "published_at": DATE_TIME, "comment_count": INTEGER,
        "links": _object({"self": URL, "html": HTML_LINKS}),
    }),
    "Paragraph": _object({"number": INTEGER, "label": {"type": "string", "examples": ["3.2"]},
                          "text": _ref("Text")}),
    "Section": _object({
        "number": INTEGER, "title": _ref("Text"), "published_at": DATE_TIME,
        "paragraphs": {"type": "array", "items": _ref("Paragraph"),
                       "description": "The paragraphs of the current version of the draft."},
        "links": _object({"self": URL, "html": HTML_LINKS}),
    }),
    "Author": _object({
        "name": {"type": ["string", "null"], "description": "Shown only when the author chose to sign with it."},
        "respondent_type": {"type": ["string", "null"], "enum": [*RespondentType.ALL, None],
                            "description": "Shown instead of the name when the author chose so."},
    }, description="Exactly one of name and respondent_type is set."),
    "Comment": _object({
        "id": INTEGER, "section": INTEGER,
        "paragraph": {"type": ["string", "null"], "description": "3.2, or null for a comment on the whole section"},
        "parent_id": {"type": ["integer", "null"], "description": "The comment this one replies to."},
        "stance": {"type": "string", "enum": list(Stance.ALL)},
        "body": {"type": "string", "description": "Plain text, as written."},
        "language": LANGUAGE, "author": _ref("Author"), "created_at": DATE_TIME,
        "version": {"type": ["integer", "null"], "description": "The version of the draft it was made on."},
        "channel": {"type": "string", "enum": list(Channel.ALL),
                    "description": "web: written on this site; letter, email, meeting: an offline submission that "
                                   "the working group entered (its author is then the sender, an organisation's "
                                   "name or the respondent type)."},
        "received_on": {"type": ["string", "null"], "format": "date",
                        "description": "The day an offline submission was received (Riga); null for web comments."},
        "links": _object({"html": HTML_LINKS}),
    }),
    "Position": _object({
        "id": INTEGER, "title": STRING, "body": {"type": "string", "description": "Plain text, as written."},
        "language": LANGUAGE,
        "organisation": _object({
            "name": {"type": ["string", "null"],
                     "description": "null when the organisation did not agree to publish its name."},
            "kind": {"type": "string", "enum": list(OrganisationKind.ALL)},
            "verified": {"type": "boolean"},
        }),
        "whole_draft": {"type": "boolean"},
        "sections": {"type": "array", "items": INTEGER, "description": "Numbers of the sections it concerns."},
        "created_at": DATE_TIME,
        "attachment": {"oneOf": [{"type": "null"}, _object({
            "name": STRING, "size": INTEGER, "url": URL,
            "signature_status": {"type": ["string", "null"], "enum": [*SIGNATURE_STATUSES, None],
                                 "description": "The worst of the signatures' statuses; null when not signed."},
            "signatures": {"type": "array", "items": _object({
                "signer": {"type": "string", "description": "The common name in the signer's certificate."},
                "issuer": {"type": "string", "description": "The certificate authority that issued it."},
                "signed_at": NULLABLE_DATE_TIME,
                "status": {"type": "string", "enum": list(SIGNATURE_STATUSES)}})},
        })]},
        "links": _object({"html": HTML_LINKS}),
    }),
    "PollResults": _object({
        "voters": INTEGER,
        "options": {"type": "array", "items": _object({
            "id": INTEGER, "votes": INTEGER,
            "share": {"type": "number", "minimum": 0, "maximum": 1, "description": "Of the voters."}})},
    }),
    "Poll": _object({
        "id": INTEGER, "question": _ref("Text"), "multiple": {"type": "boolean"},
        "opens_at": NULLABLE_DATE_TIME, "closes_at": NULLABLE_DATE_TIME,
        "consultation": {"type": ["string", "null"], "description": "The slug of its consultation."},
        "options": {"type": "array", "items": _object({"id": INTEGER, "label": _ref("Text")})},
        "results": {"oneOf": [{"type": "null"}, _ref("PollResults")],
                    "description": "null until the poll shows its results to everyone."},
        "links": _object({"self": URL, "html": HTML_LINKS}),
    }),
    "NewsItem": _object({
        "id": INTEGER, "slug": STRING, "title": _ref("Text"), "body": _ref("Text"), "published_at": DATE_TIME,
        "consultation": {"type": ["string", "null"], "description": "The slug of its consultation."},
        "links": _object({"html": HTML_LINKS}),
    }),
}
SCHEMAS["ConsultationDetail"] = deepcopy(SCHEMAS["Consultation"])
SCHEMAS["ConsultationDetail"]["properties"].update({
    "current_version": {"type": ["integer", "null"]},
    "versions": {"type": "array", "items": _ref("Version")},
    "sections": {"type": "array", "items": _ref("SectionSummary"), "description": "Published sections."},
})
SCHEMAS["ConsultationDetail"]["required"] = list(SCHEMAS["ConsultationDetail"]["properties"])
SCHEMAS["SectionDetail"] = deepcopy(SCHEMAS["Section"])
SCHEMAS["SectionDetail"]["properties"]["version"] = {"type": ["integer", "null"]}
SCHEMAS["SectionDetail"]["required"] = list(SCHEMAS["SectionDetail"]["properties"])


def _page_of(item: str) -> dict:
    return _object({"items": {"type": "array", "items": _ref(item)},
                    "next_cursor": {"type": ["string", "null"],
                                    "description": "Pass as ?cursor= for the next page; null on the last page."}})


SCHEMAS.update({
    "ConsultationPage": _page_of("Consultation"),
    "CommentPage": _page_of("Comment"),
    "PositionPage": _page_of("Position"),
    "NewsPage": _page_of("NewsItem"),
    "SectionList": _object({"version": {"type": ["integer", "null"]},
                            "items": {"type": "array", "items": _ref("Section")}}),
    "PollList": _object({"items": {"type": "array", "items": _ref("Poll")}}),
})

PARAMETERS = {
    "slug": {"name": "slug", "in": "path", "required": True, "schema": STRING,
             "description": "The consultation's slug, as in its address on the site."},
    "limit": {"name": "limit", "in": "query", "required": False,
              "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50},
              "description": "How many items a page holds."},
    "cursor": {"name": "cursor", "in": "query", "required": False, "schema": STRING,
               "description": "The next_cursor of the previous page (opaque); left out or empty: the first "
                              "page. A cursor this list did not give out is answered with 404."},
}


def _response(description: str, schema: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}},
            "headers": {"ETag": {"schema": STRING}, "Cache-Control": {"schema": STRING}}}


ERRORS = {
    "304": {"description": "Not modified: the ETag sent in If-None-Match is still current."},
    "400": {"description": "A parameter is not valid (a limit, status or section outside what its schema allows, "
                           "empty included).",
            "content": {"application/json": {"schema": _ref("Error")}}},
    "404": {"description": "Nothing is published here, or no page of this list has this cursor.",
            "content": {"application/json": {"schema": _ref("Error")}}},
    "429": {"description": "Too many requests from this client (120 a minute).",
            "content": {"application/json": {"schema": _ref("Error")}}},
}


def _get(summary: str, schema: str, parameters=(), description: str = "", operation_id: str = "") -> dict:
    operation = {"summary": summary, "operationId": operation_id,
                 "parameters": list(parameters),
                 "responses": {"200": _response(summary, schema), **ERRORS}}
    if description:
        operation["description"] = description
    return {"get": operation}


SLUG = {"$ref": "#/components/parameters/slug"}
LIMIT = {"$ref": "#/components/parameters/limit"}
CURSOR = {"$ref": "#/components/parameters/cursor"}

PATHS = {
    "/": _get("What the API offers", "Index", operation_id="index"),
    "/openapi.json": {"get": {"summary": "This description", "operationId": "openapi",
                              "responses": {"200": {"description": "OpenAPI 3.1",
                                                    "content": {"application/json": {"schema": {"type": "object"}}}}}}},
    "/consultations": _get(
        "Published consultations", "ConsultationPage", operation_id="listConsultations",
        parameters=[{"name": "status", "in": "query", "required": False,
                     "schema": {"type": "string", "enum": list(ConsultationStatus.PUBLIC)}}, LIMIT, CURSOR]),
    "/consultations/{slug}": _get(
        "One consultation, its published versions and sections", "ConsultationDetail", [SLUG],
        operation_id="getConsultation"),
    "/consultations/{slug}/sections": _get(
        "Published sections with the paragraphs of the current version", "SectionList", [SLUG],
        operation_id="listSections"),
    "/consultations/{slug}/sections/{number}": _get(
        "One published section with its paragraphs", "SectionDetail",
        [SLUG, {"name": "number", "in": "path", "required": True, "schema": ID}],
        operation_id="getSection"),
    "/consultations/{slug}/comments": _get(
        "Published comments, oldest first", "CommentPage",
        [SLUG, {"name": "section", "in": "query", "required": False, "schema": ID,
                "description": "Only the comments on this section."}, LIMIT, CURSOR],
        description="Comments waiting for moderation, rejected, hidden or withdrawn are never listed. "
                    "The author is shown only as they chose: their name, or else their respondent type.",
        operation_id="listComments"),
    "/consultations/{slug}/positions": _get(
        "Published positions of organisations", "PositionPage", [SLUG, LIMIT, CURSOR],
        operation_id="listPositions"),
    "/consultations/{slug}/polls": _get(
        "The consultation's polls and, when they are shown, their results", "PollList", [SLUG],
        operation_id="listPolls"),
    "/polls/{poll_id}": _get(
        "One poll and, when they are shown, its results", "Poll",
        [{"name": "poll_id", "in": "path", "required": True, "schema": ID}],
        operation_id="getPoll"),
    "/news": _get("Published news, oldest first", "NewsPage", [LIMIT, CURSOR], operation_id="listNews"),
}


def document(server_url: str) -> dict:
    """The OpenAPI document; `server_url` is where /api/v1 is served."""
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "consult open data",
            "version": "1.0.0",
            "description": (
                "Read-only JSON of what the public consultation site publishes: consultations, their sections "
                "and paragraphs in Latvian and English, published comments and positions, poll results and "
                "news. Nothing unpublished and no e-mail address is ever included.\n\n"
                "Lists are paged with an opaque cursor (`next_cursor`). Every answer has an ETag and may be "
                "cached for 60 seconds; send If-None-Match to get 304 Not Modified. Each client may make 120 "
                "requests a minute. Any web page may read the API (CORS)."),
        },
        "servers": [{"url": server_url}],
        "paths": deepcopy(PATHS),
        "components": {"schemas": deepcopy(SCHEMAS), "parameters": deepcopy(PARAMETERS)},
    }
