"""Electronic signatures on positions: signed PDFs (PAdES) and ASiC-E containers (.edoc, .asice).

pyHanko checks PDF signatures, signxml the XAdES signatures inside ASiC-E containers, and
pyhanko-certvalidator the signer's certificate against the trust anchors: the CA certificates in
the folder that CONSULT_SIGNATURE_TRUST_DIR names. With no folder configured a signature that is
intact is reported as "unverified": present, but nobody vouches for the signer.
Nothing is fetched from the network: no revocation lists, no missing intermediate certificates.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import io
import logging
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from ..models.organisation import SIGNED_CONTAINER_SUFFIXES
from .refusals import Refused

ASICE_MIMETYPE = b"application/vnd.etsi.asic-e+zip"
MAX_CONTAINER_FILES = 100
MAX_CONTAINER_UNPACKED = 50 * 1024 * 1024
MAX_SIGNATURES = 20

# The order matters: a document's status is the worst of its signatures' statuses.
VALID, UNVERIFIED, UNTRUSTED, EXPIRED, BROKEN = "valid", "unverified", "untrusted", "expired", "broken"
STATUSES = (VALID, UNVERIFIED, UNTRUSTED, EXPIRED, BROKEN)

log = logging.getLogger(__name__)


@dataclass
class Signer:
    name: str
    issuer: str
    signed_at: datetime | None
    status: str


@dataclass
class SignatureReport:
    """What the signatures of one document say; `status` is None when the document is not signed."""
    kind: str
    signers: list[Signer] = field(default_factory=list)

    @property
    def status(self) -> str | None:
        if not self.signers:
            return None
        return max((s.status for s in self.signers), key=STATUSES.index)


def is_container_name(filename: str | None) -> bool:
    return bool(filename) and filename.lower().endswith(SIGNED_CONTAINER_SUFFIXES)


def trust_anchors(folder: str | None) -> list[asn1_x509.Certificate]:
    """The CA certificates (PEM or DER) in the folder; files that are not certificates are skipped."""
    if not folder or not Path(folder).is_dir():
        return []
    anchors = []
    for path in sorted(Path(folder).iterdir()):
        if not path.is_file() or path.stat().st_size > 1024 * 1024:
            continue
        data = path.read_bytes()
        try:
            certificates = x509.load_pem_x509_certificates(data) if b"-----BEGIN" in data \
                else [x509.load_der_x509_certificate(data)]
        except ValueError:
            log.warning("not a certificate, skipped: %s", path)
            continue
        anchors += [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in certificates]
    return anchors


def _common_name(name) -> str:
    """The CN of an asn1crypto name, else its organisation, else the whole name."""
    native = name.native
    return native.get("common_name") or native.get("organization_name") or name.human_friendly


def _as_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def run_async(coroutine):
    """asyncio.run, also where this thread already runs an event loop (pyHanko's checks are coroutines)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _certificate_status(certificate: asn1_x509.Certificate, intermediates: list[asn1_x509.Certificate],
                        signed_at: datetime | None, anchors: list[asn1_x509.Certificate]) -> str:
    """For a signature that is intact: is its certificate valid at signing time, and from a trusted CA?"""
    moment = signed_at.replace(tzinfo=UTC) if signed_at else None
    if moment is not None and not certificate.not_valid_before <= moment <= certificate.not_valid_after:
        return EXPIRED
    if not anchors:
        return UNVERIFIED
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError
    context = ValidationContext(trust_roots=anchors, allow_fetching=False, revocation_mode="soft-fail",
                                moment=moment)
    validator = CertificateValidator(certificate, intermediate_certs=intermediates, validation_context=context)
    try:
        run_async(validator.async_validate_usage(set()))
    except (PathBuildingError, PathValidationError, ValidationError):
        return UNTRUSTED
    return VALID


# --- signed PDF ---------------------------------------------------------------------------------

