"""Signatures on positions: PAdES (pyHanko) and ASiC-E (signxml), checked against test-made CAs."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding

from consult.services import signatures
from consult.services.refusals import Refused
from tests import signing


@pytest.fixture(scope="module")
def pki():
    ca_key, ca_cert = signing.make_ca("Testa sertifikācijas centrs")
    key, cert = signing.make_signer(ca_key, ca_cert, "Anna Bērziņa")
    other_ca_key, other_ca = signing.make_ca("Cits centrs")
    now = dt.datetime.now(dt.UTC)
    old_key, old_cert = signing.make_signer(ca_key, ca_cert, "Jānis Ozols", not_before=now - dt.timedelta(days=400),
                                            not_after=now - dt.timedelta(days=30))
    return {"ca": ca_cert, "key": key, "cert": cert, "other_ca": other_ca, "old_key": old_key, "old_cert": old_cert,
            "ca_key": ca_key}


def anchors(*certs):
    return [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in certs]


def test_a_signed_pdf_names_its_signer_and_is_valid_against_its_ca(pki):
    report = signatures.check_pdf_signatures(signing.signed_pdf(pki["key"], pki["cert"], pki["ca"]), anchors(pki["ca"]))
    assert report.status == signatures.VALID
    [signer] = report.signers
    assert (signer.name, signer.issuer) == ("Anna Bērziņa", "Testa sertifikācijas centrs")
    assert abs(signer.signed_at - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=5)


def test_without_trust_anchors_an_intact_signature_is_unverified(pki):
    report = signatures.check_pdf_signatures(signing.signed_pdf(pki["key"], pki["cert"], pki["ca"]), [])
    assert report.status == signatures.UNVERIFIED


def test_a_signature_from_another_ca_is_untrusted(pki):
    report = signatures.check_pdf_signatures(signing.signed_pdf(pki["key"], pki["cert"], pki["ca"]),
                                             anchors(pki["other_ca"]))
    assert report.status == signatures.UNTRUSTED


def test_a_pdf_changed_after_signing_is_broken(pki):
    signed = bytearray(signing.signed_pdf(pki["key"], pki["cert"], pki["ca"]))
    at = signed.index(b"/MediaBox") + 12
    signed[at:at + 1] = b"7" if signed[at:at + 1] != b"7" else b"8"
    assert signatures.check_pdf_signatures(bytes(signed), anchors(pki["ca"])).status == signatures.BROKEN


def test_a_pdf_updated_after_signing_is_broken(pki):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    writer = IncrementalPdfFileWriter(io.BytesIO(signing.signed_pdf(pki["key"], pki["cert"], pki["ca"])))
    writer.root["/Lang"] = generic.TextStringObject("lv")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    assert signatures.check_pdf_signatures(out.getvalue(), anchors(pki["ca"])).status == signatures.BROKEN


def test_a_second_signature_keeps_the_first_valid(pki):
    once = signing.signed_pdf(pki["key"], pki["cert"], pki["ca"])
    twice = signing.signed_pdf(pki["key"], pki["cert"], pki["ca"], pdf=once, field="Signature2")
    report = signatures.check_pdf_signatures(twice, anchors(pki["ca"]))
    assert [s.status for s in report.signers] == [signatures.VALID, signatures.VALID]


def test_a_certificate_expired_before_signing_is_reported(pki):
    signed = signing.signed_pdf(pki["old_key"], pki["old_cert"], pki["ca"])
    report = signatures.check_pdf_signatures(signed, anchors(pki["ca"]))
    assert report.status == signatures.EXPIRED
    assert report.signers[0].name == "Jānis Ozols"


def test_an_unsigned_pdf_has_no_signature_status():
    assert signatures.check_pdf_signatures(signing.plain_pdf(), []).status is None


FILES = {"pozicija.pdf": b"%PDF-1.4 the position of the association", "pielikums.txt": b"Pielikums"}


def container(pki, files=FILES, key="key", cert="cert", extra_files=None, signatures_xml=None):
    xml = signatures_xml or [signing.xades_signature(files, pki[key], pki[cert])]
    return signing.asice({**files, **(extra_files or {})}, xml)


def test_a_signed_container_is_valid_against_its_ca(pki):
    report = signatures.check_container(container(pki), anchors(pki["ca"]))
    assert report.kind == "asice" and report.status == signatures.VALID
    assert report.signers[0].name == "Anna Bērziņa"
    assert report.signers[0].issuer == "Testa sertifikācijas centrs"
    assert report.signers[0].signed_at is not None


def test_a_container_without_anchors_is_unverified_and_with_another_ca_untrusted(pki):
    assert signatures.check_container(container(pki), []).status == signatures.UNVERIFIED
    assert signatures.check_container(container(pki), anchors(pki["other_ca"])).status == signatures.UNTRUSTED


def test_a_file_changed_after_signing_breaks_the_container(pki):
    xml = signing.xades_signature(FILES, pki["key"], pki["cert"])
    changed = {**FILES, "pozicija.pdf": b"%PDF-1.4 the position of the associatioN"}
    assert signatures.check_container(signing.asice(changed, [xml]), anchors(pki["ca"])).status == signatures.BROKEN


def test_a_file_added_after_signing_breaks_the_container(pki):
    data = container(pki, extra_files={"papildus.pdf": b"%PDF-1.4 added later"})
    assert signatures.check_container(data, anchors(pki["ca"])).status == signatures.BROKEN


def test_two_signatures_of_which_one_is_broken(pki):
    good = signing.xades_signature(FILES, pki["key"], pki["cert"], sig_id="S0")
    value = b'<ds:SignatureValue Id="S1-SV">'
    bad = signing.xades_signature(FILES, pki["key"], pki["cert"], sig_id="S1").replace(value, value + b"AAAA")
    report = signatures.check_container(container(pki, signatures_xml=[good, bad]), anchors(pki["ca"]))
    assert [s.status for s in report.signers] == [signatures.VALID, signatures.BROKEN]
    assert report.status == signatures.BROKEN


def test_an_expired_certificate_in_a_container(pki):
    data = container(pki, key="old_key", cert="old_cert")
    assert signatures.check_container(data, anchors(pki["ca"])).status == signatures.EXPIRED


def test_a_container_with_no_signature_is_refused(pki):
    with pytest.raises(Refused) as refused:
        signatures.check_container(signing.asice(FILES, []), [])
    assert refused.value.code == "attachment.no_signature"


def test_a_plain_zip_named_edoc_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("vestule.pdf", b"%PDF-1.4")
        archive.writestr("foto.jpg", b"\xff\xd8")
    with pytest.raises(Refused) as refused:
        signatures.check_container(out.getvalue(), [])
    assert refused.value.code == "attachment.not_container"


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04broken", signing.plain_pdf()])
def test_what_is_not_a_container_is_refused(data):
    with pytest.raises(Refused) as refused:
        signatures.check_container(data, [])
    assert refused.value.code == "attachment.not_container"


def test_a_container_that_unpacks_too_large_is_refused(pki):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", signatures.ASICE_MIMETYPE)
        archive.writestr("liels.txt", b"0" * (signatures.MAX_CONTAINER_UNPACKED + 1))
    with pytest.raises(Refused) as refused:
        signatures.check_container(out.getvalue(), [])
    assert refused.value.code == "attachment.container_too_large"


def test_signature_xml_that_does_not_parse_is_broken(pki):
    report = signatures.check_container(container(pki, signatures_xml=[b"<not xml"]), [])
    assert report.status == signatures.BROKEN


def test_trust_anchors_are_read_from_pem_and_der_files_and_junk_is_skipped(pki, tmp_path):
    (tmp_path / "ca.pem").write_bytes(signing.pem(pki["ca"]))
    (tmp_path / "other.cer").write_bytes(pki["other_ca"].public_bytes(Encoding.DER))
    (tmp_path / "README.txt").write_text("not a certificate")
    names = sorted(c.subject.native["common_name"] for c in signatures.trust_anchors(str(tmp_path)))
    assert names == ["Cits centrs", "Testa sertifikācijas centrs"]
    assert signatures.trust_anchors(None) == [] and signatures.trust_anchors(str(tmp_path / "missing")) == []


def test_a_signature_that_carries_no_certificate_is_broken(pki):
    import re as regex
    xml = signing.xades_signature(FILES, pki["key"], pki["cert"])
    without = regex.sub(rb"<ds:X509Certificate>[^<]*</ds:X509Certificate>", b"", xml)
    report = signatures.check_container(container(pki, signatures_xml=[without]), anchors(pki["ca"]))
    assert [(s.name, s.status) for s in report.signers] == [("", signatures.BROKEN)]


def test_a_pdf_that_does_not_open_has_no_signatures():
    assert signatures.check_pdf_signatures(b"%PDF-1.4\n not really a PDF\n%%EOF", []).signers == []
