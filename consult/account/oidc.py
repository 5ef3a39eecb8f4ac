"""Sign-in through an OpenID Connect provider (authorization code flow with PKCE), through Authlib.

Authlib keeps the flow's `state`, `nonce` and PKCE verifier in the session, refuses a callback whose
`state` it did not issue, exchanges the code and checks the ID token's signature against the
provider's published keys and its nonce; the issuer, audience and expiry are required here
explicitly (Authlib alone would accept a token whose audience is another client named in `azp`).
What the site then does with the person is in services.identities.

The whole feature is off, and every page as before, unless CONSULT_OIDC_ISSUER and
CONSULT_OIDC_CLIENT_ID are set.
"""
from __future__ import annotations

import logging
import re
import time
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingAlgorithmError,
    MissingClaimError,
    UnsupportedAlgorithmError,
)

from ..auth import require_login
from ..extensions import limiter
from ..i18n import LANGUAGES, current_language
from ..security import CSP, csp_with_form_action
from ..services import identities
from ..services.refusals import Refused
from ..textsize import safe_next
from . import bp
from .common import PENDING_SIGN_IN
from .forms import ButtonForm

security_log = logging.getLogger("consult.security")

# The callback has no language in its path, so one redirect URI is registered at the provider.
callback_bp = Blueprint("oidc", __name__, url_prefix="/oidc")

FLOW = "oidc_flow"            # what the started flow is for, in which language, and where to go after
FLOW_SECONDS = 10 * 60        # an abandoned flow is void after this long
HTTP_TIMEOUT = 10             # seconds for each request to the provider
DISCOVERY_RETRY = 60          # seconds before an unanswered discovery document is asked for again
LEEWAY = 60                   # seconds of clock difference allowed for the ID token's times


def is_configured(app: Flask | None = None) -> bool:
    config = (app or current_app).config
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def issuer() -> str:
    return current_app.config["OIDC_ISSUER"].rstrip("/")


def provider_name() -> str:
    """The name on the button: CONSULT_OIDC_PROVIDER_NAME, or the provider's host."""
    return current_app.config.get("OIDC_PROVIDER_NAME") or urlsplit(issuer()).hostname or issuer()


def staff_only() -> bool:
    return is_configured() and bool(current_app.config.get("OIDC_STAFF_ONLY"))


def _client():
    """The Authlib client for the current settings (made again when a setting changes)."""
    config = current_app.config
    key = (issuer(), config["OIDC_CLIENT_ID"], config.get("OIDC_CLIENT_SECRET"), config.get("OIDC_SCOPES"))
    state = current_app.extensions["consult.oidc"]
    if key not in state["clients"]:
        name = f"provider{len(state['clients']) + 1}"
        state["clients"][key] = state["oauth"].register(
            name, client_id=key[1], client_secret=key[2],
            server_metadata_url=f"{key[0]}/.well-known/openid-configuration",
            client_kwargs={"scope": key[3] or "openid email profile", "code_challenge_method": "S256",
                           "default_timeout": HTTP_TIMEOUT})
    return state["clients"][key]


def redirect_uri() -> str:
    """The address registered at the provider: CONSULT_BASE_URL + /oidc/callback."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for("oidc.callback")


def start(intent: str, next_url: str = "", user=None, **details):
    """Sends the browser to the provider. `intent`: "sign_in", "link" (the signed-in account),
    "staff_link" (a staff member whose password was right, linking before their first sign-in) or
    "confirm" (the signed-in owner of an account without a password confirms `action` by signing in at
    the provider again, which stands in for the password: "delete", "email" with the new `email`,
    "password" (then they may set one), "two_step_off" (its code was checked before) or "recovery_codes")."""
    flow = {"intent": intent, "lang": current_language(), "next": safe_next(next_url, ""), "at": int(time.time()),
            **details}
    if user is not None:
        flow.update(u=user.id, t=user.session_token)
    # To confirm, the provider must ask for the person's credentials now, not reuse its own session.
    fresh = {"prompt": "login", "max_age": 0} if intent == "confirm" else {}
    client = _client()
    try:
        response = client.authorize_redirect(redirect_uri(), **fresh)
    except (requests.RequestException, ValueError, KeyError, RuntimeError):
        security_log.warning("identity provider unreachable: issuer=%s", issuer())
        flash(_("%(provider)s cannot be reached just now. Please try again later.", provider=provider_name()),
              "error")
        return redirect(url_for("account.login"), code=303)
    session[FLOW] = flow
    return response


def _check_discovery(client) -> None:
    """The provider's discovery document must name the configured issuer (OpenID Connect Discovery §4.3)."""
    if client.load_server_metadata().get("issuer", "").rstrip("/") != issuer():
        raise OAuthError(error="issuer_mismatch")