def check_pdf_signatures(data: bytes, anchors: list[asn1_x509.Certificate]) -> SignatureReport:
    """Every signature in a PDF; a change after signing (other than a later signature) is BROKEN."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    report = SignatureReport(kind="pades")
    try:
        signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        return report
    for signature in signatures[:MAX_SIGNATURES]:
        report.signers.append(_check_pdf_signature(signature, anchors))
    return report


def _check_pdf_signature(signature, anchors) -> Signer:
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext
    try:
        certificate = signature.signer_cert
        signed_at = _as_utc(signature.self_reported_timestamp)
        name, issuer = _common_name(certificate.subject), _common_name(certificate.issuer)
    except (ValueError, KeyError, TypeError, AttributeError):
        return Signer(name="", issuer="", signed_at=None, status=BROKEN)
    try:
        # Only whether the bytes are intact and unchanged is asked here; the certificate is judged below.
        status = run_async(async_validate_pdf_signature(
            signature, ValidationContext(trust_roots=[], allow_fetching=False)))
        intact = status.intact and status.valid and status.docmdp_ok is not False
    except (SignatureValidationError, ValueError, KeyError, TypeError, AttributeError):
        intact = False
    if not intact:
        return Signer(name=name, issuer=issuer, signed_at=signed_at, status=BROKEN)
    intermediates = list(signature.other_embedded_certs)
    return Signer(name=name, issuer=issuer, signed_at=signed_at,
                  status=_certificate_status(certificate, intermediates, signed_at, anchors))


# --- ASiC-E container ---------------------------------------------------------------------------

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES_NAMESPACES = ("http://uri.etsi.org/01903/v1.3.2#", "http://uri.etsi.org/01903/v1.4.1#")


def open_container(data: bytes) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The data files and the signature files of an ASiC-E container, or Refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [info for info in archive.infolist() if not info.is_dir()]
        if len(entries) > MAX_CONTAINER_FILES or sum(info.file_size for info in entries) > MAX_CONTAINER_UNPACKED:
            raise Refused("attachment.container_too_large")
        names = [info.filename for info in entries]
        if "mimetype" not in names or archive.read("mimetype").strip() != ASICE_MIMETYPE:
            raise Refused("attachment.not_container")
        files = {info.filename: archive.read(info) for info in entries
                 if info.filename != "mimetype" and not info.filename.startswith("META-INF/")}
        signatures = {info.filename: archive.read(info) for info in entries
                      if info.filename.startswith("META-INF/") and "signatures" in info.filename.lower()
                      and info.filename.lower().endswith(".xml")}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError,
            EOFError):
        raise Refused("attachment.not_container") from None
    if not files:
        raise Refused("attachment.not_container")
    if not signatures:
        raise Refused("attachment.no_signature")
    return files, signatures


def check_container(data: bytes, anchors: list[asn1_x509.Certificate]) -> SignatureReport:
    """Every XAdES signature of the container; a data file no signature covers makes them all BROKEN."""
    from lxml import etree
    files, signature_files = open_container(data)
    report = SignatureReport(kind="asice")
    covered: set[str] = set()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=False)
    for name in sorted(signature_files):
        try:
            document = etree.fromstring(signature_files[name], parser=parser)
        except etree.XMLSyntaxError:
            report.signers.append(Signer(name="", issuer="", signed_at=None, status=BROKEN))
            continue
        count = 1 if document.tag == f"{{{DS}}}Signature" else len(document.findall(f".//{{{DS}}}Signature"))
        for index in range(min(count, MAX_SIGNATURES)):
            signer, references = _check_xades(document, index, files, anchors)
            report.signers.append(signer)
            covered |= references
    if not report.signers:
        raise Refused("attachment.no_signature")
    if set(files) - covered:
        for signer in report.signers:
            signer.status = BROKEN
    return report


def _only_signature(document, index: int):
    """A copy of the document that keeps the index-th signature and drops the others."""
    import copy
    copied = copy.deepcopy(document)
    if copied.tag == f"{{{DS}}}Signature":
        return copied
    for position, signature in enumerate(copied.findall(f".//{{{DS}}}Signature")):
        if position != index:
            signature.getparent().remove(signature)
    return copied


def _check_xades(document, index: int, files: dict[str, bytes], anchors) -> tuple[Signer, set[str]]:
    from signxml.exceptions import InvalidInput, SignXMLException
    from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier
    single = _only_signature(document, index)
    signature = single if single.tag == f"{{{DS}}}Signature" else single.find(f".//{{{DS}}}Signature")
    certificates = _embedded_certificates(signature)
    signed_at = _signing_time(signature)
    if not certificates:
        return Signer(name="", issuer="", signed_at=signed_at, status=BROKEN), set()
    certificate = certificates[0]
    name, issuer = _common_name(certificate.subject), _common_name(certificate.issuer)
    references = {unquote(ref.get("URI", "")) for ref in signature.iter(f"{{{DS}}}Reference")
                  if ref.get("URI") and not ref.get("URI").startswith("#")}
    # signxml is asked only whether the signature matches the files; the certificate's dates and issuer
    # are judged below, at the time of signing, so the check happens at a moment the certificate was valid.
    config = XAdESSignatureConfiguration(expect_references=True, verification_time=certificate.not_valid_before)
    try:
        XAdESVerifier().verify(single, x509_cert=x509.load_der_x509_certificate(certificate.dump()),
                               uri_resolver=lambda uri: files.get(unquote(uri)), expect_config=config)
    except (SignXMLException, InvalidInput, ValueError, TypeError, KeyError, AttributeError):
        return Signer(name=name, issuer=issuer, signed_at=signed_at, status=BROKEN), set()
    status = _certificate_status(certificate, certificates[1:], signed_at, anchors)
    return Signer(name=name, issuer=issuer, signed_at=signed_at, status=status), references & set(files)


def _embedded_certificates(signature) -> list[asn1_x509.Certificate]:
    """The certificates in KeyInfo, the signer's first; ones that do not parse are left out."""
    import base64
    import binascii
    certificates = []
    for element in signature.iter(f"{{{DS}}}X509Certificate"):
        try:
            certificate = asn1_x509.Certificate.load(base64.b64decode("".join((element.text or "").split())))
            certificate.native  # noqa: B018 - asn1crypto parses lazily; a broken certificate fails here
        except (ValueError, TypeError, binascii.Error):
            continue
        certificates.append(certificate)
    return certificates


def _signing_time(signature) -> datetime | None:
    for namespace in XADES_NAMESPACES:
        element = signature.find(f".//{{{namespace}}}SigningTime")
        if element is not None and element.text:
            try:
                return _as_utc(datetime.fromisoformat(element.text.strip().replace("Z", "+00:00")))
            except ValueError:
                return None
    return None

