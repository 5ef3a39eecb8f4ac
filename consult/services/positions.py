"""Organisations and their formal positions: registration, verification, submission, publication."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..clock import utcnow
from ..extensions import db
from ..models import (
    Consultation,
    ModerationEvent,
    Organisation,
    Position,
    PositionSignature,
    Role,
    Section,
    Status,
    User,
)
from . import ids, publication, signatures
from .mail import send_email
from .refusals import Refused
from .uploads import StagedFile, clean_display_name

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
PDF_TYPE = "application/pdf"
CONTAINER_TYPE = "application/vnd.etsi.asic-e+zip"
REGISTRATION_NUMBER = re.compile(r"^\d{11}$")



def normalise_registration_number(raw: str | None) -> str | None:
    """Digits only (spaces and hyphens people type are dropped); None when left empty."""
    if raw is None:
        return None
    value = re.sub(r"[\s-]", "", raw)
    return value or None


def valid_registration_number(value: str) -> bool:
    return bool(REGISTRATION_NUMBER.match(value))


def register_organisation(user: User, name: str, registration_number: str | None, kind: str,
                          website: str) -> Organisation:
    organisation = Organisation(name=name, registration_number=registration_number, kind=kind, website=website,
                                created_by_id=user.id, representatives=[user])
    db.session.add(organisation)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Refused("position.registration_taken") from None
    return organisation


def organisations_of(user: User) -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).where(Organisation.representatives.any(User.id == user.id))
                                   .order_by(Organisation.name)))


def verify_organisation(organisation: Organisation, admin: User) -> None:
    """An admin vouches for the organisation (also one declined before); its representatives may then
    submit positions, and each is told by e-mail in their language.

    Raises Refused("position.already_verified").
    """
    if organisation.is_verified:
        raise Refused("position.already_verified")
    organisation.verified_at = utcnow()
    organisation.verified_by_id = admin.id
    organisation.declined_at = organisation.declined_by_id = organisation.decline_reason = None
    for representative in organisation.representatives:
        if representative.role == Role.CITIZEN:
            representative.role = Role.ORGANISATION
    db.session.add(ModerationEvent(actor_id=admin.id, action="verify", target_type="organisation",
                                   target_id=organisation.id))
    _tell_representatives(organisation, "organisation_verified")
    db.session.commit()


def decline_organisation(organisation: Organisation, admin: User, reason: str) -> None:
    """An admin could not verify the organisation and says why; the representatives are told by e-mail.

    Raises Refused("position.already_verified"): a verified organisation is not declined afterwards.
    """
    if organisation.is_verified:
        raise Refused("position.already_verified")
    organisation.declined_at = utcnow()
    organisation.declined_by_id = admin.id
    organisation.decline_reason = reason
    db.session.add(ModerationEvent(actor_id=admin.id, action="decline", target_type="organisation",
                                   target_id=organisation.id, note=reason))
    _tell_representatives(organisation, "organisation_declined")
    db.session.commit()


def _tell_representatives(organisation: Organisation, template: str) -> None:
    for person in organisation.representatives:
        if person.email and person.deleted_at is None:
            send_email(person.email, template, person.language, commit=False, name=person.display_name,
                       organisation=organisation)


def organisation_by_id(organisation_id: int) -> Organisation | None:
    """Any organisation, verified or not (for administrators)."""
    return ids.get(Organisation, organisation_id)


def organisation_page(organisation_id: int, user: User | None) -> tuple[Organisation, bool] | None:
    """The organisation and whether the reader is one of its representatives; None when the reader may
    not see it (an organisation is public once verified; before that only its representatives and
    administrators see it)."""
    organisation = organisation_by_id(organisation_id)
    if organisation is None:
        return None
    member = bool(user is not None and user.is_authenticated
                  and any(person.id == user.id for person in organisation.representatives))
    if not organisation.is_verified and not member and not (user is not None and user.is_authenticated
                                                             and user.has_role(Role.ADMIN)):
        return None
    return organisation, member


def organisation_positions(organisation: Organisation, member: bool) -> list[Position]:
    """The organisation's published positions, newest first; for its own representatives the pending ones too.

    The public sees only the positions published with the organisation's name: the others are shown
    elsewhere with only the kind of organisation, and listing them here would name it.
    """
    query = (select(Position).where(Position.organisation_id == organisation.id)
             .options(joinedload(Position.consultation), selectinload(Position.sections))
             .order_by(Position.created_at.desc(), Position.id.desc()))
    if member:
        query = query.where(Position.status.in_((Status.APPROVED, Status.PENDING)))
    else:
        query = query.where(Position.status == Status.APPROVED, Position.publish_name.is_(True))
    return list(db.session.scalars(query))


def check_pdf(data: bytes, filename: str | None) -> str:
    """Accepts a real PDF (by its bytes, and it must open) up to 10 MB; returns the display name."""
    if not data:
        raise Refused("attachment.empty")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise Refused("upload.too_large", limit=MAX_ATTACHMENT_BYTES)
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise Refused("attachment.not_pdf")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if len(reader.pages) < 1:
            raise Refused("attachment.not_pdf")
    except Refused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError):
        raise Refused("attachment.not_pdf") from None
    name = clean_display_name(filename, fallback="position.pdf")
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return name


@dataclass
class Attachment:
    """A checked upload: a PDF (signed or not) or a signed ASiC-E container, with what its signatures say."""
    data: bytes
    name: str
    signatures: signatures.SignatureReport


def check_attachment(data: bytes, filename: str | None, trust_dir: str | None) -> Attachment:
    """A PDF or an .edoc/.asice container up to 10 MB, with its signatures checked; else Refused."""
    if not data:
        raise Refused("attachment.empty")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise Refused("upload.too_large", limit=MAX_ATTACHMENT_BYTES)
    anchors = signatures.trust_anchors(trust_dir)
    if signatures.is_container_name(filename) or data.startswith(b"PK"):
        report = signatures.check_container(data, anchors)
        name = clean_display_name(filename, fallback="position.asice")
        if not signatures.is_container_name(name):
            name += ".asice"
        return Attachment(data=data, name=name, signatures=report)
    name = check_pdf(data, filename)
    return Attachment(data=data, name=name, signatures=signatures.check_pdf_signatures(data, anchors))


def attachment_type(position: Position) -> str:
    return CONTAINER_TYPE if position.attachment_is_container else PDF_TYPE


@dataclass
class NewPosition:
    organisation_id: int
    title: str
    body: str
    section_numbers: list[int]
    publish_name: bool
    language: str
    idempotency_key: str
    attachment: Attachment | None = None


def submit_position(consultation: Consultation, author: User, data: NewPosition) -> Position:
    if not consultation.is_open:
        raise Refused("position.closed")
    organisation = db.session.get(Organisation, data.organisation_id) \
        if 0 < data.organisation_id <= ids.MAX_ID else None
    if organisation is None or author not in organisation.representatives:
        raise Refused("position.not_representative")
    if not organisation.is_verified:
        raise Refused("position.not_verified")
    existing = db.session.scalar(select(Position).where(Position.author_id == author.id,
                                                        Position.idempotency_key == data.idempotency_key))
    if existing is not None:
        return existing
    sections = []
    if data.section_numbers:
        sections = list(db.session.scalars(select(Section).where(
            Section.consultation_id == consultation.id, Section.number.in_(data.section_numbers))))
        if len(sections) != len(set(data.section_numbers)) or not all(s.is_published() for s in sections):
            raise Refused("position.sections")
    attachment = data.attachment
    staged = StagedFile(current_app.config["UPLOAD_DIR"], attachment.data) if attachment else None
    version = publication.current_version(consultation)
    post_moderated = consultation.moderation_mode == "post"
    position = Position(
        consultation_id=consultation.id, organisation_id=organisation.id, author_id=author.id,
        version_id=version.id if version else None, title=data.title, body=data.body, language=data.language,
        whole_draft=not sections, sections=sections, publish_name=data.publish_name,
        attachment_name=attachment.name if staged else None, attachment_stored=staged.stored_name if staged else None,
        attachment_size=len(attachment.data) if staged else None,
        signature_status=attachment.signatures.status if attachment else None,
        signatures=[PositionSignature(signer_name=s.name[:300], issuer_name=s.issuer[:300], signed_at=s.signed_at,
                                      status=s.status) for s in attachment.signatures.signers] if attachment else [],
        status=Status.APPROVED if post_moderated else Status.PENDING, idempotency_key=data.idempotency_key)
    db.session.add(position)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if staged:
            staged.discard()
        stored = db.session.scalar(select(Position).where(Position.author_id == author.id,
                                                          Position.idempotency_key == data.idempotency_key))
        if stored is None:
            raise
        return stored
    except Exception:
        db.session.rollback()
        if staged:
            staged.discard()
        raise
    if staged:
        staged.commit()
    return position


def _published(consultation: Consultation):
    """The query of the consultation's approved positions, with what the public sees of each loaded."""
    return (select(Position).where(Position.consultation_id == consultation.id, Position.status == Status.APPROVED)
            .options(joinedload(Position.organisation), selectinload(Position.sections),
                     selectinload(Position.signatures)))