def _claims_options() -> dict:
    return {"iss": {"essential": True, "value": client_issuer()},
            "aud": {"essential": True, "value": current_app.config["OIDC_CLIENT_ID"]}}


def client_issuer() -> str:
    """The issuer exactly as the provider writes it (with or without a final slash)."""
    return _client().load_server_metadata().get("issuer") or issuer()


def _finish() -> dict:
    """The verified ID token's claims (and the user-info claims for the same subject), or SignInFailed."""
    client = _client()
    try:
        _check_discovery(client)
        token = client.authorize_access_token(claims_options=_claims_options(), leeway=LEEWAY)
    except MismatchingStateError:
        raise SignInFailed("state") from None
    except OAuthError as error:
        if error.error == "access_denied":
            raise SignInFailed("denied") from None
        if error.error == "invalid_grant":
            raise SignInFailed("code") from None
        raise SignInFailed("provider") from None
    except ExpiredTokenError:
        raise SignInFailed("expired") from None
    except (BadSignatureError, InvalidKeyIdError, UnsupportedAlgorithmError, MissingAlgorithmError):
        # A wrong signature, a key the provider does not publish, or no signature at all ("alg": "none"
        # or an algorithm the provider does not announce): not signed by the provider either way.
        raise SignInFailed("signature") from None
    except (InvalidClaimError, MissingClaimError) as error:
        raise SignInFailed("audience" if getattr(error, "claim", "") in ("aud", "azp") else "token") from None
    except JoseError:
        raise SignInFailed("token") from None
    except (requests.RequestException, ValueError):
        raise SignInFailed("unreachable") from None
    claims = token.get("userinfo")
    if not claims:
        raise SignInFailed("token")  # no ID token, or a flow started without a nonce
    claims = dict(claims)
    metadata = client.load_server_metadata()
    if metadata.get("userinfo_endpoint") and token.get("access_token"):
        try:
            info = client.userinfo(token=token)
        except (requests.RequestException, ValueError, OAuthError):
            info = {}
        if info.get("sub") == claims.get("sub"):  # OpenID Connect Core §5.3.2: only for the same person
            claims = {**info, **claims}
    return claims


