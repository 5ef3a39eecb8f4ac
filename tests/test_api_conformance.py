"""The API obeys its own OpenAPI document, as schemathesis judges it with every check on.

Schemathesis reads /api/v1/openapi.json from the app itself and calls the app in-process (WSGI):
generated valid and invalid parameters, methods the API does not serve, and chains of calls that
follow the links between answers. The seed is fixed and generation deterministic, so a failure
here is the same failure on every run.
"""
from __future__ import annotations

from collections import Counter

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from .test_api import API

EXAMPLES_PER_OPERATION = 80
SEED = 20140620


def _config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": SEED,
        "workers": 1,
        "checks": {"enabled": True},  # all of them, as `--checks all`
        "generation": {"max-examples": EXAMPLES_PER_OPERATION, "deterministic": True},
        # The in-process client does not undo Content-Encoding as an HTTP client would.
        "headers": {"Accept-Encoding": "identity"},
    })


def _run(app) -> tuple[list[str], Counter]:
    """Every distinct failure or error of the run, and how many answers of each (operation, status) came."""
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app, config=_config())
    problems: dict[tuple[str, str], str] = {}
    answers: Counter = Counter()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for interaction in event.recorder.interactions.values():
                if interaction.response is not None:
                    answers[(event.recorder.label, interaction.response.status_code)] += 1
            for nodes in event.recorder.checks.values():
                for node in nodes:
                    if node.failure_info is not None:
                        failure = node.failure_info.failure
                        problems.setdefault((event.recorder.label, failure.title),
                                            f"{failure.message}\n{node.failure_info.code_sample}")
        elif isinstance(event, events.NonFatalError):
            problems.setdefault((event.label, event.info.title), event.info.message)
        elif isinstance(event, events.FatalError):
            problems.setdefault(("run", "fatal error"), repr(event.exception))
        elif isinstance(event, events.EngineFinished):
            for failure in event.failures:
                problems.setdefault((failure.operation or "run", failure.title), failure.message)
    return [f"{label} — {title}:\n{detail}" for (label, title), detail in problems.items()], answers


def test_schemathesis_finds_no_failure(app, demo):
    from consult.extensions import limiter
    limiter.enabled = False  # thousands of requests from one client; the limit has its own test
    try:
        problems, answers = _run(app)
    finally:
        limiter.enabled = True
    assert not problems, "\n\n".join(problems)
    # It really ran: every operation of the document answered 200 at least once, and errors came too.
    document = app.test_client().get(f"{API}/openapi.json").get_json()
    # (Schemathesis leaves out the operation that serves the document it reads.)
    operations = {f"GET {path}" for path in document["paths"]} - {"GET /openapi.json"}
    assert operations <= {label for label, status in answers if status == 200}
    statuses = {status for _label, status in answers}
    assert {200, 400, 404, 405} <= statuses
