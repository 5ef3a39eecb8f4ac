"""The test OpenID Connect provider (oidc-provider in Node.js, tests/oidc/) and tools to bend its answers.

The provider signs with a key made here at test time, so a test can change an ID token's claims and sign
it again with the provider's own key (only the changed claim is wrong), or sign it with a key the
provider never published. The site's verification code is untouched: the changed token reaches Authlib
as the body of the provider's real token-endpoint response.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from joserfc import jws, jwt
from joserfc.jwk import RSAKey

PROVIDER_DIR = Path(__file__).parent / "oidc"
CLIENT_ID = "consult"
CLIENT_SECRET = "consult-test-secret"
KEY_ID = "consult-test-key"


def new_signing_key(kid: str = KEY_ID) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"}, private=True)


@contextlib.contextmanager
def running_provider(redirect_uris: list[str], key: RSAKey, ask_consent: bool = False) -> Iterator[str]:
    """Starts the provider on a free port (installing it first if needed), yields its issuer, stops it.
    With `ask_consent` it shows its consent page after the sign-in form."""
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run(["npm", "ci", "--silent", "--no-audit", "--no-fund", "--prefix", str(PROVIDER_DIR)],
                       check=True)
    env = {**os.environ, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET,
           "OIDC_REDIRECT_URIS": " ".join(redirect_uris),
           "OIDC_JWKS": json.dumps({"keys": [key.as_dict(private=True)]}),
           "OIDC_ASK_CONSENT": "1" if ask_consent else "0"}
    process = subprocess.Popen(["node", str(PROVIDER_DIR / "server.js")], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the test provider did not start (run: npm ci --prefix tests/oidc)")
        yield json.loads(line)["issuer"]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def tamper_token_response(monkeypatch, token_endpoint: str, change: Callable[[dict], dict]) -> list[dict]:
    """From now on, the JSON the provider's token endpoint answers passes through `change` before the
    site's client reads it. Returns the list of the original answers, for the test to look at."""
    original_send = requests.Session.send
    seen: list[dict] = []

    def send(self, request, **kwargs):
        response = original_send(self, request, **kwargs)
        if request.method == "POST" and request.url == token_endpoint and response.ok:
            body = response.json()
            seen.append(dict(body))
            response._content = json.dumps(change(body)).encode()
        return response

    monkeypatch.setattr(requests.Session, "send", send)
    return seen


def id_token_parts(id_token: str) -> tuple[dict, dict]:
    """(header, claims) of a compact JWS, read without checking anything."""
    extracted = jws.extract_compact(id_token.encode())
    return dict(extracted.protected), json.loads(extracted.payload)


def resign(id_token: str, key: RSAKey, header_changes: dict | None = None, **changes) -> str:
    """The same ID token with `changes` to its claims (None removes a claim), signed by `key` under
    the original header (so the same `kid`) with `header_changes`."""
    header, claims = id_token_parts(id_token)
    header.update(header_changes or {})
    for name, value in changes.items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    return jwt.encode(header, claims, key)