def public_positions(consultation: Consultation, section: Section | None = None) -> list[Position]:
    query = _published(consultation).order_by(Position.created_at.desc(), Position.id.desc())
    if section is not None:
        query = query.where(Position.whole_draft.is_(True) | Position.sections.any(Section.id == section.id))
    return list(db.session.scalars(query))


def public_positions_after(consultation: Consultation, after: int, count: int) -> list[Position]:
    """At most `count` approved positions on the consultation with an id above `after`, by id."""
    return list(db.session.scalars(_published(consultation).where(Position.id > after)
                                   .order_by(Position.id).limit(count)))


def count_public(consultation: Consultation) -> int:
    return db.session.scalar(select(func.count(Position.id)).where(
        Position.consultation_id == consultation.id, Position.status == Status.APPROVED)) or 0


def downloadable_position(position_id: int, user: User | None) -> Position | None:
    """A published position, or an unpublished one to its author and to moderators."""
    if not ids.in_range(position_id):
        return None
    position = db.session.get(Position, position_id)
    if position is None or not position.attachment_stored:
        return None
    if position.status == Status.APPROVED:
        return position
    if user is not None and user.is_authenticated and (user.id == position.author_id or user.has_role(Role.MODERATOR)):
        return position
    return None


def unverified_organisations() -> list[Organisation]:
    """Every organisation for the administrators' list: those waiting first, then declined, then verified."""
    return list(db.session.scalars(select(Organisation).options(selectinload(Organisation.representatives))
                                   .order_by(Organisation.verified_at.is_not(None),
                                             Organisation.declined_at.is_not(None), Organisation.created_at)))


def positions_by(user: User) -> list[Position]:
    """The positions this person submitted, every status, newest first (for "My activity")."""
    return list(db.session.scalars(
        select(Position).where(Position.author_id == user.id)
        .options(joinedload(Position.consultation), joinedload(Position.organisation))
        .order_by(Position.created_at.desc(), Position.id.desc())))
