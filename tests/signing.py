"""Test PKI: a CA, signer certificates, signed PDFs and ASiC-E containers, all made at test time."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import zipfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from lxml import etree


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "LV"), x509.NameAttribute(NameOID.COMMON_NAME, cn)])

def make_ca(cn="Test CA"):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(_name(cn)).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=30))
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert

def make_signer(ca_key, ca_cert, cn="Anna Bērziņa", not_before=None, not_after=None):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(not_before or now - dt.timedelta(days=10))
            .not_valid_after(not_after or now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
ASIC = "http://uri.etsi.org/02918/v1.2.1#"
C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"

def xades_signature(files: dict[str, bytes], key, cert, sig_id="S0", signing_time=None) -> bytes:
    """A detached XAdES-BES signature over the named files, as in an ASiC-E container."""
    S = _sub
    root = etree.Element(f"{{{ASIC}}}XAdESSignatures", nsmap={"asic": ASIC, "ds": DS, "xades": XADES})
    sig = S(root, DS, "Signature", Id=sig_id)
    si = S(sig, DS, "SignedInfo")
    S(si, DS, "CanonicalizationMethod", Algorithm=C14N)
    S(si, DS, "SignatureMethod", Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")
    for name, data in files.items():
        ref = S(si, DS, "Reference", URI=name)
        S(ref, DS, "DigestMethod", Algorithm="http://www.w3.org/2001/04/xmlenc#sha256")
        S(ref, DS, "DigestValue", base64.b64encode(hashlib.sha256(data).digest()).decode())
    sv = S(sig, DS, "SignatureValue", Id=sig_id + "-SV")
    key_info = S(sig, DS, "KeyInfo")
    xd = S(key_info, DS, "X509Data")
    S(xd, DS, "X509Certificate", base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode())
    obj = S(sig, DS, "Object")
    qp = S(obj, XADES, "QualifyingProperties", Target="#" + sig_id)
    sp = S(qp, XADES, "SignedProperties", Id=sig_id + "-SignedProperties")
    ssp = S(sp, XADES, "SignedSignatureProperties")
    when = signing_time or dt.datetime.now(dt.UTC)
    S(ssp, XADES, "SigningTime", when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    cd = S(S(S(ssp, XADES, "SigningCertificateV2"), XADES, "Cert"), XADES, "CertDigest")
    S(cd, DS, "DigestMethod", Algorithm="http://www.w3.org/2001/04/xmlenc#sha256")
    S(cd, DS, "DigestValue",
      base64.b64encode(hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).digest()).decode())
    ref = S(si, DS, "Reference", Type="http://uri.etsi.org/01903#SignedProperties", URI="#" + sp.get("Id"))
    S(S(ref, DS, "Transforms"), DS, "Transform", Algorithm=C14N)
    S(ref, DS, "DigestMethod", Algorithm="http://www.w3.org/2001/04/xmlenc#sha256")
    S(ref, DS, "DigestValue", base64.b64encode(hashlib.sha256(etree.tostring(sp, method="c14n",
                                                                             exclusive=True)).digest()).decode())
    signed_info = etree.tostring(si, method="c14n", exclusive=True)
    sv.text = base64.b64encode(key.sign(signed_info, padding.PKCS1v15(), hashes.SHA256())).decode()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

def _sub(parent, ns, tag, text=None, **attrs):
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", **attrs)
    if text is not None:
        el.text = text
    return el

def asice(files, signatures):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.etsi.asic-e+zip")
        for name, data in files.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        manifest = ['<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
                    'manifest:full-path="/" manifest:media-type="application/vnd.etsi.asic-e+zip"/>']
        manifest += [f'<manifest:file-entry manifest:full-path="{n}" '
                     f'manifest:media-type="application/pdf"/>' for n in files]
        manifest.append("</manifest:manifest>")
        z.writestr("META-INF/manifest.xml", "".join(manifest))
        for i, sig in enumerate(signatures):
            z.writestr(f"META-INF/signatures{i}.xml", sig)
    return out.getvalue()


def signed_pdf(key, cert, ca_cert, pdf: bytes | None = None, field: str = "Signature1") -> bytes:
    """A one-page PDF (or the given one) signed with pyHanko as a PAdES signature."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore
    der = serialization.Encoding.DER
    signer = signers.SimpleSigner(
        signing_cert=asn1_x509.Certificate.load(cert.public_bytes(der)),
        signing_key=asn1_keys.PrivateKeyInfo.load(key.private_bytes(der, serialization.PrivateFormat.PKCS8,
                                                                    serialization.NoEncryption())),
        cert_registry=SimpleCertificateStore.from_certs([asn1_x509.Certificate.load(ca_cert.public_bytes(der))]))
    from consult.services.signatures import run_async
    out = io.BytesIO()
    run_async(signers.async_sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf or plain_pdf())),
                                     signers.PdfSignatureMetadata(field_name=field), signer=signer, output=out))
    return out.getvalue()


def plain_pdf() -> bytes:
    from pypdf import PdfWriter
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pem(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)