class SignInFailed(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def failure_message(code: str) -> str:
    provider = provider_name()
    messages = {
        "state": _("The sign-in through %(provider)s could not be checked: it did not start on this site or was "
                   "started again in another tab. Please sign in again.", provider=provider),
        "code": _("This sign-in through %(provider)s has already been used or has expired. Please sign in again.",
                  provider=provider),
        "expired": _("%(provider)s sent a sign-in that has already expired. Please sign in again.",
                     provider=provider),
        "signature": _("%(provider)s's answer is not signed with its keys, so it was refused. Nobody was signed in.",
                       provider=provider),
        "audience": _("%(provider)s's answer was meant for another site, so it was refused. Nobody was signed in.",
                      provider=provider),
        "token": _("%(provider)s's answer could not be verified, so it was refused. Nobody was signed in.",
                   provider=provider),
        "denied": _("The sign-in was cancelled at %(provider)s.", provider=provider),
        "provider": _("%(provider)s refused the sign-in. Please try again later.", provider=provider),
        "unreachable": _("%(provider)s cannot be reached just now. Please try again later.", provider=provider),
        "timeout": _("Signing in took too long or was interrupted. Please sign in again."),
        "bad_claims": _("%(provider)s's answer could not be verified, so it was refused. Nobody was signed in.",
                        provider=provider),
        "no_email": _("%(provider)s did not give an e-mail address, which an account here needs. Nobody was "
                      "signed in.", provider=provider),
        "email_taken": _("An account with this e-mail address already exists. Sign in with its password, then "
                         "connect %(provider)s on your account page.", provider=provider),
        "inactive": _("This account cannot sign in."),
        "linked_elsewhere": _("This %(provider)s identity is already connected to another account.",
                              provider=provider),
        "already_linked": _("Your account is already connected to another %(provider)s identity. Disconnect it "
                            "first.", provider=provider),
        "not_staff_link": _("Sign in through %(provider)s with the identity that belongs to this account.",
                            provider=provider),
        "not_same_person": _("You signed in at %(provider)s as somebody other than the person connected to "
                             "this account. Nothing was changed.", provider=provider),
        "not_fresh": _("%(provider)s did not ask you to sign in again, so it did not confirm that it is you. "
                       "Nothing was changed.", provider=provider),
    }
    return messages.get(code, messages["token"])


def _flow() -> dict | None:
    flow = session.pop(FLOW, None)
    if not isinstance(flow, dict) or not isinstance(flow.get("at"), int):
        return None
    if not 0 <= time.time() - flow["at"] <= FLOW_SECONDS:
        return None
    return flow


def _signed_in(user, next_url: str):
    """Finishes a sign-in: a new session; staff with two-step verification still owe a code."""
    session.clear()
    if user.has_two_step:
        session[PENDING_SIGN_IN] = {"u": user.id, "t": user.session_token, "at": int(time.time()),
                                    "next": next_url}
        return redirect(url_for("account.login_code"), code=303)
    login_user(user)
    flash(_("You are signed in."), "success")
    return redirect(safe_next(next_url, url_for("account.activity")), code=303)


@callback_bp.get("/callback")
@limiter.limit("30 per minute")
def callback():
    if not is_configured():
        return redirect(url_for("account.login", lang=current_language()), code=303)
    flow = _flow()
    g.lang = flow["lang"] if flow and flow.get("lang") in LANGUAGES else current_language()
    if flow is None:
        return _refuse("timeout")
    try:
        claims = _finish()
    except SignInFailed as error:
        security_log.warning("identity sign-in refused: %s issuer=%s", error.code, issuer())
        return _refuse(error.code, flow)
    config = current_app.config
    intent = flow.get("intent")
    if intent == "confirm":
        return _confirmed(flow, claims)
    try:
        if intent == "link":
            user = current_user._get_current_object() if current_user.is_authenticated else None
            if user is None or user.id != flow.get("u") or user.session_token != flow.get("t"):
                return _refuse("timeout")
            identities.link(user, issuer(), claims)
            flash(_("Your account is now connected to %(provider)s.", provider=provider_name()), "success")
            return redirect(url_for("account.activity"), code=303)
        if intent == "staff_link":
            from ..services import accounts
            user = accounts.user_for_staff_link(flow.get("u"), flow.get("t"))
            if user is None:
                return _refuse("timeout")
            identities.link(user, issuer(), claims)
            user, _created = identities.sign_in(issuer(), claims, language=g.lang,
                                                email_claim=config["OIDC_EMAIL_CLAIM"],
                                                name_claim=config["OIDC_NAME_CLAIM"],
                                                role_claim=config.get("OIDC_ROLE_CLAIM"))
            if user.id != flow.get("u"):
                return _refuse("not_staff_link")
            return _signed_in(user, flow.get("next") or "")
        user, _created = identities.sign_in(issuer(), claims, language=g.lang,
                                            email_claim=config["OIDC_EMAIL_CLAIM"],
                                            name_claim=config["OIDC_NAME_CLAIM"],
                                            role_claim=config.get("OIDC_ROLE_CLAIM"))
    except Refused as refused:
        return _refuse(refused.reason, flow)
    return _signed_in(user, flow.get("next") or "")


def _confirmed(flow: dict, claims: dict):
    """Carries out what the owner of an account without a password confirmed at the provider: only for
    the same signed-in session that asked, the person linked to it, and a sign-in made just now."""
    from . import email_address, own_data, passwords, two_step
    user = current_user._get_current_object() if current_user.is_authenticated else None
    if user is None or user.id != flow.get("u") or user.session_token != flow.get("t") or user.password_hash:
        return _refuse("timeout")
    if not identities.is_linked_person(user, issuer(), claims):
        security_log.warning("identity confirmation refused: another person, user=%s issuer=%s", user.id, issuer())
        return _refuse("not_same_person", flow)
    auth_time = claims.get("auth_time")
    if isinstance(auth_time, bool) or not isinstance(auth_time, (int, float)) or auth_time < flow["at"] - LEEWAY:
        security_log.warning("identity confirmation refused: no fresh sign-in, user=%s issuer=%s", user.id,
                             issuer())
        return _refuse("not_fresh", flow)
    if flow.get("action") == "delete":
        return own_data.delete_confirmed(user)
    if flow.get("action") == "email" and isinstance(flow.get("email"), str):
        return email_address.email_change_confirmed(user, flow["email"])
    if flow.get("action") == "password":
        return passwords.password_confirmed(user)
    if flow.get("action") == "two_step_off" and user.has_two_step:
        return two_step.two_step_off_confirmed(user)
    if flow.get("action") == "recovery_codes" and user.has_two_step:
        return two_step.recovery_codes_confirmed(user)
    return _refuse("timeout")


# After a refusal, the page the person came from.
RETURN_TO = {"link": "account.activity", ("confirm", "delete"): "account.delete",
             ("confirm", "email"): "account.change_email", ("confirm", "password"): "account.change_password",
             ("confirm", "two_step_off"): "account.two_step", ("confirm", "recovery_codes"): "account.two_step"}


def _refuse(code: str, flow: dict | None = None):
    flash(failure_message(code), "error")
    if flow and current_user.is_authenticated:
        intent = flow.get("intent")
        page = RETURN_TO.get(intent if intent != "confirm" else (intent, flow.get("action")))
        if page:
            return redirect(url_for(page, lang=g.lang), code=303)
    return redirect(url_for("account.login", lang=g.lang), code=303)


def can_confirm(user) -> bool:
    """Whether an account without a password can confirm a change by signing in at the provider again."""
    return is_configured() and identities.identity_for(user, issuer()) is not None


# --- Pages under /<lang>/account/ ----------------------------------------------------------

def _user_key() -> str:
    return f"user:{current_user.id}" if current_user.is_authenticated else f"client:{request.remote_addr}"


@bp.post("/oidc/start/")
@limiter.limit("20 per minute")
def oidc_start():
    if not is_configured() or not ButtonForm().validate_on_submit():
        return redirect(url_for(".login"), code=303)
    if current_user.is_authenticated:
        return redirect(url_for(".activity"), code=303)
    return start("sign_in", request.form.get("next", ""))


@bp.post("/oidc/link/")
@require_login
@limiter.limit("10 per hour", key_func=_user_key)
def oidc_link():
    if not is_configured() or not ButtonForm().validate_on_submit():
        return redirect(url_for(".activity"), code=303)
    return start("link", user=current_user._get_current_object())


@bp.post("/oidc/unlink/")
@require_login
@limiter.limit("10 per hour", key_func=_user_key)
def oidc_unlink():
    if not is_configured() or not ButtonForm().validate_on_submit():
        return redirect(url_for(".activity"), code=303)
    user = current_user._get_current_object()
    try:
        removed = identities.unlink(user, issuer())
    except Refused:
        flash(_("Your account has no password yet, so %(provider)s is the only way to sign in to it. Set a "
                "password first (use “Forgotten your password?” on the sign-in page).", provider=provider_name()),
              "error")
    else:
        if removed:
            flash(_("Your account is no longer connected to %(provider)s.", provider=provider_name()), "success")
    return redirect(url_for(".activity"), code=303)


_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?")


def _origin(url) -> str | None:
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin if _ORIGIN.fullmatch(origin) else None


def provider_origins() -> list[str]:
    """Where the sign-in buttons lead: the issuer's origin and its authorization endpoint's, which may
    be another host. The discovery document is read once, the first time a page with a button is
    served, so that its very first click is allowed too; a provider that does not answer is asked
    again only after DISCOVERY_RETRY seconds, so it slows down one page a minute at most."""
    client = _client()
    metadata = client.server_metadata
    if not metadata.get("authorization_endpoint"):
        state = current_app.extensions["consult.oidc"]
        failed_at = state["discovery_failed"].get(issuer())
        if failed_at is None or time.monotonic() - failed_at > DISCOVERY_RETRY:
            try:
                metadata = client.load_server_metadata()
            except (requests.RequestException, ValueError):
                state["discovery_failed"][issuer()] = time.monotonic()
                security_log.warning("identity provider unreachable: issuer=%s", issuer())
    origins = [_origin(issuer()), _origin(metadata.get("authorization_endpoint"))]
    return sorted({origin for origin in origins if origin})


def init_app(app: Flask) -> None:
    app.extensions["consult.oidc"] = {"oauth": OAuth(app), "clients": {}, "discovery_failed": {}}
    app.register_blueprint(callback_bp)

    @app.after_request
    def _allow_forms_to_the_provider(response):
        """The account pages' forms (sign in, connect, confirm) end in a redirect to the provider, which
        the Content-Security-Policy's form-action must allow; other pages keep the strict policy."""
        if request.blueprint != "account" or not is_configured() or response.mimetype != "text/html":
            return response
        if response.headers.get("Content-Security-Policy", CSP) == CSP:
            response.headers["Content-Security-Policy"] = csp_with_form_action(provider_origins())
        return response

    @app.context_processor
    def _oidc():
        if not is_configured():
            return {"oidc_provider": None}
        return {"oidc_provider": provider_name()}
