"""PAdES signatures on issued opinion PDFs (pyHanko), and checking them.

Settings (read with ``getattr``; none is required):

``OPINIONS_SIGNING_KEY``
    Path of the PEM private key (unencrypted) the portal signs opinions with. Production sets it.
``OPINIONS_SIGNING_CERT``
    Path of the matching PEM certificate. Certificates after the first one in the file are taken as
    its chain and embedded in each signature.

Both must be set together. When neither is set (development, tests, demo) a self-signed certificate,
CN "坪山产业共治与创新基金门户（开发用）", EC P-256, valid ten years, is made on first use and kept in
``PRIVATE_MEDIA_ROOT / "signing"`` (``dev-signing-key.pem`` mode 0600, ``dev-signing-cert.pem``); every
later signature reuses it. Documents signed with it prove integrity, not identity: the certificate is
trusted by nobody but this portal.

Verification (:func:`verify_pdf_signature`) trusts exactly the portal's own certificate (the one the
settings name, or the development one): a signature by any other certificate, however well-formed,
reports ``trusted=False``.

Signing appends an incremental update (the original bytes stay as they are, followed by the signature
dictionary and a CMS container of a few KB), so the text stays extractable and the size grows by
well under 20 KB. It is a certification signature that permits no later changes (DocMDP level 1).
No timestamp authority is contacted (no network at run time); the signing time is the signer's clock.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import datetime
import fcntl
import io
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

DEV_COMMON_NAME = "坪山产业共治与创新基金门户（开发用）"
DEV_KEY_NAME = "dev-signing-key.pem"
DEV_CERT_NAME = "dev-signing-cert.pem"
SIGNATURE_FIELD = "PortalSignature"


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool  # the file carries at least one signature
    intact: bool  # the signed bytes hash to what the signature says (nothing inside the range changed)
    covers_whole_document: bool  # nothing was appended after the last signature
    signer_common_name: str  # CN of the signing certificate ("" when unsigned)
    trusted: bool = False  # the signer is the portal's own certificate (see module docstring)

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.covers_whole_document and self.trusted


@dataclass(frozen=True)
class KeyMaterial:
    key_path: Path
    cert_path: Path


def signing_material() -> KeyMaterial:
    """The key and certificate files in force: from settings, else the development pair (made once)."""
    key = getattr(settings, "OPINIONS_SIGNING_KEY", None)
    cert = getattr(settings, "OPINIONS_SIGNING_CERT", None)
    if key or cert:
        if not (key and cert):
            raise ImproperlyConfigured("Set both OPINIONS_SIGNING_KEY and OPINIONS_SIGNING_CERT, or neither.")
        return KeyMaterial(Path(key), Path(cert))
    return ensure_dev_certificate()


def ensure_dev_certificate() -> KeyMaterial:
    """Create the development key and self-signed certificate unless they exist; return their paths."""
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "signing"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    material = KeyMaterial(folder / DEV_KEY_NAME, folder / DEV_CERT_NAME)
    if material.key_path.exists() and material.cert_path.exists():
        return material
    # Two workers starting at once must not make two different keys: one makes, the other waits.
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (material.key_path.exists() and material.cert_path.exists()):
            _write_dev_certificate(material)
    return material


def sign_pdf(data: bytes) -> bytes:
    """``data`` with a PAdES (ETSI.CAdES.detached) certification signature by the portal appended."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(signing_material())
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
        reason="正式意见签发",
        location="深圳市坪山区",
        name=_common_name(signer.signing_cert),
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    output = _outside_event_loop(signers.sign_pdf, writer, meta, signer=signer)
    return output.getvalue()


def verify_pdf_signature(data: bytes) -> SignatureCheck:
    """Check the signatures of ``data`` against the portal's certificate. Never raises on bad input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    unsigned = SignatureCheck(signed=False, intact=False, covers_whole_document=False, signer_common_name="")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception:  # not a PDF, or too damaged to find its signature fields
        logger.info("Could not read signatures from a PDF", exc_info=True)
        return unsigned
    if not signatures:
        return unsigned

    portal_cert = _load_certificates(signing_material().cert_path)[0]
    context = ValidationContext(trust_roots=[portal_cert], allow_fetching=False)
    intact = trusted = True
    common_name = ""
    covers = False
    for index, embedded in enumerate(signatures):
        try:
            status = _outside_event_loop(validate_pdf_signature, embedded, context)
        except Exception:  # damaged CMS container, digest mismatch reported as an error, ...
            logger.info("Signature %s could not be validated", embedded.field_name, exc_info=True)
            intact = trusted = False
            with contextlib.suppress(Exception):  # the certificate may be unreadable too
                common_name = common_name or _common_name(embedded.signer_cert)
            continue
        intact &= bool(status.intact and status.valid)
        trusted &= bool(status.trusted)
        common_name = common_name or _common_name(status.signing_cert)
        if index == len(signatures) - 1:
            covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return SignatureCheck(
        signed=True,
        intact=intact,
        covers_whole_document=covers and intact,
        signer_common_name=common_name,
        trusted=trusted and intact,
    )


# -- internals ---------------------------------------------------------------------------------------


def _outside_event_loop(function, *args, **kwargs):
    """Call one of pyHanko's synchronous wrappers, which use ``asyncio.run`` internally.

    ``asyncio.run`` refuses to start inside a running event loop (an async view, a notebook); there the
    call goes to a worker thread instead of failing (which verification would report as "not intact").
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def _signer(material: KeyMaterial):
    from pyhanko.keys import load_private_key_from_pemder
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    certificates = _load_certificates(material.cert_path)
    try:
        key = load_private_key_from_pemder(str(material.key_path), passphrase=None)
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"Cannot read the opinion signing key {material.key_path}: {error}") from error
    return signers.SimpleSigner(
        signing_cert=certificates[0],
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs(certificates[1:]),
    )


def _load_certificates(path: Path):
    """Every certificate in a PEM (or DER) file, signer first."""
    from asn1crypto import pem, x509

    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(f"Cannot read the opinion signing certificate {path}: {error}") from error
    if pem.detect(raw):
        blobs = [der for _type, _headers, der in pem.unarmor(raw, multiple=True)]
    else:
        blobs = [raw]
    certificates = [x509.Certificate.load(blob) for blob in blobs]
    if not certificates:
        raise ImproperlyConfigured(f"No certificate in {path}")
    return certificates


def _common_name(certificate) -> str:
    if certificate is None:
        return ""
    return str(certificate.subject.native.get("common_name", ""))


def _write_dev_certificate(material: KeyMaterial) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "广东省"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "深圳市"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "坪山产业共治与创新基金门户"),
            x509.NameAttribute(NameOID.COMMON_NAME, DEV_COMMON_NAME),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=3652))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: what document signatures assert
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Key first, created 0600 from the start (never world-readable, not even for a moment); the
    # certificate last, because its presence is what marks the pair complete.
    for path, data, mode in (
        (material.key_path, key_pem, 0o600),
        (material.cert_path, certificate.public_bytes(serialization.Encoding.PEM), 0o644),
    ):
        tmp = path.with_name(f".{path.name}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    logger.warning("Created a self-signed development certificate for opinion PDFs in %s", material.cert_path.parent)
