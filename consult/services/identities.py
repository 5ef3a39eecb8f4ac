"""Accounts and OpenID Connect identities: who a provider's (issuer, subject) is on this site.

Plain functions without a request object. The sign-in protocol itself (state, nonce, PKCE, the ID
token's signature, issuer, audience and expiry) is checked in consult/account/oidc.py before any of
these run: here the claims are already the provider's word.
"""
from __future__ import annotations

import logging

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..clock import utcnow
from ..extensions import db
from ..forms import normalise_name
from ..models import LinkedIdentity, ModerationEvent, Role, User
from . import accounts
from .refusals import Refused

security_log = logging.getLogger("consult.security")



def identity_for(user: User, issuer: str) -> LinkedIdentity | None:
    return db.session.execute(select(LinkedIdentity).where(
        LinkedIdentity.user_id == user.id, LinkedIdentity.issuer == issuer)).scalar_one_or_none()


def is_linked_person(user: User, issuer: str, claims: dict) -> bool:
    """Whether the provider's answer is about the person this account is linked to."""
    identity = identity_for(user, issuer)
    return identity is not None and claims.get("sub") == identity.subject


def _find(issuer: str, subject: str) -> LinkedIdentity | None:
    return db.session.execute(select(LinkedIdentity).where(
        LinkedIdentity.issuer == issuer, LinkedIdentity.subject == subject)).scalar_one_or_none()


def _subject(claims: dict) -> str:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255 or "\x00" in subject:
        raise Refused("identity.bad_claims")
    return subject


def _claimed_email(claims: dict, email_claim: str) -> str:
    email = accounts.normalise_email(claims.get(email_claim) if isinstance(claims.get(email_claim), str) else "")
    return email if accounts.is_valid_email(email) else ""


def _claimed_name(claims: dict, name_claim: str, email: str) -> str:
    value = claims.get(name_claim)
    name = normalise_name(value) if isinstance(value, str) else ""
    name = name.replace("\x00", "")[: accounts.NAME_MAX_LENGTH].strip()
    return name or email.split("@", 1)[0][: accounts.NAME_MAX_LENGTH]


def _email_verified(claims: dict) -> bool:
    """The provider vouches for the address: `email_verified` true (some providers send the string)."""
    return claims.get("email_verified") in (True, "true")


def _staff_role(claims: dict, role_claim: str | None) -> str | None:
    """The staff role the provider grants, if it may grant one and does: the highest role it names."""
    if not role_claim:
        return None
    value = claims.get(role_claim)
    values = value if isinstance(value, list) else [value]
    granted = [role for role in Role.STAFF if role in values]
    return granted[-1] if granted else None


def _apply_role(user: User, claims: dict, role_claim: str | None, issuer: str) -> None:
    """When the provider governs staff roles, its answer sets them at every sign-in (audited like any
    role change). Citizen and organisation roles are the site's own and stay as they are."""
    if not role_claim:
        return
    granted = _staff_role(claims, role_claim)
    if granted is not None:
        new = granted
    elif user.is_staff:
        new = Role.CITIZEN
    else:
        return
    if new == user.role:
        return
    old, user.role = user.role, new
    user.end_other_sessions()
    db.session.add(ModerationEvent(actor_id=None, action="change_role", target_type="user", target_id=user.id,
                                   note=f"{old} → {new} ({issuer})"))


def sign_in(issuer: str, claims: dict, *, language: str, email_claim: str = "email", name_claim: str = "name",
            role_claim: str | None = None) -> tuple[User, bool]:
    """The account the provider's person signs in to, made on their first visit. Returns (user, created).

    A first visit makes a citizen account linked to (issuer, subject), its address confirmed when the
    provider says it verified it (otherwise the usual confirmation link is sent). An address that an
    unlinked account already uses is refused: that account's owner links the provider from the account
    page, so nobody takes over an account by presenting its address.

    Raises Refused: "bad_claims", "no_email", "email_taken", "inactive".
    """
    subject = _subject(claims)
    linked = _find(issuer, subject)
    if linked is not None:
        user = linked.user
        if not user.is_active:
            security_log.warning("identity sign-in refused: user=%s inactive issuer=%s", user.id, issuer)
            raise Refused("identity.inactive")
        _apply_role(user, claims, role_claim, issuer)
        linked.last_used_at = user.last_login_at = utcnow()
        db.session.commit()
        security_log.info("signed in through identity provider: user=%s issuer=%s", user.id, issuer)
        return user, False

    email = _claimed_email(claims, email_claim)
    if not email:
        raise Refused("identity.no_email")
    if accounts.find_user_by_email(email) is not None:
        security_log.warning("identity sign-in refused: address in use by an unlinked account, issuer=%s", issuer)
        raise Refused("identity.email_taken")
    now = utcnow()
    verified = _email_verified(claims)
    user = User(email=email, display_name=_claimed_name(claims, name_claim, email), password_hash="",
                role=Role.CITIZEN, language=language, consent_at=now, created_at=now, last_login_at=now,
                email_confirmed_at=now if verified else None)
    db.session.add(user)
    try:
        db.session.flush()
        _apply_role(user, claims, role_claim, issuer)
        db.session.add(LinkedIdentity(user_id=user.id, issuer=issuer, subject=subject, created_at=now,
                                      last_used_at=now))
        db.session.commit()
    except IntegrityError:  # the same person or address, in a parallel request a moment ago
        db.session.rollback()
        raise Refused("identity.email_taken") from None
    security_log.info("account created through identity provider: user=%s issuer=%s", user.id, issuer)
    if not verified:
        accounts.send_confirmation(user, language)
    return user, True


def link(user: User, issuer: str, claims: dict) -> LinkedIdentity:
    """Links the signed-in account to the provider's person.

    Raises Refused: "bad_claims", "linked_elsewhere" (the person is linked to another account),
    "already_linked" (this account is linked to someone else at this provider).
    """
    subject = _subject(claims)
    existing = _find(issuer, subject)
    if existing is not None:
        if existing.user_id == user.id:
            return existing
        raise Refused("identity.linked_elsewhere")
    if identity_for(user, issuer) is not None:
        raise Refused("identity.already_linked")
    identity = LinkedIdentity(user_id=user.id, issuer=issuer, subject=subject, last_used_at=utcnow())
    db.session.add(identity)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Refused("identity.linked_elsewhere") from None
    security_log.info("identity provider linked: user=%s issuer=%s", user.id, issuer)
    return identity


def unlink(user: User, issuer: str) -> bool:
    """Removes the link; refused while the account has no password, which would leave no way in.

    Returns False when there was no link. Raises Refused("identity.no_password").
    """
    identity = identity_for(user, issuer)
    if identity is None:
        return False
    if not user.password_hash:
        raise Refused("identity.no_password")
    db.session.delete(identity)
    db.session.commit()
    security_log.info("identity provider unlinked: user=%s issuer=%s", user.id, issuer)
    return True


def forget(user: User) -> None:
    """Removes every link of an account being deleted (no commit: the deletion commits)."""
    db.session.execute(delete(LinkedIdentity).where(LinkedIdentity.user_id == user.id))


def identities(user: User) -> list[LinkedIdentity]:
    return list(db.session.scalars(select(LinkedIdentity).where(LinkedIdentity.user_id == user.id)
                                   .order_by(LinkedIdentity.id)))
